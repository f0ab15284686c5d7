package score_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabeed28/microseg/internal/realdata"
	"github.com/fabeed28/microseg/score"
)

var retail struct {
	once sync.Once
	by   map[string][]score.Transaction
	err  error
}

// retailByCountry reads online_retail_2010_2011.csv once per test binary
// and returns the purchases (cancellations, non-positive quantities and
// prices, and rows without a customer left out) by the country of each
// customer's first row, with Quantity·UnitPrice as the amount.
func retailByCountry(t *testing.T) map[string][]score.Transaction {
	t.Helper()
	path := realdata.Path(t, "online_retail_2010_2011.csv")
	retail.once.Do(func() { retail.by, retail.err = readRetail(path) })
	if retail.err != nil {
		t.Fatal(retail.err)
	}
	return retail.by
}

func readRetail(path string) (map[string][]score.Transaction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, err
	}
	country := map[string]string{}
	out := map[string][]score.Transaction{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(rec[0], "C") || rec[6] == "" {
			continue
		}
		q, err1 := strconv.Atoi(rec[3])
		p, err2 := strconv.ParseFloat(rec[5], 64)
		if err1 != nil || err2 != nil || q <= 0 || p <= 0 {
			continue
		}
		tm, err := time.Parse("2006-01-02 15:04:05", rec[4])
		if err != nil {
			return nil, err
		}
		key := strings.TrimSuffix(rec[6], ".0")
		c, ok := country[key]
		if !ok {
			c = rec[7]
			country[key] = c
		}
		out[c] = append(out[c], score.Transaction{Key: key, Time: tm, Amount: float64(q) * p})
	}
	return out, nil
}

// TestRetailCountries fits BG/NBD and Gamma-Gamma per country of the UCI
// Online Retail data, plain and with Penalizer: each fit returns finite
// parameters with finite predictions for every customer, or a documented
// error (too few customers, no repeat buyers, or a degenerate fit), never
// a bare ErrNotConverged and never a silent runaway.
func TestRetailCountries(t *testing.T) {
	by := retailByCountry(t)
	asOf := time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC)
	countries := slices.Sorted(maps.Keys(by))
	documented := func(err error) bool {
		var de *score.DegenerateFitError
		return errors.Is(err, score.ErrTooFewCustomers) || errors.Is(err, score.ErrNoRepeatBuyers) ||
			(errors.As(err, &de) && errors.Is(err, score.ErrDegenerateFit))
	}
	outcome := func(err error, params ...float64) string {
		if err != nil {
			var de *score.DegenerateFitError
			if errors.As(err, &de) {
				return fmt.Sprintf("degenerate (%s -> %.3g)", de.Param, de.Value)
			}
			for _, e := range []error{score.ErrTooFewCustomers, score.ErrNoRepeatBuyers} {
				if errors.Is(err, e) {
					return e.Error()
				}
			}
			return err.Error()
		}
		return fmt.Sprintf("%.3g", params)
	}
	for _, c := range countries {
		s, err := score.Summarize(by[c], asOf, score.Unit(7*24*time.Hour))
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		for _, opt := range []struct {
			name string
			opts []score.FitOption
		}{{"plain", nil}, {"Penalizer(0.01)", []score.FitOption{score.Penalizer(0.01)}}} {
			bg, errBG := score.FitBGNBD(s, opt.opts...)
			gg, errGG := score.FitGammaGamma(s, opt.opts...)
			t.Logf("%-20s %4d customers, %-15s BG/NBD %s, Gamma-Gamma %s", c, len(s), opt.name,
				outcome(errBG, bg.R, bg.Alpha, bg.A, bg.B), outcome(errGG, gg.P, gg.Q, gg.V))
			for _, err := range []error{errBG, errGG} {
				if err != nil && !documented(err) {
					t.Errorf("%s, %s: %v, want finite parameters or a documented error", c, opt.name, err)
				}
			}
			if errBG != nil {
				continue
			}
			if errGG != nil {
				gg = cdnowSpendModel // still check the BG/NBD predictions
			}
			checkPredictions(t, bg, gg, s)
		}
	}
}
