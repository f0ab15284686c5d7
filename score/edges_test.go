package score_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
)

func TestSummarizeEdges(t *testing.T) {
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	old := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)   // a multiple of 3 s from the epoch
	later := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // so is this
	tests := []struct {
		name    string
		txns    []score.Transaction
		asOf    time.Time
		opts    []score.Option
		want    []score.Summary
		wantErr error
	}{
		{"revenue overflows", []score.Transaction{{Key: "a", Time: day, Amount: math.MaxFloat64}, {Key: "a", Time: day, Amount: math.MaxFloat64}},
			day, nil, nil, score.ErrInvalidTransaction},
		{"1.5 s periods before 1678", []score.Transaction{{Key: "a", Time: old, Amount: 1}},
			later, []score.Option{score.Period(1500 * time.Millisecond), score.Unit(time.Second)},
			[]score.Summary{{Key: "a", T: float64(later.Unix() - old.Unix()), Revenue: 1, Profit: 1}}, nil},
		{"1.5 s periods after 2262", []score.Transaction{{Key: "a", Time: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), Amount: 1}},
			time.Date(2300, 1, 1, 0, 0, 3, 0, time.UTC), []score.Option{score.Period(1500 * time.Millisecond), score.Unit(time.Second)},
			[]score.Summary{{Key: "a", T: 3, Revenue: 1, Profit: 1}}, nil},
		{"span too long for the period", []score.Transaction{{Key: "a", Time: time.Date(-200000000000, 1, 1, 0, 0, 0, 0, time.UTC), Amount: 1}},
			time.Date(200000000000, 1, 1, 0, 0, 0, 0, time.UTC), []score.Option{score.Period(time.Second)}, nil, score.ErrInvalidTransaction},
	}
	for _, tt := range tests {
		got, err := score.Summarize(tt.txns, tt.asOf, tt.opts...)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: summaries (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestNtilesLargeN(t *testing.T) {
	tests := []struct {
		v    []float64
		n    int
		want []int
	}{
		{[]float64{1, 2, 3}, math.MaxInt, []int{1, 1 + math.MaxInt/3, 1 + int(uint64(math.MaxInt)*2/3)}},
		{[]float64{3, 1}, math.MaxInt, []int{1 + math.MaxInt/2, 1}},
	}
	for _, tt := range tests {
		got, err := score.Ntiles(tt.v, tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Ntiles(%v, %d) (-want +got):\n%s", tt.v, tt.n, diff)
		}
	}
}

func TestTopShareOverflow(t *testing.T) {
	tests := []struct {
		v    []float64
		frac float64
		want float64
	}{
		{[]float64{math.MaxFloat64, math.MaxFloat64, math.MaxFloat64, math.MaxFloat64}, 0.25, 0.25},
		{[]float64{math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64 / 2}, 0.34, 2 / 1.5},
	}
	for _, tt := range tests {
		got, err := score.TopShare(tt.v, tt.frac)
		if err != nil || math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("TopShare(%v, %v) = %v, %v; want %v", tt.v, tt.frac, got, err, tt.want)
		}
	}
}
