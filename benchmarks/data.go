package benchmarks

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Sizes of the synthetic schema.
const (
	NumCountries  = 50  // country codes 0..49, code 0 the most frequent (Zipf)
	NumGenders    = 3   // gender codes 0..2
	NumCategories = 30  // product categories 0..29
	MaxBought     = 5   // categories bought per customer, 0..5
	MinAge        = 18  // youngest age
	MaxAge        = 90  // oldest age
	NumDays       = 730 // last purchase day in [0, NumDays)
)

// Missing marks a missing Gender or Age.
const Missing = -1

// Customer is one row of the synthetic base. Gender and Age are Missing when
// unknown; every other field always has a value.
type Customer struct {
	Income    int64  // whole currency units, log-normal
	Purchases uint16 // number of purchases, geometric (>= 10 for about 3%)
	LastDay   uint16 // day of the last purchase, in [0, NumDays)
	Country   uint8  // 0..NumCountries-1
	Gender    int8   // 0..NumGenders-1 or Missing
	Age       int8   // MinAge..MaxAge or Missing
	Active    bool   // true for about 60%
	NBought   uint8  // number of valid entries in Bought
	Bought    [MaxBought]uint8
}

// Has reports whether c bought category k.
func (c *Customer) Has(k uint8) bool {
	for _, b := range c.Bought[:c.NBought] {
		if b == k {
			return true
		}
	}
	return false
}

// Data is a generated customer base: customer i has ID i.
type Data struct {
	Rows []Customer
}

// Seed is the fixed seed of Generate.
const Seed = 20261125

// Generate returns n customers drawn from a fixed-seed PCG generator: the
// same n always gives the same rows.
func Generate(n int) *Data {
	r := rand.New(rand.NewPCG(Seed, uint64(n)))
	zc := rand.NewZipf(r, 1.1, 2, NumCountries-1)
	zk := rand.NewZipf(r, 1.05, 4, NumCategories-1)
	rows := make([]Customer, n)
	for i := range rows {
		c := &rows[i]
		c.Country = uint8(zc.Uint64())
		switch g := r.Float64(); {
		case g < 0.05:
			c.Gender = Missing
		case g < 0.52:
			c.Gender = 0
		case g < 0.97:
			c.Gender = 1
		default:
			c.Gender = 2
		}
		if r.Float64() < 0.1 {
			c.Age = Missing
		} else {
			// A triangular shape between 18 and 90, peaking in the forties.
			a := MinAge + (r.Float64()+r.Float64())/2*float64(MaxAge-MinAge+1)
			c.Age = int8(min(int(a), MaxAge))
		}
		c.Income = max(1, int64(math.Exp(10.4+0.7*r.NormFloat64())))
		c.Active = r.Float64() < 0.6
		nb := r.IntN(MaxBought + 1)
		for int(c.NBought) < nb {
			k := uint8(zk.Uint64())
			if !c.Has(k) {
				c.Bought[c.NBought] = k
				c.NBought++
			}
		}
		p := 0
		for r.Float64() >= 0.3 && p < 200 { // geometric, p = 0.3
			p++
		}
		c.Purchases = uint16(p)
		c.LastDay = uint16(r.IntN(NumDays))
	}
	return &Data{Rows: rows}
}

// IncomeQuantile returns the q-quantile (0 <= q <= 1) of the incomes.
func (d *Data) IncomeQuantile(q float64) int64 {
	if len(d.Rows) == 0 {
		return 0
	}
	inc := make([]int64, len(d.Rows))
	for i := range d.Rows {
		inc[i] = d.Rows[i].Income
	}
	slices.Sort(inc)
	return inc[min(len(inc)-1, int(q*float64(len(inc))))]
}
