package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"
)

// Loading throughput (issue 14, item 3): n customers with string keys
// "c-0001234" and five fields (country Cat[string] of 50 values, age Int
// with some missing, bought Set[string] of 0-5 of 30 values, active Flag,
// income Int), loaded one Builder.Add at a time and by FromColumns, Build
// and the key dictionary included, in customers per second:
//
//	go test ./segment -run '^$' -bench Load -count 5
//	MICROSEG_LOAD10M=1 go test ./segment -run TestLoad10M -v

// loadData is the customers as the caller holds them before loading.
type loadData struct {
	keys    []string
	country []string
	age     []int64
	ageOK   []bool
	bought  [][]string // shared per distinct set
	active  []bool
	income  []int64
}

func genLoad(n int, seed uint64) *loadData {
	r := rand.New(rand.NewPCG(seed, 14))
	zc := rand.NewZipf(r, 1.2, 2, 49)
	zb := rand.NewZipf(r, 1.1, 3, 29)
	d := &loadData{
		keys: make([]string, n), country: make([]string, n), age: make([]int64, n), ageOK: make([]bool, n),
		bought: make([][]string, n), active: make([]bool, n), income: make([]int64, n),
	}
	sets := map[uint32][]string{}
	for i := range n {
		d.keys[i] = fmt.Sprintf("c-%07d", i)
		d.country[i] = countryNames[zc.Uint64()]
		if r.IntN(100) >= 8 {
			d.age[i], d.ageOK[i] = int64(18+r.IntN(73)), true
		}
		var m uint32
		for range r.IntN(6) {
			m |= 1 << zb.Uint64()
		}
		s, ok := sets[m]
		if !ok {
			for b := m; b != 0; b &= b - 1 {
				s = append(s, categoryNames[trailingZeros(b)])
			}
			sets[m] = s
		}
		d.bought[i] = s
		d.active[i] = r.IntN(100) < 60
		d.income[i] = int64(math.Exp(10.3 + 0.8*r.NormFloat64()))
	}
	return d
}

// add loads d one Add at a time, as a service that receives customers
// one by one would.
func (d *loadData) add() (*Base, error) {
	b := NewBuilder()
	for i, k := range d.keys {
		var err error
		if d.ageOK[i] {
			err = b.Add(k, gCountry.Value(d.country[i]), gAge.Value(d.age[i]), gBought.Values(d.bought[i]...),
				gActive.Value(d.active[i]), gIncome.Value(d.income[i]))
		} else {
			err = b.Add(k, gCountry.Value(d.country[i]), gBought.Values(d.bought[i]...),
				gActive.Value(d.active[i]), gIncome.Value(d.income[i]))
		}
		if err != nil {
			return nil, err
		}
	}
	return b.Build()
}

// columns loads d by FromColumns, the columns made from the caller's
// slices included.
func (d *loadData) columns() (*Base, error) {
	return FromColumns(d.keys,
		gCountry.Column(d.country, nil),
		gAge.Column(d.age, d.ageOK),
		gBought.Column(d.bought),
		gActive.Column(d.active, nil),
		gIncome.Column(d.income, nil))
}

// minorFaults returns the page faults of the process so far: on a virtual
// machine whose memory the host backs on first touch they cost tens of
// microseconds each, and dominate a load's wall time.
func minorFaults() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Minflt
}

func BenchmarkLoad(b *testing.B) {
	const n = 1_000_000
	d := genLoad(n, 1)
	for _, way := range []struct {
		name string
		load func() (*Base, error)
	}{{"add", d.add}, {"columns", d.columns}} {
		b.Run(way.name+"/1M", func(b *testing.B) {
			t0, f0 := cpuTime(), minorFaults()
			for b.Loop() {
				if _, err := way.load(); err != nil {
					b.Fatal(err)
				}
			}
			cpu := float64(cpuTime()-t0) / float64(b.N)
			b.ReportMetric(float64(minorFaults()-f0)/float64(b.N), "faults/op")
			b.ReportMetric(float64(n)/(cpu/1e9), "customers/cpu-s")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
		})
	}
}

// TestLoad10M measures both ways at 10M customers, alternating, and
// prints the median throughput of each; it also checks that both bases
// agree. It runs only with MICROSEG_LOAD10M=1 (rounds: MICROSEG_LOAD_ROUNDS,
// default 3).
func TestLoad10M(t *testing.T) {
	if os.Getenv("MICROSEG_LOAD10M") == "" {
		t.Skip("set MICROSEG_LOAD10M=1 to measure loading at 10M customers")
	}
	n := 10_000_000
	rounds := 3
	fmt.Sscan(os.Getenv("MICROSEG_LOAD_ROUNDS"), &rounds)
	fmt.Sscan(os.Getenv("MICROSEG_LOAD_N"), &n)
	d := genLoad(n, 1)
	rates := map[string][]float64{}
	var bases [2]*Base
	for range rounds {
		for i, way := range []struct {
			name string
			load func() (*Base, error)
		}{{"add", d.add}, {"columns", d.columns}} {
			bases[i] = nil
			t0 := time.Now()
			base, err := way.load()
			el := time.Since(t0)
			if err != nil {
				t.Fatal(err)
			}
			bases[i] = base
			rates[way.name] = append(rates[way.name], float64(n)/el.Seconds())
			t.Logf("%s: %v, %.2fM customers/s", way.name, el.Round(time.Millisecond), float64(n)/el.Seconds()/1e6)
		}
	}
	for _, name := range []string{"add", "columns"} {
		r := slices.Sorted(slices.Values(rates[name]))
		t.Logf("%s at %d: median %.2fM customers/s (min %.2fM, max %.2fM, %d rounds)",
			name, n, r[len(r)/2]/1e6, r[0]/1e6, r[len(r)-1]/1e6, len(r))
	}
	for _, p := range []Pred{
		gCountry.In(countryNames[3], countryNames[9]), gAge.Between(25, 35), gBought.Has(categoryNames[4]),
		gActive.True(), gIncome.Gt(40000), gAge.Missing(),
		And(gCountry.Eq(countryNames[0]), gAge.Lt(30), gBought.HasAll(categoryNames[1], categoryNames[2])),
	} {
		if a, c := bases[0].Count(p), bases[1].Count(p); a != c {
			t.Errorf("%v: Add base counts %d, FromColumns base %d", p, a, c)
		}
	}
}
