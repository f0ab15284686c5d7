package score_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/fabeed28/microseg/score"
)

// TestSummarizeCDNOW checks that summaries computed from the raw CDNOW
// sample equal the published per-customer summaries: purchases grouped by
// day, time measured in weeks, calibration ending 1997-09-30.
func TestSummarizeCDNOW(t *testing.T) {
	txns := cdnowTransactions(t)
	want := cdnowSpend(t)
	got, err := score.Summarize(txns, cdnowAsOf, score.Period(24*time.Hour), score.Unit(week), score.DropAfterAsOf())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d summaries, want %d", len(got), len(want))
	}
	byKey := make(map[string]score.Summary, len(got))
	for _, s := range got {
		byKey[s.Key] = s
	}
	bad := 0
	for _, w := range want {
		g, ok := byKey[w.Key]
		switch {
		case !ok:
			t.Errorf("customer %s: no summary", w.Key)
		case g.Frequency != w.Frequency,
			math.Abs(g.Recency-w.Recency) > 0.005+1e-9,
			math.Abs(g.T-w.T) > 0.005+1e-9,
			math.Abs(g.Monetary-w.Monetary) > 0.005+1e-9:
			t.Errorf("customer %s: got (x=%d, t_x=%.4f, T=%.4f, zbar=%.4f), published (x=%d, t_x=%.2f, T=%.2f, zbar=%.2f)",
				w.Key, g.Frequency, g.Recency, g.T, g.Monetary, w.Frequency, w.Recency, w.T, w.Monetary)
		default:
			continue
		}
		if bad++; bad > 10 {
			t.Fatal("too many mismatches")
		}
	}
	// The same from the other published file (ID,frequency,recency,T).
	for _, w := range cdnowSummaries(t) {
		g := byKey[w.Key]
		if g.Frequency != w.Frequency || math.Abs(g.Recency-w.Recency) > 0.005+1e-9 || math.Abs(g.T-w.T) > 0.005+1e-9 {
			t.Fatalf("customer %s: got %+v, published %+v", w.Key, g, w)
		}
	}
	// Without DropAfterAsOf the holdout transactions are an error.
	_, err = score.Summarize(txns, cdnowAsOf, score.Unit(week))
	if !errors.Is(err, score.ErrAfterAsOf) {
		t.Errorf("Summarize without DropAfterAsOf: err = %v, want ErrAfterAsOf", err)
	}
}
