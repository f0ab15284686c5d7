package benchmarks

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
)

// The benchmarks run on MICROSEG_BENCH_N customers (default 1,000,000;
// 10,000,000 is the other documented size). The data are generated once per
// process; each engine is built the first time a benchmark needs it and
// checked against the rows loop before it is timed.
var bench struct {
	once    sync.Once
	n       int
	data    *Data
	queries []Query
	want    *Answers
	mu      sync.Mutex
	built   map[string]Engine
}

func benchSetup(b *testing.B) {
	bench.once.Do(func() {
		bench.n = 1_000_000
		if s := os.Getenv("MICROSEG_BENCH_N"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				panic(fmt.Sprintf("MICROSEG_BENCH_N=%q: want a positive integer", s))
			}
			bench.n = n
		}
		bench.data = Generate(bench.n)
		bench.queries = Queries(bench.data)
		bench.want = Reference(bench.data, bench.queries)
		bench.built = map[string]Engine{}
	})
}

// sizeName returns n as 1M, 10M, 20k...
func sizeName(n int) string {
	switch {
	case n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n%1_000 == 0:
		return fmt.Sprintf("%dk", n/1_000)
	}
	return strconv.Itoa(n)
}

// builtEngine returns the engine named like proto, built and checked.
func builtEngine(b *testing.B, proto Engine) Engine {
	bench.mu.Lock()
	defer bench.mu.Unlock()
	if e, ok := bench.built[proto.Name()]; ok {
		return e
	}
	if err := proto.Build(bench.data); err != nil {
		b.Fatalf("build %s: %v", proto.Name(), err)
	}
	if err := Check(proto, bench.queries, bench.want); err != nil {
		b.Fatal(err)
	}
	bench.built[proto.Name()] = proto
	return proto
}

func benchQuery(b *testing.B, name string) {
	benchSetup(b)
	var q *Query
	for i := range bench.queries {
		if bench.queries[i].Name == name {
			q = &bench.queries[i]
		}
	}
	for _, proto := range Engines() {
		b.Run("engine="+proto.Name()+"/n="+sizeName(bench.n), func(b *testing.B) {
			e := builtEngine(b, proto)
			b.Run("op=count", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					e.Count(q)
				}
			})
			b.Run("op=members", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					e.Members(q)
				}
			})
		})
	}
}

func BenchmarkQ1(b *testing.B)      { benchQuery(b, "Q1") }
func BenchmarkQ2(b *testing.B)      { benchQuery(b, "Q2") }
func BenchmarkQ3(b *testing.B)      { benchQuery(b, "Q3") }
func BenchmarkQ5sel(b *testing.B)   { benchQuery(b, "Q5sel") }
func BenchmarkQ5broad(b *testing.B) { benchQuery(b, "Q5broad") }

// BenchmarkQ4 times the cube: counts of country × age band × category.
func BenchmarkQ4(b *testing.B) {
	benchSetup(b)
	for _, proto := range Engines() {
		b.Run("engine="+proto.Name()+"/n="+sizeName(bench.n), func(b *testing.B) {
			e := builtEngine(b, proto)
			b.ReportAllocs()
			for b.Loop() {
				e.Cube()
			}
		})
	}
}

// BenchmarkBuild times building each engine from the rows and reports the
// bytes it holds per customer (measured once, outside the timed loop, since
// the heap measurement runs the GC).
func BenchmarkBuild(b *testing.B) {
	benchSetup(b)
	for _, proto := range Engines() {
		b.Run("engine="+proto.Name()+"/n="+sizeName(bench.n), func(b *testing.B) {
			i := engineIndex(proto.Name())
			b.ReportAllocs()
			for b.Loop() {
				e := Engines()[i]
				if err := e.Build(bench.data); err != nil {
					b.Fatal(err)
				}
				e.Close()
			}
			b.StopTimer()
			e := Engines()[i]
			built, err := BuildEngine(e, bench.data)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(built.BytesHeld())/float64(bench.n), "bytes/customer")
			e.Close()
		})
	}
}

func engineIndex(name string) int {
	for i, e := range Engines() {
		if e.Name() == name {
			return i
		}
	}
	return -1
}
