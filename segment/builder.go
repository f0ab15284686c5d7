package segment

import (
	"fmt"

	"github.com/fabeed28/microseg/internal/keydict"
)

// schema is the set of fields a builder or batch knows, in first-use order.
type schema struct {
	specs  []fieldSpec
	byName map[string]int
}

func (s *schema) lookup(name string) (fieldSpec, int, bool) {
	i, ok := s.byName[name]
	if !ok {
		return fieldSpec{}, -1, false
	}
	return s.specs[i], i, true
}

// check validates the values of one Add or Set call before anything is
// changed, so that a rejected call leaves no trace.
func (s *schema) check(op, key string, values []Value) error {
	if key == "" {
		return &InputError{Op: op, Key: key, Err: ErrEmptyKey, Msg: "want a non-empty customer key"}
	}
	for i, v := range values {
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
		for _, w := range values[:i] {
			if w.spec.name == v.spec.name {
				return &InputError{Op: op, Key: key, Field: v.spec.name, Err: ErrDuplicateField,
					Msg: "give each field at most one Value per call"}
			}
		}
		if err := s.checkSpec(op, key, v.spec); err != nil {
			return err
		}
	}
	return nil
}

func (s *schema) checkSpec(op, key string, spec fieldSpec) error {
	if have, _, ok := s.lookup(spec.name); ok && !have.sameAs(spec) {
		return &InputError{Op: op, Key: key, Field: spec.name, Err: ErrKindConflict,
			Msg: fmt.Sprintf("field is %s, value is %s", have.describe(), spec.describe())}
	}
	return nil
}

// declare adds the fields of values that s does not know yet.
func (s *schema) declare(values []Value) {
	for _, v := range values {
		if _, ok := s.byName[v.spec.name]; !ok {
			s.byName[v.spec.name] = len(s.specs)
			s.specs = append(s.specs, v.spec)
		}
	}
}

// Builder collects customers and builds a Base from them. A Builder is not
// safe for concurrent use. A rejected Add changes nothing: the builder stays
// usable and holds every customer added before.
type Builder struct {
	w       *keydict.Writer
	schema  schema
	changes []*change // parallel to schema.specs
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
	if _, ok := b.w.Lookup(key); ok {
		return &InputError{Op: "add", Key: key, Err: ErrDuplicateKey, Msg: "each customer key may be added once"}
	}
	b.schema.declare(values)
	for len(b.changes) < len(b.schema.specs) {
		b.changes = append(b.changes, &change{spec: b.schema.specs[len(b.changes)]})
	}
	id := b.w.Add(key)
	for _, v := range values {
		_, i, _ := b.schema.lookup(v.spec.name)
		b.changes[i].add(id, v)
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
	if n := d.Len(); n > 0 {
		base.live.AddRange(0, uint64(n))
	}
	base.live.RunOptimize()
	for i, spec := range b.schema.specs {
		base.byName[spec.name] = i
		base.cols = append(base.cols, apply(nil, b.changes[i]))
	}
	return base, nil
}
