package benchmarks

import (
	"fmt"
	"runtime"
	"slices"
	"time"
)

// Answers are the reference answers every engine is checked against.
type Answers struct {
	Members map[string][]uint32 // by query name
	Cube    []uint64
}

// Reference computes the answers of every query with Query.Match, the
// generic row-at-a-time oracle, and the cube with the rows loop.
func Reference(d *Data, qs []Query) *Answers {
	e := &Rows{rows: d.Rows}
	a := &Answers{Members: map[string][]uint32{}, Cube: e.Cube()}
	for i := range qs {
		var ids []uint32
		for j := range d.Rows {
			if qs[i].Match(&d.Rows[j]) {
				ids = append(ids, uint32(j))
			}
		}
		a.Members[qs[i].Name] = ids
	}
	return a
}

// Check returns an error naming the first query on which e's count,
// member set or cube differs from want.
func Check(e Engine, qs []Query, want *Answers) error {
	for i := range qs {
		q := &qs[i]
		w := want.Members[q.Name]
		if got := e.Count(q); got != uint64(len(w)) {
			return fmt.Errorf("%s: %s: count %d, want %d", e.Name(), q.Name, got, len(w))
		}
		if got := e.Members(q).IDs(); !slices.Equal(got, w) {
			return fmt.Errorf("%s: %s: %d members differ from the %d of rows", e.Name(), q.Name, len(got), len(w))
		}
	}
	if got := e.Cube(); !slices.Equal(got, want.Cube) {
		return fmt.Errorf("%s: Q4: cube differs from rows", e.Name())
	}
	return nil
}

// Timing is the outcome of timing one operation.
type Timing struct {
	Runs     int
	Median   time.Duration // wall clock
	CPU      time.Duration // median CPU time of the process (user + system, all threads)
	AllocsOp float64
}

// Time runs f up to runs times, stopping early once budget has passed
// (but after at least one run), and returns the median wall-clock and CPU
// durations and the heap allocations per run. Before it times, it runs f
// once, collects garbage, and runs f twice more when f takes under 100 ms,
// so that the runs timed find the caches as a loop of queries would. On a shared machine the CPU
// time is the steadier of the two: it does not count the time the process
// waited for a core.
func Time(f func(), runs int, budget time.Duration) Timing {
	t0 := time.Now()
	f() // warm up
	warm := time.Since(t0)
	// Finish the garbage collection that building the engine (or the
	// query before) started: its marking, on another core and counted in
	// the process's CPU time, would otherwise be charged to this query.
	runtime.GC()
	// The collection evicts the query's data from the caches: the first two
	// runs after it took twice as long as the rest (microseg's Q1 at 10M:
	// 1.5 and 1.7 ms, then 0.65-0.77). Warm up again where that is cheap.
	if warm < 100*time.Millisecond {
		f()
		f()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	var ds, cs []time.Duration
	start := time.Now()
	for len(ds) < runs && (len(ds) == 0 || time.Since(start) < budget) {
		t, c := time.Now(), cpuTime()
		f()
		ds = append(ds, time.Since(t))
		cs = append(cs, cpuTime()-c)
	}
	runtime.ReadMemStats(&ms)
	slices.Sort(ds)
	slices.Sort(cs)
	return Timing{Runs: len(ds), Median: ds[len(ds)/2], CPU: cs[len(cs)/2], AllocsOp: float64(ms.Mallocs-mallocs) / float64(len(ds))}
}
