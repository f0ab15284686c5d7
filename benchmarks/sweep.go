package benchmarks

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// The operations a sweep times: Count, a new member set (Eval for
// microseg), and AppendIDs into a reused slice.
const (
	OpCount = iota
	OpSet
	OpIDs
	NumOps
)

// OpNames are the names of the operations in tables and charts.
var OpNames = [NumOps]string{"count", "set", "ids"}

// Targets of issue 14, item 2: at every sweep point, count and set at least
// MinRowsRatio times faster than the row loop and at least as fast as
// dense bitsets.
const (
	MinRowsRatio   = 20.0
	MinBitsetRatio = 1.0
)

// PointResult is the outcome of one sweep point.
type PointResult struct {
	Point     *SweepPoint
	TermShare float64 // share of the base the swept term matches, measured
	Members   uint64
	// Times[e][op] is engine e's median duration per call.
	Times map[string][NumOps]time.Duration
}

// SweepRunner times sweep points on built engines, interleaved.
type SweepRunner struct {
	Engines   []SweepEngine // built; the first is the reference (rows)
	Rounds    int
	MinSample time.Duration
	Log       io.Writer // progress, or nil
	bufs      [][]uint32
	shares    map[string]float64
}

// Run times every point and checks that every engine counts what the first
// engine counts.
func (s *SweepRunner) Run(n int, points []SweepPoint) ([]PointResult, error) {
	s.bufs = make([][]uint32, len(s.Engines))
	if s.shares == nil {
		s.shares = map[string]float64{}
	}
	var out []PointResult
	for i := range points {
		p := &points[i]
		q := &p.Query
		want := s.Engines[0].Count(q)
		for _, e := range s.Engines[1:] {
			if got := e.Count(q); got != want {
				return out, fmt.Errorf("%s: %s %g: %s: count %d, %s counts %d", p.Sweep, p.Shape, p.Target, q, got, s.Engines[0].Name(), want)
			}
		}
		r := PointResult{Point: p, Members: want, Times: map[string][NumOps]time.Duration{}}
		r.TermShare = s.termShare(n, p)
		for op := range NumOps {
			fs := make([]func(), len(s.Engines))
			for j, e := range s.Engines {
				switch op {
				case OpCount:
					fs[j] = func() { e.Count(q) }
				case OpSet:
					fs[j] = func() { e.Set(q) }
				case OpIDs:
					fs[j] = func() { s.bufs[j] = e.AppendIDs(s.bufs[j][:0], q) }
				}
			}
			ts := Interleave(fs, s.Rounds, s.MinSample)
			for j, e := range s.Engines {
				t := r.Times[e.Name()]
				t[op] = ts[j]
				r.Times[e.Name()] = t
			}
		}
		if s.Log != nil {
			fmt.Fprintf(s.Log, "%-22s %-5s %7.3f%% members %9d  count rows %s microseg %s\n", p.Sweep, p.Shape, 100*p.Target, r.Members,
				ms(r.Times["rows"][OpCount]), ms(r.Times["microseg"][OpCount]))
		}
		out = append(out, r)
	}
	return out, nil
}

// termShare returns the share of the base the swept term alone matches.
func (s *SweepRunner) termShare(n int, p *SweepPoint) float64 {
	key := fmt.Sprint(p.Sweep, p.Target)
	if v, ok := s.shares[key]; ok {
		return v
	}
	var t SweepTerm
	for _, sw := range Sweeps() {
		if sw.Name == p.Sweep {
			t = sw.termFor(slices.Index(SweepTargets, p.Target))
		}
	}
	v := float64(s.Engines[0].Count(&SweepQuery{Terms: []SweepTerm{t}})) / float64(max(n, 1))
	s.shares[key] = v
	return v
}

// ms formats d in milliseconds with three significant digits.
func ms(d time.Duration) string {
	v := float64(d) / 1e6
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	case v >= 0.1:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func pct(f float64) string {
	switch {
	case f >= 0.1:
		return fmt.Sprintf("%.0f%%", 100*f)
	case f >= 0.01:
		return fmt.Sprintf("%.1f%%", 100*f)
	case f >= 0.001:
		return fmt.Sprintf("%.2f%%", 100*f)
	}
	return fmt.Sprintf("%.3f%%", 100*f)
}

func ratio2(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Cliff is a sweep point and op where microseg misses a target of item 2.
type Cliff struct {
	R                      *PointResult
	Op                     int
	RowsRatio, BitsetRatio float64 // rows ÷ microseg, bitset ÷ microseg
	Rows, Bitset, Microseg time.Duration
}

// Cliffs returns the points where microseg's count or set is under
// MinRowsRatio times faster than rows or slower than bitset.
func Cliffs(rs []PointResult) []Cliff {
	var out []Cliff
	for i := range rs {
		r := &rs[i]
		for _, op := range []int{OpCount, OpSet} {
			m, ro, b := r.Times["microseg"][op], r.Times["rows"][op], r.Times["bitset"][op]
			c := Cliff{R: r, Op: op, RowsRatio: ratio2(ro, m), BitsetRatio: ratio2(b, m), Rows: ro, Bitset: b, Microseg: m}
			if c.RowsRatio < MinRowsRatio || c.BitsetRatio < MinBitsetRatio {
				out = append(out, c)
			}
		}
	}
	return out
}

// mark formats v with two significant decimals, in bold when under min.
func mark(v, min float64) string {
	s := fmt.Sprintf("%.1f", v)
	if v < 10 {
		s = fmt.Sprintf("%.2f", v)
	}
	if v < min {
		return "**" + s + "**"
	}
	return s
}

// WriteSweepTables writes one markdown table per sweep: for every point and
// op the median times of rows, bitset and microseg and microseg's speed-up
// over each (in bold where under the targets of item 2).
func WriteSweepTables(w io.Writer, rs []PointResult) {
	last := ""
	for i := range rs {
		r := &rs[i]
		p := r.Point
		if p.Sweep != last {
			last = p.Sweep
			fmt.Fprintf(w, "\n#### %s\n\n", p.Sweep)
			fmt.Fprintln(w, "| shape | term share | members | op | rows ms | bitset ms | microseg ms | rows ÷ microseg | bitset ÷ microseg |")
			fmt.Fprintln(w, "|---|---:|---:|---|---:|---:|---:|---:|---:|")
		}
		for op := range NumOps {
			ro, b, m := r.Times["rows"][op], r.Times["bitset"][op], r.Times["microseg"][op]
			rr, br := fmt.Sprintf("%.1f", ratio2(ro, m)), fmt.Sprintf("%.2f", ratio2(b, m))
			if op != OpIDs {
				rr, br = mark(ratio2(ro, m), MinRowsRatio), mark(ratio2(b, m), MinBitsetRatio)
			}
			fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n",
				p.Shape, pct(r.TermShare), r.Members, OpNames[op], ms(ro), ms(b), ms(m), rr, br)
		}
	}
}

// WriteCliffs writes the table of Cliffs.
func WriteCliffs(w io.Writer, n int, rs []PointResult) {
	cs := Cliffs(rs)
	fmt.Fprintf(w, "| N | sweep | shape | term share | members | op | rows ms | bitset ms | microseg ms | rows ÷ microseg | bitset ÷ microseg |\n")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---|---:|---:|---:|---:|---:|")
	for _, c := range cs {
		p := c.R.Point
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |\n", Millions(n), p.Sweep, p.Shape, pct(c.R.TermShare), c.R.Members,
			OpNames[c.Op], ms(c.Rows), ms(c.Bitset), ms(c.Microseg), mark(c.RowsRatio, MinRowsRatio), mark(c.BitsetRatio, MinBitsetRatio))
	}
	if len(cs) == 0 {
		fmt.Fprintln(w, "| – | none | | | | | | | | | |")
	}
}

// WriteVariantTable writes, per sweep, the ratio of a microseg variant's
// times to microseg's (plain ÷ tuned, add ÷ columns): median and worst over
// the sweep's points, for each op.
func WriteVariantTable(w io.Writer, rs []PointResult, variant string) {
	fmt.Fprintf(w, "| sweep | shape | points | count: median | count: worst | count: > 1.10 | set: median | set: worst | set: > 1.10 | ids: median | ids: worst |\n")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	type key struct{ sweep, shape string }
	var order []key
	rat := map[key][NumOps][]float64{}
	for i := range rs {
		r := &rs[i]
		v, ok := r.Times[variant]
		if !ok {
			continue
		}
		k := key{r.Point.Sweep, r.Point.Shape}
		if _, seen := rat[k]; !seen {
			order = append(order, k)
		}
		a := rat[k]
		for op := range NumOps {
			a[op] = append(a[op], ratio2(v[op], r.Times["microseg"][op]))
		}
		rat[k] = a
	}
	for _, k := range order {
		a := rat[k]
		fmt.Fprintf(w, "| %s | %s | %d |", k.sweep, k.shape, len(a[0]))
		for op := range NumOps {
			s := slices.Clone(a[op])
			slices.Sort(s)
			fmt.Fprintf(w, " %.2f | %.2f |", s[len(s)/2], s[len(s)-1])
			if op != OpIDs {
				over := 0
				for _, v := range s {
					if v > 1.10 {
						over++
					}
				}
				fmt.Fprintf(w, " %d |", over)
			}
		}
		fmt.Fprintln(w)
	}
}

// Millions formats n as "1M", "10M", "200k".
func Millions(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// WriteCliffSummary writes, per sweep and shape, how many of its count and
// set measurements miss a target of item 2, and the worst speed-up of
// microseg over the row loop and over bitsets for each op, with the share of
// the base where it falls.
func WriteCliffSummary(w io.Writer, rs []PointResult) {
	type key struct{ sweep, shape string }
	type worst struct {
		v, at float64
	}
	type agg struct {
		n, under   int
		rows, bits [2]worst // by op: count, set
	}
	var order []key
	m := map[key]*agg{}
	for i := range rs {
		r := &rs[i]
		k := key{r.Point.Sweep, r.Point.Shape}
		a, ok := m[k]
		if !ok {
			inf := worst{math.Inf(1), 0}
			a = &agg{rows: [2]worst{inf, inf}, bits: [2]worst{inf, inf}}
			m[k] = a
			order = append(order, k)
		}
		for j, op := range []int{OpCount, OpSet} {
			ms := r.Times["microseg"][op]
			rr, br := ratio2(r.Times["rows"][op], ms), ratio2(r.Times["bitset"][op], ms)
			a.n++
			if rr < MinRowsRatio || br < MinBitsetRatio {
				a.under++
			}
			if rr < a.rows[j].v {
				a.rows[j] = worst{rr, r.TermShare}
			}
			if br < a.bits[j].v {
				a.bits[j] = worst{br, r.TermShare}
			}
		}
	}
	fmt.Fprintln(w, "| sweep | shape | under target (count, set) | worst rows ÷ microseg: count | set | worst bitset ÷ microseg: count | set |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, k := range order {
		a := m[k]
		f := func(x worst, min float64) string { return fmt.Sprintf("%s at %s", mark(x.v, min), pct(x.at)) }
		fmt.Fprintf(w, "| %s | %s | %d of %d | %s | %s | %s | %s |\n", k.sweep, k.shape, a.under, a.n,
			f(a.rows[0], MinRowsRatio), f(a.rows[1], MinRowsRatio), f(a.bits[0], MinBitsetRatio), f(a.bits[1], MinBitsetRatio))
	}
}
