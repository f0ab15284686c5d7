// Lookalike builds a look-alike audience: from the best customers of a
// synthetic base (loyal subscribers), it weighs the traits they share and
// ranks the other customers by resemblance, then checks with a hold-out
// how well the ranking finds seed members it was not shown. When the folder
// given with -data (../shared/data by default, where it sits beside a
// checkout of the repository) holds the public marketing_campaign.csv data
// set, it does the same for the customers who answered the last campaign.
//
//	go run ./examples/lookalike [-data DIR]
package main

import (
	"cmp"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/segment"
)

var (
	country  = segment.NewCat[string]("country")
	device   = segment.NewCat[string]("device")
	age      = segment.NewIntRange("age", 0, 130)
	likes    = segment.NewSet[string]("likes")
	newsOpt  = segment.NewFlag("newsletter")
	orders   = segment.NewInt("orders")
	loyal    = segment.NewFlag("loyal") // subscribed for 2+ years: the seed
	spending = segment.NewDecimal("spend", 2)
)

var dataDir = flag.String("data", "../shared/data", "`folder` holding marketing_campaign.csv, the Customer Personality Analysis data set")

func main() {
	flag.Parse()
	base, hidden := buildBase(100000)
	seed := base.Eval(loyal.True())
	fmt.Printf("base: %d customers; seed (loyal 2+ years): %d\n", base.Len(), seed.GetCardinality())

	// The seed's own flag would trivially separate it: leave it out.
	fields := persona.Only(country, device, age, likes, newsOpt, orders, spending)
	ws, err := persona.Weights(base, seed, fields)
	if err != nil {
		log.Fatal(err)
	}
	slices.SortStableFunc(ws, func(a, b persona.Weight) int { return cmp.Compare(b.Score, a.Score) })
	fmt.Println("\nheaviest traits (log-likelihood ratio of seed vs rest):")
	for _, w := range ws[:6] {
		fmt.Printf("  %-10s %-22s %+.2f  (seed %d, rest %d)\n", w.Field, w.Value, w.LLR, w.Seed, w.Rest)
	}

	for _, frac := range []float64{0.01, 0.05, 0.10} {
		aud, err := persona.LookalikeFraction(base, seed, frac, fields)
		if err != nil {
			log.Fatal(err)
		}
		// hidden holds the customers who behave like the loyal ones but
		// are not (yet) flagged: a good audience is rich in them.
		in := aud.AndCardinality(hidden)
		rate := float64(hidden.GetCardinality()) / float64(base.Len()-int(seed.GetCardinality()))
		fmt.Printf("\naudience %2.0f%% of the base: %d customers, %.0f%% of them hidden look-alikes (%.0f%% among all non-members, %.1f× better)",
			100*frac, aud.GetCardinality(), 100*float64(in)/float64(aud.GetCardinality()), 100*rate,
			float64(in)/float64(aud.GetCardinality())/rate)
	}
	fmt.Println()

	ev, err := persona.Evaluate(base, seed, int(seed.GetCardinality()), 0.3, fields)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nhold-out test: trained on %d, held out %d; an audience of %d recalls %.0f%% of the held-out, %.1f× random (%.1f%%)\n",
		ev.Train, ev.Holdout, ev.N, 100*ev.Recall, ev.Lift, 100*ev.RandomRecall)

	if path := dataFile("marketing_campaign.csv",
		"To rank its customers too, save marketing_campaign.csv of github.com/amankharwal/Website-data\n"+
			"(the semicolon-separated copy of Kaggle's Customer Personality Analysis) in DIR\n"+
			"and run go run ./examples/lookalike -data DIR"); path != "" {
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

// buildBase plants a class of look-alikes: 8% of customers are "fans"
// (Dutch or Belgian, on iOS, into outdoor and cooking, ordering often); half
// of the fans are flagged loyal, the others are hidden.
func buildBase(n int) (*segment.Base, *roaring.Bitmap) {
	r := rand.New(rand.NewPCG(3, 4))
	countries := []string{"NL", "BE", "DE", "FR", "GB", "ES"}
	topics := []string{"outdoor", "cooking", "fashion", "tech", "travel", "games", "music"}
	b := segment.NewBuilder()
	hidden := roaring.New()
	for i := range n {
		fan := r.IntN(100) < 8
		c, d := countries[r.IntN(len(countries))], []string{"ios", "android", "web"}[r.IntN(3)]
		o := int64(r.IntN(10))
		if fan {
			if r.IntN(3) > 0 {
				c = []string{"NL", "BE"}[r.IntN(2)]
			}
			if r.IntN(2) == 0 {
				d = "ios"
			}
			o += int64(r.IntN(15))
		}
		var ls []string
		for _, t := range topics {
			if r.IntN(5) == 0 || fan && (t == "outdoor" || t == "cooking") && r.IntN(2) == 0 {
				ls = append(ls, t)
			}
		}
		isLoyal := fan && r.IntN(2) == 0
		if fan && !isLoyal {
			hidden.Add(uint32(i))
		}
		vs := []segment.Value{country.Value(c), device.Value(d), likes.Values(ls...), orders.Value(o),
			loyal.Value(isLoyal), spending.Value(float64(o)*float64(20+r.IntN(60)) + float64(r.IntN(100))/100)}
		if r.IntN(5) > 0 {
			vs = append(vs, age.Value(int64(18+r.IntN(60))), newsOpt.Value(r.IntN(2) == 0))
		}
		if err := b.Add(fmt.Sprintf("c%06d", i), vs...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	return base, hidden
}

// campaign ranks the customers of the public Customer Personality Analysis
// data set, in the file at path, by their resemblance to those who answered
// the last campaign.
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
		education = segment.NewCat[string]("education")
		marital   = segment.NewCat[string]("marital")
		income    = segment.NewInt("income")
		kids      = segment.NewInt("kids")
		recency   = segment.NewInt("recency")
		accepted  = segment.NewSet[string]("accepted")
		response  = segment.NewFlag("response")
	)
	ints := []string{"MntWines", "MntMeatProducts", "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases", "NumWebVisitsMonth"}
	b := segment.NewBuilder()
	for _, r := range recs[1:] {
		get := func(name string) int64 { v, _ := strconv.ParseInt(r[col[name]], 10, 64); return v }
		vs := []segment.Value{
			education.Value(r[col["Education"]]), marital.Value(r[col["Marital_Status"]]),
			kids.Value(get("Kidhome") + get("Teenhome")), recency.Value(get("Recency")),
			response.Value(get("Response") == 1),
		}
		if r[col["Income"]] != "" { // 24 customers have no income
			vs = append(vs, income.Value(get("Income")))
		}
		var acc []string
		for _, c := range []string{"AcceptedCmp1", "AcceptedCmp2", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5"} {
			if get(c) == 1 {
				acc = append(acc, c)
			}
		}
		vs = append(vs, accepted.Values(acc...))
		for _, name := range ints {
			vs = append(vs, segment.NewInt(name).Value(get(name)))
		}
		if err := b.Add(r[col["ID"]], vs...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	seed := base.Eval(response.True())
	// The seed's own field would trivially separate it: leave it out.
	ev, err := persona.Evaluate(base, seed, int(seed.GetCardinality()), 0.3, persona.Omit(response), persona.QuantileBands(5))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nmarketing_campaign.csv: %d customers, %d answered the last campaign\n", base.Len(), ev.Seed)
	// A value held by fewer than 10 customers (marital status "YOLO",
	// "Absurd": one answerer each) gets no weight (MinTraitCount).
	ws, err := persona.Weights(base, seed, persona.Omit(response), persona.QuantileBands(5))
	if err != nil {
		log.Fatal(err)
	}
	slices.SortStableFunc(ws, func(a, b persona.Weight) int { return cmp.Compare(b.Score, a.Score) })
	fmt.Println("heaviest traits:")
	for _, w := range ws[:6] {
		fmt.Printf("  %-20s %-18s %+.2f  (answered %d, rest %d)\n", w.Field, w.Value, w.LLR, w.Seed, w.Rest)
	}
	fmt.Printf("hold-out test: an audience of %d recalls %.0f%% of the %d held-out responders, %.1f× random (%.1f%%)\n",
		ev.N, 100*ev.Recall, ev.Holdout, ev.Lift, 100*ev.RandomRecall)
}
