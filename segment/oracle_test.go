package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// The naive oracle: customers as rows of values, predicates evaluated one
// row at a time from their definition. Every fast path of the package is
// checked against it.

type row struct {
	key  string
	live bool
	vals map[string]Value
}

type oracle struct {
	rows []*row // by ID
	ids  map[string]int
}

func newOracle() *oracle { return &oracle{ids: map[string]int{}} }

func (o *oracle) add(key string, vs ...Value) {
	r := &row{key: key, live: true, vals: map[string]Value{}}
	if id, ok := o.ids[key]; ok {
		o.rows[id] = r
	} else {
		o.ids[key] = len(o.rows)
		o.rows = append(o.rows, r)
	}
	for _, v := range vs {
		r.vals[v.spec.name] = v
	}
}

func (o *oracle) set(key string, vs ...Value) {
	r := o.rows[o.ids[key]]
	for _, v := range vs {
		r.vals[v.spec.name] = v
	}
}

func (o *oracle) clearField(key string, f Field) { delete(o.rows[o.ids[key]].vals, f.Name()) }

func (o *oracle) remove(key string) {
	r := o.rows[o.ids[key]]
	r.live, r.vals = false, map[string]Value{}
}

func (o *oracle) eval(p Pred) []uint32 {
	var out []uint32
	for id, r := range o.rows {
		if r.live && r.match(p) {
			out = append(out, uint32(id))
		}
	}
	return out
}

func (o *oracle) keys(ids []uint32) []string {
	var out []string
	for _, id := range ids {
		out = append(out, o.rows[id].key)
	}
	return out
}

func (r *row) match(p Pred) bool {
	n := p.node()
	switch n.op {
	case nAll:
		return true
	case nNone:
		return false
	case nNot:
		return !r.match(n.kids[0])
	case nAnd:
		for _, k := range n.kids {
			if !r.match(k) {
				return false
			}
		}
		return true
	case nOr:
		for _, k := range n.kids {
			if r.match(k) {
				return true
			}
		}
		return false
	}
	l := n.leaf
	v, ok := r.vals[l.spec.name]
	if ok && !v.spec.sameAs(l.spec) {
		ok = false
	}
	if ok && v.spec.kind == KindSet && len(v.set()) == 0 {
		ok = false
	}
	switch l.op {
	case opKnown:
		return ok
	case opMissing:
		return !ok
	case opInvalid:
		return false
	}
	if !ok {
		return false
	}
	switch l.op {
	case opRange:
		return l.lo <= v.n && v.n <= l.hi
	case opNe:
		if v.spec.kind == KindCat {
			return v.cat() != l.vals[0]
		}
		return v.n != l.lo
	case opIn:
		for _, want := range l.vals {
			if v.spec.kind == KindCat && v.cat() == want || v.spec.kind == KindSet && slices.Contains(v.set(), want) {
				return true
			}
		}
		return false
	case opHasAll:
		for _, want := range l.vals {
			if !slices.Contains(v.set(), want) {
				return false
			}
		}
		return true
	}
	panic("oracle: unknown leaf")
}

// The random schema of the differential tests.
var (
	tCountry = NewCat[string]("country")
	tGender  = NewCat[string]("gender")
	tTier    = NewCat[int]("tier")
	tAge     = NewInt("age")
	tScore   = NewInt("score")
	tBought  = NewSet[string]("bought")
	tActive  = NewFlag("active")
	tSeen    = NewTime("seen")
	tSpend   = NewDecimal("spend", 2)
)

var (
	countries = []string{"NL", "BE", "DE", "FR", "US", "GB", "ES", "IT", "PL", "SE"}
	genders   = []string{"f", "m", "x"}
	products  = []string{"skincare", "makeup", "shoes", "bags", "watches", "perfume", "books", "games"}
	epoch     = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// randValues returns random values for a customer: skewed categories,
// missing values, negative and huge integers, many set values.
func randValues(r *rand.Rand) []Value {
	var vs []Value
	if r.IntN(10) > 0 {
		// Zipf-like: low indexes far more common.
		i := int(math.Floor(math.Pow(r.Float64(), 3) * float64(len(countries))))
		vs = append(vs, tCountry.Value(countries[i]))
	}
	if r.IntN(4) > 0 {
		vs = append(vs, tGender.Value(genders[r.IntN(len(genders))]))
	}
	if r.IntN(3) > 0 {
		vs = append(vs, tTier.Value(r.IntN(5)-1))
	}
	if r.IntN(5) > 0 {
		vs = append(vs, tAge.Value(int64(r.IntN(80)+10)))
	}
	if r.IntN(5) > 0 {
		var s int64
		switch r.IntN(4) {
		case 0:
			s = r.Int64()
		case 1:
			s = -r.Int64()
		case 2:
			s = int64(r.IntN(200) - 100)
		default:
			s = []int64{math.MinInt64, math.MaxInt64, 0, -1}[r.IntN(4)]
		}
		vs = append(vs, tScore.Value(s))
	}
	if r.IntN(4) > 0 {
		var b []string
		for _, p := range products {
			if r.IntN(3) == 0 {
				b = append(b, p)
			}
		}
		vs = append(vs, tBought.Values(b...))
	}
	if r.IntN(6) > 0 {
		vs = append(vs, tActive.Value(r.IntN(10) < 6))
	}
	if r.IntN(3) > 0 {
		vs = append(vs, tSeen.Value(epoch.Add(time.Duration(r.IntN(730*24))*time.Hour)))
	}
	if r.IntN(3) > 0 {
		vs = append(vs, tSpend.Value(float64(r.IntN(100000))/100))
	}
	r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
	return vs
}

// randLeaf returns a random leaf predicate, sometimes on values the base
// never saw or fields it does not have.
func randLeaf(r *rand.Rand) Pred {
	pick := func(xs []string) string {
		if r.IntN(12) == 0 {
			return "never-seen"
		}
		return xs[r.IntN(len(xs))]
	}
	picks := func(xs []string) []string {
		out := make([]string, r.IntN(4))
		for i := range out {
			out[i] = pick(xs)
		}
		return out
	}
	anyInt := func() int64 {
		switch r.IntN(5) {
		case 0:
			return r.Int64() - r.Int64()
		case 1:
			return []int64{math.MinInt64, math.MaxInt64, 0, -1, 1}[r.IntN(5)]
		}
		return int64(r.IntN(200) - 100)
	}
	t := func() time.Time { return epoch.Add(time.Duration(r.IntN(800*24)-24) * time.Hour) }
	fields := []Field{tCountry, tGender, tTier, tAge, tScore, tBought, tActive, tSeen, tSpend, NewInt("absent"), NewCat[int]("country")}
	switch r.IntN(26) {
	case 0:
		return tCountry.Eq(pick(countries))
	case 1:
		return tCountry.In(picks(countries)...)
	case 2:
		return tGender.Ne(pick(genders))
	case 3:
		return tTier.In(r.IntN(6)-1, r.IntN(6)-1)
	case 4:
		lo, hi := int64(r.IntN(100)), int64(r.IntN(100))
		return tAge.Between(min(lo, hi), max(lo, hi))
	case 5:
		return tAge.Lt(int64(r.IntN(100)))
	case 6:
		return tAge.Ge(int64(r.IntN(100)))
	case 7:
		return tScore.Le(anyInt())
	case 8:
		return tScore.Gt(anyInt())
	case 9:
		return tScore.Eq(anyInt())
	case 10:
		lo, hi := anyInt(), anyInt()
		return tScore.Between(min(lo, hi), max(lo, hi))
	case 11:
		return tScore.Ne(anyInt())
	case 12:
		return tBought.Has(pick(products))
	case 13:
		return tBought.HasAny(picks(products)...)
	case 14:
		return tBought.HasAll(picks(products)...)
	case 15:
		return tActive.True()
	case 16:
		return tActive.False()
	case 17:
		return tSeen.Before(t())
	case 18:
		return tSeen.After(t())
	case 19:
		return tSeen.Within(t(), time.Duration(r.IntN(90*24))*time.Hour)
	case 20:
		return tSpend.Ge(float64(r.IntN(100000)) / 100)
	case 21:
		return tSpend.Lt(float64(r.IntN(1000)) + 0.005)
	case 22:
		f := fields[r.IntN(len(fields))]
		if r.IntN(2) == 0 {
			return f.Known()
		}
		return f.Missing()
	case 23:
		return []Pred{All(), None(), {}}[r.IntN(3)]
	case 24:
		return tAge.Eq(int64(r.IntN(100)))
	default:
		return tCountry.Eq(countries[r.IntN(3)])
	}
}

// randPred returns a random predicate tree of the given depth.
func randPred(r *rand.Rand, depth int) Pred {
	if depth == 0 || r.IntN(4) == 0 {
		return randLeaf(r)
	}
	n := r.IntN(4) + 1
	kids := make([]Pred, n)
	for i := range kids {
		kids[i] = randPred(r, depth-1)
	}
	switch r.IntN(5) {
	case 0, 1:
		return And(kids...)
	case 2, 3:
		return Or(kids...)
	}
	return Not(kids[0])
}

// randBase builds a random base and its oracle twin, then applies random
// batches: new customers, values set and cleared, customers removed and
// re-added.
func randBase(r *rand.Rand, n, batches int) (*Base, *oracle) {
	o := newOracle()
	b := NewBuilder()
	for i := range n {
		key := fmt.Sprintf("c%05d", i)
		vs := randValues(r)
		if err := b.Add(key, vs...); err != nil {
			panic(err)
		}
		o.add(key, vs...)
	}
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	for range batches {
		base = randBatch(r, base, o)
	}
	return base, o
}

func randBatch(r *rand.Rand, base *Base, o *oracle) *Base {
	t := base.Batch()
	fillBatch(r, t, o)
	nb, err := t.Apply()
	if err != nil {
		panic(err)
	}
	return nb
}

// fillBatch makes random changes in t and records them in o.
func fillBatch(r *rand.Rand, t *Batch, o *oracle) {
	fields := []Field{tCountry, tGender, tTier, tAge, tScore, tBought, tActive, tSeen, tSpend}
	for range r.IntN(40) + 1 {
		id := r.IntN(len(o.rows) + 5)
		var key string
		live := id < len(o.rows) && o.rows[id].live
		if id < len(o.rows) {
			key = o.rows[id].key
		}
		switch {
		case !live:
			if id >= len(o.rows) {
				key = fmt.Sprintf("n%05d-%d", len(o.rows), r.IntN(1e6))
			}
			vs := randValues(r)
			if err := t.Add(key, vs...); err != nil {
				panic(err)
			}
			o.add(key, vs...)
		case r.IntN(5) == 0:
			if err := t.Remove(key); err != nil {
				panic(err)
			}
			o.remove(key)
		case r.IntN(4) == 0:
			f := fields[r.IntN(len(fields))]
			if err := t.Clear(key, f); err != nil {
				panic(err)
			}
			o.clearField(key, f)
		default:
			vs := randValues(r)
			if err := t.Set(key, vs...); err != nil {
				panic(err)
			}
			o.set(key, vs...)
		}
	}
}
