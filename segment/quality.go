package segment

import (
	"math"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
)

// FieldQuality says how complete and how fresh one field of a base is.
type FieldQuality struct {
	Name         string
	Kind         Kind
	Known        uint64  // live customers with a value
	Missing      uint64  // live customers without one
	MissingShare float64 // Missing / live customers, 0 to 1 (0 for an empty base)
	Distinct     uint64  // distinct values among the live customers
	// Outdated counts, for a Time field, the values older than the maxAge
	// given to Quality: strictly before asOf-maxAge. It is 0 for other
	// kinds.
	Outdated uint64
}

// Quality reports per field, in the order of Fields, how many live
// customers have a value, the share that miss one, the number of distinct
// values, and for Time fields how many values are older than maxAge as of
// asOf, so that segments are not built on fields that are mostly empty or
// stale without anyone noticing.
func Quality(b *Base, asOf time.Time, maxAge time.Duration) []FieldQuality {
	live := b.live.GetCardinality()
	cutoff := asOf.Add(-maxAge).Unix()
	out := make([]FieldQuality, len(b.cols))
	for i, c := range b.cols {
		q := FieldQuality{Name: c.spec.name, Kind: c.spec.kind, Known: c.known.GetCardinality()}
		q.Missing = live - q.Known
		q.MissingShare = ratio(float64(q.Missing), float64(live))
		switch {
		case c.bitmapKind():
			for _, bm := range c.bms {
				if !bm.IsEmpty() {
					q.Distinct++
				}
			}
		case c.bsi != nil && q.Known > 0:
			q.Distinct = distinctInts(c.bsi, c.known)
			if c.spec.kind == KindTime && cutoff > math.MinInt64 {
				q.Outdated = c.bsi.Range(c.known, math.MinInt64, cutoff-1).GetCardinality()
			}
		}
		out[i] = q
	}
	return out
}

// distinctBudget bounds the bitmap operations of the bit-plane walk of
// distinctInts before it decodes the values instead.
const distinctBudget = 1 << 14

// distinctInts counts the distinct values of the customers in known. It
// walks the bit planes from the top, splitting the customers by each bit: a
// few bitmap operations per distinct value and plane, fast for ages, flags
// and bands. When the values are too many for that, it decodes and sorts
// them.
func distinctInts(x *bsi.BSI, known *roaring.Bitmap) uint64 {
	type node struct {
		bm    *roaring.Bitmap
		plane int
	}
	stack := []node{{known, len(x.Planes) - 1}}
	var n uint64
	for ops := 0; len(stack) > 0; ops++ {
		if ops > distinctBudget {
			return distinctDecoded(x, known)
		}
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if nd.plane < 0 || nd.bm.GetCardinality() == 1 {
			n++
			continue
		}
		p := x.Planes[nd.plane]
		if one := roaring.And(nd.bm, p); !one.IsEmpty() {
			stack = append(stack, node{one, nd.plane - 1})
		}
		if zero := roaring.AndNot(nd.bm, p); !zero.IsEmpty() {
			stack = append(stack, node{zero, nd.plane - 1})
		}
	}
	return n
}

func distinctDecoded(x *bsi.BSI, known *roaring.Bitmap) uint64 {
	vals := make([]int64, 0, known.GetCardinality())
	x.Decode(known, func(_ uint32, v int64) { vals = append(vals, v) })
	slices.Sort(vals)
	return uint64(len(slices.Compact(vals)))
}
