package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fabeed28/microseg/score"
)

// retail is the cleaned Online Retail data: the invoice lines of customers,
// purchases with a positive amount and returns (the lines of cancelled
// invoices) with a negative one, and each customer's country.
type retail struct {
	txns      []score.Transaction
	customers []string          // in order of first appearance
	country   map[string]string // the country of the customer's first line
	returned  map[string]bool   // customers with at least one return line

	lines, noCustomer, noPrice, service, returns int
}

// load reads the UCI Online Retail CSV (InvoiceNo, StockCode, Description,
// Quantity, InvoiceDate, UnitPrice, CustomerID, Country) and cleans it:
//
//   - lines without a CustomerID are dropped: they cannot be scored;
//   - lines with a zero or negative UnitPrice are dropped (free samples,
//     "adjust bad debt");
//   - lines whose StockCode does not start with a digit are dropped:
//     postage, carriage, bank charges, fees, discounts and manual
//     adjustments are not goods;
//   - lines of cancelled invoices (InvoiceNo "C...", negative Quantity)
//     are kept as returns, with a negative amount, for score.NetReturns.
//
// The amount of a line is Quantity·UnitPrice in pounds sterling; times are
// read as UTC. CustomerID is printed as a float ("17850.0") in this copy.
func load(path string) (*retail, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	want := []string{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"}
	if strings.Join(head, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("%s: header %q, want %q", path, head, want)
	}
	d := &retail{country: map[string]string{}, returned: map[string]bool{}}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		d.lines++
		key := strings.TrimSuffix(rec[6], ".0")
		if key == "" {
			d.noCustomer++
			continue
		}
		q, err := strconv.Atoi(rec[3])
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: Quantity %q: %w", path, d.lines+1, rec[3], err)
		}
		price, err := strconv.ParseFloat(rec[5], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: UnitPrice %q: %w", path, d.lines+1, rec[5], err)
		}
		if price <= 0 {
			d.noPrice++
			continue
		}
		if c := rec[1]; c == "" || c[0] < '0' || c[0] > '9' {
			d.service++
			continue
		}
		tm, err := time.Parse("2006-01-02 15:04:05", rec[4])
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: InvoiceDate %q: %w", path, d.lines+1, rec[4], err)
		}
		if _, ok := d.country[key]; !ok {
			d.country[key] = rec[7]
			d.customers = append(d.customers, key)
		}
		if q < 0 {
			d.returns++
			d.returned[key] = true
		}
		d.txns = append(d.txns, score.Transaction{Key: key, Time: tm, Amount: float64(q) * price})
	}
	return d, nil
}
