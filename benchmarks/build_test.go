package benchmarks

import (
	"math"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// msColumns is the benchmark schema's data as the slices FromColumns takes.
type msColumns struct {
	keys                         []string
	country, gender              []uint8
	hasGender, hasAge, active    []bool
	age, income, purchases, last []int64
	bought                       [][]uint8
}

// newMSColumns prepares d's rows as columns, like (*Microseg).Build, without
// retaining d (the bought lists are copied into one flat slice).
func newMSColumns(d *Data) *msColumns {
	n := len(d.Rows)
	c := &msColumns{
		keys: make([]string, n), country: make([]uint8, n), gender: make([]uint8, n),
		hasGender: make([]bool, n), hasAge: make([]bool, n), active: make([]bool, n),
		age: make([]int64, n), income: make([]int64, n), purchases: make([]int64, n),
		last: make([]int64, n), bought: make([][]uint8, n),
	}
	total := 0
	for i := range d.Rows {
		total += int(d.Rows[i].NBought)
	}
	flat := make([]uint8, 0, total)
	for i := range d.Rows {
		r := &d.Rows[i]
		c.keys[i] = strconv.Itoa(i)
		c.country[i] = r.Country
		if r.Gender != Missing {
			c.gender[i], c.hasGender[i] = uint8(r.Gender), true
		}
		if r.Age != Missing {
			c.age[i], c.hasAge[i] = int64(r.Age), true
		}
		start := len(flat)
		flat = append(flat, r.Bought[:r.NBought]...)
		c.bought[i] = flat[start:len(flat):len(flat)]
		c.active[i] = r.Active
		c.income[i] = r.Income
		c.purchases[i] = int64(r.Purchases)
		c.last[i] = int64(r.LastDay)
	}
	return c
}

// build makes the columns and the base: the whole cost of loading
// prepared slices.
func (c *msColumns) build() (*segment.Base, error) {
	return segment.FromColumns(c.keys,
		msCountry.Column(c.country, nil),
		msGender.Column(c.gender, c.hasGender),
		msAge.Column(c.age, c.hasAge),
		msBought.Column(c.bought),
		msActive.Column(c.active, nil),
		msIncome.Column(c.income, nil),
		msPurchases.Column(c.purchases, nil),
		msLastDay.Column(c.last, nil),
	)
}

// heapGrowth returns the live heap that f's result keeps, after GC.
func heapGrowth(f func() any) (int64, any) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), v
}

// BenchmarkFromColumns times segment.FromColumns with the benchmark schema on
// MICROSEG_BENCH_N customers, the Column calls included (they index the
// values) and the caller's slices and key strings made outside the timer. It
// reports customers per second of wall and of CPU time, and the bytes per
// customer the base keeps: all of it, and the key dictionary alone (a base
// with no fields; the key strings themselves are the caller's and are not
// counted).
func BenchmarkFromColumns(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("MICROSEG_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("MICROSEG_BENCH_N=%q: want a positive integer", s)
		}
		n = v
	}
	cols := newMSColumns(Generate(n))
	runtime.GC()
	b.Run("n="+sizeName(n), func(b *testing.B) {
		t0 := cpuTime()
		best := time.Duration(math.MaxInt64)
		for b.Loop() {
			s := time.Now()
			if _, err := cols.build(); err != nil {
				b.Fatal(err)
			}
			best = min(best, time.Since(s))
		}
		cpu := float64(cpuTime()-t0) / float64(b.N)
		b.ReportMetric(float64(best.Nanoseconds()), "best-ns")
		b.ReportMetric(float64(n)/(cpu/1e9), "customers/cpu-s")
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
		b.StopTimer()
		all, base := heapGrowth(func() any {
			base, err := cols.build()
			if err != nil {
				b.Fatal(err)
			}
			return base
		})
		runtime.KeepAlive(base)
		base = nil
		keys, kb := heapGrowth(func() any {
			base, err := segment.FromColumns(cols.keys)
			if err != nil {
				b.Fatal(err)
			}
			return base
		})
		runtime.KeepAlive(kb)
		b.ReportMetric(float64(all)/float64(n), "bytes/customer")
		b.ReportMetric(float64(keys)/float64(n), "keydict-bytes/customer")
		b.ReportMetric(float64(all-keys)/float64(n), "field-bytes/customer")
	})
	runtime.KeepAlive(cols)
}
