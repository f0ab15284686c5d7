package score_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
)

func TestNtiles(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		n      int
		want   []int
	}{
		{"quintiles of ten", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5, []int{5, 5, 4, 4, 3, 3, 2, 2, 1, 1}},
		{"ties share a band", []float64{0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, 5, []int{1, 1, 1, 1, 1, 1, 4, 4, 5, 5}},
		{"order does not matter", []float64{3, 0, 4, 0, 0, 2, 0, 1, 0, 0}, 5, []int{5, 1, 5, 1, 1, 4, 1, 4, 1, 1}},
		{"deciles", []float64{1, 2, 3}, 10, []int{1, 4, 7}},
		{"empty", nil, 10, []int{}},
	}
	for _, tt := range tests {
		got, err := score.Ntiles(tt.values, tt.n)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Ntiles mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
	if _, err := score.Ntiles([]float64{1}, 0); !errors.Is(err, score.ErrInvalidArgument) {
		t.Errorf("Ntiles(n=0): err = %v, want ErrInvalidArgument", err)
	}
	if _, err := score.Ntiles([]float64{math.NaN()}, 5); !errors.Is(err, score.ErrInvalidArgument) {
		t.Errorf("Ntiles(NaN): err = %v, want ErrInvalidArgument", err)
	}
}

func TestBins(t *testing.T) {
	got, err := score.Bins([]float64{-5, 0, 99.99, 100, 1000, 5000}, []float64{0, 100, 1000})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{0, 1, 1, 2, 3, 3}, got); diff != "" {
		t.Errorf("Bins mismatch (-want +got):\n%s", diff)
	}
	for _, edges := range [][]float64{{1, 1}, {2, 1}, {0, math.Inf(1)}} {
		if _, err := score.Bins([]float64{1}, edges); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("Bins(edges %v): err = %v, want ErrInvalidArgument", edges, err)
		}
	}
}

func TestTopShare(t *testing.T) {
	values := []float64{1, 1, 1, 1, 1, 1, 1, 1, 2, 10} // total 20
	tests := []struct {
		frac, want float64
	}{
		{0, 0},
		{0.1, 0.5},  // the top customer: 10 of 20
		{0.2, 0.6},  // 12 of 20
		{0.15, 0.6}, // ceil(1.5) = 2 customers
		{1, 1},
	}
	for _, tt := range tests {
		got, err := score.TopShare(values, tt.frac)
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("TopShare(%v) = %v, %v; want %v", tt.frac, got, err, tt.want)
		}
	}
	for _, c := range []struct {
		v    []float64
		frac float64
	}{{values, -0.1}, {values, 1.1}, {nil, 0.2}, {[]float64{1, -1}, 0.5}, {values, math.NaN()}} {
		if _, err := score.TopShare(c.v, c.frac); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("TopShare(%v, %v): err = %v, want ErrInvalidArgument", c.v, c.frac, err)
		}
	}
}
