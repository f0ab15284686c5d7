package segment

import (
	"fmt"

	"github.com/fabeed28/microseg/internal/keydict"
)

// schema is the set of fields a builder or batch knows, in first-use order.
type schema struct {
	specs  []fieldSpec
	byName map[string]int

	// at[i] is the index of values[i] of the last check (-1 for a field
	// not declared yet), and the first guess for the next: callers pass
	// their fields in the same order call after call.
	at []int
}

func (s *schema) lookup(name string) (fieldSpec, int, bool) {
	i, ok := s.byName[name]
	if !ok {
		return fieldSpec{}, -1, false
	}
	return s.specs[i], i, true
}

// index returns the index of the field name, given at position i of a
// call, or -1.
func (s *schema) index(i int, name string) int {
	if j := s.at[i]; j >= 0 && s.specs[j].name == name {
		return j
	}
	if j, ok := s.byName[name]; ok {
		return j
	}
	return -1
}

// check validates the values of one Add or Set call before anything is
// changed, so that a rejected call leaves no trace. It records the index
// of every value's field in s.at.
func (s *schema) check(op, key string, values []Value) error {
	if key == "" {
		return &InputError{Op: op, Key: key, Err: ErrEmptyKey, Msg: "want a non-empty customer key"}
	}
	for len(s.at) < len(values) {
		s.at = append(s.at, -1)
	}
	for i := range values {
		v := &values[i]
		if v.spec.kind == KindInvalid {
			return &InputError{Op: op, Key: key, Err: ErrInvalidValue,
				Msg: fmt.Sprintf("values[%d] is the zero segment.Value; make values with a field's Value method", i)}
		}
		if v.spec.name == "" {
			return &InputError{Op: op, Key: key, Err: ErrInvalidValue,
				Msg: fmt.Sprintf("values[%d] belongs to a field with an empty name", i)}
		}
		if v.err != nil {
			return &InputError{Op: op, Key: key, Field: v.spec.name, Value: v.err.value, Err: v.err.err, Msg: v.err.msg}
		}
		for j := range values[:i] {
			if values[j].spec.name == v.spec.name {
				return &InputError{Op: op, Key: key, Field: v.spec.name, Err: ErrDuplicateField,
					Msg: "give each field at most one Value per call"}
			}
		}
		j := s.index(i, v.spec.name)
		s.at[i] = j
		if j >= 0 && !s.specs[j].sameAs(v.spec) {
			return s.conflict(op, key, s.specs[j], v.spec)
		}
	}
	return nil
}

func (s *schema) checkSpec(op, key string, spec fieldSpec) error {
	if have, _, ok := s.lookup(spec.name); ok && !have.sameAs(spec) {
		return s.conflict(op, key, have, spec)
	}
	return nil
}

func (s *schema) conflict(op, key string, have, spec fieldSpec) error {
	return &InputError{Op: op, Key: key, Field: spec.name, Err: ErrKindConflict,
		Msg: fmt.Sprintf("field is %s, value is %s", have.describe(), spec.describe())}
}

// declare adds the fields of values, just checked, that s does not know
// yet, and records their indexes in s.at.
func (s *schema) declare(values []Value) {
	for i := range values {
		if s.at[i] < 0 {
			s.at[i] = len(s.specs)
			s.byName[values[i].spec.name] = len(s.specs)
			s.specs = append(s.specs, values[i].spec)
		}
	}
}

// Builder collects customers and builds a Base from them. A Builder is not
// safe for concurrent use. A rejected Add changes nothing: the builder stays
// usable and holds every customer added before.
//
// A Builder keeps each field's values column by column as they arrive
// (codes of the distinct values, or integers, as uvarints) and indexes
// them at Build, as FromColumns does. Keys that arrive in increasing order,
// shorter keys first (k9 before k10, as a table sorted by its primary key
// gives them), are known to be new without a lookup; keys in any other
// order cost a lookup each.
type Builder struct {
	w      *keydict.Writer
	schema schema
	bufs   []*fieldBuffer // parallel to schema.specs
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{w: keydict.NewWriter(nil), schema: schema{byName: map[string]int{}}}
}

// Len returns the number of customers added so far.
func (b *Builder) Len() int { return int(b.w.Len()) }

// Add adds a customer with its values, one per field at most. A field left
// out has no value for this customer (missing is not zero). The customer gets
// the next ID. Add returns an *InputError wrapping ErrEmptyKey,
// ErrDuplicateKey, ErrDuplicateField, ErrKindConflict, ErrOutOfRange or
// ErrInvalidValue.
func (b *Builder) Add(key string, values ...Value) error {
	if err := b.schema.check("add", key, values); err != nil {
		return err
	}
	id, added := b.w.Insert(key)
	if !added {
		return &InputError{Op: "add", Key: key, Err: ErrDuplicateKey, Msg: "each customer key may be added once"}
	}
	b.schema.declare(values)
	for len(b.bufs) < len(b.schema.specs) {
		b.bufs = append(b.bufs, newFieldBuffer(b.schema.specs[len(b.bufs)]))
	}
	for i := range values {
		b.bufs[b.schema.at[i]].add(id, &values[i])
	}
	return nil
}

// Build returns a Base holding every customer added so far. The Builder
// stays usable: later Adds and Builds do not affect the returned Base.
func (b *Builder) Build() (*Base, error) {
	d := b.w.Dict()
	b.w = keydict.NewWriter(d) // later Adds copy what they touch
	base := emptyBase()
	base.dict = d
	n := int(d.Len())
	if n > 0 {
		base.live.AddRange(0, uint64(n))
	}
	base.live.RunOptimize()
	for i, spec := range b.schema.specs {
		base.byName[spec.name] = i
		base.cols = append(base.cols, b.bufs[i].column(n))
	}
	return base, nil
}
