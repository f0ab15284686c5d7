package score

import "fmt"

// Quintiles is the customary number of RFM score levels.
const Quintiles = 5

// RFM holds a customer's recency, frequency and monetary scores, each
// 1..n, where n is the number of levels given to RFMScores; higher is better
// on all three.
type RFM struct {
	Key     string
	R, F, M int
}

// Code returns the RFM cell code: 100·R + 10·F + M, so 555 is the best
// cell of quintile scores.
func (r RFM) Code() int { return 100*r.R + 10*r.F + r.M }

// RFMScores scores every customer 1..n on recency, frequency and monetary
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
func RFMScores(s []Summary, n int) ([]RFM, error) {
	if n < 2 || n > 9 {
		return nil, argError("RFMScores: n", n, "a number of levels in [2, 9]")
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

// The named RFM segments: the customary map of recency by frequency
// quintile scores (1..5). The cells partition the 5×5 grid, so every
// customer with quintile scores is in exactly one segment; scores outside
// 1..5 (other numbers of levels) give Other. M is not used: refine a
// segment with it, as in "champions with M >= 4".
//
//	segment              R     F     who
//	Champions            5     4–5   bought very recently and often
//	Loyal                3–4   4–5   buy often, fairly recently
//	PotentialLoyalists   4–5   2–3   recent, a few purchases
//	New                  5     1     bought very recently, once
//	Promising            4     1     bought recently, once
//	NeedAttention        3     3     middling recency and frequency
//	AboutToSleep         3     1–2   middling recency, rarely
//	AtRisk               1–2   3–4   bought often, long ago
//	CantLose             1–2   5     bought most often, long ago
//	Hibernating          1–2   1–2   long ago and rarely (but not Lost)
//	Lost                 1     1     longest ago and least often
const (
	Other RFMSegment = iota
	Champions
	Loyal
	PotentialLoyalists
	New
	Promising
	NeedAttention
	AboutToSleep
	AtRisk
	CantLose
	Hibernating
	Lost
)

// rfmBox is a rectangle of R and F scores.
type rfmBox struct{ rLo, rHi, fLo, fHi int }

// rfmCells lists each named segment's cells as boxes, in table order.
var rfmCells = [...]struct {
	seg   RFMSegment
	boxes []rfmBox
}{
	{Champions, []rfmBox{{5, 5, 4, 5}}},
	{Loyal, []rfmBox{{3, 4, 4, 5}}},
	{PotentialLoyalists, []rfmBox{{4, 5, 2, 3}}},
	{New, []rfmBox{{5, 5, 1, 1}}},
	{Promising, []rfmBox{{4, 4, 1, 1}}},
	{NeedAttention, []rfmBox{{3, 3, 3, 3}}},
	{AboutToSleep, []rfmBox{{3, 3, 1, 2}}},
	{AtRisk, []rfmBox{{1, 2, 3, 4}}},
	{CantLose, []rfmBox{{1, 2, 5, 5}}},
	{Hibernating, []rfmBox{{2, 2, 1, 2}, {1, 1, 2, 2}}},
	{Lost, []rfmBox{{1, 1, 1, 1}}},
}

var rfmNames = [...]string{
	Other:              "other",
	Champions:          "champions",
	Loyal:              "loyal",
	PotentialLoyalists: "potential loyalists",
	New:                "new",
	Promising:          "promising",
	NeedAttention:      "need attention",
	AboutToSleep:       "about to sleep",
	AtRisk:             "at risk",
	CantLose:           "can't lose",
	Hibernating:        "hibernating",
	Lost:               "lost",
}

// String returns the segment's name, such as "champions" or "can't lose".
func (g RFMSegment) String() string {
	if int(g) < len(rfmNames) {
		return rfmNames[g]
	}
	return fmt.Sprintf("RFMSegment(%d)", uint8(g))
}

// RFMSegments returns the named segments in table order, Other excluded.
func RFMSegments() []RFMSegment {
	out := make([]RFMSegment, len(rfmCells))
	for i, c := range rfmCells {
		out[i] = c.seg
	}
	return out
}

// Segment returns the named segment of quintile scores (see RFMSegment).
func (r RFM) Segment() RFMSegment {
	for _, c := range rfmCells {
		for _, b := range c.boxes {
			if r.R >= b.rLo && r.R <= b.rHi && r.F >= b.fLo && r.F <= b.fHi {
				return c.seg
			}
		}
	}
	return Other
}
