package score

import (
	"fmt"
	"math"

	"github.com/fabeed28/microseg/segment"
)

// Scores is the one shape of per-customer scores that the package attaches
// to a base: one or more score fields, each with one value per summary,
// value i belonging to the customer of summaries[i]. It is the order in
// which RFMScores returns its scores and in which Ntiles and Bins return
// bands of values taken from the summaries in order, so a result of the
// package becomes Scores with no glue:
//
//	deciles, err := score.Ntiles(profits, 10) // profits[i] of sums[i]
//	base, err = score.Attach(base, sums, score.Ints(decile, deciles), rfm.Scores(scores))
//
// Make Scores with Ints, Decimals, Categories or RFMFields.Scores, and
// attach any number of them in one call with Attach (a new snapshot of a
// base) or AttachColumns (columns for segment.FromColumns). The zero
// Scores holds no field and attaches nothing.
type Scores struct {
	n      int
	fields []scoreField
	key    func(i int) string // the customer of value i, when the values carry keys
}

// scoreField is one field of Scores and its values.
type scoreField struct {
	field  segment.Field
	value  func(i int) segment.Value
	check  func(i int) error // a bad value i, or nil
	column func(rows []int, present []bool) segment.Column
}

// integer is the integer types that Ints takes: Ntiles and Bins give
// []int, segment.Int holds int64.
type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

// Ints returns the scores of an integer field, values[i] for the customer of
// summaries[i]: deciles from Ntiles, bands from Bins, or any integer score.
func Ints[N integer](field segment.Int, values []N) Scores {
	return Scores{n: len(values), fields: []scoreField{{
		field: field,
		value: func(i int) segment.Value { return field.Value(int64(values[i])) },
		column: func(rows []int, present []bool) segment.Column {
			out := make([]int64, len(rows))
			for k, i := range rows {
				if i >= 0 {
					out[k] = int64(values[i])
				}
			}
			return field.Column(out, present)
		},
	}}}
}

// Decimals returns the scores of a fixed-point field, values[i] for the
// customer of summaries[i], each rounded to the field's scale: the shape
// for money such as lifetime value or historical profit. A NaN or infinite
// value, or one whose units overflow int64, is an error of Attach and
// AttachColumns wrapping ErrInvalidArgument.
func Decimals(field segment.Decimal, values []float64) Scores {
	pow := math.Pow10(field.Scale())
	units := func(i int) (int64, error) {
		v := values[i]
		u := math.Round(v * pow)
		if math.IsNaN(v) || math.IsInf(v, 0) || u >= math.MaxInt64 || u < math.MinInt64 {
			return 0, fmt.Errorf("value %v, want a finite number within ±%g: %w (%w)", v, math.MaxInt64/pow, ErrInvalidArgument, segment.ErrInvalidValue)
		}
		return int64(u), nil
	}
	return Scores{n: len(values), fields: []scoreField{{
		field: field,
		value: func(i int) segment.Value { return field.Value(values[i]) },
		check: func(i int) error { _, err := units(i); return err },
		column: func(rows []int, present []bool) segment.Column {
			out := make([]int64, len(rows))
			for k, i := range rows {
				if i >= 0 {
					out[k], _ = units(i) // checked before
				}
			}
			return field.UnitsColumn(out, present)
		},
	}}}
}

// Categories returns the scores of a categorical field, values[i] for the
// customer of summaries[i]: labels such as "high", "medium" and "low" that
// segment.Split and persona.Describe can group by.
func Categories[V comparable](field segment.Cat[V], values []V) Scores {
	return Scores{n: len(values), fields: []scoreField{{
		field: field,
		value: func(i int) segment.Value { return field.Value(values[i]) },
		column: func(rows []int, present []bool) segment.Column {
			out := make([]V, len(rows))
			for k, i := range rows {
				if i >= 0 {
					out[k] = values[i]
				}
			}
			return field.Column(out, present)
		},
	}}}
}

// Fields returns the fields of the scores, in order: what to leave out of
// a persona of a segment defined by the scores (persona.Omit).
func (s Scores) Fields() []segment.Field {
	out := make([]segment.Field, len(s.fields))
	for i, f := range s.fields {
		out[i] = f.field
	}
	return out
}

// Len returns the number of values per field: the number of summaries the
// scores are for.
func (s Scores) Len() int { return s.n }

// Attach returns a new snapshot of base in which the fields of every
// Scores hold their values, value i for the customer of summaries[i]. It is
// one batch however many fields: afterwards each field holds exactly these
// scores, so a live customer without a summary has no value in them, even
// if an older score was there; fields the base lacks are declared. base is
// unchanged.
//
// It returns an error wrapping ErrInvalidArgument when Scores do not hold
// one value per summary, when scores that carry keys (RFMFields.Scores)
// name another customer than the summary at their index, when two Scores
// hold the same field, when a summary's key is given twice, or for a bad
// value (see Decimals); one wrapping ErrUnknownKey for a summary whose key
// is not a live customer of base; and for a value out of a field's range
// or a field that base holds with another kind, the segment package's
// error (segment.ErrOutOfRange, segment.ErrKindConflict) wrapped together
// with ErrInvalidArgument.
func Attach(base *segment.Base, summaries []Summary, scores ...Scores) (*segment.Base, error) {
	keys := make([]string, len(summaries))
	for i, s := range summaries {
		keys[i] = s.Key
	}
	return attachKeys(base, keys, scores)
}

// AttachColumns returns the columns of every Scores for
// segment.FromColumns(keys, columns...): row k of a column holds the score
// of the customer keys[k], taken from the summary of that key, and no value
// when no summary has it. Add the caller's own columns of attributes to
// build a base with scores in one call:
//
//	cols, err := score.AttachColumns(keys, sums, score.Decimals(clv, values), rfm.Scores(r))
//	base, err := segment.FromColumns(keys, append(cols, country.Column(countries, nil))...)
//
// It returns the errors of Attach, with ErrUnknownKey for a summary whose
// key is not among keys. Values out of a field's range are reported by
// segment.FromColumns, which names the customer.
func AttachColumns(keys []string, summaries []Summary, scores ...Scores) ([]segment.Column, error) {
	sk := make([]string, len(summaries))
	for i, s := range summaries {
		sk[i] = s.Key
	}
	names, err := checkScores(sk, scores)
	if err != nil {
		return nil, err
	}
	at := make(map[string]int, len(keys))
	for k, key := range keys {
		at[key] = k
	}
	rows := make([]int, len(keys))
	for k := range rows {
		rows[k] = -1
	}
	for i, key := range sk {
		k, ok := at[key]
		if !ok {
			return nil, fmt.Errorf("score: attach %v: summaries[%d]: customer %q: not among the %d keys, want a key of the base: %w", names, i, key, len(keys), ErrUnknownKey)
		}
		rows[k] = i
	}
	present := make([]bool, len(keys))
	for k, i := range rows {
		present[k] = i >= 0
	}
	var cols []segment.Column
	for _, s := range scores {
		for _, f := range s.fields {
			cols = append(cols, f.column(rows, present))
		}
	}
	return cols, nil
}

// checkScores checks that every Scores holds one good value per key, in
// the keys' order, that no field comes twice and no key twice, and returns
// the names of the fields.
func checkScores(keys []string, scores []Scores) ([]string, error) {
	var names []string
	for _, s := range scores {
		for _, f := range s.fields {
			names = append(names, f.field.Name())
		}
	}
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		if seen[name] {
			return nil, fmt.Errorf("score: attach %v: field %q given twice, want each field once: %w", names, name, ErrInvalidArgument)
		}
		seen[name] = true
	}
	for _, s := range scores {
		if len(s.fields) == 0 {
			continue
		}
		first := s.fields[0].field.Name()
		if s.n != len(keys) {
			return nil, fmt.Errorf("score: attach %v: field %q: %d values for %d customers, want one value per summary: %w", names, first, s.n, len(keys), ErrInvalidArgument)
		}
		if s.key != nil {
			for i, k := range keys {
				if got := s.key(i); got != k {
					return nil, fmt.Errorf("score: attach %v: field %q: value %d is of customer %q, want the customer of summaries[%d], %q (scores in the order of the summaries): %w", names, first, i, got, i, k, ErrInvalidArgument)
				}
			}
		}
		for _, f := range s.fields {
			if f.check == nil {
				continue
			}
			for i := range keys {
				if err := f.check(i); err != nil {
					return nil, fmt.Errorf("score: attach %v: customer %q: field %q: %w", names, keys[i], f.field.Name(), err)
				}
			}
		}
	}
	at := make(map[string]int, len(keys))
	for i, k := range keys {
		if j, dup := at[k]; dup {
			return nil, fmt.Errorf("score: attach %v: customer %q: at %d and %d, want one summary per customer: %w", names, k, j, i, ErrInvalidArgument)
		}
		at[k] = i
	}
	return names, nil
}

// attachKeys is Attach with the customer of value i given as keys[i].
func attachKeys(base *segment.Base, keys []string, scores []Scores) (*segment.Base, error) {
	names, err := checkScores(keys, scores)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if _, ok := base.ID(k); !ok {
			return nil, fmt.Errorf("score: attach %v: customer %q: not a live customer of the base: %w", names, k, ErrUnknownKey)
		}
	}
	rows := make([]int, len(keys))
	present := make([]bool, len(keys))
	for i := range rows {
		rows[i], present[i] = i, true
	}
	var cols []segment.Column
	for _, s := range scores {
		for _, f := range s.fields {
			cols = append(cols, f.column(rows, present))
		}
	}
	// One new snapshot, column by column: each field holds exactly these
	// scores, and customers without one have no value.
	nb, err := base.WithColumns(keys, cols...)
	if err != nil {
		// A value out of a field's range, or a field the base holds with
		// another kind: the segment error names key, field and value.
		return nil, fmt.Errorf("score: attach %v: %w (%w)", names, err, ErrInvalidArgument)
	}
	return nb, nil
}
