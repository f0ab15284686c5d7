package score

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Holdout is a calibration/holdout split of transactions, for checking a
// model on purchases it was not fitted on: fit on Calibration, then compare
// what the model expects over the holdout period with what the customers
// did (Expected, ByFrequency, Track). SplitCalibration makes one.
type Holdout struct {
	// Calibration holds the summaries as of the calibration end of the
	// customers with a purchase by then: what Summarize returns for asOf
	// calibrationEnd with DropAfterAsOf.
	Calibration []Summary
	// Purchases[i] is the number of purchases of Calibration[i] in the
	// holdout period (calibrationEnd, observationEnd]: its purchase periods
	// there, all of them repeat purchases.
	Purchases []int
	// Revenue[i] is the revenue of Calibration[i] in the holdout period.
	Revenue []float64
	// Length is the length of the holdout period in the unit of the
	// summaries, from the period of calibrationEnd to that of
	// observationEnd: the t of ExpectedPurchases that the holdout
	// purchases are to be compared with.
	Length float64
	// Repeats holds the time of every repeat purchase of the customers in
	// Calibration, in the calibration and the holdout period, measured in
	// the unit of the summaries from the period of calibrationEnd (<= 0 in
	// the calibration, > 0 in the holdout period), in ascending order.
	Repeats []float64
}

// SplitCalibration splits transactions at calibrationEnd into a
// calibration period, summarized as of calibrationEnd, and a holdout
// period up to observationEnd, in which it counts each calibration
// customer's purchases (the Python lifetimes library's
// calibration_and_holdout_data).
//
// Options are those of Summarize and mean the same: Period, Unit, Returns,
// Customers, and DropAfterAsOf, which here drops the transactions later
// than observationEnd (without it they are an error wrapping
// ErrAfterAsOf). Customers whose first purchase falls in the holdout
// period are left out, as a model fitted on the calibration period knows
// nothing of them.
//
// Rules at the boundary: a transaction at calibrationEnd belongs to the
// calibration period, one after it to the holdout period. When a period
// (a day, say) straddles calibrationEnd and holds purchases on both sides,
// it counts once, as a calibration purchase; its holdout part adds to
// Revenue only. Returns (see Returns) are netted within their own side: a
// return in the holdout period never reaches back to a calibration
// purchase, so the calibration summaries do not depend on the holdout.
//
// It returns an error wrapping ErrInvalidArgument when calibrationEnd or
// observationEnd is the zero time or observationEnd is not after
// calibrationEnd, and the errors of Summarize for bad transactions.
func SplitCalibration(txns []Transaction, calibrationEnd, observationEnd time.Time, opts ...Option) (Holdout, error) {
	return splitCalibration(len(txns), func(i int) (string, time.Time, float64, float64) {
		t := &txns[i]
		return t.Key, t.Time, t.Amount, t.Cost
	}, calibrationEnd, observationEnd, opts)
}

// SplitCalibrationColumns is SplitCalibration for transactions held in
// columns.
func SplitCalibrationColumns(c Columns, calibrationEnd, observationEnd time.Time, opts ...Option) (Holdout, error) {
	row, err := c.rows()
	if err != nil {
		return Holdout{}, err
	}
	return splitCalibration(len(c.Keys), row, calibrationEnd, observationEnd, opts)
}

func splitCalibration(n int, row rowFunc, calEnd, obsEnd time.Time, opts []Option) (Holdout, error) {
	cfg, err := parseOptions(opts)
	if err != nil {
		return Holdout{}, err
	}
	switch {
	case calEnd.IsZero():
		return Holdout{}, argError("calibrationEnd", "the zero time", "a set time")
	case obsEnd.IsZero():
		return Holdout{}, argError("observationEnd", "the zero time", "a set time")
	case !obsEnd.After(calEnd):
		return Holdout{}, argError("observationEnd", obsEnd.Format(time.RFC3339Nano), "a time after calibrationEnd "+calEnd.Format(time.RFC3339Nano))
	}
	calPer, ok := periodIndex(calEnd, cfg.period)
	if !ok {
		return Holdout{}, argError("calibrationEnd", calEnd.Format(time.RFC3339Nano), fmt.Sprintf("a time fewer than 2^63 periods of %v from the Unix epoch", cfg.period))
	}
	l, err := collect(n, row, obsEnd, calEnd, &cfg)
	if err != nil {
		return Holdout{}, err
	}
	obsPer, _ := periodIndex(obsEnd, cfg.period) // collect checked it
	if !spanOK(calPer, obsPer) {
		return Holdout{}, argError("observationEnd", obsEnd.Format(time.RFC3339Nano), fmt.Sprintf("a time fewer than 2^63 periods of %v after calibrationEnd", cfg.period))
	}
	scale := float64(cfg.period) / float64(cfg.unit)
	h := Holdout{
		Calibration: make([]Summary, 0, len(l.keys)),
		Length:      float64(obsPer-calPer) * scale,
	}
	var cal, hold []period
	var stack []int
	for c, key := range l.keys {
		cal, stack = periods(l.customer(c, false), cfg.returns, cal, stack)
		s, ok := summaryOf(key, cal, calPer, scale)
		if !ok {
			continue
		}
		if err := overflow(s); err != nil {
			return Holdout{}, err
		}
		first, lastCal := true, int64(math.MinInt64)
		for i := range cal {
			if !cal[i].purchase() {
				continue
			}
			if !first {
				h.Repeats = append(h.Repeats, float64(cal[i].per-calPer)*scale)
			}
			first, lastCal = false, cal[i].per
		}
		hold, stack = periods(l.customer(c, true), cfg.returns, hold, stack)
		var count int
		var rev float64
		for i := range hold {
			p := &hold[i]
			if !p.purchase() {
				continue
			}
			rev += p.amt
			if p.per == lastCal {
				continue // the straddling period counted in the calibration
			}
			count++
			h.Repeats = append(h.Repeats, float64(p.per-calPer)*scale)
		}
		if math.IsInf(rev, 0) {
			return Holdout{}, fmt.Errorf("score: customer %q: field Amount: the sum of the holdout amounts overflows (%v), want amounts whose sum is a finite float64: %w",
				key, rev, ErrInvalidTransaction)
		}
		h.Calibration = append(h.Calibration, s)
		h.Purchases = append(h.Purchases, count)
		h.Revenue = append(h.Revenue, rev)
	}
	slices.Sort(h.Repeats)
	return h, nil
}

// check returns an error wrapping ErrInvalidArgument when the holdout's
// parts do not line up, or ErrInvalidSummary for a bad summary.
func (h *Holdout) check() error {
	if len(h.Purchases) != len(h.Calibration) {
		return fmt.Errorf("score: holdout: lengths Calibration %d, Purchases %d, want equal lengths: %w",
			len(h.Calibration), len(h.Purchases), ErrInvalidArgument)
	}
	if badNumber(h.Length) {
		return argError("holdout: field Length", h.Length, "a finite number >= 0")
	}
	for i, n := range h.Purchases {
		if n < 0 {
			return argError(fmt.Sprintf("holdout: field Purchases[%d] (customer %q)", i, h.Calibration[i].Key), n, ">= 0")
		}
	}
	for _, s := range h.Calibration {
		if err := s.check(); err != nil {
			return err
		}
	}
	return nil
}

// Expected returns the purchases that the model expects of each customer
// of Calibration in the holdout period, m.ExpectedPurchases(h.Length, s),
// in the order of Calibration. It returns an error wrapping
// ErrInvalidArgument for a model that is not valid (see BGNBD.Err) or a
// Holdout whose parts do not line up, and ErrInvalidSummary for an
// impossible summary.
func (h Holdout) Expected(m BGNBD) ([]float64, error) {
	if err := m.Err(); err != nil {
		return nil, err
	}
	if err := h.check(); err != nil {
		return nil, err
	}
	// Customers with the same (Frequency, Recency, T) expect the same:
	// compute it once per triple.
	type triple struct {
		x     int
		tx, T float64
	}
	memo := make(map[triple]float64)
	out := make([]float64, len(h.Calibration))
	for i, s := range h.Calibration {
		k := triple{s.Frequency, s.Recency, s.T}
		e, ok := memo[k]
		if !ok {
			e = m.ExpectedPurchases(h.Length, s)
			memo[k] = e
		}
		out[i] = e
	}
	return out, nil
}

// FrequencyGroup compares, for the customers with one calibration
// Frequency, the mean purchases in the holdout period with the mean the
// model expects (Fader, Hardie and Lee 2005, Figure 4: "conditional
// expectations"; lifetimes' plot_calibration_purchases_vs_holdout_purchases).
type FrequencyGroup struct {
	Frequency int     // the calibration Frequency of the group; with OrMore, the least
	OrMore    bool    // the group holds every customer with Frequency >= Frequency
	Customers int     // customers in the group
	Actual    float64 // their mean number of purchases in the holdout period
	Expected  float64 // the mean the model expects of them
}

// ByFrequency groups the customers of Calibration by their calibration
// Frequency, 0 to censor-1 each on its own and censor or more together,
// and compares their mean purchases in the holdout period with the mean
// the model expects (see Expected). Groups without customers are left
// out. censor must be >= 1; the paper's figure uses 7. Errors are those of
// Expected, and one wrapping ErrInvalidArgument for censor < 1.
func (h Holdout) ByFrequency(m BGNBD, censor int) ([]FrequencyGroup, error) {
	if censor < 1 {
		return nil, argError("censor", censor, ">= 1")
	}
	exp, err := h.Expected(m)
	if err != nil {
		return nil, err
	}
	groups := make([]FrequencyGroup, censor+1)
	for i := range groups {
		groups[i].Frequency = i
	}
	groups[censor].OrMore = true
	for i, s := range h.Calibration {
		g := &groups[min(s.Frequency, censor)]
		g.Customers++
		g.Actual += float64(h.Purchases[i])
		g.Expected += exp[i]
	}
	out := groups[:0]
	for _, g := range groups {
		if g.Customers == 0 {
			continue
		}
		g.Actual /= float64(g.Customers)
		g.Expected /= float64(g.Customers)
		out = append(out, g)
	}
	return out, nil
}

// TrackPoint is one point of the tracking plot of Track.
type TrackPoint struct {
	// Time is measured in the unit of the summaries from the first purchase
	// of the earliest customer (the start of the plot).
	Time float64
	// Holdout reports whether Time lies in the holdout period.
	Holdout bool
	// Actual is the number of repeat purchases the customers made by Time.
	Actual float64
	// Expected is the number the model expects of them by Time, each
	// customer from their first purchase on (not conditioned on what they
	// did in the calibration period).
	Expected float64
}

// maxTrackPoints bounds the number of points Track returns.
const maxTrackPoints = 1 << 20

// Track returns the cumulative repeat purchases of the customers of
// Calibration over the calibration and holdout periods, actual and as the
// model expects them, every step units from the first purchase of the
// earliest customer, the last point at the end of the holdout period: the
// tracking plot of Fader, Hardie and Lee (2005, Figure 2). A customer
// whose first purchase was T before the calibration end is expected to
// have made m.ExpectedPurchasesNew(τ) repeat purchases τ after it; the
// actual purchases are those of Repeats.
//
// It returns an error wrapping ErrInvalidArgument for a step that is not a
// finite number > 0 or gives more than 2^20 points, for a model that is not
// valid, or for a Holdout whose parts do not line up, and ErrInvalidSummary
// for an impossible summary.
func (h Holdout) Track(m BGNBD, step float64) ([]TrackPoint, error) {
	if !(step > 0) || math.IsInf(step, 0) {
		return nil, argError("step", step, "a finite number > 0")
	}
	if err := m.Err(); err != nil {
		return nil, err
	}
	if err := h.check(); err != nil {
		return nil, err
	}
	if len(h.Calibration) == 0 {
		return nil, nil
	}
	// Cohorts: customers by T, the oldest first.
	ts := make([]float64, len(h.Calibration))
	for i, s := range h.Calibration {
		ts[i] = s.T
	}
	slices.Sort(ts)
	slices.Reverse(ts)
	var cohortT, cohortN []float64
	for _, t := range ts {
		if len(cohortT) > 0 && cohortT[len(cohortT)-1] == t {
			cohortN[len(cohortN)-1]++
			continue
		}
		cohortT = append(cohortT, t)
		cohortN = append(cohortN, 1)
	}
	origin := cohortT[0] // the earliest first purchase, before the calibration end
	end := origin + h.Length
	k := math.Ceil(end/step - 1e-9)
	if k > maxTrackPoints {
		return nil, argError("step", step, fmt.Sprintf("a step that gives at most %d points over %g units", maxTrackPoints, end))
	}
	n := max(int(k), 1)
	out := make([]TrackPoint, 0, n)
	j := 0 // repeats counted so far
	for i := 1; i <= n; i++ {
		tau := math.Min(float64(i)*step, end)
		// A repeat at time r (from the calibration end) is made by tau
		// when r + origin <= tau, with a little slack for rounding.
		slack := 1e-9 * math.Max(step, 1)
		for j < len(h.Repeats) && h.Repeats[j]+origin <= tau+slack {
			j++
		}
		var e float64
		for c, t := range cohortT {
			if age := tau - (origin - t); age > 0 {
				e += cohortN[c] * m.ExpectedPurchasesNew(age)
			}
		}
		out = append(out, TrackPoint{Time: tau, Holdout: tau > origin+slack, Actual: float64(j), Expected: e})
	}
	return out, nil
}
