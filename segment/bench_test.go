package segment

import (
	"os"
	"sort"
	"sync"
	"syscall"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// Benchmarks of the queries at 1M customers (and 10M with
// MICROSEG_BENCH_10M=1), the roaring-op reference path against the chunked
// evaluator, in one run:
//
//	go test ./segment -run '^$' -bench 'Query|Cube|Build' -benchmem -count 5

type benchSet struct {
	d    *genData
	base *Base
	qs   map[string]Pred
}

var (
	benchMu   sync.Mutex
	benchSets = map[int]*benchSet{}
)

func benchData(b *testing.B, n int) *benchSet {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchSets[n]; ok {
		return s
	}
	d := genCustomers(n, 1)
	s := &benchSet{d: d, base: d.buildColumns(), qs: genQueries(d)}
	benchSets[n] = s
	return s
}

func benchSizes() []int {
	if os.Getenv("MICROSEG_BENCH_10M") != "" {
		return []int{1_000_000, 10_000_000}
	}
	return []int{1_000_000}
}

func sizeName(n int) string {
	if n >= 1_000_000 {
		return itoa(n/1_000_000) + "M"
	}
	return itoa(n/1000) + "k"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func BenchmarkQuery(b *testing.B) {
	for _, n := range benchSizes() {
		s := benchData(b, n)
		names := make([]string, 0, len(s.qs))
		for k := range s.qs {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, q := range names {
			p := s.qs[q]
			pre := sizeName(n) + "/" + q
			b.Run(pre+"/count/roaring", func(b *testing.B) { loop(b, func() { s.base.countRoaring(p) }) })
			b.Run(pre+"/count/chunked", func(b *testing.B) { loop(b, func() { s.base.Count(p) }) })
			b.Run(pre+"/eval/roaring", func(b *testing.B) { loop(b, func() { s.base.evalRoaring(p) }) })
			b.Run(pre+"/eval/chunked", func(b *testing.B) { loop(b, func() { s.base.Eval(p) }) })
			b.Run(pre+"/eval/chunked-par2", func(b *testing.B) { loop(b, func() { s.base.Eval(p, Parallel(2)) }) })
			ids := make([]uint32, 0, n)
			b.Run(pre+"/ids/chunked", func(b *testing.B) { loop(b, func() { ids = s.base.AppendIDs(ids[:0], p) }) })
		}
	}
}

// loop runs fn as the benchmark body and reports, beside wall time, the
// process CPU time per call (user+sys, GC included): the machine is shared,
// and CPU time is what a busy neighbour does not inflate.
func loop(b *testing.B, fn func()) {
	b.ReportAllocs()
	t0 := cpuTime()
	n := 0
	for b.Loop() {
		fn()
		n++
	}
	b.ReportMetric(float64(cpuTime()-t0)/float64(n), "cpu-ns/op")
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// indexBytes returns the bytes the base's field indexes and live set take:
// the roaring bitmaps (their buffers are shared with the chunked views) and
// the views' per-chunk headers. The key dictionary is not counted.
func indexBytes(base *Base) uint64 {
	size := func(bm *roaring.Bitmap) uint64 { return bm.GetSizeInBytes() }
	total := size(base.live)
	views := 0
	for _, c := range base.cols {
		total += size(c.known)
		views += c.fzKnown.Chunks()
		for i, bm := range c.bms {
			total += size(bm)
			views += c.fzBms[i].Chunks()
		}
		if c.bsi != nil {
			for i, p := range c.bsi.Planes {
				total += size(p)
				views += c.fzPlanes[i].Chunks()
			}
		}
	}
	return total + uint64(views)*40
}

func BenchmarkMemory(b *testing.B) {
	for _, n := range benchSizes() {
		s := benchData(b, n)
		b.Run(sizeName(n), func(b *testing.B) {
			for b.Loop() {
			}
			b.ReportMetric(float64(indexBytes(s.base))/float64(n), "B/customer")
		})
	}
}

// BenchmarkBuild measures building the base from columns (FromColumns,
// columns made inside the loop) and one Add at a time, in customers per
// second of wall and of CPU time.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		s := benchData(b, n)
		raw := s.d.raw()
		b.Run(sizeName(n)+"/columns", func(b *testing.B) {
			b.ReportAllocs()
			t0 := cpuTime()
			for b.Loop() {
				if _, err := FromColumns(s.d.keys, raw.columns()...); err != nil {
					b.Fatal(err)
				}
			}
			cpu := float64(cpuTime()-t0) / float64(b.N)
			b.ReportMetric(float64(n)/(cpu/1e9), "customers/cpu-s")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
		})
		if n > 1_000_000 {
			continue
		}
		b.Run(sizeName(n)+"/add", func(b *testing.B) {
			t0 := cpuTime()
			for b.Loop() {
				s.d.buildAdd()
			}
			cpu := float64(cpuTime()-t0) / float64(b.N)
			b.ReportMetric(float64(n)/(cpu/1e9), "customers/cpu-s")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
		})
	}
}
