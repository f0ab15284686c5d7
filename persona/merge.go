package persona

import (
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Parts is a profile in a form that merges: what Describe counts, kept as
// counts and sketches. A fleet of service instances, each holding the base
// of one shard of the customers, profiles a segment by asking every shard
// for the Parts of its members (DescribeParts), merging them (MergeParts)
// and making the profile of the merge (Parts.Profile): the profile
// Describe makes of one base of all the customers, with every count,
// share, lift and z-score exact, the numbers' count, missing count,
// minimum and maximum exact, the mean exact up to rounding, and the
// quantiles within the rank error of the sketches (exact while a shard
// holds no more than SketchPoints values of a field). What does not merge
// is left out: the range trait of a numeric field, which Describe finds by
// searching the members' values (a coordinator that wants it counts a
// range of its choice on every shard, with base.Count and the field's
// Between, and adds the counts).
//
// The fields are exported so that Parts crosses the wire as it is; the
// Raw values of Cat and Set fields keep their Go types only through an
// encoding that keeps them (gob with the types registered, say).
type Parts struct {
	Size          uint64 // live members
	BaseSize      uint64 // live customers of the base
	ReferenceSize uint64 // live customers of the reference set
	ReferenceName string
	Fields        []FieldParts
}

// FieldParts is the mergeable profile of one field: for a Cat, Set or Flag
// field, one count per value among the members and among the reference;
// for an Int, Decimal or Time field, a sketch of the members' values and
// one of the reference's.
type FieldParts struct {
	Name     string
	Kind     segment.Kind
	Scale    int
	Coverage uint64 // members with a value
	// Values lists, for a Cat, Set or Flag field, every value a live
	// customer holds with its count among the members (Count) and among
	// the reference (ReferenceCount), as Describe lists them.
	Values []PartValue
	// Numbers and Reference sketch an Int, Decimal or Time field over the
	// members and over the reference; nil for other kinds.
	Numbers, Reference *segment.NumberSketch
}

// PartValue is one value of a Cat, Set or Flag field with its counts.
type PartValue struct {
	Raw            any // a V of Cat[V] or Set[V], a bool for a Flag
	Count          uint64
	ReferenceCount uint64
}

// SketchPoints is the number of points of the sketches DescribeParts
// makes: a quantile of a merge of s shards of n values each is within
// about (s+1)·n/1,000 ranks of the exact one, and exact while n <= 1,000.
const SketchPoints = 1000

// DescribeParts returns the Parts of members against the reference that
// opts choose, as Describe takes them (Reference, ReferenceName, Only,
// Omit, Against), with the errors of Describe.
func DescribeParts(base *segment.Base, members *roaring.Bitmap, opts ...DescribeOption) (*Parts, error) {
	p, src, err := describe(base, members, opts)
	if err != nil {
		return nil, err
	}
	out := &Parts{Size: p.Size, BaseSize: p.BaseSize, ReferenceSize: p.ReferenceSize, ReferenceName: p.ReferenceName}
	for _, fp := range p.Fields {
		fr := FieldParts{Name: fp.Name, Kind: fp.Kind, Scale: fp.Scale, Coverage: fp.Coverage}
		switch fp.Kind {
		case segment.KindCat, segment.KindSet, segment.KindFlag:
			fr.Values = make([]PartValue, len(fp.Values))
			for i, t := range fp.Values {
				fr.Values[i] = PartValue{Raw: t.Raw, Count: t.Count, ReferenceCount: t.ReferenceCount}
			}
		default:
			f, _ := base.Declared(fp.Name)
			m, _ := base.NumberSketch(f, src.members, SketchPoints)
			ref := src.ref
			if ref == nil {
				ref = base.Live()
			}
			r, _ := base.NumberSketch(f, ref, SketchPoints)
			fr.Numbers, fr.Reference = &m, &r
		}
		out.Fields = append(out.Fields, fr)
	}
	return out, nil
}

// MergeParts returns the Parts of the members of all the parts, which must
// describe disjoint sets of customers (one per shard) against references
// of the same name: sizes and counts add, sketches merge. Fields and
// values come in the order of their first appearance (parts[0] first),
// which is the order of one base when the shards hold consecutive ranges
// of customers in the order they were added; Flag values come as false,
// then true. It returns an error wrapping ErrInvalidArgument for no parts,
// a nil part, references of different names, or a field of two kinds.
func MergeParts(parts ...*Parts) (*Parts, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("persona: merge parts: no parts: %w", ErrInvalidArgument)
	}
	out := &Parts{}
	at := make(map[string]int)
	values := make(map[string]map[any]int)
	for i, p := range parts {
		if p == nil {
			return nil, fmt.Errorf("persona: merge parts: parts[%d] is nil: %w", i, ErrInvalidArgument)
		}
		if i == 0 {
			out.ReferenceName = p.ReferenceName
		} else if p.ReferenceName != out.ReferenceName {
			return nil, fmt.Errorf("persona: merge parts: parts[%d] is against %q, parts[0] against %q: %w", i, p.ReferenceName, out.ReferenceName, ErrInvalidArgument)
		}
		out.Size += p.Size
		out.BaseSize += p.BaseSize
		out.ReferenceSize += p.ReferenceSize
		for _, f := range p.Fields {
			k, ok := at[f.Name]
			if !ok {
				k = len(out.Fields)
				at[f.Name] = k
				values[f.Name] = make(map[any]int)
				out.Fields = append(out.Fields, FieldParts{Name: f.Name, Kind: f.Kind, Scale: f.Scale})
			}
			o := &out.Fields[k]
			if o.Kind != f.Kind || o.Scale != f.Scale {
				return nil, fmt.Errorf("persona: merge parts: field %q of parts[%d] is %v (scale %d), before %v (scale %d): %w",
					f.Name, i, f.Kind, f.Scale, o.Kind, o.Scale, ErrInvalidArgument)
			}
			o.Coverage += f.Coverage
			vs := values[f.Name]
			for _, v := range f.Values {
				j, ok := vs[v.Raw]
				if !ok {
					j = len(o.Values)
					vs[v.Raw] = j
					o.Values = append(o.Values, PartValue{Raw: v.Raw})
				}
				o.Values[j].Count += v.Count
				o.Values[j].ReferenceCount += v.ReferenceCount
			}
			o.Numbers = mergeSketch(o.Numbers, f.Numbers)
			o.Reference = mergeSketch(o.Reference, f.Reference)
		}
	}
	for i := range out.Fields {
		if vs := out.Fields[i].Values; len(vs) == 2 && vs[0].Raw == true && vs[1].Raw == false {
			vs[0], vs[1] = vs[1], vs[0]
		}
	}
	return out, nil
}

func mergeSketch(a, b *segment.NumberSketch) *segment.NumberSketch {
	switch {
	case b == nil:
		return a
	case a == nil:
		c := segment.MergeNumberSketches(*b)
		return &c
	}
	c := segment.MergeNumberSketches(*a, *b)
	return &c
}

// Profile returns the profile of the parts, as Describe makes it but for
// the range traits of numeric fields, which it leaves out (see Parts): a
// numeric field's Values is empty, and its Numbers and Reference come from
// the sketches. The profile is one made by hand for Compare and Diff: they
// cannot count a range trait of another profile among its members.
func (p *Parts) Profile() *Profile {
	out := &Profile{Size: p.Size, BaseSize: p.BaseSize, ReferenceSize: p.ReferenceSize, ReferenceName: p.ReferenceName,
		Share: ratio(p.Size, p.BaseSize)}
	for _, f := range p.Fields {
		fp := FieldProfile{Name: f.Name, Kind: f.Kind, Scale: f.Scale, Coverage: f.Coverage, CoverageShare: ratio(f.Coverage, p.Size)}
		for _, v := range f.Values {
			fp.Values = append(fp.Values, newTrait(f.Name, v.Raw, v.Count, p.Size, v.ReferenceCount, p.ReferenceSize))
		}
		out.Traits = append(out.Traits, fp.Values...)
		fp.Numbers, fp.Reference = sketchNumbers(f.Numbers), sketchNumbers(f.Reference)
		out.Fields = append(out.Fields, fp)
	}
	return out
}

// sketchNumbers returns the Numbers of a sketch, nil for none.
func sketchNumbers(s *segment.NumberSketch) *Numbers {
	if s == nil {
		return nil
	}
	n := &Numbers{Count: s.Count, Missing: s.Missing}
	if s.Count == 0 {
		return n
	}
	n.Mean, n.Min, n.Max = s.Mean(), s.Min, s.Max
	n.P10, n.P25, n.P50, n.P75, n.P90 = s.Quantile(0.1), s.Quantile(0.25), s.Quantile(0.5), s.Quantile(0.75), s.Quantile(0.9)
	return n
}
