package segment

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// Dim is one dimension of a Split: a field and how to cut it into cells.
// Make one with By, Bands, DecimalBands or TimeBands; add a cell for the
// customers without a value with WithMissing. The zero Dim is invalid.
type Dim struct {
	spec    fieldSpec
	bands   bool
	edges   []int64 // stored units, strictly increasing
	missing bool
	err     string
}

// By cuts a Cat or Set field into one cell per value that some live
// customer has, in the order the base first saw the values, or a Flag field
// into false and true. A customer with several values of a Set field is in
// the cell of each of them, so the cells of a Set dimension overlap.
func By(f Field) Dim {
	s := f.spec()
	d := Dim{spec: s}
	switch s.kind {
	case KindCat, KindSet, KindFlag:
	default:
		d.err = fmt.Sprintf("%s field cannot be split by value: use Bands, DecimalBands or TimeBands", s.describe())
	}
	return d
}

// Bands cuts an Int field at the given edges, which must be strictly
// increasing: Bands(age, 18, 25, 65) gives the cells <18, 18-24, 25-64 and
// >=65. Each edge starts a band; a band holds the values from its edge up to
// the next edge, excluded. An edge at math.MinInt64 has nothing below it:
// the band it starts is the band below the next edge ("<0" for
// Bands(x, math.MinInt64, 0)), or with no next edge a band of every value,
// labelled AnyLabel.
func Bands(f Int, edges ...int64) Dim {
	s := f.spec()
	for i := 1; i < len(edges); i++ {
		if edges[i] <= edges[i-1] {
			return badBands(s, fmt.Sprintf("band edges must be strictly increasing: edge %d (%d) <= edge %d (%d)",
				i, edges[i], i-1, edges[i-1]))
		}
	}
	return bandDim(s, len(edges), slices.Clone(edges))
}

// DecimalBands cuts a Decimal field at the given edges, which must be
// strictly increasing (and not NaN). An edge reads as Decimal's Ge reads
// its bound: it stands for the shortest decimal that converts back to it
// (0.1 is one tenth, as strconv.FormatFloat(x, 'g', -1, 64) prints it), and
// it starts its band at the least stored value >= that decimal, computed
// exactly at any magnitude: at scale 2, 0.105 starts the band at 0.11.
// Infinite edges mean unbounded: -Inf has nothing below it, so the band it
// starts is the band below the next edge, and +Inf starts a band that holds
// nobody, so the band before it runs to the largest value; finite edges
// beyond the values the field can store act the same. Edges that start
// their bands at the same stored value make one band (the bands between
// them are empty). With no edge left, the one band holds every value and is
// labelled AnyLabel: DecimalBands(d, -Inf, 0, +Inf) gives the cells <0.00
// and >=0.00, as DecimalBands(d, 0) does.
func DecimalBands(f Decimal, edges ...float64) Dim {
	s := f.spec()
	for i, e := range edges {
		if math.IsNaN(e) {
			return badBands(s, fmt.Sprintf("edge %d is NaN", i))
		}
		if i > 0 && e <= edges[i-1] {
			return badBands(s, fmt.Sprintf("band edges must be strictly increasing: edge %d (%s) <= edge %d (%s)",
				i, strconv.FormatFloat(e, 'g', -1, 64), i-1, strconv.FormatFloat(edges[i-1], 'g', -1, 64)))
		}
	}
	us := make([]int64, 0, len(edges))
	for _, e := range edges {
		u, below, above := decimalEdge(e, s.scale)
		switch {
		case below || above:
		case len(us) > 0 && us[len(us)-1] == u:
		default:
			us = append(us, u)
		}
	}
	return bandDim(s, len(edges), us)
}

// decimalEdge returns the stored units at which an edge x of a Decimal
// field of the given scale starts its band: the least u with
// u·10^-scale >= x, x read as the shortest decimal that converts back to
// it. below says that every storable value is >= x (x is -Inf, or at or
// below the least storable value: no band below it), above that none is
// (x is +Inf or beyond the largest storable value).
func decimalEdge(x float64, scale int) (u int64, below, above bool) {
	switch {
	case math.IsInf(x, -1):
		return 0, true, false
	case math.IsInf(x, 1):
		return 0, false, true
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		panic("segment: FormatFloat printed an unreadable number") // unreachable for finite x
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	num := new(big.Int).Mul(r.Num(), pow)
	q, m := new(big.Int).DivMod(num, r.Denom(), new(big.Int)) // floor: Denom > 0
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	switch {
	case q.Cmp(big.NewInt(math.MinInt64)) <= 0:
		return 0, true, false
	case !q.IsInt64():
		return 0, false, true
	}
	return q.Int64(), false, false
}

// TimeBands cuts a Time field at the given instants (truncated to seconds),
// which must be strictly increasing; edges in the same second make one
// band. An edge at math.MinInt64 Unix seconds is treated as Bands treats
// math.MinInt64.
func TimeBands(f Time, edges ...time.Time) Dim {
	s := f.spec()
	for i := 1; i < len(edges); i++ {
		if !edges[i].After(edges[i-1]) {
			return badBands(s, fmt.Sprintf("band edges must be strictly increasing: edge %d (%s) <= edge %d (%s)",
				i, edges[i].Format(time.RFC3339Nano), i-1, edges[i-1].Format(time.RFC3339Nano)))
		}
	}
	us := make([]int64, 0, len(edges))
	for _, e := range edges {
		if u := e.Unix(); len(us) == 0 || us[len(us)-1] < u {
			us = append(us, u)
		}
	}
	return bandDim(s, len(edges), us)
}

// bandDim makes a banded dimension of the given edges in stored units,
// strictly increasing, from n edges given by the caller. A first edge at
// math.MinInt64 is dropped: the band below it is empty, and the band it
// starts is the band below the next edge.
func bandDim(s fieldSpec, n int, edges []int64) Dim {
	if n == 0 {
		return badBands(s, "bands need at least one edge")
	}
	if len(edges) > 0 && edges[0] == math.MinInt64 {
		edges = edges[1:]
	}
	return Dim{spec: s, bands: true, edges: edges}
}

func badBands(s fieldSpec, msg string) Dim { return Dim{spec: s, bands: true, err: msg} }

// WithMissing returns d with one more cell, labelled MissingLabel, for the
// customers that have no value for d's field.
func (d Dim) WithMissing() Dim {
	d.missing = true
	return d
}

// MissingLabel labels the cell of the customers without a value in a
// dimension made WithMissing.
const MissingLabel = "(missing)"

// AnyLabel labels the one band of a banded dimension whose edges bound
// nothing (DecimalBands(d, math.Inf(-1)), Bands(x, math.MinInt64)): the
// band of every customer with a value.
const AnyLabel = "(any)"

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
func Split(b *Base, macro Pred, dims []Dim, opts ...Option) ([]Micro, error) {
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
	for i, d := range dims {
		if d.spec.kind == KindInvalid {
			return nil, &ArgError{Func: "Split", Msg: fmt.Sprintf("dimension %d is the zero Dim: make it with By or Bands", i)}
		}
		if d.err != "" {
			return nil, &ArgError{Func: "Split", Field: d.spec.name, Msg: d.err}
		}
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
		// Every edge is above math.MinInt64 (bandDim), so hi never wraps.
		var k *roaring.Bitmap
		if root != nil {
			k = roaring.And(root, c.known)
		}
		for i := 0; i <= len(d.edges); i++ {
			lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
			if i > 0 {
				lo = d.edges[i-1]
			}
			if i < len(d.edges) {
				hi = d.edges[i] - 1
			}
			p := part{label: s.bandLabel(lo, hi, i, len(d.edges)), pred: rangePred(s, lo, hi)}
			if root != nil {
				p.bm = c.bsi.Range(k, lo, hi)
			}
			if len(d.edges) == 0 {
				p.pred, p.bm = known(s), k
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

// bandLabel names band i of n+1, [lo, hi]: "<18", "18-24", ">=65" (an
// Int's closed ranges), "[10.00, 20.00)" for other kinds, AnyLabel for the
// only band of no edges. The first band's hi and the others' lo are edges,
// each above math.MinInt64.
func (s fieldSpec) bandLabel(lo, hi int64, i, n int) string {
	switch {
	case n == 0:
		return AnyLabel
	case i == 0:
		return "<" + s.formatInt(hi+1)
	case i == n:
		return ">=" + s.formatInt(lo)
	case s.kind == KindInt && lo == hi:
		return s.formatInt(lo)
	case s.kind == KindInt:
		return s.formatInt(lo) + "-" + s.formatInt(hi)
	}
	return "[" + s.formatInt(lo) + ", " + s.formatInt(hi+1) + ")"
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
