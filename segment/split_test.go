package segment

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// randDim returns a random dimension over the random schema, and the
// oracle's labels for one row in it.
func randDim(r *rand.Rand) Dim {
	var d Dim
	switch r.IntN(9) {
	case 0:
		d = By(tCountry)
	case 1:
		d = By(tGender)
	case 2:
		d = By(tTier)
	case 3:
		d = By(tBought)
	case 4:
		d = By(tActive)
	case 5:
		edges := []int64{int64(r.IntN(30) + 10)}
		for range r.IntN(5) {
			edges = append(edges, edges[len(edges)-1]+int64(r.IntN(20)+1))
		}
		d = Bands(tAge, edges...)
	case 6:
		d = Bands(tScore, -1000, 0, 1, 1<<40)
	case 7:
		d = TimeBands(tSeen, epoch.Add(90*24*time.Hour), epoch.Add(400*24*time.Hour))
	default:
		d = DecimalBands(tSpend, 10, 100.5, 500)
	}
	if r.IntN(3) == 0 {
		d = d.WithMissing()
	}
	return d
}

// oracleLabels returns the labels of row's cells in dimension d.
func (rw *row) oracleLabels(d Dim) []string {
	v, ok := rw.vals[d.spec.name]
	if ok && (!v.spec.sameAs(d.spec) || v.spec.kind == KindSet && len(v.set()) == 0) {
		ok = false
	}
	if !ok {
		if d.missing {
			return []string{MissingLabel}
		}
		return nil
	}
	switch {
	case d.bands:
		i := 0
		for i < len(d.edges) && d.edges[i] <= v.n {
			i++
		}
		lo, hi := int64(-1<<63), int64(1<<63-1)
		if i > 0 {
			lo = d.edges[i-1]
		}
		if i < len(d.edges) {
			hi = d.edges[i] - 1
		}
		return []string{d.spec.bandLabel(lo, hi, i, len(d.edges))}
	case d.spec.kind == KindCat:
		return []string{formatLabel(v.cat())}
	case d.spec.kind == KindSet:
		var out []string
		for _, x := range v.set() {
			out = append(out, formatLabel(x))
		}
		slices.Sort(out)
		return slices.Compact(out)
	case d.spec.kind == KindFlag:
		return []string{d.spec.formatInt(v.n)}
	}
	panic("oracleLabels: bad dim")
}

type oracleCell struct {
	count uint64
	sum   *big.Int
}

// oracleSplit counts every non-empty cell row by row.
func (o *oracle) oracleSplit(macro Pred, dims []Dim, score Field) map[string]*oracleCell {
	cells := map[string]*oracleCell{}
	for _, rw := range o.rows {
		if !rw.live || !rw.match(macro) {
			continue
		}
		keys := []string{""}
		for i, d := range dims {
			var next []string
			for _, k := range keys {
				for _, l := range rw.oracleLabels(d) {
					if i > 0 {
						l = k + "|" + l
					}
					next = append(next, l)
				}
			}
			keys = next
		}
		for _, k := range keys {
			c := cells[k]
			if c == nil {
				c = &oracleCell{sum: new(big.Int)}
				cells[k] = c
			}
			c.count++
			if score != nil {
				if v, ok := rw.vals[score.Name()]; ok && v.spec.sameAs(score.spec()) {
					c.sum.Add(c.sum, big.NewInt(v.n))
				}
			}
		}
	}
	return cells
}

func scaleOf(f Field) int {
	if d, ok := f.(Decimal); ok {
		return d.Scale()
	}
	return 0
}

func TestSplitMatchesOracle(t *testing.T) {
	scores := []Field{nil, tScore, tSpend, tActive, NewInt("absent")}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 11))
		n := []int{0, 1, 40, 600, 3000}[seed%5]
		base, o := randBase(r, n, int(seed%3))
		for q := range 12 {
			dims := make([]Dim, r.IntN(4))
			for i := range dims {
				dims[i] = randDim(r)
			}
			macro := randPred(r, 2)
			if r.IntN(3) == 0 {
				macro = All()
			}
			score := scores[r.IntN(len(scores))]
			minSize := []uint64{0, 1, 2, 5, 30}[r.IntN(5)]
			opts := []SplitOption{MinSize(minSize)}
			if score != nil {
				opts = append(opts, SumOf(score))
			}
			strategy := []int{splitAuto, splitWalk, splitPass}[q%3]
			got, err := split(base, macro, dims, makeOptions(opts), strategy)
			if err != nil {
				t.Fatalf("seed %d query %d: %v", seed, q, err)
			}
			want := o.oracleSplit(macro, dims, score)
			type cell struct {
				Count uint64
				Sum   float64
			}
			wantCells, gotCells := map[string]cell{}, map[string]cell{}
			for k, c := range want {
				if c.count >= max(minSize, 1) {
					wc := cell{Count: c.count}
					if score != nil {
						wc.Sum = scaled(c.sum, scaleOf(score))
					}
					wantCells[k] = wc
				}
			}
			for i, m := range got {
				gotCells[strings.Join(m.Labels, "|")] = cell{m.Count, m.Sum}
				if i > 0 && got[i-1].Count < m.Count {
					t.Fatalf("seed %d query %d: not ordered by count: %d before %d", seed, q, got[i-1].Count, m.Count)
				}
				if q%2 == 0 {
					if c := uint64(len(o.eval(m.Pred))); c != m.Count {
						t.Fatalf("seed %d query %d: oracle counts %d for %s, Split %d", seed, q, c, m.Pred, m.Count)
					}
				}
			}
			if diff := cmp.Diff(wantCells, gotCells); diff != "" {
				t.Fatalf("seed %d query %d: Split(%s) by %d dims, strategy %d, mismatch (-oracle +got):\n%s", seed, q, macro, len(dims), strategy, diff)
			}

			// MaxSegments keeps the k largest (or most valuable).
			k := r.IntN(6) + 1
			byValue := score != nil && r.IntN(2) == 0
			opts = append(opts, MaxSegments(k))
			if byValue {
				opts = append(opts, RankByValue())
			}
			top, err := split(base, macro, dims, makeOptions(opts), strategy)
			if err != nil {
				t.Fatalf("seed %d query %d: %v", seed, q, err)
			}
			rank := func(c cell) float64 {
				if byValue {
					return c.Sum
				}
				return float64(c.Count)
			}
			var all, kept []float64
			for _, c := range gotCells {
				all = append(all, rank(c))
			}
			slices.Sort(all)
			slices.Reverse(all)
			for _, m := range top {
				c := cell{m.Count, m.Sum}
				if gotCells[strings.Join(m.Labels, "|")] != c {
					t.Fatalf("seed %d query %d: top cell %v = %+v, full split says %+v", seed, q, m.Labels, c, gotCells[strings.Join(m.Labels, "|")])
				}
				kept = append(kept, rank(c))
			}
			if diff := cmp.Diff(all[:min(k, len(all))], kept); diff != "" {
				t.Fatalf("seed %d query %d: MaxSegments(%d) byValue=%v kept (-want +got):\n%s", seed, q, k, byValue, diff)
			}
		}
	}
}

func TestSplitLabelsAndPreds(t *testing.T) {
	country := NewCat[string]("country")
	age := NewInt("age")
	spend := NewDecimal("spend", 2)
	b := NewBuilder()
	add := func(key string, vs ...Value) {
		if err := b.Add(key, vs...); err != nil {
			t.Fatal(err)
		}
	}
	add("a", country.Value("NL"), age.Value(17), spend.Value(10))
	add("b", country.Value("NL"), age.Value(30), spend.Value(20.5))
	add("c", country.Value("NL"), age.Value(30))
	add("d", country.Value("BE"), age.Value(70), spend.Value(5))
	add("e", age.Value(25))
	base, _ := b.Build()
	got, err := Split(base, age.Ge(0), []Dim{By(country).WithMissing(), Bands(age, 18, 25, 65)}, SumOf(spend))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Labels string
		Pred   string
		Count  uint64
		Sum    float64
	}
	var rows []row
	for _, m := range got {
		rows = append(rows, row{strings.Join(m.Labels, "|"), m.Pred.String(), m.Count, m.Sum})
	}
	want := []row{
		{"NL|25-64", `age >= 0 and country = "NL" and age between 25 and 64`, 2, 20.5},
		{"NL|<18", `age >= 0 and country = "NL" and age <= 17`, 1, 10},
		{"BE|>=65", `age >= 0 and country = "BE" and age >= 65`, 1, 5},
		{"(missing)|25-64", `age >= 0 and country missing and age between 25 and 64`, 1, 0},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("Split mismatch (-want +got):\n%s", diff)
	}
}

func TestSplitErrors(t *testing.T) {
	base, _ := randBase(rand.New(rand.NewPCG(1, 1)), 50, 0)
	tests := []struct {
		name string
		dims []Dim
		opts []SplitOption
		msg  string
	}{
		{"int by value", []Dim{By(tAge)}, nil, `segment: Split: field "age": invalid argument: dims[0]: int field cannot be split by value`},
		{"edges", []Dim{Bands(tAge, 10, 10)}, nil, "strictly increasing"},
		{"no edges", []Dim{TimeBands(tSeen)}, nil, "at least one edge"},
		{"zero dim", []Dim{{}}, nil, "zero Dim"},
		{"sum of cat", nil, []SplitOption{SumOf(tCountry)}, "SumOf needs an int, decimal or flag field, not cat[string]"},
		{"rank without sum", nil, []SplitOption{RankByValue()}, "RankByValue needs SumOf"},
	}
	for _, tt := range tests {
		_, err := Split(base, All(), tt.dims, tt.opts...)
		var ae *ArgError
		if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &ae) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want *ArgError containing %q", tt.name, err, tt.msg)
		}
	}
}

// TestSplitStrategiesAgree checks that the depth-first walk and the one
// pass return the same micro-segments in the same order, ties and
// MaxSegments cuts included.
func TestSplitStrategiesAgree(t *testing.T) {
	type out struct {
		Labels []string
		Pred   string
		Count  uint64
		Sum    float64
	}
	flat := func(ms []Micro) []out {
		var o []out
		for _, m := range ms {
			o = append(o, out{m.Labels, m.Pred.String(), m.Count, m.Sum})
		}
		return o
	}
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 19))
		base, _ := randBase(r, []int{5, 300, 3000}[seed%3], int(seed%2))
		for q := range 10 {
			var dims []Dim
			for len(dims) < r.IntN(4)+1 {
				dims = append(dims, randDim(r))
			}
			o := makeOptions([]SplitOption{MinSize(uint64(r.IntN(4))), MaxSegments(r.IntN(3) * 7)})
			if r.IntN(2) == 0 {
				o.sumOf = []Field{tScore, tSpend, tActive}[r.IntN(3)]
				o.byValue = r.IntN(2) == 0
			}
			macro := randPred(r, 2)
			walk, err1 := split(base, macro, dims, o, splitWalk)
			pass, err2 := split(base, macro, dims, o, splitPass)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if diff := cmp.Diff(flat(walk), flat(pass)); diff != "" {
				t.Fatalf("seed %d query %d: walk and one pass disagree (-walk +pass):\n%s", seed, q, diff)
			}
		}
	}
}
