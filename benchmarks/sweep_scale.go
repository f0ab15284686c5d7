package benchmarks

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// ScaleResult is the time of one query and op at one N, for the row loop,
// dense bitsets and microseg. Rows is timed twice, interleaved with each of
// the other engines; RowsB is its time in the bitset pairing.
type ScaleResult struct {
	N                             int
	Query, Op                     string
	Members                       int // -1 for the cube
	Rows, RowsB, Bitset, Microseg time.Duration
}

// MeasureScale generates the benchmark base at N = n, checks dense bitsets
// and microseg against the reference answers, and times Q1–Q5 (count and
// members) and Q4 (cube): the row loop interleaved with one other engine at
// a time. Only the rows and one other engine are in memory at once.
func MeasureScale(n, rounds int, log io.Writer) ([]ScaleResult, error) {
	t := time.Now()
	d := Generate(n)
	qs := Queries(d)
	want := Reference(d, qs)
	if log != nil {
		fmt.Fprintf(log, "scale %d: generated in %v\n", n, time.Since(t).Round(time.Millisecond))
	}
	rows := &Rows{}
	rows.Build(d)
	type opFn struct {
		query, op string
		members   int
		f         func(Engine) func()
	}
	var ops []opFn
	for i := range qs {
		q := &qs[i]
		m := len(want.Members[q.Name])
		ops = append(ops,
			opFn{q.Name, "count", m, func(e Engine) func() { return func() { e.Count(q) } }},
			opFn{q.Name, "members", m, func(e Engine) func() { return func() { e.Members(q) } }})
	}
	ops = append(ops, opFn{"Q4", "cube", -1, func(e Engine) func() { return func() { e.Cube() } }})
	out := make([]ScaleResult, len(ops))
	for i, o := range ops {
		out[i] = ScaleResult{N: n, Query: o.query, Op: o.op, Members: o.members}
	}
	for _, e := range []Engine{&Bitsets{}, &Microseg{}} {
		t := time.Now()
		if err := e.Build(d); err != nil {
			return nil, fmt.Errorf("%s: build: %w", e.Name(), err)
		}
		if err := Check(e, qs, want); err != nil {
			return nil, err
		}
		if log != nil {
			fmt.Fprintf(log, "scale %d: %s built in %v, answers agree\n", n, e.Name(), time.Since(t).Round(time.Millisecond))
		}
		for i, o := range ops {
			ts := Interleave([]func(){o.f(rows), o.f(e)}, rounds, time.Millisecond)
			if _, ok := e.(*Bitsets); ok {
				out[i].RowsB, out[i].Bitset = ts[0], ts[1]
			} else {
				out[i].Rows, out[i].Microseg = ts[0], ts[1]
			}
		}
		e.Close()
		e = nil
		debug.FreeOSMemory()
	}
	runtime.KeepAlive(d)
	return out, nil
}

// perCustomer returns d per customer of n in nanoseconds.
func perCustomer(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(n) }

// WriteScaleTable writes the time per customer of every query and op at
// every N.
func WriteScaleTable(w io.Writer, rs []ScaleResult) {
	fmt.Fprintln(w, "| query | op | N | members | rows ms | bitset ms | microseg ms | rows ns/customer | microseg ns/customer | rows ÷ microseg | bitset ÷ microseg |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, key := range scaleKeys(rs) {
		for _, r := range rs {
			if r.Query+" "+r.Op != key {
				continue
			}
			m := "cube"
			if r.Members >= 0 {
				m = fmt.Sprint(r.Members)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %.2f | %.3f | %.1f | %.2f |\n", r.Query, r.Op, Millions(r.N), m,
				ms(r.Rows), ms(r.Bitset), ms(r.Microseg), perCustomer(r.Rows, r.N), perCustomer(r.Microseg, r.N),
				ratio2(r.Rows, r.Microseg), ratio2(r.Bitset, r.Microseg))
		}
	}
}

// scaleKeys returns the distinct "query op" of rs in first-seen order.
func scaleKeys(rs []ScaleResult) []string {
	var keys []string
	seen := map[string]bool{}
	for _, r := range rs {
		k := r.Query + " " + r.Op
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// ScaleChart returns the chart of time per customer against N: microseg's
// count of every query (solid) and the row loop's (dashed), and the cube.
func ScaleChart(rs []ScaleResult) *Chart {
	c := &Chart{
		Title:  "Time per customer against N: Q1–Q5 count and the Q4 cube",
		XLabel: "customers N (log)",
		YLabel: "median ns per customer (log)",
		XLog:   true, YLog: true,
		XTick: func(v float64) string { return Millions(int(v)) },
	}
	palette := []string{"#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"}
	var i int
	for _, key := range scaleKeys(rs) {
		if key[len(key)-len("members"):] == "members" {
			continue
		}
		col := palette[i%len(palette)]
		i++
		ms := Series{Name: "microseg " + key, Color: col}
		ro := Series{Name: "rows " + key, Color: col, Dash: "5 4"}
		for _, r := range rs {
			if r.Query+" "+r.Op == key {
				ms.X, ms.Y = append(ms.X, float64(r.N)), append(ms.Y, perCustomer(r.Microseg, r.N))
				ro.X, ro.Y = append(ro.X, float64(r.N)), append(ro.Y, perCustomer(r.Rows, r.N))
			}
		}
		c.Series = append(c.Series, ms, ro)
	}
	return c
}

// WriteScaleSummary writes one row per query and op: microseg's and the row
// loop's time per customer at every N, and how much microseg's grows from
// the smallest N to the largest.
func WriteScaleSummary(w io.Writer, rs []ScaleResult) {
	var ns []int
	for _, r := range rs {
		if !slices.Contains(ns, r.N) {
			ns = append(ns, r.N)
		}
	}
	slices.Sort(ns)
	fmt.Fprint(w, "| query | op |")
	for _, n := range ns {
		fmt.Fprintf(w, " microseg %s |", Millions(n))
	}
	fmt.Fprint(w, " growth |")
	for _, n := range ns {
		fmt.Fprintf(w, " rows %s |", Millions(n))
	}
	for _, n := range ns {
		fmt.Fprintf(w, " rows ÷ microseg %s |", Millions(n))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "|---|---|"+strings.Repeat("---:|", 3*len(ns)+1))
	for _, key := range scaleKeys(rs) {
		at := map[int]ScaleResult{}
		var q, op string
		for _, r := range rs {
			if r.Query+" "+r.Op == key {
				at[r.N], q, op = r, r.Query, r.Op
			}
		}
		fmt.Fprintf(w, "| %s | %s |", q, op)
		for _, n := range ns {
			fmt.Fprintf(w, " %.3f |", perCustomer(at[n].Microseg, n))
		}
		first, last := at[ns[0]], at[ns[len(ns)-1]]
		fmt.Fprintf(w, " %.1f× |", perCustomer(last.Microseg, last.N)/perCustomer(first.Microseg, first.N))
		for _, n := range ns {
			fmt.Fprintf(w, " %.2f |", perCustomer(at[n].Rows, n))
		}
		for _, n := range ns {
			v := ratio2(at[n].Rows, at[n].Microseg)
			if op == "cube" { // item 4's target for the cube is its own (under 40 ms at 10M)
				fmt.Fprintf(w, " %.1f |", v)
			} else {
				fmt.Fprintf(w, " %s |", mark(v, MinRowsRatio))
			}
		}
		fmt.Fprintln(w)
	}
}
