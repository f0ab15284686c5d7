package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// The benchmark schema, generated deterministically: country (50
// values, Zipf-skewed), gender (3 values, some missing), age 18–90 (some
// missing), income (log-normal), up to 5 of 30 product categories bought,
// active (60% true), purchase count, last purchase within two years.
var (
	gCountry   = NewCat[string]("country")
	gGender    = NewCat[string]("gender")
	gAge       = NewIntRange("age", 0, 150)
	gIncome    = NewInt("income")
	gBought    = NewSet[string]("bought")
	gActive    = NewFlag("active")
	gPurchases = NewInt("purchases")
	gLast      = NewTime("last_purchase")

	gAsOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

var (
	countryNames  = names("C", 50)
	categoryNames = names("cat", 30)
	genderNames   = []string{"f", "m", "x"}
)

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

// genData is the generated customers as columns; -1 (or an empty set, or
// a zero time) marks a missing value.
type genData struct {
	keys      []string
	country   []int8
	gender    []int8
	age       []int16
	income    []int64
	bought    []uint32 // bit i: bought categoryNames[i]
	active    []bool
	purchases []int32
	lastDay   []int16 // days before gAsOf, -1 missing
}

func genCustomers(n int, seed uint64) *genData {
	r := rand.New(rand.NewPCG(seed, 2026))
	zc := rand.NewZipf(r, 1.2, 2, 49)
	zb := rand.NewZipf(r, 1.1, 3, 29)
	d := &genData{
		keys: make([]string, n), country: make([]int8, n), gender: make([]int8, n),
		age: make([]int16, n), income: make([]int64, n), bought: make([]uint32, n),
		active: make([]bool, n), purchases: make([]int32, n), lastDay: make([]int16, n),
	}
	for i := range n {
		d.keys[i] = "c" + strconv.Itoa(i)
		d.country[i] = int8(zc.Uint64())
		switch g := r.IntN(100); {
		case g < 5:
			d.gender[i] = -1
		case g < 51:
			d.gender[i] = 0
		case g < 97:
			d.gender[i] = 1
		default:
			d.gender[i] = 2
		}
		if r.IntN(100) < 8 {
			d.age[i] = -1
		} else {
			d.age[i] = int16(18 + r.IntN(73))
		}
		d.income[i] = int64(math.Exp(10.3 + 0.8*r.NormFloat64()))
		for range r.IntN(6) {
			d.bought[i] |= 1 << zb.Uint64()
		}
		d.active[i] = r.IntN(100) < 60
		d.purchases[i] = int32(r.ExpFloat64() * 5)
		if r.IntN(100) < 3 {
			d.lastDay[i] = -1
		} else {
			d.lastDay[i] = int16(r.IntN(730))
		}
	}
	return d
}

func (d *genData) values(i int, buf []Value) []Value {
	vs := buf[:0]
	vs = append(vs, gCountry.Value(countryNames[d.country[i]]))
	if g := d.gender[i]; g >= 0 {
		vs = append(vs, gGender.Value(genderNames[g]))
	}
	if a := d.age[i]; a >= 0 {
		vs = append(vs, gAge.Value(int64(a)))
	}
	vs = append(vs, gIncome.Value(d.income[i]))
	var cats []string
	for m := d.bought[i]; m != 0; m &= m - 1 {
		cats = append(cats, categoryNames[trailingZeros(m)])
	}
	vs = append(vs, gBought.Values(cats...))
	vs = append(vs, gActive.Value(d.active[i]))
	vs = append(vs, gPurchases.Value(int64(d.purchases[i])))
	if l := d.lastDay[i]; l >= 0 {
		vs = append(vs, gLast.Value(gAsOf.Add(-time.Duration(l)*24*time.Hour)))
	}
	return vs
}

func trailingZeros(m uint32) int {
	n := 0
	for m&1 == 0 {
		m >>= 1
		n++
	}
	return n
}

// buildAdd builds the base one Add at a time.
func (d *genData) buildAdd() *Base {
	b := NewBuilder()
	var buf []Value
	for i := range d.keys {
		buf = d.values(i, buf)
		if err := b.Add(d.keys[i], buf...); err != nil {
			panic(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	return base
}

// incomeQuantile returns the q-quantile of the generated incomes.
func (d *genData) incomeQuantile(q float64) int64 {
	s := slices.Clone(d.income)
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

// genQueries returns the queries Q1, Q2, Q3, Q5 (selective and
// broad) over d.
func genQueries(d *genData) map[string]Pred {
	p90 := d.incomeQuantile(0.9)
	p75 := d.incomeQuantile(0.75)
	return map[string]Pred{
		"Q1": And(gCountry.In(countryNames[8], countryNames[9]), gAge.Between(25, 35), gActive.True(),
			gBought.Has(categoryNames[3]), Not(gGender.Eq("x"))),
		"Q2": Or(gIncome.Gt(p90), gPurchases.Ge(10)),
		"Q3": Or(
			And(gCountry.Eq(countryNames[0]), gAge.Lt(30)),
			And(gBought.HasAll(categoryNames[1], categoryNames[2])),
			And(gGender.Eq("f"), gIncome.Gt(p75), gActive.True()),
			And(gActive.False(), gLast.Within(gAsOf, 30*24*time.Hour)),
			And(gCountry.In(countryNames[1], countryNames[2]), gPurchases.Ge(20)),
		),
		"Q5sel": And(gCountry.Eq(countryNames[40]), gAge.Eq(77), gBought.HasAll(categoryNames[20], categoryNames[21]),
			gIncome.Gt(p75)),
		"Q5broad": Not(And(gGender.Eq("x"), gActive.False())),
	}
}

// rawColumns is d as the caller's slices, one per field.
type rawColumns struct {
	country, gender []string
	genderOK, ageOK []bool
	age, purchases  []int64
	bought          [][]string
	last            []time.Time
	lastOK          []bool
	income          []int64
	active          []bool
}

func (d *genData) raw() *rawColumns {
	n := len(d.keys)
	r := &rawColumns{
		country: make([]string, n), gender: make([]string, n), genderOK: make([]bool, n),
		age: make([]int64, n), ageOK: make([]bool, n), purchases: make([]int64, n),
		bought: make([][]string, n), last: make([]time.Time, n), lastOK: make([]bool, n),
		income: d.income, active: d.active,
	}
	var cats []string
	for i := range n {
		r.country[i] = countryNames[d.country[i]]
		if g := d.gender[i]; g >= 0 {
			r.gender[i], r.genderOK[i] = genderNames[g], true
		}
		if a := d.age[i]; a >= 0 {
			r.age[i], r.ageOK[i] = int64(a), true
		}
		r.purchases[i] = int64(d.purchases[i])
		start := len(cats)
		for m := d.bought[i]; m != 0; m &= m - 1 {
			cats = append(cats, categoryNames[trailingZeros(m)])
		}
		r.bought[i] = cats[start:len(cats):len(cats)]
		if l := d.lastDay[i]; l >= 0 {
			r.last[i], r.lastOK[i] = gAsOf.Add(-time.Duration(l)*24*time.Hour), true
		}
	}
	return r
}

// columns indexes the raw slices as FromColumns columns.
func (r *rawColumns) columns() []Column {
	return []Column{
		gCountry.Column(r.country, nil),
		gGender.Column(r.gender, r.genderOK),
		gAge.Column(r.age, r.ageOK),
		gIncome.Column(r.income, nil),
		gBought.Column(r.bought),
		gActive.Column(r.active, nil),
		gPurchases.Column(r.purchases, nil),
		gLast.Column(r.last, r.lastOK),
	}
}

// buildColumns builds the base with FromColumns.
func (d *genData) buildColumns() *Base {
	base, err := FromColumns(d.keys, d.raw().columns()...)
	if err != nil {
		panic(err)
	}
	return base
}
