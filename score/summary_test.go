package score_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/score"
)

func day(d int, hour int) time.Time {
	return time.Date(2024, 1, d, hour, 0, 0, 0, time.UTC)
}

func TestSummarize(t *testing.T) {
	txns := []score.Transaction{
		{Key: "b", Time: day(3, 10), Amount: 5},
		{Key: "a", Time: day(8, 9), Amount: 30, Cost: 20},
		{Key: "a", Time: day(1, 9), Amount: 10, Cost: 4},
		{Key: "a", Time: day(8, 17), Amount: 12, Cost: 2}, // same day as the 30: one purchase of 42
		{Key: "a", Time: day(15, 12), Amount: 6},
		{Key: "c", Time: day(29, 23), Amount: 0}, // a free purchase still counts
	}
	asOf := day(29, 23)
	tests := []struct {
		name string
		opts []score.Option
		want []score.Summary
	}{
		{
			name: "days",
			want: []score.Summary{
				{Key: "b", Frequency: 0, Recency: 0, T: 26, Monetary: 0, Revenue: 5, Profit: 5},
				{Key: "a", Frequency: 2, Recency: 14, T: 28, Monetary: 24, Revenue: 58, Profit: 32},
				{Key: "c", Frequency: 0, Recency: 0, T: 0, Monetary: 0, Revenue: 0, Profit: 0},
			},
		},
		{
			name: "days measured in weeks",
			opts: []score.Option{score.Unit(week)},
			want: []score.Summary{
				{Key: "b", T: 26.0 / 7, Revenue: 5, Profit: 5},
				{Key: "a", Frequency: 2, Recency: 2, T: 4, Monetary: 24, Revenue: 58, Profit: 32},
				{Key: "c"},
			},
		},
		{
			name: "weeks grouped and measured in weeks",
			// Weekly periods start on Thursdays (the Unix epoch was one):
			// Jan 1 (Mon) and Jan 3 (Wed) share the period from Dec 28,
			// Jan 8 is in the period from Jan 4, Jan 15 in Jan 11's,
			// and asOf (Jan 29) in Jan 25's.
			opts: []score.Option{score.Period(week), score.Unit(week)},
			want: []score.Summary{
				{Key: "b", T: 4, Revenue: 5, Profit: 5},
				{Key: "a", Frequency: 2, Recency: 2, T: 4, Monetary: 24, Revenue: 58, Profit: 32},
				{Key: "c"},
			},
		},
		{
			name: "known customers in given order",
			opts: []score.Option{score.Customers("c", "a", "b", "z")},
			want: []score.Summary{
				{Key: "c"},
				{Key: "a", Frequency: 2, Recency: 14, T: 28, Monetary: 24, Revenue: 58, Profit: 32},
				{Key: "b", T: 26, Revenue: 5, Profit: 5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := score.Summarize(txns, asOf, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Summarize mismatch (-want +got):\n%s", diff)
			}
			// The columnar form gives the same.
			var c score.Columns
			for _, x := range txns {
				c.Keys = append(c.Keys, x.Key)
				c.Times = append(c.Times, x.Time)
				c.Amounts = append(c.Amounts, x.Amount)
				c.Costs = append(c.Costs, x.Cost)
			}
			got2, err := score.SummarizeColumns(c, asOf, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, got2); diff != "" {
				t.Errorf("SummarizeColumns differs from Summarize (-rows +columns):\n%s", diff)
			}
		})
	}
}

func TestSummarizeDropAfterAsOf(t *testing.T) {
	txns := []score.Transaction{
		{Key: "a", Time: day(1, 0), Amount: 1},
		{Key: "a", Time: day(10, 0), Amount: 2},
		{Key: "a", Time: day(20, 0), Amount: 4}, // holdout
		{Key: "b", Time: day(20, 0), Amount: 8}, // first purchase in the holdout
	}
	got, err := score.Summarize(txns, day(10, 0), score.DropAfterAsOf())
	if err != nil {
		t.Fatal(err)
	}
	want := []score.Summary{{Key: "a", Frequency: 1, Recency: 9, T: 9, Monetary: 2, Revenue: 3, Profit: 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestSummarizeErrors(t *testing.T) {
	asOf := day(10, 0)
	ok := score.Transaction{Key: "a", Time: day(1, 0), Amount: 1}
	with := func(f func(*score.Transaction)) []score.Transaction {
		bad := ok
		f(&bad)
		return []score.Transaction{ok, bad}
	}
	tests := []struct {
		name      string
		txns      []score.Transaction
		opts      []score.Option
		want      error
		wantField string
	}{
		{"empty key", with(func(x *score.Transaction) { x.Key = "" }), nil, score.ErrInvalidTransaction, "Key"},
		{"zero time", with(func(x *score.Transaction) { x.Time = time.Time{} }), nil, score.ErrInvalidTransaction, "Time"},
		{"negative amount", with(func(x *score.Transaction) { x.Amount = -3 }), nil, score.ErrInvalidTransaction, "Amount"},
		{"NaN amount", with(func(x *score.Transaction) { x.Amount = math.NaN() }), nil, score.ErrInvalidTransaction, "Amount"},
		{"infinite cost", with(func(x *score.Transaction) { x.Cost = math.Inf(1) }), nil, score.ErrInvalidTransaction, "Cost"},
		{"negative cost", with(func(x *score.Transaction) { x.Cost = -1 }), nil, score.ErrInvalidTransaction, "Cost"},
		{"after asOf", with(func(x *score.Transaction) { x.Time = day(11, 0) }), nil, score.ErrAfterAsOf, "Time"},
		{"unknown key", with(func(x *score.Transaction) { x.Key = "zz" }), []score.Option{score.Customers("a")}, score.ErrUnknownKey, "Key"},
	}
	for _, tt := range tests {
		_, err := score.Summarize(tt.txns, asOf, tt.opts...)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			continue
		}
		var te *score.TransactionError
		if !errors.As(err, &te) || te.Index != 1 || te.Field != tt.wantField {
			t.Errorf("%s: err = %#v, want a *TransactionError for row 1, field %s", tt.name, err, tt.wantField)
		}
	}
	argTests := []struct {
		name string
		opts []score.Option
		asOf time.Time
	}{
		{"zero period", []score.Option{score.Period(0)}, asOf},
		{"negative unit", []score.Option{score.Unit(-time.Hour)}, asOf},
		{"zero asOf", nil, time.Time{}},
		{"duplicate customers", []score.Option{score.Customers("a", "a")}, asOf},
	}
	for _, tt := range argTests {
		if _, err := score.Summarize([]score.Transaction{ok}, tt.asOf, tt.opts...); !errors.Is(err, score.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", tt.name, err)
		}
	}
	_, err := score.SummarizeColumns(score.Columns{Keys: []string{"a"}}, asOf)
	if !errors.Is(err, score.ErrInvalidArgument) {
		t.Errorf("ragged columns: err = %v, want ErrInvalidArgument", err)
	}
}

func TestTransactionErrorMessage(t *testing.T) {
	_, err := score.Summarize([]score.Transaction{{Key: "c-1", Time: day(1, 0), Amount: -5}}, day(2, 0))
	want := `score: transaction 0 (customer "c-1"): field Amount: value -5, want a finite number >= 0 (a return? choose a policy with the option Returns: NetReturns or DropReturns): invalid transaction`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
