package persona

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// The synthetic base of the tests, with a row twin that the naive oracle
// reads.
var (
	fCity     = segment.NewCat[string]("city")
	fGender   = segment.NewCat[string]("gender")
	fTier     = segment.NewCat[int]("tier")
	fInterest = segment.NewSet[string]("interest")
	fActive   = segment.NewFlag("active")
	fAge      = segment.NewInt("age")
	fIncome   = segment.NewDecimal("income", 2)
	fSignup   = segment.NewTime("signup")
	fVisits   = segment.NewInt("visits")
)

var (
	cities    = []string{"Amsterdam", "Rotterdam", "Utrecht", "Brussels", "Antwerp", "Berlin"}
	genders   = []string{"f", "m", "x"}
	interests = []string{"skincare", "makeup", "sportswear", "books", "games", "travel", "wine"}
	epoch     = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
)

// testRow is one customer as the oracle sees it: nil or absent means missing.
type testRow struct {
	live bool
	cat  map[string]any   // city, gender, tier, active (bool)
	set  map[string][]any // interest
	num  map[string]int64 // age, income (units), signup (Unix s), visits
}

// randRow returns random values with missing ones, and the row twin. fan
// plants a latent class: fans live in Amsterdam, like skincare and are
// younger far more often.
func randRow(r *rand.Rand, fan bool) ([]segment.Value, *testRow) {
	row := &testRow{live: true, cat: map[string]any{}, set: map[string][]any{}, num: map[string]int64{}}
	var vs []segment.Value
	if r.IntN(10) > 0 {
		c := cities[int(float64(len(cities))*r.Float64()*r.Float64())]
		if fan && r.IntN(2) == 0 {
			c = "Amsterdam"
		}
		vs = append(vs, fCity.Value(c))
		row.cat["city"] = c
	}
	if r.IntN(5) > 0 {
		g := genders[r.IntN(len(genders))]
		if fan && r.IntN(2) == 0 {
			g = "f"
		}
		vs = append(vs, fGender.Value(g))
		row.cat["gender"] = g
	}
	if r.IntN(3) > 0 {
		t := r.IntN(4)
		vs = append(vs, fTier.Value(t))
		row.cat["tier"] = t
	}
	if r.IntN(6) > 0 {
		a := r.IntN(3) > 0
		vs = append(vs, fActive.Value(a))
		row.cat["active"] = a
	}
	if r.IntN(4) > 0 {
		var xs []string
		for i, x := range interests {
			p := 0.3 / float64(i+1)
			if fan && x == "skincare" {
				p = 0.7
			}
			if r.Float64() < p {
				xs = append(xs, x)
			}
		}
		vs = append(vs, fInterest.Values(xs...))
		if len(xs) > 0 {
			row.set["interest"] = anys(xs)
		}
	}
	if r.IntN(5) > 0 {
		a := int64(18 + r.IntN(60))
		if fan && r.IntN(2) == 0 {
			a = int64(25 + r.IntN(10))
		}
		vs = append(vs, fAge.Value(a))
		row.num["age"] = a
	}
	if r.IntN(3) > 0 {
		u := int64(r.IntN(20000000))
		vs = append(vs, fIncome.Units(u))
		row.num["income"] = u
	}
	if r.IntN(3) > 0 {
		t := epoch.Add(time.Duration(r.IntN(2000*24)) * time.Hour)
		vs = append(vs, fSignup.Value(t))
		row.num["signup"] = t.Unix()
	}
	if r.IntN(2) > 0 {
		v := int64(r.IntN(50) - 5)
		vs = append(vs, fVisits.Value(v))
		row.num["visits"] = v
	}
	return vs, row
}

func anys[V any](xs []V) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// testBase builds a base of n customers, a share fans of them planted fans,
// then removes every removeEvery-th customer (0: none). It returns the base,
// the rows by ID and the fans.
func testBase(r *rand.Rand, n int, fans float64, removeEvery int) (*segment.Base, []*testRow, []uint32) {
	b := segment.NewBuilder()
	rows := make([]*testRow, n)
	var fanIDs []uint32
	for i := range n {
		fan := r.Float64() < fans
		vs, row := randRow(r, fan)
		if err := b.Add(fmt.Sprintf("c%06d", i), vs...); err != nil {
			panic(err)
		}
		rows[i] = row
		if fan {
			fanIDs = append(fanIDs, uint32(i))
		}
	}
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	if removeEvery > 0 && n > 0 {
		t := base.Batch()
		for i := 0; i < n; i += removeEvery {
			if err := t.Remove(fmt.Sprintf("c%06d", i)); err != nil {
				panic(err)
			}
			rows[i].live = false
		}
		if base, err = t.Apply(); err != nil {
			panic(err)
		}
	}
	return base, rows, fanIDs
}

// fieldsOf returns the base's fields of the given names.
func fieldsOf(base *segment.Base, names ...string) []segment.Field {
	var out []segment.Field
	for _, n := range names {
		if f, ok := base.Declared(n); ok {
			out = append(out, f)
		}
	}
	return out
}
