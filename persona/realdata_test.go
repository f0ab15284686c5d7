package persona

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabeed28/microseg/internal/realdata"
	"github.com/fabeed28/microseg/segment"
)

// Tests on the public data sets of ../shared/data (see its README); they
// skip with a message when the folder is absent.

func readCSV(t *testing.T, name string, sep rune) [][]string {
	t.Helper()
	f, err := os.Open(realdata.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.Comma = sep
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	return recs
}

var (
	mallScore  = segment.NewInt("spending_score")
	mallIncome = segment.NewInt("income_k")
)

func mallBase(t *testing.T) *segment.Base {
	recs := readCSV(t, "mall_customers.csv", ',')
	gender, age := segment.NewCat[string]("gender"), segment.NewInt("age")
	b := segment.NewBuilder()
	for _, r := range recs[1:] {
		num := func(i int) int64 {
			v, err := strconv.ParseInt(r[i], 10, 64)
			if err != nil {
				t.Fatalf("mall_customers.csv: customer %s: %v", r[0], err)
			}
			return v
		}
		if err := b.Add(r[0], gender.Value(strings.ToLower(r[1])), age.Value(num(2)), mallIncome.Value(num(3)), mallScore.Value(num(4))); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// TestMallSpendingScore: the mall customers with spending score >= 70 read
// as what they are (issue 18: "54 customers with no distinguishing trait").
func TestMallSpendingScore(t *testing.T) {
	base := mallBase(t)
	prof, err := Describe(base, base.Eval(mallScore.Ge(70)))
	if err != nil {
		t.Fatal(err)
	}
	p := New(prof)
	t.Log(p.Summary)
	want := "54 customers (27.0% of the base): spending score 70-99 (3.7× the base), age 21-39 (1.9×) and income k 71-137 (1.7×); median spending score 82.5 against 50 for the base"
	if p.Summary != want {
		t.Errorf("summary\n got %s\nwant %s", p.Summary, want)
	}
	top := p.Distinguishing[0]
	if top.String() != "spending score 70-99" || top.Count != 54 || top.ReferenceCount != 54 {
		t.Errorf("top trait %s: %d members, %d in the base; want spending score 70-99 held by the 54 members only", top, top.Count, top.ReferenceCount)
	}
	if r, ok := top.Raw.(Range); !ok || r != (Range{70, 99}) {
		t.Errorf("top trait Raw %#v, want Range{70, 99}", top.Raw)
	}
}

type campaign struct {
	base     *segment.Base
	response segment.Flag
	marital  segment.Cat[string]
	income   segment.Int
	accepted segment.Set[string]
}

func campaignBase(t *testing.T) campaign {
	recs := readCSV(t, "marketing_campaign.csv", ';')
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	c := campaign{response: segment.NewFlag("response"), marital: segment.NewCat[string]("marital_status"),
		income: segment.NewInt("income"), accepted: segment.NewSet[string]("accepted")}
	var (
		birth     = segment.NewInt("birth_year")
		education = segment.NewCat[string]("education")
		children  = segment.NewInt("children")
		since     = segment.NewTime("customer_since")
		recency   = segment.NewInt("days_since_purchase")
		spend     = segment.NewDecimal("spend", 2)
	)
	b := segment.NewBuilder()
	for _, r := range recs[1:] {
		num := func(name string) int64 {
			v, err := strconv.ParseInt(r[col[name]], 10, 64)
			if err != nil {
				t.Fatalf("marketing_campaign.csv: customer %s: %s: %v", r[col["ID"]], name, err)
			}
			return v
		}
		joined, err := time.Parse(time.DateOnly, r[col["Dt_Customer"]])
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, m := range []string{"MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts", "MntGoldProds"} {
			total += num(m)
		}
		vs := []segment.Value{birth.Value(num("Year_Birth")), education.Value(r[col["Education"]]),
			c.marital.Value(strings.ToLower(r[col["Marital_Status"]])), children.Value(num("Kidhome") + num("Teenhome")),
			since.Value(joined), recency.Value(num("Recency")), spend.Units(total * 100), c.response.Value(num("Response") == 1)}
		if r[col["Income"]] != "" {
			vs = append(vs, c.income.Value(num("Income")))
		}
		var acc []string
		for i := 1; i <= 5; i++ {
			if num(fmt.Sprintf("AcceptedCmp%d", i)) == 1 {
				acc = append(acc, fmt.Sprintf("campaign %d", i))
			}
		}
		vs = append(vs, c.accepted.Values(acc...))
		if err := b.Add(r[col["ID"]], vs...); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if c.base, err = b.Build(); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCampaignAcceptors: the acceptors of the last campaign against the
// non-acceptors read as a sentence that names the reference, with numeric
// traits; the rare dirty values of marital status get no look-alike weight.
func TestCampaignAcceptors(t *testing.T) {
	c := campaignBase(t)
	acc := c.base.Eval(c.response.True())
	non := c.base.Eval(c.response.False())
	for _, tt := range []struct {
		opts []DescribeOption
		want string
	}{
		{[]DescribeOption{Omit(c.response)},
			"334 customers (14.9% of the base): accepted campaign 2 (11.4× non-acceptors), campaign 5 (7.4×) and campaign 1 (6.9×); median spend 1,057.50 against 314.00 for non-acceptors"},
		{[]DescribeOption{Omit(c.response, c.accepted)},
			"334 customers (14.9% of the base): income 72,065-109,999 (2.6× non-acceptors), spend 1,062.00-2,525.00 (2.5×) and children 0 (2.1×); median spend 1,057.50 against 314.00 for non-acceptors"},
	} {
		prof, err := Describe(c.base, acc, append(tt.opts, Reference(non), ReferenceName("non-acceptors"))...)
		if err != nil {
			t.Fatal(err)
		}
		p := New(prof)
		t.Log(p.Summary)
		if p.Summary != tt.want {
			t.Errorf("summary\n got %s\nwant %s", p.Summary, tt.want)
		}
		if strings.Contains(p.Summary, "× the base") || strings.Contains(p.Summary, "for the base") {
			t.Errorf("summary %q calls the non-acceptors the base", p.Summary)
		}
	}

	ws, err := Weights(c.base, acc, Omit(c.response))
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(ws, func(a, b Weight) int { return cmp.Compare(b.Score, a.Score) })
	for _, w := range ws[:10] {
		t.Logf("%-16s %-22s %+.2f (seed %d, rest %d)", w.Field, w.Value, w.LLR, w.Seed, w.Rest)
	}
	for _, w := range ws {
		if w.Field == c.marital.Name() && w.Seed+w.Rest < 10 && w.Score != 0 {
			t.Errorf("marital status %q, held by %d customers, weighs %+.2f; want 0", w.Value, w.Seed+w.Rest, w.LLR)
		}
		if r, ok := w.Raw.(Range); ok && w.Field == c.income.Name() && (r.Lo != float64(int64(r.Lo)) || r.Hi != float64(int64(r.Hi))) {
			t.Errorf("income band %s: edges %v not integers", w.Value, r)
		}
		if w.Seed+w.Rest == 0 {
			t.Errorf("empty trait %s %s weighs %+.2f", w.Field, w.Value, w.LLR)
		}
	}
	// Without the minimum, the dirty values rank among the heaviest: the
	// minimum is what keeps them out.
	raw, err := Weights(c.base, acc, Omit(c.response), MinTraitCount(0))
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(raw, func(a, b Weight) int { return cmp.Compare(b.Score, a.Score) })
	var dirty []string
	for _, w := range raw[:12] {
		if w.Field == c.marital.Name() {
			dirty = append(dirty, w.Value)
		}
	}
	t.Logf("with MinTraitCount(0), marital status values among the 12 heaviest traits: %v", dirty)
}
