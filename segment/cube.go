package segment

import (
	"fmt"

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

// ByBand makes a dimension of bands of width values of an Int field: band
// k holds the values in [Bands[k], Bands[k]+width-1], the first band starting
// at a multiple of width.
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

// CountCube counts the live customers p matches in every cell of the cross
// product of dims: the micro-segment sizes of a macro segment, in one pass
// over the base. A customer with no value for a dimension is in no cell. At
// most one dimension may be a Set field. It returns an *InputError
// wrapping ErrInvalidValue for a dimension on a field the base does not
// have, on a field of another kind, or for a second Set dimension, and one
// wrapping ErrOutOfRange for a band width below 1 or too many cells (more
// than 1<<24).
func (b *Base) CountCube(p Pred, dims ...CubeDim) (*Cube, error) {
	cube := &Cube{}
	edims := make([]engine.CubeDim, len(dims))
	cells := 1
	sets := 0
	for i, d := range dims {
		bad := func(err error, msg string) (*Cube, error) {
			return nil, &InputError{Op: "cube", Field: d.spec.name, Err: err, Msg: msg}
		}
		c := b.col(d.spec.name)
		if c == nil || !c.spec.sameAs(d.spec) {
			return bad(ErrInvalidValue, fmt.Sprintf("dims[%d]: the base has no %s field of this name", i, d.spec.describe()))
		}
		axis := CubeAxis{Field: d.spec.name}
		switch {
		case c.bitmapKind():
			if c.spec.kind == KindSet {
				sets++
				edims[i].Multi = true
				if sets > 1 {
					return bad(ErrInvalidValue, fmt.Sprintf("dims[%d]: a cube takes at most one Set dimension", i))
				}
			}
			for code, bm := range c.bms {
				if bm.IsEmpty() {
					continue
				}
				axis.Values = append(axis.Values, c.values[code])
				edims[i].Parts = append(edims[i].Parts, &engine.Node{Op: engine.Leaf, Bitmap: bm, F: c.bmView(uint32(code))})
			}
		default:
			if d.width < 1 {
				return bad(ErrOutOfRange, fmt.Sprintf("dims[%d]: band width %d, want >= 1", i, d.width))
			}
			axis.Bands = []int64{}
			if n := c.known.GetCardinality(); n > 0 {
				lo, hi := b.minMax(c, n)
				start := floorDiv(lo, d.width) * d.width
				if (hi-start)/d.width >= 1<<24 {
					return bad(ErrOutOfRange, fmt.Sprintf("dims[%d]: band width %d makes more than %d bands", i, d.width, 1<<24))
				}
				for v := start; v <= hi && v >= start; v += d.width {
					axis.Bands = append(axis.Bands, v)
					edims[i].Parts = append(edims[i].Parts, c.rangeNode(v, min(v+d.width-1, hi)))
					if v > start {
						edims[i].Above = append(edims[i].Above, c.rangeNode(v, maxInt64))
					}
				}
			}
		}
		cells *= len(edims[i].Parts)
		if cells > 1<<24 {
			return bad(ErrOutOfRange, fmt.Sprintf("more than %d cells", 1<<24))
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
				lo := ax.Bands[coords[a]]
				parts = append(parts, rangePred(d.spec, lo, lo+d.width-1))
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
