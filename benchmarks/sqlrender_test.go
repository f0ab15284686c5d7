package benchmarks

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/fabeed28/microseg/segment"
)

// TestSQLRendering renders random predicate trees with Pred.SQL and runs
// them on the SQLite engine's tables (c, and bought as a child table),
// requiring the same customers as the library's own answer.
func TestSQLRendering(t *testing.T) {
	d := Generate(20_000)
	ms := &Microseg{}
	if err := ms.Build(d); err != nil {
		t.Fatal(err)
	}
	sq := &SQLite{}
	if err := sq.Build(d); err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	table := segment.SQLTable{Table: "c", ID: "id", Sets: map[string]segment.SQLSet{"bought": {Table: "bought", ID: "id", Value: "cat"}}}
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		p := randSQLPred(r, 3)
		where, err := p.SQL(segment.SQLite, table)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		rows, err := sq.db.Query("SELECT id FROM c WHERE " + where + " ORDER BY id")
		if err != nil {
			t.Fatalf("%s: %s: %v", p, where, err)
		}
		var got []uint32
		for rows.Next() {
			var id uint32
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			got = append(got, id)
		}
		rows.Close()
		if want := ms.base.Eval(p).ToArray(); !slices.Equal(got, want) {
			t.Fatalf("tree %d: %s\nSQL: %s\nSQLite: %d customers, microseg: %d", i, p, where, len(got), len(want))
		}
	}
}

// randSQLPred returns a random predicate over the benchmark schema.
func randSQLPred(r *rand.Rand, depth int) segment.Pred {
	if depth == 0 || r.IntN(3) == 0 {
		u8s := func(n, k int) []uint8 {
			out := make([]uint8, r.IntN(k)+1)
			for i := range out {
				out[i] = uint8(r.IntN(n))
			}
			return out
		}
		switch r.IntN(16) {
		case 0:
			return msCountry.In(u8s(NumCountries, 4)...)
		case 1:
			return msGender.Eq(uint8(r.IntN(NumGenders)))
		case 2:
			return msGender.Ne(uint8(r.IntN(NumGenders)))
		case 3:
			lo, hi := int64(MinAge+r.IntN(80)), int64(MinAge+r.IntN(80))
			return msAge.Between(min(lo, hi), max(lo, hi))
		case 4:
			return msAge.Lt(int64(r.IntN(100)))
		case 5:
			return msIncome.Gt(int64(r.IntN(100_000)))
		case 6:
			return msPurchases.Ge(int64(r.IntN(12)))
		case 7:
			lo, hi := int64(r.IntN(NumDays)), int64(r.IntN(NumDays))
			return msLastDay.Between(min(lo, hi), max(lo, hi))
		case 8:
			return msBought.Has(uint8(r.IntN(NumCategories)))
		case 9:
			return msBought.HasAny(u8s(NumCategories, 3)...)
		case 10:
			return msBought.HasAll(u8s(NumCategories, 3)...)
		case 11:
			return msActive.True()
		case 12:
			return msActive.False()
		case 13:
			return []segment.Field{msGender, msAge, msBought}[r.IntN(3)].Missing()
		case 14:
			return []segment.Field{msGender, msAge, msBought}[r.IntN(3)].Known()
		default:
			return msAge.Ne(int64(MinAge + r.IntN(70)))
		}
	}
	kids := make([]segment.Pred, r.IntN(3)+1)
	for i := range kids {
		kids[i] = randSQLPred(r, depth-1)
	}
	switch r.IntN(3) {
	case 0:
		return segment.And(kids...)
	case 1:
		return segment.Or(kids...)
	}
	return segment.Not(kids[0])
}
