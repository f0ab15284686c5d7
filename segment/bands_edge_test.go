package segment

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Regression tests for the edges of Split's and CountCube's bands: integer
// extremes, infinite and out-of-range decimal edges, and dimensions on
// fields the base does not have.

// edgeBase builds a base with one customer per value of x (keys c0, c1, ...)
// and a country cycling over NL, BE, DE.
func edgeBase(t *testing.T, x Int, vals ...int64) *Base {
	t.Helper()
	b := NewBuilder()
	for i, v := range vals {
		if err := b.Add(fmt.Sprintf("c%d", i), x.Value(v), tCountry.Value([]string{"NL", "BE", "DE"}[i%3])); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// splitCells runs split with the given strategy and returns label -> count.
func splitCells(t *testing.T, base *Base, dims []Dim, strategy int) map[string]uint64 {
	t.Helper()
	ms, err := split(base, All(), dims, makeOptions(nil), strategy)
	if err != nil {
		t.Fatalf("strategy %d: %v", strategy, err)
	}
	got := map[string]uint64{}
	for _, m := range ms {
		if c := base.Count(m.Pred); c != m.Count {
			t.Errorf("strategy %d: cell %v counts %d, its Pred %s matches %d", strategy, m.Labels, m.Count, m.Pred, c)
		}
		got[strings.Join(m.Labels, "|")] = m.Count
	}
	return got
}

var strategies = []struct {
	name string
	s    int
}{{"auto", splitAuto}, {"walk", splitWalk}, {"pass", splitPass}}

// TestSplitAbsentField: a field the base does not have has no values, so a
// dimension on it has no cells (and Split none), unless it is WithMissing,
// when everyone is in its missing cell. Split used to panic in the dense
// strategy (issue 13, defect 14).
func TestSplitAbsentField(t *testing.T) {
	vals := make([]int64, 1000)
	for i := range vals {
		vals[i] = int64(i)
	}
	x := NewInt("x")
	base := edgeBase(t, x, vals...)
	nosuch := NewCat[string]("nosuch")
	all := map[string]uint64{"NL|(missing)": 334, "BE|(missing)": 333, "DE|(missing)": 333}
	none := map[string]uint64{}
	tests := []struct {
		name string
		dims []Dim
		want map[string]uint64
	}{
		{"cat", []Dim{By(tCountry), By(nosuch)}, none},
		{"cat first", []Dim{By(nosuch), By(tCountry)}, none},
		{"cat alone", []Dim{By(nosuch)}, none},
		{"bands", []Dim{By(tCountry), Bands(NewInt("nosuch"), 1, 2)}, none},
		{"bands on another kind", []Dim{By(tCountry), Bands(NewInt("country"), 1, 2)}, none},
		{"decimal bands", []Dim{By(tCountry), DecimalBands(NewDecimal("nosuch", 2), 1, 2)}, none},
		{"time bands", []Dim{By(tCountry), TimeBands(NewTime("nosuch"), epoch)}, none},
		{"flag", []Dim{By(tCountry), By(NewFlag("nosuch"))}, none},
		{"cat missing", []Dim{By(tCountry), By(nosuch).WithMissing()}, all},
		{"bands missing", []Dim{By(tCountry), Bands(NewInt("nosuch"), 1, 2).WithMissing()}, all},
		{"decimal bands missing", []Dim{By(tCountry), DecimalBands(NewDecimal("nosuch", 2), math.Inf(-1)).WithMissing()}, all},
		{"time bands missing", []Dim{By(tCountry), TimeBands(NewTime("nosuch"), epoch).WithMissing()}, all},
		{"wrong kind missing", []Dim{By(tCountry), By(NewCat[int]("country")).WithMissing()}, all},
	}
	for _, tt := range tests {
		for _, st := range strategies {
			if got := splitCells(t, base, tt.dims, st.s); !cmp.Equal(tt.want, got) {
				t.Errorf("%s, %s: cells (-want +got):\n%s", tt.name, st.name, cmp.Diff(tt.want, got))
			}
		}
	}
}

// TestSplitIntExtremes: band edges at MinInt64 and MaxInt64, values at
// both ends (issue 13, defect 5: Bands(x, MinInt64) gave a cell "<MinInt64"
// holding everyone).
func TestSplitIntExtremes(t *testing.T) {
	x := NewInt("x")
	base := edgeBase(t, x, math.MinInt64, math.MinInt64+1, -1, 0, 1, math.MaxInt64-1, math.MaxInt64)
	tests := []struct {
		name  string
		edges []int64
		want  map[string]uint64
	}{
		{"min", []int64{math.MinInt64}, map[string]uint64{"(any)": 7}},
		{"min and 0", []int64{math.MinInt64, 0}, map[string]uint64{"<0": 3, ">=0": 4}},
		{"min+1", []int64{math.MinInt64 + 1}, map[string]uint64{"<-9223372036854775807": 1, ">=-9223372036854775807": 6}},
		{"max", []int64{math.MaxInt64}, map[string]uint64{"<9223372036854775807": 6, ">=9223372036854775807": 1}},
		{"min max", []int64{math.MinInt64, math.MaxInt64}, map[string]uint64{"<9223372036854775807": 6, ">=9223372036854775807": 1}},
		{"min+1 max", []int64{math.MinInt64 + 1, math.MaxInt64},
			map[string]uint64{"<-9223372036854775807": 1, "-9223372036854775807-9223372036854775806": 5, ">=9223372036854775807": 1}},
		{"max-1 max", []int64{math.MaxInt64 - 1, math.MaxInt64},
			map[string]uint64{"<9223372036854775806": 5, "9223372036854775806": 1, ">=9223372036854775807": 1}},
		{"0 1", []int64{0, 1}, map[string]uint64{"<0": 3, "0": 1, ">=1": 3}},
	}
	for _, tt := range tests {
		for _, st := range strategies {
			if got := splitCells(t, base, []Dim{Bands(x, tt.edges...)}, st.s); !cmp.Equal(tt.want, got) {
				t.Errorf("%s, %s: cells (-want +got):\n%s", tt.name, st.name, cmp.Diff(tt.want, got))
			}
		}
	}
}

// TestDecimalBandsEdges: infinite edges mean unbounded, NaN is an error,
// and finite edges start their band at the least stored value >= them,
// exactly (issue 13, defect 4).
func TestDecimalBandsEdges(t *testing.T) {
	d := NewDecimal("d", 2)
	b := NewBuilder()
	for i, u := range []int64{math.MinInt64, -100, -1, 0, 1, 10, 100, math.MaxInt64} {
		if err := b.Add(fmt.Sprintf("c%d", i), d.Units(u)); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	inf := math.Inf(1)
	tests := []struct {
		name  string
		edges []float64
		want  map[string]uint64
	}{
		{"-inf 0 +inf", []float64{-inf, 0, inf}, map[string]uint64{"<0.00": 3, ">=0.00": 5}},
		{"-inf", []float64{-inf}, map[string]uint64{"(any)": 8}},
		{"+inf", []float64{inf}, map[string]uint64{"(any)": 8}},
		{"-inf +inf", []float64{-inf, inf}, map[string]uint64{"(any)": 8}},
		{"huge", []float64{-1e300, 0, 1e300}, map[string]uint64{"<0.00": 3, ">=0.00": 5}},
		{"beyond units", []float64{-1e17, 1e17}, map[string]uint64{"(any)": 8}},
		{"beyond units, inner edge", []float64{-1e17, 0, 1e17}, map[string]uint64{"<0.00": 3, ">=0.00": 5}},
		// The float64 nearest 92233720368547758.07 is 2^63/100 rounded up
		// to 92233720368547760: above every stored value.
		{"just above units", []float64{92233720368547758.07}, map[string]uint64{"(any)": 8}},
		{"just below units", []float64{92233720368547744}, map[string]uint64{"<92233720368547740.00": 7, ">=92233720368547740.00": 1}},
		{"bottom of units", []float64{-92233720368547758.08, 0}, map[string]uint64{"<0.00": 3, ">=0.00": 5}},
		// An edge reads as Ge reads its bound: the shortest decimal that
		// converts back to it, so 0.1 is 1/10 (not the float64 just
		// above it) and 0.105 is 21/200, rounded up to 0.11.
		{"0.1", []float64{0.1}, map[string]uint64{"<0.10": 5, ">=0.10": 3}},
		{"0.105", []float64{0.105}, map[string]uint64{"<0.11": 6, ">=0.11": 2}},
		{"0.01 1", []float64{0.01, 1}, map[string]uint64{"<0.01": 4, "[0.01, 1.00)": 2, ">=1.00": 2}},
		{"-0.01", []float64{-0.01}, map[string]uint64{"<-0.01": 2, ">=-0.01": 6}},
		{"rounds together", []float64{0.001, 0.002}, map[string]uint64{"<0.01": 4, ">=0.01": 4}},
	}
	for _, tt := range tests {
		for _, st := range strategies {
			if got := splitCells(t, base, []Dim{DecimalBands(d, tt.edges...)}, st.s); !cmp.Equal(tt.want, got) {
				t.Errorf("%s, %s: cells (-want +got):\n%s", tt.name, st.name, cmp.Diff(tt.want, got))
			}
		}
	}
	for _, edges := range [][]float64{{math.NaN()}, {0, math.NaN()}, {1, 0}, {0, 0}, {inf, -inf}, {}, {inf, inf}} {
		_, err := Split(base, All(), []Dim{DecimalBands(d, edges...)})
		var ae *ArgError
		if !errors.As(err, &ae) || ae.Field != "d" {
			t.Errorf("DecimalBands(%v): err = %v, want an *ArgError on field d", edges, err)
		}
	}
}
