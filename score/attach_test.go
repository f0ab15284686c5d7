package score_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

// testBase builds a base of n customers "c-0".."c-(n-1)" with a country.
func testBase(t *testing.T, n int) *segment.Base {
	t.Helper()
	country := segment.NewCat[string]("country")
	b := segment.NewBuilder()
	for i := 0; i < n; i++ {
		c := "NL"
		if i%3 == 0 {
			c = "BE"
		}
		if err := b.Add(fmt.Sprintf("c-%d", i), country.Value(c)); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

func keysOf(base *segment.Base, p segment.Pred) []string {
	keys := slices.Collect(base.Keys(base.Eval(p)))
	slices.Sort(keys)
	return keys
}

func TestAttachRFMAndValue(t *testing.T) {
	const n = 500
	base := testBase(t, n)
	rng := rand.New(rand.NewPCG(7, 8))
	var sums []score.Summary
	for i := 0; i < n; i++ {
		if i%10 == 9 {
			continue // a customer without purchases gets no score
		}
		T := float64(20 + rng.IntN(30))
		x := rng.IntN(6)
		rec := 0.0
		if x > 0 {
			rec = float64(rng.IntN(int(T) + 1))
		}
		sums = append(sums, score.Summary{Key: fmt.Sprintf("c-%d", i), Frequency: x, Recency: rec, T: T, Revenue: float64(rng.IntN(1000))})
	}
	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	fields := score.NewRFMFields("rfm")
	withRFM, err := fields.Attach(base, rfm)
	if err != nil {
		t.Fatal(err)
	}
	clv := segment.NewDecimal("clv", 2)
	values := make(map[string]float64)
	for _, s := range sums {
		values[s.Key] = s.Revenue * 1.5
	}
	scored, err := score.AttachDecimal(withRFM, clv, values)
	if err != nil {
		t.Fatal(err)
	}
	if base.Count(fields.R.Known()) != 0 {
		t.Error("the original base changed")
	}
	// Naive twin: filter the scores directly.
	naive := func(keep func(r score.RFM, v float64) bool) []string {
		var out []string
		for _, r := range rfm {
			if keep(r, values[r.Key]) {
				out = append(out, r.Key)
			}
		}
		slices.Sort(out)
		return out
	}
	tests := []struct {
		name string
		pred segment.Pred
		keep func(r score.RFM, v float64) bool
	}{
		{"R >= 4 and clv >= 500", segment.And(fields.R.Ge(4), clv.Ge(500)), func(r score.RFM, v float64) bool { return r.R >= 4 && v >= 500 }},
		{"cell 555", fields.Cell.Eq(555), func(r score.RFM, v float64) bool { return r.Code() == 555 }},
		{"scored", fields.M.Known(), func(score.RFM, float64) bool { return true }},
	}
	for _, g := range append(score.RFMSegments(), score.Other) {
		tests = append(tests, struct {
			name string
			pred segment.Pred
			keep func(r score.RFM, v float64) bool
		}{g.String(), fields.Segment(g), func(r score.RFM, v float64) bool { return r.Segment() == g }})
	}
	for _, tt := range tests {
		want := naive(tt.keep)
		if diff := cmp.Diff(want, keysOf(scored, tt.pred)); diff != "" {
			t.Errorf("%s: Eval mismatch (-naive +eval):\n%s", tt.name, diff)
		}
	}
	if got := scored.Count(fields.R.Missing()); got != n/10 {
		t.Errorf("customers without RFM scores = %d, want %d", got, n/10)
	}

	// Re-attaching a smaller set clears the stale scores of the others.
	again, err := score.AttachInt(scored, fields.R, map[string]int64{"c-0": 5})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c-0"}, keysOf(again, fields.R.Known())); diff != "" {
		t.Errorf("after re-attach, R known for (-want +got):\n%s", diff)
	}
}

func TestAttachErrors(t *testing.T) {
	base := testBase(t, 3)
	f := segment.NewInt("score")
	if _, err := score.AttachInt(base, f, map[string]int64{"c-1": 1, "nobody": 2}); !errors.Is(err, score.ErrUnknownKey) {
		t.Errorf("unknown key: err = %v, want ErrUnknownKey", err)
	}
	country := segment.NewInt("country") // clashes with the Cat field
	if _, err := score.AttachInt(base, country, map[string]int64{"c-1": 1}); !errors.Is(err, segment.ErrKindConflict) {
		t.Errorf("kind conflict: err = %v, want segment.ErrKindConflict", err)
	}
	rfm := score.NewRFMFields("rfm")
	if _, err := rfm.Attach(base, []score.RFM{{Key: "c-1", R: 1, F: 1, M: 1}, {Key: "c-1", R: 2, F: 2, M: 2}}); !errors.Is(err, score.ErrInvalidArgument) {
		t.Errorf("duplicate key: err = %v, want ErrInvalidArgument", err)
	}
}
