package segment

import (
	"math"
	"math/big"
	"reflect"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// Aggregation primitives: counts, sums and order statistics of a field over
// a set of members, computed from the field's bitmaps and bit-sliced index
// with a few bitmap operations per distinct value or per bit plane, never one
// step per member. Package persona builds its profiles on them.
//
// Every method takes members as a bitmap of customer IDs. IDs that are not
// live customers of the base are ignored (members is intersected with Live
// first), and a nil members bitmap stands for every live customer.

// ValueCount is one value of a Cat, Set or Flag field with the number of
// members that have it.
type ValueCount struct {
	Value any    // the value: a V of Cat[V] or Set[V], a bool for a Flag
	Count uint64 // members with the value; may be 0
}

// ValueCounts returns, for the Cat, Set or Flag field f, every value that at
// least one live customer of the base holds, with the number of members
// holding it. Values come in the order of Values (first seen first); Flag
// values come as false, then true. Values no member holds are listed with
// Count 0, so that two calls with different members line up entry by
// entry. It returns nil for a field the base does not have (or has with
// another kind or value type) and for other kinds.
func (b *Base) ValueCounts(f Field, members *roaring.Bitmap) []ValueCount {
	c := b.colOf(f)
	if c == nil {
		return nil
	}
	m := b.members(members)
	all := m == b.live
	switch {
	case c.bitmapKind():
		var out []ValueCount
		mode, modeCard := -1, uint64(0)
		for i, bm := range c.bms {
			if bm.IsEmpty() {
				continue
			}
			if card := bm.GetCardinality(); c.spec.kind == KindCat && !all && card > modeCard {
				mode, modeCard = len(out), card
			}
			out = append(out, ValueCount{Value: c.values[i]})
		}
		// A Cat customer has one value: the largest value's count is the
		// known members minus the other values' counts, one intersection
		// saved where it costs the most.
		// A small member set is counted through its complement: |v ∩ m| =
		// |v| − |v ∩ ¬m|. ¬m is dense, so each container of v is checked
		// against a bitset (a bit test per value, or a popcount of words)
		// instead of being merged with m's sorted arrays value by value.
		count := func(bm *roaring.Bitmap) uint64 { return countIn(bm, m, all) }
		if n := uint64(b.IDCount()); !all && m.GetCardinality()*16 < n {
			comp := roaring.Flip(m, 0, n)
			count = func(bm *roaring.Bitmap) uint64 { return bm.GetCardinality() - bm.AndCardinality(comp) }
		}
		var rest uint64
		j := 0
		for _, bm := range c.bms {
			if bm.IsEmpty() {
				continue
			}
			if j != mode {
				out[j].Count = count(bm)
				rest += out[j].Count
			}
			j++
		}
		if mode >= 0 {
			out[mode].Count = c.known.AndCardinality(m) - rest
		}
		return out
	case c.spec.kind == KindFlag:
		// Flags are 0/1 in a bit-sliced index: the trues are the known
		// customers in plane 0, or all of them when every value is 1.
		trues := func(within *roaring.Bitmap) uint64 {
			switch {
			case c.bsi.Offset == 1:
				return within.GetCardinality()
			case len(c.bsi.Planes) == 0:
				return 0
			}
			return within.AndCardinality(c.bsi.Planes[0])
		}
		known, baseTrue := c.known.GetCardinality(), trues(c.known)
		within := c.known
		if !all {
			within = roaring.And(c.known, m)
		}
		n, t := within.GetCardinality(), trues(within)
		var out []ValueCount
		if baseTrue < known {
			out = append(out, ValueCount{Value: false, Count: n - t})
		}
		if baseTrue > 0 {
			out = append(out, ValueCount{Value: true, Count: t})
		}
		return out
	}
	return nil
}

// KnownCount returns the number of members that have a value for the field
// f (for a Set field: at least one value), and whether the base has f (with
// its kind and value type): the count of b.Eval(f.Known()) among members,
// without making it.
func (b *Base) KnownCount(f Field, members *roaring.Bitmap) (uint64, bool) {
	c := b.colOf(f)
	if c == nil {
		return 0, false
	}
	m := b.members(members)
	return countIn(c.known, m, m == b.live), true
}

// countIn returns |bm ∩ m|; all says that m is the live set, which holds
// every customer of a field bitmap.
func countIn(bm, m *roaring.Bitmap, all bool) uint64 {
	if all {
		return bm.GetCardinality()
	}
	return bm.AndCardinality(m)
}

// ValueBitmap returns a new bitmap of the live customers whose value of the
// Cat, Set or Flag field f is value: a V for Cat[V] and Set[V], a bool for
// a Flag. It serves code that handles fields of any value type, such as a
// handle from Declared; with a typed handle, Eval(f.Eq(v)) or
// Eval(f.Has(v)) says the same. It returns an empty bitmap for a field the
// base does not have, another kind, a value of another type, a value nobody
// has, and a value that == cannot compare (a slice or map).
func (b *Base) ValueBitmap(f Field, value any) *roaring.Bitmap {
	c := b.colOf(f)
	switch {
	case c == nil:
	case c.bitmapKind():
		if value != nil && !reflect.ValueOf(value).Comparable() {
			return roaring.New() // == would panic: nobody holds such a value
		}
		if k, ok := c.codes[value]; ok {
			return c.bms[k].Clone()
		}
	case c.spec.kind == KindFlag:
		if v, ok := value.(bool); ok {
			return c.flagBitmap(v)
		}
	}
	return roaring.New()
}

// colOf returns the column of f, or nil when the base has no field of f's
// name, kind and value type.
func (b *Base) colOf(f Field) *column {
	if f == nil {
		return nil
	}
	s := f.spec()
	c := b.col(s.name)
	if c == nil || !c.spec.sameAs(s) {
		return nil
	}
	return c
}

func (c *column) flagBitmap(v bool) *roaring.Bitmap {
	var n int64
	if v {
		n = 1
	}
	return c.bsi.Range(c.known, n, n)
}

// NumberStats summarizes a numeric field over a set of members. Values are
// reported as float64: Int values as they are, Decimal values scaled to
// their decimal places (1234 units at scale 2 is 12.34), Time values as Unix
// seconds and Flag values as 0 or 1. With Count 0 every number is 0 and
// Quantiles holds zeros.
type NumberStats struct {
	Count     uint64    // members with a value
	Missing   uint64    // members without one
	Sum       float64   // sum of the values, exact before rounding to float64
	Mean      float64   // Sum / Count
	Min, Max  float64   // smallest and largest value
	Quantiles []float64 // one per requested quantile, in the order requested
}

// NumberStats returns the count, missing count, sum, mean, min, max and the
// requested quantiles of the Int, Decimal, Time or Flag field f over
// members, and false for a field the base does not have (or has with
// another kind) and for other kinds.
//
// The quantile q (clamped to [0, 1]) is the linear interpolation between
// order statistics that R calls type 7 and NumPy calls "linear": with the n
// known values sorted as x[0] <= ... <= x[n-1], h = (n-1)·q, and the
// quantile is x[⌊h⌋] + (h-⌊h⌋)·(x[⌊h⌋+1]-x[⌊h⌋]). So the median of an even
// count is the mean of the middle two values. Order statistics come from the
// bit-sliced index: all requested ranks are selected in one walk down the
// bit planes, splitting the candidates at each plane, so the work is a few
// bitmap operations per plane and distinct rank, not one per member.
func (b *Base) NumberStats(f Field, members *roaring.Bitmap, quantiles ...float64) (NumberStats, bool) {
	c := b.colOf(f)
	if c == nil || c.bitmapKind() {
		return NumberStats{}, false
	}
	m := b.members(members)
	within := c.known // the live set holds every known customer
	if m != b.live {
		within = roaring.And(m, c.known)
	}
	n := within.GetCardinality()
	st := NumberStats{Count: n, Missing: m.GetCardinality() - n, Quantiles: make([]float64, len(quantiles))}
	if n == 0 {
		return st, true
	}
	pow := math.Pow10(c.spec.scale)
	sum := new(big.Float).SetInt(c.bsi.Sum(within))
	st.Sum, _ = new(big.Float).Quo(sum, big.NewFloat(pow)).Float64()
	mean := new(big.Float).Quo(sum, new(big.Float).SetUint64(n))
	st.Mean, _ = mean.Quo(mean, big.NewFloat(pow)).Float64()

	// The ranks to select: 0, n-1 and the two around each quantile.
	ranks := []uint64{0, n - 1}
	type at struct {
		lo   uint64
		frac float64
	}
	pos := make([]at, len(quantiles))
	for i, q := range quantiles {
		if math.IsNaN(q) {
			q = 0
		}
		h := float64(n-1) * min(max(q, 0), 1)
		lo := uint64(math.Floor(h))
		if lo > n-1 {
			lo = n - 1
		}
		pos[i] = at{lo, h - float64(lo)}
		ranks = append(ranks, lo, min(lo+1, n-1))
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	vals := make([]int64, len(ranks))
	c.selectRanks(within, ranks, vals)
	val := func(r uint64) float64 {
		i, _ := slices.BinarySearch(ranks, r)
		return float64(vals[i]) / pow
	}
	st.Min, st.Max = val(0), val(n-1)
	for i, p := range pos {
		x := val(p.lo)
		if p.frac > 0 {
			x += p.frac * (val(p.lo+1) - x)
		}
		st.Quantiles[i] = x
	}
	return st, true
}

// selectRanks sets vals[i] to the ranks[i]-th smallest value among within
// (ranks sorted, unique, each < |within|). It walks the planes from the top
// like bsi.Select, but splits the candidates between the ranks that fall
// among the zeros and the ones of each plane, so ranks that share a prefix
// share the bitmap work.
func (c *column) selectRanks(within *roaring.Bitmap, ranks []uint64, vals []int64) {
	planes := c.bsi.Planes
	var walk func(cand *roaring.Bitmap, plane int, base uint64, prefix uint64, ranks []uint64, vals []int64)
	walk = func(cand *roaring.Bitmap, plane int, base uint64, prefix uint64, ranks []uint64, vals []int64) {
		if plane < 0 {
			for i := range vals {
				vals[i] = c.bsi.Offset + int64(prefix)
			}
			return
		}
		p := planes[plane]
		n := cand.GetCardinality()
		zeros := n - cand.AndCardinality(p)
		split, _ := slices.BinarySearch(ranks, base+zeros)
		switch {
		case split == len(ranks): // every rank among the zeros
			cand.AndNot(p)
			walk(cand, plane-1, base, prefix, ranks, vals)
		case split == 0: // every rank among the ones
			cand.And(p)
			walk(cand, plane-1, base+zeros, prefix|1<<plane, ranks, vals)
		default:
			ones := roaring.And(cand, p)
			cand.AndNot(p)
			walk(cand, plane-1, base, prefix, ranks[:split], vals[:split])
			walk(ones, plane-1, base+zeros, prefix|1<<plane, ranks[split:], vals[split:])
		}
	}
	walk(within.Clone(), len(planes)-1, 0, 0, ranks, vals)
}

// members returns members ∩ Live as a bitmap the caller may read but not
// modify (the live set itself when members is nil).
func (b *Base) members(members *roaring.Bitmap) *roaring.Bitmap {
	if members == nil {
		return b.live
	}
	return roaring.And(members, b.live)
}

// Counted is one value of a Cat[V] or Set[V] field with the number of
// members that hold it: ValueCount with the value typed.
type Counted[V comparable] struct {
	Value V
	Count uint64
}

// Counts returns the values of f that some live customer of b holds, with
// the number of members holding each, typed: b.ValueCounts(f, members) with
// V values. A nil members stands for every live customer.
func (f Cat[V]) Counts(b *Base, members *roaring.Bitmap) []Counted[V] {
	return typedCounts[V](b.ValueCounts(f, members))
}

// Counts returns the values of f that some live customer of b holds, with
// the number of members holding each (a member counts once under each of
// its values), typed: b.ValueCounts(f, members) with V values. A nil
// members stands for every live customer.
func (f Set[V]) Counts(b *Base, members *roaring.Bitmap) []Counted[V] {
	return typedCounts[V](b.ValueCounts(f, members))
}

func typedCounts[V comparable](vcs []ValueCount) []Counted[V] {
	if vcs == nil {
		return nil
	}
	out := make([]Counted[V], len(vcs))
	for i, vc := range vcs {
		out[i] = Counted[V]{Value: vc.Value.(V), Count: vc.Count}
	}
	return out
}
