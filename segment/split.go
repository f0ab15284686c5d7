package segment

import (
	"math"
	"math/big"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// Micro is one micro-segment of a Split: a cell of the cross product of the
// dimensions inside the macro segment.
type Micro struct {
	// Labels names the cell's value or band in each dimension, in the order
	// of the dimensions: "NL", "25-34", "(missing)".
	Labels []string
	// Pred selects the cell: the macro segment and one predicate per
	// dimension. base.Eval(m.Pred) returns its members.
	Pred Pred
	// Count is the number of members.
	Count uint64
	// Sum is the sum of the SumOf field over the members, 0 without SumOf.
	Sum float64
}

// part is one cell of one dimension: its members among the macro segment.
type part struct {
	label string
	pred  Pred
	bm    *roaring.Bitmap
}

// Split cuts the macro segment into micro-segments: the non-empty cells of
// the cross product of dims, each the macro segment and'ed with one value or
// band per dimension. Cells smaller than MinSize are dropped (with every
// cell under them, unevaluated). The result is ordered by Count, largest
// first (by Sum with RankByValue); ties keep the order of the cross product,
// the first dimension varying slowest. MaxSegments keeps the first k.
//
// A customer without a value for a dimension's field is in no cell of it,
// unless the dimension is WithMissing. A field the base does not have (or
// has with another kind) has no values: a dimension on it has no cells, so
// Split returns none, unless it is WithMissing, when every member is in its
// missing cell. Split returns an *ArgError for an invalid dimension (no
// edges, edges not increasing, a NaN edge) or option, and macro.Err() for
// a macro segment built from an invalid value.
//
// A small macro segment is split depth first, intersecting bitmaps and
// pruning at MinSize. A large one is split in one pass over the base, 65,536
// IDs at a time: each member of the macro segment gets its cell from its
// value or band in every dimension and is counted once, or once per value
// it has of a Set dimension (per pair of values with two Set dimensions).
// The pass takes time linear in the base and in the members' Set values,
// whatever the number of cells (with several Set dimensions, the base is
// read once more per value of each Set dimension but the last), and 12
// bytes per cell of the cross product (56 with SumOf); Split chooses it
// only when the cells take at most 64 MiB. Memory
// is otherwise proportional to the number of edges and values of the
// dimensions and to the cells kept; MinSize and MaxSegments take any value
// without allocating in proportion to it.
func Split(b *Base, macro Pred, dims []Dim, opts ...SplitOption) ([]Micro, error) {
	if err := macro.Err(); err != nil {
		return nil, err
	}
	return split(b, macro, dims, makeOptions(opts), splitAuto)
}

// The strategies of split: automatic, or one forced by tests.
const (
	splitAuto = iota
	splitWalk // depth first
	splitPass // one pass (split_cells.go)
)

func split(b *Base, macro Pred, dims []Dim, o options, strategy int) ([]Micro, error) {
	score, err := b.scoreColumn("Split", o.sumOf)
	if err != nil {
		return nil, err
	}
	if o.byValue && o.sumOf == nil {
		return nil, &ArgError{Func: "Split", Msg: "RankByValue needs SumOf"}
	}
	dims, err = b.resolveDims("Split", dims)
	if err != nil {
		return nil, err
	}
	parts := make([][]part, len(dims))
	s := &splitter{o: o, score: score, parts: parts, labels: make([]int, len(dims))}
	s.res.init(o)
	switch n := macro.node(); n.op {
	case nAll:
	case nAnd: // flatten, so that the text form needs no parentheses
		s.macroKids = n.kids
	default:
		s.macroKids = []Pred{macro}
	}
	if len(dims) > 0 && (strategy == splitAuto || strategy == splitPass) {
		for i, d := range dims {
			parts[i] = b.parts(d, nil)
		}
		if slices.ContainsFunc(parts, func(ps []part) bool { return len(ps) == 0 }) {
			return s.res.sorted(), nil // see below
		}
		if edims, ok := b.cellDims(dims, parts, score); ok {
			if strategy == splitPass || preferPass(b, b.Count(macro), parts) {
				s.onePass(b, macro, edims)
				return s.res.sorted(), nil
			}
		}
	}
	root := b.Eval(macro)
	for i, d := range dims {
		parts[i] = b.parts(d, root)
	}
	n := root.GetCardinality()
	switch {
	case n < o.minSize:
	case slices.ContainsFunc(parts, func(ps []part) bool { return len(ps) == 0 }):
		// A dimension without cells (on a field the base does not have,
		// or whose values no member has): the cross product is empty.
	case len(dims) == 0:
		s.emit(root, n)
	default:
		s.walk(0, root)
	}
	return s.res.sorted(), nil
}

// partCount returns the number of cells of d: len(b.parts(d, nil)),
// without making them.
func (b *Base) partCount(d Dim) uint64 {
	var n uint64
	c := b.col(d.spec.name)
	switch {
	case c == nil || !c.spec.sameAs(d.spec):
	case d.bands && d.width > 0:
		n = uint64(d.wn)
	case d.bands:
		n = uint64(len(d.edges)) + 1
	case d.spec.kind == KindFlag:
		n = 2
	default:
		for _, bm := range c.bms {
			if !bm.IsEmpty() {
				n++
			}
		}
	}
	if d.missing {
		n++
	}
	return n
}

// partLabels returns the labels of the cells of d, as b.parts(d, nil)
// labels them.
func (b *Base) partLabels(d Dim) []string {
	out := make([]string, 0, b.partCount(d))
	c := b.col(d.spec.name)
	switch {
	case c == nil || !c.spec.sameAs(d.spec):
	case d.bands:
		for _, r := range d.ranges() {
			out = append(out, r.label)
		}
	case d.spec.kind == KindFlag:
		out = append(out, d.spec.formatInt(0), d.spec.formatInt(1))
	default:
		for code, bm := range c.bms {
			if !bm.IsEmpty() {
				out = append(out, formatLabel(c.values[code]))
			}
		}
	}
	if d.missing {
		out = append(out, MissingLabel)
	}
	return out
}

// parts returns the cells of d within root, without their members when
// root is nil.
func (b *Base) parts(d Dim, root *roaring.Bitmap) []part {
	var out []part
	c := b.col(d.spec.name)
	if c != nil && !c.spec.sameAs(d.spec) {
		c = nil
	}
	s := d.spec
	switch {
	case c == nil:
	case d.bands:
		var k *roaring.Bitmap
		if root != nil {
			k = roaring.And(root, c.known)
		}
		for _, r := range d.ranges() {
			p := part{label: r.label, pred: rangePred(s, r.lo, r.hi)}
			if r.any {
				p.pred = known(s)
			}
			if root != nil {
				p.bm = c.bsi.Range(k, r.lo, r.hi)
			}
			out = append(out, p)
		}
	case s.kind == KindFlag:
		for v := range int64(2) {
			p := part{label: s.formatInt(v), pred: rangePred(s, v, v)}
			if root != nil {
				p.bm = c.bsi.Range(roaring.And(root, c.known), v, v)
			}
			out = append(out, p)
		}
	default:
		for code, bm := range c.bms {
			if bm.IsEmpty() {
				continue
			}
			out = append(out, part{label: formatLabel(c.values[code]),
				pred: leafPred(&leaf{spec: s, op: opIn, vals: []any{c.values[code]}}), bm: bm})
		}
	}
	if d.missing {
		p := part{label: MissingLabel, pred: missing(s)}
		if root != nil {
			p.bm = root.Clone()
			if c != nil {
				p.bm.AndNot(c.known)
			}
		}
		out = append(out, p)
	}
	return out
}

// formatLabel prints a category as a label: strings bare, others as
// formatAny prints them.
func formatLabel(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return formatAny(v)
}

// splitter walks the cross product depth first.
type splitter struct {
	o      options
	score  *column
	parts  [][]part
	labels []int // the part of each dimension on the current path
	seq    int

	macroKids  []Pred // the conjuncts of the macro segment, none for All
	labelArena []string
	predArena  []Pred
	res        results
}

func (s *splitter) walk(depth int, x *roaring.Bitmap) {
	last := depth == len(s.parts)-1
	for i, p := range s.parts[depth] {
		s.labels[depth] = i
		least := s.threshold()
		if last && s.score == nil {
			if n := x.AndCardinality(p.bm); n >= least {
				s.emit(nil, n)
			}
			continue
		}
		y := roaring.And(x, p.bm)
		n := y.GetCardinality()
		if n < least {
			continue
		}
		if last {
			s.emit(y, n)
		} else {
			s.walk(depth+1, y)
		}
	}
}

// threshold is the least count a node needs for a cell under it to be kept:
// MinSize, raised to above the k-th largest count so far once MaxSegments
// cells are kept (a later cell loses a tie).
func (s *splitter) threshold() uint64 {
	t := s.o.minSize
	if s.o.max > 0 && !s.o.byValue && len(s.res.ms) == s.o.max {
		t = max(t, s.res.ms[0].Count+1)
	}
	return t
}

func (s *splitter) emit(members *roaring.Bitmap, n uint64) {
	var sum float64
	if s.score != nil && members != nil {
		sum = s.score.sum(members)
	}
	s.emitSum(n, sum)
}

// emitSum keeps the cell at the current path with n members and the given
// sum.
func (s *splitter) emitSum(n uint64, sum float64) {
	d := len(s.parts)
	m := Micro{Count: n, Sum: sum}
	// Labels and predicates are carved from shared chunks: one allocation
	// per chunk, not per cell.
	if d > 0 {
		if len(s.labelArena) < d {
			s.labelArena = make([]string, 512*d)
		}
		m.Labels, s.labelArena = s.labelArena[:d:d], s.labelArena[d:]
	}
	k := d + len(s.macroKids)
	if len(s.predArena) < k {
		s.predArena = make([]Pred, 512*k)
	}
	preds := s.predArena[:0:k]
	s.predArena = s.predArena[k:]
	preds = append(preds, s.macroKids...)
	for d, i := range s.labels {
		p := s.parts[d][i]
		m.Labels[d] = p.label
		preds = append(preds, p.pred)
	}
	switch len(preds) {
	case 0:
		m.Pred = All()
	case 1:
		m.Pred = preds[0]
	default:
		m.Pred = Pred{&node{op: nAnd, kids: preds}}
	}
	s.res.push(m, s.seq)
	s.seq++
}

// sum returns the sum of c's values over members, scaled as the field reads.
func (c *column) sum(members *roaring.Bitmap) float64 {
	if c == nil || members == nil {
		return 0
	}
	return scaled(c.bsi.Sum(roaring.And(members, c.known)), c.spec.scale)
}

// scaled returns sum·10^-scale rounded to a float64.
func scaled(sum *big.Int, scale int) float64 {
	if sum.IsInt64() {
		if v := sum.Int64(); v >= -1<<53 && v <= 1<<53 {
			return scaledInt(v, scale)
		}
	}
	f := new(big.Float).SetInt(sum)
	if scale > 0 {
		f.Quo(f, new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	}
	v, _ := f.Float64()
	return v
}

// scaledInt returns v·10^-scale correctly rounded, for |v| <= 2^53 (exact
// as a float64, as is 10^scale for scale <= 9).
func scaledInt(v int64, scale int) float64 {
	if scale == 0 {
		return float64(v)
	}
	return float64(v) / math.Pow10(scale)
}
