package segment

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/fabeed28/microseg/internal/engine"
)

// patch returns old with ch applied, as apply does, at a cost proportional
// to what ch changes rather than to the base: each bitmap of old is
// patched chunk by chunk (engine.Patch), so that only the chunks (65,536
// IDs) whose bits change are copied and given new views, and every other
// chunk, like every untouched bitmap, is shared with old, which does not
// change. ch.drop must hold ch.ids. A column without views, a new field,
// and integer values that need another offset or more bit planes go
// through apply.
func patch(old *column, ch *change) *column {
	if old == nil || !old.hasViews() {
		return apply(old, ch)
	}
	if !old.bitmapKind() {
		for _, v := range ch.ints {
			if old.known.IsEmpty() || !old.bsi.Fits(v) {
				return apply(old, ch)
			}
		}
	}
	c := &column{}
	*c = *old
	gone := ch.drop.ToArray() // ch.ids among them
	known := ch.ids
	if ch.spec.kind == KindSet {
		known = make([]uint32, 0, len(ch.ids))
		for i, id := range ch.ids {
			if len(ch.many[i]) > 0 {
				known = append(known, id)
			}
		}
	}
	c.known, c.fzKnown = engine.Patch(old.known, old.fzKnown, gone, known, false)
	if c.bitmapKind() {
		patchValues(c, ch, gone)
	} else {
		patchInts(c, ch, gone)
	}
	return c
}

// hasViews reports whether c has the views of all its bitmaps.
func (c *column) hasViews() bool {
	if c.fzKnown == nil {
		return false
	}
	if c.bitmapKind() {
		return len(c.fzBms) == len(c.bms)
	}
	return c.bsi != nil && len(c.fzPlanes) == len(c.bsi.Planes)
}

// patchInts patches c's bit planes and codes: the customers of gone lose
// their values, those of ch.ids get theirs, which fit c's index.
func patchInts(c *column, ch *change, gone []uint32) {
	off := c.bsi.Offset
	planes := slices.Clone(c.bsi.Planes)
	fz := slices.Clone(c.fzPlanes)
	set := make([]uint32, 0, len(ch.ids))
	for p := range planes {
		set = set[:0]
		for j, id := range ch.ids {
			if uint64(ch.ints[j]-off)>>p&1 != 0 {
				set = append(set, id)
			}
		}
		planes[p], fz[p] = engine.Patch(planes[p], fz[p], gone, set, true)
	}
	c.bsi = &bsi.BSI{Offset: off, Planes: planes}
	c.fzPlanes = fz
	if c.small == nil {
		return
	}
	codes := make([]uint8, len(gone))
	j := 0
	for i, id := range gone {
		codes[i] = engine.NoCode
		for j < len(ch.ids) && ch.ids[j] < id {
			j++
		}
		if j < len(ch.ids) && ch.ids[j] == id {
			u := uint64(ch.ints[j] - off)
			if u >= engine.NoCode { // the code column cannot hold it
				c.small = nil
				return
			}
			codes[i] = uint8(u)
		}
	}
	c.small = c.small.Patch(gone, codes)
}

// patchValues patches c's value bitmaps: the customers of gone lose their
// values, those of ch.ids get theirs (new values get new bitmaps). Each
// bitmap is patched with the customers whose bit in it flips: those of
// gone it holds and whose new values do not include it, and the reverse.
func patchValues(c *column, ch *change, gone []uint32) {
	adds := make([][]uint32, len(c.bms))
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
		adds = append(adds, nil)
		return k
	}
	put := func(id uint32, v any) {
		k := code(v)
		if n := len(adds[k]); n == 0 || adds[k][n-1] != id {
			adds[k] = append(adds[k], id)
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
	bms := make([]*roaring.Bitmap, len(adds))
	fz := make([]*engine.Frozen, len(adds))
	copy(bms, c.bms)
	copy(fz, c.fzBms)
	held := make([]uint64, (len(gone)+63)/64)
	var del, add []uint32
	for k := range adds {
		if bms[k] == nil {
			bms[k], fz[k] = roaring.New(), &engine.Frozen{}
		}
		clear(held)
		fz[k].Probe(gone, held)
		// del: held and not added; add: added and not held.
		del, add = del[:0], add[:0]
		j := 0
		for i, id := range gone {
			for j < len(adds[k]) && adds[k][j] < id {
				j++
			}
			in := j < len(adds[k]) && adds[k][j] == id
			switch h := held[i>>6]>>(i&63)&1 != 0; {
			case h && !in:
				del = append(del, id)
			case in && !h:
				add = append(add, id)
			}
		}
		if len(del) > 0 || len(add) > 0 {
			bms[k], fz[k] = engine.Patch(bms[k], fz[k], del, add, false)
		}
	}
	c.bms, c.fzBms = bms, fz
}
