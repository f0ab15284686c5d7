package benchmarks

import (
	"github.com/RoaringBitmap/roaring/v2"
	bsi "github.com/RoaringBitmap/roaring/v2/BitSliceIndexing"
)

// Roaring is engine (d): roaring bitmaps used directly, the obvious way: one
// bitmap per value combined with roaring.Or/And/AndNot, and roaring's own
// BitSliceIndexing for age, income, purchases and last day.
//
// BSI.CompareValue tests one customer at a time against the bit planes
// (it does not use the planes as bitmaps), so ranges over the whole base are
// slow: Q2 is hundreds of milliseconds at 10M. Its parallelism argument is
// 1 here so that every engine runs on one core.
type Roaring struct {
	all                          *roaring.Bitmap
	country                      [NumCountries]*roaring.Bitmap
	gender                       [NumGenders]*roaring.Bitmap
	bought                       [NumCategories]*roaring.Bitmap
	active                       *roaring.Bitmap
	age, income, purchases, last *bsi.BSI
}

// Name returns "roaring".
func (e *Roaring) Name() string { return "roaring" }

// Build adds each customer to its value's bitmaps and BSIs.
func (e *Roaring) Build(d *Data) error {
	bms := func(bs []*roaring.Bitmap) {
		for i := range bs {
			bs[i] = roaring.New()
		}
	}
	bms(e.country[:])
	bms(e.gender[:])
	bms(e.bought[:])
	e.active = roaring.New()
	e.age = bsi.NewBSI(MaxAge, 0)
	e.income = bsi.NewDefaultBSI()
	e.purchases = bsi.NewDefaultBSI()
	e.last = bsi.NewBSI(NumDays, 0)
	for i := range d.Rows {
		c := &d.Rows[i]
		id := uint32(i)
		e.country[c.Country].Add(id)
		if c.Gender != Missing {
			e.gender[c.Gender].Add(id)
		}
		if c.Age != Missing {
			e.age.SetValue(uint64(id), int64(c.Age))
		}
		if c.Active {
			e.active.Add(id)
		}
		for _, k := range c.Bought[:c.NBought] {
			e.bought[k].Add(id)
		}
		e.income.SetValue(uint64(id), c.Income)
		e.purchases.SetValue(uint64(id), int64(c.Purchases))
		e.last.SetValue(uint64(id), int64(c.LastDay))
	}
	e.all = roaring.New()
	e.all.AddRange(0, uint64(len(d.Rows)))
	for _, b := range [][]*roaring.Bitmap{e.country[:], e.gender[:], e.bought[:], {e.active, e.all}} {
		for _, bm := range b {
			bm.RunOptimize()
		}
	}
	for _, b := range []*bsi.BSI{e.age, e.income, e.purchases, e.last} {
		b.RunOptimize()
	}
	return nil
}

func (e *Roaring) term(t *Term) *roaring.Bitmap {
	switch t.Op {
	case CountryIn:
		bs := make([]*roaring.Bitmap, len(t.Vals))
		for i, v := range t.Vals {
			bs[i] = e.country[v]
		}
		return roaring.FastOr(bs...)
	case GenderEq:
		return e.gender[t.Vals[0]]
	case AgeBetween:
		return e.age.CompareValue(1, bsi.RANGE, t.Lo, t.Hi, nil)
	case Has:
		return e.bought[t.Vals[0]]
	case Active:
		return e.active
	case IncomeGt:
		return e.income.CompareValue(1, bsi.GT, t.Lo, 0, nil)
	case PurchasesGe:
		return e.purchases.CompareValue(1, bsi.GE, t.Lo, 0, nil)
	case LastDayBetween:
		return e.last.CompareValue(1, bsi.RANGE, t.Lo, t.Hi, nil)
	}
	panic("unknown op")
}

func (e *Roaring) eval(q *Query) *roaring.Bitmap {
	var out *roaring.Bitmap
	for _, cl := range q.Clauses {
		acc := e.all
		for i := range cl {
			if cl[i].Not {
				acc = roaring.AndNot(acc, e.term(&cl[i]))
			} else {
				acc = roaring.And(acc, e.term(&cl[i]))
			}
		}
		if out == nil {
			out = acc
		} else {
			out = roaring.Or(out, acc)
		}
	}
	return out
}

// Count evaluates q and returns the cardinality.
func (e *Roaring) Count(q *Query) uint64 { return e.eval(q).GetCardinality() }

// Members evaluates q to a bitmap.
func (e *Roaring) Members(q *Query) Result { return roaringResult{e.eval(q)} }

type roaringResult struct{ *roaring.Bitmap }

func (r roaringResult) IDs() []uint32 { return r.ToArray() }

// Cube intersects country × age band, then counts against each category.
func (e *Roaring) Cube() []uint64 {
	cube := make([]uint64, CubeCells)
	for band := 1; band < NumAgeBands; band++ {
		lo, hi := max(band*10, MinAge), min(band*10+9, MaxAge)
		ages := e.age.CompareValue(1, bsi.RANGE, int64(lo), int64(hi), nil)
		for c := range e.country {
			cell := roaring.And(e.country[c], ages)
			for k, b := range e.bought {
				cube[CubeCell(uint8(c), int8(lo), uint8(k))] = cell.AndCardinality(b)
			}
		}
	}
	return cube
}

// Bytes returns the serialized size of the bitmaps and BSIs.
func (e *Roaring) Bytes() int64 {
	var n uint64
	for _, b := range [][]*roaring.Bitmap{e.country[:], e.gender[:], e.bought[:], {e.active, e.all}} {
		for _, bm := range b {
			n += bm.GetSizeInBytes()
		}
	}
	for _, b := range []*bsi.BSI{e.age, e.income, e.purchases, e.last} {
		planes, err := b.MarshalBinary() // existence bitmap and planes
		if err != nil {
			return -1
		}
		for _, p := range planes {
			n += uint64(len(p))
		}
	}
	return int64(n)
}

// Close does nothing.
func (e *Roaring) Close() error { return nil }
