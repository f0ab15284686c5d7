package segment

// fieldBuffer is one field's values as a Builder received them, column by
// column: the IDs of the customers with a value, in increasing order, and
// beside each ID a code of a distinct value (Cat; Set, one entry per value
// given) or an int64 (Int, Decimal, Time, Flag). Nothing is indexed until
// column, which builds the field's column as FromColumns does. A buffer
// holds no pointers per customer, so the garbage collector does not scan
// it.
type fieldBuffer struct {
	spec  fieldSpec
	ids   pieces[uint32]
	codes pieces[uint32] // Cat, Set: parallel to ids
	ints  pieces[int64]  // Int, Decimal, Time, Flag: parallel to ids

	// Cat, Set: code -> value in first-seen order, and value -> code. String
	// values (the common case) are looked up without an interface hash.
	values  []any
	counts  []int // code -> entries
	strs    map[string]uint32
	anys    map[any]uint32
	last    string // the string value coded last, and its code
	lastK   uint32
	hasLast bool
	isStr   bool // values are strings: Value.str, Value.strs
}

func newFieldBuffer(spec fieldSpec) *fieldBuffer {
	f := &fieldBuffer{spec: spec, isStr: spec.vtype == stringVType}
	if spec.kind == KindCat || spec.kind == KindSet {
		f.strs, f.anys = map[string]uint32{}, map[any]uint32{}
	}
	return f
}

// add appends customer id's value v, of f's field; ids come in increasing
// order.
func (f *fieldBuffer) add(id uint32, v *Value) {
	switch f.spec.kind {
	case KindCat:
		var k uint32
		if f.isStr {
			k = f.codeStr(v.str)
		} else {
			k = f.code(v.one)
		}
		f.ids.add(id)
		f.codes.add(k)
		f.counts[k]++
	case KindSet:
		if f.isStr {
			for _, x := range v.strs {
				k := f.codeStr(x)
				f.ids.add(id)
				f.codes.add(k)
				f.counts[k]++
			}
			return
		}
		for _, x := range v.many {
			k := f.code(x)
			f.ids.add(id)
			f.codes.add(k)
			f.counts[k]++
		}
	default:
		f.ids.add(id)
		f.ints.add(v.n)
	}
}

// code returns the code of value x, numbering it if it is new.
func (f *fieldBuffer) code(x any) uint32 {
	if s, ok := x.(string); ok {
		return f.codeStr(s)
	}
	k, ok := f.anys[x]
	if !ok {
		k = uint32(len(f.values))
		f.anys[x] = k
		f.values = append(f.values, x)
		f.counts = append(f.counts, 0)
	}
	return k
}

// codeStr is code of a string.
func (f *fieldBuffer) codeStr(s string) uint32 {
	if f.hasLast && s == f.last {
		return f.lastK
	}
	k, ok := f.strs[s]
	if !ok {
		k = uint32(len(f.values))
		f.strs[s] = k
		f.values = append(f.values, s)
		f.counts = append(f.counts, 0)
	}
	f.last, f.lastK, f.hasLast = s, k, true
	return k
}

// column returns the field's column over customers 0 to n-1 (every ID of
// the buffer is below n). It shares nothing with f.
func (f *fieldBuffer) column(n int) *column {
	c := &column{spec: f.spec}
	if c.bitmapKind() {
		c.values = append([]any(nil), f.values...)
		c.codes = make(map[any]uint32, len(f.values))
		for k, v := range c.values {
			c.codes[v] = uint32(k)
		}
		indexPairs(c, n, f.ids.all(), f.codes.all(), f.counts)
		return c
	}
	indexInts(c, n, f.ids.all(), f.ints.all(), f.ids.len())
	return c
}

// pieces is an append-only list kept in pieces that never move: appending
// never copies what is there, and memory grows by what is added (a piece
// of maxPiece elements at most), not by half the list.
type pieces[T any] struct {
	done [][]T // full pieces
	cur  []T   // the piece being filled
	n    int   // elements in done
}

const maxPiece = 1 << 16

func (p *pieces[T]) add(v T) {
	n := len(p.cur)
	if n == cap(p.cur) {
		p.grow()
		n = 0
	}
	p.cur = p.cur[:n+1]
	p.cur[n] = v
}

// grow starts a new piece: twice the last one, from 64 elements up to
// maxPiece.
func (p *pieces[T]) grow() {
	size := 64
	if p.cur != nil {
		p.done = append(p.done, p.cur)
		p.n += len(p.cur)
		size = min(maxPiece, 2*cap(p.cur))
	}
	p.cur = make([]T, 0, size)
}

func (p *pieces[T]) len() int { return p.n + len(p.cur) }

// all returns the pieces in order.
func (p *pieces[T]) all() [][]T {
	if len(p.cur) == 0 {
		return p.done
	}
	return append(p.done[:len(p.done):len(p.done)], p.cur)
}
