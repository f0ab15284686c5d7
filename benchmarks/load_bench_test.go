package benchmarks

import (
	"os"
	"strconv"
	"testing"
)

// BenchmarkLoad loads the load sweep's data (LoadAdd, LoadColumns) at
// MICROSEG_LOAD_N customers (default 1M), for profiles and A/B runs; it
// reports wall and CPU throughput (CPU time counts every thread, GC
// workers included, and not the time spent waiting for a core):
//
//	go test -run '^$' -bench Load -cpuprofile cpu.out
func BenchmarkLoad(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("MICROSEG_LOAD_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	d := Generate(n)
	keys := LoadKeys(n)
	cols := LoadColumns(d, keys)
	for _, m := range []struct {
		name string
		load func() error
	}{
		{"add", func() error { _, err := LoadAdd(d, keys); return err }},
		{"columns", func() error { _, err := cols(); return err }},
	} {
		b.Run(m.name, func(b *testing.B) {
			t0 := cpuTime()
			for b.Loop() {
				if err := m.load(); err != nil {
					b.Fatal(err)
				}
			}
			cpu := (cpuTime() - t0).Seconds()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcustomers/s")
			b.ReportMetric(float64(n)*float64(b.N)/cpu/1e6, "Mcustomers/cpu-s")
		})
	}
}
