package benchmarks

import (
	"fmt"
	"testing"

	"github.com/fabeed28/microseg/segment"
)

// BenchmarkRangeSweep times microseg's integer ranges at many thresholds,
// as the set (base.Eval) and its count: income > its q-quantile for
// q = 0.1 … 0.9 and 0.99, income between two quantiles, and age between
// every 10-year band. Each result is checked against the rows first.
func BenchmarkRangeSweep(b *testing.B) {
	benchSetup(b)
	e := builtEngine(b, &Microseg{}).(*Microseg)
	d := bench.data
	type rng struct {
		name string
		pred segment.Pred
		want func(c *Customer) bool
	}
	var rs []rng
	for _, q := range []float64{0.1, 0.3, 0.5, 0.7, 0.9, 0.99} {
		t := d.IncomeQuantile(q)
		rs = append(rs, rng{fmt.Sprintf("income>q%02.0f", q*100), msIncome.Gt(t),
			func(c *Customer) bool { return c.Income > t }})
	}
	lo, hi := d.IncomeQuantile(0.4), d.IncomeQuantile(0.6)
	rs = append(rs, rng{"income=q40..q60", msIncome.Between(lo, hi),
		func(c *Customer) bool { return c.Income >= lo && c.Income <= hi }})
	for a := int64(20); a <= 80; a += 30 {
		rs = append(rs, rng{fmt.Sprintf("age=%d..%d", a, a+9), msAge.Between(a, a+9),
			func(c *Customer) bool { return c.Age != Missing && int64(c.Age) >= a && int64(c.Age) <= a+9 }})
	}
	for _, r := range rs {
		var want uint64
		for i := range d.Rows {
			if r.want(&d.Rows[i]) {
				want++
			}
		}
		if got := e.base.Count(r.pred); got != want {
			b.Fatalf("%s: count %d, rows say %d", r.name, got, want)
		}
		b.Run(r.name+"/op=members", func(b *testing.B) {
			for b.Loop() {
				e.base.Eval(r.pred)
			}
		})
		b.Run(r.name+"/op=count", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.base.Count(r.pred)
			}
		})
	}
}
