package benchmarks

import (
	"math"
	"math/rand/v2"
	"sort"
)

// SweepTargets are the selectivities (shares of the base) a sweep visits:
// from 0.01% to 60%, denser between 1% and 20%, where per-value containers
// change from sparse arrays to dense words.
var SweepTargets = []float64{0.0001, 0.0003, 0.001, 0.003, 0.01, 0.02, 0.05, 0.10, 0.20, 0.60}

// Layout of the sweep data. Every field is built so that the term a sweep
// point uses matches, in expectation, exactly the target share of the base.
const (
	// SweepCatFields are the categorical fields c1, c2, c4, c8: field j has,
	// for each target g, a group of 1<<j codes (codes g<<j ... g<<j+(1<<j)-1)
	// of SweepTargets[g]>>j each, so "cK in (group g)" matches
	// SweepTargets[g]. The code len(SweepTargets)<<j takes the rest.
	SweepCatFields = 4
	// ScoreRange: score is uniform in [0, ScoreRange), so a range of width
	// w matches w/ScoreRange.
	ScoreRange = 10_000
	// SweepFlags: flag g is true with probability SweepTargets[g]; the last
	// (60%) is Q1's "active".
	SweepFlags = 10
	// Tags: a set field of SweepTags values, independent of each other.
	// Tag g < 10 is present with probability SweepTargets[g] (Has);
	// tags 10+4g ... 13+4g with 1-(1-T)^(1/4) each, so HasAny of the four
	// matches T (HasAnyK = 4); tags 50+2g, 51+2g with sqrt(T) each, so HasAll
	// of the two matches T (HasAllK = 2).
	SweepTags  = 70
	HasAnyK    = 4
	HasAllK    = 2
	tagHasAny0 = 10
	tagHasAll0 = tagHasAny0 + HasAnyK*10
)

// SweepRow is one customer of the sweep data, packed as a user who writes a
// row loop would pack it: the set of tags is a 128-bit mask, the flags a
// 16-bit mask. Age is as in Generate (18–90, triangular, 10% Missing).
type SweepRow struct {
	Tags  [2]uint64             // tag t is bit t%64 of Tags[t/64]
	Score int32                 // uniform in [0, ScoreRange)
	Flags uint16                // flag g is bit g
	Cat   [SweepCatFields]uint8 // c1, c2, c4, c8
	Age   int8                  // MinAge..MaxAge or Missing
}

// HasTag reports whether r has tag t.
func (r *SweepRow) HasTag(t uint8) bool { return r.Tags[t/64]>>(t%64)&1 == 1 }

// SweepData is a generated sweep base: row i has ID i.
type SweepData struct {
	Rows []SweepRow
}

// CatGroup returns the codes of categorical field j (1<<j codes) whose union
// matches SweepTargets[g].
func CatGroup(j, g int) []uint8 {
	k := 1 << j
	out := make([]uint8, k)
	for i := range out {
		out[i] = uint8(g*k + i)
	}
	return out
}

// HasAnyGroup returns the HasAnyK tags whose union matches SweepTargets[g].
func HasAnyGroup(g int) []uint8 {
	out := make([]uint8, HasAnyK)
	for i := range out {
		out[i] = uint8(tagHasAny0 + g*HasAnyK + i)
	}
	return out
}

// HasAllGroup returns the HasAllK tags whose intersection matches
// SweepTargets[g].
func HasAllGroup(g int) []uint8 {
	out := make([]uint8, HasAllK)
	for i := range out {
		out[i] = uint8(tagHasAll0 + g*HasAllK + i)
	}
	return out
}

// GenerateSweep returns n sweep rows from a fixed-seed PCG generator: the
// same n always gives the same rows.
func GenerateSweep(n int) *SweepData {
	r := rand.New(rand.NewPCG(Seed+1, uint64(n)))
	// Cumulative distributions of the categorical fields.
	var cdf [SweepCatFields][]float64
	for j := range cdf {
		k := 1 << j
		acc := 0.0
		for _, t := range SweepTargets {
			for range k {
				acc += t / float64(k)
				cdf[j] = append(cdf[j], acc)
			}
		}
		cdf[j] = append(cdf[j], math.Inf(1)) // the rest
	}
	// Thresholds for r.Uint64() < thr (probability p).
	thr := func(p float64) uint64 {
		if p >= 1 {
			return math.MaxUint64
		}
		return uint64(p * (1 << 63) * 2)
	}
	var flagThr [SweepFlags]uint64
	for g := range flagThr {
		flagThr[g] = thr(SweepTargets[g])
	}
	var tagThr [SweepTags]uint64
	for g, t := range SweepTargets {
		tagThr[g] = thr(t)
		for i := range HasAnyK {
			tagThr[tagHasAny0+g*HasAnyK+i] = thr(1 - math.Pow(1-t, 1/float64(HasAnyK)))
		}
		for i := range HasAllK {
			tagThr[tagHasAll0+g*HasAllK+i] = thr(math.Pow(t, 1/float64(HasAllK)))
		}
	}
	rows := make([]SweepRow, n)
	for i := range rows {
		c := &rows[i]
		for j := range c.Cat {
			c.Cat[j] = uint8(sort.SearchFloat64s(cdf[j], r.Float64()))
		}
		c.Score = int32(r.IntN(ScoreRange))
		for g, t := range flagThr {
			if r.Uint64() < t {
				c.Flags |= 1 << g
			}
		}
		for t, p := range tagThr {
			if r.Uint64() < p {
				c.Tags[t/64] |= 1 << (t % 64)
			}
		}
		if r.Float64() < 0.1 {
			c.Age = Missing
		} else {
			a := MinAge + (r.Float64()+r.Float64())/2*float64(MaxAge-MinAge+1)
			c.Age = int8(min(int(a), MaxAge))
		}
	}
	return &SweepData{Rows: rows}
}
