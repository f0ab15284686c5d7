package score_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/score"
)

func TestHorizonEvery(t *testing.T) {
	bg := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	weekly := score.Summary{Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	// The same customer in days: rates per day are rates per week / 7.
	daily := score.Summary{Frequency: 2, Recency: 30.43 * 7, T: 38.86 * 7, Monetary: 22.35}
	bgDaily := bg
	bgDaily.Alpha *= 7
	clv := func(s score.Summary, m score.BGNBD, h score.Horizon) float64 {
		t.Helper()
		v, err := score.CLV(m, gg, s, h)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	byLength := clv(weekly, bg, score.Horizon{Periods: 12, Length: 365.25 / 12 / 7, Rate: 0.01})
	for _, tc := range []struct {
		name string
		s    score.Summary
		m    score.BGNBD
		h    score.Horizon
	}{
		{"months of weekly summaries", weekly, bg, score.Horizon{Periods: 12, Every: score.Month, Unit: score.Week, Rate: 0.01}},
		{"months of daily summaries, Unit given", daily, bgDaily, score.Horizon{Periods: 12, Every: score.Month, Unit: score.Day, Rate: 0.01}},
		{"months of daily summaries, default Unit", daily, bgDaily, score.Horizon{Periods: 12, Every: score.Month, Rate: 0.01}},
		{"Length in days", daily, bgDaily, score.Horizon{Periods: 12, Length: 365.25 / 12, Rate: 0.01}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := clv(tc.s, tc.m, tc.h)
			if diff := cmp.Diff(byLength, got, cmpopts.EquateApprox(1e-9, 0)); diff != "" {
				t.Errorf("CLV (-Length in weeks +this horizon):\n%s", diff)
			}
		})
	}
}

func TestHorizonErrors(t *testing.T) {
	bg := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	s := score.Summary{Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	for _, tc := range []struct {
		name string
		h    score.Horizon
		msg  string
	}{
		{"no length", score.Horizon{Periods: 12}, `Horizon.Length: value 0, want a finite number > 0 (or set Every)`},
		{"both", score.Horizon{Periods: 12, Length: 4.35, Every: score.Month}, `Horizon.Length: value 4.35, want 0 when Every is set`},
		{"negative Every", score.Horizon{Periods: 12, Every: -time.Hour}, `Horizon.Every: value -1h0m0s, want a duration > 0`},
		{"negative Unit", score.Horizon{Periods: 12, Every: score.Month, Unit: -score.Week}, `Horizon.Unit: value -168h0m0s, want the Unit of the summaries`},
		{"Unit without Every", score.Horizon{Periods: 12, Length: 4.35, Unit: score.Week}, `Horizon.Unit: value 168h0m0s, want 0 when Every is not set`},
		{"periods", score.Horizon{Periods: 0, Every: score.Month}, `Horizon.Periods: value 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := score.CLV(bg, gg, s, tc.h)
			if !errors.Is(err, score.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("CLV: error %v, want one wrapping ErrInvalidArgument with %q", err, tc.msg)
			}
		})
	}
}

func TestDurations(t *testing.T) {
	got := []time.Duration{score.Day, score.Week, score.Month, score.Year, 12 * score.Month}
	want := []time.Duration{24 * time.Hour, 168 * time.Hour, 730*time.Hour + 30*time.Minute, 8766 * time.Hour, 8766 * time.Hour}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("durations (-want +got):\n%s", diff)
	}
}
