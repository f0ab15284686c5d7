package segment_test

import (
	"fmt"
	"time"

	"github.com/fabeed28/microseg/segment"
)

func ExampleNewStanding() {
	base := companies()
	st, err := segment.NewStanding(base,
		segment.Named{Name: "big accounts", Pred: acv.Ge(50000)},
		segment.Named{Name: "NL software", Pred: segment.And(country.Eq("NL"), industry.Eq("software"))},
	)
	if err != nil {
		panic(err)
	}
	t := st.Base().Batch()
	t.Set("echo", acv.Value(60000)) // upsold
	t.Remove("bolt")                // churned
	t.Add("gala", industry.Value("software"), country.Value("NL"), acv.Value(5000))
	_, deltas, err := st.Apply(t)
	if err != nil {
		panic(err)
	}
	for _, d := range deltas {
		fmt.Printf("%s: entered %v, exited %v\n", d.Name, st.Base().AppendKeys(nil, d.Entered), base.AppendKeys(nil, d.Exited))
	}
	// Output:
	// big accounts: entered [echo], exited [bolt]
	// NL software: entered [gala], exited [bolt]
}

func ExampleStanding_Advance() {
	seen := segment.NewTime("last_order")
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b := segment.NewBuilder()
	b.Add("ann", seen.Value(day.AddDate(0, 0, -29)))
	b.Add("bob", seen.Value(day.AddDate(0, 0, -5)))
	b.Add("cat") // never ordered
	base, _ := b.Build()

	st, _ := segment.NewStanding(base)
	st.Advance(day)
	st.AddWindow(segment.Window{Name: "ordered in 30 days", Field: seen, Last: 30 * 24 * time.Hour})
	st.AddWindow(segment.Window{Name: "lapsed", Field: seen, Last: 30 * 24 * time.Hour, Outside: true})
	for _, d := range st.Advance(day.AddDate(0, 0, 2)) { // two days on, no batch
		fmt.Printf("%s: entered %v, exited %v\n", d.Name, base.AppendKeys(nil, d.Entered), base.AppendKeys(nil, d.Exited))
	}
	// Output:
	// ordered in 30 days: entered [], exited [ann]
	// lapsed: entered [ann], exited []
}
