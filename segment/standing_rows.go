package segment

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// rows evaluates predicates over a small set of customers of one base, the
// customers a batch touched: row i is ids[i], and a predicate's result is a
// bitset of len(ids) bits. Each field is read once for all the predicates
// (an integer field's bit planes are probed at the rows and decoded into
// values; a category's value bitmaps at the rows, most frequent first, each
// at the rows whose value is still unknown; a set's bitmaps for the values
// some predicate names), each distinct test once, and the predicates are
// combined a word at a time: a segment costs a few hundred word operations
// after its tests, whatever the size of the base.
//
// On the base a batch made (afterBatch), a column the batch changed is
// read from the batch's changes for the rows they cover and from the
// column before the batch for the others, so that the rows fully set by
// the batch cost no probe.
type rows struct {
	b     *Base
	ids   []uint32 // sorted
	tb    *roaring.Bitmap
	words int
	live  []uint64

	fields  map[*column]*fieldRows
	values  map[valueKey][]uint64
	tests   map[testKey][]uint64
	free    [][]uint64 // eval's scratch bitsets
	idBuf   []uint32   // bitmap's buffer
	derived map[*column]*derived
}

// derived is a column a batch changed: the column before (nil for a field
// the batch declared), the change, and what was read of them.
type derived struct {
	old  *column
	ch   *change
	drop []uint64 // the rows of ch.drop (which holds ch.ids)
	rest []int    // the other rows: their values are old's
	set  []int    // the row of each of ch.ids
}

// fieldRows is one field read for the rows: who has a value; for an
// integer field the values; for a category the code of each row's value
// (-1 for none).
type fieldRows struct {
	known []uint64
	vals  []int64 // integer fields
	codes []int32 // Cat fields
}

type valueKey struct {
	c     *column
	value any
}

// testKey identifies a leaf's test by what it tests, so that equal leaves
// of different segments are tested once: a leaf with several values is
// identified by its pointer.
type testKey struct {
	spec   fieldSpec
	op     leafOp
	lo, hi int64
	value  any
	l      *leaf
}

func keyOf(l *leaf) testKey {
	k := testKey{spec: l.spec, op: l.op, lo: l.lo, hi: l.hi}
	switch {
	case l.op == opInvalid || len(l.vals) > 1:
		k.l = l
	case len(l.vals) == 1:
		k.value = l.vals[0]
	}
	return k
}

// newRows returns the rows of ids (sorted) on b.
func newRows(b *Base, ids []uint32) *rows {
	r := &rows{b: b, ids: ids, words: (len(ids) + 63) / 64,
		fields: map[*column]*fieldRows{}, values: map[valueKey][]uint64{}, tests: map[testKey][]uint64{}}
	r.live = r.bitsOf(b.live, b.frozenLive())
	return r
}

// afterBatch returns the rows of before's customers, those batch a
// touched, on nb, the base a made from before's. The two share what they
// read: the columns a left alone are read once, and a column it changed is
// derived from what before read of it.
func afterBatch(before *rows, nb *Base, a *applied) *rows {
	old := before.b
	r := &rows{b: nb, ids: a.ids, words: before.words,
		fields: before.fields, values: before.values, tests: map[testKey][]uint64{},
		derived: map[*column]*derived{}}
	r.live = make([]uint64, r.words)
	for i, live := range a.live {
		r.live[i>>6] |= oneIf(live) << (i & 63)
	}
	for i, ch := range a.changes {
		if ch == nil {
			continue
		}
		d := &derived{ch: ch, drop: make([]uint64, r.words), set: make([]int, len(ch.ids))}
		if i < len(old.cols) && old.cols[i].spec.sameAs(nb.cols[i].spec) {
			d.old = old.cols[i]
		}
		r.each(ch.drop, func(i int) { d.drop[i>>6] |= 1 << (i & 63) })
		for i := range r.ids {
			if d.drop[i>>6]>>(i&63)&1 == 0 {
				d.rest = append(d.rest, i)
			}
		}
		r.eachRow(ch.ids, func(i, k int) { d.set[k] = i })
		r.derived[nb.cols[i]] = d
	}
	return r
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
	r.probe(bm, fz, r.ids, out)
	return out
}

// probe sets bit i of out for each ids[i] (sorted, among the rows) that
// bm holds, through its chunked view fz when there is one.
func (r *rows) probe(bm *roaring.Bitmap, fz *engine.Frozen, ids []uint32, out []uint64) {
	if fz != nil {
		fz.Probe(ids, out)
		return
	}
	in := roaring.And(bm, roaring.BitmapOf(ids...))
	i := 0
	it := in.Iterator()
	for it.HasNext() {
		id := it.Next()
		for ids[i] != id {
			i++
		}
		out[i>>6] |= 1 << (i & 63)
	}
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

// read reads column c (of b or of the base before a batch) at the rows
// at: who has a value, and the values of an integer field or the codes of
// a category, indexed like at. nil at means every row.
func (r *rows) read(c *column, at []int) *fieldRows {
	ids := r.ids
	if at != nil {
		ids = make([]uint32, len(at))
		for k, i := range at {
			ids[k] = r.ids[i]
		}
	}
	n := len(ids)
	x := &fieldRows{known: make([]uint64, (n+63)/64)}
	if c.small != nil && !c.bitmapKind() {
		// A byte per customer from the code column instead of the planes.
		codes := make([]uint8, n)
		c.small.Read(ids, codes)
		x.vals = make([]int64, n)
		for i, code := range codes {
			x.vals[i] = c.bsi.Offset + int64(code)
			x.known[i>>6] |= oneIf(code != engine.NoCode) << (i & 63)
		}
		return x
	}
	r.probe(c.known, c.fzKnown, ids, x.known)
	switch {
	case c.spec.kind == KindCat:
		x.codes = r.catCodes(c, ids, x.known)
	case !c.bitmapKind():
		u := make([]uint64, n)
		for p, plane := range c.bsi.Planes {
			var fz *engine.Frozen
			if p < len(c.fzPlanes) {
				fz = c.fzPlanes[p]
			}
			if fz != nil {
				fz.ProbeBit(ids, u, uint(p))
				continue
			}
			in := make([]uint64, len(x.known))
			r.probe(plane, nil, ids, in)
			for i := range u {
				u[i] |= (in[i>>6] >> (i & 63) & 1) << p
			}
		}
		x.vals = make([]int64, n)
		for i := range u {
			x.vals[i] = c.bsi.Offset + int64(u[i])
		}
	}
	return x
}

// catCodes returns the code of the value of category c of each of ids
// (sorted), -1 for none; known says who has one. The value bitmaps are
// probed most frequent first, each at the customers not placed yet, so
// that a customer costs as many probes as the rank of its value.
func (r *rows) catCodes(c *column, ids []uint32, known []uint64) []int32 {
	codes := make([]int32, len(ids))
	var left []uint32 // the customers not placed yet
	var at []int      // their index in ids
	for i := range ids {
		codes[i] = -1
		if known[i>>6]>>(i&63)&1 != 0 {
			left, at = append(left, ids[i]), append(at, i)
		}
	}
	order := make([]int, len(c.bms))
	for k := range order {
		order[k] = k
	}
	card := func(k int) uint64 {
		if k < len(c.fzBms) {
			return c.fzBms[k].Card()
		}
		return c.bms[k].GetCardinality()
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(card(b), card(a)) })
	in := make([]uint64, (len(left)+63)/64)
	for _, k := range order {
		if len(left) == 0 {
			break
		}
		in = in[:(len(left)+63)/64]
		clear(in)
		r.probe(c.bms[k], c.bmView(uint32(k)), left, in)
		n := 0
		for j := range left {
			if in[j>>6]>>(j&63)&1 != 0 {
				codes[at[j]] = int32(k)
				continue
			}
			left[n], at[n] = left[j], at[j]
			n++
		}
		left, at = left[:n], at[:n]
	}
	return codes
}

// field reads a field for the rows.
func (r *rows) field(c *column) *fieldRows {
	if x, ok := r.fields[c]; ok {
		return x
	}
	var x *fieldRows
	if d, ok := r.derived[c]; ok {
		x = r.deriveField(c, d)
	} else {
		x = r.read(c, nil)
	}
	r.fields[c] = x
	return x
}

// deriveField returns field c, which a batch changed: the rows it dropped
// or set have the values it gave them, the others their values before.
func (r *rows) deriveField(c *column, d *derived) *fieldRows {
	x := &fieldRows{known: make([]uint64, r.words)}
	switch {
	case c.spec.kind == KindCat:
		x.codes = make([]int32, len(r.ids))
		for i := range x.codes {
			x.codes[i] = -1
		}
	case !c.bitmapKind():
		x.vals = make([]int64, len(r.ids))
	}
	if d.old != nil && len(d.rest) > 0 {
		b, at := r.fields[d.old], func(k, i int) int { return i } // read before the batch
		if b == nil {
			b, at = r.read(d.old, d.rest), func(k, i int) int { return k }
		}
		for k, i := range d.rest {
			k := at(k, i)
			x.known[i>>6] |= (b.known[k>>6] >> (k & 63) & 1) << (i & 63)
			if x.vals != nil {
				x.vals[i] = b.vals[k]
			}
			if x.codes != nil {
				x.codes[i] = b.codes[k] // codes of old values stay
			}
		}
	}
	for k, i := range d.set {
		switch c.spec.kind {
		case KindCat:
			x.codes[i] = int32(c.codes[d.ch.one[k]])
		case KindSet:
			if len(d.ch.many[k]) == 0 {
				continue
			}
		default:
			x.vals[i] = d.ch.ints[k]
		}
		x.known[i>>6] |= 1 << (i & 63)
	}
	return x
}

// valueOf returns the rows whose field c holds v.
func (r *rows) valueOf(c *column, v any) []uint64 {
	k := valueKey{c, v}
	if x, ok := r.values[k]; ok {
		return x
	}
	x := make([]uint64, r.words)
	code, ok := c.codes[v]
	switch d := r.derived[c]; {
	case !ok:
	case c.spec.kind == KindCat:
		for i, cd := range r.field(c).codes {
			x[i>>6] |= oneIf(cd == int32(code)) << (i & 63)
		}
	case d != nil:
		// The rows the batch set whose new values hold v, and the others
		// whose old values did.
		if b, ok := r.values[valueKey{d.old, v}]; ok && d.old != nil { // read before the batch
			for _, i := range d.rest {
				x[i>>6] |= b[i>>6] & (1 << (i & 63))
			}
		} else if d.old != nil && len(d.rest) > 0 {
			if oc, ok := d.old.codes[v]; ok {
				ids := make([]uint32, len(d.rest))
				for k, i := range d.rest {
					ids[k] = r.ids[i]
				}
				in := make([]uint64, (len(ids)+63)/64)
				r.probe(d.old.bms[oc], d.old.bmView(oc), ids, in)
				for k, i := range d.rest {
					x[i>>6] |= (in[k>>6] >> (k & 63) & 1) << (i & 63)
				}
			}
		}
		for k, i := range d.set {
			x[i>>6] |= oneIf(slices.Contains(d.ch.many[k], v)) << (i & 63)
		}
	default:
		r.probe(c.bms[code], c.bmView(code), r.ids, x)
	}
	r.values[k] = x
	return x
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
	key := keyOf(l)
	if x, ok := r.tests[key]; ok {
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
	r.tests[key] = x
	return x
}

// bitmap returns the customers of the rows set in x.
func (r *rows) bitmap(x []uint64) *roaring.Bitmap {
	ids := r.idBuf[:0]
	for w, word := range x {
		for word != 0 {
			ids = append(ids, r.ids[w<<6+bits.TrailingZeros64(word)])
			word &= word - 1
		}
	}
	r.idBuf = ids
	return engine.FromSorted(ids) // copies ids
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
