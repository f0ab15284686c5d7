package score

import "fmt"

// Quintiles is the customary number of RFM score levels.
const Quintiles = 5

// RFM holds a customer's recency, frequency and monetary scores, each
// 1..n, where n is the number of levels given to ScoreRFM; higher is better
// on all three.
type RFM struct {
	Key     string
	R, F, M int
}

// Code returns the RFM cell code: 100·R + 10·F + M, so 555 is the best
// cell of quintile scores.
func (r RFM) Code() int { return 100*r.R + 10*r.F + r.M }

// ScoreRFM scores every customer 1..n on recency, frequency and monetary
// value, from the distribution of the summaries given (n = Quintiles is
// customary; n must be in [2, 9] so that Code has one digit per score):
//
//   - R ranks the time since the last purchase, T - Recency, so that the
//     most recent buyers score highest;
//   - F ranks Frequency, the number of repeat purchases;
//   - M ranks Revenue, the total spent.
//
// Ties: a score is 1 + floor(n · below / len(s)), where below counts the
// customers with a strictly worse value, so equal values always share a
// score, the result does not depend on the input order, and a value held by
// many customers can leave some levels empty. It returns an error wrapping
// ErrInvalidArgument for n out of range, or ErrInvalidSummary.
func ScoreRFM(s []Summary, n int) ([]RFM, error) {
	if n < 2 || n > 9 {
		return nil, argError("ScoreRFM: n", n, "a number of levels in [2, 9]")
	}
	rv := make([]float64, len(s))
	fv := make([]float64, len(s))
	mv := make([]float64, len(s))
	for i, c := range s {
		if err := c.check(); err != nil {
			return nil, err
		}
		if badNumber(c.Revenue) {
			return nil, fmt.Errorf("score: summary %q: field Revenue: value %v, want a finite number >= 0: %w", c.Key, c.Revenue, ErrInvalidSummary)
		}
		rv[i] = -(c.T - c.Recency)
		fv[i] = float64(c.Frequency)
		mv[i] = c.Revenue
	}
	r, f, m := rankScores(rv, n), rankScores(fv, n), rankScores(mv, n)
	out := make([]RFM, len(s))
	for i, c := range s {
		out[i] = RFM{Key: c.Key, R: r[i], F: f[i], M: m[i]}
	}
	return out, nil
}

// RFMSegment is one of the customary named RFM segments.
type RFMSegment uint8

// The named RFM segments, defined on quintile scores (1..5) by the ranges
// below. A customer belongs to the first segment in this order whose ranges
// hold all three scores; one that matches none is Other.
//
//	segment              R     F     M     who
//	Champions            4–5   4–5   4–5   bought recently, buy often, spend the most
//	Loyal                2–5   3–5   3–5   buy often and spend well
//	New                  4–5   1     1     bought recently, once, little
//	Promising            3–4   1     1     fairly recent, once, little
//	PotentialLoyalists   3–5   1–3   1–3   recent, a few purchases
//	NeedAttention        2–3   2–3   2–3   middling on all three
//	AboutToSleep         2–3   1–2   1–2   below average, slipping away
//	CantLose             1     4–5   4–5   were among the best, gone longest
//	AtRisk               1–2   2–5   2–5   bought often and well, long ago
//	Lost                 1     1–2   1–2   lowest on all three
//	Hibernating          1–2   1–2   1–2   long ago, rarely, little
const (
	Other RFMSegment = iota
	Champions
	Loyal
	New
	Promising
	PotentialLoyalists
	NeedAttention
	AboutToSleep
	CantLose
	AtRisk
	Lost
	Hibernating
)

// rfmRanges lists each named segment's score ranges, in precedence order.
var rfmRanges = [...]struct {
	seg                          RFMSegment
	rLo, rHi, fLo, fHi, mLo, mHi int
}{
	{Champions, 4, 5, 4, 5, 4, 5},
	{Loyal, 2, 5, 3, 5, 3, 5},
	{New, 4, 5, 1, 1, 1, 1},
	{Promising, 3, 4, 1, 1, 1, 1},
	{PotentialLoyalists, 3, 5, 1, 3, 1, 3},
	{NeedAttention, 2, 3, 2, 3, 2, 3},
	{AboutToSleep, 2, 3, 1, 2, 1, 2},
	{CantLose, 1, 1, 4, 5, 4, 5},
	{AtRisk, 1, 2, 2, 5, 2, 5},
	{Lost, 1, 1, 1, 2, 1, 2},
	{Hibernating, 1, 2, 1, 2, 1, 2},
}

var rfmNames = [...]string{
	Other:              "other",
	Champions:          "champions",
	Loyal:              "loyal",
	New:                "new",
	Promising:          "promising",
	PotentialLoyalists: "potential loyalists",
	NeedAttention:      "need attention",
	AboutToSleep:       "about to sleep",
	CantLose:           "can't lose",
	AtRisk:             "at risk",
	Lost:               "lost",
	Hibernating:        "hibernating",
}

// String returns the segment's name, such as "champions" or "can't lose".
func (g RFMSegment) String() string {
	if int(g) < len(rfmNames) {
		return rfmNames[g]
	}
	return fmt.Sprintf("RFMSegment(%d)", uint8(g))
}

// RFMSegments returns the named segments in precedence order, Other
// excluded.
func RFMSegments() []RFMSegment {
	out := make([]RFMSegment, len(rfmRanges))
	for i, r := range rfmRanges {
		out[i] = r.seg
	}
	return out
}

// Segment returns the named segment of quintile scores (see RFMSegment).
func (r RFM) Segment() RFMSegment {
	in := func(v, lo, hi int) bool { return v >= lo && v <= hi }
	for _, g := range rfmRanges {
		if in(r.R, g.rLo, g.rHi) && in(r.F, g.fLo, g.fHi) && in(r.M, g.mLo, g.mHi) {
			return g.seg
		}
	}
	return Other
}
