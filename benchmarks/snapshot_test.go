package benchmarks

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// Snapshots at memory speed (issue 15, item 1): segment.ReadBase from an
// io.Reader and segment.OpenBase over the caller's bytes, on the base of
// the issue: five fields loaded by FromColumns and keys "k0", "k1", ...
//
//	go test -run '^$' -bench 'Snapshot' -benchtime 5x                  # 1M
//	MICROSEG_SNAPSHOT_N=1000000,10000000 go test -run TestSnapshotSpeed -v

var (
	snapCountry = segment.NewCat[string]("country")
	snapAge     = segment.NewInt("age")
	snapBought  = segment.NewSet[string]("bought")
	snapActive  = segment.NewFlag("active")
	snapIncome  = segment.NewInt("income")
)

// snapshotBase returns the base of n customers and its snapshot: country
// of 50 values (Zipf), age 18–90 with 8% missing, 0–5 of 30 categories
// bought, active for 60%, a log-normal income.
func snapshotBase(tb testing.TB, n int) (*segment.Base, []byte) {
	tb.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 15))
	zc := rand.NewZipf(r, 1.2, 2, 49)
	zb := rand.NewZipf(r, 1.1, 3, 29)
	keys, country, bought := make([]string, n), make([]string, n), make([][]string, n)
	age, ageOK, active, income := make([]int64, n), make([]bool, n), make([]bool, n), make([]int64, n)
	sets := map[uint32][]string{}
	for i := range n {
		keys[i] = "k" + strconv.Itoa(i)
		country[i] = fmt.Sprintf("country-%02d", zc.Uint64())
		if r.IntN(100) >= 8 {
			age[i], ageOK[i] = int64(18+r.IntN(73)), true
		}
		var m uint32
		for range r.IntN(6) {
			m |= 1 << zb.Uint64()
		}
		s, ok := sets[m]
		if !ok {
			for c := range 30 {
				if m&(1<<c) != 0 {
					s = append(s, fmt.Sprintf("category-%02d", c))
				}
			}
			sets[m] = s
		}
		bought[i] = s
		active[i] = r.IntN(100) < 60
		income[i] = int64(math.Exp(10.3 + 0.8*r.NormFloat64()))
	}
	base, err := segment.FromColumns(keys,
		snapCountry.Column(country, nil), snapAge.Column(age, ageOK), snapBought.Column(bought),
		snapActive.Column(active, nil), snapIncome.Column(income, nil))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return base, buf.Bytes()
}

// snapshotWays are the two ways in, each returning the base it made.
var snapshotWays = []struct {
	name string
	open func([]byte) (*segment.Base, error)
}{
	{"ReadBase", func(data []byte) (*segment.Base, error) { return segment.ReadBase(bytes.NewReader(data)) }},
	{"OpenBase", segment.OpenBase},
}

func BenchmarkSnapshot(b *testing.B) {
	const n = 1_000_000
	_, data := snapshotBase(b, n)
	runtime.GC()
	for _, way := range snapshotWays {
		b.Run(way.name+"/n="+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			t0 := cpuTime()
			for b.Loop() {
				if _, err := way.open(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data))*float64(b.N)/float64(cpuTime()-t0), "GB/cpu-s")
		})
	}
}

// TestSnapshotSpeed times ReadBase and OpenBase, alternating, at each N of
// MICROSEG_SNAPSHOT_N (a comma-separated list) for MICROSEG_SNAPSHOT_ROUNDS
// rounds (default 5), checks that both bases answer like the base written,
// and prints the medians as rows of the README's table: wall seconds, CPU
// seconds of the process (GC workers included) and GB/s of each.
func TestSnapshotSpeed(t *testing.T) {
	env := os.Getenv("MICROSEG_SNAPSHOT_N")
	if env == "" {
		t.Skip("set MICROSEG_SNAPSHOT_N=1000000,10000000 to time ReadBase and OpenBase")
	}
	rounds := 5
	fmt.Sscan(os.Getenv("MICROSEG_SNAPSHOT_ROUNDS"), &rounds)
	var rows []string
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			t.Fatalf("MICROSEG_SNAPSHOT_N: %q is not a positive integer", f)
		}
		base, data := snapshotBase(t, n)
		runtime.GC()
		wall, cpu := map[string][]float64{}, map[string][]float64{}
		for range rounds {
			for _, way := range snapshotWays {
				t0, c0 := time.Now(), cpuTime()
				got, err := way.open(data)
				el, c := time.Since(t0).Seconds(), (cpuTime() - c0).Seconds()
				if err != nil {
					t.Fatal(err)
				}
				wall[way.name], cpu[way.name] = append(wall[way.name], el), append(cpu[way.name], c)
				for _, p := range []segment.Pred{
					snapCountry.In("country-03", "country-09"), snapAge.Between(25, 35), snapBought.Has("category-04"),
					snapActive.True(), snapIncome.Gt(40000), snapAge.Missing(),
				} {
					if g, w := got.Count(p), base.Count(p); g != w {
						t.Fatalf("%s at %d: %v counts %d, the base written %d", way.name, n, p, g, w)
					}
				}
				got = nil
				runtime.GC()
			}
		}
		mb := float64(len(data)) / 1e6
		for _, way := range snapshotWays {
			w, c := median(wall[way.name]), median(cpu[way.name])
			rows = append(rows, fmt.Sprintf("| %s | %s | %.0f | %d | %.3f | %.2f | %.3f | %.2f |",
				sizeName(n), way.name, mb, rounds, w, mb/1e3/w, c, mb/1e3/c))
		}
	}
	t.Log("\n| N | way | MB | runs | wall s | GB/s | CPU s | GB/CPU-s |\n|---:|---|---:|---:|---:|---:|---:|---:|\n" + strings.Join(rows, "\n"))
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}
