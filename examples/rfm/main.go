// Command rfm scores a synthetic customer base by recency, frequency and
// monetary value, names the customary RFM segments, attaches the scores to
// a segment base and queries them like any other field.
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

	// Scores as fields of a base.
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
	if base, err = fields.Attach(base, rfm); err != nil {
		log.Fatal(err)
	}
	decile := segment.NewInt("profit_decile")
	byKey := make(map[string]int64, len(sums))
	for i, s := range sums {
		byKey[s.Key] = int64(deciles[i])
	}
	if base, err = score.AttachInt(base, decile, byKey); err != nil {
		log.Fatal(err)
	}
	lapsing := segment.And(fields.R.Le(2), decile.Ge(9))
	fmt.Printf("\nhigh value (profit decile 9-10), about to lapse (R <= 2): %d customers\n", base.Count(lapsing))
	best := segment.And(fields.Segment(score.Champions), fields.M.Ge(4))
	fmt.Printf("champions who also spend the most (M >= 4): %d customers\n", base.Count(best))
}
