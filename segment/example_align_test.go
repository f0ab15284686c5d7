package segment_test

import (
	"fmt"

	"github.com/fabeed28/microseg/segment"
)

// A nightly full reload arrives in another row order, without a customer
// who left and with a new one: AlignIDs gives it yesterday's IDs, so
// Movement can say who entered and left the segment.
func ExampleAlignIDs() {
	tier := segment.NewCat[string]("tier")
	yesterday, _ := segment.FromColumns([]string{"ann", "bob", "cas"},
		tier.Column([]string{"gold", "silver", "gold"}, nil))
	reload, _ := segment.FromColumns([]string{"dee", "cas", "ann"},
		tier.Column([]string{"gold", "silver", "gold"}, nil))

	if _, err := segment.Movement(yesterday, reload, tier.Eq("gold")); err != nil {
		fmt.Println("without AlignIDs:", err)
	}
	today, err := segment.AlignIDs(yesterday, reload)
	if err != nil {
		fmt.Println(err)
		return
	}
	mv, _ := segment.Movement(yesterday, today, tier.Eq("gold"))
	for k := range today.Keys(mv.Entered) {
		fmt.Println("entered gold:", k)
	}
	for k := range yesterday.Keys(mv.Exited) {
		fmt.Println("left gold:", k)
	}
	// Output:
	// without AlignIDs: segment: Movement: bases are not snapshots of one base: ID 0 is "ann" before and "dee" after
	// entered gold: dee
	// left gold: cas
}

// Scores computed elsewhere (a model, a notebook) join the base column by
// column, for the customers that have one.
func ExampleBase_WithColumns() {
	country := segment.NewCat[string]("country")
	base, _ := segment.FromColumns([]string{"ann", "bob", "cas"},
		country.Column([]string{"NL", "BE", "NL"}, nil))

	churn := segment.NewDecimal("churn_risk", 2)
	scored, err := base.WithColumns([]string{"cas", "ann"}, churn.Column([]float64{0.82, 0.10}, nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	for k := range scored.Keys(scored.Eval(segment.And(country.Eq("NL"), churn.Ge(0.5)))) {
		fmt.Println("NL at risk:", k)
	}
	fmt.Println("without a score:", scored.Count(churn.Missing()))
	// Output:
	// NL at risk: cas
	// without a score: 1
}
