package benchmarks

import (
	"math/bits"

	"github.com/weaviate/sroar"
)

// Sroar is engine (e): github.com/weaviate/sroar, the serialized roaring
// bitmaps behind Weaviate's filters. One bitmap per value; age, income,
// purchases and last day are bit-sliced over sroar bitmaps and compared
// with O'Neil's algorithm (as Weaviate's range index does), since sroar has
// no BSI of its own.
type Sroar struct {
	all                          *sroar.Bitmap
	country                      [NumCountries]*sroar.Bitmap
	gender                       [NumGenders]*sroar.Bitmap
	bought                       [NumCategories]*sroar.Bitmap
	active                       *sroar.Bitmap
	age, income, purchases, last sroarBSI
}

// sroarBSI is a bit-sliced index of non-negative values on sroar bitmaps.
type sroarBSI struct {
	exist  *sroar.Bitmap
	planes []*sroar.Bitmap
}

func newSroarBSI(n int, val func(i int) (uint64, bool)) sroarBSI {
	var exist []uint64
	var planes [][]uint64
	for i := 0; i < n; i++ {
		v, ok := val(i)
		if !ok {
			continue
		}
		exist = append(exist, uint64(i))
		for ; v != 0; v &= v - 1 {
			p := bits.TrailingZeros64(v)
			for len(planes) <= p {
				planes = append(planes, nil)
			}
			planes[p] = append(planes[p], uint64(i))
		}
	}
	b := sroarBSI{exist: sroar.FromSortedList(exist), planes: make([]*sroar.Bitmap, len(planes))}
	for p, ids := range planes {
		b.planes[p] = sroar.FromSortedList(ids)
	}
	return b
}

// gt returns the customers whose value is greater than v.
func (b *sroarBSI) gt(v int64) *sroar.Bitmap {
	if v < 0 {
		return b.exist.Clone()
	}
	if bits.Len64(uint64(v)) > len(b.planes) {
		return sroar.NewBitmap()
	}
	gt := sroar.NewBitmap()
	eq := b.exist.Clone()
	for p := len(b.planes) - 1; p >= 0; p-- {
		if uint64(v)>>p&1 == 1 {
			eq.And(b.planes[p])
		} else {
			gt.Or(sroar.And(eq, b.planes[p]))
			eq.AndNot(b.planes[p])
		}
	}
	return gt
}

// between returns the customers whose value is in [lo, hi].
func (b *sroarBSI) between(lo, hi int64) *sroar.Bitmap {
	return b.gt(lo - 1).AndNot(b.gt(hi))
}

func (b *sroarBSI) bytes() int {
	n := b.exist.LenInBytes()
	for _, p := range b.planes {
		n += p.LenInBytes()
	}
	return n
}

// Name returns "sroar".
func (e *Sroar) Name() string { return "sroar" }

// Build collects the sorted IDs of each value and builds each bitmap once.
func (e *Sroar) Build(d *Data) error {
	var country [NumCountries][]uint64
	var gender [NumGenders][]uint64
	var bought [NumCategories][]uint64
	var active, all []uint64
	for i := range d.Rows {
		c := &d.Rows[i]
		id := uint64(i)
		all = append(all, id)
		country[c.Country] = append(country[c.Country], id)
		if c.Gender != Missing {
			gender[c.Gender] = append(gender[c.Gender], id)
		}
		if c.Active {
			active = append(active, id)
		}
		for _, k := range c.Bought[:c.NBought] {
			bought[k] = append(bought[k], id)
		}
	}
	for i, ids := range country {
		e.country[i] = sroar.FromSortedList(ids)
	}
	for i, ids := range gender {
		e.gender[i] = sroar.FromSortedList(ids)
	}
	for i, ids := range bought {
		e.bought[i] = sroar.FromSortedList(ids)
	}
	e.active, e.all = sroar.FromSortedList(active), sroar.FromSortedList(all)
	rows := d.Rows
	e.age = newSroarBSI(len(rows), func(i int) (uint64, bool) { return uint64(rows[i].Age), rows[i].Age != Missing })
	e.income = newSroarBSI(len(rows), func(i int) (uint64, bool) { return uint64(rows[i].Income), true })
	e.purchases = newSroarBSI(len(rows), func(i int) (uint64, bool) { return uint64(rows[i].Purchases), true })
	e.last = newSroarBSI(len(rows), func(i int) (uint64, bool) { return uint64(rows[i].LastDay), true })
	return nil
}

// term returns the customers matching t, ignoring t.Not; owned says whether
// the caller may change the result.
func (e *Sroar) term(t *Term) (bm *sroar.Bitmap, owned bool) {
	switch t.Op {
	case CountryIn:
		if len(t.Vals) == 1 {
			return e.country[t.Vals[0]], false
		}
		bs := make([]*sroar.Bitmap, len(t.Vals))
		for i, v := range t.Vals {
			bs[i] = e.country[v]
		}
		return sroar.FastOr(bs...), true
	case GenderEq:
		return e.gender[t.Vals[0]], false
	case AgeBetween:
		return e.age.between(t.Lo, t.Hi), true
	case Has:
		return e.bought[t.Vals[0]], false
	case Active:
		return e.active, false
	case IncomeGt:
		return e.income.gt(t.Lo), true
	case PurchasesGe:
		return e.purchases.gt(t.Lo - 1), true
	case LastDayBetween:
		return e.last.between(t.Lo, t.Hi), true
	}
	panic("unknown op")
}

func (e *Sroar) eval(q *Query) *sroar.Bitmap {
	var out *sroar.Bitmap
	for _, cl := range q.Clauses {
		var acc *sroar.Bitmap
		for i := range cl {
			t := &cl[i]
			bm, owned := e.term(t)
			switch {
			case acc == nil && t.Not:
				acc = sroar.AndNot(e.all, bm)
			case acc == nil && owned:
				acc = bm
			case acc == nil:
				acc = bm.Clone()
			case t.Not:
				acc.AndNot(bm)
			default:
				acc.And(bm)
			}
		}
		if out == nil {
			out = acc
		} else {
			out.Or(acc)
		}
	}
	return out
}

// Count evaluates q and returns the cardinality.
func (e *Sroar) Count(q *Query) uint64 { return uint64(e.eval(q).GetCardinality()) }

// Members evaluates q to a bitmap.
func (e *Sroar) Members(q *Query) Result { return sroarResult{e.eval(q)} }

type sroarResult struct{ *sroar.Bitmap }

func (r sroarResult) IDs() []uint32 {
	ids := r.ToArray()
	out := make([]uint32, len(ids))
	for i, id := range ids {
		out[i] = uint32(id)
	}
	return out
}

// Cube intersects country × age band, then each category.
func (e *Sroar) Cube() []uint64 {
	cube := make([]uint64, CubeCells)
	for band := 1; band < NumAgeBands; band++ {
		lo, hi := max(band*10, MinAge), min(band*10+9, MaxAge)
		ages := e.age.between(int64(lo), int64(hi))
		for c := range e.country {
			cell := sroar.And(e.country[c], ages)
			for k, b := range e.bought {
				cube[CubeCell(uint8(c), int8(lo), uint8(k))] = uint64(sroar.And(cell, b).GetCardinality())
			}
		}
	}
	return cube
}

// Bytes returns the size of the bitmaps' buffers.
func (e *Sroar) Bytes() int64 {
	n := e.all.LenInBytes() + e.active.LenInBytes()
	for _, b := range [][]*sroar.Bitmap{e.country[:], e.gender[:], e.bought[:]} {
		for _, bm := range b {
			n += bm.LenInBytes()
		}
	}
	return int64(n + e.age.bytes() + e.income.bytes() + e.purchases.bytes() + e.last.bytes())
}

// Close does nothing.
func (e *Sroar) Close() error { return nil }
