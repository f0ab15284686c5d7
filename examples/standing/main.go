// Standing keeps a few segments current over a synthetic customer base while
// daily batches of orders arrive: after each batch it prints who entered
// and left each segment (the events a campaign reacts to), then the flows
// between segments of one day and a report of segment sizes over a week.
// One segment is relative to the as-of time ("ordered in the last 30
// days"); moving the as-of time a day forward moves it even without a batch.
//
//	go run ./examples/standing
package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/fabeed28/microseg/segment"
)

var (
	spend     = segment.NewDecimal("spend_12m", 2) // EUR in the last 12 months
	orders    = segment.NewIntRange("orders_12m", 0, 10_000)
	lastOrder = segment.NewTime("last_order")
	country   = segment.NewCat[string]("country")
)

func main() {
	r := rand.New(rand.NewPCG(5, 8))
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	base := buildBase(r, 50_000, day)

	st, err := segment.NewStanding(base,
		segment.Named{Name: "VIP", Pred: spend.Ge(1000)},
		segment.Named{Name: "loyal", Pred: orders.Ge(6)},
		segment.Named{Name: "NL regulars", Pred: segment.And(country.Eq("NL"), orders.Ge(2))},
	)
	if err != nil {
		log.Fatal(err)
	}
	st.Advance(day) // sets the as-of time for the windows
	if err := st.AddWindow(segment.Window{Name: "active 30d", Field: lastOrder, Last: 30 * 24 * time.Hour}); err != nil {
		log.Fatal(err)
	}
	if err := st.AddWindow(segment.Window{Name: "lapsing VIP", Pred: spend.Ge(1000), Field: lastOrder,
		Last: 60 * 24 * time.Hour, Outside: true}); err != nil {
		log.Fatal(err)
	}

	fmt.Printf("%d customers on %s; segments kept current batch by batch\n\n", base.Len(), day.Format(time.DateOnly))
	for range 7 {
		day = day.AddDate(0, 0, 1)
		// Time moves first: customers drop out of "active 30d" and into
		// "lapsing VIP" with no batch at all.
		report(st, "as of "+day.Format(time.DateOnly), st.Advance(day))
		t := dailyOrders(r, st.Base(), day)
		_, deltas, err := st.Apply(t)
		if err != nil {
			log.Fatal(err)
		}
		report(st, fmt.Sprintf("orders of %s (%d customers)", day.Format(time.DateOnly), t.Len()), deltas)
	}

	h := st.History()
	fmt.Println("\nflows of the last batch (customers it touched, first segment in list order):")
	printFlows(h[len(h)-1].Flows)

	fmt.Println("\nsegment sizes after each step:")
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "step\t")
	for _, n := range st.Names() {
		fmt.Fprintf(w, "%s\t", n)
	}
	fmt.Fprintln(w)
	for i, s := range h {
		kind := "batch"
		if s.Kind == segment.StepAsOf {
			kind = "as-of"
		}
		fmt.Fprintf(w, "%d %s %s\t", i+1, kind, s.AsOf.Format("01-02"))
		for _, n := range s.Sizes {
			fmt.Fprintf(w, "%d\t", n)
		}
		fmt.Fprintln(w)
	}
	w.Flush()
}

// report prints the entries and exits of one step.
func report(st *segment.Standing, what string, deltas []segment.Delta) {
	fmt.Printf("%-36s", what)
	for _, d := range deltas {
		if n, x := d.Entered.GetCardinality(), d.Exited.GetCardinality(); n+x > 0 {
			fmt.Printf("  %s +%d -%d", d.Name, n, x)
		}
	}
	fmt.Println()
}

func printFlows(t *segment.TransitionMatrix) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "from \\ to\t")
	for _, c := range t.Cols {
		fmt.Fprintf(w, "%s\t", c)
	}
	fmt.Fprintln(w)
	for i, row := range t.Counts {
		fmt.Fprintf(w, "%s\t", t.Rows[i])
		for _, n := range row {
			fmt.Fprintf(w, "%d\t", n)
		}
		fmt.Fprintln(w)
	}
	w.Flush()
}

var countries = []string{"NL", "BE", "DE", "FR", "GB"}

// account is what the service itself knows of a customer: the base holds
// a copy of it as fields.
type account struct {
	orders int64
	spend  float64
}

var accounts []account // by customer number

// buildBase makes n customers with a year of orders before asOf.
func buildBase(r *rand.Rand, n int, asOf time.Time) *segment.Base {
	b := segment.NewBuilder()
	for i := range n {
		a := account{orders: int64(r.IntN(12))}
		vals := []segment.Value{country.Value(countries[r.IntN(len(countries))]), orders.Value(a.orders)}
		if a.orders > 0 {
			a.spend = float64(a.orders) * (20 + r.Float64()*150)
			vals = append(vals, spend.Value(a.spend),
				lastOrder.Value(asOf.Add(-time.Duration(r.IntN(365*24))*time.Hour)))
		}
		accounts = append(accounts, a)
		if err := b.Add("c"+strconv.Itoa(i), vals...); err != nil {
			log.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	return base
}

// dailyOrders returns the batch of one day: orders of 400 customers, 50 of
// them new, stamped with the day.
func dailyOrders(r *rand.Rand, base *segment.Base, day time.Time) *segment.Batch {
	t := base.Batch()
	for range 350 {
		i := r.IntN(len(accounts))
		a := &accounts[i]
		a.orders++
		a.spend += 20 + r.Float64()*400
		if err := t.Set("c"+strconv.Itoa(i), orders.Value(a.orders), spend.Value(a.spend), lastOrder.Value(day)); err != nil {
			log.Fatal(err)
		}
	}
	for range 50 {
		a := account{orders: 1, spend: 20 + r.Float64()*200}
		if err := t.Add("c"+strconv.Itoa(len(accounts)), country.Value(countries[r.IntN(len(countries))]),
			orders.Value(a.orders), spend.Value(a.spend), lastOrder.Value(day)); err != nil {
			log.Fatal(err)
		}
		accounts = append(accounts, a)
	}
	return t
}
