// Movement builds a synthetic customer base, takes a second snapshot a month
// later (new purchases, new customers, a few closed accounts), and shows how
// customers moved between value segments: who entered and left the VIP
// segment, and the full transition matrix printed as a table.
//
//	go run ./examples/movement
package main

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"text/tabwriter"
	"time"

	"github.com/fabeed28/microseg/segment"
)

var (
	spend     = segment.NewDecimal("spend_12m", 2) // EUR spent in the last 12 months
	orders    = segment.NewIntRange("orders_12m", 0, 10_000)
	lastOrder = segment.NewTime("last_order")
)

func main() {
	r := rand.New(rand.NewPCG(3, 14))
	june := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	july := june.AddDate(0, 1, 0)
	before := buildBase(r, 10000, june)
	after := nextMonth(r, before, july)

	// Value segments on the rolling 12-month figures, most specific first:
	// a customer in two of them counts in the first.
	segs := []segment.Named{
		{Name: "VIP", Pred: spend.Ge(1000)},
		{Name: "loyal", Pred: orders.Ge(6)},
		{Name: "regular", Pred: spend.Ge(100)},
		{Name: "occasional", Pred: orders.Ge(1)},
	}
	t, err := segment.Transitions(before, after, segs...)
	if err != nil {
		log.Fatal(err)
	}
	mv, err := segment.Movement(before, after, segs[0].Pred)
	if err != nil {
		log.Fatal(err)
	}
	c := mv.Counts()
	fmt.Printf("base: %d customers on %s, %d on %s (%d added, %d removed)\n\n",
		before.Len(), june.Format(time.DateOnly), after.Len(), july.Format(time.DateOnly), c.Added, c.Removed)
	fmt.Printf("VIP (spend >= 1000 in 12 months): %d stayed, %d entered (%d of them new customers), %d exited\n\n",
		c.Stayed, c.Entered, mv.Entered.AndCardinality(mv.Added), c.Exited)

	fmt.Println("transition matrix, June (rows) to July (columns):")
	printMatrix(t)
	fmt.Println("\nrows (none added) sum to the June base, columns (none removed) to the July base.")
}

func printMatrix(t *segment.TransitionMatrix) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "June \\ July\t")
	for _, c := range t.Cols {
		fmt.Fprintf(w, "%s\t", c)
	}
	fmt.Fprintln(w, "total\t")
	rows := t.RowTotals()
	for i, name := range t.Rows {
		fmt.Fprintf(w, "%s\t", name)
		for _, n := range t.Counts[i] {
			fmt.Fprintf(w, "%d\t", n)
		}
		fmt.Fprintf(w, "%d\t\n", rows[i])
	}
	fmt.Fprint(w, "total\t")
	for _, n := range t.ColTotals() {
		fmt.Fprintf(w, "%d\t", n)
	}
	fmt.Fprintln(w, "\t")
	w.Flush()
}

// buildBase makes n customers with skewed 12-month spend and order counts.
func buildBase(r *rand.Rand, n int, asOf time.Time) *segment.Base {
	b := segment.NewBuilder()
	for i := range n {
		vs := []segment.Value{}
		if o := int64(r.ExpFloat64() * 3); o > 0 {
			vs = append(vs, orders.Value(o), spend.Value(math.Round(float64(o)*r.ExpFloat64()*8000)/100),
				lastOrder.Value(asOf.Add(-time.Duration(r.IntN(365*24))*time.Hour)))
		} else {
			vs = append(vs, orders.Value(0), spend.Value(0))
		}
		if err := b.Add(fmt.Sprintf("cust-%05d", i), vs...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	return base
}

// nextMonth returns the base a month later: a third of the customers
// ordered again, some lapsed (their oldest orders left the 12-month window),
// 500 new customers signed up and 200 closed their account.
func nextMonth(r *rand.Rand, base *segment.Base, asOf time.Time) *segment.Base {
	t := base.Batch()
	n := base.IDCount()
	for id := range n {
		key, _ := base.Key(id)
		switch x := r.IntN(100); {
		case x < 2:
			if err := t.Remove(key); err != nil {
				log.Fatal(err)
			}
		case x < 35:
			o := int64(1 + r.IntN(4))
			if err := t.Set(key, orders.Value(o+int64(r.IntN(3))), spend.Value(math.Round(float64(o)*r.ExpFloat64()*9000)/100),
				lastOrder.Value(asOf.Add(-time.Duration(r.IntN(30*24))*time.Hour))); err != nil {
				log.Fatal(err)
			}
		case x < 50:
			if err := t.Set(key, orders.Value(0), spend.Value(0)); err != nil {
				log.Fatal(err)
			}
		}
	}
	for i := range 500 {
		o := int64(1 + r.IntN(3))
		if err := t.Add(fmt.Sprintf("cust-new-%04d", i), orders.Value(o), spend.Value(math.Round(float64(o)*r.ExpFloat64()*6000)/100),
			lastOrder.Value(asOf.Add(-time.Duration(r.IntN(30*24))*time.Hour))); err != nil {
			log.Fatal(err)
		}
	}
	next, err := t.Apply()
	if err != nil {
		log.Fatal(err)
	}
	return next
}
