package score_test

import (
	"errors"
	"fmt"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

// exampleSums are six customers' summaries, in weeks.
var exampleSums = []score.Summary{
	{Key: "a", Frequency: 9, Recency: 50, T: 52, Revenue: 900, Profit: 300},
	{Key: "b", Frequency: 6, Recency: 10, T: 52, Revenue: 700, Profit: 250},
	{Key: "c", Frequency: 0, Recency: 0, T: 2, Revenue: 30, Profit: 10},
	{Key: "d", Frequency: 1, Recency: 20, T: 40, Revenue: 60, Profit: 15},
	{Key: "e", Frequency: 0, Recency: 0, T: 50, Revenue: 20, Profit: 5},
	{Key: "f", Frequency: 8, Recency: 51, T: 52, Revenue: 1200, Profit: 420},
}

func exampleBase(keys ...string) *segment.Base {
	b := segment.NewBuilder()
	for _, k := range keys {
		if err := b.Add(k); err != nil {
			panic(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	return base
}

func ExampleAttach() {
	base := exampleBase("a", "b", "c", "d", "e", "f", "g") // g has bought nothing yet
	sums := exampleSums

	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		fmt.Println(err)
		return
	}
	profit := make([]float64, len(sums))
	for i, s := range sums {
		profit[i] = s.Profit
	}
	terciles, err := score.Ntiles(profit, 3) // terciles[i] is of sums[i]
	if err != nil {
		fmt.Println(err)
		return
	}

	// Every result is aligned with the summaries: one call attaches them all.
	fields := score.NewRFMFields("rfm")
	value := segment.NewInt("profit_tercile")
	profitF := segment.NewDecimal("profit", 2)
	base, err = score.Attach(base, sums, fields.Scores(rfm), score.Ints(value, terciles), score.Decimals(profitF, profit))
	if err != nil {
		fmt.Println(err)
		return
	}

	// The named RFM segment is a field: split by it like any other.
	cells, err := segment.Split(base, fields.Label.Known(), []segment.Dim{segment.By(fields.Label)}, segment.SumOf(profitF))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cells {
		fmt.Printf("%-16s %d customers, profit %.0f\n", c.Labels[0], c.Count, c.Sum)
	}
	fmt.Println("top tercile:", base.Count(value.Eq(3)), "customers; unscored:", base.Count(fields.Label.Missing()))
	// Output:
	// loyal            1 customers, profit 300
	// at risk          1 customers, profit 250
	// about to sleep   1 customers, profit 10
	// hibernating      1 customers, profit 15
	// lost             1 customers, profit 5
	// champions        1 customers, profit 420
	// top tercile: 2 customers; unscored: 1
}

func ExampleAttachColumns() {
	// A base built in one call from the caller's columns and the scores.
	keys := []string{"a", "b", "c", "d", "e", "f", "g"}
	country := segment.NewCat[string]("country")
	countries := []string{"NL", "BE", "NL", "NL", "BE", "NL", "BE"}

	rfm, err := score.RFMScores(exampleSums, score.Quintiles)
	if err != nil {
		fmt.Println(err)
		return
	}
	fields := score.NewRFMFields("rfm")
	cols, err := score.AttachColumns(keys, exampleSums, fields.Scores(rfm))
	if err != nil {
		fmt.Println(err)
		return
	}
	base, err := segment.FromColumns(keys, append(cols, country.Column(countries, nil))...)
	if err != nil {
		fmt.Println(err)
		return
	}
	best := segment.And(fields.Label.In("champions", "loyal"), country.Eq("NL"))
	for k := range base.Keys(base.Eval(best)) {
		fmt.Println("champions or loyal in NL:", k)
	}
	// Output:
	// champions or loyal in NL: a
	// champions or loyal in NL: f
}

func ExampleCategories() {
	base := exampleBase("a", "b", "c")
	tier := segment.NewCat[string]("tier")
	sums := exampleSums[:3]
	labels := make([]string, len(sums))
	for i, s := range sums {
		labels[i] = "low"
		if s.Revenue >= 500 {
			labels[i] = "high"
		}
	}
	base, err := score.Attach(base, sums, score.Categories(tier, labels))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("high:", base.Count(tier.Eq("high")), "low:", base.Count(tier.Eq("low")))
	// Output:
	// high: 2 low: 1
}

func ExampleInts() {
	base := exampleBase("a", "b", "c", "d", "e", "f")
	revenue := make([]float64, len(exampleSums))
	for i, s := range exampleSums {
		revenue[i] = s.Revenue
	}
	halves, err := score.Bins(revenue, []float64{100}) // 0 below 100, 1 from 100
	if err != nil {
		fmt.Println(err)
		return
	}
	big := segment.NewInt("big")
	base, err = score.Attach(base, exampleSums, score.Ints(big, halves))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("revenue >= 100:", base.Count(big.Eq(1)))
	// Output:
	// revenue >= 100: 3
}

func ExampleDecimals() {
	bg := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	sums := []score.Summary{
		{Key: "a", Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35},
		{Key: "b", Frequency: 0, Recency: 0, T: 38.86},
	}
	h := score.Horizon{Periods: 12, Every: score.Month, Unit: score.Week, Rate: 0.01}
	values := make([]float64, len(sums))
	for i, s := range sums {
		v, err := score.CLV(bg, gg, s, h)
		if err != nil {
			fmt.Println(err)
			return
		}
		values[i] = v
	}
	clv := segment.NewDecimal("clv", 2)
	base, err := score.Attach(exampleBase("a", "b"), sums, score.Decimals(clv, values))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("CLV >= 10:", base.Count(clv.Ge(10)), "of", base.Len())
	// Output:
	// CLV >= 10: 1 of 2
}

func ExampleRFMFields_Scores() {
	rfm, err := score.RFMScores(exampleSums, score.Quintiles)
	if err != nil {
		fmt.Println(err)
		return
	}
	fields := score.NewRFMFields("rfm")
	scores := fields.Scores(rfm)
	for _, f := range scores.Fields() {
		fmt.Print(f.Name(), " ")
	}
	fmt.Println("for", scores.Len(), "customers")
	// Output:
	// rfm_r rfm_f rfm_m rfm_cell rfm_segment for 6 customers
}

func ExampleRFMFields_Fields() {
	// What to leave out of the persona of champions: that they have the
	// label "champions" and R = 5 says nothing.
	for _, f := range score.NewRFMFields("rfm").Fields() {
		fmt.Print(f.Name(), " ")
	}
	fmt.Println()
	// Output:
	// rfm_r rfm_f rfm_m rfm_cell rfm_segment
}

func ExampleScores_Fields() {
	// Fields lists the fields that Attach writes, in order.
	clv := segment.NewDecimal("clv", 2)
	scores := []score.Scores{score.Decimals(clv, []float64{12.5}), score.NewRFMFields("rfm").Scores(nil)}
	for _, s := range scores {
		for _, f := range s.Fields() {
			fmt.Print(f.Name(), " ")
		}
	}
	fmt.Println()
	// Output:
	// clv rfm_r rfm_f rfm_m rfm_cell rfm_segment
}

func ExampleHorizon() {
	bg := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := score.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	s := score.Summary{Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35} // in weeks
	// A year of months for summaries made with score.Unit(score.Week):
	// Every is a duration, Unit the summaries' unit, so no one has to work
	// out how many weeks make a month.
	h := score.Horizon{Periods: 12, Every: score.Month, Unit: score.Week, Rate: 0.01}
	v, err := score.CLV(bg, gg, s, h)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("12-month CLV %.2f (a month is %.3f weeks)\n", v, float64(score.Month)/float64(score.Week))
	// Output:
	// 12-month CLV 36.31 (a month is 4.348 weeks)
}

func ExampleScores() {
	// Scores are aligned with the summaries they were computed from: value
	// i is of the customer of sums[i]. Scores that carry keys (RFM) are
	// checked against the summaries, so scores of a reordered slice are an
	// error, not silently misplaced.
	sums := exampleSums[:3]
	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		fmt.Println(err)
		return
	}
	reversed := []score.RFM{rfm[2], rfm[1], rfm[0]}
	_, err = score.Attach(exampleBase("a", "b", "c"), sums, score.NewRFMFields("rfm").Scores(reversed))
	fmt.Println(errors.Is(err, score.ErrInvalidArgument))
	fmt.Println(err)
	// Output:
	// true
	// score: attach [rfm_r rfm_f rfm_m rfm_cell rfm_segment]: field "rfm_r": value 0 is of customer "c", want the customer of summaries[0], "a" (scores in the order of the summaries): invalid argument
}
