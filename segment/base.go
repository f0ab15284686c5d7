package segment

import (
	"iter"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/keydict"
)

// Base is an immutable snapshot of a customer base: the key dictionary, the
// live customers and every field's index. Any number of goroutines may read a
// Base at once without locks. Changes go through a Batch, which returns a new
// Base that shares everything it did not touch; the old Base stays valid.
//
// Customers have dense uint32 IDs assigned in insertion order. An ID is never
// reused for another key: a removed customer leaves the live set, and keeps
// its ID if it is added again, so bitmaps from two snapshots of one base can
// be compared.
type Base struct {
	dict   *keydict.Dict
	live   *roaring.Bitmap
	cols   []*column // in declaration order
	byName map[string]int

	ev evalState // derived, lazily: see eval.go
}

func emptyBase() *Base {
	return &Base{dict: &keydict.Dict{}, live: roaring.New(), byName: map[string]int{}}
}

// Len returns the number of live customers.
func (b *Base) Len() int { return int(b.live.GetCardinality()) }

// IDCount returns the number of IDs ever assigned, live or removed: every ID
// of the base is below it.
func (b *Base) IDCount() uint32 { return b.dict.Len() }

// Live returns the IDs of the live customers as a new bitmap.
func (b *Base) Live() *roaring.Bitmap { return b.live.Clone() }

// ID returns the ID of the customer with the given key, and whether the key
// is a live customer of the base.
func (b *Base) ID(key string) (uint32, bool) {
	id, ok := b.dict.Lookup(key)
	if !ok || !b.live.Contains(id) {
		return 0, false
	}
	return id, true
}

// Key returns the key of the customer with the given ID, and whether the ID
// was ever assigned (removed customers keep their key).
func (b *Base) Key(id uint32) (string, bool) { return b.dict.Key(id) }

// Keys returns the keys of the given IDs in increasing ID order. IDs that the
// base never assigned are skipped.
func (b *Base) Keys(ids *roaring.Bitmap) iter.Seq[string] {
	return func(yield func(string) bool) {
		if ids == nil {
			return
		}
		it := ids.Iterator()
		for it.HasNext() {
			k, ok := b.dict.Key(it.Next())
			if !ok {
				return
			}
			if !yield(k) {
				return
			}
		}
	}
}

// AppendKeys appends the keys of the given IDs, in increasing ID order, to
// dst and returns the extended slice. IDs the base never assigned are
// skipped.
func (b *Base) AppendKeys(dst []string, ids *roaring.Bitmap) []string {
	for k := range b.Keys(ids) {
		dst = append(dst, k)
	}
	return dst
}

// FieldInfo describes one field of a base.
type FieldInfo struct {
	Name  string
	Kind  Kind
	Type  string // the value type of a Cat or Set field ("string", "int", ...), else ""
	Scale int    // decimal places of a Decimal field
}

// Fields returns the base's fields in the order they were first used.
func (b *Base) Fields() []FieldInfo {
	out := make([]FieldInfo, len(b.cols))
	for i, c := range b.cols {
		out[i] = c.spec.info()
	}
	return out
}

// Field returns the named field's description.
func (b *Base) Field(name string) (FieldInfo, bool) {
	c := b.col(name)
	if c == nil {
		return FieldInfo{}, false
	}
	return c.spec.info(), true
}

// Declared returns the base's field of the given name as a handle, and
// whether the base has it: an Int, Decimal, Time or Flag value for those
// kinds, ready for predicates, and for a Cat or Set field a Field of its
// value type, which By, Known, Missing, ValueCounts, KnownCount and
// ValueBitmap take (a typed Cat[V] or Set[V] handle is made with NewCat or
// NewSet). It serves code that handles any base, as package persona does.
func (b *Base) Declared(name string) (Field, bool) {
	c := b.col(name)
	if c == nil {
		return nil, false
	}
	switch s := c.spec; s.kind {
	case KindInt:
		return NewInt(s.name), true
	case KindDecimal:
		return NewDecimal(s.name, s.scale), true
	case KindTime:
		return NewTime(s.name), true
	case KindFlag:
		return NewFlag(s.name), true
	default:
		return declared{s}, true
	}
}

// declared is the handle Declared returns for a Cat or Set field.
type declared struct{ s fieldSpec }

func (d declared) Name() string    { return d.s.name }
func (d declared) Kind() Kind      { return d.s.kind }
func (d declared) Known() Pred     { return known(d.s) }
func (d declared) Missing() Pred   { return missing(d.s) }
func (d declared) spec() fieldSpec { return d.s }

func (s fieldSpec) info() FieldInfo {
	fi := FieldInfo{Name: s.name, Kind: s.kind, Scale: s.scale}
	if s.kind == KindCat || s.kind == KindSet {
		fi.Type = typeName(s.vtype)
	}
	return fi
}

// Values returns the distinct values that the Cat or Set field f holds for
// at least one live customer, in the order they were first seen. It returns
// nil for a field the base does not have (or has with another value type)
// and for other kinds.
func (b *Base) Values(f Field) []any {
	c := b.colOf(f)
	if c == nil || !c.bitmapKind() {
		return nil
	}
	var out []any
	for i, bm := range c.bms {
		if !bm.IsEmpty() {
			out = append(out, c.values[i])
		}
	}
	return out
}

func (b *Base) col(name string) *column {
	i, ok := b.byName[name]
	if !ok {
		return nil
	}
	return b.cols[i]
}
