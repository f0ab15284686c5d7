package persona

import (
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Trait is one value of a Cat, Set or Flag field, or one range of an Int,
// Decimal or Time field, as held by the members of a segment and by its
// reference set (the whole base unless Reference says otherwise).
type Trait struct {
	Field string // the field's name
	// Value is the value as fmt.Sprint prints it, or a range as a person
	// writes it, at the field's scale: "70-99" (an Int), "1,000.00-1,999.99"
	// (a Decimal of scale 2), "2026-10-26 to 2026-11-25" (a Time, by its UTC
	// dates), a single value when the range holds one.
	Value string
	// Raw is the value itself: a V of Cat[V] or Set[V], a bool for a Flag,
	// a Range for an Int, Decimal or Time field.
	Raw            any
	Count          uint64  // members with the value
	Share          float64 // Count / members; 0 for an empty segment
	ReferenceCount uint64  // reference customers with the value
	ReferenceShare float64 // ReferenceCount / reference customers
	// Lift is Share / ReferenceShare: 2 means twice as common among the
	// members as in the reference. It is 0 when Count is 0 and +Inf when
	// only members have the value.
	Lift float64
	// Z is the significance of the difference: the z-score of the members'
	// share against the reference share, (Share−p)/sqrt(p(1−p)/members)
	// with p = ReferenceShare. |Z| > 3 is very unlikely by chance. It is 0
	// for an empty segment or when p is 1, and ±Inf when p is 0.
	Z float64
}

// Numbers summarizes an Int, Decimal or Time field over a set of customers:
// Decimal values scaled to their decimal places, Time values as Unix
// seconds. Quantiles interpolate linearly between order statistics (see
// segment.Base.NumberStats). With Count 0 every number is 0.
type Numbers struct {
	Count, Missing          uint64
	Mean, Min, Max          float64
	P10, P25, P50, P75, P90 float64
}

// FieldProfile is the profile of one field.
type FieldProfile struct {
	Name  string
	Kind  segment.Kind
	Scale int // decimal places of a Decimal field, else 0
	// Coverage is the number of members with a value (for a Set field, at
	// least one value); CoverageShare divides it by the members.
	Coverage      uint64
	CoverageShare float64
	// Values holds one trait per value of a Cat, Set or Flag field that a
	// live customer of the base holds, in the order of base.Values (Flag:
	// false, true), including values no member holds. For an Int, Decimal
	// or Time field it holds the range where the members over-index most
	// (see Describe), or nothing when no range does.
	Values []Trait
	// Numbers and Reference summarize an Int, Decimal or Time field over the
	// members and over the reference; both nil for other kinds.
	Numbers, Reference *Numbers
}

// Profile describes a segment's members against a reference set. It is
// plain data: it keeps no reference to the base, and cmp.Diff compares it
// as it is.
type Profile struct {
	Size          uint64  // live members
	BaseSize      uint64  // live customers of the base
	Share         float64 // Size / BaseSize; 0 for an empty base
	ReferenceSize uint64  // live customers of the reference set
	// ReferenceName names the reference in a persona's words: the name
	// given with ReferenceName, else "the base" for the whole base and "the
	// reference" for a set named with Reference.
	ReferenceName string
	Fields        []FieldProfile
	// Traits holds every field's Values, field after field: one trait per
	// value of every Cat, Set and Flag field and at most one range per
	// Int, Decimal and Time field.
	Traits []Trait
}

// source is what describe computed a profile from.
type source struct {
	base    *segment.Base
	members *roaring.Bitmap // live members
	ref     *roaring.Bitmap // live reference customers; nil: every live customer
}

// countIn counts the customers of bm in set, nil meaning every customer.
func countIn(bm, set *roaring.Bitmap) uint64 {
	if set == nil {
		return bm.GetCardinality()
	}
	return bm.AndCardinality(set)
}

// Describe profiles members against the whole base, or against the set that
// Reference names. Members that are not live customers of the base are
// ignored (members is intersected with base.Live() first), and a nil or
// empty members gives a valid profile of an empty segment. Only and Omit
// choose the fields profiled.
//
// A numeric field becomes a trait through the range of its values where the
// members over-index most: the closed range [lo, hi] that maximizes the
// members' share in it minus the reference's share in it (what subgroup
// discovery calls weighted relative accuracy, up to a factor). Candidate
// ranges start and end at the members' and the reference's quantiles in
// steps of 10% (minimum and maximum included, rounded up to whole units:
// integers for an Int); the best one is then narrowed to the members'
// smallest and largest value in it. For a segment defined by a number, such
// as spending score >= 70, that range is the definition itself: "spending
// score 70-99". Its lift and z-score are those of any trait; since the range
// was chosen to stand out, the z-score overstates its significance a little.
//
// Against takes the reference side from a Baseline computed once, which
// is what profiling many segments of a large base interactively wants.
//
// The work is a few bitmap operations per distinct value of each Cat, Set
// and Flag field and per bit plane of each numeric field, times the number
// of candidate cuts of its range trait (at most 23, one range predicate
// each); it never visits members one by one.
func Describe(base *segment.Base, members *roaring.Bitmap, opts ...DescribeOption) (*Profile, error) {
	p, _, err := describe(base, members, opts)
	return p, err
}

// describe is Describe, which also returns what the profile was computed
// from.
func describe(base *segment.Base, members *roaring.Bitmap, opts []DescribeOption) (*Profile, *source, error) {
	if base == nil {
		return nil, nil, fmt.Errorf("persona: describe: %w", ErrNilBase)
	}
	o := describeOptions(opts)
	bl := o.baseline
	if bl == nil {
		bl = newBaseline(base, o)
	} else if bl.base != base {
		return nil, nil, fmt.Errorf("persona: describe: %w: the baseline belongs to another base", ErrInvalidArgument)
	}
	m := base.Live()
	if members == nil {
		m.Clear()
	} else {
		m.And(members)
	}
	p := &Profile{Size: m.GetCardinality(), BaseSize: uint64(base.Len()), ReferenceSize: bl.size, ReferenceName: bl.name}
	p.Share = ratio(p.Size, p.BaseSize)
	for _, fi := range base.Fields() {
		if !o.useField(fi.Name) {
			continue
		}
		rf, ok := bl.fields[fi.Name]
		if !ok {
			rf = bl.compute(fi)
		}
		fp := FieldProfile{Name: fi.Name, Kind: fi.Kind}
		if fi.Kind == segment.KindDecimal {
			fp.Scale = fi.Scale
		}
		f := declared(base, fi.Name)
		fp.Coverage, _ = base.KnownCount(f, m)
		fp.CoverageShare = ratio(fp.Coverage, p.Size)
		switch fi.Kind {
		case segment.KindCat, segment.KindSet, segment.KindFlag:
			for i, vc := range base.ValueCounts(f, m) {
				fp.Values = append(fp.Values, newTrait(fi.Name, vc.Value, vc.Count, p.Size, rf.counts[i].Count, p.ReferenceSize))
			}
			p.Traits = append(p.Traits, fp.Values...)
		default:
			var cuts segment.NumberStats
			fp.Numbers, cuts = numbers(base, f, m)
			fp.Reference = rf.numbers
			if t, ok := rangeTrait(base, fi.Name, newNumField(base, fi), m, bl.ref, p.Size, p.ReferenceSize, cuts, rf.cuts); ok {
				fp.Values = []Trait{t}
				p.Traits = append(p.Traits, t)
			}
		}
		p.Fields = append(p.Fields, fp)
	}
	return p, &source{base: base, members: m, ref: bl.ref}, nil
}

// quantiles are the Numbers' quantiles, then the cutQuantiles of range
// traits: all selected in one walk.
var quantiles = append([]float64{0.1, 0.25, 0.5, 0.75, 0.9}, cutQuantiles...)

// numbers summarizes f over ids (nil: every live customer), and returns
// its cutQuantiles as well.
func numbers(base *segment.Base, f segment.Field, ids *roaring.Bitmap) (*Numbers, segment.NumberStats) {
	st, _ := base.NumberStats(f, ids, quantiles...)
	q := st.Quantiles
	n := &Numbers{Count: st.Count, Missing: st.Missing, Mean: st.Mean, Min: st.Min, Max: st.Max,
		P10: q[0], P25: q[1], P50: q[2], P75: q[3], P90: q[4]}
	st.Quantiles = q[5:]
	return n, st
}

func newTrait(field string, v any, count, size, refCount, refSize uint64) Trait {
	t := Trait{Field: field, Value: fmt.Sprint(v), Raw: v, Count: count, ReferenceCount: refCount}
	t.Share = ratio(count, size)
	t.ReferenceShare = ratio(refCount, refSize)
	t.Lift = lift(t.Share, t.ReferenceShare)
	t.Z = zscore(t.Share, t.ReferenceShare, size)
	return t
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func lift(share, ref float64) float64 {
	switch {
	case share == 0:
		return 0
	case ref == 0:
		return math.Inf(1)
	}
	return share / ref
}

func zscore(share, ref float64, n uint64) float64 {
	if n == 0 || ref >= 1 {
		return 0
	}
	if ref <= 0 {
		if share > 0 {
			return math.Inf(1)
		}
		return 0
	}
	return (share - ref) / math.Sqrt(ref*(1-ref)/float64(n))
}
