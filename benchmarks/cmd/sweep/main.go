// Command sweep runs the sweeps of issue 14, prints each as markdown tables
// and, with -charts, writes an SVG chart per sweep:
//
//	go run ./cmd/sweep -n 10000000 -charts charts > results/sweep.md
//	go run ./cmd/sweep -quick
//
// The sweeps:
//   - selectivity: each term of the Q1 shape from 0.01% to 60% of the base,
//     inside the shape and alone, timed for the row loop, dense bitsets and
//     microseg (count, set, AppendIDs), with microseg declared the plain way
//     and microseg loaded with Builder.Add beside it (-n customers);
//   - load: Builder.Add against FromColumns, customers per second (-load);
//   - scale: Q1–Q5 and the Q4 cube per customer at growing N (-scale).
//
// Engines are timed interleaved in one process (see benchmarks.Interleave);
// medians and their ratios are what to read on a shared machine.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/fabeed28/microseg/benchmarks"
)

func main() {
	n := flag.Int("n", 10_000_000, "customers in the selectivity sweep; 0 skips it")
	rounds := flag.Int("rounds", 7, "interleaved rounds per point and op (the median is reported)")
	sweeps := flag.String("sweeps", "", "comma-separated prefixes of the selectivity sweeps to run (default all)")
	shapes := flag.String("shapes", "Q1,alone", "shapes of the selectivity points: Q1, alone")
	engines := flag.String("engines", "", "comma-separated sweep engines (default rows,bitset,microseg,microseg-plain,microseg-add)")
	load := flag.String("load", "1000000,10000000", "comma-separated N of the load sweep; empty skips it")
	loadRuns := flag.Int("loadruns", 3, "loads per method at each N up to 1M")
	loadRunsBig := flag.Int("loadrunsbig", 1, "loads per method at each N above 1M")
	scale := flag.String("scale", "1000000,10000000,30000000", "comma-separated N of the scale sweep; empty skips it")
	charts := flag.String("charts", "", "write the SVG charts to this directory")
	cliffs := flag.String("cliffs", "", "also write the table of points under the targets to this file")
	quick := flag.Bool("quick", false, "a small smoke run: N = 200,000, 3 rounds, four targets, small load and scale sweeps")
	flag.Parse()

	var targets []int
	if *quick {
		*n, *rounds, targets = 200_000, 3, []int{0, 4, 7, 9}
		*load, *scale, *loadRuns = "200000", "100000,300000", 1
	}
	fmt.Printf("Machine: %d CPUs (%s), %s, GOMAXPROCS %d. Medians of %d interleaved rounds (wall clock).\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOMAXPROCS(0), *rounds)

	var rs []benchmarks.PointResult
	if *n > 0 {
		var builds []build
		rs, builds = selectivity(*n, *rounds, *sweeps, *shapes, *engines, targets)
		fmt.Printf("\n### Sweep engines at N = %s: build time and memory\n\n", benchmarks.Millions(*n))
		fmt.Println("| engine | build | heap bytes/customer |")
		fmt.Println("|---|---:|---:|")
		for _, b := range builds {
			fmt.Printf("| %s | %v | %.1f |\n", b.engine, b.took.Round(100*time.Millisecond), float64(b.bytes)/float64(*n))
		}
		fmt.Printf("\n### Selectivity, N = %s: points under the targets (count or set < 20× rows, or slower than bitset)\n\n", benchmarks.Millions(*n))
		benchmarks.WriteCliffSummary(os.Stdout, rs)
		fmt.Println()
		benchmarks.WriteCliffs(os.Stdout, *n, rs)
		fmt.Printf("\n### Plain declarations ÷ tuned (microseg-plain ÷ microseg), N = %s\n\n", benchmarks.Millions(*n))
		benchmarks.WriteVariantTable(os.Stdout, rs, "microseg-plain")
		fmt.Printf("\n### Loaded with Builder.Add ÷ FromColumns (microseg-add ÷ microseg), N = %s\n\n", benchmarks.Millions(*n))
		benchmarks.WriteVariantTable(os.Stdout, rs, "microseg-add")
		if *cliffs != "" {
			f, err := os.Create(*cliffs)
			if err != nil {
				fatal("%v", err)
			}
			benchmarks.WriteCliffSummary(f, rs)
			fmt.Fprintln(f)
			benchmarks.WriteCliffs(f, *n, rs)
			f.Close()
		}
	}
	if *load != "" {
		var lr []benchmarks.LoadResult
		for _, m := range ints(*load) {
			d := benchmarks.Generate(m)
			runs := *loadRuns
			if m > 1_000_000 {
				runs = *loadRunsBig
			}
			r, err := benchmarks.MeasureLoad(d, runs, os.Stderr)
			if err != nil {
				fatal("load: %v", err)
			}
			lr = append(lr, r...)
			d = nil
			debug.FreeOSMemory()
		}
		fmt.Println("\n### Load throughput: five fields (country, age, income, active, bought), string keys")
		fmt.Println()
		benchmarks.WriteLoadTable(os.Stdout, lr)
	}
	var sr []benchmarks.ScaleResult
	if *scale != "" {
		for _, m := range ints(*scale) {
			r, err := benchmarks.MeasureScale(m, *rounds, os.Stderr)
			if err != nil {
				fatal("scale: %v", err)
			}
			sr = append(sr, r...)
			debug.FreeOSMemory()
		}
		fmt.Println("\n### Time per customer against N (Q1–Q5, Q4 cube): ns per customer")
		fmt.Println()
		benchmarks.WriteScaleSummary(os.Stdout, sr)
		fmt.Println("\n### Time per customer against N: every engine, ms")
		fmt.Println()
		benchmarks.WriteScaleTable(os.Stdout, sr)
	}
	if len(rs) > 0 {
		fmt.Printf("\n### Selectivity sweeps, N = %s\n", benchmarks.Millions(*n))
		benchmarks.WriteSweepTables(os.Stdout, rs)
	}
	if *charts != "" {
		if err := writeCharts(*charts, *n, rs, sr); err != nil {
			fatal("charts: %v", err)
		}
	}
}

// build is the cost of building one sweep engine: the time, and the Go heap
// it holds (rows: the rows themselves).
type build struct {
	engine string
	took   time.Duration
	bytes  int64
}

func heap() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

func selectivity(n, rounds int, sweeps, shapes, engines string, targets []int) ([]benchmarks.PointResult, []build) {
	var names []string
	if sweeps != "" {
		names = strings.Split(sweeps, ",")
	}
	start := time.Now()
	d := benchmarks.GenerateSweep(n)
	logf("generated %d sweep rows in %v", n, time.Since(start).Round(time.Millisecond))
	var es []benchmarks.SweepEngine
	var builds []build
	for _, e := range benchmarks.SweepEngines() {
		if engines != "" && !contains(strings.Split(engines, ","), e.Name()) {
			continue
		}
		before := heap()
		t := time.Now()
		if err := e.Build(d); err != nil {
			fatal("%s: build: %v", e.Name(), err)
		}
		took := time.Since(t)
		b := build{e.Name(), took, heap() - before}
		if e.Name() == "rows" {
			b.bytes = int64(n) * int64(unsafe.Sizeof(benchmarks.SweepRow{}))
		}
		builds = append(builds, b)
		logf("%s: built in %v", e.Name(), took.Round(time.Millisecond))
		es = append(es, e)
	}
	points := benchmarks.SweepPoints(names, strings.Split(shapes, ","), targets)
	r := &benchmarks.SweepRunner{Engines: es, Rounds: rounds, MinSample: time.Millisecond, Log: os.Stderr}
	rs, err := r.Run(n, points)
	if err != nil {
		fatal("%v", err)
	}
	return rs, builds
}

// writeCharts writes one chart per selectivity sweep and shape, the
// speed-up and variant charts, and the scale chart.
func writeCharts(dir string, n int, rs []benchmarks.PointResult, sr []benchmarks.ScaleResult) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, c *benchmarks.Chart) error {
		if len(c.Series) == 0 {
			return nil
		}
		logf("chart %s", filepath.Join(dir, name))
		return os.WriteFile(filepath.Join(dir, name), []byte(c.SVG()), 0o644)
	}
	N := benchmarks.Millions(n)
	seen := map[string]bool{}
	ops := []int{benchmarks.OpCount, benchmarks.OpSet, benchmarks.OpIDs}
	for _, r := range rs {
		p := r.Point
		key := p.Sweep + "/" + p.Shape
		if seen[key] {
			continue
		}
		seen[key] = true
		c := benchmarks.SweepChart(rs, p.Sweep, p.Shape, []string{"rows", "bitset", "microseg"}, ops)
		c.Title += ", N = " + N
		if err := write("sel-"+slug(p.Sweep)+"-"+strings.ToLower(p.Shape)+".svg", c); err != nil {
			return err
		}
	}
	for _, shape := range []string{benchmarks.ShapeQ1, benchmarks.ShapeAlone} {
		s := strings.ToLower(shape)
		for _, op := range []int{benchmarks.OpCount, benchmarks.OpSet} {
			o := benchmarks.OpNames[op]
			if err := write("speedup-rows-"+s+"-"+o+".svg", benchmarks.RatioChart(rs,
				fmt.Sprintf("microseg %s: speed-up over the row loop (%s), N = %s", o, shape, N),
				"rows", "microseg", op, shape, true, benchmarks.MinRowsRatio, "target 20×")); err != nil {
				return err
			}
			if err := write("speedup-bitset-"+s+"-"+o+".svg", benchmarks.RatioChart(rs,
				fmt.Sprintf("microseg %s: speed-up over dense bitsets (%s), N = %s", o, shape, N),
				"bitset", "microseg", op, shape, true, benchmarks.MinBitsetRatio, "target 1×")); err != nil {
				return err
			}
		}
	}
	if err := write("plain-vs-tuned.svg", benchmarks.RatioChart(rs,
		"Plain declarations ÷ tuned, count, inside the Q1 shape, N = "+N,
		"microseg-plain", "microseg", benchmarks.OpCount, benchmarks.ShapeQ1, false, 1.1, "limit 1.10")); err != nil {
		return err
	}
	if err := write("add-vs-columns.svg", benchmarks.RatioChart(rs,
		"Base loaded with Builder.Add ÷ FromColumns, count, inside the Q1 shape, N = "+N,
		"microseg-add", "microseg", benchmarks.OpCount, benchmarks.ShapeQ1, false, 1, "identical")); err != nil {
		return err
	}
	if len(sr) > 0 {
		if err := write("scale.svg", benchmarks.ScaleChart(sr)); err != nil {
			return err
		}
	}
	return nil
}

// slug turns a sweep name into a file name part: "c2 in (2 values)" is
// "c2-in-2-values", "score >= x" is "score-ge-x".
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(strings.ToLower(s), ">=", "ge") {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			fatal("not a number: %q", f)
		}
		out = append(out, v)
	}
	return out
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

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "sweep: "+format+"\n", args...)
	os.Exit(1)
}
