package benchmarks

import (
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// The five fields of the load benchmark (issue 14, item 3): a code, an
// integer range with missing values, a plain integer, a flag and a set.
var loadFields = struct {
	country segment.Cat[uint8]
	age     segment.Int
	income  segment.Int
	active  segment.Flag
	bought  segment.Set[uint8]
}{msCountry, msAge, msIncome, msActive, msBought}

// LoadKeys returns the string keys of n customers: the decimal IDs, in
// increasing order (as a table sorted by its primary key gives them).
func LoadKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	return keys
}

// ShuffledKeys returns keys in a random order (fixed by Seed): keys that
// come in no order, as hashes or UUIDs do.
func ShuffledKeys(keys []string) []string {
	out := slices.Clone(keys)
	rand.New(rand.NewPCG(Seed, 3)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// LoadAdd loads the five fields of d's rows with Builder.Add, one customer
// at a time, and builds the base.
func LoadAdd(d *Data, keys []string) (*segment.Base, error) {
	f := &loadFields
	b := segment.NewBuilder()
	vals := make([]segment.Value, 0, 5)
	for i := range d.Rows {
		c := &d.Rows[i]
		vals = append(vals[:0], f.country.Value(c.Country), f.income.Value(c.Income), f.active.Value(c.Active))
		if c.Age != Missing {
			vals = append(vals, f.age.Value(int64(c.Age)))
		}
		if c.NBought > 0 {
			vals = append(vals, f.bought.Values(c.Bought[:c.NBought]...))
		}
		if err := b.Add(keys[i], vals...); err != nil {
			return nil, err
		}
	}
	return b.Build()
}

// LoadColumns returns a function that loads the five fields of d's rows with
// FromColumns; the columns are made before, as an application that holds
// its data column by column has them.
func LoadColumns(d *Data, keys []string) func() (*segment.Base, error) {
	f := &loadFields
	n := len(d.Rows)
	country, age, hasAge := make([]uint8, n), make([]int64, n), make([]bool, n)
	income, active, bought := make([]int64, n), make([]bool, n), make([][]uint8, n)
	for i := range d.Rows {
		c := &d.Rows[i]
		country[i], income[i], active[i], bought[i] = c.Country, c.Income, c.Active, c.Bought[:c.NBought]
		if c.Age != Missing {
			age[i], hasAge[i] = int64(c.Age), true
		}
	}
	return func() (*segment.Base, error) {
		return segment.FromColumns(keys,
			f.country.Column(country, nil), f.age.Column(age, hasAge), f.income.Column(income, nil),
			f.active.Column(active, nil), f.bought.Column(bought))
	}
}

// LoadResult is the load throughput of one method at one N.
type LoadResult struct {
	N       int
	Method  string
	Runs    int
	Median  time.Duration
	PerSec  float64       // customers per second
	CPU     time.Duration // median CPU time of a load, every thread (GC workers too)
	PerCPU  float64       // customers per CPU second: less sensitive to other load on the machine
	Target  float64       // issue 14, item 3
	Members uint64        // Q1's count on the loaded base, the same for both
}

// MeasureLoad loads d with Builder.Add (keys in increasing order, then
// shuffled) and with FromColumns, alternately, runs times each, and returns
// the median of each. The bases must answer Q1's five-field shape alike.
func MeasureLoad(d *Data, runs int, log io.Writer) ([]LoadResult, error) {
	keys := LoadKeys(len(d.Rows))
	shuffled := ShuffledKeys(keys)
	cols := LoadColumns(d, keys)
	f := &loadFields
	q := segment.And(f.country.In(12, 13), f.age.Between(25, 35), f.active.True(), f.bought.Has(3))
	methods := []struct {
		name   string
		target float64
		load   func() (*segment.Base, error)
	}{
		{"Builder.Add + Build", 3e6, func() (*segment.Base, error) { return LoadAdd(d, keys) }},
		{"Builder.Add + Build, keys shuffled", 3e6, func() (*segment.Base, error) { return LoadAdd(d, shuffled) }},
		{"FromColumns", 10e6, cols},
	}
	out := make([]LoadResult, len(methods))
	times := make([][]time.Duration, len(methods))
	cpus := make([][]time.Duration, len(methods))
	for r := range max(runs, 1) {
		for i, m := range methods {
			runtime.GC()
			t, c := time.Now(), cpuTime()
			base, err := m.load()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.name, err)
			}
			times[i] = append(times[i], time.Since(t))
			cpus[i] = append(cpus[i], cpuTime()-c)
			members := base.Count(q)
			if r == 0 {
				out[i] = LoadResult{N: len(d.Rows), Method: m.name, Target: m.target, Members: members}
			}
			if members != out[0].Members {
				return nil, fmt.Errorf("%s: Q1 shape counts %d, Builder.Add's base %d", m.name, members, out[0].Members)
			}
			if log != nil {
				fmt.Fprintf(log, "load %d: %s in %v\n", len(d.Rows), m.name, times[i][r].Round(time.Millisecond))
			}
		}
	}
	for i := range out {
		slices.Sort(times[i])
		out[i].Runs = len(times[i])
		out[i].Median = times[i][len(times[i])/2]
		out[i].PerSec = float64(len(d.Rows)) / out[i].Median.Seconds()
		slices.Sort(cpus[i])
		out[i].CPU = cpus[i][len(cpus[i])/2]
		out[i].PerCPU = float64(len(d.Rows)) / out[i].CPU.Seconds()
	}
	return out, nil
}

// WriteLoadTable writes the load results as a markdown table.
func WriteLoadTable(w io.Writer, rs []LoadResult) {
	fmt.Fprintln(w, "| N | method | runs | median | customers/s | target | meets | customers/cpu-s |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---|---:|")
	for _, r := range rs {
		meets := "yes"
		if r.PerSec < r.Target {
			meets = fmt.Sprintf("**no** (%.0f%%)", 100*r.PerSec/r.Target)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %v | %.2fM | %.0fM | %s | %.2fM |\n", Millions(r.N), r.Method, r.Runs,
			r.Median.Round(time.Millisecond), r.PerSec/1e6, r.Target/1e6, meets, r.PerCPU/1e6)
	}
}
