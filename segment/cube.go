package segment

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/fabeed28/microseg/internal/engine"
)

// CubeDim is one dimension of CountCube: the values of a Cat or Set field
// (ByValue), or bands of an integer field (ByBand).
type CubeDim struct {
	spec  fieldSpec
	width int64 // ByBand
}

// ByValue makes a dimension of the values of a Cat or Set field. A
// customer of a Set field counts once under every value it has.
func ByValue(f Field) CubeDim { return CubeDim{spec: f.spec()} }

// ByBand makes a dimension of bands of width values of an Int field: the
// bands start at multiples of width, from the largest multiple at or below
// the smallest value to the largest value, and band k holds the values in
// [Bands[k], Bands[k+1]-1] (the last one up to Bands[k]+width-1). Where the
// first multiple lies below math.MinInt64, Bands[0] is math.MinInt64, so
// the first band holds fewer than width values; where the last band would
// pass math.MaxInt64, it ends there. Band arithmetic is exact at any width
// and over any values.
func ByBand(f Int, width int64) CubeDim { return CubeDim{spec: f.spec(), width: width} }

// Cube holds the counts of CountCube: one per cell of the cross product of
// its axes, in row-major order (the last axis varies fastest).
type Cube struct {
	Axes   []CubeAxis
	Counts []uint64
}

// CubeAxis is one axis of a Cube: the field, and the label of every
// coordinate: Values for ByValue (as Base.Values returns them), Bands (the
// lowest value of each band) for ByBand.
type CubeAxis struct {
	Field  string
	Values []any
	Bands  []int64
}

// At returns the count of the cell at the given coordinates, one per axis.
func (c *Cube) At(coords ...int) uint64 {
	i := 0
	for a, k := range coords {
		i = i*c.Axes[a].len() + k
	}
	return c.Counts[i]
}

func (a CubeAxis) len() int {
	if a.Bands != nil {
		return len(a.Bands)
	}
	return len(a.Values)
}

// The limits of CountCube, checked before anything is allocated: at most
// maxCubeBands bands in a ByBand dimension, and at most maxCubeCells cells.
// A cube takes 8 bytes per cell (12 while it is counted), and about 400
// bytes per band.
const (
	maxCubeBands = 1 << 16
	maxCubeCells = 1 << 24
)

// CountCube counts the live customers p matches in every cell of the cross
// product of dims: the micro-segment sizes of a macro segment, in one pass
// over the base. A customer with no value for a dimension is in no cell; a
// customer with several values of Set dimensions counts once in the cell
// of every combination of them. It returns an *InputError
// wrapping ErrInvalidValue for a dimension on a field the base does not
// have or on a field of another kind, and one
// wrapping ErrOutOfRange for a band width below 1, for a ByBand dimension
// of more than 65,536 (1<<16) bands between the field's smallest and
// largest value, or for more than 16,777,216 (1<<24) cells in all. The
// limits are checked before the cube is allocated: the memory a cube takes
// is at most about 12 bytes per cell and 400 bytes per band. A p built from
// an invalid value returns p.Err().
func (b *Base) CountCube(p Pred, dims ...CubeDim) (*Cube, error) {
	if err := p.Err(); err != nil {
		return nil, err
	}
	cube := &Cube{}
	edims := make([]engine.CubeDim, len(dims))
	cells := uint64(1)
	// First check every dimension and count its parts, so that a cube too
	// large fails before any part is made.
	type plan struct {
		c         *column
		n         uint64 // parts
		lo, hi, r int64  // ByBand: the values' range, and lo mod width
	}
	plans := make([]plan, len(dims))
	for i, d := range dims {
		bad := func(err error, msg string) (*Cube, error) {
			return nil, &InputError{Op: "cube", Field: d.spec.name, Err: err, Msg: msg}
		}
		c := b.col(d.spec.name)
		if c == nil || !c.spec.sameAs(d.spec) {
			return bad(ErrInvalidValue, fmt.Sprintf("dims[%d]: the base has no %s field of this name", i, d.spec.describe()))
		}
		var n uint64 // the parts of the dimension
		var lo, hi, r int64
		switch {
		case c.bitmapKind():
			edims[i].Multi = c.spec.kind == KindSet
			for _, bm := range c.bms {
				if !bm.IsEmpty() {
					n++
				}
			}
		default:
			if d.width < 1 {
				return bad(ErrOutOfRange, fmt.Sprintf("dims[%d]: band width %d, want >= 1", i, d.width))
			}
			if k := c.known.GetCardinality(); k > 0 {
				lo, hi = b.minMax(c, k)
				var ok bool
				if n, r, ok = cubeBands(lo, hi, d.width); !ok {
					return bad(ErrOutOfRange, fmt.Sprintf("dims[%d]: band width %d over [%d, %d] makes more than %d bands",
						i, d.width, lo, hi, maxCubeBands))
				}
			}
		}
		if n > 0 && cells > maxCubeCells/n {
			return bad(ErrOutOfRange, fmt.Sprintf("dims[%d]: its %d parts make %d cells with the dimensions before it, more than %d",
				i, n, cells*n, maxCubeCells))
		}
		cells *= n
		plans[i] = plan{c, n, lo, hi, r}
	}
	for i, d := range dims {
		c, n, lo, hi, r := plans[i].c, plans[i].n, plans[i].lo, plans[i].hi, plans[i].r
		axis := CubeAxis{Field: d.spec.name}
		if c.bitmapKind() {
			edims[i].Known = &engine.Node{Op: engine.Leaf, Bitmap: c.known, F: c.fzKnown}
			for code, bm := range c.bms {
				if bm.IsEmpty() {
					continue
				}
				axis.Values = append(axis.Values, c.values[code])
				edims[i].Parts = append(edims[i].Parts, &engine.Node{Op: engine.Leaf, Bitmap: bm, F: c.bmView(uint32(code))})
			}
		} else {
			axis.Bands = make([]int64, n)
			edims[i].Parts = make([]*engine.Node, n)
			edims[i].Above = make([]*engine.Node, max(n, 1)-1)
			for k := range n {
				axis.Bands[k] = bandStart(lo, r, d.width, k)
			}
			for k := range n {
				end := hi
				if k+1 < n {
					end = axis.Bands[k+1] - 1
				}
				edims[i].Parts[k] = c.rangeNode(axis.Bands[k], end)
				if k > 0 {
					edims[i].Above[k-1] = c.rangeNode(axis.Bands[k], maxInt64)
				}
			}
		}
		cube.Axes = append(cube.Axes, axis)
	}
	cube.Counts = make([]uint64, cells)
	if cells == 0 {
		return cube, nil
	}
	if !b.viewsReady() {
		b.countCubeSlow(p, dims, cube)
		return cube, nil
	}
	s := b.ev.scratch()
	defer b.ev.put(s)
	b.chunkPlan(p).CountCube(s, edims, cube.Counts)
	return cube, nil
}

// cubeBands returns the number of bands of width w that cover [lo, hi]
// (lo <= hi), the first starting at the largest multiple of w at or below
// lo, which is lo-r; ok is false for more than maxCubeBands. The
// arithmetic is in uint64 and 128 bits: exact for any lo, hi and w >= 1.
func cubeBands(lo, hi, w int64) (n uint64, r int64, ok bool) {
	r = lo % w
	if r < 0 {
		r += w // the floor modulus, in [0, w)
	}
	// The bands are ((hi-lo) + r) / w + 1; hi-lo < 2^64 and r < 2^63, so
	// the sum takes 65 bits, and its high word (0 or 1) is below w unless
	// w = 1, when r = 0 and there is no carry.
	sLo, sHi := bits.Add64(uint64(hi)-uint64(lo), uint64(r), 0)
	q, _ := bits.Div64(sHi, sLo, uint64(w))
	if q >= maxCubeBands {
		return 0, 0, false
	}
	return q + 1, r, true
}

// bandStart returns the start of band k of width w whose first band
// starts at lo-r: lo-r+k·w, or math.MinInt64 for a first band starting
// below it. Every other start lies in (lo, hi], so the wrapping uint64
// arithmetic gives it exactly.
func bandStart(lo, r, w int64, k uint64) int64 {
	if k == 0 {
		if uint64(r) > uint64(lo)+1<<63 { // r > lo - MinInt64
			return math.MinInt64
		}
		return lo - r
	}
	return int64(uint64(lo) - uint64(r) + k*uint64(w))
}

// countCubeSlow fills cube with one count per cell, for a base without the
// chunked views.
func (b *Base) countCubeSlow(p Pred, dims []CubeDim, cube *Cube) {
	coords := make([]int, len(dims))
	for i := range cube.Counts {
		rest := i
		for a := len(dims) - 1; a >= 0; a-- {
			coords[a] = rest % cube.Axes[a].len()
			rest /= cube.Axes[a].len()
		}
		parts := []Pred{p}
		for a, d := range dims {
			if ax := cube.Axes[a]; ax.Bands != nil {
				k := coords[a]
				hi := int64(maxInt64) // the last band: up to the largest value
				if k+1 < len(ax.Bands) {
					hi = ax.Bands[k+1] - 1
				}
				parts = append(parts, rangePred(d.spec, ax.Bands[k], hi))
			} else {
				parts = append(parts, leafPred(&leaf{spec: d.spec, op: opIn, vals: []any{ax.Values[coords[a]]}}))
			}
		}
		cube.Counts[i] = b.countRoaring(And(parts...))
	}
}

// minMax returns the smallest and the largest value of the n > 0 customers
// with a value of c, a column with a bit-sliced index.
func (b *Base) minMax(c *column, n uint64) (lo, hi int64) {
	if b.viewsReady() && c.fzKnown != nil && len(c.fzPlanes) == len(c.bsi.Planes) {
		s := b.ev.scratch()
		defer b.ev.put(s)
		if l, h, ok := s.MinMax(c.fzKnown, c.fzPlanes); ok {
			return c.bsi.Offset + int64(l), c.bsi.Offset + int64(h)
		}
	}
	return c.bsi.Select(c.known, 0), c.bsi.Select(c.known, n-1)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
