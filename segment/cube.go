package segment

import (
	"fmt"

	"github.com/fabeed28/microseg/internal/engine"
)

// Cube holds the counts of CountCube: one per cell of the cross product of
// its axes, in row-major order (the last axis varies fastest).
type Cube struct {
	Axes   []CubeAxis
	Counts []uint64

	p    Pred
	dims []Dim   // resolved
	vals [][]any // per By axis of a Cat or Set field, the value of each coordinate
}

// CubeAxis is one axis of a Cube: the field, and the label of every
// coordinate, as Split labels its cells ("NL", "25-34", "(missing)").
type CubeAxis struct {
	Field  string
	Labels []string
}

// At returns the count of the cell at the given coordinates, one per axis.
// It panics if a coordinate is out of range (a programmer error).
func (c *Cube) At(coords ...int) uint64 {
	return c.Counts[c.index(coords)]
}

// Cell returns the cell at the given coordinates as a Micro: its labels,
// the predicate that selects its members (the cube's predicate and'ed with
// one value or band per axis) and its count. It panics if a coordinate is
// out of range (a programmer error).
func (c *Cube) Cell(coords ...int) Micro {
	i := c.index(coords)
	m := Micro{Labels: make([]string, len(coords)), Count: c.Counts[i]}
	ps := make([]Pred, 0, len(coords)+1)
	if c.p.node().op != nAll {
		ps = append(ps, c.p)
	}
	for a, k := range coords {
		m.Labels[a] = c.Axes[a].Labels[k]
		ps = append(ps, c.partPred(a, k))
	}
	m.Pred = And(ps...)
	return m
}

// partPred returns the predicate of coordinate k of axis a.
func (c *Cube) partPred(a, k int) Pred {
	d := c.dims[a]
	s := d.spec
	switch n := len(c.Axes[a].Labels); {
	case d.missing && k == n-1:
		return missing(s)
	case d.bands:
		r := d.ranges()[k]
		if r.any {
			return known(s)
		}
		return rangePred(s, r.lo, r.hi)
	case s.kind == KindFlag:
		return rangePred(s, int64(k), int64(k))
	}
	return leafPred(&leaf{spec: s, op: opIn, vals: []any{c.vals[a][k]}})
}

func (c *Cube) index(coords []int) int {
	if len(coords) != len(c.Axes) {
		panic(fmt.Sprintf("segment: Cube: %d coordinates for %d axes", len(coords), len(c.Axes)))
	}
	i := 0
	for a, k := range coords {
		n := len(c.Axes[a].Labels)
		if k < 0 || k >= n {
			panic(fmt.Sprintf("segment: Cube: coordinate %d of axis %d (%s) out of [0, %d)", k, a, c.Axes[a].Field, n))
		}
		i = i*n + k
	}
	return i
}

// maxCubeCells bounds the cells of CountCube, checked before the counts are
// allocated: 16,777,216 (1<<24), 8 bytes per cell (12 while counted).
const maxCubeCells = 1 << 24

// CountCube counts the live customers p matches in every cell of the cross
// product of dims: the micro-segment sizes of a macro segment, in one pass
// over the base. It takes the dimensions Split takes, and cuts them the
// same way: one coordinate per value of a By dimension that some live
// customer has, one per band of a banded dimension (empty bands included,
// unlike Split, which drops empty cells), and the missing coordinate of a
// dimension made WithMissing. A customer with no value for a dimension is
// in no cell (unless WithMissing); a customer with several values of Set
// dimensions counts once in the cell of every combination of them. A
// dimension on a field the base does not have (or has with another kind)
// has no coordinates but its missing one.
//
// It returns an *ArgError for an invalid dimension, and one wrapping
// ErrOutOfRange for more than 16,777,216 (1<<24) cells in all or a
// WidthBands dimension of more than 65,536 bands; the limits are checked
// before the counts are allocated. A p built from an invalid value
// returns p.Err().
func (b *Base) CountCube(p Pred, dims ...Dim) (*Cube, error) {
	if err := p.Err(); err != nil {
		return nil, err
	}
	dims, err := b.resolveDims("CountCube", dims)
	if err != nil {
		return nil, err
	}
	cells := uint64(1)
	for i, d := range dims {
		n := b.partCount(d)
		if n > 0 && cells > maxCubeCells/n {
			return nil, &ArgError{Func: "CountCube", Field: d.spec.name, Err: ErrOutOfRange,
				Msg: fmt.Sprintf("dims[%d]: its %d coordinates make %d cells with the dimensions before it, more than %d",
					i, n, cells*n, maxCubeCells)}
		}
		cells *= n
	}
	cube := &Cube{Axes: make([]CubeAxis, len(dims)), p: p, dims: dims, vals: make([][]any, len(dims))}
	for i, d := range dims {
		cube.Axes[i] = CubeAxis{Field: d.spec.name, Labels: b.partLabels(d)}
		if c := b.col(d.spec.name); c != nil && c.spec.sameAs(d.spec) && !d.bands && d.spec.kind != KindFlag {
			for code, bm := range c.bms {
				if !bm.IsEmpty() {
					cube.vals[i] = append(cube.vals[i], c.values[code])
				}
			}
		}
	}
	cube.Counts = make([]uint64, cells)
	if cells == 0 {
		return cube, nil
	}
	s := b.ev.scratch()
	defer b.ev.put(s)
	b.chunkPlan(p).CountCube(s, b.engineDims(dims), cube.Counts)
	return cube, nil
}

// engineDims returns the engine's dimensions for dims, resolved.
func (b *Base) engineDims(dims []Dim) []engine.CubeDim {
	out := make([]engine.CubeDim, len(dims))
	for i, d := range dims {
		ed := engine.CubeDim{Missing: d.missing}
		c := b.col(d.spec.name)
		if c == nil || !c.spec.sameAs(d.spec) {
			out[i] = ed // no parts: every member is missing
			continue
		}
		knownLeaf := &engine.Node{Op: engine.Leaf, Bitmap: c.known, F: c.fzKnown}
		switch {
		case d.bands:
			rs := d.ranges()
			if len(rs) == 1 && rs[0].any {
				ed.Parts = []*engine.Node{knownLeaf}
				break
			}
			for k, r := range rs {
				ed.Parts = append(ed.Parts, c.rangeNode(r.lo, r.hi))
				if k > 0 {
					ed.Above = append(ed.Above, c.rangeNode(r.lo, maxInt64))
				}
			}
		case d.spec.kind == KindFlag:
			ed.Parts = []*engine.Node{c.rangeNode(0, 0), c.rangeNode(1, 1)}
			ed.Known = knownLeaf
		default:
			ed.Multi = d.spec.kind == KindSet
			for code, bm := range c.bms {
				if !bm.IsEmpty() {
					ed.Parts = append(ed.Parts, &engine.Node{Op: engine.Leaf, Bitmap: bm, F: c.bmView(uint32(code))})
				}
			}
			ed.Known = knownLeaf
		}
		out[i] = ed
	}
	return out
}

// minMax returns the smallest and the largest value of the n > 0 customers
// with a value of c, a column with a bit-sliced index.
func (b *Base) minMax(c *column, n uint64) (lo, hi int64) {
	if c.fzKnown != nil && len(c.fzPlanes) == len(c.bsi.Planes) {
		s := b.ev.scratch()
		defer b.ev.put(s)
		if l, h, ok := s.MinMax(c.fzKnown, c.fzPlanes); ok {
			return c.bsi.Offset + int64(l), c.bsi.Offset + int64(h)
		}
	}
	return c.bsi.Select(c.known, 0), c.bsi.Select(c.known, n-1)
}
