package segment

import (
	"encoding/binary"
	"math/bits"

	"github.com/fabeed28/microseg/internal/engine"
)

// fieldBuffer is one field's values as a Builder received them, column by
// column: a bit per customer with a value (for a Set, at least one), and
// the values of those customers in ID order as uvarints: codes of distinct
// values (Cat; Set, code<<1 | 1 on a customer's last value) or int64s as
// zigzag offsets from the first one (Int, Decimal, Time); Flags keep bits.
// Nothing is indexed until column, which builds the field's column as
// FromColumns does. A buffer holds no pointers per customer, so the garbage
// collector does not scan it, and takes a byte or two per value where
// codes are few and numbers close: ages, counts, codes of countries.
type fieldBuffer struct {
	spec  fieldSpec
	known []uint64 // bit id: customer id has a value
	vals  uvarints // Cat, Set, Int, Decimal, Time
	ones  []uint64 // Flag: bit id: the value is true
	seen  [2]bool  // Flag: the values given

	// Int, Decimal, Time: the first value, the least and the greatest.
	first, lo, hi int64
	any           bool

	// Cat, Set: code -> value in first-seen order, and value -> code. String
	// values (the common case) are looked up without an interface hash,
	// uint8 values through a table.
	values  []any
	counts  []int // code -> entries
	strs    map[string]uint32
	anys    map[any]uint32
	bytes   *[256]int32 // uint8 value -> code + 1, 0 when not seen
	last    string      // the string value coded last, and its code
	lastK   uint32
	hasLast bool
	isStr   bool // values are strings: Value.str, Value.strs
	isBytes bool // a Set[uint8]: the values are the bytes of Value.str
}

func newFieldBuffer(spec fieldSpec) *fieldBuffer {
	f := &fieldBuffer{spec: spec, isStr: spec.vtype == stringVType, isBytes: byteSet(spec)}
	if spec.kind == KindCat || spec.kind == KindSet {
		f.strs, f.anys = map[string]uint32{}, map[any]uint32{}
	}
	return f
}

// setBit sets bit id of *words, growing it.
func setBit(words *[]uint64, id uint32) {
	w := int(id >> 6)
	if w >= len(*words) {
		*words = append(*words, make([]uint64, w+1-len(*words))...)
	}
	(*words)[w] |= 1 << (id & 63)
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
		setBit(&f.known, id)
		f.vals.add(uint64(k))
		f.counts[k]++
	case KindSet:
		n := len(v.many)
		switch {
		case f.isStr:
			n = len(v.strs)
		case f.isBytes:
			n = len(v.str)
		}
		if n == 0 {
			return
		}
		setBit(&f.known, id)
		for i := range n {
			var k uint32
			switch {
			case f.isStr:
				k = f.codeStr(v.strs[i])
			case f.isBytes:
				k = f.codeByte(v.str[i])
			default:
				k = f.code(v.many[i])
			}
			f.counts[k]++
			last := uint64(0)
			if i == n-1 {
				last = 1
			}
			f.vals.add(uint64(k)<<1 | last)
		}
	case KindFlag:
		setBit(&f.known, id)
		f.seen[v.n&1] = true
		if v.n != 0 {
			setBit(&f.ones, id)
		}
	default:
		setBit(&f.known, id)
		if !f.any {
			f.first, f.lo, f.hi, f.any = v.n, v.n, v.n, true
		}
		f.lo, f.hi = min(f.lo, v.n), max(f.hi, v.n)
		d := v.n - f.first // wraps; column undoes it
		f.vals.add(uint64(d<<1) ^ uint64(d>>63))
	}
}

// code returns the code of value x, numbering it if it is new.
func (f *fieldBuffer) code(x any) uint32 {
	switch x := x.(type) {
	case string:
		return f.codeStr(x)
	case uint8:
		return f.codeByte(x)
	}
	k, ok := f.anys[x]
	if !ok {
		k = f.newCode(x)
		f.anys[x] = k
	}
	return k
}

// codeByte is code of a uint8.
func (f *fieldBuffer) codeByte(x uint8) uint32 {
	if f.bytes == nil {
		f.bytes = new([256]int32)
	}
	if k := f.bytes[x]; k > 0 {
		return uint32(k - 1)
	}
	k := f.newCode(x)
	f.bytes[x] = int32(k + 1)
	return k
}

// codeStr is code of a string.
func (f *fieldBuffer) codeStr(s string) uint32 {
	if f.hasLast && s == f.last {
		return f.lastK
	}
	k, ok := f.strs[s]
	if !ok {
		k = f.newCode(s)
		f.strs[s] = k
	}
	f.last, f.lastK, f.hasLast = s, k, true
	return k
}

// newCode numbers the value x, not seen before.
func (f *fieldBuffer) newCode(x any) uint32 {
	f.values = append(f.values, x)
	f.counts = append(f.counts, 0)
	return uint32(len(f.values) - 1)
}

// column returns the field's column over customers 0 to n-1 (every ID of
// the buffer is below n). It shares nothing with f.
func (f *fieldBuffer) column(n int) *column {
	c := &column{spec: f.spec}
	chunks := (n + 1<<engine.ChunkBits - 1) >> engine.ChunkBits
	known := make([]uint64, chunks*chunkWords)
	copy(known, f.known)
	r := f.vals.reader()
	switch f.spec.kind {
	case KindCat, KindSet:
		c.values = append([]any(nil), f.values...)
		c.codes = make(map[any]uint32, len(f.values))
		for k, v := range c.values {
			c.codes[v] = uint32(k)
		}
		set := f.spec.kind == KindSet
		indexPairs(c, n, f.counts, func(yield func(id, k uint32)) {
			eachBit(known, func(id uint32) {
				if !set {
					yield(id, uint32(r.next()))
					return
				}
				for {
					x := r.next()
					yield(id, uint32(x>>1))
					if x&1 != 0 {
						return
					}
				}
			})
		})
	case KindFlag:
		ones := make([]uint64, len(known))
		copy(ones, f.ones)
		c.known, c.fzKnown = knownWords(n, known)
		lo, hi := int64(0), int64(1)
		if !f.seen[0] {
			lo = 1
		}
		if !f.seen[1] {
			hi = 0
		}
		bsiColumn(c, n, lo, hi, f.seen[0] || f.seen[1], func(blocks []engine.Block, start, end int) {
			if len(blocks) > 0 {
				copy(blocks[0][:], ones[start>>6:])
			}
		})
	default:
		indexInts(c, n, known, f.lo, f.hi, f.any, func() int64 {
			x := r.next()
			return f.first + int64(x>>1^-(x&1))
		})
	}
	return c
}

// eachBit calls fn with the position of every set bit of words, in
// increasing order.
func eachBit(words []uint64, fn func(uint32)) {
	for i, w := range words {
		for w != 0 {
			fn(uint32(i<<6 + bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}

// pieces is an append-only list kept in pieces that never move: appending
// never copies what is there, and memory grows by what is added (a piece
// of maxPiece elements at most), not by half the list.
type pieces[T any] struct {
	done [][]T // full pieces
	cur  []T   // the piece being filled
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
		size = min(maxPiece, 2*cap(p.cur))
	}
	p.cur = make([]T, 0, size)
}

// uvarints is an append-only list of uvarints in pieces that never move.
type uvarints struct{ pieces[byte] }

func (u *uvarints) add(x uint64) {
	if cap(u.cur)-len(u.cur) < binary.MaxVarintLen64 {
		u.grow()
	}
	u.cur = binary.AppendUvarint(u.cur, x)
}

// reader returns a reader of the uvarints from the first.
func (u *uvarints) reader() *uvarintReader { return &uvarintReader{ps: u.all()} }

// uvarintReader reads uvarints in order; none spans two pieces.
type uvarintReader struct {
	ps   [][]byte
	p, i int
}

func (r *uvarintReader) next() uint64 {
	for r.i == len(r.ps[r.p]) {
		r.p, r.i = r.p+1, 0
	}
	b := r.ps[r.p]
	var x uint64
	for s := 0; ; s += 7 {
		c := b[r.i]
		r.i++
		x |= uint64(c&0x7f) << s
		if c < 0x80 {
			return x
		}
	}
}

// all returns the pieces in order.
func (p *pieces[T]) all() [][]T {
	if len(p.cur) == 0 {
		return p.done
	}
	return append(p.done[:len(p.done):len(p.done)], p.cur)
}
