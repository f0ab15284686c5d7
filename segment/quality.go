package segment

import (
	"fmt"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
)

// FieldQuality says how complete, how fresh and how plausible one field of
// a base is.
type FieldQuality struct {
	Name         string
	Kind         Kind
	Known        uint64  // live customers with a value
	Missing      uint64  // live customers without one
	MissingShare float64 // Missing / live customers, 0 to 1 (0 for an empty base)
	Distinct     uint64  // distinct values among the live customers
	// Outdated counts, for a Time field that MaxAge names, the values older
	// than its max age: strictly before asOf minus the max age. It is 0 for
	// other fields.
	Outdated uint64
	// Findings lists what a person reading the field would question, in
	// this order: outliers below and above the median, rare values (rarest
	// first), times before and after the plausible window, outdated times.
	// It is nil when nothing was found.
	Findings []Finding
}

// FindingKind says which rule of Quality a Finding comes from.
type FindingKind uint8

// The kinds of finding.
const (
	FindingOutlier         FindingKind = iota + 1 // a number far from the field's median
	FindingRare                                   // a categorical value few customers hold
	FindingImplausibleDate                        // a time outside the plausible window
	FindingOutdated                               // a last-seen time older than its max age
)

var findingNames = [...]string{"invalid", "outlier", "rare value", "implausible date", "outdated"}

// String returns the kind's name: "outlier", "rare value", "implausible
// date" or "outdated".
func (k FindingKind) String() string {
	if int(k) < len(findingNames) {
		return findingNames[k]
	}
	return fmt.Sprintf("FindingKind(%d)", uint8(k))
}

// Finding is one group of suspicious values of a field: the customers one
// rule flags, on one side of the field's values (outliers and implausible
// dates come as a low and a high finding) or with one value (rare values).
type Finding struct {
	Kind FindingKind
	// Rule states the rule with its numbers, as a person reads it, such as
	// `modified z-score 0.6745·|x − median|/MAD > 3.5 (median 1970, MAD 9):
	// below 1923.3`.
	Rule  string
	Value any     // the value of a FindingRare (a V of Cat[V] or Set[V]); nil for the other kinds
	Count uint64  // live customers flagged
	Share float64 // Count / the field's Known, 0 to 1
	// Examples lists up to MaxExamples flagged customers (3 by default):
	// the most extreme values first for numbers and times, in ID order for
	// a rare value.
	Examples []Flagged
}

// Flagged is an example customer of a Finding: its key and its value of the
// field, typed as the field reads: an int64 for an Int, a float64 for a
// Decimal (12.34, not 1234 units), a time.Time in UTC for a Time, the V of
// a Cat[V] or Set[V].
type Flagged struct {
	Key   string
	Value any
}

// Quality reports per field, in the order of Fields, how many live
// customers have a value, the share that miss one, the number of distinct
// values, and the findings a person reading the data would question, each
// with the rule that flagged it, a count and example customer keys. The
// rules:
//
//   - Numbers (Int and Decimal fields): outliers by the modified z-score of
//     Iglewicz and Hoaglin, M = 0.6745·(x − median) / MAD, where MAD is the
//     median absolute deviation, the median of |x − median| over the
//     field's values. Both medians are the ones NumberStats reports (an
//     even count takes the mean of the middle two), computed exactly. A
//     value with |M| > 3.5 is an outlier (OutlierZ changes the cut-off);
//     those below and those above the median are two findings. A year kept
//     as an Int is a number like any other: birth years of 1893 and 1900
//     among births from 1940 to 1996 are outliers. A field whose MAD is 0,
//     because more than half of its values are equal (a 0/1 indicator, a
//     number of children), has no outliers by this rule. On a field with a
//     long tail, such as spend, the rule flags the tail: raise the cut-off
//     for it with OutlierZ, or turn the rule off with OutlierZ(math.Inf(1),
//     field).
//   - Categories (Cat and Set fields): a value held by fewer than 5
//     customers and by less than 1% of the field's known customers is rare
//     (RareBelow changes both), one finding per value. Rare values are
//     reported only while the field has frequent values: when the rare
//     values together are held by less than that share of the known
//     customers. A field of mostly unique values, such as an e-mail
//     address, reports none.
//   - Times: a value outside the plausible window, [asOf minus 120 years,
//     asOf] unless DateRange sets another, is an implausible date (the
//     future, or older than any living customer). Only the Time fields
//     that MaxAge names as last-seen times age: their values older than the
//     max age are outdated. A signup date of 2012 is neither.
//
// Flag fields have no findings, and Time fields are not checked by the
// numeric rule. A customer may be in more than one finding. Example keys
// come from the base's key dictionary.
//
// The findings make no pass over the customers: they come from the
// fields' bitmaps and bit-sliced indexes. For a numeric field of p bit
// planes the median takes O(p) bitmap operations and the MAD O(p²) (a
// binary search over deviations whose every step counts a range of values
// among a shrinking set of candidates); each example value O(p) more. On a
// million customers the rules take tens of milliseconds per numeric field.
// Distinct counts few values by walking the bit planes and decodes the
// values of a field with many: that count is the one linear pass.
//
// Quality returns an *ArgError (errors.Is ErrInvalidArgument) for a zero
// asOf, an option value out of range, and a field an option names that b
// has with another kind than the option needs. An option naming a field b
// does not have does nothing.
func Quality(b *Base, asOf time.Time, opts ...QualityOption) ([]FieldQuality, error) {
	if asOf.IsZero() {
		return nil, &ArgError{Func: "Quality", Err: ErrInvalidValue, Msg: "asOf is the zero time"}
	}
	o := makeQualityOptions(opts)
	if err := o.check(b); err != nil {
		return nil, err
	}
	live := b.live.GetCardinality()
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
			q.Findings = c.rareValues(b, &o)
		case c.bsi != nil && q.Known > 0:
			q.Distinct = distinctInts(c.bsi, c.known)
			switch c.spec.kind {
			case KindInt, KindDecimal:
				q.Findings = c.outliers(b, &o)
			case KindTime:
				q.Findings = c.implausibleDates(b, &o, asOf)
				if d, ok := o.maxAge[c.spec.name]; ok {
					f := c.outdated(b, &o, asOf, d)
					q.Outdated = f.Count
					if f.Count > 0 {
						q.Findings = append(q.Findings, f)
					}
				}
			}
		}
		for j := range q.Findings {
			q.Findings[j].Share = ratio(float64(q.Findings[j].Count), float64(q.Known))
		}
		out[i] = q
	}
	return out, nil
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
