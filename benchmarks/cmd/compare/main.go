// Command compare builds every engine of the benchmarks module on the same
// synthetic customer base, checks that all give the same answers, times
// each query and prints the comparison as markdown tables:
//
//	go run ./cmd/compare -n 1000000
//	go run -tags duckdb ./cmd/compare -n 1000000 -count 5
//
// Engines are built one at a time and dropped after they are timed, so the
// peak memory is the data plus one engine.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/fabeed28/microseg/benchmarks"
)

type result struct {
	engine, query, op string
	t                 benchmarks.Timing
}

func main() {
	n := flag.Int("n", 1_000_000, "customers in the synthetic base")
	only := flag.String("engines", "", "comma-separated engines to run (default all compiled in)")
	count := flag.Int("count", 5, "timed runs per query; the median is reported")
	budget := flag.Duration("budget", 5*time.Second, "stop repeating a query after this long (at least one run)")
	flag.Parse()

	start := time.Now()
	d := benchmarks.Generate(*n)
	qs := benchmarks.Queries(d)
	want := benchmarks.Reference(d, qs)
	fmt.Fprintf(os.Stderr, "generated %d customers and reference answers in %v\n", *n, time.Since(start).Round(time.Millisecond))

	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	var results []result
	type buildRow struct {
		engine string
		took   time.Duration
		bytes  int64
		how    string
	}
	var builds []buildRow
	for _, e := range benchmarks.Engines() {
		if names != nil && !slices.Contains(names, e.Name()) {
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: building\n", e.Name())
		b, err := benchmarks.BuildEngine(e, d)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: build: %v\n", e.Name(), err)
			os.Exit(1)
		}
		how := "own accounting"
		if e.Bytes() < 0 {
			how = "Go heap growth"
		}
		builds = append(builds, buildRow{e.Name(), b.BuildTime, b.BytesHeld(), how})
		if err := benchmarks.Check(e, qs, want); err != nil {
			fmt.Fprintf(os.Stderr, "answers differ: %v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "%s: built in %v, answers agree; timing\n", e.Name(), b.BuildTime.Round(time.Millisecond))
		for i := range qs {
			q := &qs[i]
			results = append(results,
				result{e.Name(), q.Name, "count", benchmarks.Time(func() { e.Count(q) }, *count, *budget)},
				result{e.Name(), q.Name, "members", benchmarks.Time(func() { e.Members(q) }, *count, *budget)})
		}
		results = append(results, result{e.Name(), "Q4", "cube", benchmarks.Time(func() { e.Cube() }, *count, *budget)})
		e.Close()
		// Collect the engine and return its memory to the OS before the
		// next one is built, so that the runtime's background scavenger
		// is not releasing it (TLB shootdowns) while the next engine's
		// queries are timed.
		debug.FreeOSMemory()
	}

	// Group the rows by query, then op, keeping the engine order.
	order := map[string]int{"Q4": len(qs)}
	for i, q := range qs {
		order[q.Name] = i
	}
	slices.SortStableFunc(results, func(a, b result) int {
		if c := order[a.query] - order[b.query]; c != 0 {
			return c
		}
		return strings.Compare(a.op, b.op)
	})

	cpu := cpuModel()
	fmt.Printf("N = %d customers, %d CPUs (%s), %s, GOMAXPROCS %d, median of up to %d runs (budget %v per query)\n",
		*n, runtime.NumCPU(), cpu, runtime.Version(), runtime.GOMAXPROCS(0), *count, *budget)
	basis := "cpu ns/op"
	if !cpuMeasured(results) {
		basis = "ns/op (no CPU time on this platform)"
	}
	fmt.Printf("ns/op is wall clock; cpu ns/op is the process's CPU time (all threads), steadier on a shared machine; the ratios use %s.\n", basis)
	fmt.Println()
	fmt.Println("| query | members | definition (microseg text form) |")
	fmt.Println("|---|---:|---|")
	for _, q := range qs {
		fmt.Printf("| %s | %d | `%s` |\n", q.Name, len(want.Members[q.Name]), q.String())
	}
	fmt.Println("| Q4 | cube | counts of country × age band (age/10) × category bought |")
	fmt.Println()
	fmt.Println("| query | members | op | engine | ns/op | cpu ns/op | allocs/op | runs | × rows | × best other | × microseg |")
	fmt.Println("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		size := "cube"
		if m, ok := want.Members[r.query]; ok {
			size = fmt.Sprint(len(m))
		}
		rows, best, ms := ratios(results, r)
		fmt.Printf("| %s | %s | %s | %s | %d | %d | %.0f | %d | %s | %s | %s |\n", r.query, size, r.op, r.engine,
			r.t.Median.Nanoseconds(), r.t.CPU.Nanoseconds(), r.t.AllocsOp, r.t.Runs, rows, best, ms)
	}
	fmt.Println()
	fmt.Println("| engine | build | bytes/customer | measured by |")
	fmt.Println("|---|---:|---:|---|")
	for _, b := range builds {
		fmt.Printf("| %s | %v | %.1f | %s |\n", b.engine, b.took.Round(time.Millisecond), float64(b.bytes)/float64(*n), b.how)
	}
}

// cpuMeasured reports whether every result has a CPU time: where the
// platform has none (cputime_other.go) the ratios fall back to wall clock.
func cpuMeasured(all []result) bool {
	for _, r := range all {
		if r.t.CPU <= 0 {
			return false
		}
	}
	return len(all) > 0
}

// ratios returns r's time over rows', over the fastest engine other than
// r's own and the microseg variants, and over microseg's, on the same query
// and op. The times are CPU times when every result has one (a process
// waiting for a core on a shared machine does not count), else wall clock.
func ratios(all []result, r result) (rows, best, ms string) {
	useCPU := cpuMeasured(all)
	ns := func(x result) int64 {
		if useCPU {
			return x.t.CPU.Nanoseconds()
		}
		return x.t.Median.Nanoseconds()
	}
	rows, best, ms = "–", "–", "–"
	var bestNs int64 = -1
	for _, o := range all {
		if o.query != r.query || o.op != r.op {
			continue
		}
		switch o.engine {
		case "rows":
			rows = ratio(ns(r), ns(o))
		case "microseg":
			ms = ratio(ns(r), ns(o))
		}
		if o.engine != r.engine && !strings.HasPrefix(o.engine, "microseg") && (bestNs < 0 || ns(o) < bestNs) {
			bestNs = ns(o)
		}
	}
	if bestNs >= 0 {
		best = ratio(ns(r), bestNs)
	}
	return rows, best, ms
}

func ratio(a, b int64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return runtime.GOARCH
}
