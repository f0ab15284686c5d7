// Persona profiles micro-segments of a synthetic customer base: what their
// members share, what sets them apart from the base (values and numeric
// ranges), a one-line persona for each, the personas side by side, and how
// one persona moved between two snapshots of the base. When the folder given
// with -data (../shared/data by default, where it sits beside a checkout of
// the repository) holds the public data sets mall_customers.csv and
// marketing_campaign.csv, it profiles the mall's big spenders and the
// campaign's acceptors against its non-acceptors too.
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

var dataDir = flag.String("data", "../shared/data", "`folder` holding mall_customers.csv (Mall Customer Segmentation) and marketing_campaign.csv (Customer Personality Analysis)")

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
			if f.Numbers != nil {
				fmt.Printf("  %-9s p10 %-10s p50 %-10s p90 %-10s (base p50 %s, %d missing)\n", f.Name,
					f.Format(f.Numbers.P10), f.Format(f.Numbers.P50), f.Format(f.Numbers.P90), f.Format(f.Reference.P50), f.Numbers.Missing)
			}
		}
		fmt.Println()
	}

	// Side by side: the same traits, in the same order, for each persona.
	// A numeric range one persona stands out by is counted in the others.
	c := persona.Compare(personas...)
	width := len("trait (lift)")
	for j := range c.Traits {
		width = max(width, len(c.Columns[0][j].String()))
	}
	fmt.Printf("%-*s", width, "trait (lift)")
	for i := range personas {
		fmt.Printf("  segment %d", i+1)
	}
	fmt.Println()
	for j := range c.Traits {
		fmt.Printf("%-*s", width, c.Columns[0][j].String())
		for i := range personas {
			fmt.Printf(" %10.2f", c.Columns[i][j].Lift)
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
		fmt.Printf("  %s: share %.1f%% -> %.1f%%, lift %.2f -> %.2f\n", ch.Before,
			100*ch.Before.Share, 100*ch.After.Share, ch.Before.Lift, ch.After.Lift)
	}

	if path := dataFile("mall_customers.csv",
		"To profile its big spenders too, save Mall_Customers.csv of github.com/IvanaHybenova/Customer_Segmentation\n"+
			"as DIR/mall_customers.csv and run go run ./examples/persona -data DIR"); path != "" {
		mall(path)
	}
	if path := dataFile("marketing_campaign.csv",
		"To profile its campaign's acceptors too, save marketing_campaign.csv of github.com/amankharwal/Website-data\n"+
			"(the semicolon-separated copy of Kaggle's Customer Personality Analysis) in DIR\n"+
			"and run go run ./examples/persona -data DIR"); path != "" {
		campaign(path)
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
	// 200 customers: less support than the defaults ask for.
	p := persona.New(prof, persona.MinSupport(5, 0.05), persona.MinSignificance(1.5), persona.MinLift(1.1),
		persona.Phrase(mIncome, "income %sk"))
	fmt.Printf("\n== mall_customers.csv: spending score >= 70\n%s\n", p.Summary)
	for _, f := range prof.Fields {
		if f.Numbers != nil {
			fmt.Printf("  %-15s median %-5s (base %s), p25-p75 %s-%s\n", f.Name, f.Format(f.Numbers.P50), f.Format(f.Reference.P50),
				f.Format(f.Numbers.P25), f.Format(f.Numbers.P75))
		}
	}
}

// campaign profiles the customers of the public Customer Personality
// Analysis data set, in the file at path, who accepted the last campaign,
// against those who did not.
func campaign(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		log.Fatalf("%s: no customers", path)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	var (
		birth     = segment.NewInt("birth_year")
		education = segment.NewCat[string]("education")
		marital   = segment.NewCat[string]("marital_status")
		income    = segment.NewInt("income")
		children  = segment.NewInt("children")
		since     = segment.NewTime("customer_since")
		recency   = segment.NewInt("days_since_purchase")
		spend     = segment.NewDecimal("spend", 2) // two years, all product families
		web       = segment.NewInt("web_purchases")
		catalog   = segment.NewInt("catalog_purchases")
		store     = segment.NewInt("store_purchases")
		accepted  = segment.NewSet[string]("accepted")
		response  = segment.NewFlag("response") // to the last campaign
	)
	b := segment.NewBuilder()
	for _, r := range recs[1:] {
		num := func(name string) int64 {
			v, err := strconv.ParseInt(r[col[name]], 10, 64)
			if err != nil {
				log.Fatalf("%s: customer %s: %s: %v", path, r[col["ID"]], name, err)
			}
			return v
		}
		joined, err := time.Parse(time.DateOnly, r[col["Dt_Customer"]])
		if err != nil {
			log.Fatalf("%s: customer %s: %v", path, r[col["ID"]], err)
		}
		var total int64
		for _, m := range []string{"MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts", "MntGoldProds"} {
			total += num(m)
		}
		vs := []segment.Value{
			birth.Value(num("Year_Birth")), education.Value(r[col["Education"]]),
			marital.Value(strings.ToLower(r[col["Marital_Status"]])), children.Value(num("Kidhome") + num("Teenhome")),
			since.Value(joined), recency.Value(num("Recency")), spend.Units(total * 100),
			web.Value(num("NumWebPurchases")), catalog.Value(num("NumCatalogPurchases")), store.Value(num("NumStorePurchases")),
			response.Value(num("Response") == 1),
		}
		if r[col["Income"]] != "" { // 24 customers have no income
			vs = append(vs, income.Value(num("Income")))
		}
		var acc []string
		for i := 1; i <= 5; i++ {
			if num(fmt.Sprintf("AcceptedCmp%d", i)) == 1 {
				acc = append(acc, fmt.Sprintf("campaign %d", i))
			}
		}
		vs = append(vs, accepted.Values(acc...))
		if err := b.Add(r[col["ID"]], vs...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	acceptors, others := base.Eval(response.True()), base.Eval(response.False())
	fmt.Printf("\n== marketing_campaign.csv: the last campaign's acceptors against its non-acceptors\n")
	// The response defines the segment: leave it out. Then leave out the
	// earlier campaigns too, to see who the acceptors are rather than what
	// they did before.
	for _, omit := range [][]segment.Field{{response}, {response, accepted}} {
		prof, err := persona.Describe(base, acceptors, persona.Reference(others), persona.ReferenceName("non-acceptors"), persona.Omit(omit...))
		if err != nil {
			log.Fatal(err)
		}
		p := persona.New(prof,
			persona.Phrase(accepted, "accepted %s"),
			persona.Phrase(income, "income %s"),
			persona.PhraseValue(children, "0", "no children at home"),
			persona.Phrase(spend, "spent %s in two years"))
		fmt.Println(p.Summary)
		for _, t := range p.Distinguishing {
			fmt.Printf("  %-40s %5.1f%% of acceptors, %5.1f%% of non-acceptors\n", t, 100*t.Share, 100*t.ReferenceShare)
		}
	}
}
