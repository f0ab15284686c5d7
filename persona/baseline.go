package persona

import (
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Baseline is the reference side of profiles, computed once: the value
// counts and number summaries of a reference set (the whole base unless
// Reference says otherwise). Profiling many segments of one base against the
// same reference with Against(baseline) skips recomputing it; on a large
// base the reference's quantiles are most of the work of Describe. A
// Baseline is immutable and safe for concurrent use.
type Baseline struct {
	base   *segment.Base
	ref    *roaring.Bitmap // live customers of the reference; nil: the whole base
	size   uint64
	name   string // how a persona names the reference
	fields map[string]refField
}

type refField struct {
	counts  []segment.ValueCount
	numbers *Numbers
	cuts    segment.NumberStats // the cutQuantiles of a numeric field
}

// NewBaseline computes the reference side of profiles of base: over the
// live customers of the set that Reference names, or the whole base. Only
// and Omit choose the fields; Describe computes a field the baseline lacks
// on the fly.
func NewBaseline(base *segment.Base, opts ...BaselineOption) (*Baseline, error) {
	if base == nil {
		return nil, fmt.Errorf("persona: baseline: %w", ErrNilBase)
	}
	return newBaseline(base, baselineOptions(opts)), nil
}

// Against makes Describe take the reference side from a baseline of the
// same base, instead of computing it (Reference is then ignored). A baseline
// of another base is an error (ErrInvalidArgument).
func Against(b *Baseline) DescribeOption { return option(func(o *options) { o.baseline = b }) }

func newBaseline(base *segment.Base, o *options) *Baseline {
	var ref *roaring.Bitmap // nil: the whole base
	if o.ref != nil {
		ref = base.Live()
		ref.And(o.ref)
	}
	b := &Baseline{base: base, ref: ref, size: uint64(base.Len()), name: o.refName, fields: map[string]refField{}}
	if b.name == "" {
		b.name = "the base"
		if ref != nil {
			b.name = "the reference"
		}
	}
	if ref != nil {
		b.size = ref.GetCardinality()
	}
	for _, fi := range base.Fields() {
		if o.useField(fi.Name) {
			b.fields[fi.Name] = b.compute(fi)
		}
	}
	return b
}

func (b *Baseline) compute(fi segment.FieldInfo) refField {
	switch fi.Kind {
	case segment.KindCat, segment.KindSet, segment.KindFlag:
		return refField{counts: b.base.ValueCounts(declared(b.base, fi.Name), b.ref)}
	}
	nums, cuts := numbers(b.base, declared(b.base, fi.Name), b.ref)
	return refField{numbers: nums, cuts: cuts}
}
