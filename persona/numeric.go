package persona

import (
	"math"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Range is the value (Trait.Raw, Weight.Raw) of a numeric trait: the closed
// range [Lo, Hi] of an Int, Decimal or Time field, in the units of
// segment.Base.NumberStats (a Decimal's value at its scale, a Time's Unix
// seconds). Lo and Hi are values the field can hold: integers for an Int,
// whole units of the scale for a Decimal, whole seconds for a Time.
type Range struct{ Lo, Hi float64 }

// numField is an Int, Decimal or Time field seen in whole units: an Int's
// value, a Decimal's count of 10^-scale units, a Time's Unix seconds. Band
// edges and ranges are computed in units, so that an Int's bands have
// integer edges and every range is a closed range of held values.
type numField struct {
	f     segment.Field
	kind  segment.Kind
	scale int
	pow   float64 // 10^scale for a Decimal, else 1
}

func newNumField(base *segment.Base, fi segment.FieldInfo) numField {
	n := numField{f: declared(base, fi.Name), kind: fi.Kind, pow: 1}
	if fi.Kind == segment.KindDecimal {
		n.scale = fi.Scale
		n.pow = math.Pow10(fi.Scale)
	}
	return n
}

// ceilUnits returns the smallest whole unit >= x, x in NumberStats units
// (a quantile, which may fall between two held values). A Decimal's x is
// units/10^scale rounded to a float64, so a product within a millionth of
// a unit of an integer is that integer.
func (n numField) ceilUnits(x float64) int64 {
	u := x * n.pow
	if r := math.Round(u); math.Abs(u-r) <= 1e-6*math.Max(1, math.Abs(r)) {
		u = r
	}
	return clampUnits(math.Ceil(u))
}

// units returns the whole unit nearest x: x is a held value (a minimum or a
// maximum).
func (n numField) units(x float64) int64 { return clampUnits(math.Round(x * n.pow)) }

func clampUnits(u float64) int64 {
	switch {
	case u >= math.MaxInt64:
		return math.MaxInt64
	case u <= math.MinInt64:
		return math.MinInt64
	}
	return int64(u)
}

// value returns units in NumberStats units.
func (n numField) value(u int64) float64 {
	if n.kind == segment.KindDecimal {
		return float64(u) / n.pow
	}
	return float64(u)
}

// between returns the predicate "lo <= value <= hi", lo and hi in units.
func (n numField) between(lo, hi int64) segment.Pred {
	switch f := n.f.(type) {
	case segment.Int:
		return f.Between(lo, hi)
	case segment.Decimal:
		return f.Between(n.value(lo), n.value(hi))
	case segment.Time:
		return f.Between(time.Unix(lo, 0), time.Unix(hi, 0))
	}
	return segment.None()
}

// atLeast returns the predicate "value >= u", u in units.
func (n numField) atLeast(u int64) segment.Pred {
	switch f := n.f.(type) {
	case segment.Int:
		return f.Ge(u)
	case segment.Decimal:
		return f.Ge(n.value(u))
	case segment.Time:
		if u == math.MinInt64 {
			return f.Known()
		}
		return f.After(time.Unix(u-1, 0)) // stored seconds: > u-1 is >= u
	}
	return segment.None()
}

// formatRange writes the range [lo, hi] in units as a person writes it:
// "70-99", "1,000.00-1,999.99", "2026-10-26 to 2026-11-25", a single value
// when lo == hi, "to" when a bound is negative.
func (n numField) formatRange(lo, hi int64) string {
	a, b := formatUnits(n.kind, n.scale, lo), formatUnits(n.kind, n.scale, hi)
	switch {
	case a == b:
		return a
	case n.kind == segment.KindTime || lo < 0 || hi < 0:
		return a + " to " + b
	}
	return a + "-" + b
}

func (n numField) rangeOf(lo, hi int64) Range { return Range{n.value(lo), n.value(hi)} }

// cutQuantiles are the quantiles of the members and of the reference whose
// values cut a numeric field into candidate bands for its range trait:
// every 1/cutSteps, the minimum and the maximum included.
var cutQuantiles = func() []float64 {
	qs := make([]float64, cutSteps+1)
	for i := range qs {
		qs[i] = float64(i) / cutSteps
	}
	return qs
}()

// cutSteps is how finely the quantiles of the members and of the
// reference cut a numeric field: deciles. Each cut costs one range
// predicate over the base.
const cutSteps = 10

// rangeCuts returns the sorted distinct band starts in units: the
// cutQuantiles of the members and of the reference, rounded up to whole
// units, and the unit after the members' largest value; and the largest
// value of either (in units) as hiU. ok is false
// when neither has a value.
func (n numField) rangeCuts(mq, rq segment.NumberStats) (cuts []int64, hiU int64, ok bool) {
	hiU = math.MinInt64
	for _, st := range []segment.NumberStats{mq, rq} {
		if st.Count == 0 {
			continue
		}
		ok = true
		for _, q := range st.Quantiles {
			cuts = append(cuts, n.ceilUnits(q))
		}
		hiU = max(hiU, n.units(st.Max))
	}
	// A band ends at the members' largest value, so that the range can
	// stop there.
	if mq.Count > 0 {
		if end := n.units(mq.Max); end < hiU {
			cuts = append(cuts, end+1)
		}
	}
	slices.Sort(cuts)
	return slices.Compact(cuts), hiU, ok
}

// bestRange returns the interval of consecutive bands i..j (band i is
// [cuts[i], cuts[i+1]-1], the last band ends at hiU) where the members'
// share most exceeds the reference's: the largest mc/M − rc/R, where
// atLeastM[i] and atLeastR[i] count the members and reference customers
// with a value >= cuts[i]. Ties go to the lower i, then the lower j. ok is
// false when no interval has a positive excess.
func bestRange(cuts []int64, hiU int64, atLeastM, atLeastR []uint64, M, R uint64) (lo, hi int64, ok bool) {
	k := len(cuts)
	at := func(c []uint64, i int) uint64 {
		if i >= k {
			return 0
		}
		return c[i]
	}
	best := 0.0
	for i := range k {
		for j := i; j < k; j++ {
			mc := at(atLeastM, i) - at(atLeastM, j+1)
			rc := at(atLeastR, i) - at(atLeastR, j+1)
			if d := excess(mc, M, rc, R); d > best {
				best, lo, ok = d, cuts[i], true
				hi = hiU
				if j+1 < k {
					hi = cuts[j+1] - 1
				}
			}
		}
	}
	return lo, hi, ok
}

// excess is how much larger the members' share is than the reference's.
func excess(mc, M, rc, R uint64) float64 { return ratio(mc, M) - ratio(rc, R) }

// rangeTrait finds the range of a numeric field where the members
// over-index most against the reference (see Describe), as a trait. ref nil
// is every live customer; m and ref hold live customers only; mq and rq are
// the members' and reference's cutQuantiles.
func rangeTrait(base *segment.Base, name string, n numField, m, ref *roaring.Bitmap, M, R uint64, mq, rq segment.NumberStats) (Trait, bool) {
	if M == 0 || R == 0 || mq.Count == 0 {
		return Trait{}, false
	}
	cuts, hiU, ok := n.rangeCuts(mq, rq)
	if !ok {
		return Trait{}, false
	}
	am, ar := make([]uint64, len(cuts)), make([]uint64, len(cuts))
	for i, c := range cuts {
		ge := base.Eval(n.atLeast(c))
		am[i], ar[i] = ge.AndCardinality(m), countIn(ge, ref)
	}
	lo, hi, ok := bestRange(cuts, hiU, am, ar, M, R)
	if !ok {
		return Trait{}, false
	}
	// Narrow the range to the members' values in it: the members stay, the
	// reference can only lose customers, so the excess can only grow. Then
	// widen it to the roundest bounds that take in no other value of the
	// members or the reference: the same customers, as a person writes it.
	in := base.Eval(n.between(lo, hi))
	in.And(m)
	st, _ := base.NumberStats(n.f, in)
	lo, hi = n.units(st.Min), n.units(st.Max)
	prev, next, hasPrev, hasNext := n.neighbours(base, m, ref, lo, hi)
	lo, hi = n.widen(lo, hi, prev, next, hasPrev, hasNext)
	in = base.Eval(n.between(lo, hi))
	t := newTrait(name, n.rangeOf(lo, hi), in.AndCardinality(m), M, countIn(in, ref), R)
	t.Value = n.formatRange(lo, hi)
	return t, true
}

// neighbours returns the largest value below lo and the smallest above hi
// held by a member or a reference customer, in units, with whether there is
// one.
func (n numField) neighbours(base *segment.Base, m, ref *roaring.Bitmap, lo, hi int64) (prev, next int64, hasPrev, hasNext bool) {
	all := base.Live()
	if ref != nil {
		all = roaring.Or(m, ref)
	}
	below := roaring.AndNot(all, base.Eval(n.atLeast(lo)))
	if st, _ := base.NumberStats(n.f, below); st.Count > 0 {
		prev, hasPrev = n.units(st.Max), true
	}
	if hi < math.MaxInt64 {
		above := base.Eval(n.atLeast(hi + 1))
		above.And(all)
		if st, _ := base.NumberStats(n.f, above); st.Count > 0 {
			next, hasNext = n.units(st.Min), true
		}
	}
	return prev, next, hasPrev, hasNext
}

// widen returns the roundest range [lo', hi'] with prev < lo' <= lo and
// hi <= hi' < next, in units: "70-99" for the held values 71 to 99 when
// nobody holds 70, "25-34" rather than "26-34", a Time from the start of a
// UTC day to the end of one. Roundness is a multiple of 5, 10, 50, 100, ...
// units (of a minute, an hour, a day for a Time) for lo', and the same for
// hi'+1 (the range "70-99" ends below 100). An end with no neighbour (the
// smallest or largest value held) stays.
func (n numField) widen(lo, hi, prev, next int64, hasPrev, hasNext bool) (int64, int64) {
	steps := []int64{60, 3600, 86400}
	if n.kind != segment.KindTime {
		steps = steps[:0]
		for p := int64(1); p <= 1e17; p *= 10 {
			steps = append(steps, 5*p, 10*p)
		}
	}
	if hasPrev {
		for _, p := range steps {
			q := floorDiv(lo, p)
			if q < math.MinInt64/p || q*p <= prev {
				break
			}
			lo = q * p
		}
	}
	if hasNext {
		h := hi
		for _, p := range steps {
			q := floorDiv(h, p) + 1 // (q·p) is the smallest multiple of p above h
			if q > math.MaxInt64/p || q*p-1 >= next {
				break
			}
			hi = q*p - 1
		}
	}
	return lo, hi
}

// floorDiv is a/b rounded toward −∞, b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// quantileBands cuts a numeric field at the base's k-quantiles, rounded up
// to whole units: closed bands [lo, hi] in units, fewer than k when
// quantiles coincide, the first starting at the smallest value and the last
// ending at the largest. It returns nil for k < 2 or a field no live
// customer has.
func (n numField) quantileBands(base *segment.Base, k int) [][2]int64 {
	if k < 2 {
		return nil
	}
	qs := make([]float64, k+1)
	for i := range qs {
		qs[i] = float64(i) / float64(k)
	}
	st, _ := base.NumberStats(n.f, nil, qs...)
	if st.Count == 0 {
		return nil
	}
	cuts := make([]int64, len(st.Quantiles)-1)
	for i, q := range st.Quantiles[:k] {
		cuts[i] = n.ceilUnits(q)
	}
	cuts = slices.Compact(cuts)
	hiU := n.units(st.Max)
	out := make([][2]int64, len(cuts))
	for i, c := range cuts {
		out[i] = [2]int64{c, hiU}
		if i+1 < len(cuts) {
			out[i][1] = cuts[i+1] - 1
		}
	}
	return out
}
