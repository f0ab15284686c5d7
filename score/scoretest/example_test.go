package scoretest_test

import (
	"fmt"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
)

// A synthetic cohort with known parameters: BG/NBD fitted on its summaries
// lands close to the parameters it was drawn from.
func ExampleGenerate() {
	cfg := scoretest.Default(5000, 1)
	txns := scoretest.Generate(cfg)
	asOf := cfg.Start.AddDate(0, 0, cfg.Days).Add(-time.Second) // the end of the last day
	sums, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d customers, first %s on %s\n", len(sums), txns[0].Key, txns[0].Time.Format("2006-01-02"))

	bg, err := score.FitBGNBD(sums)
	if err != nil {
		fmt.Println(err)
		return
	}
	t := cfg.Purchases
	fmt.Printf("fit  r=%.2f alpha=%.1f a=%.1f b=%.1f\n", bg.R, bg.Alpha, bg.A, bg.B)
	fmt.Printf("true r=%.2f alpha=%.1f a=%.1f b=%.1f\n", t.R, t.Alpha, t.A, t.B)
	// Output:
	// 5000 customers, first c-000001 on 2024-01-22
	// fit  r=0.25 alpha=4.7 a=0.7 b=2.0
	// true r=0.25 alpha=4.5 a=0.8 b=2.5
}
