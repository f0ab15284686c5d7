package segment

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/fabeed28/microseg/internal/engine"
)

// column is one field of a base. It is immutable once its base is built:
// changes produce a new column that shares every bitmap they did not touch.
//
// Cat and Set fields keep one bitmap per distinct value (bms[code]); Int,
// Decimal, Time and Flag fields keep a bit-sliced index of their int64
// values. known holds the customers with a value.
type column struct {
	spec  fieldSpec
	known *roaring.Bitmap

	values []any          // Cat, Set: code -> value, in first-seen order
	codes  map[any]uint32 // Cat, Set: value -> code
	bms    []*roaring.Bitmap

	bsi *bsi.BSI // Int, Decimal, Time, Flag

	// Derived, read-only chunked views of the bitmaps above for the
	// evaluator, built by finish and sharing their memory.
	fzKnown  *engine.Frozen
	fzBms    []*engine.Frozen // parallel to bms
	fzPlanes []*engine.Frozen // parallel to bsi.Planes
	small    *engine.Codes    // a byte per customer, for an index of 2 to 7 planes

	// skipCodes: finish leaves small nil (ReadBase's memory budget for
	// code columns ran out; see newColumn).
	skipCodes bool
}

// finish builds the derived views of c's canonical bitmaps; it is the one
// place they are made, and a reader that loads the canonical fields (known,
// bms, bsi) from elsewhere calls c.finish(nil) before c is used. Each bitmap
// is replaced by an equal one that shares its buffer with its view. Views of
// bitmaps c shares with old (the column c was derived from) are reused.
// finish does not change a bitmap or BSI that c shares with old.
func (c *column) finish(old *column) {
	if old != nil && c.known == old.known && old.fzKnown != nil {
		c.fzKnown = old.fzKnown
	} else {
		c.known, c.fzKnown = engine.Freeze(c.known)
	}
	if c.bitmapKind() {
		fz := make([]*engine.Frozen, len(c.bms))
		for i, bm := range c.bms {
			if old != nil && i < len(old.bms) && i < len(old.fzBms) && bm == old.bms[i] {
				fz[i] = old.fzBms[i]
				continue
			}
			c.bms[i], fz[i] = engine.Freeze(bm)
		}
		c.fzBms = fz
		return
	}
	if c.bsi == nil {
		c.bsi = &bsi.BSI{}
	}
	if old != nil && c.bsi == old.bsi && len(old.fzPlanes) == len(old.bsi.Planes) && c.fzKnown == old.fzKnown {
		c.fzPlanes, c.small = old.fzPlanes, old.small
		if c.small == nil && !c.skipCodes { // old is c: the views were just written
			c.small = engine.BuildCodes(c.fzKnown, c.fzPlanes)
		}
		return
	}
	var oldPlanes []*roaring.Bitmap
	if old != nil && old.bsi != nil && len(old.fzPlanes) == len(old.bsi.Planes) {
		oldPlanes = old.bsi.Planes
	}
	fz := make([]*engine.Frozen, len(c.bsi.Planes))
	for i, p := range c.bsi.Planes {
		if i < len(oldPlanes) && p == oldPlanes[i] {
			fz[i] = old.fzPlanes[i]
			continue
		}
		c.bsi.Planes[i], fz[i] = engine.Freeze(p)
		engine.Densify(fz[i])
	}
	c.fzPlanes = fz
	if !c.skipCodes {
		c.small = engine.BuildCodes(c.fzKnown, fz)
	}
}

func (c *column) bitmapKind() bool { return c.spec.kind == KindCat || c.spec.kind == KindSet }

// change is what one Build or Apply does to one column: the customers whose
// old values go (drop), and the new values of some customers (ids, sorted
// and unique, with one, many or ints alongside).
type change struct {
	spec fieldSpec
	drop *roaring.Bitmap
	ids  []uint32
	one  []any   // Cat
	many [][]any // Set
	ints []int64 // Int, Decimal, Time, Flag
}

func (ch *change) add(id uint32, v Value) {
	ch.ids = append(ch.ids, id)
	switch v.spec.kind {
	case KindCat:
		ch.one = append(ch.one, v.cat())
	case KindSet:
		ch.many = append(ch.many, v.set())
	default:
		ch.ints = append(ch.ints, v.n)
	}
}

// apply returns old (nil for a new field) with ch applied. old is not
// modified.
func apply(old *column, ch *change) *column {
	c := &column{spec: ch.spec, known: roaring.New()}
	if old != nil {
		*c = *old
	}
	drop := ch.drop
	if drop == nil {
		drop = roaring.New()
	}
	drop.AddMany(ch.ids)
	touched := !drop.IsEmpty() && c.known.Intersects(drop)

	if c.bitmapKind() {
		applyValues(c, ch, drop, touched)
	} else {
		applyInts(c, ch, drop, touched)
	}
	if touched || len(ch.ids) > 0 {
		k := c.known.Clone()
		k.AndNot(drop)
		for i, id := range ch.ids {
			if ch.spec.kind != KindSet || len(ch.many[i]) > 0 {
				k.Add(id)
			}
		}
		k.RunOptimize()
		c.known = k
	}
	c.finish(old)
	return c
}

func applyValues(c *column, ch *change, drop *roaring.Bitmap, touched bool) {
	owned := make([]bool, len(c.bms))
	c.bms = slices.Clone(c.bms)
	if touched {
		for i, bm := range c.bms {
			if bm.Intersects(drop) {
				c.bms[i] = roaring.AndNot(bm, drop)
				owned[i] = true
			}
		}
	}
	if len(ch.ids) == 0 {
		return
	}
	copied := false
	code := func(v any) uint32 {
		if k, ok := c.codes[v]; ok {
			return k
		}
		if !copied {
			m := make(map[any]uint32, len(c.codes)+1)
			for k, v := range c.codes {
				m[k] = v
			}
			c.codes, c.values, copied = m, slices.Clip(c.values), true
		}
		k := uint32(len(c.values))
		c.codes[v] = k
		c.values = append(c.values, v)
		c.bms = append(c.bms, roaring.New())
		owned = append(owned, true)
		return k
	}
	var groups [][]uint32
	put := func(id uint32, v any) {
		k := code(v)
		for int(k) >= len(groups) {
			groups = append(groups, nil)
		}
		if n := len(groups[k]); n == 0 || groups[k][n-1] != id {
			groups[k] = append(groups[k], id)
		}
	}
	for i, id := range ch.ids {
		if ch.spec.kind == KindCat {
			put(id, ch.one[i])
			continue
		}
		for _, v := range ch.many[i] {
			put(id, v)
		}
	}
	for k, ids := range groups {
		if len(ids) == 0 {
			continue
		}
		if !owned[k] {
			c.bms[k] = c.bms[k].Clone()
			owned[k] = true
		}
		c.bms[k].AddMany(ids)
		c.bms[k].RunOptimize()
	}
}

func applyInts(c *column, ch *change, drop *roaring.Bitmap, touched bool) {
	if c.bsi == nil {
		c.bsi = &bsi.BSI{}
	}
	fits := !c.known.IsEmpty()
	for _, v := range ch.ints {
		if !fits || !c.bsi.Fits(v) {
			fits = false
			break
		}
	}
	if !fits && len(ch.ints) > 0 {
		// Re-encode the whole field: the new values need another offset or
		// more bit planes.
		keep := roaring.AndNot(c.known, drop)
		ids := make([]uint32, 0, int(keep.GetCardinality())+len(ch.ids))
		vals := make([]int64, 0, cap(ids))
		c.bsi.Decode(keep, func(id uint32, v int64) {
			ids = append(ids, id)
			vals = append(vals, v)
		})
		ids, vals = mergeSorted(ids, vals, ch.ids, ch.ints)
		c.bsi = bsi.Build(ids, vals)
		return
	}
	planes := slices.Clone(c.bsi.Planes)
	owned := make([]bool, len(planes))
	if touched {
		for i, p := range planes {
			if p.Intersects(drop) {
				planes[i] = roaring.AndNot(p, drop)
				owned[i] = true
			}
		}
	}
	buf := make([]uint32, 0, len(ch.ids))
	for i := range planes {
		buf = buf[:0]
		for j, id := range ch.ids {
			if uint64(ch.ints[j]-c.bsi.Offset)>>i&1 != 0 {
				buf = append(buf, id)
			}
		}
		if len(buf) == 0 {
			continue
		}
		if !owned[i] {
			planes[i] = planes[i].Clone()
		}
		planes[i].AddMany(buf)
		planes[i].RunOptimize()
	}
	c.bsi = &bsi.BSI{Offset: c.bsi.Offset, Planes: planes}
}

// mergeSorted merges two id-sorted (id, value) lists with disjoint ids.
func mergeSorted(a []uint32, av []int64, b []uint32, bv []int64) ([]uint32, []int64) {
	ids := make([]uint32, 0, len(a)+len(b))
	vals := make([]int64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && a[i] < b[j] {
			ids, vals = append(ids, a[i]), append(vals, av[i])
			i++
		} else {
			ids, vals = append(ids, b[j]), append(vals, bv[j])
			j++
		}
	}
	return ids, vals
}
