package segment

import (
	"math/bits"
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
// the roaring bitmaps (their buffers are shared with the chunked views), the
// views' per-chunk headers and the byte code columns of small-domain
// integer fields. The key dictionary is not counted.
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
		total += uint64(c.small.Bytes())
		if c.bsi != nil {
			for i, p := range c.bsi.Planes {
				total += size(p) + uint64(c.fzPlanes[i].Bytes()) // headers and dense copies
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

// BenchmarkCube is Q4: counts of country x age band (10 years) x bought,
// by CountCube, by the obvious roaring way (AndCardinality of every
// country x band pair with every category), and by a columnar scan over
// the generator's packed columns (the engine b).
func BenchmarkCube(b *testing.B) {
	for _, n := range benchSizes() {
		s := benchData(b, n)
		dims := []Dim{By(gCountry), WidthBands(gAge, 10), By(gBought)}
		b.Run(sizeName(n)+"/Q4/chunked", func(b *testing.B) {
			loop(b, func() {
				if _, err := s.base.CountCube(All(), dims...); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(sizeName(n)+"/Q4/roaring-pairwise", func(b *testing.B) {
			country, bought := s.base.col("country"), s.base.col("bought")
			var bands []*roaring.Bitmap
			for lo := int64(10); lo <= 90; lo += 10 {
				bands = append(bands, s.base.evalRoaring(gAge.Between(lo, lo+9)))
			}
			loop(b, func() {
				counts := make([]uint64, 0, 50*9*30)
				for _, c := range country.bms {
					for _, band := range bands {
						cb := roaring.And(c, band)
						for _, p := range bought.bms {
							counts = append(counts, cb.AndCardinality(p))
						}
					}
				}
			})
		})
		b.Run(sizeName(n)+"/Q4/columnar-scan", func(b *testing.B) {
			d := s.d
			loop(b, func() {
				counts := make([]uint32, 50*9*30)
				for i, c := range d.country {
					a := d.age[i]
					if a < 0 {
						continue
					}
					cell := (int(c)*9 + int(a/10-1)) * 30
					for m := d.bought[i]; m != 0; m &= m - 1 {
						counts[cell+bitsTZ(m)]++
					}
				}
			})
		})
	}
}

// BenchmarkScan is the columnar scan (engine b) of Q1 over the
// generator's packed columns, for ratios against the chunked evaluator.
func BenchmarkScan(b *testing.B) {
	for _, n := range benchSizes() {
		s := benchData(b, n)
		d := s.d
		b.Run(sizeName(n)+"/Q1/count/columnar-scan", func(b *testing.B) {
			loop(b, func() {
				var cnt int
				for i, c := range d.country {
					if (c == 8 || c == 9) && d.age[i] >= 25 && d.age[i] <= 35 && d.active[i] &&
						d.bought[i]&(1<<3) != 0 && d.gender[i] != 2 {
						cnt++
					}
				}
				_ = cnt
			})
		})
	}
}

func bitsTZ(m uint32) int { return bits.TrailingZeros32(m) }
