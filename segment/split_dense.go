package segment

import (
	"math/big"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// The dense strategy of Split, for large macro segments: instead of
// intersecting bitmaps cell by cell, it numbers the cells of the cross
// product (a mixed-radix number with one digit per dimension, 0 meaning "in
// no part of this dimension") and writes each customer's cell number into
// an array indexed by ID, one pass over each part's members. One more pass
// counts the customers per cell, and one pass per bit plane of the SumOf
// field adds up the sums. The cost is linear in the base and independent of
// the number of cells, where the depth-first walk costs about the macro
// segment's size times the number of parts per level. It needs every
// customer in at most one part per dimension (no Set dimensions).

// maxDenseCells bounds the cell numbers (and so the memory) of the dense
// strategy.
const maxDenseCells = 1 << 22

// denseLayout returns the stride of each dimension's digit and the number
// of cell numbers, and whether the dense strategy applies at all. The
// lowest digit (stride 1) says whether the customer is in the macro
// segment.
func denseLayout(parts [][]part, dims []Dim) (strides []uint64, total uint64, ok bool) {
	strides = make([]uint64, len(parts))
	total = 2
	for d := len(parts) - 1; d >= 0; d-- {
		if dims[d].spec.kind == KindSet {
			return nil, 0, false
		}
		strides[d] = total
		total *= uint64(len(parts[d]) + 1)
		if total > maxDenseCells {
			return nil, 0, false
		}
	}
	return strides, total, true
}

// maxDenseWords bounds the per-cell memory of the dense strategy as Split
// chooses it: a count per cell number, and with SumOf one more per bit
// plane of the score and one for its known values, 4 bytes each (64 MiB).
const maxDenseWords = 1 << 24

// preferDense estimates both strategies' costs in bitmap elements touched,
// and refuses the dense strategy when its cells would take more than
// maxDenseWords.
func preferDense(b *Base, root *roaring.Bitmap, parts [][]part, total uint64, score *column) bool {
	words := total // total <= maxDenseCells: no overflow
	if score != nil {
		words *= uint64(len(score.bsi.Planes) + 2)
	}
	if words > maxDenseWords {
		return false
	}
	n := uint64(b.IDCount())
	var perLevel uint64
	for _, ps := range parts {
		perLevel += uint64(len(ps))
	}
	dfs := root.GetCardinality() * perLevel
	dense := n*uint64(len(parts)+2) + total
	if score != nil {
		dense += n * uint64(len(score.bsi.Planes)+2) / 2
	}
	return dense < dfs
}

// splitDense runs the dense strategy and pushes the kept cells into s.res in
// cross-product order.
func (s *splitter) splitDense(b *Base, root *roaring.Bitmap, strides []uint64, total uint64) {
	cell := make([]uint32, b.IDCount())
	count := make([]uint32, total)
	// One cursor per part (and one for the macro segment) walks its
	// members; all of them advance one window of IDs at a time, so that the
	// writes to cell stay in cache, and the window is counted while hot.
	var curs []*cursor
	if root.GetCardinality() == b.live.GetCardinality() {
		// The macro segment is the whole base: mark every ID. A removed
		// customer is in no part (fields hold live customers only), so
		// its cell number has a zero digit and is never reported.
		for i := range cell {
			cell[i] = 1
		}
	} else {
		curs = append(curs, newCursor(root, 1))
	}
	for d, ps := range s.parts {
		for k, p := range ps {
			curs = append(curs, newCursor(p.bm, uint32(uint64(k+1)*strides[d])))
		}
	}
	win := uint64(window)
	if s.o.window > 0 {
		win = uint64(s.o.window) // tests
	}
	for lo := uint64(0); lo < uint64(len(cell)); lo += win {
		hi := min(lo+win, uint64(len(cell)))
		for _, c := range curs {
			c.add(cell, hi)
		}
		for _, c := range cell[lo:hi] {
			count[c]++
		}
	}
	buf := make([]uint32, 4096)
	// tally counts the members of bm per cell number.
	tally := func(bm *roaring.Bitmap, cnt []uint32) {
		it := bm.ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, id := range buf[:n] {
				cnt[cell[id]]++
			}
		}
	}
	var planes [][]uint32 // planes[i][cell]: members with bit i set; the last: members with a value
	if s.score != nil {
		x := s.score.bsi
		planes = make([][]uint32, len(x.Planes)+1)
		for i, p := range append(x.Planes[:len(x.Planes):len(x.Planes)], s.score.known) {
			planes[i] = make([]uint32, total)
			tally(p, planes[i])
		}
	}

	// Visit the cell numbers whose digits are all non-zero, in increasing
	// order: the order of the depth-first walk.
	digits := make([]int, len(s.parts))
	for i := range digits {
		digits[i] = 1
	}
	c := uint64(1)
	for d := range strides {
		c += strides[d]
	}
	for {
		if n := uint64(count[c]); n >= s.threshold() {
			for d, k := range digits {
				s.labels[d] = k - 1
			}
			s.emitDense(n, planes, c)
		}
		// Next number: increment the lowest dimension digit, carrying.
		d := len(digits) - 1
		for d >= 0 && digits[d] == len(s.parts[d]) {
			c -= uint64(digits[d]-1) * strides[d]
			digits[d] = 1
			d--
		}
		if d < 0 {
			return
		}
		digits[d]++
		c += strides[d]
	}
}

func (s *splitter) emitDense(n uint64, planes [][]uint32, c uint64) {
	if s.score == nil {
		s.emit(nil, n)
		return
	}
	x := s.score.bsi
	known := uint64(planes[len(x.Planes)][c])
	// Σ count_i·2^i in 128 bits, then Offset·known: exact, and without
	// big.Int for the sums that fit in 53 bits.
	var hi, lo uint64
	for i := range x.Planes {
		v := uint64(planes[i][c])
		if v == 0 {
			continue
		}
		l, h := v<<i, uint64(0) // i < 64: a BSI has at most 64 planes
		if i > 0 {
			h = v >> (64 - i)
		}
		var carry uint64
		lo, carry = bits.Add64(lo, l, 0)
		hi += h + carry
	}
	const lim = 1 << 30
	if hi == 0 && lo < 1<<62 && x.Offset > -lim && x.Offset < lim {
		if v := x.Offset*int64(known) + int64(lo); v >= -1<<53 && v <= 1<<53 {
			s.emitSum(n, scaledInt(v, s.score.spec.scale))
			return
		}
	}
	sum := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	sum.Add(sum, new(big.Int).SetUint64(lo))
	sum.Add(sum, new(big.Int).Mul(big.NewInt(x.Offset), new(big.Int).SetUint64(known)))
	s.emitSum(n, scaled(sum, s.score.spec.scale))
}

// window is the number of IDs whose cell numbers are written at once: 256
// KiB of cell numbers.
const window = 1 << 16

// cursor walks the members of a bitmap in increasing order, adding digit to
// their cell numbers one window at a time.
type cursor struct {
	it     roaring.ManyIntIterable
	buf    []uint32
	n, pos int
	digit  uint32
	done   bool
}

func newCursor(bm *roaring.Bitmap, digit uint32) *cursor {
	return &cursor{it: bm.ManyIterator(), buf: make([]uint32, 256), digit: digit}
}

// add adds the digit to the cell numbers of the members below hi.
func (c *cursor) add(cell []uint32, hi uint64) {
	for !c.done {
		if c.pos == c.n {
			c.n, c.pos = c.it.NextMany(c.buf), 0
			if c.n == 0 {
				c.done = true
				return
			}
		}
		for _, id := range c.buf[c.pos:c.n] {
			if uint64(id) >= hi {
				return
			}
			cell[id] += c.digit
			c.pos++
		}
	}
}
