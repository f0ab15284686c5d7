package score_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/score"
)

// naiveSummarize is the slow, obvious twin of Summarize for UTC days
// measured in days: group each customer's amounts by calendar day.
func naiveSummarize(txns []score.Transaction, asOf time.Time) map[string]score.Summary {
	dayOf := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	days := map[string]map[time.Time]float64{}
	out := map[string]score.Summary{}
	for _, x := range txns {
		if x.Time.After(asOf) {
			continue
		}
		if days[x.Key] == nil {
			days[x.Key] = map[time.Time]float64{}
		}
		days[x.Key][dayOf(x.Time)] += x.Amount
		s := out[x.Key]
		s.Key = x.Key
		s.Revenue += x.Amount
		s.Profit += x.Amount - x.Cost
		out[x.Key] = s
	}
	for k, m := range days {
		ds := slices.SortedFunc(func(yield func(time.Time) bool) {
			for d := range m {
				if !yield(d) {
					return
				}
			}
		}, func(a, b time.Time) int { return a.Compare(b) })
		s := out[k]
		s.Frequency = len(ds) - 1
		s.Recency = ds[len(ds)-1].Sub(ds[0]).Hours() / 24
		s.T = dayOf(asOf).Sub(ds[0]).Hours() / 24
		var rep float64
		for _, d := range ds[1:] {
			rep += m[d]
		}
		if s.Frequency > 0 {
			s.Monetary = rep / float64(s.Frequency)
		}
		out[k] = s
	}
	return out
}

func TestSummarizeMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	start := time.Date(2023, 12, 30, 0, 0, 0, 0, time.UTC)
	for round := 0; round < 20; round++ {
		n := 1 + rng.IntN(400)
		txns := make([]score.Transaction, n)
		for i := range txns {
			amt := float64(rng.IntN(10000)) / 100
			txns[i] = score.Transaction{
				Key:    fmt.Sprintf("k%d", rng.IntN(1+n/3)),
				Time:   start.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour)))),
				Amount: amt,
				Cost:   amt * rng.Float64(),
			}
		}
		asOf := start.Add(time.Duration(rng.Int64N(int64(70 * 24 * time.Hour))))
		got, err := score.Summarize(txns, asOf, score.DropAfterAsOf())
		if err != nil {
			t.Fatal(err)
		}
		want := naiveSummarize(txns, asOf)
		gotMap := make(map[string]score.Summary, len(got))
		for _, s := range got {
			gotMap[s.Key] = s
		}
		if diff := cmp.Diff(want, gotMap, cmpopts.EquateApprox(1e-12, 1e-9)); diff != "" {
			t.Fatalf("round %d: Summarize differs from the naive twin (-naive +got):\n%s", round, diff)
		}
		// Columns without costs: profit equals revenue.
		c := score.Columns{}
		for i := range txns {
			c.Keys = append(c.Keys, txns[i].Key)
			c.Times = append(c.Times, txns[i].Time)
			c.Amounts = append(c.Amounts, txns[i].Amount)
			txns[i].Cost = 0
		}
		gotCols, err := score.SummarizeColumns(c, asOf, score.DropAfterAsOf())
		if err != nil {
			t.Fatal(err)
		}
		gotRows, err := score.Summarize(txns, asOf, score.DropAfterAsOf())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(gotRows, gotCols); diff != "" {
			t.Fatalf("round %d: columns without costs differ from rows with zero costs:\n%s", round, diff)
		}
		for _, s := range gotCols {
			if s.Profit != s.Revenue {
				t.Fatalf("round %d: %s: profit %v without costs, want revenue %v", round, s.Key, s.Profit, s.Revenue)
			}
		}
	}
}
