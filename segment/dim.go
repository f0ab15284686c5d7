package segment

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// Dim is one dimension of a grouping, for Split and Base.CountCube alike: a
// field and how to cut it into cells. Make one with By, Bands, WidthBands,
// DecimalBands or TimeBands; add a cell for the customers without a value
// with WithMissing. The zero Dim is invalid.
type Dim struct {
	spec    fieldSpec
	bands   bool
	edges   []int64 // stored units, strictly increasing
	width   int64   // WidthBands: the width, > 0 once valid
	wlo, wr int64   // WidthBands resolved: the smallest value and its floor modulus
	wn      int     // WidthBands resolved: the number of bands
	missing bool
	err     string
	errOf   error // a sentinel beside ErrInvalidArgument, or nil
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
		d.err = fmt.Sprintf("%s field cannot be split by value: use Bands, WidthBands, DecimalBands or TimeBands", s.describe())
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

// WidthBands cuts an Int field into bands of width values, from the
// smallest value the live customers have to the largest: the bands start at
// multiples of width, the first at the largest multiple at or below the
// smallest value, and each is labelled by the closed range it covers
// ("20-29"; a band of one value by the value). Where the first multiple
// lies below math.MinInt64 the first band starts there, and where the last
// band would pass math.MaxInt64 it ends there; the arithmetic is exact at
// any width and over any values. A width below 1 is invalid, and so are
// more than 65,536 bands between the smallest and the largest value (an
// *ArgError wrapping ErrOutOfRange, found when the dimension is used).
func WidthBands(f Int, width int64) Dim {
	s := f.spec()
	if width < 1 {
		return Dim{spec: s, bands: true, err: fmt.Sprintf("band width %d, want >= 1", width), errOf: ErrOutOfRange}
	}
	return Dim{spec: s, bands: true, width: width}
}

// ByValue is By under its older name.
//
// Deprecated: Use By; CountCube and Split take the same dimensions.
func ByValue(f Field) Dim { return By(f) }

// ByBand is WidthBands under its older name.
//
// Deprecated: Use WidthBands; CountCube and Split take the same dimensions.
func ByBand(f Int, width int64) Dim { return WidthBands(f, width) }

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

// resolveDims checks dims for the call fn and returns them ready to cut b:
// a WidthBands dimension gets its band starts from the field's values in
// b.
func (b *Base) resolveDims(fn string, dims []Dim) ([]Dim, error) {
	out := make([]Dim, len(dims))
	for i, d := range dims {
		if d.spec.kind == KindInvalid {
			return nil, &ArgError{Func: fn, Msg: fmt.Sprintf("dims[%d] is the zero Dim: make it with By, Bands, WidthBands, DecimalBands or TimeBands", i)}
		}
		if d.err != "" {
			return nil, &ArgError{Func: fn, Field: d.spec.name, Msg: fmt.Sprintf("dims[%d]: %s", i, d.err), Err: d.errOf}
		}
		if d.width > 0 {
			if err := b.widthStarts(fn, i, &d); err != nil {
				return nil, err
			}
		}
		out[i] = d
	}
	return out, nil
}

// maxWidthBands bounds the bands of a WidthBands dimension: 65,536, about
// 400 bytes each while a cube is counted.
const maxWidthBands = 1 << 16

// widthStarts sets the band starts of the WidthBands dimension d (the i-th
// of a call to fn) from the values of its field in b: none when no live
// customer has a value.
func (b *Base) widthStarts(fn string, i int, d *Dim) error {
	d.wn = 0
	c := b.col(d.spec.name)
	if c == nil || !c.spec.sameAs(d.spec) {
		return nil
	}
	k := c.known.GetCardinality()
	if k == 0 {
		return nil
	}
	lo, hi := b.minMax(c, k)
	n, r, ok := widthBands(lo, hi, d.width)
	if !ok {
		return &ArgError{Func: fn, Field: d.spec.name, Err: ErrOutOfRange,
			Msg: fmt.Sprintf("dims[%d]: band width %d over the values [%d, %d] makes more than %d bands", i, d.width, lo, hi, maxWidthBands)}
	}
	d.wlo, d.wr, d.wn = lo, r, int(n)
	return nil
}

// widthBands returns the number of bands of width w that cover [lo, hi]
// (lo <= hi), the first starting at the largest multiple of w at or below
// lo, which is lo-r; ok is false for more than maxWidthBands. The
// arithmetic is in uint64 and 128 bits: exact for any lo, hi and w >= 1.
func widthBands(lo, hi, w int64) (n uint64, r int64, ok bool) {
	r = lo % w
	if r < 0 {
		r += w // the floor modulus, in [0, w)
	}
	// The bands are ((hi-lo) + r) / w + 1; hi-lo < 2^64 and r < 2^63, so
	// the sum takes 65 bits, and its high word (0 or 1) is below w unless
	// w = 1, when r = 0 and there is no carry.
	sLo, sHi := bits.Add64(uint64(hi)-uint64(lo), uint64(r), 0)
	q, _ := bits.Div64(sHi, sLo, uint64(w))
	if q >= maxWidthBands {
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

// bandRange is one band of a banded dimension: the closed range [lo, hi] of
// stored values, its label, and whether it is the one band of every value.
type bandRange struct {
	lo, hi int64
	label  string
	any    bool
}

// ranges returns the bands of the banded dimension d, resolved.
func (d Dim) ranges() []bandRange {
	s := d.spec
	if d.width > 0 {
		out := make([]bandRange, d.wn)
		for k := range out {
			lo, hi := bandStart(d.wlo, d.wr, d.width, uint64(k)), int64(math.MaxInt64)
			if k+1 < d.wn {
				hi = bandStart(d.wlo, d.wr, d.width, uint64(k+1)) - 1
			} else if lo <= math.MaxInt64-(d.width-1) {
				hi = lo + (d.width - 1)
			}
			label := s.formatInt(lo) + "-" + s.formatInt(hi)
			if lo == hi {
				label = s.formatInt(lo)
			}
			out[k] = bandRange{lo: lo, hi: hi, label: label}
		}
		return out
	}
	// Every edge is above math.MinInt64 (bandDim), so hi never wraps.
	out := make([]bandRange, len(d.edges)+1)
	for i := range out {
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if i > 0 {
			lo = d.edges[i-1]
		}
		if i < len(d.edges) {
			hi = d.edges[i] - 1
		}
		out[i] = bandRange{lo: lo, hi: hi, label: s.bandLabel(lo, hi, i, len(d.edges)), any: len(d.edges) == 0}
	}
	return out
}
