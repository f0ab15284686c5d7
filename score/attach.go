package score

import (
	"fmt"
	"maps"
	"slices"

	"github.com/fabeed28/microseg/segment"
)

// attach sets, for every key in scores, the values made by value, and
// clears fields for the live customers without a score, so that the fields
// of the new snapshot hold exactly the scores given.
func attach(base *segment.Base, fields []segment.Field, keys []string, value func(key string) ([]segment.Value, error)) (*segment.Base, error) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name()
	}
	slices.Sort(keys) // deterministic order: the first bad key reported is the smallest
	b := base.Batch()
	for _, k := range keys {
		if _, ok := base.ID(k); !ok {
			return nil, fmt.Errorf("score: attach %v: customer %q: not a live customer of the base: %w", names, k, ErrUnknownKey)
		}
		vs, err := value(k)
		if err != nil {
			return nil, err
		}
		if err := b.Set(k, vs...); err != nil {
			return nil, fmt.Errorf("score: attach %v: %w", names, err)
		}
	}
	// Clear stale values of customers without a score, for fields the
	// base already has.
	var stale []segment.Field
	for _, f := range fields {
		if _, ok := base.Field(f.Name()); ok {
			stale = append(stale, f)
		}
	}
	if len(stale) > 0 && len(keys) < base.Len() {
		scored := make(map[string]bool, len(keys))
		for _, k := range keys {
			scored[k] = true
		}
		for k := range base.Keys(base.Live()) {
			if !scored[k] {
				if err := b.Clear(k, stale...); err != nil {
					return nil, fmt.Errorf("score: attach %v: %w", names, err)
				}
			}
		}
	}
	nb, err := b.Apply()
	if err != nil {
		return nil, fmt.Errorf("score: attach %v: %w", names, err)
	}
	return nb, nil
}

// AttachInt returns a new snapshot of base in which field holds the given
// integer scores, keyed by customer key, so that the scores work with the
// same predicates as every other field (field.Ge(4), field.Between(8, 10)).
// Afterwards the field holds exactly these scores: live customers without
// one have no value, even if an older score was there. base is unchanged. A
// key that is not a live customer of base is an error wrapping
// ErrUnknownKey; errors from the segment package (a value out of the
// field's range, a field kind conflict) are wrapped.
func AttachInt(base *segment.Base, field segment.Int, scores map[string]int64) (*segment.Base, error) {
	return attach(base, []segment.Field{field}, slices.Collect(maps.Keys(scores)), func(k string) ([]segment.Value, error) {
		return []segment.Value{field.Value(scores[k])}, nil
	})
}

// AttachDecimal is AttachInt for a fixed-point field, the field for money
// such as lifetime value or profit: each score is rounded to the field's
// scale. A NaN or infinite score is rejected by the segment package with
// segment.ErrInvalidValue.
func AttachDecimal(base *segment.Base, field segment.Decimal, scores map[string]float64) (*segment.Base, error) {
	return attach(base, []segment.Field{field}, slices.Collect(maps.Keys(scores)), func(k string) ([]segment.Value, error) {
		return []segment.Value{field.Value(scores[k])}, nil
	})
}

// RFMFields are the integer fields that hold RFM scores in a base: one per
// score and one for the cell code (555).
type RFMFields struct {
	R, F, M segment.Int
	Cell    segment.Int
}

// NewRFMFields declares the fields of RFM scores named prefix+"_r",
// prefix+"_f", prefix+"_m" and prefix+"_cell".
func NewRFMFields(prefix string) RFMFields {
	return RFMFields{
		R:    segment.NewInt(prefix + "_r"),
		F:    segment.NewInt(prefix + "_f"),
		M:    segment.NewInt(prefix + "_m"),
		Cell: segment.NewInt(prefix + "_cell"),
	}
}

// Attach returns a new snapshot of base in which the fields hold the given
// RFM scores, with the rules of AttachInt: customers without scores have no
// value afterwards, and an unknown key or a key given twice is an error.
func (f RFMFields) Attach(base *segment.Base, scores []RFM) (*segment.Base, error) {
	byKey := make(map[string]RFM, len(scores))
	for _, s := range scores {
		if _, dup := byKey[s.Key]; dup {
			return nil, fmt.Errorf("score: attach RFM: customer %q given twice, want one score per customer: %w", s.Key, ErrInvalidArgument)
		}
		byKey[s.Key] = s
	}
	fields := []segment.Field{f.R, f.F, f.M, f.Cell}
	return attach(base, fields, slices.Collect(maps.Keys(byKey)), func(k string) ([]segment.Value, error) {
		s := byKey[k]
		return []segment.Value{f.R.Value(int64(s.R)), f.F.Value(int64(s.F)), f.M.Value(int64(s.M)), f.Cell.Value(int64(s.Code()))}, nil
	})
}

// Segment returns the predicate of a named RFM segment over the score
// fields (see RFMSegment for the map). Other matches the customers with
// scores outside every named cell; customers without scores match no
// segment, Other included.
func (f RFMFields) Segment(g RFMSegment) segment.Pred {
	if g == Other {
		named := make([]segment.Pred, 0, len(rfmCells))
		for _, c := range rfmCells {
			named = append(named, f.Segment(c.seg))
		}
		return segment.And(f.R.Known(), f.F.Known(), segment.Not(segment.Or(named...)))
	}
	for _, c := range rfmCells {
		if c.seg != g {
			continue
		}
		boxes := make([]segment.Pred, len(c.boxes))
		for i, b := range c.boxes {
			boxes[i] = segment.And(f.R.Between(int64(b.rLo), int64(b.rHi)), f.F.Between(int64(b.fLo), int64(b.fHi)))
		}
		if len(boxes) == 1 {
			return boxes[0]
		}
		return segment.Or(boxes...)
	}
	return segment.None()
}
