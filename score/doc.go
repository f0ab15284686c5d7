// Package score turns customers' transactions into value scores — RFM,
// historical value and predicted value (BG/NBD and Gamma-Gamma) — and
// attaches them to a segment.Base as fields, so that "high value, about to
// lapse" is one predicate like any other.
//
// # Summaries
//
// Summarize (or SummarizeColumns) reduces the caller's transactions to one
// Summary per customer as of a time asOf that the caller gives (the package
// never reads the clock): Frequency, the number of repeat purchase periods;
// Recency, the time from the first to the last purchase; T, the time from
// the first purchase to asOf; Monetary, the mean value of the repeat
// purchases; and the lifetime Revenue and net Profit. Purchases within one
// Period (a day by default) count once, and times are measured in a Unit of
// the caller's choice (a day by default, a week in the literature):
//
//	s, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
//
// Transactions after asOf are an error unless DropAfterAsOf is given;
// NaN or infinite amounts and costs are errors too, and so are negative
// ones unless the option Returns says how returns (cancelled lines) count:
// NetReturns nets a return against the customer's purchases before it, the
// latest first, so a purchase returned in full is no purchase at all;
// DropReturns ignores returns.
//
// # RFM and historical value
//
// RFMScores scores recency, frequency and monetary value 1..n from the base's
// own distribution (recent is high; equal values share a score). The RFM
// cell code is RFM.Code (555), and RFM.Segment names the customary
// segments (champions, loyal, ..., hibernating, lost). Ntiles gives value
// deciles, Bins bands at custom edges, and TopShare the Pareto view: the
// share of profit the top k% of customers bring.
//
// # Predicted value
//
// FitBGNBD fits the BG/NBD model of purchase counts (Fader, Hardie and Lee
// 2005) by maximum likelihood; BGNBD.PAlive is the probability that a
// customer is still active and BGNBD.ExpectedPurchases the expected
// purchases in the next t units. FitGammaGamma fits the Gamma-Gamma model
// of spend per transaction on the repeat buyers; GammaGamma.ExpectedSpend
// is a customer's expected mean spend. CLV combines the two into the
// discounted expected revenue over a Horizon. Model times are in the unit
// of the summaries.
//
// Fits never return runaway parameters: when the data cannot identify them
// (few repeat buyers, no sign of dropout, everyone spending alike) the
// likelihood peaks at a bound, and the fit returns a *DegenerateFitError
// (ErrDegenerateFit) naming the parameter, the bound and the number of
// repeat buyers. Penalizer, an L2 penalty on the log-parameters, fits such
// small groups anyway:
//
//	bg, err := score.FitBGNBD(sums, score.Penalizer(0.01))
//
// Predictions are always finite: PAlive, ExpectedPurchases and
// ExpectedSpend return 0 for a model or summary that is not valid (check
// with BGNBD.Err, GammaGamma.Err and Summary.Err), and CLV returns an error.
//
// FitBGNBDReport and FitGammaGammaReport also return a FitReport: the
// log-likelihood, standard errors and covariance from the Hessian, the
// optimizer's iterations and whether it converged. To check a model on
// purchases it was not fitted on, SplitCalibration summarizes the
// transactions up to a calibration end and counts each customer's
// purchases after it; Holdout.ByFrequency compares actual and expected
// holdout purchases by calibration frequency, and Holdout.Track the
// cumulative repeat purchases over time, as the BG/NBD paper's figures do:
//
//	h, err := score.SplitCalibration(txns, calibrationEnd, observationEnd, score.Unit(week))
//	bg, err := score.FitBGNBD(h.Calibration)
//	groups, err := h.ByFrequency(bg, 7) // 0, 1, ..., 6, 7+
//	track, err := h.Track(bg, 1)        // weekly
//
// # Scores as fields
//
// Scores are slices aligned with the summaries: RFMScores, Ntiles and Bins
// (of values taken from the summaries in order) return value i for the
// customer of summaries[i]. Ints, Decimals and Categories make such a
// slice into Scores for a field, RFMFields.Scores makes the RFM scores into
// five fields (R, F, M, the cell code and Label, the named segment as a
// categorical field), and Attach puts any number of Scores on a base in one
// call; AttachColumns gives them as columns for segment.FromColumns:
//
//	rfm := score.NewRFMFields("rfm")
//	base, err = score.Attach(base, sums, rfm.Scores(scores), score.Decimals(clv, values))
//	atRisk := segment.And(rfm.Label.Eq("at risk"), clv.Ge(500))
//	cells, err := segment.Split(base, segment.All(), []segment.Dim{segment.By(rfm.Label)})
//
// AttachInt and AttachDecimal attach scores kept in maps by customer key.
// A Horizon's period is a duration (Every, with the summaries' Unit), or a
// Length in the summaries' unit: Horizon{Periods: 12, Every: score.Month,
// Unit: score.Week} is a year of months for weekly summaries.
//
// # Fits over shards
//
// Both likelihoods are sums over customers of a function of a few numbers
// each, so Stats, which counts the customers by those numbers, is all a
// fit needs, and the Stats of disjoint sets of customers merge. Service
// instances that each hold some of the customers send NewStats of their
// summaries; MergeStats adds them up, and FitBGNBDStats and
// FitGammaGammaStats fit once, to the parameters FitBGNBD and
// FitGammaGamma find on all the summaries:
//
//	st, err := score.MergeStats(fromShards...)
//	bg, err := score.FitBGNBDStats(st)
//
// Every error wraps one of the package's sentinel errors (ErrInvalidSummary,
// ErrTooFewCustomers, ...), so errors.Is tells the kind, and the message
// names the field, the value and what was expected.
package score
