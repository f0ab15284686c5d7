package segment

import (
	"math/bits"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// rows evaluates predicates over a small set of customers of one base, the
// customers a batch touched: row i is ids[i], and a predicate's result is a
// bitset of len(ids) bits. Each field is read once for all the predicates
// (an integer field's bit planes are probed at the rows and decoded into
// values; a category's bitmap at the rows, for the values some predicate
// names), each distinct test once, and the predicates are combined a word
// at a time: a segment costs a few hundred word operations after its
// tests, whatever the size of the base.
//
// The rows of the base a batch made (see next) read the columns the batch
// changed from the rows of the base before it and the batch's changes,
// without probing the new base.
type rows struct {
	b     *Base
	ids   []uint32 // sorted
	tb    *roaring.Bitmap
	words int
	live  []uint64
	views bool // b's columns have their chunked views
	*rowCache
	tests map[*leaf][]uint64
	free  [][]uint64 // eval's scratch bitsets

	prev    *rows                // the rows before the batch, for next
	derived map[*column]*derived // the columns the batch changed, by new column
}

// derived is a column a batch changed: the column before, nil for a field
// the batch declared, and the change.
type derived struct {
	old  *column
	ch   *change
	drop []uint64 // the rows of ch.drop, once read
}

// rowCache holds what was read for a set of rows, by column: two bases
// share every column a batch did not touch, so the rows of the base before
// a batch and after it read such a column once.
type rowCache struct {
	fields map[*column]*fieldRows
	values map[valueKey][]uint64
	ids    []uint32 // bitmap's buffer
}

// fieldRows is one field read for the rows: who has a value, and for an
// integer field the values.
type fieldRows struct {
	known []uint64
	vals  []int64 // integer fields
}

type valueKey struct {
	c     *column
	value any
}

// newRows returns the rows of ids (sorted) on b.
func newRows(b *Base, ids []uint32) *rows {
	r := &rows{b: b, ids: ids, words: (len(ids) + 63) / 64, views: b.viewsReady(), tests: map[*leaf][]uint64{}}
	r.rowCache = &rowCache{fields: map[*column]*fieldRows{}, values: map[valueKey][]uint64{}}
	var live *engine.Frozen
	if r.views {
		live = b.frozenLive()
	}
	r.live = r.bitsOf(b.live, live)
	return r
}

// next returns the same rows on nb, the base that batch a made from r's
// base: the columns a changed are derived from r and a, the others shared.
func (r *rows) next(nb *Base, a *applied) *rows {
	n := &rows{b: nb, ids: r.ids, tb: r.tb, words: r.words, views: nb.viewsReady(), rowCache: r.rowCache,
		tests: map[*leaf][]uint64{}, prev: r, derived: map[*column]*derived{}}
	n.live = make([]uint64, n.words)
	for i, live := range a.live {
		n.live[i>>6] |= oneIf(live) << (i & 63)
	}
	for i, ch := range a.changes {
		if ch == nil {
			continue
		}
		var old *column
		if i < len(r.b.cols) {
			old = r.b.cols[i]
		}
		n.derived[nb.cols[i]] = &derived{old: old, ch: ch}
	}
	return n
}

// oneIf returns 1 when b holds, else 0.
func oneIf(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// bitmapOfRows returns the rows' customers as a bitmap, made once.
func (r *rows) bitmapOfRows() *roaring.Bitmap {
	if r.tb == nil {
		r.tb = roaring.BitmapOf(r.ids...)
	}
	return r.tb
}

// bitsOf returns the rows that bm holds, probing its chunked view fz when
// there is one.
func (r *rows) bitsOf(bm *roaring.Bitmap, fz *engine.Frozen) []uint64 {
	out := make([]uint64, r.words)
	if r.views && fz != nil {
		fz.Probe(r.ids, out)
		return out
	}
	r.each(bm, func(i int) { out[i>>6] |= 1 << (i & 63) })
	return out
}

// each calls fn with the row of every customer of bm among the rows, in
// increasing order.
func (r *rows) each(bm *roaring.Bitmap, fn func(i int)) {
	in := roaring.And(bm, r.bitmapOfRows())
	i := 0
	var buf [256]uint32
	it := in.ManyIterator()
	for n := it.NextMany(buf[:]); n > 0; n = it.NextMany(buf[:]) {
		for _, id := range buf[:n] {
			for r.ids[i] != id {
				i++
			}
			fn(i)
		}
	}
}

// eachRow calls fn(i, k) for every ids[k] (sorted, all among the rows)
// with its row i.
func (r *rows) eachRow(ids []uint32, fn func(i, k int)) {
	i := 0
	for k, id := range ids {
		for r.ids[i] != id {
			i++
		}
		fn(i, k)
	}
}

// dropped returns the rows whose values of d's column the batch dropped
// (shared: not to be changed).
func (r *rows) dropped(d *derived) []uint64 {
	if d.drop == nil {
		d.drop = make([]uint64, r.words)
		r.each(d.ch.drop, func(i int) { d.drop[i>>6] |= 1 << (i & 63) })
	}
	return d.drop
}

// usable reports whether old, the column before a batch, holds the field
// of c (else c is read as if nobody had a value before).
func usable(old, c *column) bool { return old != nil && old.spec.sameAs(c.spec) }

// field reads a field for the rows: who has a value and, for an integer
// field, the values, decoded from the bit planes that hold a row.
func (r *rows) field(c *column) *fieldRows {
	if x, ok := r.fields[c]; ok {
		return x
	}
	if d, ok := r.derived[c]; ok {
		x := r.deriveField(c, d)
		r.fields[c] = x
		return x
	}
	x := &fieldRows{known: r.bitsOf(c.known, c.fzKnown)}
	if !c.bitmapKind() {
		u := make([]uint64, len(r.ids))
		for p, plane := range c.bsi.Planes {
			var fz *engine.Frozen
			if p < len(c.fzPlanes) {
				fz = c.fzPlanes[p]
			}
			if r.views && fz != nil {
				fz.ProbeBit(r.ids, u, uint(p))
			} else {
				r.each(plane, func(i int) { u[i] |= 1 << p })
			}
		}
		x.vals = make([]int64, len(r.ids))
		for i := range u {
			x.vals[i] = c.bsi.Offset + int64(u[i])
		}
	}
	r.fields[c] = x
	return x
}

// deriveField returns field c, which the batch changed, from the rows
// before it: the dropped rows lose their values, the changed ones get
// their new values.
func (r *rows) deriveField(c *column, d *derived) *fieldRows {
	x := &fieldRows{known: make([]uint64, r.words)}
	var before *fieldRows
	if usable(d.old, c) {
		before = r.prev.field(d.old)
		copy(x.known, before.known)
	}
	andNot(x.known, x.known, r.dropped(d))
	if !c.bitmapKind() {
		x.vals = make([]int64, len(r.ids))
		if before != nil {
			copy(x.vals, before.vals)
		}
	}
	r.eachRow(d.ch.ids, func(i, k int) {
		if x.vals != nil {
			x.vals[i] = d.ch.ints[k]
		}
		if d.ch.spec.kind != KindSet || len(d.ch.many[k]) > 0 {
			x.known[i>>6] |= 1 << (i & 63)
		}
	})
	return x
}

// valueOf returns the rows whose field c holds v.
func (r *rows) valueOf(c *column, v any) []uint64 {
	k := valueKey{c, v}
	if x, ok := r.values[k]; ok {
		return x
	}
	var x []uint64
	if d, ok := r.derived[c]; ok {
		// The rows before the batch with the value, without the dropped
		// rows, and the changed rows whose new values hold it.
		x = make([]uint64, r.words)
		if usable(d.old, c) {
			copy(x, r.prev.valueOf(d.old, v))
		}
		andNot(x, x, r.dropped(d))
		r.eachRow(d.ch.ids, func(i, k int) {
			has := d.ch.spec.kind == KindCat && d.ch.one[k] == v ||
				d.ch.spec.kind == KindSet && slices.Contains(d.ch.many[k], v)
			x[i>>6] |= oneIf(has) << (i & 63)
		})
	} else if code, ok := c.codes[v]; ok {
		x = r.bitsOf(c.bms[code], c.bmView(code))
	} else {
		x = make([]uint64, r.words)
	}
	r.values[k] = x
	return x
}

// eval returns the rows p matches, in a new bitset.
func (r *rows) eval(p Pred) []uint64 {
	out := make([]uint64, r.words)
	r.evalInto(out, p)
	return out
}

// evalInto sets dst to the rows p matches.
func (r *rows) evalInto(dst []uint64, p Pred) {
	n := p.node()
	switch n.op {
	case nAll:
		copy(dst, r.live)
	case nNone:
		clear(dst)
	case nNot:
		x, own := r.kid(n.kids[0])
		andNot(dst, r.live, x)
		r.release(x, own)
	case nAnd:
		copy(dst, r.live)
		for _, k := range n.kids {
			x, own := r.kid(k)
			and(dst, dst, x)
			r.release(x, own)
		}
	case nOr:
		clear(dst)
		for _, k := range n.kids {
			x, own := r.kid(k)
			or(dst, dst, x)
			r.release(x, own)
		}
	case nLeaf:
		copy(dst, r.test(n.leaf))
	}
}

// kid returns the rows p matches: a leaf's shared test, else a scratch
// bitset (own) to give back with release.
func (r *rows) kid(p Pred) (x []uint64, own bool) {
	if n := p.node(); n.op == nLeaf {
		return r.test(n.leaf), false
	}
	if k := len(r.free); k > 0 {
		x, r.free = r.free[k-1], r.free[:k-1]
	} else {
		x = make([]uint64, r.words)
	}
	r.evalInto(x, p)
	return x, true
}

// release gives back a bitset kid returned.
func (r *rows) release(x []uint64, own bool) {
	if own {
		r.free = append(r.free, x)
	}
}

// test returns the rows a leaf matches (shared: not to be changed).
func (r *rows) test(l *leaf) []uint64 {
	if x, ok := r.tests[l]; ok {
		return x
	}
	x := make([]uint64, r.words)
	c := r.b.col(l.spec.name)
	switch {
	case l.op == opInvalid:
	case c == nil || !c.spec.sameAs(l.spec):
		if l.op == opMissing {
			copy(x, r.live)
		}
	case c.bitmapKind():
		known := r.field(c).known
		switch l.op {
		case opKnown:
			copy(x, known)
		case opMissing:
			andNot(x, r.live, known)
		case opIn:
			for _, v := range l.vals {
				or(x, x, r.valueOf(c, v))
			}
		case opNe:
			andNot(x, known, r.valueOf(c, l.vals[0]))
		case opHasAll:
			copy(x, known)
			for _, v := range l.vals {
				and(x, x, r.valueOf(c, v))
			}
		}
	default:
		v := r.field(c)
		switch l.op {
		case opKnown:
			copy(x, v.known)
		case opMissing:
			andNot(x, r.live, v.known)
		case opRange:
			if l.lo <= l.hi {
				inRange(x, v.vals, l.lo, uint64(l.hi)-uint64(l.lo))
				and(x, x, v.known)
			}
		case opNe:
			inRange(x, v.vals, l.lo, 0)
			andNot(x, v.known, x)
		}
	}
	and(x, x, r.live)
	r.tests[l] = x
	return x
}

// bitmap returns the customers of the rows set in x.
func (r *rows) bitmap(x []uint64) *roaring.Bitmap {
	ids := r.rowCache.ids[:0]
	for w, word := range x {
		for word != 0 {
			ids = append(ids, r.ids[w<<6+bits.TrailingZeros64(word)])
			word &= word - 1
		}
	}
	r.rowCache.ids = ids
	bm := roaring.New()
	bm.AddMany(ids) // copies ids
	return bm
}

// inRange sets bit i of dst when lo <= vals[i] <= lo+span, without a
// branch: vals[i]-lo, read unsigned, is at most span.
func inRange(dst []uint64, vals []int64, lo int64, span uint64) {
	for w := range dst {
		var word uint64
		chunk := vals[w<<6 : min(len(vals), w<<6+64)]
		for k, v := range chunk {
			_, borrow := bits.Sub64(span, uint64(v)-uint64(lo), 0)
			word |= (borrow ^ 1) << k
		}
		dst[w] = word
	}
}

func and(dst, a, b []uint64) {
	for i := range dst {
		dst[i] = a[i] & b[i]
	}
}

func or(dst, a, b []uint64) {
	for i := range dst {
		dst[i] = a[i] | b[i]
	}
}

func andNot(dst, a, b []uint64) {
	for i := range dst {
		dst[i] = a[i] &^ b[i]
	}
}
