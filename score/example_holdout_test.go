package score_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
)

// cohort draws n customers from a BG/NBD process (times in weeks) who make
// a first purchase in the 12 weeks from start, and returns their purchases
// up to 78 weeks after start, one a day at most, at noon.
func cohort(rng *rand.Rand, m score.BGNBD, n int, start time.Time) []score.Transaction {
	const weeks = 78.0
	var out []score.Transaction
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("c%04d", i)
		lambda := scoretest.Gamma(rng, m.R, m.Alpha)
		p := betaRand(rng, m.A, m.B)
		t := math.Floor(rng.Float64()*84) / 7 // the day of the first purchase, in weeks
		for t <= weeks {
			day := start.Add(time.Duration(math.Round(t*7)) * 24 * time.Hour)
			out = append(out, score.Transaction{Key: key, Time: day.Add(12 * time.Hour), Amount: 10 + float64(rng.IntN(40))})
			if t > 0 && rng.Float64() < p {
				break
			}
			t += rng.ExpFloat64() / lambda
		}
	}
	return out
}

func ExampleSplitCalibration() {
	at := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, time.UTC) }
	txns := []score.Transaction{
		{Key: "ann", Time: at(1, 3), Amount: 40},
		{Key: "ann", Time: at(2, 14), Amount: 30},
		{Key: "ann", Time: at(4, 2), Amount: 25},  // holdout
		{Key: "ann", Time: at(5, 20), Amount: 35}, // holdout
		{Key: "bob", Time: at(3, 1), Amount: 80},
		{Key: "cid", Time: at(4, 9), Amount: 15}, // first purchase in the holdout: left out
	}
	calibrationEnd := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	observationEnd := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	h, err := score.SplitCalibration(txns, calibrationEnd, observationEnd, score.Unit(7*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("holdout of %.1f weeks\n", h.Length)
	for i, s := range h.Calibration {
		fmt.Printf("%s: calibration x=%d t_x=%.1f T=%.1f; holdout purchases %d, revenue %.0f\n",
			s.Key, s.Frequency, s.Recency, s.T, h.Purchases[i], h.Revenue[i])
	}
	// Output:
	// holdout of 12.9 weeks
	// ann: calibration x=1 t_x=6.0 T=12.7; holdout purchases 2, revenue 60
	// bob: calibration x=0 t_x=0.0 T=4.4; holdout purchases 0, revenue 0
}

func ExampleSplitCalibrationColumns() {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	c := score.Columns{
		Keys:    []string{"ann", "ann", "ann", "bob"},
		Times:   []time.Time{day(1), day(5), day(12), day(3)},
		Amounts: []float64{10, 20, 30, 40},
	}
	h, err := score.SplitCalibrationColumns(c, day(7), day(14))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Calibration[0].Key, h.Calibration[0].Frequency, h.Purchases[0], h.Length)
	// Output:
	// ann 1 1 7
}

func ExampleHoldout_Expected() {
	m := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	h := score.Holdout{
		Calibration: []score.Summary{{Key: "a", Frequency: 2, Recency: 30.43, T: 38.86}, {Key: "b", T: 38.86}},
		Purchases:   []int{1, 0},
		Length:      39,
	}
	exp, err := h.Expected(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range h.Calibration {
		fmt.Printf("%s: expected %.3f, actual %d\n", s.Key, exp[i], h.Purchases[i])
	}
	// Output:
	// a: expected 1.226, actual 1
	// b: expected 0.195, actual 0
}

func ExampleHoldout_ByFrequency() {
	// A cohort of 3,000 customers followed for 78 weeks; the model is
	// fitted on the first 39.
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	txns := cohort(rand.New(rand.NewPCG(7, 7)), score.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}, 3000, start)
	h, err := score.SplitCalibration(txns, start.AddDate(0, 0, 39*7), start.AddDate(0, 0, 78*7), score.Unit(7*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := score.FitBGNBD(h.Calibration)
	if err != nil {
		fmt.Println(err)
		return
	}
	groups, err := h.ByFrequency(m, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("x     customers  actual  expected")
	for _, g := range groups {
		x := fmt.Sprint(g.Frequency)
		if g.OrMore {
			x += "+"
		}
		fmt.Printf("%-5s %9d  %6.2f  %8.2f\n", x, g.Customers, g.Actual, g.Expected)
	}
	// Output:
	// x     customers  actual  expected
	// 0          2037    0.14      0.17
	// 1           407    0.67      0.67
	// 2           212    1.23      1.15
	// 3           112    1.27      1.71
	// 4            67    2.19      2.35
	// 5+          165    5.10      5.40
}

func ExampleHoldout_Track() {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	txns := cohort(rand.New(rand.NewPCG(7, 7)), score.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}, 3000, start)
	h, err := score.SplitCalibration(txns, start.AddDate(0, 0, 39*7), start.AddDate(0, 0, 78*7), score.Unit(7*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := score.FitBGNBD(h.Calibration)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Cumulative repeat purchases every 13 weeks.
	track, err := h.Track(m, 13)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range track {
		fmt.Printf("week %4.1f holdout=%-5v actual %5.0f expected %7.1f\n", p.Time, p.Holdout, p.Actual, p.Expected)
	}
	// Output:
	// week 13.0 holdout=false actual   799 expected   812.6
	// week 26.0 holdout=false actual  1930 expected  1970.9
	// week 39.0 holdout=false actual  2883 expected  2890.4
	// week 52.0 holdout=true  actual  3613 expected  3672.5
	// week 65.0 holdout=true  actual  4270 expected  4361.7
	// week 78.0 holdout=true  actual  4820 expected  4982.3
}

func ExampleReturns() {
	at := func(d int) time.Time { return time.Date(2024, 1, d, 12, 0, 0, 0, time.UTC) }
	txns := []score.Transaction{
		{Key: "ann", Time: at(1), Amount: 100, Cost: 60},
		{Key: "ann", Time: at(5), Amount: 50, Cost: 30},
		{Key: "ann", Time: at(8), Amount: -50, Cost: -30}, // returns the purchase of day 5
		{Key: "ann", Time: at(9), Amount: 20, Cost: 12},
	}
	asOf := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, p := range []score.ReturnPolicy{score.RejectReturns, score.NetReturns, score.DropReturns} {
		s, err := score.Summarize(txns, asOf, score.Returns(p))
		if err != nil {
			fmt.Printf("%v: %v\n", p, err)
			continue
		}
		fmt.Printf("%v: x=%d t_x=%.0f revenue=%.0f profit=%.0f\n", p, s[0].Frequency, s[0].Recency, s[0].Revenue, s[0].Profit)
	}
	// Output:
	// RejectReturns: score: transaction 2 (customer "ann"): field Amount: value -50, want a finite number >= 0 (a return? choose a policy with the option Returns: NetReturns or DropReturns): invalid transaction
	// NetReturns: x=1 t_x=8 revenue=120 profit=48
	// DropReturns: x=2 t_x=8 revenue=170 profit=68
}
