package score_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
)

func TestScoreRFM(t *testing.T) {
	// Five customers, T = 10 for all: time since last purchase 0, 2, 4, 6, 10.
	s := []score.Summary{
		{Key: "a", Frequency: 9, Recency: 10, T: 10, Revenue: 500},
		{Key: "b", Frequency: 5, Recency: 8, T: 10, Revenue: 400},
		{Key: "c", Frequency: 5, Recency: 6, T: 10, Revenue: 300},
		{Key: "d", Frequency: 1, Recency: 4, T: 10, Revenue: 200},
		{Key: "e", Frequency: 0, Recency: 0, T: 10, Revenue: 100},
	}
	got, err := score.RFMScores(s, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	want := []score.RFM{
		{Key: "a", R: 5, F: 5, M: 5},
		{Key: "b", R: 4, F: 3, M: 4}, // b and c tie on F: both get the lower score
		{Key: "c", R: 3, F: 3, M: 3},
		{Key: "d", R: 2, F: 2, M: 2},
		{Key: "e", R: 1, F: 1, M: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RFMScores mismatch (-want +got):\n%s", diff)
	}
	if got[0].Code() != 555 || got[1].Code() != 434 {
		t.Errorf("Code() = %d, %d; want 555, 434", got[0].Code(), got[1].Code())
	}
	for _, n := range []int{1, 10} {
		if _, err := score.RFMScores(s, n); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("RFMScores(n=%d): err = %v, want ErrInvalidArgument", n, err)
		}
	}
	if _, err := score.RFMScores([]score.Summary{{Frequency: 1, Recency: 3, T: 1}}, 5); !errors.Is(err, score.ErrInvalidSummary) {
		t.Errorf("RFMScores(bad summary): err = %v, want ErrInvalidSummary", err)
	}
}

func TestRFMSegment(t *testing.T) {
	// The R×F map, row by row from R = 5 down to R = 1, F = 1..5.
	grid := [5][5]score.RFMSegment{
		{score.New, score.PotentialLoyalists, score.PotentialLoyalists, score.Champions, score.Champions},
		{score.Promising, score.PotentialLoyalists, score.PotentialLoyalists, score.Loyal, score.Loyal},
		{score.AboutToSleep, score.AboutToSleep, score.NeedAttention, score.Loyal, score.Loyal},
		{score.Hibernating, score.Hibernating, score.AtRisk, score.AtRisk, score.CantLose},
		{score.Lost, score.Hibernating, score.AtRisk, score.AtRisk, score.CantLose},
	}
	for i, row := range grid {
		r := 5 - i
		for j, want := range row {
			f := j + 1
			for m := 1; m <= 5; m++ {
				if got := (score.RFM{R: r, F: f, M: m}).Segment(); got != want {
					t.Errorf("RFM{%d,%d,%d}.Segment() = %v, want %v", r, f, m, got, want)
				}
			}
		}
	}
	if got := (score.RFM{R: 7, F: 1, M: 1}).Segment(); got != score.Other {
		t.Errorf("RFM{7,1,1}.Segment() = %v, want other", got)
	}
	if got := len(score.RFMSegments()); got != 11 {
		t.Errorf("len(RFMSegments()) = %d, want 11", got)
	}
	if got := score.CantLose.String(); got != "can't lose" {
		t.Errorf("CantLose.String() = %q", got)
	}
}
