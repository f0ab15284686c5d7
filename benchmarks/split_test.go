package benchmarks

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"

	"github.com/fabeed28/microseg/segment"
)

// The split benchmark's base: B2B-style macro dimensions and a value score.
var (
	splitCountry  = segment.NewCat[string]("country")
	splitIndustry = segment.NewCat[string]("industry")
	splitSize     = segment.NewCat[string]("company_size")
	splitAge      = segment.NewInt("age")
	splitRevenue  = segment.NewDecimal("revenue", 2)
)

var (
	splitOnce sync.Once
	splitBase *segment.Base
)

// splitN is the number of customers: MICROSEG_BENCH_N, default 1M.
func splitN(tb testing.TB) int {
	if s := os.Getenv("MICROSEG_BENCH_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			tb.Fatalf("MICROSEG_BENCH_N=%q: want a positive integer", s)
		}
		return n
	}
	return 1_000_000
}

// splitFixture builds the base once: 50 countries (skewed), 20 industries,
// 6 company sizes, ages 16 to 85 with 5% missing, revenue for 80%.
func splitFixture(tb testing.TB) *segment.Base {
	splitOnce.Do(func() {
		n := splitN(tb)
		r := rand.New(rand.NewPCG(42, 42))
		countries := make([]string, 50)
		for i := range countries {
			countries[i] = fmt.Sprintf("C%02d", i)
		}
		industries := make([]string, 20)
		for i := range industries {
			industries[i] = fmt.Sprintf("industry-%02d", i)
		}
		sizes := []string{"1-9", "10-49", "50-249", "250-999", "1000-4999", "5000+"}
		b := segment.NewBuilder()
		for i := range n {
			vs := []segment.Value{
				splitCountry.Value(countries[int(math.Pow(r.Float64(), 2)*50)]),
				splitIndustry.Value(industries[r.IntN(20)]),
				splitSize.Value(sizes[int(math.Pow(r.Float64(), 1.5)*6)]),
			}
			if r.IntN(20) > 0 {
				vs = append(vs, splitAge.Value(int64(16+r.IntN(70))))
			}
			if r.IntN(5) > 0 {
				vs = append(vs, splitRevenue.Units(int64(r.ExpFloat64()*50000)))
			}
			if err := b.Add("c"+strconv.Itoa(i), vs...); err != nil {
				tb.Fatal(err)
			}
		}
		var err error
		splitBase, err = b.Build()
		if err != nil {
			tb.Fatal(err)
		}
	})
	return splitBase
}

var splitDims = []segment.Dim{
	segment.By(splitCountry),
	segment.By(splitIndustry),
	segment.By(splitSize),
	segment.Bands(splitAge, 18, 25, 35, 45, 55, 65),
}

// BenchmarkSplit splits the whole base by country x industry x company size
// x age band (up to 50*20*6*7 = 42,000 cells).
func BenchmarkSplit(b *testing.B) {
	base := splitFixture(b)
	cases := []struct {
		name  string
		macro segment.Pred
		opts  []segment.SplitOption
	}{
		{"all", segment.All(), nil},
		{"all/min100", segment.All(), []segment.SplitOption{segment.MinSize(100)}},
		{"all/max1000", segment.All(), []segment.SplitOption{segment.MaxSegments(1000)}},
		{"all/sum", segment.All(), []segment.SplitOption{segment.SumOf(splitRevenue)}},
		{"macro_top10_countries", splitCountry.In("C00", "C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09"), nil},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var cells int
			runtime.GC() // finish collecting the fixture's garbage before measuring
			if os.Getenv("MICROSEG_BENCH_NOGC") != "" {
				// Split's own cost: no collection of the fixture's heap
				// (millions of key strings) triggered by its allocations.
				defer debug.SetGCPercent(debug.SetGCPercent(-1))
			}
			cpu0 := cpuTime()
			for b.Loop() {
				ms, err := segment.Split(base, c.macro, splitDims, c.opts...)
				if err != nil {
					b.Fatal(err)
				}
				cells = len(ms)
			}
			b.ReportMetric(float64(cells), "cells")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
