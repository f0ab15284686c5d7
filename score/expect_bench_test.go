package score_test

import (
	"testing"

	"github.com/fabeed28/microseg/score"
)

// benchCases are customers of the kind CLV scores in bulk.
var benchCases = []struct {
	name string
	m    score.BGNBD
	t    float64
	s    score.Summary
}{
	{"cdnow/x=2/t=39", cdnowModel, 39, score.Summary{Frequency: 2, Recency: 30.43, T: 38.86}},
	{"cdnow/x=26/t=52", cdnowModel, 52, score.Summary{Frequency: 26, Recency: 35.57, T: 38.86}},
	{"cdnow/x=0/t=1000", cdnowModel, 1000, score.Summary{T: 38.86}},
	{"B=100/x=5/t=52", score.BGNBD{R: 2, Alpha: 4.4, A: 3, B: 100}, 52, score.Summary{Frequency: 5, Recency: 0.5, T: 1}},
	{"B=100/x=5/t=1e4", score.BGNBD{R: 2, Alpha: 4.4, A: 3, B: 100}, 1e4, score.Summary{Frequency: 5, Recency: 0.5, T: 1}},
}

func BenchmarkExpectedPurchases(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.m.ExpectedPurchases(bc.t, bc.s)
			}
		})
	}
}

func BenchmarkExpectedAlive(b *testing.B) {
	m, s := cdnowModel, score.Summary{Frequency: 2, Recency: 30.43, T: 38.86}
	for b.Loop() {
		score.ExpectedAlive(m.A, m.B+float64(s.Frequency), m.R+float64(s.Frequency), 39/(m.Alpha+s.T))
	}
}
