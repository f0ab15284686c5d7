package engine

import "math/bits"

// cellLayout is the order in which CountCells keeps its cells: row-major,
// except that the Multi dimension comes first, so that the cells one part
// of it adds to are consecutive (a few kilobytes, in cache, for a small
// cube) rather than one in every few cache lines. With a Multi dimension,
// each of its coordinates has a spare row after the rows of the other
// dimensions, where customers outside the filter are counted and
// forgotten.
type cellLayout struct {
	dims    []CubeDim
	strides []uint32
	multi   int    // the last Multi dimension, or -1
	outer   []int  // the other Multi dimensions, kept in row-major order
	cells   int    // in the cube
	size    int    // in the layout: cells and spare rows
	spare   uint32 // the offset of the spare row
}

func newCellLayout(dims []CubeDim) cellLayout {
	l := cellLayout{dims: dims, strides: make([]uint32, len(dims)), multi: -1, cells: 1}
	stride := uint32(1)
	for i := len(dims) - 1; i >= 0; i-- {
		if dims[i].Multi && l.multi < 0 {
			l.multi = i
			continue
		}
		if dims[i].Multi {
			l.outer = append([]int{i}, l.outer...)
		}
		l.strides[i] = stride
		stride *= uint32(dims[i].size())
	}
	for _, d := range dims {
		l.cells *= d.size()
	}
	l.size = l.cells
	if l.multi >= 0 {
		l.spare = stride
		l.strides[l.multi] = stride + 1
		l.size = dims[l.multi].size() * int(stride+1)
	}
	return l
}

// size returns the number of coordinates of d.
func (d CubeDim) size() int { return len(d.Parts) + b2i(d.Missing) }

// flush adds the cells kept in the layout to c, in row-major order, and
// clears them.
func (l cellLayout) flush(c *Cells, out, known []uint32, lo, hi []uint64) {
	l.runs(func(src, dst, n int) {
		for j, x := range out[src : src+n] {
			c.Counts[dst+j] += uint64(x)
		}
		if known == nil {
			return
		}
		for j := range n {
			c.Known[dst+j] += uint64(known[src+j])
			var carry uint64
			c.Lo[dst+j], carry = bits.Add64(c.Lo[dst+j], lo[src+j], 0)
			c.Hi[dst+j] += hi[src+j] + carry
		}
	})
	clear(out)
	clear(known)
	clear(lo)
	clear(hi)
}

// runs calls fn for the runs of consecutive cells of the layout: n cells
// at src in the layout are the n cells at dst in row-major order.
func (l cellLayout) runs(fn func(src, dst, n int)) {
	if l.multi < 0 {
		fn(0, 0, l.cells)
		return
	}
	lo := 1 // the cells of one coordinate of the dimensions after multi
	for _, d := range l.dims[l.multi+1:] {
		lo *= d.size()
	}
	n := l.dims[l.multi].size()
	if n == 0 || lo == 0 {
		return
	}
	hi := l.cells / (n * lo)
	stride := int(l.strides[l.multi])
	for h := range hi {
		for k := range n {
			fn(k*stride+h*lo, (h*n+k)*lo, lo)
		}
	}
}
