package segment

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// The rules of Quality, one per kind of field: outliers of a number by the
// median absolute deviation, rare values of a category, implausible and
// outdated times.

// igConst is Iglewicz and Hoaglin's 0.6745, the third quartile of the
// standard normal, which makes the MAD of normal data estimate its standard
// deviation.
const igConst = 0.6745

// madStats is the median and the median absolute deviation of a numeric
// column's known values, exactly, in the field's units: the median is
// sum/2 and the MAD is dev/4, where sum is the sum of the two middle values
// (twice the middle value of an odd count) and dev the sum of the two
// middle deviations |2x − sum| (in the same doubled units).
type madStats struct {
	min, max int64
	sum, dev *big.Int
}

// medianMAD computes the madStats of the customers in known, which is not
// empty. The middle values come from one selection walk down the bit
// planes. The k-th smallest deviation is the smallest D with at least k+1
// values x such that |2x − sum| <= D, that is x in the range
// [⌈(sum−D)/2⌉, ⌊(sum+D)/2⌋]: a binary search over D counts one range per
// step, among the customers whose deviation lies in the interval still
// searched, a set that shrinks with every step.
func (c *column) medianMAD(known *roaring.Bitmap) madStats {
	n := known.GetCardinality()
	k0, k1 := (n-1)/2, n/2
	ranks := slices.Compact([]uint64{0, k0, k1, n - 1})
	vals := make([]int64, len(ranks))
	c.selectRanks(known, ranks, vals)
	at := func(r uint64) int64 { i, _ := slices.BinarySearch(ranks, r); return vals[i] }
	st := madStats{min: at(0), max: at(n - 1)}
	st.sum = new(big.Int).Add(big.NewInt(at(k0)), big.NewInt(at(k1)))

	// The largest deviation is that of min or max.
	top := new(big.Int).Sub(st.sum, big.NewInt(st.min))
	top.Sub(top, big.NewInt(st.min))
	if t := new(big.Int).Sub(big.NewInt(st.max), st.sum); t.Add(t, big.NewInt(st.max)).Cmp(top) > 0 {
		top = t
	}
	// The search keeps l <= h, count(h) > k0, count(l-1) = below <= k0 and
	// cand = the customers with a deviation in [l, h].
	l, h := new(big.Int), top
	cand, below := known, uint64(0)
	for l.Cmp(h) < 0 {
		m := new(big.Int).Add(l, h)
		m.Rsh(m, 1)
		lo, hi, ok := st.window(m)
		in := roaring.New()
		if ok {
			in = c.bsi.Range(cand, lo, hi)
		}
		if cnt := below + in.GetCardinality(); cnt > k0 {
			h, cand = m, in
		} else {
			l, below = m.Add(m, big.NewInt(1)), cnt
			cand = roaring.AndNot(cand, in)
		}
	}
	d0, d1 := l, l
	if below+cand.GetCardinality() <= k1 {
		// The next deviation: that of the nearest value outside the window
		// of d0, on either side.
		lo, hi, _ := st.window(d0)
		d1 = nil
		if hi < st.max {
			x := c.extremeOf(c.bsi.Range(known, hi+1, st.max), false)
			d1 = new(big.Int).Sub(big.NewInt(x), st.sum)
			d1.Add(d1, big.NewInt(x))
		}
		if lo > st.min {
			x := c.extremeOf(c.bsi.Range(known, st.min, lo-1), true)
			d := new(big.Int).Sub(st.sum, big.NewInt(x))
			if d.Sub(d, big.NewInt(x)); d1 == nil || d.Cmp(d1) < 0 {
				d1 = d
			}
		}
	}
	st.dev = new(big.Int).Add(d0, d1)
	return st
}

// window returns the values x with |2x − sum| <= d, [⌈(sum−d)/2⌉,
// ⌊(sum+d)/2⌋], clamped to [min, max], and false when it holds none.
func (st madStats) window(d *big.Int) (lo, hi int64, ok bool) {
	two := big.NewInt(2)
	a := new(big.Int).Sub(st.sum, d)
	a.Add(a, big.NewInt(1)).Div(a, two) // Div floors for a positive divisor
	z := new(big.Int).Add(st.sum, d)
	z.Div(z, two)
	if a.Cmp(big.NewInt(st.max)) > 0 || z.Cmp(big.NewInt(st.min)) < 0 {
		return 0, 0, false
	}
	return clampInt64(a, st.min, st.max), clampInt64(z, st.min, st.max), true
}

// extremeOf returns the largest value in set (not empty) when high, else
// the smallest.
func (c *column) extremeOf(set *roaring.Bitmap, high bool) int64 {
	var r uint64
	if high {
		r = set.GetCardinality() - 1
	}
	var v [1]int64
	c.selectRanks(set, []uint64{r}, v[:])
	return v[0]
}

// inliers returns the values x whose modified z-score is at most z:
// 0.6745·|x − sum/2| <= z·dev/4, that is |2x − sum| <= t with
// t = z·dev / (2·0.6745), or x in [⌈(sum−t)/2⌉, ⌊(sum+t)/2⌋], clamped to
// [min, max]. It also returns the exact bounds (sum∓t)/2.
func (st madStats) inliers(z float64) (lo, hi int64, loBound, hiBound *big.Rat) {
	t := new(big.Rat).SetFloat64(z)
	t.Mul(t, new(big.Rat).SetInt(st.dev))
	t.Quo(t, new(big.Rat).Mul(big.NewRat(2, 1), new(big.Rat).SetFloat64(igConst)))
	s := new(big.Rat).SetInt(st.sum)
	half := big.NewRat(1, 2)
	loBound = new(big.Rat).Sub(s, t)
	loBound.Mul(loBound, half)
	hiBound = new(big.Rat).Add(s, t)
	hiBound.Mul(hiBound, half)
	l := ratFloor(new(big.Rat).Neg(loBound))
	l.Neg(l) // ⌈x⌉ = −⌊−x⌋
	h := ratFloor(hiBound)
	return clampInt64(l, st.min, st.max), clampInt64(h, st.min, st.max), loBound, hiBound
}

func ratFloor(r *big.Rat) *big.Int {
	return new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: the floor, as Denom > 0
}

func clampInt64(x *big.Int, lo, hi int64) int64 {
	switch {
	case x.Cmp(big.NewInt(lo)) < 0:
		return lo
	case x.Cmp(big.NewInt(hi)) > 0:
		return hi
	}
	return x.Int64()
}

// outliers applies the modified z-score rule to an Int or Decimal column.
func (c *column) outliers(b *Base, o *qualityOptions) []Finding {
	z, ok := o.zOf[c.spec.name]
	if !ok {
		z = o.z
	}
	if math.IsInf(z, 1) {
		return nil
	}
	st := c.medianMAD(c.known)
	if st.dev.Sign() == 0 {
		return nil
	}
	lo, hi, loB, hiB := st.inliers(z)
	pow := new(big.Rat).SetFloat64(math.Pow10(c.spec.scale))
	// The median and MAD are quarters of a unit: printed in full. The
	// bounds are printed to 6 significant digits.
	num := func(r *big.Rat, prec int) string {
		f, _ := new(big.Rat).Quo(r, pow).Float64()
		if prec < 0 {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return strconv.FormatFloat(f, 'g', prec, 64)
	}
	median := num(new(big.Rat).SetFrac(st.sum, big.NewInt(2)), -1)
	mad := num(new(big.Rat).SetFrac(st.dev, big.NewInt(4)), -1)
	rule := func(side string, bound *big.Rat) string {
		return fmt.Sprintf("modified z-score 0.6745·|x − median|/MAD > %s (median %s, MAD %s): %s %s",
			strconv.FormatFloat(z, 'g', -1, 64), median, mad, side, num(bound, 6))
	}
	var out []Finding
	if lo > st.min {
		set := c.bsi.Range(c.known, st.min, lo-1)
		out = append(out, Finding{Kind: FindingOutlier, Rule: rule("below", loB),
			Count: set.GetCardinality(), Examples: c.extremes(b, set, o.examples, false)})
	}
	if hi < st.max {
		set := c.bsi.Range(c.known, hi+1, st.max)
		out = append(out, Finding{Kind: FindingOutlier, Rule: rule("above", hiB),
			Count: set.GetCardinality(), Examples: c.extremes(b, set, o.examples, true)})
	}
	return out
}

// extremes returns up to n customers of set (not empty, all with a value)
// with their values: the largest values first when high, else the
// smallest. Customers with equal values come in ID order.
func (c *column) extremes(b *Base, set *roaring.Bitmap, n int, high bool) []Flagged {
	var out []Flagged
	set = set.Clone()
	for len(out) < n && !set.IsEmpty() {
		v := c.extremeOf(set, high)
		ids := c.bsi.Range(set, v, v)
		out = b.appendFlagged(out, ids, n, c.flagValue(v))
		set.AndNot(ids)
	}
	return out
}

// appendFlagged appends the customers of ids, in ID order, with the value
// v, until out holds n.
func (b *Base) appendFlagged(out []Flagged, ids *roaring.Bitmap, n int, v any) []Flagged {
	it := ids.Iterator()
	for len(out) < n && it.HasNext() {
		if k, ok := b.Key(it.Next()); ok {
			out = append(out, Flagged{Key: k, Value: v})
		}
	}
	return out
}

// flagValue returns a stored value as the field reads it.
func (c *column) flagValue(v int64) any {
	switch c.spec.kind {
	case KindDecimal:
		return float64(v) / math.Pow10(c.spec.scale)
	case KindTime:
		return time.Unix(v, 0).UTC()
	case KindFlag:
		return v != 0
	}
	return v
}

// rareValues applies the rare-value rule to a Cat or Set column.
func (c *column) rareValues(b *Base, o *qualityOptions) []Finding {
	known := float64(c.known.GetCardinality())
	limit := o.rareShare * known
	var out []Finding
	var total uint64
	for i, bm := range c.bms {
		n := bm.GetCardinality()
		if n == 0 || n >= o.rareCount || float64(n) >= limit {
			continue
		}
		total += n
		out = append(out, Finding{Kind: FindingRare, Value: c.values[i], Count: n,
			Examples: b.appendFlagged(nil, bm, o.examples, c.values[i])})
	}
	if float64(total) >= limit {
		return nil // no frequent values to tell the rare ones from
	}
	rule := fmt.Sprintf("held by fewer than %d customers and by less than %s%% of the %d with a value",
		o.rareCount, strconv.FormatFloat(100*o.rareShare, 'g', 6, 64), c.known.GetCardinality())
	for i := range out {
		out[i].Rule = rule
	}
	slices.SortStableFunc(out, func(x, y Finding) int { return cmp.Compare(x.Count, y.Count) })
	return out
}

// implausibleDates applies the plausible window to a Time column.
func (c *column) implausibleDates(b *Base, o *qualityOptions, asOf time.Time) []Finding {
	from, to := asOf.AddDate(-defaultDateFloorY, 0, 0), asOf
	fromText := fmt.Sprintf("%s, %d years before asOf", formatDay(from), defaultDateFloorY)
	toText := "asOf " + formatDay(to)
	if w, ok := o.window[c.spec.name]; ok {
		from, to = w[0], w[1]
		fromText, toText = formatDay(from)+" (DateRange)", formatDay(to)+" (DateRange)"
	}
	var out []Finding
	if set := c.before(from); !set.IsEmpty() {
		out = append(out, Finding{Kind: FindingImplausibleDate, Rule: "before " + fromText,
			Count: set.GetCardinality(), Examples: c.extremes(b, set, o.examples, false)})
	}
	if s := to.Unix(); s < math.MaxInt64 {
		if set := c.bsi.Range(c.known, s+1, math.MaxInt64); !set.IsEmpty() {
			out = append(out, Finding{Kind: FindingImplausibleDate, Rule: "after " + toText,
				Count: set.GetCardinality(), Examples: c.extremes(b, set, o.examples, true)})
		}
	}
	return out
}

// outdated returns the values of a Time column strictly before asOf − d.
func (c *column) outdated(b *Base, o *qualityOptions, asOf time.Time, d time.Duration) Finding {
	cut := asOf.Add(-d)
	set := c.before(cut)
	return Finding{Kind: FindingOutdated,
		Rule:  fmt.Sprintf("before %s, older than %s as of %s (MaxAge)", formatDay(cut), formatAge(d), formatDay(asOf)),
		Count: set.GetCardinality(), Examples: c.extremes(b, set, o.examples, false)}
}

// before returns the known customers whose stored time (whole seconds) is
// strictly before t.
func (c *column) before(t time.Time) *roaring.Bitmap {
	s := t.Unix() // the floor of t in seconds
	if t.Nanosecond() == 0 {
		if s == math.MinInt64 {
			return roaring.New()
		}
		s-- // strictly before a whole second
	}
	return c.bsi.Range(c.known, math.MinInt64, s)
}

// formatAge prints a max age in days when it is whole days ("90 days"),
// else as time.Duration does.
func formatAge(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d == day:
		return "1 day"
	case d > 0 && d%day == 0:
		return fmt.Sprintf("%d days", d/day)
	}
	return d.String()
}

// formatDay prints a time as 2006-01-02 when it is midnight UTC, else as
// RFC 3339.
func formatDay(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format(time.DateOnly)
	}
	return formatTime(t)
}
