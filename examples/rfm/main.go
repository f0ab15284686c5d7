// Command rfm scores a synthetic customer base by recency, frequency and
// monetary value, names the customary RFM segments, attaches the scores and
// the segment names to a segment base in one call and queries and splits
// them like any other field.
//
//	go run ./examples/rfm
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
	"github.com/fabeed28/microseg/segment"
)

func main() {
	cfg := scoretest.Default(5000, 1)
	cfg.Join = cfg.Days // customers keep joining, so some are new
	txns := scoretest.Generate(cfg)
	asOf := cfg.Start.AddDate(0, 0, cfg.Days).Add(-time.Second) // the end of the last day
	sums, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d transactions, %d customers, as of %s\n\n", len(txns), len(sums), asOf.Format("2006-01-02"))

	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		log.Fatal(err)
	}
	count := map[score.RFMSegment]int{}
	for _, r := range rfm {
		count[r.Segment()]++
	}
	fmt.Println("RFM segments (quintile scores, R×F map):")
	for _, g := range score.RFMSegments() {
		fmt.Printf("  %-20s %5d\n", g, count[g])
	}

	// Historical value: profit deciles and the Pareto view.
	profit := make([]float64, len(sums))
	for i, s := range sums {
		profit[i] = s.Profit
	}
	for _, k := range []float64{0.01, 0.1, 0.2} {
		share, err := score.TopShare(profit, k)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("top %2.0f%% of customers bring %4.1f%% of profit\n", 100*k, 100*share)
	}
	deciles, err := score.Ntiles(profit, 10)
	if err != nil {
		log.Fatal(err)
	}

	// Scores as fields of a base: every result above is aligned with the
	// summaries, so one call attaches them all, the named RFM segment
	// included.
	b := segment.NewBuilder()
	for _, s := range sums {
		if err := b.Add(s.Key); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	fields := score.NewRFMFields("rfm")
	decile := segment.NewInt("profit_decile")
	if base, err = score.Attach(base, sums, fields.Scores(rfm), score.Ints(decile, deciles)); err != nil {
		log.Fatal(err)
	}
	lapsing := segment.And(fields.R.Le(2), decile.Ge(9))
	fmt.Printf("\nhigh value (profit decile 9-10), about to lapse (R <= 2): %d customers\n", base.Count(lapsing))
	best := segment.And(fields.Label.Eq("champions"), fields.M.Ge(4))
	fmt.Printf("champions who also spend the most (M >= 4): %d customers\n", base.Count(best))

	// The named segment is a field: split it by profit decile.
	cells, err := segment.Split(base, fields.Label.In("champions", "at risk", "can't lose"),
		[]segment.Dim{segment.By(fields.Label), segment.Bands(decile, 9)}, segment.MaxSegments(6))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("\nvaluable segments by profit decile:")
	for _, c := range cells {
		fmt.Printf("  %-12s decile %-5s %5d\n", c.Labels[0], c.Labels[1], c.Count)
	}
}
