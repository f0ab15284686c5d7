package score_test

import (
	"fmt"
	"testing"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

// BenchmarkAttach attaches RFM scores, their label and a decile to a base
// of 100,000 customers, in a batch (Attach) and as columns
// (AttachColumns, then FromColumns).
func BenchmarkAttach(b *testing.B) {
	const n = 100000
	sums := make([]score.Summary, n)
	keys := make([]string, n)
	for i := range sums {
		x := i % 9
		rec := float64(i % 50)
		if x == 0 {
			rec = 0
		}
		keys[i] = fmt.Sprintf("c-%d", i)
		sums[i] = score.Summary{Key: keys[i], Frequency: x, Recency: rec, T: 52, Revenue: float64(i % 997)}
	}
	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		b.Fatal(err)
	}
	deciles := make([]int, n)
	for i := range deciles {
		deciles[i] = 1 + i%10
	}
	scores := []score.Scores{rfmF.Scores(rfm), score.Ints(decileF, deciles)}
	base, err := segment.FromColumns(keys)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Attach", func(b *testing.B) {
		for b.Loop() {
			if _, err := score.Attach(base, sums, scores...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AttachColumns", func(b *testing.B) {
		for b.Loop() {
			cols, err := score.AttachColumns(keys, sums, scores...)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := segment.FromColumns(keys, cols...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
