// B2b builds a synthetic base of business customers, takes two macro
// segments a B2B marketer already uses (industry and company size) and splits
// them into micro-segments by country, plan and employee band, with the
// annual contract value each one holds. It ends with a report of the macro
// segments and how much they overlap.
//
//	go run ./examples/b2b
package main

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/fabeed28/microseg/segment"
)

var (
	industry  = segment.NewCat[string]("industry")
	size      = segment.NewCat[string]("company_size")
	country   = segment.NewCat[string]("country")
	plan      = segment.NewCat[string]("plan")
	employees = segment.NewIntRange("employees", 1, 1_000_000)
	acv       = segment.NewDecimal("acv", 2) // annual contract value, EUR
)

func main() {
	base := buildBase(20000)
	fmt.Printf("base: %d business customers\n\n", base.Len())

	macros := []segment.Named{
		{Name: "software, mid-market", Pred: segment.And(industry.Eq("software"), size.In("50-249", "250-999"))},
		{Name: "retail, enterprise", Pred: segment.And(industry.Eq("retail"), size.Eq("1000+"))},
	}
	dims := []segment.Dim{
		segment.By(country),
		segment.By(plan).WithMissing(),
		segment.Bands(employees, 100, 250, 1000, 5000),
	}
	for _, m := range macros {
		micros, err := segment.Split(base, m.Pred, dims,
			segment.MinSize(25), segment.MaxSegments(8), segment.SumOf(acv), segment.RankByValue())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (%d customers): the 8 most valuable micro-segments of at least 25\n", m.Name, base.Count(m.Pred))
		w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(w, "country\tplan\temployees\tcustomers\tACV (EUR)\tACV/customer\t")
		for _, mc := range micros {
			fmt.Fprintf(w, "%s\t%d\t%.0f\t%.0f\t\n", strings.Join(mc.Labels, "\t"), mc.Count, mc.Sum, mc.Sum/float64(mc.Count))
		}
		w.Flush()
		fmt.Printf("first one as a predicate: %s\n\n", micros[0].Pred)
	}

	rep, err := segment.Report(base, macros, segment.SumOf(acv))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("macro segments report")
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "segment\tcustomers\tshare\tACV (EUR)\tshare of ACV\tACV/customer\t")
	for _, r := range rep.Rows {
		fmt.Fprintf(w, "%s\t%d\t%.1f%%\t%.0f\t%.1f%%\t%.0f\t\n", r.Name, r.Count, 100*r.Share, r.Sum, 100*r.ValueShare, r.PerMember)
	}
	fmt.Fprintf(w, "whole base\t%d\t100.0%%\t%.0f\t100.0%%\t%.0f\t\n", rep.Base, rep.Total, rep.Total/float64(rep.Base))
	w.Flush()

	ov := segment.Overlap(base, macros[0].Pred, plan.Eq("enterprise"))
	fmt.Printf("\n%.1f%% of %q is on the enterprise plan (Jaccard %.3f)\n",
		100*ov.Coverage(0, 1), macros[0].Name, ov.Jaccard(0, 1))
}

// buildBase makes n synthetic companies with skewed industries, sizes and
// countries; employees follow the size class; about 5% have no plan on file.
func buildBase(n int) *segment.Base {
	r := rand.New(rand.NewPCG(7, 7))
	industries := []string{"software", "retail", "manufacturing", "finance", "health", "logistics"}
	sizes := []struct {
		name   string
		lo, hi int
	}{{"1-9", 1, 9}, {"10-49", 10, 49}, {"50-249", 50, 249}, {"250-999", 250, 999}, {"1000+", 1000, 20000}}
	countries := []string{"NL", "DE", "BE", "FR", "GB", "ES"}
	plans := []string{"starter", "team", "business", "enterprise"}
	pick := func(k int, skew float64) int { return int(math.Pow(r.Float64(), skew) * float64(k)) }
	b := segment.NewBuilder()
	for i := range n {
		s := sizes[pick(len(sizes), 1.6)]
		emp := s.lo + r.IntN(s.hi-s.lo+1)
		p := min(pick(len(plans), 1.3)+pick(2, 1), len(plans)-1)
		vs := []segment.Value{
			industry.Value(industries[pick(len(industries), 1.5)]),
			size.Value(s.name),
			country.Value(countries[pick(len(countries), 2)]),
			employees.Value(int64(emp)),
			acv.Value(math.Round(float64(emp) * (40 + float64(p)*60) * (0.5 + r.Float64()))),
		}
		if r.IntN(20) > 0 {
			vs = append(vs, plan.Value(plans[p]))
		}
		if err := b.Add(fmt.Sprintf("co-%05d", i), vs...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	return base
}
