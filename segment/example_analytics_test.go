package segment_test

import (
	"fmt"
	"strings"

	"github.com/fabeed28/microseg/segment"
)

var (
	industry = segment.NewCat[string]("industry")
	staff    = segment.NewInt("employees")
	acv      = segment.NewDecimal("acv", 2)
)

func companies() *segment.Base {
	b := segment.NewBuilder()
	add := func(key, ind string, emp int64, value float64, vs ...segment.Value) {
		vs = append(vs, industry.Value(ind), staff.Value(emp), acv.Value(value))
		if err := b.Add(key, vs...); err != nil {
			panic(err)
		}
	}
	add("acme", "software", 40, 12000, country.Value("NL"))
	add("bolt", "software", 300, 90000, country.Value("NL"))
	add("cogs", "software", 120, 30000, country.Value("DE"))
	add("dyna", "retail", 2500, 250000, country.Value("NL"))
	add("echo", "software", 35, 9000, country.Value("NL"))
	add("flux", "retail", 80, 15000)
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	return base
}

func ExampleSplit() {
	base := companies()
	micros, err := segment.Split(base, industry.Eq("software"),
		[]segment.Dim{segment.By(country), segment.Bands(staff, 50, 250)},
		segment.SumOf(acv))
	if err != nil {
		panic(err)
	}
	for _, m := range micros {
		fmt.Printf("%-9s %d customers, ACV %.0f: %s\n", strings.Join(m.Labels, " "), m.Count, m.Sum, m.Pred)
	}
	// Output:
	// NL <50    2 customers, ACV 21000: industry = "software" and country = "NL" and employees <= 49
	// NL >=250  1 customers, ACV 90000: industry = "software" and country = "NL" and employees >= 250
	// DE 50-249 1 customers, ACV 30000: industry = "software" and country = "DE" and employees between 50 and 249
}

func ExampleSplit_minSize() {
	base := companies()
	// Cells under two members are dropped; WithMissing adds a cell for the
	// customers without a country.
	micros, _ := segment.Split(base, segment.All(),
		[]segment.Dim{segment.By(industry), segment.By(country).WithMissing()},
		segment.MinSize(2))
	for _, m := range micros {
		fmt.Println(m.Labels, m.Count)
	}
	// Output:
	// [software NL] 3
}

func ExampleOverlap() {
	base := companies()
	ov := segment.Overlap(base, industry.Eq("software"), country.Eq("NL"))
	fmt.Println("both:", ov.Counts[0][1])
	fmt.Printf("share of software companies in NL: %.2f\n", ov.Coverage(0, 1))
	fmt.Printf("Jaccard: %.2f\n", ov.Jaccard(0, 1))
	// Output:
	// both: 3
	// share of software companies in NL: 0.75
	// Jaccard: 0.60
}

func ExampleMovement() {
	before := companies()
	t := before.Batch()
	t.Set("acme", staff.Value(60)) // grew past 50
	t.Remove("echo")
	t.Add("gala", industry.Value("software"), staff.Value(20))
	after, _ := t.Apply()

	small := staff.Lt(50)
	mv, err := segment.Movement(before, after, small)
	if err != nil {
		panic(err)
	}
	fmt.Println("entered:", after.AppendKeys(nil, mv.Entered))
	fmt.Println("exited: ", before.AppendKeys(nil, mv.Exited))
	fmt.Printf("%+v\n", mv.Counts())
	// Output:
	// entered: [gala]
	// exited:  [acme echo]
	// {Entered:1 Exited:2 Stayed:0 Added:1 Removed:1}
}

func ExampleTransitions() {
	before := companies()
	t := before.Batch()
	t.Set("acme", acv.Value(60000))
	t.Remove("flux")
	t.Add("gala", acv.Value(500))
	after, _ := t.Apply()

	m, err := segment.Transitions(before, after,
		segment.Named{Name: "high", Pred: acv.Ge(50000)},
		segment.Named{Name: "low", Pred: acv.Lt(50000)})
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Cols)
	for i, r := range m.Rows {
		fmt.Println(r, m.Counts[i])
	}
	// Output:
	// [high low (none) (removed)]
	// high [2 0 0 0]
	// low [1 2 0 1]
	// (none) [0 0 0 0]
	// (added) [0 1 0 0]
}

func ExampleReport() {
	base := companies()
	rep, err := segment.Report(base, []segment.Named{
		{Name: "software", Pred: industry.Eq("software")},
		{Name: "retail", Pred: industry.Eq("retail")},
	}, segment.SumOf(acv))
	if err != nil {
		panic(err)
	}
	for _, r := range rep.Rows {
		fmt.Printf("%-8s %d customers (%.0f%%), ACV %.0f (%.0f%%), %.0f per customer\n",
			r.Name, r.Count, 100*r.Share, r.Sum, 100*r.ValueShare, r.PerMember)
	}
	// Output:
	// software 4 customers (67%), ACV 141000 (35%), 35250 per customer
	// retail   2 customers (33%), ACV 265000 (65%), 132500 per customer
}
