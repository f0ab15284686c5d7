package benchmarks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// TestShardScale measures what one shard of a fleet does for one segment
// query, and what the coordinator does to merge 16 shards' answers: the
// per-shard figures behind README-scale.md. Its own command:
//
//	MICROSEG_SHARD_N=1000000,10000000 go test -run TestShardScale -v -timeout 1h .
//
// Without MICROSEG_SHARD_N it runs at 200,000 customers, as a smoke test.
func TestShardScale(t *testing.T) {
	ns := []int{200_000}
	if s := os.Getenv("MICROSEG_SHARD_N"); s != "" {
		ns = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				t.Fatalf("MICROSEG_SHARD_N=%q: want positive integers separated by commas", s)
			}
			ns = append(ns, n)
		}
	}
	rounds := 3
	if s := os.Getenv("MICROSEG_SHARD_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	for _, n := range ns {
		shardScale(t, n, max(rounds, 1))
	}
}

var (
	shCountry = segment.NewCat[string]("country")
	shGender  = segment.NewCat[string]("gender")
	shAge     = segment.NewIntRange("age", 0, 150)
	shBought  = segment.NewSet[string]("bought")
	shActive  = segment.NewFlag("active")
)

// shardBase builds a base of n customers with keys like "k123" and the
// issue's five fields: country (50 values, skewed), gender (3 values, 5%
// missing), age 18-90 (8% missing), up to 5 of 30 categories bought,
// active (60% true).
func shardBase(t *testing.T, n int) (*segment.Base, time.Duration) {
	r := rand.New(rand.NewPCG(15, 4))
	countries := make([]string, 50)
	for i := range countries {
		countries[i] = fmt.Sprintf("C%02d", i)
	}
	cats := make([]string, 30)
	for i := range cats {
		cats[i] = fmt.Sprintf("cat%02d", i)
	}
	genders := []string{"f", "m", "x"}
	keys := make([]string, n)
	country, gender := make([]string, n), make([]string, n)
	hasGender, hasAge, active := make([]bool, n), make([]bool, n), make([]bool, n)
	age := make([]int64, n)
	bought := make([][]string, n)
	flat := make([]string, 0, 2*n)
	for i := range n {
		keys[i] = "k" + strconv.Itoa(i)
		country[i] = countries[int(math.Pow(r.Float64(), 2)*50)]
		if g := r.IntN(100); g >= 5 {
			gender[i], hasGender[i] = genders[min(g*3/100, 2)], true
		}
		if r.IntN(100) >= 8 {
			age[i], hasAge[i] = int64(18+r.IntN(73)), true
		}
		start := len(flat)
		for k := r.IntN(6); k > 0; k-- {
			flat = append(flat, cats[int(math.Pow(r.Float64(), 1.5)*30)])
		}
		bought[i] = flat[start:len(flat):len(flat)]
		active[i] = r.IntN(10) < 6
	}
	runtime.GC()
	start := time.Now()
	b, err := segment.FromColumns(keys,
		shCountry.Column(country, nil), shGender.Column(gender, hasGender), shAge.Column(age, hasAge),
		shBought.Column(bought), shActive.Column(active, nil))
	if err != nil {
		t.Fatal(err)
	}
	return b, time.Since(start)
}

// best returns the least of rounds timings of f.
func best(rounds int, f func()) time.Duration {
	d := time.Duration(math.MaxInt64)
	for range rounds {
		start := time.Now()
		f()
		d = min(d, time.Since(start))
	}
	return d
}

// wireMicro is a micro-segment as a shard sends it: labels, count, sum.
type wireMicro struct {
	Labels []string
	Count  uint64
	Sum    float64 `json:",omitempty"`
}

func shardScale(t *testing.T, n, rounds int) {
	base, build := shardBase(t, n)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("N = %d: FromColumns %v; heap with the inputs freed: %.1f B/customer", n, build.Round(time.Millisecond),
		float64(ms.HeapAlloc)/float64(n))

	const fleet = 16
	shard, err := segment.NewShard(fleet-1, 26)
	if err != nil {
		t.Fatal(err)
	}
	if err := shard.Fits(base); err != nil {
		t.Fatal(err)
	}
	q1 := segment.And(shCountry.In("C08", "C09"), shAge.Between(25, 35), shActive.True(),
		shBought.Has("cat03"), segment.Not(shGender.Eq("x")))
	broad := shActive.True()
	dims := []segment.Dim{segment.By(shCountry), segment.Bands(shAge, 25, 35, 45, 55, 65), segment.By(shBought)}

	type row struct {
		what string
		d    time.Duration
		wire int // bytes a shard sends
	}
	var rows []row
	add := func(what string, d time.Duration, wire int) { rows = append(rows, row{what, d, wire}) }

	var cnt uint64
	add("Q1-shaped count", best(rounds, func() { cnt = base.Count(q1) }), 8)
	add("broad count (active)", best(rounds, func() { cnt = base.Count(broad) }), 8)
	_ = cnt

	var cube *segment.Cube
	d := best(rounds, func() {
		if cube, err = base.CountCube(broad, dims...); err != nil {
			t.Fatal(err)
		}
	})
	cubeJSON, _ := json.Marshal(cube)
	add(fmt.Sprintf("CountCube active by country x age band x bought (%d cells)", len(cube.Counts)), d, len(cubeJSON))

	var micros []segment.Micro
	d = best(rounds, func() {
		if micros, err = segment.Split(base, broad, dims); err != nil {
			t.Fatal(err)
		}
	})
	wm := make([]wireMicro, len(micros))
	for i, m := range micros {
		wm[i] = wireMicro{m.Labels, m.Count, m.Sum}
	}
	splitJSON, _ := json.Marshal(wm)
	add(fmt.Sprintf("Split of the same, no MinSize (%d cells)", len(micros)), d, len(splitJSON))

	var sk segment.NumberSketch
	members := base.Eval(broad)
	d = best(rounds, func() { sk, _ = base.NumberSketch(shAge, members, 1000) })
	skJSON, _ := json.Marshal(sk)
	add("NumberSketch of age over active, k = 1000", d, len(skJSON))

	for _, seg := range []struct {
		name string
		p    segment.Pred
	}{{"Q1-shaped", q1}, {"broad (active)", broad}} {
		var wire []byte
		var ids uint64
		d := best(rounds, func() {
			local := base.Eval(seg.p)
			ids = local.GetCardinality()
			g, err := shard.Global(local)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := segment.WriteSegment(&buf, nil, nil, g); err != nil {
				t.Fatal(err)
			}
			wire = buf.Bytes()
		})
		add(fmt.Sprintf("members of the %s segment: Eval, Global, portable bytes (%d IDs)", seg.name, ids), d, len(wire))
	}

	// The coordinator: merge 16 shards' answers (the same answer shifted
	// into 16 ID ranges, or repeated, stands for 16 shards).
	cubes := make([]*segment.Cube, fleet)
	splits := make([][]segment.Micro, fleet)
	sketches := make([]segment.NumberSketch, fleet)
	for i := range fleet {
		cubes[i], splits[i], sketches[i] = cube, micros, sk
	}
	add("coordinator: MergeCubes of 16", best(rounds, func() {
		if _, err := segment.MergeCubes(cubes...); err != nil {
			t.Fatal(err)
		}
	}), 0)
	add("coordinator: MergeSplits of 16, MinSize 100, MaxSegments 50", best(rounds, func() {
		if _, err := segment.MergeSplits(splits, segment.MinSize(100), segment.MaxSegments(50)); err != nil {
			t.Fatal(err)
		}
	}), 0)
	add("coordinator: MergeNumberSketches of 16, 9 quantiles", best(rounds, func() {
		m := segment.MergeNumberSketches(sketches...)
		for q := 0.1; q < 0.95; q += 0.1 {
			m.Quantile(q)
		}
	}), 0)
	local := base.Eval(broad)
	globals := make([]*roaring.Bitmap, fleet)
	for i := range fleet {
		s, _ := segment.NewShard(uint32(i), 26)
		globals[i], _ = s.Global(local)
	}
	var union *roaring.Bitmap
	add("coordinator: union of 16 broad member sets (FastOr)", best(rounds, func() { union = roaring.FastOr(globals...) }), 0)
	var ubuf bytes.Buffer
	union.WriteTo(&ubuf)
	t.Logf("union of 16: %d IDs, %d portable bytes", union.GetCardinality(), ubuf.Len())

	t.Logf("%-90s %12s %12s %14s", "per shard of "+strconv.Itoa(n), "time", "ns/customer", "bytes sent")
	for _, r := range rows {
		wire := ""
		if r.wire > 0 {
			wire = strconv.Itoa(r.wire)
		}
		t.Logf("%-90s %12v %12.2f %14s", r.what, r.d.Round(time.Microsecond), float64(r.d.Nanoseconds())/float64(n), wire)
	}
}
