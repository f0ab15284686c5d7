package segment

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Merging: a fleet of service instances, each holding the base of one
// shard of the customers (see Shard), answers a question over all of them
// by asking every shard and merging the answers. Counts add, and so do the
// counts of a cube, a split and ValueCounts: every customer is on one
// shard. The functions below merge what Base.CountCube, Split and
// Base.ValueCounts return on each shard into what they return on one base
// of all the customers. Member sets merge as bitmaps of global IDs (see
// Shard): roaring.FastOr of every shard's Shard.Global.

// MergeCubes adds up cubes counted on disjoint sets of customers (one per
// shard) with the same predicate and dimensions, into the cube of all of
// them. Coordinates are aligned by label, since shards that hold different
// values have different axes: a coordinate of the result is a label of the
// axis in any cube, and its count the sum of the counts of the cells with
// that label.
//
// Labels come in the order of their first appearance in the cubes (the
// first cube's first), the missing label last. When the shards hold
// consecutive ranges of customers in the order they were added, that is
// the order of one base of all of them: a value comes in the order the
// base first saw it. For cubes that Base.CountCube returned in this
// process, which know their dimensions, a WidthBands axis gets the bands
// of one base: from the smallest value of any shard to the largest, the
// empty bands between the shards' values included; the merged cube's Cell
// works as a single base's does. Cubes from elsewhere (decoded from JSON,
// say) carry only their Axes and Counts; a WidthBands axis of those lists
// the bands the cubes have, in order of first appearance, and Cell panics.
// A fleet that merges cubes from elsewhere cuts numbers with Bands and
// explicit edges, which every shard cuts alike.
//
// It returns an *ArgError for no cubes, a nil cube, cubes with different
// numbers of axes or fields, a cube whose Counts do not match its axes or
// whose axis repeats a label, cubes from CountCube with different
// predicates or dimensions, and one wrapping ErrOutOfRange when the merged
// cube has more than 16,777,216 (1<<24) cells or a count overflows.
func MergeCubes(cubes ...*Cube) (*Cube, error) {
	bad := func(format string, args ...any) error {
		return &ArgError{Func: "MergeCubes", Msg: fmt.Sprintf(format, args...)}
	}
	if len(cubes) == 0 {
		return nil, bad("no cubes to merge")
	}
	if cubes[0] == nil {
		return nil, bad("cubes[0] is nil")
	}
	axes := len(cubes[0].Axes)
	known := true // every cube knows its predicate and dimensions
	for i, c := range cubes {
		if c == nil {
			return nil, bad("cubes[%d] is nil", i)
		}
		if len(c.Axes) != axes {
			return nil, bad("cubes[%d] has %d axes, cubes[0] %d", i, len(c.Axes), axes)
		}
		cells := uint64(1)
		for a, ax := range c.Axes {
			if ax.Field != cubes[0].Axes[a].Field {
				return nil, bad("axis %d of cubes[%d] is field %q, of cubes[0] %q", a, i, ax.Field, cubes[0].Axes[a].Field)
			}
			seen := make(map[string]bool, len(ax.Labels))
			for _, l := range ax.Labels {
				if seen[l] {
					return nil, bad("axis %d (%s) of cubes[%d] has the label %q twice", a, ax.Field, i, l)
				}
				seen[l] = true
			}
			cells *= uint64(len(ax.Labels)) // each cube's cells were allocated
		}
		if cells != uint64(len(c.Counts)) {
			return nil, bad("cubes[%d] has %d counts for %d cells", i, len(c.Counts), cells)
		}
		known = known && len(c.dims) == axes && len(c.vals) == axes
	}
	if known {
		p := cubes[0].p.String()
		for i, c := range cubes[1:] {
			if q := c.p.String(); q != p {
				return nil, bad("cubes[%d] counts `%s`, cubes[0] `%s`", i+1, q, p)
			}
			for a, d := range c.dims {
				if !d.sameCut(cubes[0].dims[a]) {
					return nil, bad("axis %d (%s) of cubes[%d] is cut another way than in cubes[0]", a, d.spec.name, i+1)
				}
			}
		}
	}

	out := &Cube{Axes: make([]CubeAxis, axes)}
	if known {
		out.p, out.dims, out.vals = cubes[0].p, make([]Dim, axes), make([][]any, axes)
	}
	// pos[i][a][k] is the merged coordinate of coordinate k of axis a of
	// cubes[i].
	pos := make([][][]int, len(cubes))
	for i := range pos {
		pos[i] = make([][]int, axes)
	}
	cells := uint64(1)
	for a := range axes {
		var labels []string
		if known && cubes[0].dims[a].width > 0 {
			d, err := mergeWidth(cubes, a)
			if err != nil {
				return nil, err
			}
			out.dims[a] = d
			for _, r := range d.ranges() {
				labels = append(labels, r.label)
			}
			if d.missing {
				labels = append(labels, MissingLabel)
			}
		} else {
			labels = firstSeen(cubes, a)
		}
		at := make(map[string]int, len(labels))
		for k, l := range labels {
			at[l] = k
		}
		for i, c := range cubes {
			ls := c.Axes[a].Labels
			pos[i][a] = make([]int, len(ls))
			for k, l := range ls {
				j, ok := at[l]
				if !ok {
					return nil, bad("axis %d (%s) of cubes[%d] has the band %q, which is not a band of the merged axis", a, c.Axes[a].Field, i, l)
				}
				pos[i][a][k] = j
			}
		}
		out.Axes[a] = CubeAxis{Field: cubes[0].Axes[a].Field, Labels: labels}
		if known && out.dims[a].width == 0 {
			out.dims[a] = mergeDim(cubes, a)
			out.vals[a] = mergeVals(cubes, a, labels)
		}
		if n := uint64(len(labels)); n > 0 && cells > maxCubeCells/n {
			return nil, &ArgError{Func: "MergeCubes", Field: out.Axes[a].Field, Err: ErrOutOfRange,
				Msg: fmt.Sprintf("axis %d: its %d coordinates make %d cells with the axes before it, more than %d", a, n, cells*n, maxCubeCells)}
		}
		cells *= uint64(len(labels))
	}
	out.Counts = make([]uint64, cells)
	coords := make([]int, axes)
	for i, c := range cubes {
		for j := range coords {
			coords[j] = 0
		}
		for _, n := range c.Counts {
			k := 0
			for a, x := range coords {
				k = k*len(out.Axes[a].Labels) + pos[i][a][x]
			}
			var carry uint64
			if out.Counts[k], carry = bits.Add64(out.Counts[k], n, 0); carry != 0 {
				return nil, &ArgError{Func: "MergeCubes", Err: ErrOutOfRange, Msg: "a count overflows uint64"}
			}
			for a := axes - 1; a >= 0; a-- { // odometer, the last axis fastest
				if coords[a]++; coords[a] < len(c.Axes[a].Labels) {
					break
				}
				coords[a] = 0
			}
		}
	}
	return out, nil
}

// firstSeen returns the labels of axis a of the cubes in the order of
// their first appearance, MissingLabel last.
func firstSeen(cubes []*Cube, a int) []string {
	var out []string
	seen := make(map[string]bool)
	missing := false
	for _, c := range cubes {
		for _, l := range c.Axes[a].Labels {
			switch {
			case seen[l]:
			case l == MissingLabel:
				missing = true
			default:
				out = append(out, l)
			}
			seen[l] = true
		}
	}
	if missing {
		out = append(out, MissingLabel)
	}
	return out
}

// mergeWidth returns the WidthBands dimension of axis a of cubes counted
// by CountCube, resolved as one base of all their customers resolves it:
// from the smallest band start of any cube to the largest.
func mergeWidth(cubes []*Cube, a int) (Dim, error) {
	var d Dim
	found := false
	var lo, hi int64
	for _, c := range cubes {
		cd := c.dims[a]
		if cd.wn == 0 {
			continue
		}
		last := bandStart(cd.wlo, cd.wr, cd.width, uint64(cd.wn-1))
		if !found || cd.wlo < lo {
			lo = cd.wlo
		}
		if !found || last > hi {
			hi = last
		}
		d, found = cd, true
	}
	if !found {
		d = cubes[0].dims[a]
		d.wn = 0
		return d, nil
	}
	n, r, ok := widthBands(lo, hi, d.width)
	if !ok {
		return Dim{}, &ArgError{Func: "MergeCubes", Field: d.spec.name, Err: ErrOutOfRange,
			Msg: fmt.Sprintf("axis %d: band width %d over the values [%d, %d] makes more than %d bands", a, d.width, lo, hi, maxWidthBands)}
	}
	d.wlo, d.wr, d.wn = lo, r, int(n)
	return d, nil
}

// mergeDim returns the dimension of axis a, other than WidthBands, of
// cubes counted by CountCube: the one of a cube whose base has the field.
func mergeDim(cubes []*Cube, a int) Dim {
	for _, c := range cubes {
		if n := len(c.Axes[a].Labels); n > 1 || n == 1 && !c.dims[a].missing {
			return c.dims[a]
		}
	}
	return cubes[0].dims[a]
}

// mergeVals returns the value of every merged coordinate of axis a of a
// By dimension on a Cat or Set field, from the cubes' values.
func mergeVals(cubes []*Cube, a int, labels []string) []any {
	val := make(map[string]any)
	for _, c := range cubes {
		for k, v := range c.vals[a] {
			val[c.Axes[a].Labels[k]] = v
		}
	}
	if len(val) == 0 {
		return nil
	}
	out := make([]any, 0, len(val))
	for _, l := range labels {
		if v, ok := val[l]; ok {
			out = append(out, v)
		}
	}
	return out
}

// sameCut says whether d and e cut the same field the same way, before a
// WidthBands dimension is resolved against a base.
func (d Dim) sameCut(e Dim) bool {
	if !d.spec.sameAs(e.spec) || d.bands != e.bands || d.width != e.width || d.missing != e.missing || len(d.edges) != len(e.edges) {
		return false
	}
	for i, x := range d.edges {
		if e.edges[i] != x {
			return false
		}
	}
	return true
}

// MergeSplits merges what Split returned on disjoint sets of customers
// (one per shard) for the same macro segment and dimensions into what
// Split returns on one base of all of them: cells with equal Labels add
// their Count and Sum, and then opts apply to the merged cells as Split
// applies them: MinSize drops the cells below it, MaxSegments keeps the
// largest k (the most valuable with RankByValue, by the merged Sum), and
// the cells are ordered by Count (or Sum), largest first. SumOf is ignored:
// the sums come from the shards.
//
// A cell's size is only known once merged, so the shards must call Split
// without MinSize and MaxSegments: a cell smaller than MinSize on every
// shard may be larger in all, and a cell outside one shard's top k may be
// inside the fleet's. Empty cells, which Split never returns, add nothing.
// Each shard returns at most one cell per combination of the dimensions'
// values, so what crosses the wire is bounded by the cross product, not by
// the customers.
//
// Counts are exact. A Sum of an Int or Flag field is exact while it stays
// below 2^53 in magnitude; a Sum of a Decimal field is each shard's exact
// sum rounded to float64, added up: within a relative error of about
// len(splits)·2^-53 of the single base's when the shards' sums share a
// sign. Ties keep the order in which cells first appear in splits
// (splits[0] first); one base orders ties by the cross product of the
// dimensions, which the shards' results do not carry, so among cells of
// equal Count the order (and with MaxSegments, which of the tied cells at
// the cut is kept) may differ from one base's. Each merged cell's Pred is
// the first shard's: it selects the cell's members on any shard. A Pred
// does not survive encoding (a Micro decoded from JSON has the zero Pred,
// which is All): a fleet that needs the cells' predicates sends
// Pred.String() along and reads it back with Parse.
//
// It returns an *ArgError when cells have different numbers of labels, or
// one result holds a cell twice.
func MergeSplits(splits [][]Micro, opts ...SplitOption) ([]Micro, error) {
	o := makeOptions(opts)
	depth := -1
	type cell struct {
		at   int // index in cells
		from int // the last result that held it
	}
	idx := make(map[string]*cell)
	var cells []Micro
	var key []byte
	for i, ms := range splits {
		for j, m := range ms {
			if depth < 0 {
				depth = len(m.Labels)
			} else if len(m.Labels) != depth {
				return nil, &ArgError{Func: "MergeSplits", Msg: fmt.Sprintf("splits[%d][%d] has %d labels, the first cell %d: splits of other dimensions", i, j, len(m.Labels), depth)}
			}
			key = key[:0]
			for _, l := range m.Labels { // length-prefixed: unambiguous for any label
				key = binary.AppendUvarint(key, uint64(len(l)))
				key = append(key, l...)
			}
			c := idx[string(key)] // no allocation for the lookup
			switch {
			case c == nil:
				idx[string(key)] = &cell{at: len(cells), from: i}
				m.Labels = append([]string(nil), m.Labels...)
				cells = append(cells, m)
			case c.from == i:
				return nil, &ArgError{Func: "MergeSplits", Msg: fmt.Sprintf("splits[%d] holds the cell %q twice", i, m.Labels)}
			default:
				c.from = i
				cells[c.at].Count += m.Count
				cells[c.at].Sum += m.Sum
				if cells[c.at].Pred.n == nil {
					cells[c.at].Pred = m.Pred
				}
			}
		}
	}
	var r results
	r.init(o)
	for seq, m := range cells {
		if m.Count >= o.minSize {
			r.push(m, seq)
		}
	}
	return r.sorted(), nil
}

// MergeValueCounts adds up what Base.ValueCounts returned for one field on
// disjoint sets of customers (one per shard) into what it returns on one
// base of all of them: every value of any list, with the sum of its
// counts. Values come in the order of their first appearance (lists[0]
// first), which is one base's order when the shards hold consecutive
// ranges of customers in the order they were added; Flag values come as
// false, then true, as ValueCounts lists them.
func MergeValueCounts(lists ...[]ValueCount) []ValueCount {
	var out []ValueCount
	at := make(map[any]int)
	flags := true
	for _, vs := range lists {
		for _, v := range vs {
			k, ok := at[v.Value]
			if !ok {
				k = len(out)
				at[v.Value] = k
				out = append(out, ValueCount{Value: v.Value})
				_, isBool := v.Value.(bool)
				flags = flags && isBool
			}
			out[k].Count += v.Count
		}
	}
	if flags && len(out) == 2 && out[0].Value == true {
		out[0], out[1] = out[1], out[0]
	}
	return out
}
