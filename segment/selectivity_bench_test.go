package segment

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The selectivity sweep of issue 14: the Q1 shape
//
//	country in (...) and age between lo and hi and active and bought has k
//
// with one term varied at a time from rare to common, timed in one process
// against a loop over packed row structs and against one dense bitset per
// value (the benchmarks module's engines (a) and (c), rewritten here because
// that module depends on this one). The engines run interleaved, one call
// each per point per round, and the table gives the median per point:
//
//	MICROSEG_SWEEP=1 go test ./segment -run TestSelectivitySweep -v -timeout 30m
//
// MICROSEG_SWEEP_N sets the number of customers (default 5,000,000),
// MICROSEG_SWEEP_ROUNDS the rounds (default 15), MICROSEG_SWEEP_ONLY a
// substring of the point names to run. The data follow benchmarks/data.go: 50
// countries (Zipf s=1.1), age 18–90 with 10% missing, 0–5 of 30 categories
// (Zipf s=1.05), active 60%, gender 3 values with 5% missing.

// sweepRow is one customer, packed as a user would keep it.
type sweepRow struct {
	Country uint8
	Gender  int8 // -1 missing
	Age     int8 // -1 missing
	Active  bool
	NBought uint8
	Bought  [5]uint8
	Rare    bool   // a flag true for 1%
	Score   uint16 // uniform in [0, 10000)
}

func (c *sweepRow) has(k uint8) bool {
	for _, b := range c.Bought[:c.NBought] {
		if b == k {
			return true
		}
	}
	return false
}

func sweepGenerate(n int) []sweepRow {
	r := rand.New(rand.NewPCG(20261125, uint64(n)))
	zc := rand.NewZipf(r, 1.1, 2, 49)
	zk := rand.NewZipf(r, 1.05, 4, 29)
	rows := make([]sweepRow, n)
	for i := range rows {
		c := &rows[i]
		c.Country = uint8(zc.Uint64())
		switch g := r.Float64(); {
		case g < 0.05:
			c.Gender = -1
		case g < 0.52:
			c.Gender = 0
		case g < 0.97:
			c.Gender = 1
		default:
			c.Gender = 2
		}
		if r.Float64() < 0.1 {
			c.Age = -1
		} else {
			a := 18 + (r.Float64()+r.Float64())/2*float64(90-18+1)
			c.Age = int8(min(int(a), 90))
		}
		c.Active = r.Float64() < 0.6
		c.Rare = r.Float64() < 0.01
		c.Score = uint16(r.IntN(10000))
		nb := r.IntN(6)
		for int(c.NBought) < nb {
			k := uint8(zk.Uint64())
			if !c.has(k) {
				c.Bought[c.NBought] = k
				c.NBought++
			}
		}
	}
	return rows
}

var (
	swCountry = NewCat[uint8]("country")
	swGender  = NewCat[uint8]("gender")
	swAge     = NewIntRange("age", 18, 90)
	swBought  = NewSet[uint8]("bought")
	swActive  = NewFlag("active")
	swRare    = NewFlag("rare")
	swScore   = NewIntRange("score", 0, 9999)
)

func sweepBase(t testing.TB, rows []sweepRow) *Base {
	n := len(rows)
	keys := make([]string, n)
	country := make([]uint8, n)
	gender, hasGender := make([]uint8, n), make([]bool, n)
	age, hasAge := make([]int64, n), make([]bool, n)
	bought := make([][]uint8, n)
	active := make([]bool, n)
	rare := make([]bool, n)
	score := make([]int64, n)
	for i := range rows {
		c := &rows[i]
		keys[i] = strconv.Itoa(i)
		country[i] = c.Country
		if c.Gender >= 0 {
			gender[i], hasGender[i] = uint8(c.Gender), true
		}
		if c.Age >= 0 {
			age[i], hasAge[i] = int64(c.Age), true
		}
		bought[i] = c.Bought[:c.NBought]
		active[i] = c.Active
		rare[i] = c.Rare
		score[i] = int64(c.Score)
	}
	base, err := FromColumns(keys, swCountry.Column(country, nil), swGender.Column(gender, hasGender),
		swAge.Column(age, hasAge), swBought.Column(bought), swActive.Column(active, nil),
		swRare.Column(rare, nil), swScore.Column(score, nil))
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// sweepQuery is one point: the Q1 shape with its terms' parameters. An
// empty country list or bought list drops the term; activeMode 0 drops the
// flag, 1 asks active, 2 not active.
type sweepQuery struct {
	name      string
	countries []uint8
	ageLo     int8
	ageHi     int8 // 0: no age term
	bought    []uint8
	boughtAll bool // HasAll rather than HasAny
	activeMod int
	rare      bool   // and rare
	scoreLo   uint16 // and score between scoreLo and scoreHi, when scoreHi > 0
	scoreHi   uint16
}

func (q *sweepQuery) pred() Pred {
	var ps []Pred
	if len(q.countries) > 0 {
		ps = append(ps, swCountry.In(q.countries...))
	}
	if q.ageHi != 0 {
		ps = append(ps, swAge.Between(int64(q.ageLo), int64(q.ageHi)))
	}
	switch q.activeMod {
	case 1:
		ps = append(ps, swActive.True())
	case 2:
		ps = append(ps, Not(swActive.True()))
	}
	if q.rare {
		ps = append(ps, swRare.True())
	}
	if q.scoreHi > 0 {
		ps = append(ps, swScore.Between(int64(q.scoreLo), int64(q.scoreHi)))
	}
	switch {
	case len(q.bought) == 1:
		ps = append(ps, swBought.Has(q.bought[0]))
	case len(q.bought) > 1 && q.boughtAll:
		ps = append(ps, swBought.HasAll(q.bought...))
	case len(q.bought) > 1:
		ps = append(ps, swBought.HasAny(q.bought...))
	}
	return And(ps...)
}

// rowLoop is engine (a): one pass over the rows with the condition written
// out; out nil counts only.
func (q *sweepQuery) rowLoop(rows []sweepRow, out *[]uint32) int {
	var cmask uint64
	for _, c := range q.countries {
		cmask |= 1 << c
	}
	if len(q.countries) == 0 {
		cmask = ^uint64(0)
	}
	lo, hi := q.ageLo, q.ageHi
	anyAge := hi == 0
	var bmask uint32
	for _, k := range q.bought {
		bmask |= 1 << k
	}
	nb := len(q.bought)
	act := q.activeMod
	n := 0
	for i := range rows {
		c := &rows[i]
		if cmask>>c.Country&1 == 0 || !(anyAge || c.Age >= lo && c.Age <= hi) {
			continue
		}
		if act == 1 && !c.Active || act == 2 && c.Active {
			continue
		}
		if q.rare && !c.Rare || q.scoreHi > 0 && (c.Score < q.scoreLo || c.Score > q.scoreHi) {
			continue
		}
		if nb > 0 {
			var m uint32
			for _, b := range c.Bought[:c.NBought] {
				m |= 1 << b
			}
			if q.boughtAll && m&bmask != bmask || !q.boughtAll && m&bmask == 0 {
				continue
			}
		}
		n++
		if out != nil {
			*out = append(*out, uint32(i))
		}
	}
	return n
}

// sweepBitsets is engine (c): one dense bitset per value, age
// range-encoded (ageLE[v]: known age <= v).
type sweepBitsets struct {
	n, words int
	country  [50][]uint64
	bought   [30][]uint64
	active   []uint64
	rare     []uint64
	score    [14][]uint64 // bit-sliced
	ageLE    [91][]uint64
	acc      []uint64 // eval's result
	tmp      []uint64 // eval's Or or range
}

func newSweepBitsets(rows []sweepRow) *sweepBitsets {
	e := &sweepBitsets{n: len(rows), words: (len(rows) + 63) / 64}
	mk := func() []uint64 { return make([]uint64, e.words) }
	for i := range e.country {
		e.country[i] = mk()
	}
	for i := range e.bought {
		e.bought[i] = mk()
	}
	e.active = mk()
	e.rare = mk()
	for i := range e.score {
		e.score[i] = mk()
	}
	var eq [91][]uint64
	for i := range eq {
		eq[i] = mk()
	}
	for i := range rows {
		c := &rows[i]
		w, b := i>>6, uint64(1)<<(i&63)
		e.country[c.Country][w] |= b
		if c.Age >= 0 {
			eq[c.Age][w] |= b
		}
		if c.Active {
			e.active[w] |= b
		}
		if c.Rare {
			e.rare[w] |= b
		}
		for p := range e.score {
			if c.Score>>p&1 != 0 {
				e.score[p][w] |= b
			}
		}
		for _, k := range c.Bought[:c.NBought] {
			e.bought[k][w] |= b
		}
	}
	e.ageLE[0] = eq[0]
	for v := 1; v < len(eq); v++ {
		e.ageLE[v] = slices.Clone(e.ageLE[v-1])
		for w, x := range eq[v] {
			e.ageLE[v][w] |= x
		}
	}
	return e
}

// eval computes the query as engine (c) does with its bitset library (the
// first term copied, the others ANDed in place, a new bitset per Or and per
// age range), but into buffers kept from call to call, so that the
// allocator's page faults do not count against the bitsets.
func (e *sweepBitsets) eval(q *sweepQuery) []uint64 {
	if e.acc == nil {
		e.acc, e.tmp = make([]uint64, e.words), make([]uint64, e.words)
	}
	acc, first := e.acc, true
	and := func(x []uint64, not bool) {
		switch {
		case first && not:
			for i, w := range x {
				acc[i] = ^w
			}
		case first:
			copy(acc, x)
		case not:
			for i, w := range x {
				acc[i] &^= w
			}
		default:
			for i, w := range x {
				acc[i] &= w
			}
		}
		first = false
	}
	union := func(idx []uint8, sets [][]uint64) []uint64 {
		u := e.tmp
		copy(u, sets[idx[0]])
		for _, v := range idx[1:] {
			for i, w := range sets[v] {
				u[i] |= w
			}
		}
		return u
	}
	if len(q.countries) > 0 {
		and(union(q.countries, e.country[:]), false)
	}
	if q.ageHi != 0 {
		r := e.tmp
		copy(r, e.ageLE[q.ageHi])
		for i, w := range e.ageLE[q.ageLo-1] {
			r[i] &^= w
		}
		and(r, false)
	}
	switch q.activeMod {
	case 1:
		and(e.active, false)
	case 2:
		and(e.active, true)
	}
	if q.rare {
		and(e.rare, false)
	}
	if q.scoreHi > 0 {
		// Both bounds word by word over the planes, as engine (c)
		// compares its bit-sliced fields.
		r := e.tmp
		lo, hi := uint64(q.scoreLo), uint64(q.scoreHi)
		for w := range r {
			var gt, lt uint64
			eqLo, eqHi := ^uint64(0), ^uint64(0)
			for p := len(e.score) - 1; p >= 0; p-- {
				b := e.score[p][w]
				if lo>>p&1 == 1 {
					eqLo &= b
				} else {
					gt |= eqLo & b
					eqLo &^= b
				}
				if hi>>p&1 == 1 {
					lt |= eqHi &^ b
					eqHi &= b
				} else {
					eqHi &^= b
				}
			}
			r[w] = (gt | eqLo) & (lt | eqHi)
		}
		if n := e.n; n%64 != 0 {
			r[len(r)-1] &= 1<<(n%64) - 1
		}
		and(r, false)
	}
	switch {
	case len(q.bought) == 1 || len(q.bought) > 1 && q.boughtAll:
		for _, k := range q.bought {
			and(e.bought[k], false)
		}
	case len(q.bought) > 1:
		and(union(q.bought, e.bought[:]), false)
	}
	if first {
		return nil
	}
	return acc
}

func (e *sweepBitsets) count(q *sweepQuery) int {
	n := 0
	for _, w := range e.eval(q) {
		n += bits.OnesCount64(w)
	}
	return n
}

// sweepQueries returns the points: each term of the Q1 shape varied in
// turn while the others keep Q1's values (countries 12 and 13, age 25–35,
// active, bought has 3), with the countries' share of the base in the name.
func sweepQueries(rows []sweepRow) []sweepQuery {
	var share [50]float64
	for i := range rows {
		share[rows[i].Country]++
	}
	for i := range share {
		share[i] /= float64(len(rows))
	}
	pct := func(cs []uint8) string {
		s := 0.0
		for _, c := range cs {
			s += share[c]
		}
		return fmt.Sprintf("%.2f%%", 100*s)
	}
	base := sweepQuery{countries: []uint8{12, 13}, ageLo: 25, ageHi: 35, bought: []uint8{3}, activeMod: 1}
	var qs []sweepQuery
	add := func(q sweepQuery, name string) {
		q.name = name
		qs = append(qs, q)
	}
	// Countries: pairs from the rarest to the largest, single values and
	// In lists of 4 and 8 values.
	for _, c := range []uint8{48, 40, 30, 20, 12, 8, 5, 3, 2, 0} {
		cs := []uint8{c, c + 1}
		q := base
		q.countries = cs
		add(q, fmt.Sprintf("country/in2/%02d-%02d/%s", c, c+1, pct(cs)))
	}
	for _, c := range []uint8{49, 25, 10, 4, 1, 0} {
		q := base
		q.countries = []uint8{c}
		add(q, fmt.Sprintf("country/in1/%02d/%s", c, pct(q.countries)))
	}
	for _, cs := range [][]uint8{{40, 41, 42, 43}, {10, 11, 12, 13}, {4, 5, 6, 7}, {0, 1, 2, 3}, {30, 31, 32, 33, 34, 35, 36, 37}, {8, 9, 10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 4, 5, 6, 7}} {
		q := base
		q.countries = cs
		add(q, fmt.Sprintf("country/in%d/%02d../%s", len(cs), cs[0], pct(cs)))
	}
	// Age: widths from one year to all, with mid countries.
	for _, w := range [][2]int8{{30, 30}, {25, 27}, {25, 35}, {20, 45}, {18, 60}, {18, 90}, {70, 90}} {
		q := base
		q.countries = []uint8{5, 6}
		q.ageLo, q.ageHi = w[0], w[1]
		add(q, fmt.Sprintf("age/%d-%d/c5-6", w[0], w[1]))
	}
	// Bought: Has of common to rare categories, HasAny, HasAll.
	for _, k := range []uint8{0, 3, 10, 29} {
		q := base
		q.countries = []uint8{5, 6}
		q.bought = []uint8{k}
		add(q, fmt.Sprintf("bought/has/%d/c5-6", k))
	}
	for _, ks := range [][]uint8{{0, 1}, {3, 7, 11, 15}, {20, 21, 22, 23, 24, 25, 26, 27}} {
		q := base
		q.countries = []uint8{5, 6}
		q.bought = ks
		add(q, fmt.Sprintf("bought/any%d/c5-6", len(ks)))
	}
	for _, ks := range [][]uint8{{0, 1}, {3, 7}} {
		q := base
		q.countries = []uint8{5, 6}
		q.bought, q.boughtAll = ks, true
		add(q, fmt.Sprintf("bought/all%d/c5-6", len(ks)))
	}
	// Active: true, false, absent.
	for m, name := range []string{"none", "true", "false"} {
		q := base
		q.countries = []uint8{5, 6}
		q.activeMod = m
		add(q, "active/"+name+"/c5-6")
	}
	// Score (14 planes, no code column): ranges of every width instead of
	// age, with 2% countries; a flag of 1%.
	for _, w := range [][2]uint16{{5000, 5000}, {5000, 5009}, {5000, 5099}, {2000, 2999}, {2000, 4999}, {0, 5999}, {9000, 9999}} {
		q := base
		q.countries = []uint8{20, 21}
		q.ageHi = 0
		q.scoreLo, q.scoreHi = w[0], w[1]
		add(q, fmt.Sprintf("score/%d-%d/c20-21", w[0], w[1]))
	}
	{
		q := base
		q.countries = []uint8{20, 21}
		q.rare = true
		add(q, "rare/c20-21")
	}
	// One term alone.
	add(sweepQuery{scoreLo: 2000, scoreHi: 2999}, "alone/score2000-2999")
	add(sweepQuery{rare: true}, "alone/rare")
	add(sweepQuery{countries: []uint8{5, 6}}, "alone/country5-6")
	add(sweepQuery{countries: []uint8{0, 1}}, "alone/country0-1")
	add(sweepQuery{ageLo: 25, ageHi: 35}, "alone/age25-35")
	add(sweepQuery{bought: []uint8{3}}, "alone/has3")
	add(sweepQuery{activeMod: 1}, "alone/active")
	return qs
}

// sweepVariants are the microseg runs compared in the sweep: the engine as
// it is, and any A/B variants a test-only switch provides (see
// sweepSwitch).
var sweepVariants = []string{"ms"}

// sweepSwitch selects the variant v before its run; nil when there is one.
var sweepSwitch func(b *Base, v string)

func TestSelectivitySweep(t *testing.T) {
	if os.Getenv("MICROSEG_SWEEP") == "" {
		t.Skip("set MICROSEG_SWEEP=1")
	}
	n := 5_000_000
	if s := os.Getenv("MICROSEG_SWEEP_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	rounds := 15
	if s := os.Getenv("MICROSEG_SWEEP_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	rows := sweepGenerate(n)
	base := sweepBase(t, rows)
	bs := newSweepBitsets(rows)
	qs := sweepQueries(rows)
	if only := os.Getenv("MICROSEG_SWEEP_ONLY"); only != "" {
		qs = slices.DeleteFunc(qs, func(q sweepQuery) bool {
			for _, o := range strings.Split(only, ",") {
				if strings.Contains(q.name, o) {
					return false
				}
			}
			return true
		})
	}
	viewBytes0 := sweepViewBytes(base)
	preds := make([]Pred, len(qs))
	for i := range qs {
		preds[i] = qs[i].pred()
		want := qs[i].rowLoop(rows, nil)
		if got := bs.count(&qs[i]); got != want {
			t.Fatalf("%s: bitsets count %d, rows %d", qs[i].name, got, want)
		}
		for _, v := range sweepVariants {
			if sweepSwitch != nil {
				sweepSwitch(base, v)
			}
			if got := base.Count(preds[i]); got != uint64(want) {
				t.Fatalf("%s: %s count %d, rows %d", qs[i].name, v, got, want)
			}
			if got := base.Eval(preds[i]).GetCardinality(); got != uint64(want) {
				t.Fatalf("%s: %s eval %d, rows %d", qs[i].name, v, got, want)
			}
		}
	}
	if f := os.Getenv("MICROSEG_SWEEP_PROFILE"); f != "" {
		// Profile microseg's count and set of the selected points only.
		out, err := os.Create(f)
		if err != nil {
			t.Fatal(err)
		}
		if sweepSwitch != nil {
			sweepSwitch(base, sweepVariants[len(sweepVariants)-1])
		}
		pprof.StartCPUProfile(out)
		for t0 := time.Now(); time.Since(t0) < 5*time.Second; {
			for _, p := range preds {
				base.Count(p)
				base.Eval(p)
			}
		}
		pprof.StopCPUProfile()
		out.Close()
		return
	}
	// engines: rows count, rows set, bitset count, bitset set, then per
	// variant count and set.
	engines := []string{"rows/count", "rows/set", "bitset/count", "bitset/set"}
	for _, v := range sweepVariants {
		engines = append(engines, v+"/count", v+"/set")
	}
	times := make([][][]float64, len(qs)) // [query][engine][round]
	for i := range times {
		times[i] = make([][]float64, len(engines))
	}
	ids := make([]uint32, 0, n)
	timeIt := func(fn func()) float64 {
		// Thread CPU time; calls under 2 ms are repeated and averaged.
		t0 := threadTime()
		fn()
		d := threadTime() - t0
		if d > 2e6 {
			return float64(d)
		}
		reps := int(min(50, 2e6/max(d, 1e3)))
		t0 = threadTime()
		for range reps {
			fn()
		}
		return float64(threadTime()-t0) / float64(reps)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var sink int
	for r := range rounds {
		for i := range qs {
			q, p := &qs[i], preds[i]
			times[i][0] = append(times[i][0], timeIt(func() { sink += q.rowLoop(rows, nil) }))
			times[i][1] = append(times[i][1], timeIt(func() { ids = ids[:0]; sink += q.rowLoop(rows, &ids) }))
			times[i][2] = append(times[i][2], timeIt(func() { sink += bs.count(q) }))
			times[i][3] = append(times[i][3], timeIt(func() { sink += len(bs.eval(q)) }))
			order := slices.Clone(sweepVariants)
			if r%2 == 1 {
				slices.Reverse(order)
			}
			for _, v := range order {
				j := 4 + 2*slices.Index(sweepVariants, v)
				if sweepSwitch != nil {
					sweepSwitch(base, v)
				}
				times[i][j] = append(times[i][j], timeIt(func() { sink += int(base.Count(p)) }))
				times[i][j+1] = append(times[i][j+1], timeIt(func() { sink += int(base.Eval(p).GetCardinality()) }))
			}
		}
		runtime.GC()
	}
	_ = sink
	med := func(xs []float64) float64 {
		s := slices.Clone(xs)
		slices.Sort(s)
		return s[len(s)/2]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "N=%d rounds=%d, median thread-CPU µs per call; ratio = rows/x and bitset/x\n", n, rounds)
	fmt.Fprintf(&b, "%-34s %8s", "point", "members")
	for _, e := range engines {
		fmt.Fprintf(&b, " %12s", e)
	}
	for _, v := range sweepVariants {
		fmt.Fprintf(&b, " %9s %9s %9s %9s", v+"/c:rows", v+"/c:bits", v+"/s:rows", v+"/s:bits")
	}
	b.WriteString("\n")
	for i := range qs {
		m := make([]float64, len(engines))
		for j := range engines {
			m[j] = med(times[i][j]) / 1e3
		}
		fmt.Fprintf(&b, "%-34s %8d", qs[i].name, qs[i].rowLoop(rows, nil))
		for j := range engines {
			fmt.Fprintf(&b, " %12.1f", m[j])
		}
		for k := range sweepVariants {
			c, s := m[4+2*k], m[5+2*k]
			fmt.Fprintf(&b, " %9s %9s %9s %9s", swRatio(m[0], c), swRatio(m[2], c), swRatio(m[1], s), swRatio(m[3], s))
		}
		b.WriteString("\n")
	}
	extra := sweepViewBytes(base) - viewBytes0
	fmt.Fprintf(&b, "dense copies made by the queries: %d KiB, %.3f bytes per customer\n", extra>>10, float64(extra)/float64(n))
	t.Log("\n" + b.String())
}

// sweepViewBytes returns the memory the views of b's Cat and Set values
// hold beyond their bitmaps (per-chunk headers and dense copies).
func sweepViewBytes(b *Base) int {
	total := 0
	for _, c := range b.cols {
		for _, f := range c.fzBms {
			total += f.Bytes()
		}
	}
	return total
}

func swRatio(a, b float64) string {
	if b == 0 || math.IsNaN(a/b) {
		return "-"
	}
	return fmt.Sprintf("%.1fx", a/b)
}
