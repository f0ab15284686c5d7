// Command campaign runs the library on the public Customer Personality
// Analysis table (2,240 customers of a food and wine retailer, their
// demographics, spend per product family, channel use and answers to six
// campaigns): what is wrong in the data, who answered the last campaign
// against who did not, and how well look-alikes of the answerers find the
// answerers held out.
//
//	go run ./examples/campaign -data path/to/marketing_campaign.csv
//
// The table is not shipped with the library. Without it the command says
// where to download it and exits.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/segment"
)

const source = "https://raw.githubusercontent.com/amankharwal/Website-data/master/marketing_campaign.csv"

var dataFile = flag.String("data", "../shared/data/marketing_campaign.csv", "the Customer Personality Analysis `file` (semicolon-separated)")

// The fields, declared once.
var (
	birthYear = segment.NewInt("birth_year")
	education = segment.NewCat[string]("education")
	marital   = segment.NewCat[string]("marital_status")
	income    = segment.NewInt("income")
	kids      = segment.NewInt("children")
	signup    = segment.NewTime("signup")
	recency   = segment.NewInt("days_since_purchase")
	wine      = segment.NewInt("spend_wine")
	meat      = segment.NewInt("spend_meat")
	gold      = segment.NewInt("spend_gold")
	web       = segment.NewInt("web_purchases")
	catalog   = segment.NewInt("catalog_purchases")
	store     = segment.NewInt("store_purchases")
	visits    = segment.NewInt("web_visits_month")
	accepted  = segment.NewSet[string]("accepted_campaigns")
	response  = segment.NewFlag("answered_last_campaign")
)

func main() {
	flag.Parse()
	f, err := os.Open(*dataFile)
	if os.IsNotExist(err) {
		fmt.Printf("%s not found: download the Customer Personality Analysis table from\n  %s\nand run with -data <file>.\n", *dataFile, source)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	base, err := load(f)
	f.Close()
	if err != nil {
		log.Fatalf("%s: %v", *dataFile, err)
	}
	fmt.Printf("%s: %d customers\n", *dataFile, base.Len())
	asOf := time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC) // the table ends in 2014

	quality(base, asOf)
	personas(base)
	lookalikes(base)
}

// load reads the table: one customer per row, keyed by ID. Empty incomes
// (24 customers) stay missing.
func load(f *os.File) (*segment.Base, error) {
	rd := csv.NewReader(f)
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("no customers")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, name := range []string{"ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome", "Dt_Customer", "Recency", "Response"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("no column %q", name)
		}
	}
	b := segment.NewBuilder()
	for line, r := range recs[1:] {
		num := func(name string) (int64, error) {
			v, err := strconv.ParseInt(strings.TrimSpace(r[col[name]]), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("line %d: %s: %w", line+2, name, err)
			}
			return v, nil
		}
		var errs []error
		get := func(name string) int64 {
			v, err := num(name)
			if err != nil {
				errs = append(errs, err)
			}
			return v
		}
		day, err := time.Parse("2006-01-02", r[col["Dt_Customer"]])
		if err != nil {
			return nil, fmt.Errorf("line %d: Dt_Customer: %w", line+2, err)
		}
		vs := []segment.Value{
			birthYear.Value(get("Year_Birth")),
			education.Value(r[col["Education"]]),
			marital.Value(r[col["Marital_Status"]]),
			kids.Value(get("Kidhome") + get("Teenhome")),
			signup.Value(day),
			recency.Value(get("Recency")),
			wine.Value(get("MntWines")), meat.Value(get("MntMeatProducts")), gold.Value(get("MntGoldProds")),
			web.Value(get("NumWebPurchases")), catalog.Value(get("NumCatalogPurchases")),
			store.Value(get("NumStorePurchases")), visits.Value(get("NumWebVisitsMonth")),
			response.Value(get("Response") == 1),
		}
		if strings.TrimSpace(r[col["Income"]]) != "" {
			vs = append(vs, income.Value(get("Income")))
		}
		var acc []string
		for i := 1; i <= 5; i++ {
			if get(fmt.Sprintf("AcceptedCmp%d", i)) == 1 {
				acc = append(acc, fmt.Sprintf("campaign %d", i))
			}
		}
		vs = append(vs, accepted.Values(acc...))
		if len(errs) > 0 {
			return nil, errs[0]
		}
		if err := b.Add(r[col["ID"]], vs...); err != nil {
			return nil, err
		}
	}
	return b.Build()
}

// quality prints what a person reading the table would question. The spend
// and purchase counts have long right tails that the outlier rule would
// flag by the hundred: their rule is turned off.
func quality(base *segment.Base, asOf time.Time) {
	fmt.Println("\n== Data quality ==")
	report, err := segment.Quality(base, asOf,
		segment.OutlierZ(math.Inf(1), wine, meat, gold, web, catalog, store, visits, recency, kids))
	if err != nil {
		log.Fatal(err)
	}
	for _, fq := range report {
		if fq.Missing > 0 {
			fmt.Printf("%-22s %d missing (%.1f%%)\n", fq.Name, fq.Missing, 100*fq.MissingShare)
		}
		for _, fd := range fq.Findings {
			var ex []string
			for _, e := range fd.Examples {
				ex = append(ex, fmt.Sprintf("%s=%v", e.Key, e.Value))
			}
			what := fd.Kind.String()
			if fd.Value != nil {
				what += fmt.Sprintf(" %q", fmt.Sprint(fd.Value))
			}
			fmt.Printf("%-22s %s: %d customers (e.g. %s)\n", fq.Name, what, fd.Count, strings.Join(ex, ", "))
		}
	}
}

// personas describes who answered the last campaign against who did not,
// in words a marketer would use. The answer itself, and the earlier
// campaigns' answers, would only say that: they are left out.
func personas(base *segment.Base) {
	fmt.Println("\n== Who answered the last campaign ==")
	yes, no := base.Eval(response.True()), base.Eval(response.False())
	prof, err := persona.Describe(base, yes,
		persona.Reference(no), persona.ReferenceName("those who did not answer"),
		persona.Omit(response, accepted))
	if err != nil {
		log.Fatal(err)
	}
	ps := persona.New(prof,
		persona.Phrase(income, "earning %s a year"),
		persona.Phrase(wine, "spending %s on wine"),
		persona.Phrase(meat, "spending %s on meat"),
		persona.Phrase(gold, "spending %s on gold"),
		persona.Phrase(catalog, "with %s catalog purchases"),
		persona.Phrase(web, "with %s web purchases"),
		persona.Phrase(store, "with %s store purchases"),
		persona.Phrase(visits, "visiting the web site %s times a month"),
		persona.Phrase(recency, "who last bought %s days ago"),
		persona.PhraseValue(kids, "0", "with no children at home"),
		persona.Phrase(kids, "with %s children at home"),
		persona.Phrase(education, "with %s education"),
		persona.Phrase(marital, "%s"),
	)
	fmt.Printf("answered: %s\n", ps.Summary)
	fmt.Println("  distinguishing traits (lift against those who did not answer):")
	for i, t := range ps.Distinguishing {
		if i == 6 {
			break
		}
		fmt.Printf("    %-32s %5.1f×  %4.0f%% of them, %4.0f%% of the others\n", t, t.Lift, 100*t.Share, 100*t.ReferenceShare)
	}
}

// lookalikes ranks the customers by their resemblance to the answerers,
// trained on 70% of them, and counts the held-out 30% in an audience as
// large as the answerers.
func lookalikes(base *segment.Base) {
	fmt.Println("\n== Look-alikes of the answerers, on a hold-out ==")
	seed := base.Eval(response.True())
	ev, err := persona.Evaluate(base, seed, int(seed.GetCardinality()), 0.3,
		persona.Omit(response), persona.QuantileBands(5))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("trained on %d answerers; an audience of %d recalls %.0f%% of the %d held out: %.1f× a random audience (%.1f%%)\n",
		ev.Seed-ev.Holdout, ev.N, 100*ev.Recall, ev.Holdout, ev.Lift, 100*ev.RandomRecall)
}
