// Persona profiles micro-segments of a synthetic customer base: what their
// members share, what sets them apart from the base, a one-line persona for
// each, the personas side by side, and how one persona moved between two
// snapshots of the base. When the folder given with -data (../shared/data
// by default, where it sits beside a checkout of the repository) holds the
// public mall_customers.csv data set, it profiles its big spenders too.
//
//	go run ./examples/persona [-data DIR]
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/segment"
)

var (
	city     = segment.NewCat[string]("city")
	gender   = segment.NewCat[string]("gender")
	plan     = segment.NewCat[string]("plan")
	age      = segment.NewIntRange("age", 0, 130)
	bought   = segment.NewSet[string]("bought")
	active   = segment.NewFlag("active")
	lastSeen = segment.NewTime("last_seen")
	revenue  = segment.NewDecimal("revenue", 2)
)

var dataDir = flag.String("data", "../shared/data", "`folder` holding mall_customers.csv, the Mall Customer Segmentation data set")

func main() {
	flag.Parse()
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	base := buildBase(50000, asOf)
	fmt.Printf("base: %d customers, %d fields\n\n", base.Len(), len(base.Fields()))

	// The reference side (the whole base) is computed once and shared by
	// every profile below.
	bl, err := persona.NewBaseline(base)
	if err != nil {
		log.Fatal(err)
	}
	segments := []struct {
		name string
		pred segment.Pred
	}{
		{"skincare buyers", bought.Has("skincare")},
		{"annual plan, seen this month", segment.And(plan.Eq("annual"), lastSeen.Within(asOf, 30*24*time.Hour))},
		{"big spenders", revenue.Ge(1000)},
	}
	var personas []*persona.Persona
	for _, s := range segments {
		prof, err := persona.Describe(base, base.Eval(s.pred), persona.Against(bl))
		if err != nil {
			log.Fatal(err)
		}
		p := persona.New(prof)
		personas = append(personas, p)
		fmt.Printf("== %s (%s)\n%s\n", s.name, s.pred, p.Summary)
		fmt.Print("  typical member:")
		for _, t := range p.Typical {
			fmt.Printf(" %s=%s", t.Field, t.Value)
		}
		fmt.Println()
		for _, f := range prof.Fields {
			if f.Numbers != nil && f.Name != "last_seen" {
				fmt.Printf("  %-8s p10 %8.2f  p50 %8.2f  p90 %8.2f   (base p50 %.2f, %d missing)\n",
					f.Name, f.Numbers.P10, f.Numbers.P50, f.Numbers.P90, f.Reference.P50, f.Numbers.Missing)
			}
		}
		fmt.Println()
	}

	// Side by side: the same traits, in the same order, for each persona.
	c := persona.Compare(personas...)
	fmt.Printf("%-22s", "trait (lift)")
	for i := range personas {
		fmt.Printf(" %12s", fmt.Sprintf("segment %d", i+1))
	}
	fmt.Println()
	for j, k := range c.Traits {
		fmt.Printf("%-22s", k.Field+" "+k.Value)
		for i := range personas {
			fmt.Printf(" %12.2f", c.Columns[i][j].Lift)
		}
		fmt.Println()
	}

	// Next month: a third of the skincare buyers move to the skincare and
	// makeup bundle (and stop buying anything else).
	next := nextSnapshot(base)
	ids := base.Eval(segments[0].pred)
	prof, err := persona.Describe(next, ids)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("\n== skincare buyers, one snapshot later: traits that moved most")
	for _, ch := range persona.Diff(personas[0], persona.New(prof))[:3] {
		fmt.Printf("  %s %s: share %.1f%% -> %.1f%%, lift %.2f -> %.2f\n", ch.Field, ch.Value,
			100*ch.Before.Share, 100*ch.After.Share, ch.Before.Lift, ch.After.Lift)
	}

	if path := dataFile("mall_customers.csv",
		"To profile its big spenders too, save Mall_Customers.csv of github.com/IvanaHybenova/Customer_Segmentation\n"+
			"as DIR/mall_customers.csv and run go run ./examples/persona -data DIR"); path != "" {
		mall(path)
	}
}

// dataFile returns the path of the named file in the -data folder. When the
// file is absent it stops the program if -data was given, and otherwise
// says on stderr where to get the file (howto) and returns "".
func dataFile(name, howto string) string {
	path := filepath.Join(*dataDir, name)
	_, err := os.Stat(path)
	if err == nil {
		return path
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "data" })
	if given {
		log.Fatalf("-data %s: %v", *dataDir, err)
	}
	fmt.Fprintf(os.Stderr, "\n%s not found: the real-data part is skipped.\n%s\n", path, howto)
	return ""
}

func buildBase(n int, asOf time.Time) *segment.Base {
	r := rand.New(rand.NewPCG(1, 2))
	cities := []string{"Amsterdam", "Rotterdam", "Utrecht", "Antwerp", "Brussels"}
	products := []string{"skincare", "makeup", "shoes", "sportswear", "books", "perfume"}
	b := segment.NewBuilder()
	for i := range n {
		fan := r.IntN(10) == 0 // planted: young women in Amsterdam who buy skincare
		vs := []segment.Value{
			city.Value(cities[r.IntN(len(cities))]),
			plan.Value([]string{"free", "monthly", "annual"}[r.IntN(3)]),
			active.Value(r.IntN(3) > 0),
			lastSeen.Value(asOf.Add(-time.Duration(r.IntN(365*24)) * time.Hour)),
			revenue.Value(float64(r.IntN(200000)) / 100),
		}
		g, a := []string{"f", "m"}[r.IntN(2)], int64(18+r.IntN(60))
		if fan {
			vs[0] = city.Value("Amsterdam")
			g, a = "f", int64(25+r.IntN(10))
		}
		if r.IntN(8) > 0 { // some customers never told us
			vs = append(vs, gender.Value(g), age.Value(a))
		}
		var bs []string
		for _, p := range products {
			if r.IntN(6) == 0 || fan && p == "skincare" {
				bs = append(bs, p)
			}
		}
		vs = append(vs, bought.Values(bs...))
		if err := b.Add(fmt.Sprintf("c%05d", i), vs...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	return base
}

func nextSnapshot(base *segment.Base) *segment.Base {
	t := base.Batch()
	i := 0
	for key := range base.Keys(base.Eval(bought.Has("skincare"))) {
		if i%3 == 0 {
			if err := t.Set(key, bought.Values("skincare", "makeup")); err != nil {
				log.Fatal(err)
			}
		}
		i++
	}
	next, err := t.Apply()
	if err != nil {
		log.Fatal(err)
	}
	return next
}

// mall profiles the big spenders of the public Mall Customers data set, in
// the file at path.
func mall(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		log.Fatalf("%s: no customers", path)
	}
	var (
		mGender = segment.NewCat[string]("gender")
		mAge    = segment.NewInt("age")
		mIncome = segment.NewInt("income_k")
		mScore  = segment.NewInt("spending_score")
	)
	b := segment.NewBuilder()
	for _, r := range recs[1:] {
		a, _ := strconv.ParseInt(r[2], 10, 64)
		inc, _ := strconv.ParseInt(r[3], 10, 64)
		sc, _ := strconv.ParseInt(r[4], 10, 64)
		if err := b.Add(r[0], mGender.Value(strings.ToLower(r[1])), mAge.Value(a), mIncome.Value(inc), mScore.Value(sc)); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	prof, err := persona.Describe(base, base.Eval(mScore.Ge(70)))
	if err != nil {
		log.Fatal(err)
	}
	p := persona.New(prof, persona.MinSupport(5, 0.05), persona.MinSignificance(1.5), persona.MinLift(1.1))
	fmt.Printf("\n== mall_customers.csv: spending score >= 70\n%s\n", p.Summary)
	for _, f := range prof.Fields {
		if f.Numbers != nil {
			fmt.Printf("  %-15s median %5.1f (base %5.1f), p25-p75 %.0f-%.0f\n", f.Name, f.Numbers.P50, f.Reference.P50, f.Numbers.P25, f.Numbers.P75)
		}
	}
}
