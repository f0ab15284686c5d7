package segment

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A differential test of the bands of Split and CountCube at the int64
// extremes: random small bases with values at and near math.MinInt64,
// math.MaxInt64, 0 and ±1, random edges and widths, checked against a
// row-by-row oracle that computes every band with math/big.

var (
	pX = NewInt("x")
	pD = NewDecimal("d", 2)
	pC = NewCat[string]("c")
)

// extremeInt returns an int64 at or near the ends of the range, or near 0.
func extremeInt(r *rand.Rand) int64 {
	switch r.IntN(5) {
	case 0:
		return r.Int64() - r.Int64()
	case 1:
		return math.MinInt64 + r.Int64N(3)
	case 2:
		return math.MaxInt64 - r.Int64N(3)
	}
	return r.Int64N(5) - 2
}

// extremeBase returns a base of up to 40 customers with x, d (as units) and
// c values, some missing, some customers removed, and its oracle.
func extremeBase(r *rand.Rand) (*Base, *oracle) {
	o := newOracle()
	b := NewBuilder()
	n := r.IntN(41)
	for i := range n {
		var vs []Value
		if r.IntN(6) > 0 {
			vs = append(vs, pX.Value(extremeInt(r)))
		}
		if r.IntN(6) > 0 {
			vs = append(vs, pD.Units(extremeInt(r)))
		}
		if r.IntN(3) > 0 {
			vs = append(vs, pC.Value([]string{"a", "b"}[r.IntN(2)]))
		}
		key := fmt.Sprintf("k%02d", i)
		if err := b.Add(key, vs...); err != nil {
			panic(err)
		}
		o.add(key, vs...)
	}
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	if n > 0 && r.IntN(3) == 0 {
		t := base.Batch()
		for range r.IntN(4) + 1 {
			key := fmt.Sprintf("k%02d", r.IntN(n))
			if o.rows[o.ids[key]].live {
				if err := t.Remove(key); err != nil {
					panic(err)
				}
				o.remove(key)
			}
		}
		if base, err = t.Apply(); err != nil {
			panic(err)
		}
	}
	return base, o
}

// bandDimOracle is a banded dimension and the oracle's view of it: the
// edges as exact rationals (nil for ±Inf, with inf giving the sign).
type bandDimOracle struct {
	dim   Dim
	scale int
	edges []*big.Rat
	inf   []int
}

// randBandDim returns Bands over x or DecimalBands over d, with random
// strictly increasing edges at the extremes.
func randBandDim(r *rand.Rand) bandDimOracle {
	k := r.IntN(4) + 1
	if r.IntN(2) == 0 {
		var es []int64
		for len(es) < k {
			es = append(es, extremeInt(r))
			slices.Sort(es)
			es = slices.Compact(es)
		}
		bo := bandDimOracle{dim: Bands(pX, es...)}
		for _, e := range es {
			bo.edges = append(bo.edges, new(big.Rat).SetInt64(e))
			bo.inf = append(bo.inf, 0)
		}
		return bo
	}
	pool := []float64{math.Inf(-1), math.Inf(1), -1e300, 1e300, -1e17, 1e17, -92233720368547758.08, 92233720368547758.07,
		92233720368547744, -0.01, 0, 0.001, 0.005, 0.01, 0.1, 0.105, 1, 19.99}
	var es []float64
	for len(es) < k {
		e := pool[r.IntN(len(pool))]
		if r.IntN(3) == 0 {
			e = float64(extremeInt(r)) / 100
		}
		es = append(es, e)
		slices.Sort(es)
		es = slices.Compact(es)
	}
	bo := bandDimOracle{dim: DecimalBands(pD, es...), scale: 2}
	for _, e := range es {
		switch {
		case math.IsInf(e, 0):
			bo.edges = append(bo.edges, nil)
			bo.inf = append(bo.inf, int(math.Copysign(1, e)))
		default:
			q, _ := new(big.Rat).SetString(strconv.FormatFloat(e, 'g', -1, 64))
			bo.edges = append(bo.edges, q)
			bo.inf = append(bo.inf, 0)
		}
	}
	return bo
}

var (
	bigMin = big.NewInt(math.MinInt64)
	bigMax = big.NewInt(math.MaxInt64)
)

// label returns the oracle's label of the band of a stored value u, and
// false when u is in no band. The band runs from the greatest edge <= u to
// the least edge > u (compared exactly), each named by the least stored
// value >= it; an edge at or below the least storable value bounds
// nothing below, as ±Inf and edges beyond the storable values bound
// nothing.
func (bo bandDimOracle) label(u int64) string {
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(bo.scale)), nil)
	v := new(big.Rat).SetFrac(big.NewInt(u), pow)
	var lo, hi *big.Int // stored units
	for _, e := range bo.edges {
		if e == nil {
			continue // -Inf is below u, +Inf above: neither bounds
		}
		c := new(big.Rat).Mul(e, new(big.Rat).SetInt(pow))
		ceil := new(big.Int).Quo(c.Num(), c.Denom()) // truncated
		if new(big.Rat).SetInt(ceil).Cmp(c) < 0 {
			ceil.Add(ceil, big.NewInt(1))
		}
		if v.Cmp(e) >= 0 {
			if ceil.Cmp(bigMin) > 0 && (lo == nil || ceil.Cmp(lo) > 0) {
				lo = ceil
			}
		} else if ceil.Cmp(bigMax) <= 0 && (hi == nil || ceil.Cmp(hi) < 0) {
			hi = ceil
		}
	}
	format := func(x *big.Int) string {
		if bo.scale == 0 {
			return x.String()
		}
		return new(big.Rat).SetFrac(x, pow).FloatString(bo.scale)
	}
	switch {
	case lo == nil && hi == nil:
		return AnyLabel
	case lo == nil:
		return "<" + format(hi)
	case hi == nil:
		return ">=" + format(lo)
	case bo.scale > 0:
		return "[" + format(lo) + ", " + format(hi) + ")"
	}
	last := new(big.Int).Sub(hi, big.NewInt(1))
	if last.Cmp(lo) == 0 {
		return format(lo)
	}
	return format(lo) + "-" + format(last)
}

// oracleCells returns the members of every non-empty cell, by joined labels.
func oracleCells(o *oracle, macro Pred, dims []Dim, bos []*bandDimOracle) map[string][]string {
	cells := map[string][]string{}
	for _, rw := range o.rows {
		if !rw.live || !rw.match(macro) {
			continue
		}
		var labels []string
		for i, d := range dims {
			v, ok := rw.vals[d.spec.name]
			switch {
			case !ok && d.missing:
				labels = append(labels, MissingLabel)
			case !ok:
			case bos[i] != nil:
				labels = append(labels, bos[i].label(v.n))
			default:
				labels = append(labels, v.cat().(string))
			}
			if len(labels) <= i {
				break
			}
		}
		if len(labels) == len(dims) {
			k := strings.Join(labels, "|")
			cells[k] = append(cells[k], rw.key)
		}
	}
	return cells
}

func TestSplitBandsMatchBigOracle(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 13))
		base, o := extremeBase(r)
		for q := range 6 {
			var dims []Dim
			var bos []*bandDimOracle
			for range r.IntN(2) + 1 {
				var d Dim
				var bo *bandDimOracle
				switch r.IntN(5) {
				case 0:
					d = By(pC)
				case 1:
					d = Bands(NewInt("absent"), extremeInt(r))
				default:
					b := randBandDim(r)
					d, bo = b.dim, &b
				}
				if r.IntN(3) == 0 {
					d = d.WithMissing()
				}
				dims, bos = append(dims, d), append(bos, bo)
			}
			macro := []Pred{All(), pC.Eq("a"), pX.Ge(0), Not(pX.Eq(math.MinInt64))}[r.IntN(4)]
			want := oracleCells(o, macro, dims, bos)
			for _, st := range strategies {
				ms, err := split(base, macro, dims, makeOptions(nil), st.s)
				if err != nil {
					t.Fatalf("seed %d query %d, %s: %v", seed, q, st.name, err)
				}
				got := map[string][]string{}
				for _, m := range ms {
					members := o.keys(o.eval(m.Pred))
					if uint64(len(members)) != m.Count {
						t.Fatalf("seed %d query %d, %s: cell %v counts %d, the oracle evaluates its Pred %s to %d",
							seed, q, st.name, m.Labels, m.Count, m.Pred, len(members))
					}
					got[strings.Join(m.Labels, "|")] = members
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("seed %d query %d, %s: Split(%s) by %v: cells (-oracle +got):\n%s", seed, q, st.name, macro, dimNames(dims), diff)
				}
			}
		}
	}
}

func dimNames(dims []Dim) []string {
	var out []string
	for _, d := range dims {
		s := d.spec.name
		if d.bands {
			s += fmt.Sprint(d.edges)
		}
		out = append(out, s)
	}
	return out
}

// cubeOracle computes ByBand(x, w) row by row with math/big: the bands,
// the count per band among the rows macro matches, or ok false when there
// are more bands than CountCube takes.
func cubeOracle(o *oracle, macro Pred, w int64, byC bool) (bands []int64, counts []uint64, ok bool) {
	var lo, hi *big.Int
	for _, rw := range o.rows {
		if v, has := rw.vals["x"]; has && rw.live {
			x := big.NewInt(v.n)
			if lo == nil || x.Cmp(lo) < 0 {
				lo = x
			}
			if hi == nil || x.Cmp(hi) > 0 {
				hi = x
			}
		}
	}
	if lo == nil {
		return []int64{}, nil, true
	}
	bw := big.NewInt(w)
	start := new(big.Int).Mul(floorQuo(lo, bw), bw)
	n := new(big.Int).Add(floorQuo(new(big.Int).Sub(hi, start), bw), big.NewInt(1))
	if n.Cmp(big.NewInt(maxWidthBands)) > 0 {
		return nil, nil, false
	}
	for k := range n.Int64() {
		b := new(big.Int).Add(start, new(big.Int).Mul(big.NewInt(k), bw))
		if b.Cmp(bigMin) < 0 {
			b = bigMin
		}
		bands = append(bands, b.Int64())
	}
	vals := []string{"a", "b"}
	cols := 1
	if byC {
		cols = 2
	}
	counts = make([]uint64, len(bands)*cols)
	for _, rw := range o.rows {
		v, has := rw.vals["x"]
		if !has || !rw.live || !rw.match(macro) {
			continue
		}
		k := floorQuo(new(big.Int).Sub(big.NewInt(v.n), start), bw).Int64()
		if !byC {
			counts[k]++
			continue
		}
		if c, has := rw.vals["c"]; has {
			counts[int(k)*cols+slices.Index(vals, c.cat().(string))]++
		}
	}
	return bands, counts, true
}

func floorQuo(a, b *big.Int) *big.Int {
	q, _ := new(big.Int).DivMod(a, b, new(big.Int)) // Euclidean: floor for b > 0
	return q
}

func TestCountCubeBandsMatchBigOracle(t *testing.T) {
	widths := []int64{1, 2, 3, 10, 1 << 47, 1 << 50, 1 << 62, math.MaxInt64}
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 17))
		base, o := extremeBase(r)
		for q := range 4 {
			w := widths[r.IntN(len(widths))]
			if r.IntN(4) == 0 {
				w = r.Int64N(math.MaxInt64) + 1
			}
			macro := []Pred{All(), pC.Eq("a"), pX.Ge(0), Not(pX.Eq(math.MinInt64))}[r.IntN(4)]
			byC := r.IntN(2) == 0
			// Both dimensions need values of c to be ordered a, b.
			if byC && !slices.Equal(base.Values(pC), []any{"a", "b"}) {
				byC = false
			}
			dims := []Dim{WidthBands(pX, w)}
			if byC {
				dims = append(dims, By(pC))
			}
			wantBands, wantCounts, ok := cubeOracle(o, macro, w, byC)
			for name, b := range map[string]*Base{"base": base} {
				cube, err := b.CountCube(macro, dims...)
				if b.col("x") == nil || byC && b.col("c") == nil { // no customer ever had a value
					if err != nil || len(cube.Counts) != 0 {
						t.Fatalf("seed %d query %d, %s: %v, %v; want no cells for a field the base does not have", seed, q, name, cube, err)
					}
					continue
				}
				if !ok {
					if !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "more than 65536 bands") {
						t.Fatalf("seed %d query %d, %s: width %d: err %v, want too many bands", seed, q, name, w, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("seed %d query %d, %s: width %d: %v", seed, q, name, w, err)
				}
				type out struct {
					Bands  []int64
					Counts []uint64
				}
				want := out{wantBands, wantCounts}
				if len(wantBands) == 0 {
					want.Counts = []uint64{}
				}
				got := out{widthStartsOf(t, b, WidthBands(pX, w)), cube.Counts}
				if len(got.Bands) == 0 {
					got.Bands = []int64{}
				}
				if slices.Equal(want.Bands, got.Bands) && slices.Equal(want.Counts, got.Counts) {
					continue // cmp.Diff is slow on long equal slices
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("seed %d query %d, %s: CountCube(%s, WidthBands(x, %d), byC %v) (-oracle +got):\n%s", seed, q, name, macro, w, byC, diff)
				}
			}
		}
	}
}
