package score_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
	"github.com/fabeed28/microseg/segment"
)

// shardSummaries splits summaries into n shards by key, as a fleet that
// routes customers by key holds them.
func shardSummaries(s []score.Summary, n int) [][]score.Summary {
	out := make([][]score.Summary, n)
	for _, c := range s {
		k := segment.ShardOf(c.Key, n)
		out[k] = append(out[k], c)
	}
	return out
}

// mergedStats returns the statistics of the shards of s, each sent
// through JSON, merged.
func mergedStats(t *testing.T, s []score.Summary, shards int) score.Stats {
	t.Helper()
	var parts []score.Stats
	for _, part := range shardSummaries(s, shards) {
		st, err := score.NewStats(part)
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var back score.Stats
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, back)
	}
	st, err := score.MergeStats(parts...)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func syntheticSummaries(t *testing.T, n int, seed uint64) []score.Summary {
	t.Helper()
	c := scoretest.Default(n, seed)
	txns := scoretest.Generate(c)
	asOf := c.Start.AddDate(0, 0, c.Days)
	s, err := score.Summarize(txns, asOf, score.Period(24*time.Hour), score.Unit(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestShardsMergeStats(t *testing.T) {
	tests := []struct {
		name string
		s    []score.Summary
		opts []score.FitOption
	}{
		{"synthetic", syntheticSummaries(t, 3000, 11), nil},
		{"synthetic penalized", syntheticSummaries(t, 2000, 12), []score.FitOption{score.Penalizer(0.01)}},
		{"cdnow", cdnowSpend(t), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := score.NewStats(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			got := mergedStats(t, tt.s, 8)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("merged stats (-all +8 shards):\n%s", diff)
			}
			if n := got.Customers(); n != int64(len(tt.s)) {
				t.Errorf("Customers = %d, want %d", n, len(tt.s))
			}
			var repeat int64
			for _, c := range tt.s {
				if c.Frequency > 0 {
					repeat++
				}
			}
			if n := got.RepeatBuyers(); n != repeat {
				t.Errorf("RepeatBuyers = %d, want %d", n, repeat)
			}
			t.Logf("%d customers: %d purchase rows, %d spend rows", len(tt.s), len(got.Purchases), len(got.Spends))

			bg, err := score.FitBGNBD(tt.s, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			bgs, err := score.FitBGNBDStats(got, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(bg, bgs); diff != "" { // exact: same groups, same fit
				t.Errorf("BG/NBD (-summaries +merged stats):\n%s", diff)
			}
			gg, err := score.FitGammaGamma(tt.s, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			ggs, err := score.FitGammaGammaStats(got, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(gg, ggs); diff != "" {
				t.Errorf("Gamma-Gamma (-summaries +merged stats):\n%s", diff)
			}
			_, bgRep, err := score.FitBGNBDReport(tt.s, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, bgsRep, err := score.FitBGNBDStatsReport(got, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(bgRep, bgsRep); diff != "" {
				t.Errorf("BG/NBD report (-summaries +merged stats):\n%s", diff)
			}
			_, ggRep, err := score.FitGammaGammaReport(tt.s, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, ggsRep, err := score.FitGammaGammaStatsReport(got, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ggRep, ggsRep); diff != "" {
				t.Errorf("Gamma-Gamma report (-summaries +merged stats):\n%s", diff)
			}
		})
	}
}

func TestStatsRowsInAnyOrder(t *testing.T) {
	s := syntheticSummaries(t, 500, 3)
	st, err := score.NewStats(s)
	if err != nil {
		t.Fatal(err)
	}
	// Reversed, with every row split in two where it can be.
	var mixed score.Stats
	for i := len(st.Purchases) - 1; i >= 0; i-- {
		r := st.Purchases[i]
		if r.Customers > 1 {
			h := r
			h.Customers = r.Customers / 2
			r.Customers -= h.Customers
			mixed.Purchases = append(mixed.Purchases, h)
		}
		mixed.Purchases = append(mixed.Purchases, r)
	}
	for i := len(st.Spends) - 1; i >= 0; i-- {
		mixed.Spends = append(mixed.Spends, st.Spends[i])
	}
	a, err1 := score.FitBGNBDStats(st)
	b, err2 := score.FitBGNBDStats(mixed)
	if err1 != nil || err2 != nil || a != b {
		t.Errorf("FitBGNBDStats: sorted %+v, %v; mixed %+v, %v", a, err1, b, err2)
	}
	c, err1 := score.FitGammaGammaStats(st)
	d, err2 := score.FitGammaGammaStats(mixed)
	if err1 != nil || err2 != nil || c != d {
		t.Errorf("FitGammaGammaStats: sorted %+v, %v; mixed %+v, %v", c, err1, d, err2)
	}
	if merged, err := score.MergeStats(mixed); err != nil || !cmp.Equal(st, merged) {
		t.Errorf("MergeStats of the mixed rows: %v (-want +got):\n%s", err, cmp.Diff(st, merged))
	}
}

func TestStatsErrors(t *testing.T) {
	ok := score.PurchaseCount{Frequency: 1, Recency: 2, T: 5, Customers: 3}
	few := score.Stats{Purchases: []score.PurchaseCount{ok}, Spends: []score.SpendCount{{Frequency: 1, Monetary: 10, Customers: 3}}}
	none := score.Stats{Purchases: []score.PurchaseCount{{Frequency: 0, T: 5, Customers: 20}}}
	zeroSpend := score.Stats{Purchases: []score.PurchaseCount{{Frequency: 1, Recency: 1, T: 5, Customers: 20}},
		Spends: []score.SpendCount{{Frequency: 1, Monetary: 0, Customers: 20}}}
	tests := []struct {
		name string
		st   score.Stats
		err  error
		want string
	}{
		{"recency past T", score.Stats{Purchases: []score.PurchaseCount{{Frequency: 1, Recency: 6, T: 5, Customers: 1}}}, score.ErrInvalidSummary, `"stats[0].Purchases[0]": field Recency`},
		{"negative frequency", score.Stats{Purchases: []score.PurchaseCount{{Frequency: -1, T: 5, Customers: 1}}}, score.ErrInvalidSummary, "field Frequency"},
		{"no customers", score.Stats{Purchases: []score.PurchaseCount{{Frequency: 1, Recency: 1, T: 5}}}, score.ErrInvalidArgument, "stats[0].Purchases[0]: Customers: value 0"},
		{"spend of no repeat", score.Stats{Spends: []score.SpendCount{{Frequency: 0, Monetary: 3, Customers: 1}}}, score.ErrInvalidSummary, "stats[0].Spends[0]: field Frequency"},
		{"spend NaN", score.Stats{Spends: []score.SpendCount{{Frequency: 2, Monetary: math.NaN(), Customers: 1}}}, score.ErrInvalidSummary, "field Monetary: value NaN"},
		{"spend no customers", score.Stats{Spends: []score.SpendCount{{Frequency: 2, Monetary: 1, Customers: -2}}}, score.ErrInvalidArgument, "Customers: value -2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := score.MergeStats(tt.st)
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("MergeStats: error %v, want one wrapping %v with %q", err, tt.err, tt.want)
			}
			if _, err := score.FitBGNBDStats(tt.st); !errors.Is(err, tt.err) {
				t.Errorf("FitBGNBDStats: error %v, want one wrapping %v", err, tt.err)
			}
			if _, err := score.FitGammaGammaStats(tt.st); !errors.Is(err, tt.err) {
				t.Errorf("FitGammaGammaStats: error %v, want one wrapping %v", err, tt.err)
			}
		})
	}
	fits := []struct {
		name string
		fit  func() error
		err  error
	}{
		{"BG/NBD few", func() error { _, err := score.FitBGNBDStats(few); return err }, score.ErrTooFewCustomers},
		{"BG/NBD none repeat", func() error { _, err := score.FitBGNBDStats(none); return err }, score.ErrNoRepeatBuyers},
		{"BG/NBD penalizer", func() error { _, err := score.FitBGNBDStats(none, score.Penalizer(-1)); return err }, score.ErrInvalidArgument},
		{"BG/NBD zero", func() error { _, err := score.FitBGNBDStats(score.Stats{}); return err }, score.ErrTooFewCustomers},
		{"Gamma-Gamma few", func() error { _, err := score.FitGammaGammaStats(few); return err }, score.ErrTooFewCustomers},
		{"Gamma-Gamma none repeat", func() error { _, err := score.FitGammaGammaStats(none); return err }, score.ErrNoRepeatBuyers},
		{"Gamma-Gamma zero spend", func() error { _, err := score.FitGammaGammaStats(zeroSpend); return err }, score.ErrInvalidSummary},
	}
	for _, f := range fits {
		if err := f.fit(); !errors.Is(err, f.err) {
			t.Errorf("%s: error %v, want one wrapping %v", f.name, err, f.err)
		}
	}
	if _, err := score.NewStats([]score.Summary{{Key: "x", Frequency: 0, Recency: 1, T: 2}}); !errors.Is(err, score.ErrInvalidSummary) {
		t.Errorf("NewStats of an impossible summary: %v", err)
	}
}
