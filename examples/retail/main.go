// Command retail runs the whole microseg workflow on real transactions: the
// UCI "Online Retail" data set, a year of invoices (2010-12-01 to
// 2011-12-09) of a UK online gift shop, 541,909 lines of about 4,300
// customers in 37 countries.
//
// It cleans the lines (returns kept and netted against the purchases they
// undo), summarizes each customer, fits the BG/NBD and Gamma-Gamma models
// with their diagnostics, checks BG/NBD on 13 weeks it was not fitted on
// (drawn as a chart), scores every customer (12-month CLV, P(alive), RFM
// with its named segment as a field), splits the base into micro-segments
// by country and value, describes segments as personas, finds look-alikes
// of the champions, measures overlaps, and writes and reads a snapshot.
//
//	go run ./examples/retail [-data FILE] [-svg FILE]
//
// The data (CC BY 4.0, Daqing Chen, UCI Machine Learning Repository,
// https://doi.org/10.24432/C5BW33) is not in the repository: it is 48 MB.
// Without it the program says where to get it and exits.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math"
	"os"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

var (
	dataFile = flag.String("data", "../shared/data/online_retail_2010_2011.csv", "the UCI Online Retail data as CSV")
	svgFile  = flag.String("svg", "", "write the holdout chart as SVG to this `file` (default: an ASCII chart only)")
)

const howto = `The UCI Online Retail data set is not here. Get it (CC BY 4.0) from
  https://archive.ics.uci.edu/dataset/352/online+retail   (Online Retail.xlsx: save as CSV)
or as CSV from github.com/databricks/Spark-The-Definitive-Guide, data/retail-data/by-day/*.csv
(concatenate the files, one header), then run
  go run ./examples/retail -data online_retail.csv`

// Fields of the customer base.
var (
	country  = segment.NewCat[string]("country")
	returner = segment.NewFlag("returner")      // returned goods at least once
	orders   = segment.NewInt("orders")         // purchase days
	revenue  = segment.NewDecimal("revenue", 2) // net of returns, in GBP
	clv      = segment.NewDecimal("clv", 2)     // expected revenue in the next 12 months
	pAlive   = segment.NewDecimal("p_alive", 3)
	decile   = segment.NewInt("clv_decile")
	rfm      = score.NewRFMFields("rfm")
)

func main() {
	log.SetFlags(0)
	flag.Parse()
	d, err := load(*dataFile)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Printf("%s: not found; the retail example is skipped.\n%s\n", *dataFile, howto)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %s lines\n", *dataFile, count(d.lines))
	fmt.Printf("  dropped %s without a customer, %s with no price, %s of postage, fees and adjustments\n",
		count(d.noCustomer), count(d.noPrice), count(d.service))
	fmt.Printf("  kept %s lines of %s customers: %s purchases and %s returns\n\n",
		count(len(d.txns)), count(len(d.customers)), count(len(d.txns)-d.returns), count(d.returns))

	// 1. Summaries: a purchase is a day with goods bought, in weeks, returns
	// netted against the purchases before them.
	asOf := time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC)
	opts := []score.Option{score.Unit(score.Week), score.Returns(score.NetReturns)}
	sums, err := score.Summarize(d.txns, asOf, opts...)
	if err != nil {
		log.Fatal(err)
	}
	repeat := 0
	for _, s := range sums {
		if s.Frequency > 0 {
			repeat++
		}
	}
	fmt.Printf("summaries as of %s: %s customers, %s repeat buyers; %d customers returned all they bought and have none\n",
		asOf.Format("2006-01-02"), count(len(sums)), count(repeat), len(d.customers)-len(sums))

	// 2. Fits with diagnostics. A year of data may show too little dropout
	// to pin BG/NBD's b down: the fit then says so, and a small penalty on
	// the log-parameters fits it anyway.
	bg := fitBGNBD(sums, "  ")
	gg, ggRep, err := score.FitGammaGammaReport(sums)
	if err != nil {
		log.Fatal(err)
	}
	printReport(ggRep, "  ")

	// 3. Holdout check: fit on the weeks to 2011-09-10, compare with the 13
	// weeks after.
	holdoutCheck(d.txns, opts)

	// 4. Scores, aligned with the summaries.
	h := score.Horizon{Periods: 12, Every: score.Month, Unit: score.Week, Rate: 0.01}
	values := make([]float64, len(sums))
	alive := make([]float64, len(sums))
	nOrders := make([]int, len(sums))
	spent := make([]float64, len(sums))
	for i, s := range sums {
		if values[i], err = score.CLV(bg, gg, s, h); err != nil {
			log.Fatal(err)
		}
		alive[i] = bg.PAlive(s)
		nOrders[i] = s.Frequency + 1
		spent[i] = s.Revenue
	}
	deciles, err := score.Ntiles(values, 10)
	if err != nil {
		log.Fatal(err)
	}
	rfmScores, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		log.Fatal(err)
	}
	top20, err := score.TopShare(values, 0.2)
	if err != nil {
		log.Fatal(err)
	}
	var total float64
	for _, v := range values {
		total += v
	}
	fmt.Printf("\n12-month CLV (monthly, 1%% discount): £%s in all; the top 20%% of customers hold %.0f%%\n", money(total), 100*top20)

	// 5. The base: the customers with their country and return flag, and the
	// scores, built in one call. Customers with no summary have no scores.
	countries := make([]string, len(d.customers))
	returned := make([]bool, len(d.customers))
	for i, k := range d.customers {
		countries[i], returned[i] = d.country[k], d.returned[k]
	}
	scores := []score.Scores{
		score.Ints(orders, nOrders),
		score.Decimals(revenue, spent),
		score.Decimals(clv, values),
		score.Decimals(pAlive, alive),
		rfm.Scores(rfmScores),
	}
	cols, err := score.AttachColumns(d.customers, sums, scores...)
	if err != nil {
		log.Fatal(err)
	}
	cols = append(cols, country.Column(countries, nil), returner.Column(returned, nil))
	base, err := segment.FromColumns(d.customers, cols...)
	if err != nil {
		log.Fatal(err)
	}
	// A score computed later goes onto the snapshot with Attach.
	if base, err = score.Attach(base, sums, score.Ints(decile, deciles)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("base: %s customers, %d fields\n", count(base.Len()), len(base.Fields()))

	// 6. RFM segments are a field: split by it, with their CLV.
	cells, err := segment.Split(base, rfm.Label.Known(), []segment.Dim{segment.By(rfm.Label)}, segment.SumOf(clv))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("\nRFM segments                 customers   12-month CLV   per customer")
	for _, c := range cells {
		fmt.Printf("  %-26s %9s   £%11s   £%8s\n", c.Labels[0], count(c.Count), money(c.Sum), money(c.Sum/float64(c.Count)))
	}

	// 7. Micro-segments: country by value band, the biggest first.
	micro, err := segment.Split(base, clv.Known(),
		[]segment.Dim{segment.By(country), segment.DecimalBands(clv, 100, 500, 2000)},
		segment.MinSize(25), segment.MaxSegments(8), segment.SumOf(clv), segment.RankByValue())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("\nmicro-segments by country x CLV band (at least 25 customers, by value)")
	for _, m := range micro {
		fmt.Printf("  %-16s %-18s %6s customers  £%10s\n", m.Labels[0], m.Labels[1], count(m.Count), money(m.Sum))
	}

	// 8. Personas: what champions and customers at risk have in common,
	// leaving out the RFM fields that define them.
	omit := persona.Omit(rfm.Fields()...)
	champions := rfm.Label.Eq("champions")
	for _, name := range []string{"champions", "at risk"} {
		prof, err := persona.Describe(base, base.Eval(rfm.Label.Eq(name)), omit)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("\npersona of %s: %s\n", name, persona.New(prof, persona.MaxTraits(4)).Summary)
	}

	// 9. Look-alikes: the 200 non-champions most like the champions.
	seed := base.Eval(champions)
	fans, err := persona.Lookalike(base, seed, 200, omit, persona.Omit(decile))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\n200 look-alikes of the %s champions:", count(seed.GetCardinality()))
	for _, c := range rfm.Label.Counts(base, fans) {
		if c.Count > 0 {
			fmt.Printf(" %s %d,", c.Value, c.Count)
		}
	}
	fanStats, _ := base.NumberStats(clv, fans, 0.5)
	allStats, _ := base.NumberStats(clv, base.Live(), 0.5)
	fmt.Printf(" median CLV £%s against £%s for the base\n", money(fanStats.Quantiles[0]), money(allStats.Quantiles[0]))

	// 10. Overlap: how the RFM view and the model's view agree.
	segs := []struct {
		name string
		pred segment.Pred
	}{
		{"champions", champions},
		{"top CLV decile", decile.Eq(10)},
		{"P(alive) < 0.8", pAlive.Lt(0.8)},
		{"RFM at risk or can't lose", rfm.Label.In("at risk", "can't lose")},
	}
	preds := make([]segment.Pred, len(segs))
	for i, s := range segs {
		preds[i] = s.pred
	}
	ov := segment.Overlap(base, preds...)
	fmt.Println("\noverlap (share of the row's customers also in the column)")
	fmt.Printf("  %-26s %6s", "", "size")
	for j := range segs {
		fmt.Printf("  %5d", j+1)
	}
	fmt.Println()
	for i, s := range segs {
		fmt.Printf("  %d %-24s %6s", i+1, s.name, count(ov.Size(i)))
		for j := range segs {
			fmt.Printf("  %4.0f%%", 100*ov.Coverage(i, j))
		}
		fmt.Println()
	}
	lost := roaring.And(fans, base.Eval(pAlive.Lt(0.8))).GetCardinality()
	fmt.Printf("  look-alikes with P(alive) < 0.8: %d of 200\n", lost)

	// 11. Snapshot: write the base and read it back.
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		log.Fatal(err)
	}
	size := buf.Len()
	back, err := segment.ReadBase(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nsnapshot: %s bytes; read back, %s customers, %s champions\n", count(size), count(back.Len()), count(back.Count(champions)))
}

// holdoutCheck fits BG/NBD on the purchases to 2011-09-10 and compares
// what it expects with what the customers did in the 13 weeks after, by
// calibration frequency and week by week. The shop sells gifts: its
// autumn rush before Christmas is more than a model of steady buying
// rates expects, and the chart shows it.
func holdoutCheck(txns []score.Transaction, opts []score.Option) {
	calEnd := time.Date(2011, 9, 10, 0, 0, 0, 0, time.UTC)
	obsEnd := time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC)
	h, err := score.SplitCalibration(txns, calEnd, obsEnd, opts...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nholdout check: BG/NBD fitted on %s customers to %s, their purchases in the %.0f weeks after\n",
		count(len(h.Calibration)), calEnd.Format("2006-01-02"), h.Length)
	bg := fitBGNBD(h.Calibration, "  ")
	groups, err := h.ByFrequency(bg, 7)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("  repeat purchases   customers   actual   expected  (mean per customer)")
	for _, g := range groups {
		x := fmt.Sprint(g.Frequency)
		if g.OrMore {
			x += "+"
		}
		fmt.Printf("  %16s   %9s   %6.2f   %8.2f\n", x, count(g.Customers), g.Actual, g.Expected)
	}
	track, err := h.Track(bg, 1)
	if err != nil {
		log.Fatal(err)
	}
	actual, expected, from := weekly(track, 1)
	last := track[len(track)-1]
	var atCal score.TrackPoint
	for _, p := range track {
		if !p.Holdout {
			atCal = p
		}
	}
	fmt.Printf("  cumulative repeat purchases: %s actual, %s expected at the calibration end; %s and %s at the end\n\n",
		count(int(atCal.Actual)), count(int(math.Round(atCal.Expected))), count(int(last.Actual)), count(int(math.Round(last.Expected))))
	fmt.Println("  weekly repeat purchases")
	asciiChart(os.Stdout, actual, expected, from, 12)
	if *svgFile != "" {
		f, err := os.Create(*svgFile)
		if err != nil {
			log.Fatal(err)
		}
		err = svgChart(f, actual, expected, from, "Online Retail: weekly repeat purchases, actual and expected by BG/NBD")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("  chart written to %s\n", *svgFile)
	}
}

// fitBGNBD fits BG/NBD and prints the report. When the data cannot
// identify a parameter (a *score.DegenerateFitError) it says which and
// fits again with score.Penalizer(0.001), as the error suggests.
func fitBGNBD(sums []score.Summary, indent string) score.BGNBD {
	bg, rep, err := score.FitBGNBDReport(sums)
	var de *score.DegenerateFitError
	if errors.As(err, &de) {
		fmt.Printf("%sBG/NBD plain fit: parameter %s runs towards %v (%.3g when the optimizer stopped): refit with Penalizer(0.001)\n",
			indent, de.Param, de.Toward, de.Value)
		bg, rep, err = score.FitBGNBDReport(sums, score.Penalizer(0.001))
	}
	if err != nil {
		log.Fatal(err)
	}
	printReport(rep, indent)
	return bg
}

// printReport prints a fit's parameters with their standard errors,
// log-likelihood and convergence.
func printReport(r score.FitReport, indent string) {
	var ps []string
	for i, p := range r.Params {
		s := fmt.Sprintf("%s=%.4g", strings.ToLower(p), r.Estimates[i])
		if r.StdErrors != nil {
			s += fmt.Sprintf(" ± %.2g", r.StdErrors[i])
		}
		ps = append(ps, s)
	}
	conv := "converged"
	if !r.Converged {
		conv = "NOT converged"
	}
	fmt.Printf("%s%-11s %s; LL %.1f on %s customers, %d iterations, %s\n",
		indent, r.Model, strings.Join(ps, ", "), r.LogLikelihood, count(r.Customers), r.Iterations, conv)
}

// count prints an integer with thousands separators.
func count[N int | uint64](n N) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// money prints an amount rounded to pounds with thousands separators.
func money(x float64) string {
	if x < 0 {
		return "-" + money(-x)
	}
	return count(int(math.Round(x)))
}
