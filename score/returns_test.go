package score_test

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/internal/realdata"
	"github.com/fabeed28/microseg/score"
)

// TestReturns checks each policy on small cases whose summaries are worked
// out by hand. Days are 2024-01-d; the unit is a day; asOf is day 10.
func TestReturns(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2024, 1, d, 12, 0, 0, 0, time.UTC) }
	asOf := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	buy := func(d int, amt, cost float64) score.Transaction {
		return score.Transaction{Key: "a", Time: at(d), Amount: amt, Cost: cost}
	}
	tests := []struct {
		name   string
		txns   []score.Transaction
		policy score.ReturnPolicy
		want   []score.Summary
	}{
		{"returned on the day: no purchase", []score.Transaction{buy(1, 100, 0), buy(1, -100, 0)}, score.NetReturns, []score.Summary{}},
		{"later purchase returned in full", []score.Transaction{buy(1, 100, 0), buy(5, 50, 0), buy(8, -50, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", T: 9, Revenue: 100, Profit: 100}}},
		{"return reaches back two purchases", []score.Transaction{buy(1, 100, 0), buy(5, 50, 0), buy(8, -80, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", T: 9, Revenue: 70, Profit: 70}}},
		{"first purchase returned: the customer starts later", []score.Transaction{buy(1, 40, 0), buy(2, -40, 0), buy(4, 10, 0), buy(6, 20, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", Frequency: 1, Recency: 2, T: 6, Monetary: 20, Revenue: 30, Profit: 30}}},
		{"more returned than bought: the rest is dropped", []score.Transaction{buy(3, 30, 0), buy(4, -50, 0)}, score.NetReturns, []score.Summary{}},
		{"return before any purchase is dropped", []score.Transaction{buy(1, -20, 0), buy(3, 40, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", T: 7, Revenue: 40, Profit: 40}}},
		{"partial return on the day", []score.Transaction{buy(1, 10, 0), buy(2, 100, 0), buy(2, -30, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", Frequency: 1, Recency: 1, T: 9, Monetary: 70, Revenue: 80, Profit: 80}}},
		{"costs go back with the return", []score.Transaction{buy(1, 100, 60), buy(2, 50, 30), buy(3, -25, -15)}, score.NetReturns,
			[]score.Summary{{Key: "a", Frequency: 1, Recency: 1, T: 9, Monetary: 25, Revenue: 125, Profit: 50}}},
		{"a return does not reach forward", []score.Transaction{buy(2, -30, 0), buy(1, 10, 0), buy(5, 30, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", T: 5, Revenue: 30, Profit: 30}}}, // day 1 returned, 20 dropped
		{"untouched zero purchase counts", []score.Transaction{buy(1, 10, 0), buy(2, 0, 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", Frequency: 1, Recency: 1, T: 9, Monetary: 0, Revenue: 10, Profit: 10}}},
		{"-0 is a return", []score.Transaction{buy(1, 10, 0), buy(2, math.Copysign(0, -1), 0)}, score.NetReturns,
			[]score.Summary{{Key: "a", T: 9, Revenue: 10, Profit: 10}}},
		{"-0 under RejectReturns is a purchase of 0", []score.Transaction{buy(1, 10, 0), buy(2, math.Copysign(0, -1), 0)}, score.RejectReturns,
			[]score.Summary{{Key: "a", Frequency: 1, Recency: 1, T: 9, Revenue: 10, Profit: 10}}},
		{"rounding leaves no purchase", []score.Transaction{buy(1, 0.1, 0), buy(1, 0.2, 0), buy(1, -0.3, 0)}, score.NetReturns, []score.Summary{}},
		{"drop: the purchase counts in full", []score.Transaction{buy(1, 100, 0), buy(5, 50, 0), buy(8, -50, -20)}, score.DropReturns,
			[]score.Summary{{Key: "a", Frequency: 1, Recency: 4, T: 9, Monetary: 50, Revenue: 150, Profit: 150}}},
		{"drop: only returns, no summary", []score.Transaction{buy(1, -5, 0)}, score.DropReturns, []score.Summary{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := score.Summarize(tt.txns, asOf, score.Returns(tt.policy))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The columns give the same.
			var c score.Columns
			for _, x := range tt.txns {
				c.Keys, c.Times, c.Amounts, c.Costs = append(c.Keys, x.Key), append(c.Times, x.Time), append(c.Amounts, x.Amount), append(c.Costs, x.Cost)
			}
			gotC, err := score.SummarizeColumns(c, asOf, score.Returns(tt.policy))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, gotC, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("SummarizeColumns differs from Summarize (-Summarize +SummarizeColumns):\n%s", diff)
			}
		})
	}
}

// TestReturnsErrors checks the errors of the return policies.
func TestReturnsErrors(t *testing.T) {
	at := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	asOf := at.Add(24 * time.Hour)
	tests := []struct {
		name string
		txn  score.Transaction
		opts []score.Option
		want error
		msg  string
	}{
		{"reject names the option", score.Transaction{Key: "c-1", Time: at, Amount: -5}, nil, score.ErrInvalidTransaction,
			`score: transaction 0 (customer "c-1"): field Amount: value -5, want a finite number >= 0 (a return? choose a policy with the option Returns: NetReturns or DropReturns): invalid transaction`},
		{"return with a positive cost", score.Transaction{Key: "c-1", Time: at, Amount: -5, Cost: 3}, []score.Option{score.Returns(score.NetReturns)}, score.ErrInvalidTransaction,
			`score: transaction 0 (customer "c-1"): field Cost: value 3, want a finite number <= 0 for a return (Amount -5): the cost of the goods that come back carries the sign of Amount: invalid transaction`},
		{"drop checks the cost too", score.Transaction{Key: "c-1", Time: at, Amount: -5, Cost: 3}, []score.Option{score.Returns(score.DropReturns)}, score.ErrInvalidTransaction, ""},
		{"-Inf amount", score.Transaction{Key: "c-1", Time: at, Amount: math.Inf(-1)}, []score.Option{score.Returns(score.NetReturns)}, score.ErrInvalidTransaction,
			`score: transaction 0 (customer "c-1"): field Amount: value -Inf, want a finite number: invalid transaction`},
		{"NaN amount", score.Transaction{Key: "c-1", Time: at, Amount: math.NaN()}, []score.Option{score.Returns(score.NetReturns)}, score.ErrInvalidTransaction, ""},
		{"negative cost of a purchase", score.Transaction{Key: "c-1", Time: at, Amount: 5, Cost: -1}, []score.Option{score.Returns(score.NetReturns)}, score.ErrInvalidTransaction, ""},
		{"return after asOf", score.Transaction{Key: "c-1", Time: asOf.Add(time.Hour), Amount: -5}, []score.Option{score.Returns(score.DropReturns)}, score.ErrAfterAsOf, ""},
		{"unknown policy", score.Transaction{Key: "c-1", Time: at, Amount: 5}, []score.Option{score.Returns(7)}, score.ErrInvalidArgument,
			"score: option Returns: value ReturnPolicy(7), want RejectReturns, NetReturns or DropReturns: invalid argument"},
	}
	for _, tt := range tests {
		_, err := score.Summarize([]score.Transaction{tt.txn}, asOf, tt.opts...)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			continue
		}
		if tt.msg != "" && err.Error() != tt.msg {
			t.Errorf("%s: message\n%s\nwant\n%s", tt.name, err, tt.msg)
		}
	}
}

// TestReturnsNoReturns checks that without returns the three policies give
// the same summaries, on random data.
func TestReturnsNoReturns(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var txns []score.Transaction
	for i := 0; i < 3000; i++ {
		txns = append(txns, score.Transaction{
			Key:    strconv.Itoa(rng.IntN(300)),
			Time:   asOf.Add(-time.Duration(rng.Int64N(int64(150 * 24 * time.Hour)))),
			Amount: math.Round(rng.Float64()*10000) / 100,
			Cost:   math.Round(rng.Float64()*3000) / 100,
		})
	}
	want, err := score.Summarize(txns, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []score.ReturnPolicy{score.NetReturns, score.DropReturns} {
		got, err := score.Summarize(txns, asOf, score.Returns(p))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 1e-9)); diff != "" {
			t.Errorf("%v differs from RejectReturns without returns (-reject +%v):\n%s", p, p, diff)
		}
	}
}

var retailAll struct {
	once sync.Once
	txns []score.Transaction
	err  error
}

// retailWithReturns reads every line of online_retail_2010_2011.csv that
// has a customer and a price >= 0, cancellations (invoices starting with
// "C", negative quantities) included, with Quantity·UnitPrice as the amount.
func retailWithReturns(t *testing.T) []score.Transaction {
	t.Helper()
	path := realdata.Path(t, "online_retail_2010_2011.csv")
	retailAll.once.Do(func() { retailAll.txns, retailAll.err = readRetailAll(path) })
	if retailAll.err != nil {
		t.Fatal(retailAll.err)
	}
	return retailAll.txns
}

func readRetailAll(path string) ([]score.Transaction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, err
	}
	var out []score.Transaction
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if rec[6] == "" {
			continue
		}
		q, err1 := strconv.Atoi(rec[3])
		p, err2 := strconv.ParseFloat(rec[5], 64)
		if err1 != nil || err2 != nil || p < 0 {
			continue
		}
		tm, err := time.Parse("2006-01-02 15:04:05", rec[4])
		if err != nil {
			return nil, err
		}
		out = append(out, score.Transaction{Key: strings.TrimSuffix(rec[6], ".0"), Time: tm, Amount: float64(q) * p})
	}
	return out, nil
}

// netOracle summarizes one customer's transactions under NetReturns the
// plain way: day totals in a map, then each negative day walks back over
// the earlier days that still hold a positive amount.
func netOracle(key string, txns []score.Transaction, asOf time.Time, unit float64) (score.Summary, bool) {
	type dayT struct {
		amt, gross float64
		ret        bool
	}
	days := map[int64]*dayT{}
	for _, x := range txns {
		d := x.Time.Unix() / 86400
		if days[d] == nil {
			days[d] = &dayT{}
		}
		days[d].amt += x.Amount
		days[d].gross += math.Abs(x.Amount)
		days[d].ret = days[d].ret || x.Amount < 0 || math.Signbit(x.Amount)
	}
	order := make([]int64, 0, len(days))
	for d := range days {
		order = append(order, d)
	}
	slices.Sort(order)
	isPurchase := func(d *dayT) bool { return !d.ret || d.amt > 1e-9*d.gross }
	for i, d := range order {
		day := days[d]
		if day.amt >= -1e-9*day.gross {
			continue
		}
		left := -day.amt
		for j := i - 1; j >= 0 && left > 1e-9*day.gross; j-- {
			prev := days[order[j]]
			if prev.amt <= 0 {
				continue
			}
			take := math.Min(left, prev.amt)
			prev.amt -= take
			prev.ret = true
			left -= take
		}
		day.amt = 0
	}
	s := score.Summary{Key: key}
	first, last := int64(-1), int64(0)
	var repeat float64
	for _, d := range order {
		day := days[d]
		if !isPurchase(day) {
			continue
		}
		amt := math.Max(day.amt, 0)
		s.Revenue += amt
		if first < 0 {
			first = d
		} else {
			s.Frequency++
			repeat += amt
		}
		last = d
	}
	if first < 0 {
		return s, false
	}
	s.Profit = s.Revenue
	s.Recency = float64(last-first) / unit
	s.T = float64(asOf.Unix()/86400-first) / unit
	if s.Frequency > 0 {
		s.Monetary = repeat / float64(s.Frequency)
	}
	return s, true
}

// TestReturnsRetail runs the three policies on the UCI Online Retail data,
// cancelled invoice lines included: RejectReturns stops at the first
// cancellation with an error naming the option; DropReturns gives the
// summaries of the purchases alone (the 4,339 customers of the issue);
// NetReturns equals a plain re-derivation of its rules for every customer.
func TestReturnsRetail(t *testing.T) {
	txns := retailWithReturns(t)
	asOf := time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC)
	_, err := score.Summarize(txns, asOf)
	var te *score.TransactionError
	if !errors.As(err, &te) || te.Field != "Amount" || !strings.Contains(err.Error(), "option Returns") {
		t.Errorf("RejectReturns on the retail data: err = %v, want a *TransactionError on Amount naming the option Returns", err)
	}
	var purchases []score.Transaction
	byKey := map[string][]score.Transaction{}
	var returns int
	for _, x := range txns {
		byKey[x.Key] = append(byKey[x.Key], x)
		if x.Amount < 0 || math.Signbit(x.Amount) {
			returns++
			continue
		}
		purchases = append(purchases, x)
	}
	want, err := score.Summarize(purchases, asOf)
	if err != nil {
		t.Fatal(err)
	}
	drop, err := score.Summarize(txns, asOf, score.Returns(score.DropReturns))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, drop); diff != "" {
		t.Errorf("DropReturns differs from the purchases alone (-purchases +drop):\n%s", diff)
	}
	if len(drop) != 4339 {
		t.Errorf("DropReturns: %d customers, want 4339", len(drop))
	}
	net, err := score.Summarize(txns, asOf, score.Returns(score.NetReturns))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]score.Summary{}
	for _, s := range net {
		got[s.Key] = s
	}
	oracle := map[string]score.Summary{}
	for k, xs := range byKey {
		if s, ok := netOracle(k, xs, asOf, 1); ok {
			oracle[k] = s
		}
	}
	if diff := cmp.Diff(oracle, got, cmpopts.EquateApprox(1e-9, 1e-6)); diff != "" {
		t.Errorf("NetReturns differs from the plain re-derivation (-oracle +got):\n%s", diff)
	}
	var revDrop, revNet float64
	var freqDrop, freqNet int
	for _, s := range drop {
		revDrop += s.Revenue
		freqDrop += s.Frequency
	}
	for _, s := range net {
		revNet += s.Revenue
		freqNet += s.Frequency
		if s.Revenue < 0 || s.Monetary < 0 {
			t.Errorf("customer %s: %+v: want revenue and monetary value >= 0", s.Key, s)
		}
	}
	t.Logf("%d lines, %d returns; DropReturns: %d customers, %d repeat purchases, revenue %.0f; NetReturns: %d customers, %d repeat purchases, revenue %.0f",
		len(txns), returns, len(drop), freqDrop, revDrop, len(net), freqNet, revNet)
	if !(revNet < revDrop) || len(net) > len(drop) || freqNet > freqDrop {
		t.Errorf("NetReturns revenue %.0f, %d customers, %d repeat purchases; want less than DropReturns' %.0f, %d, %d",
			revNet, len(net), freqNet, revDrop, len(drop), freqDrop)
	}
}
