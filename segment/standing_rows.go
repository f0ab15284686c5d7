package segment

import (
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// rows evaluates predicates over a small set of customers of one base, the
// customers a batch touched: row i is ids[i], and a predicate's result is a
// bitset of len(ids) bits. Each field is read once for all the predicates
// (an integer field's bit planes are intersected with the rows and decoded
// into values; a category's bitmap with the rows, for the values some
// predicate names), each distinct test once, and the predicates are
// combined a word at a time: a segment costs a few hundred word operations
// after its tests, whatever the size of the base.
type rows struct {
	b     *Base
	ids   []uint32 // sorted
	tb    *roaring.Bitmap
	words int
	live  []uint64
	views bool // b's columns have their chunked views
	*rowCache
	tests map[*leaf][]uint64
}

// rowCache holds what was read for a set of rows, by column: two bases
// share every column a batch did not touch, so the rows of the base before
// a batch and after it read such a column once.
type rowCache struct {
	fields map[*column]*fieldRows
	values map[valueKey][]uint64
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

// newRows returns the rows of tb on b, sharing what was read with other,
// rows of the same tb on another base (nil for none).
func newRows(b *Base, tb *roaring.Bitmap, other *rows) *rows {
	r := &rows{b: b, ids: tb.ToArray(), tb: tb, views: b.viewsReady(), tests: map[*leaf][]uint64{}}
	if other != nil {
		r.ids, r.rowCache = other.ids, other.rowCache
	} else {
		r.rowCache = &rowCache{fields: map[*column]*fieldRows{}, values: map[valueKey][]uint64{}}
	}
	r.words = (len(r.ids) + 63) / 64
	var live *engine.Frozen
	if r.views {
		live = b.frozenLive()
	}
	r.live = r.bitsOf(b.live, live)
	return r
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
	in := roaring.And(bm, r.tb)
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

// field reads a field for the rows: who has a value and, for an integer
// field, the values, decoded from the bit planes that hold a row.
func (r *rows) field(c *column) *fieldRows {
	if x, ok := r.fields[c]; ok {
		return x
	}
	x := &fieldRows{known: r.bitsOf(c.known, c.fzKnown)}
	if !c.bitmapKind() {
		u := make([]uint64, len(r.ids))
		in := make([]uint64, r.words)
		for p, plane := range c.bsi.Planes {
			var fz *engine.Frozen
			if p < len(c.fzPlanes) {
				fz = c.fzPlanes[p]
			}
			clear(in)
			if r.views && fz != nil {
				fz.Probe(r.ids, in)
			} else {
				r.each(plane, func(i int) { in[i>>6] |= 1 << (i & 63) })
			}
			for w, word := range in {
				for word != 0 {
					u[w<<6+bits.TrailingZeros64(word)] |= 1 << p
					word &= word - 1
				}
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

// valueOf returns the rows whose field c holds v.
func (r *rows) valueOf(c *column, v any) []uint64 {
	k := valueKey{c, v}
	if x, ok := r.values[k]; ok {
		return x
	}
	var x []uint64
	if code, ok := c.codes[v]; ok {
		x = r.bitsOf(c.bms[code], c.bmView(code))
	} else {
		x = make([]uint64, r.words)
	}
	r.values[k] = x
	return x
}

// eval returns the rows p matches, in a new bitset.
func (r *rows) eval(p Pred) []uint64 {
	n := p.node()
	out := make([]uint64, r.words)
	switch n.op {
	case nAll:
		copy(out, r.live)
	case nNone:
	case nNot:
		x := r.eval(n.kids[0])
		for w := range out {
			out[w] = r.live[w] &^ x[w]
		}
	case nAnd:
		copy(out, r.live)
		for _, k := range n.kids {
			x := r.eval(k)
			for w := range out {
				out[w] &= x[w]
			}
		}
	case nOr:
		for _, k := range n.kids {
			x := r.eval(k)
			for w := range out {
				out[w] |= x[w]
			}
		}
	case nLeaf:
		copy(out, r.test(n.leaf))
	}
	return out
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
	var ids []uint32
	for w, word := range x {
		for word != 0 {
			ids = append(ids, r.ids[w<<6+bits.TrailingZeros64(word)])
			word &= word - 1
		}
	}
	return roaring.BitmapOf(ids...)
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
