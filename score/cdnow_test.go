package score_test

import (
	"bufio"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabeed28/microseg/internal/realdata"
	"github.com/fabeed28/microseg/score"
)

// cdnowAsOf is the end of the 39-week calibration period of the CDNOW
// sample used in the BG/NBD papers.
var cdnowAsOf = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)

const week = 7 * 24 * time.Hour

// readCSV reads a CSV file with a header into rows of fields by column name.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for i, v := range r {
			m[head[i]] = strings.TrimSpace(v)
		}
		rows = append(rows, m)
	}
	return rows
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cdnowSummaries reads cdnow_customers_summary.csv (ID,frequency,recency,T).
func cdnowSummaries(t *testing.T) []score.Summary {
	t.Helper()
	var out []score.Summary
	for _, r := range readCSV(t, realdata.Path(t, "cdnow_customers_summary.csv")) {
		out = append(out, score.Summary{
			Key:       r["ID"],
			Frequency: atoi(t, r["frequency"]),
			Recency:   atof(t, r["recency"]),
			T:         atof(t, r["T"]),
		})
	}
	return out
}

// cdnowSpend reads cdnow_customers_summary_with_transactions.csv
// (ID,x,t_x,T,zbar), with zbar as Monetary.
func cdnowSpend(t *testing.T) []score.Summary {
	t.Helper()
	var out []score.Summary
	for _, r := range readCSV(t, realdata.Path(t, "cdnow_customers_summary_with_transactions.csv")) {
		out = append(out, score.Summary{
			Key:       r["ID"],
			Frequency: atoi(t, r["x"]),
			Recency:   atof(t, r["t_x"]),
			T:         atof(t, r["T"]),
			Monetary:  atof(t, r["zbar"]),
		})
	}
	return out
}

// cdnowTransactions reads cdnow_sample.txt: master id, sample id, date
// yyyymmdd, CDs, dollars. The key is the sample id without leading zeros,
// as in the summary files.
func cdnowTransactions(t *testing.T) []score.Transaction {
	t.Helper()
	f, err := os.Open(realdata.Path(t, "cdnow_sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []score.Transaction
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			continue
		}
		day, err := time.Parse("20060102", fs[2])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, score.Transaction{
			Key:    strconv.Itoa(atoi(t, fs[1])),
			Time:   day,
			Amount: atof(t, fs[4]),
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
