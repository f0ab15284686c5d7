package benchmarks

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/segment"
)

// The persona benchmarks profile a 1% segment of a synthetic base of
// MICROSEG_BENCH_N customers (default 1,000,000) with 21 fields: 8
// categorical, 3 set, 2 flag, 5 integer, 1 decimal and 2 time fields.

var (
	pbCountry   = segment.NewCat[string]("country")
	pbCity      = segment.NewCat[string]("city")
	pbGender    = segment.NewCat[string]("gender")
	pbEducation = segment.NewCat[string]("education")
	pbMarital   = segment.NewCat[string]("marital")
	pbPlan      = segment.NewCat[string]("plan")
	pbChannel   = segment.NewCat[string]("channel")
	pbTier      = segment.NewCat[int]("tier")
	pbInterests = segment.NewSet[string]("interests")
	pbBought    = segment.NewSet[string]("bought")
	pbDevices   = segment.NewSet[string]("devices")
	pbActive    = segment.NewFlag("active")
	pbOptIn     = segment.NewFlag("opt_in")
	pbAge       = segment.NewInt("age")
	pbIncome    = segment.NewInt("income")
	pbKids      = segment.NewInt("kids")
	pbVisits    = segment.NewInt("visits")
	pbOrders    = segment.NewInt("orders")
	pbLTV       = segment.NewDecimal("ltv", 2)
	pbSignup    = segment.NewTime("signup")
	pbLastBuy   = segment.NewTime("last_buy")
)

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

var (
	pbCountries = names("country-", 20)
	pbCities    = names("city-", 200)
	pbTopics    = names("topic-", 30)
	pbProducts  = names("product-", 20)
	pbDeviceSet = []string{"ios", "android", "web", "tv"}
)

type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	x := uint64(*r)
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// skew returns an index in [0, n) with low indexes far more common.
func (r *rng) skew(n int) int {
	f := float64(r.next()>>11) / (1 << 53)
	return int(f * f * float64(n))
}

func benchN() int {
	if s := os.Getenv("MICROSEG_BENCH_N"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 1_000_000
}

var personaBench struct {
	once    sync.Once
	base    *segment.Base
	segment *roaring.Bitmap
	build   time.Duration
}

// personaBase builds the base once per process, and a scattered 1% segment
// (every customer whose hashed ID falls in the first percentile).
func personaBase(b *testing.B) (*segment.Base, *roaring.Bitmap) {
	personaBench.once.Do(func() {
		start := time.Now()
		n := benchN()
		r := rng(1)
		bld := segment.NewBuilder()
		epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
		vs := make([]segment.Value, 0, 21)
		for i := range n {
			vs = vs[:0]
			vs = append(vs,
				pbCountry.Value(pbCountries[r.skew(20)]),
				pbCity.Value(pbCities[r.skew(200)]),
				pbGender.Value([]string{"f", "m", "x"}[r.intn(3)]),
				pbEducation.Value([]string{"basic", "secondary", "graduation", "master", "phd"}[r.skew(5)]),
				pbMarital.Value([]string{"single", "together", "married", "divorced", "widow", "other"}[r.skew(6)]),
				pbPlan.Value([]string{"free", "monthly", "annual", "enterprise"}[r.skew(4)]),
				pbChannel.Value([]string{"online", "store", "both"}[r.intn(3)]),
				pbTier.Value(r.skew(10)),
				pbActive.Value(r.intn(3) > 0),
				pbAge.Value(int64(18+r.intn(70))),
				pbKids.Value(int64(r.skew(5))),
				pbVisits.Value(int64(r.skew(500))),
				pbOrders.Value(int64(r.skew(100))),
				pbLTV.Units(int64(r.skew(10_000_000))),
				pbSignup.Value(epoch.Add(time.Duration(r.intn(3650*24))*time.Hour)),
			)
			if r.intn(5) > 0 { // 20% missing
				vs = append(vs, pbIncome.Value(int64(10_000+r.skew(200_000))), pbOptIn.Value(r.intn(2) == 0),
					pbLastBuy.Value(epoch.Add(time.Duration(r.intn(3650*24))*time.Hour)))
			}
			var topics, products []string
			for range r.intn(4) {
				topics = append(topics, pbTopics[r.skew(30)])
			}
			for range r.intn(3) {
				products = append(products, pbProducts[r.skew(20)])
			}
			vs = append(vs, pbInterests.Values(topics...), pbBought.Values(products...),
				pbDevices.Values(pbDeviceSet[r.intn(4)]))
			if err := bld.Add("c"+strconv.Itoa(i), vs...); err != nil {
				panic(err)
			}
		}
		base, err := bld.Build()
		if err != nil {
			panic(err)
		}
		seg := roaring.New()
		h := rng(7)
		for id := range uint32(n) {
			if h.intn(100) == 0 {
				seg.Add(id)
			}
		}
		seg.RunOptimize()
		personaBench.base, personaBench.segment = base, seg
		personaBench.build = time.Since(start)
		runtime.GC() // the builder's garbage is not the benchmarks' cost
	})
	b.Logf("base: %d customers, %d fields, built in %v; segment: %d members",
		personaBench.base.Len(), len(personaBench.base.Fields()), personaBench.build, personaBench.segment.GetCardinality())
	return personaBench.base, personaBench.segment
}

// measure runs op in a b.Loop and reports cpu-ms/op (process CPU time per
// operation, from cpuTime in cputime_unix.go) next to the wall-clock ns/op:
// on a shared, oversubscribed machine the wall clock also counts the time
// the process waited for a core, the CPU time does not.
func measure(b *testing.B, op func()) {
	b.Helper()
	start := cpuTime()
	n := 0
	for b.Loop() {
		op()
		n++
	}
	if used := cpuTime() - start; n > 0 && used > 0 {
		b.ReportMetric(float64(used)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
	}
}

// BenchmarkPersonaDescribe profiles the 1% segment over all 21 fields.
func BenchmarkPersonaDescribe(b *testing.B) {
	base, seg := personaBase(b)
	b.ResetTimer()
	measure(b, func() {
		if _, err := persona.Describe(base, seg); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPersonaDescribeBaseline profiles the 1% segment against a
// baseline of the whole base computed once: the interactive case, where
// many micro-segments are profiled one after another.
func BenchmarkPersonaDescribeBaseline(b *testing.B) {
	base, seg := personaBase(b)
	bl, err := persona.NewBaseline(base)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	measure(b, func() {
		if _, err := persona.Describe(base, seg, persona.Against(bl)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPersonaBaseline computes the reference side of profiles over the
// whole base.
func BenchmarkPersonaBaseline(b *testing.B) {
	base, _ := personaBase(b)
	b.ResetTimer()
	measure(b, func() {
		if _, err := persona.NewBaseline(base); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPersonaDescribeCohort profiles a natural (clustered) segment,
// defined by a predicate, of about 1%.
func BenchmarkPersonaDescribeCohort(b *testing.B) {
	base, _ := personaBase(b)
	seg := base.Eval(segment.And(pbPlan.Eq("annual"), pbAge.Between(25, 34), pbChannel.Eq("online")))
	b.Logf("cohort: %d members", seg.GetCardinality())
	b.ResetTimer()
	measure(b, func() {
		if _, err := persona.Describe(base, seg); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPersonaNew builds the persona of a profile (ranking and summary).
func BenchmarkPersonaNew(b *testing.B) {
	base, seg := personaBase(b)
	prof, err := persona.Describe(base, seg)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	measure(b, func() {
		_ = persona.New(prof)
	})
}

// BenchmarkPersonaLookalike ranks the whole base against the 1% seed and
// takes an audience of 1% of the base.
func BenchmarkPersonaLookalike(b *testing.B) {
	base, seg := personaBase(b)
	b.ResetTimer()
	measure(b, func() {
		if _, err := persona.LookalikeFraction(base, seg, 0.01); err != nil {
			b.Fatal(err)
		}
	})
}
