package segment_test

import (
	"fmt"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// Quality finds the values a person would question: a birth year of 1893
// among births of the 1950s to 1980s, a marital status of "YOLO", a signup
// date in the future. A signup date does not age; the last purchase does,
// because MaxAge says it is a last-seen time.
func ExampleQuality() {
	var (
		born    = segment.NewInt("year_birth")
		status  = segment.NewCat[string]("marital_status")
		signup  = segment.NewTime("signup")
		lastBuy = segment.NewTime("last_purchase")
	)
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	b := segment.NewBuilder()
	for i := range 12 {
		b.Add(fmt.Sprintf("c-%d", 1000+i),
			born.Value(1952+3*int64(i)),
			status.Value([]string{"married", "single", "together"}[i%3]),
			signup.Value(time.Date(2012, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)),
			lastBuy.Value(asOf.AddDate(0, 0, -9*i)))
	}
	b.Add("c-11004", born.Value(1893), status.Value("YOLO"),
		signup.Value(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)))
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	report, err := segment.Quality(base, asOf,
		segment.MaxAge(lastBuy, 90*24*time.Hour), // a last-seen time
		segment.RareBelow(2, 0.1))                // a small base: rare is a single customer
	if err != nil {
		panic(err)
	}
	for _, q := range report {
		fmt.Printf("%s (%s): %d known, %d missing, %d distinct\n", q.Name, q.Kind, q.Known, q.Missing, q.Distinct)
		for _, f := range q.Findings {
			fmt.Printf("  %s, %d customer(s): %s\n", f.Kind, f.Count, f.Rule)
			for _, e := range f.Examples {
				if t, ok := e.Value.(time.Time); ok {
					e.Value = t.Format(time.DateOnly)
				}
				fmt.Printf("    %s: %v\n", e.Key, e.Value)
			}
		}
	}
	// Output:
	// year_birth (int): 13 known, 0 missing, 13 distinct
	//   outlier, 1 customer(s): modified z-score 0.6745·|x − median|/MAD > 3.5 (median 1967, MAD 9): below 1920.3
	//     c-11004: 1893
	// marital_status (cat): 13 known, 0 missing, 4 distinct
	//   rare value, 1 customer(s): held by fewer than 2 customers and by less than 10% of the 13 with a value
	//     c-11004: YOLO
	// signup (time): 13 known, 0 missing, 13 distinct
	//   implausible date, 1 customer(s): after asOf 2026-11-01
	//     c-11004: 2031-01-01
	// last_purchase (time): 12 known, 1 missing, 12 distinct
	//   outdated, 1 customer(s): before 2026-08-03, older than 90 days as of 2026-11-01 (MaxAge)
	//     c-1011: 2026-07-25
}
