package scoretest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGenerate(t *testing.T) {
	cfg := Default(300, 9)
	a, b := Generate(cfg), Generate(cfg)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two runs with one seed differ:\n%s", diff)
	}
	customers := map[string]bool{}
	end := cfg.Start.AddDate(0, 0, cfg.Days)
	for i, x := range a {
		customers[x.Key] = true
		if x.Time.Before(cfg.Start) || !x.Time.Before(end) {
			t.Errorf("txn %d at %v, outside [%v, %v)", i, x.Time, cfg.Start, end)
		}
		if x.Amount < 0 || x.Cost < 0 || x.Cost > x.Amount {
			t.Errorf("txn %d: amount %v, cost %v", i, x.Amount, x.Cost)
		}
		if i > 0 && a[i-1].Key == x.Key && x.Time.Before(a[i-1].Time) {
			t.Errorf("txn %d of %s before the previous one", i, x.Key)
		}
	}
	if len(customers) != cfg.Customers {
		t.Errorf("%d customers, want %d", len(customers), cfg.Customers)
	}
}
