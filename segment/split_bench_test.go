package segment

import (
	"math/bits"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Split and CountCube at one pass (issue 14, item 4), beside a row loop
// over the generator's packed columns that computes the same histogram:
//
//	go test ./segment -run '^$' -bench 'SplitOnePass|CubeOnePass' -benchmem
//	MICROSEG_SPLIT10M=1 go test ./segment -run '^$' -bench 'SplitOnePass|CubeOnePass' -timeout 30m
//
// On a shared machine, compare strategies in one process, interleaved:
//
//	MICROSEG_AB=1 go test ./segment -run TestSplitCubeAB -v -timeout 30m
//
// (with MICROSEG_SPLIT10M=1 for 10M customers, MICROSEG_AB_ROUNDS=n rounds,
// MICROSEG_AB_ONLY=cube or split for one of the two, MICROSEG_AB_SKIP=split/walk
// to leave out the slow walk at 10M).

// splitSizes returns 1M, or 10M with MICROSEG_SPLIT10M=1.
func splitSizes() []int {
	if os.Getenv("MICROSEG_SPLIT10M") != "" {
		return []int{10_000_000}
	}
	return []int{1_000_000}
}

// The issue's split: the active customers by country x age bands x
// categories bought, cells of at least 1,000.
var splitAgeEdges = []int64{18, 25, 35, 45, 55, 65}

func issueSplitDims() []Dim {
	return []Dim{By(gCountry), Bands(gAge, splitAgeEdges...), By(gBought)}
}

func issueCubeDims() []Dim {
	return []Dim{By(gCountry), WidthBands(gAge, 10), By(gBought)}
}

const issueMinSize = 1000

// rowSplit is the row loop of the issue's split: the histogram of
// (country, age band, category) over the active customers, then the cells
// of at least issueMinSize. It returns the number of cells kept.
func rowSplit(d *genData, hist []uint32) int {
	var band [151]uint8 // age -> band
	for a := range band {
		band[a] = uint8(len(splitAgeEdges))
		for i, e := range splitAgeEdges {
			if int64(a) < e {
				band[a] = uint8(i)
				break
			}
		}
	}
	const nb = 7
	clear(hist)
	for i, c := range d.country {
		a := d.age[i]
		if !d.active[i] || a < 0 {
			continue
		}
		cell := (int(c)*nb + int(band[a])) * 30
		for m := d.bought[i]; m != 0; m &= m - 1 {
			hist[cell+bits.TrailingZeros32(m)]++
		}
	}
	kept := 0
	for _, n := range hist {
		if n >= issueMinSize {
			kept++
		}
	}
	return kept
}

// rowCube is the row loop of Q4: country x age/10 x category bought, over
// every customer with an age.
func rowCube(d *genData, counts []uint32) {
	clear(counts)
	for i, c := range d.country {
		a := d.age[i]
		if a < 0 {
			continue
		}
		cell := (int(c)*10 + int(a/10)) * 30
		for m := d.bought[i]; m != 0; m &= m - 1 {
			counts[cell+bits.TrailingZeros32(m)]++
		}
	}
}

func BenchmarkSplitOnePass(b *testing.B) {
	for _, n := range splitSizes() {
		s := splitData(n)
		macro := gActive.True()
		o := makeOptions([]SplitOption{MinSize(issueMinSize)})
		for _, st := range splitStrategies {
			b.Run(sizeName(n)+"/"+st.name, func(b *testing.B) {
				loop(b, func() {
					if _, err := split(s.base, macro, issueSplitDims(), o, st.id); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
		hist := make([]uint32, 50*7*30)
		b.Run(sizeName(n)+"/rows", func(b *testing.B) { loop(b, func() { rowSplit(s.d, hist) }) })
	}
}

func BenchmarkCubeOnePass(b *testing.B) {
	for _, n := range splitSizes() {
		s := splitData(n)
		b.Run(sizeName(n)+"/CountCube", func(b *testing.B) {
			loop(b, func() {
				if _, err := s.base.CountCube(All(), issueCubeDims()...); err != nil {
					b.Fatal(err)
				}
			})
		})
		counts := make([]uint32, 50*10*30)
		b.Run(sizeName(n)+"/rows", func(b *testing.B) { loop(b, func() { rowCube(s.d, counts) }) })
	}
}

// splitStrategies are the strategies the benchmarks compare.
var splitStrategies = []struct {
	name string
	id   int
}{
	{"auto", splitAuto},
	{"walk", splitWalk},
	{"pass", splitPass},
}

// TestSplitCubeAB times the split strategies, CountCube and the row loops
// interleaved, round after round, and prints the median of each and its
// ratio to the row loop. It also checks that they agree.
func TestSplitCubeAB(t *testing.T) {
	if os.Getenv("MICROSEG_AB") == "" {
		t.Skip("set MICROSEG_AB=1 to run")
	}
	rounds := 7
	if r, err := strconv.Atoi(os.Getenv("MICROSEG_AB_ROUNDS")); err == nil && r > 0 {
		rounds = r
	}
	for _, n := range splitSizes() {
		t0 := time.Now()
		s := splitData(n)
		t.Logf("%s: base built in %v", sizeName(n), time.Since(t0).Round(time.Millisecond))
		macro := gActive.True()
		o := makeOptions([]SplitOption{MinSize(issueMinSize)})
		hist := make([]uint32, 50*7*30)
		counts := make([]uint32, 50*10*30)
		want := rowSplit(s.d, hist)

		type variant struct {
			name string
			fn   func()
		}
		var vs []variant
		for _, st := range splitStrategies {
			vs = append(vs, variant{"split/" + st.name, func() {
				ms, err := split(s.base, macro, issueSplitDims(), o, st.id)
				if err != nil || len(ms) != want {
					t.Fatalf("split/%s: %d cells, err %v; the row loop keeps %d", st.name, len(ms), err, want)
				}
			}})
		}
		vs = append(vs, variant{"split/rows", func() { rowSplit(s.d, hist) }})
		for _, cf := range cubeFuncs {
			vs = append(vs, variant{"cube/" + cf.name, func() {
				if _, err := cf.fn(s.base, All(), issueCubeDims()...); err != nil {
					t.Fatal(err)
				}
			}})
		}
		vs = append(vs, variant{"cube/rows", func() { rowCube(s.d, counts) }})

		if only := os.Getenv("MICROSEG_AB_ONLY"); only != "" {
			vs = slices.DeleteFunc(vs, func(v variant) bool { return !strings.HasPrefix(v.name, only) })
		}
		if skip := os.Getenv("MICROSEG_AB_SKIP"); skip != "" {
			vs = slices.DeleteFunc(vs, func(v variant) bool { return v.name == skip })
		}
		// Wall time, and the CPU time of the thread that runs the variant,
		// which a busy machine inflates less: the time it waits for a core
		// is not counted.
		times := make([][]time.Duration, len(vs))
		cpus := make([][]time.Duration, len(vs))
		runtime.LockOSThread()
		for range rounds {
			for i, v := range vs {
				c0, t0 := threadCPU(), time.Now()
				v.fn()
				times[i] = append(times[i], time.Since(t0))
				cpus[i] = append(cpus[i], threadCPU()-c0)
			}
		}
		runtime.UnlockOSThread()
		med := func(ts []time.Duration) time.Duration {
			ts = slices.Clone(ts)
			slices.Sort(ts)
			return ts[len(ts)/2]
		}
		rows, rowsCPU := map[string]time.Duration{}, map[string]time.Duration{}
		for i, v := range vs {
			if v.name == "split/rows" || v.name == "cube/rows" {
				rows[v.name[:5]], rowsCPU[v.name[:5]] = med(times[i]), med(cpus[i])
			}
		}
		for i, v := range vs {
			m, c := med(times[i]), med(cpus[i])
			t.Logf("%s %-16s median %8.2f ms wall (min %7.2f) x%.2f the row loop; thread CPU %8.2f ms x%.2f", sizeName(n), v.name,
				ms(m), ms(slices.Min(times[i])), float64(m)/float64(rows[v.name[:5]]), ms(c), float64(c)/float64(rowsCPU[v.name[:5]]))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// cubeFuncs are the CountCube implementations the A/B test compares.
var cubeFuncs = []struct {
	name string
	fn   func(*Base, Pred, ...Dim) (*Cube, error)
}{
	{"CountCube", (*Base).CountCube},
}

// splitData returns the generated base of n customers, built once per
// process.
func splitData(n int) *benchSet {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchSets[n]; ok {
		return s
	}
	d := genCustomers(n, 1)
	s := &benchSet{d: d, base: d.buildColumns()}
	benchSets[n] = s
	return s
}
