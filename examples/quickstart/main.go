// Quickstart builds a small synthetic customer base in memory, defines three
// micro-segments and prints their sizes and a few member keys.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// The fields, declared once and shared by the code that writes customers and
// the code that asks questions.
var (
	country  = segment.NewCat[string]("country")
	gender   = segment.NewCat[string]("gender")
	age      = segment.NewIntRange("age", 0, 130)
	bought   = segment.NewSet[string]("bought")
	active   = segment.NewFlag("active")
	lastSeen = segment.NewTime("last_seen")
	revenue  = segment.NewDecimal("revenue", 2)
)

func main() {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	base := buildBase(5000, asOf)
	fmt.Printf("base: %d customers, %d fields\n\n", base.Len(), len(base.Fields()))

	segments := []struct {
		name string
		pred segment.Pred
	}{
		{"young Benelux skincare buyers", segment.And(
			country.In("NL", "BE"), age.Between(25, 35), bought.Has("skincare"),
			segment.Not(gender.Eq("x")))},
		{"active big spenders seen this month", segment.And(
			active.True(), revenue.Ge(500), lastSeen.Within(asOf, 30*24*time.Hour))},
		{"lapsed sportswear fans", segment.And(
			bought.HasAny("sportswear", "shoes"), segment.Not(lastSeen.Within(asOf, 180*24*time.Hour)))},
	}
	for _, s := range segments {
		ids := base.Eval(s.pred)
		fmt.Printf("%s: %d customers (%.1f%%)\n  %s\n  e.g.", s.name, base.Count(s.pred),
			100*float64(ids.GetCardinality())/float64(base.Len()), s.pred)
		n := 0
		for key := range base.Keys(ids) {
			if n == 5 {
				break
			}
			fmt.Print(" ", key)
			n++
		}
		fmt.Print("\n\n")
	}
}

// buildBase makes n customers with deterministic random attributes; some
// values are missing, as in real data.
func buildBase(n int, asOf time.Time) *segment.Base {
	r := rand.New(rand.NewPCG(2026, 11))
	countries := []string{"NL", "NL", "NL", "BE", "BE", "DE", "FR", "GB"}
	genders := []string{"f", "m", "x"}
	products := []string{"skincare", "makeup", "sportswear", "shoes", "books", "garden"}
	b := segment.NewBuilder()
	for i := range n {
		vals := []segment.Value{
			country.Value(countries[r.IntN(len(countries))]),
			active.Value(r.IntN(10) < 6),
			revenue.Value(float64(r.IntN(100000)) / 100),
		}
		if r.IntN(10) > 0 { // 10% never told us their age
			vals = append(vals, age.Value(int64(18+r.IntN(60))))
		}
		if r.IntN(5) > 0 {
			vals = append(vals, gender.Value(genders[r.IntN(len(genders))]))
		}
		var bag []string
		for _, p := range products {
			if r.IntN(4) == 0 {
				bag = append(bag, p)
			}
		}
		vals = append(vals, bought.Values(bag...))
		if r.IntN(8) > 0 {
			vals = append(vals, lastSeen.Value(asOf.Add(-time.Duration(r.IntN(365*24))*time.Hour)))
		}
		if err := b.Add(fmt.Sprintf("c-%05d", i+1), vals...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	return base
}
