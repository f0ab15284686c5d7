package score

import (
	"maps"
	"slices"

	"github.com/fabeed28/microseg/segment"
)

// AttachInt returns a new snapshot of base in which field holds the given
// integer scores, keyed by customer key, so that the scores work with the
// same predicates as every other field (field.Ge(4), field.Between(8, 10)).
// Afterwards the field holds exactly these scores: live customers without
// one have no value, even if an older score was there. base is unchanged. A
// key that is not a live customer of base is an error wrapping
// ErrUnknownKey; errors from the segment package (a value out of the
// field's range, a field kind conflict) are wrapped.
func AttachInt(base *segment.Base, field segment.Int, scores map[string]int64) (*segment.Base, error) {
	keys, values := sortedScores(scores)
	return attachKeys(base, keys, []Scores{Ints(field, values)})
}

// sortedScores returns the keys of scores in order, so that the first bad
// key reported is the smallest, and their values.
func sortedScores[V any](scores map[string]V) ([]string, []V) {
	keys := slices.Sorted(maps.Keys(scores))
	values := make([]V, len(keys))
	for i, k := range keys {
		values[i] = scores[k]
	}
	return keys, values
}

// AttachDecimal is AttachInt for a fixed-point field, the field for money
// such as lifetime value or profit: each score is rounded to the field's
// scale. A NaN or infinite score is an error wrapping ErrInvalidArgument
// and segment.ErrInvalidValue.
func AttachDecimal(base *segment.Base, field segment.Decimal, scores map[string]float64) (*segment.Base, error) {
	keys, values := sortedScores(scores)
	return attachKeys(base, keys, []Scores{Decimals(field, values)})
}

// RFMFields are the fields that hold RFM scores in a base: an integer
// field per score, one for the cell code (555), and the categorical Label
// that names the customer's RFM segment ("champions", "at risk"), so that
// segment.Split, CountCube and persona.Describe can group by it.
type RFMFields struct {
	R, F, M segment.Int
	Cell    segment.Int
	// Label holds RFMSegment.String of each customer's scores: "champions",
	// "loyal", ..., "other". A Label with an empty name (the zero Cat) is
	// left out, so RFMFields declared before Label existed attach as they
	// did.
	Label segment.Cat[string]
}

// NewRFMFields declares the fields of RFM scores named prefix+"_r",
// prefix+"_f", prefix+"_m", prefix+"_cell" and, for the named segment,
// prefix+"_segment".
func NewRFMFields(prefix string) RFMFields {
	return RFMFields{
		R:     segment.NewInt(prefix + "_r"),
		F:     segment.NewInt(prefix + "_f"),
		M:     segment.NewInt(prefix + "_m"),
		Cell:  segment.NewInt(prefix + "_cell"),
		Label: segment.NewCat[string](prefix + "_segment"),
	}
}

// Fields returns the fields in the order Scores attaches them: R, F, M,
// Cell and, when it has a name, Label. Leave them out of the persona of a
// segment they define, persona.Omit(rfm.Fields()...), or its top trait
// says only that champions are champions.
func (f RFMFields) Fields() []segment.Field {
	out := []segment.Field{f.R, f.F, f.M, f.Cell}
	if f.Label.Name() != "" {
		out = append(out, f.Label)
	}
	return out
}

// Scores returns the RFM scores as Scores for Attach and AttachColumns:
// the R, F, M and Cell fields, and Label with the named segment. scores[i]
// must be the scores of the customer of summaries[i], as RFMScores returns
// them; Attach checks the keys.
func (f RFMFields) Scores(scores []RFM) Scores {
	ints := func(field segment.Int, get func(r RFM) int) scoreField {
		return scoreField{
			field: field,
			value: func(i int) segment.Value { return field.Value(int64(get(scores[i]))) },
			column: func(rows []int, present []bool) segment.Column {
				out := make([]int64, len(rows))
				for k, i := range rows {
					if i >= 0 {
						out[k] = int64(get(scores[i]))
					}
				}
				return field.Column(out, present)
			},
		}
	}
	out := Scores{n: len(scores), key: func(i int) string { return scores[i].Key }}
	out.fields = []scoreField{
		ints(f.R, func(r RFM) int { return r.R }),
		ints(f.F, func(r RFM) int { return r.F }),
		ints(f.M, func(r RFM) int { return r.M }),
		ints(f.Cell, RFM.Code),
	}
	if f.Label.Name() != "" {
		labels := make([]string, len(scores))
		for i, r := range scores {
			labels[i] = r.Segment().String()
		}
		out.fields = append(out.fields, Categories(f.Label, labels).fields...)
	}
	return out
}

// Attach returns a new snapshot of base in which the fields hold the given
// RFM scores, with the rules of AttachInt: customers without scores have no
// value afterwards, and an unknown key or a key given twice is an error.
// Scores attaches them in the order of summaries, with other scores, in one
// call.
func (f RFMFields) Attach(base *segment.Base, scores []RFM) (*segment.Base, error) {
	keys := make([]string, len(scores))
	for i, s := range scores {
		keys[i] = s.Key
	}
	return attachKeys(base, keys, []Scores{f.Scores(scores)})
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
