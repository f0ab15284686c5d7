// Command clv predicts customer lifetime value with the BG/NBD and
// Gamma-Gamma models: it generates a synthetic cohort, fits both models on
// a 52-week calibration period, checks the predicted purchases against the
// 26-week holdout, and lists the customers with the highest predicted
// value. When the folder given with -data (../shared/data by default, where
// it sits beside a checkout of the repository) holds cdnow_sample.txt, the
// CDNOW sample of the BG/NBD papers, it also fits the models there and
// prints the published estimates beside its own.
//
//	go run ./examples/clv [-data DIR]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/score/scoretest"
)

const week = 7 * 24 * time.Hour

var dataDir = flag.String("data", "../shared/data", "`folder` holding cdnow_sample.txt, the CDNOW sample of the BG/NBD papers")

func main() {
	flag.Parse()
	cfg := scoretest.Default(20000, 2)
	txns := scoretest.Generate(cfg)
	asOf := cfg.Start.AddDate(0, 0, 52*7).Add(-time.Second) // the end of week 52
	calib, err := score.Summarize(txns, asOf, score.Unit(week), score.DropAfterAsOf())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("synthetic cohort: %d customers, %d transactions; calibration ends %s\n",
		len(calib), len(txns), asOf.Format("2006-01-02"))

	bg, err := score.FitBGNBD(calib)
	if err != nil {
		log.Fatal(err)
	}
	gg, err := score.FitGammaGamma(calib)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("BG/NBD      fit  r=%.3f alpha=%.3f a=%.3f b=%.3f\n", bg.R, bg.Alpha, bg.A, bg.B)
	t := cfg.Purchases
	fmt.Printf("            true r=%.3f alpha=%.3f a=%.3f b=%.3f\n", t.R, t.Alpha, t.A, t.B)
	fmt.Printf("Gamma-Gamma fit  p=%.2f q=%.2f v=%.2f\n", gg.P, gg.Q, gg.V)
	fmt.Printf("            true p=%.2f q=%.2f v=%.2f\n", cfg.Spend.P, cfg.Spend.Q, cfg.Spend.V)

	// Holdout check: purchases in the 26 weeks after calibration.
	const holdout = 26.0
	end := asOf.Add(26 * week)
	actual := 0
	seen := map[string]map[string]bool{} // purchase days per customer in the holdout
	for _, x := range txns {
		if x.Time.After(asOf) && !x.Time.After(end) {
			d := x.Time.Format("2006-01-02")
			if seen[x.Key] == nil {
				seen[x.Key] = map[string]bool{}
			}
			if !seen[x.Key][d] {
				seen[x.Key][d] = true
				actual++
			}
		}
	}
	var predicted float64
	for _, s := range calib {
		predicted += bg.ExpectedPurchases(holdout, s)
	}
	fmt.Printf("holdout purchases (26 weeks): predicted %.0f, actual %d\n", predicted, actual)

	// 12-month CLV, monthly discounting at 1%, as net profit with the
	// cohort's 30% margin.
	h := score.Horizon{Periods: 12, Length: 52.0 / 12, Rate: 0.01}
	type ranked struct {
		s   score.Summary
		clv float64
	}
	var all []ranked
	for _, s := range calib {
		v, err := score.CLV(bg, gg, s, h)
		if err != nil {
			log.Fatal(err)
		}
		all = append(all, ranked{s, v * cfg.Margin})
	}
	slices.SortFunc(all, func(a, b ranked) int {
		if a.clv != b.clv {
			if a.clv > b.clv {
				return -1
			}
			return 1
		}
		return strings.Compare(a.s.Key, b.s.Key)
	})
	fmt.Println("\nhighest predicted 12-month profit:")
	fmt.Println("  customer   x   t_x     T      P(alive)  E[spend]  CLV profit")
	for _, r := range all[:5] {
		fmt.Printf("  %s %3d %5.1f %5.1f   %6.3f   %8.2f  %9.2f\n",
			r.s.Key, r.s.Frequency, r.s.Recency, r.s.T, bg.PAlive(r.s), gg.ExpectedSpend(r.s), r.clv)
	}
	if path := dataFile("cdnow_sample.txt",
		"To fit the CDNOW sample too, save CDNOW_sample.txt of github.com/CamDavidsonPilon/lifetimes\n"+
			"(folder lifetimes/datasets) as DIR/cdnow_sample.txt and run go run ./examples/clv -data DIR"); path != "" {
		cdnow(path)
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

// cdnow fits both models on the CDNOW sample in the file at path.
func cdnow(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var txns []score.Transaction
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			continue
		}
		day, err1 := time.Parse("20060102", fs[2])
		amt, err2 := strconv.ParseFloat(fs[4], 64)
		if err1 != nil || err2 != nil {
			log.Fatalf("%s: bad line %q", path, sc.Text())
		}
		txns = append(txns, score.Transaction{Key: fs[1], Time: day, Amount: amt})
	}
	if err := sc.Err(); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	asOf := time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	s, err := score.Summarize(txns, asOf, score.Unit(week), score.DropAfterAsOf())
	if err != nil {
		log.Fatal(err)
	}
	bg, err := score.FitBGNBD(s)
	if err != nil {
		log.Fatal(err)
	}
	gg, err := score.FitGammaGamma(s)
	if err != nil {
		log.Fatal(err)
	}
	ll, _ := bg.LogLikelihood(s)
	fmt.Printf("\nCDNOW sample (%d customers, calibration to %s):\n", len(s), asOf.Format("2006-01-02"))
	fmt.Printf("  BG/NBD      r=%.3f alpha=%.3f a=%.3f b=%.3f LL=%.1f  (published 0.243, 4.414, 0.793, 2.426, -9582.4)\n", bg.R, bg.Alpha, bg.A, bg.B, ll)
	fmt.Printf("  Gamma-Gamma p=%.2f q=%.2f v=%.2f  (published 6.25, 3.74, 15.44)\n", gg.P, gg.Q, gg.V)
}
