package benchmarks

import (
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSweepEnginesAgree checks every sweep engine against the oracle
// SweepQuery.Match on every point of every sweep, in both shapes: count,
// member set and AppendIDs (appending to a non-empty slice).
func TestSweepEnginesAgree(t *testing.T) {
	d := GenerateSweep(testN)
	points := SweepPoints(nil, []string{ShapeQ1, ShapeAlone}, nil)
	want := make([][]uint32, len(points))
	for i := range points {
		for j := range d.Rows {
			if points[i].Query.Match(&d.Rows[j]) {
				want[i] = append(want[i], uint32(j))
			}
		}
	}
	for _, e := range SweepEngines() {
		t.Run(e.Name(), func(t *testing.T) {
			if err := e.Build(d); err != nil {
				t.Fatalf("Build: %v", err)
			}
			for i := range points {
				p := &points[i]
				q := &p.Query
				if got := e.Count(q); got != uint64(len(want[i])) {
					t.Errorf("%s: Count = %d, want %d", q, got, len(want[i]))
				}
				if diff := cmp.Diff(want[i], e.Set(q).IDs(), cmpEmpty); diff != "" {
					t.Errorf("%s: Set differs (-oracle +%s):\n%s", q, e.Name(), diff)
				}
				got := e.AppendIDs([]uint32{math.MaxUint32}, q)
				if diff := cmp.Diff(append([]uint32{math.MaxUint32}, want[i]...), got); diff != "" {
					t.Errorf("%s: AppendIDs differs (-oracle +%s):\n%s", q, e.Name(), diff)
				}
			}
		})
	}
}

// cmpEmpty treats a nil and an empty member list as equal.
var cmpEmpty = cmp.Comparer(func(a, b []uint32) bool { return slices.Equal(a, b) })

// TestSweepShares checks that each swept term matches its target share of
// the base, within sampling error.
func TestSweepShares(t *testing.T) {
	const n = 200_000
	d := GenerateSweep(n)
	rows := &SweepRows{}
	rows.Build(d)
	for _, p := range SweepPoints(nil, []string{ShapeAlone}, nil) {
		got := float64(rows.Count(&p.Query)) / n
		// Five standard deviations of a binomial share, and 0.5% of the
		// target for the rounding of the score's range widths.
		tol := 5*math.Sqrt(p.Target*(1-p.Target)/n) + 0.005*p.Target
		if math.Abs(got-p.Target) > tol {
			t.Errorf("%s at %g: share %.5f, want %.5f ± %.5f", p.Sweep, p.Target, got, p.Target, tol)
		}
	}
}

// TestSweepRunner runs the sweep command's code at a small N: the runner
// (which checks the engines' counts against the row loop), its tables and
// a chart.
func TestSweepRunner(t *testing.T) {
	const n = 20_000
	d := GenerateSweep(n)
	es := SweepEngines()
	for _, e := range es {
		if err := e.Build(d); err != nil {
			t.Fatalf("%s: Build: %v", e.Name(), err)
		}
	}
	points := SweepPoints([]string{"c2", "tags has all"}, []string{ShapeQ1, ShapeAlone}, []int{0, 7})
	r := &SweepRunner{Engines: es, Rounds: 1, MinSample: time.Microsecond}
	rs, err := r.Run(n, points)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(points) {
		t.Fatalf("%d results for %d points", len(rs), len(points))
	}
	var b strings.Builder
	WriteSweepTables(&b, rs)
	WriteCliffs(io.Discard, n, rs)
	WriteCliffSummary(io.Discard, rs)
	WriteVariantTable(&b, rs, "microseg-plain")
	if got := strings.Count(b.String(), "\n| Q1 |"); got != 2*NumOps*2 {
		t.Errorf("tables have %d Q1 rows, want %d:\n%s", got, 2*NumOps*2, b.String())
	}
	svg := SweepChart(rs, rs[0].Point.Sweep, ShapeQ1, []string{"rows", "bitset", "microseg"}, []int{OpCount, OpSet}).SVG()
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<polyline") != 6 {
		t.Errorf("chart has %d lines, want 6:\n%s", strings.Count(svg, "<polyline"), svg)
	}
	for _, c := range []*Chart{
		SweepChart(rs, rs[0].Point.Sweep, ShapeAlone, []string{"rows", "microseg"}, []int{OpCount}),
		RatioChart(rs, "r", "rows", "microseg", OpCount, ShapeQ1, true, MinRowsRatio, "target"),
		RatioChart(rs, "p", "microseg-plain", "microseg", OpSet, ShapeAlone, false, 1.1, "limit"),
	} {
		if err := wellFormed(c.SVG()); err != nil {
			t.Errorf("%s: %v", c.Title, err)
		}
	}
}

// wellFormed reports whether s parses as XML.
func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// TestLoadAndScale runs the load and scale sweeps at small N: both bases
// answer alike (MeasureLoad checks), every engine agrees with the reference
// answers (MeasureScale checks), and their tables and chart are written.
func TestLoadAndScale(t *testing.T) {
	lr, err := MeasureLoad(Generate(testN), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(lr) != 3 || lr[0].PerSec <= 0 || lr[1].PerSec <= 0 || lr[2].PerSec <= 0 || lr[0].Members == 0 {
		t.Errorf("load results %+v", lr)
	}
	var sr []ScaleResult
	for _, n := range []int{5_000, testN} {
		r, err := MeasureScale(n, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		sr = append(sr, r...)
	}
	var b strings.Builder
	WriteLoadTable(&b, lr)
	WriteScaleSummary(&b, sr)
	WriteScaleTable(&b, sr)
	if !strings.Contains(b.String(), "| Q1 | count | 0.") {
		t.Errorf("no Q1 row in the scale summary:\n%s", b.String())
	}
	if err := wellFormed(ScaleChart(sr).SVG()); err != nil {
		t.Error(err)
	}
}
