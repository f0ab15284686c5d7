package segment

import (
	"fmt"
	"maps"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
)

// WithColumns returns a new snapshot of b in which the fields of cols hold
// the columns' values: customer keys[i] has the value at index i of every
// column, and a live customer not in keys has no value for those fields.
// A field b lacks is declared; a field b has is replaced whole; the other
// fields, the keys and the live customers are shared with b, which is
// unchanged. It is the column-wise way to attach computed fields (scores,
// model outputs) to a large base: its cost is that of building the columns,
// not a Batch.Set per customer.
//
// It rejects what FromColumns rejects, with the same *InputError, and
// ErrUnknownKey for a key that is not a live customer of b and
// ErrKindConflict for a column of a field b holds with another kind or
// value type.
func (b *Base) WithColumns(keys []string, cols ...Column) (*Base, error) {
	ids := make([]uint32, len(keys))
	seen := make(map[string]int, len(keys))
	for i, k := range keys {
		if k == "" {
			return nil, &InputError{Op: "set", Key: k, Err: ErrEmptyKey, Msg: fmt.Sprintf("keys[%d]: want a non-empty customer key", i)}
		}
		if j, dup := seen[k]; dup {
			return nil, &InputError{Op: "set", Key: k, Err: ErrDuplicateKey, Msg: fmt.Sprintf("keys[%d] and keys[%d]: give each customer once", j, i)}
		}
		seen[k] = i
		id, ok := b.ID(k)
		if !ok {
			return nil, &InputError{Op: "set", Key: k, Err: ErrUnknownKey, Msg: fmt.Sprintf("keys[%d]: no live customer has this key", i)}
		}
		ids[i] = id
	}
	out := &Base{dict: b.dict, live: b.live, cols: slices.Clone(b.cols), byName: maps.Clone(b.byName)}
	given := map[string]bool{}
	for i, c := range cols {
		if c.col == nil {
			return nil, &ArgError{Func: "WithColumns", Err: ErrInvalidValue,
				Msg: fmt.Sprintf("cols[%d] is the zero segment.Column; make columns with a field's Column method", i)}
		}
		spec := c.col.spec
		switch {
		case spec.name == "":
			return nil, &ArgError{Func: "WithColumns", Err: ErrInvalidValue, Msg: fmt.Sprintf("cols[%d] belongs to a field with an empty name", i)}
		case c.msg != "":
			return nil, &ArgError{Func: "WithColumns", Field: spec.name, Err: ErrInvalidValue, Msg: c.msg}
		case c.n != len(keys):
			return nil, &ArgError{Func: "WithColumns", Field: spec.name, Err: ErrInvalidValue,
				Msg: fmt.Sprintf("cols[%d] has %d values for %d keys", i, c.n, len(keys))}
		case c.bad != nil:
			return nil, &InputError{Op: "set", Key: keys[c.row], Field: spec.name, Value: c.bad.value, Err: c.bad.err, Msg: c.bad.msg}
		case given[spec.name]:
			return nil, &ArgError{Func: "WithColumns", Field: spec.name, Err: ErrDuplicateField, Msg: "give each field at most one Column"}
		}
		given[spec.name] = true
		nc := renumberColumn(c.col, ids)
		if j, ok := out.byName[spec.name]; ok {
			if have := out.cols[j].spec; !have.sameAs(spec) {
				return nil, &ArgError{Func: "WithColumns", Field: spec.name, Err: ErrKindConflict,
					Msg: fmt.Sprintf("field is %s in the base, %s in cols[%d]", have.describe(), spec.describe(), i)}
			}
			out.cols[j] = nc
			continue
		}
		out.byName[spec.name] = len(out.cols)
		out.cols = append(out.cols, nc)
	}
	return out, nil
}

// renumberColumn returns a finished copy of c with every ID x moved to
// ids[x].
func renumberColumn(c *column, ids []uint32) *column {
	nc := &column{spec: c.spec, known: renumber(c.known, ids), values: c.values, codes: c.codes, skipCodes: c.skipCodes}
	if c.bitmapKind() {
		nc.bms = make([]*roaring.Bitmap, len(c.bms))
		for i, bm := range c.bms {
			nc.bms[i] = renumber(bm, ids)
		}
	} else if c.bsi != nil {
		nc.bsi = &bsi.BSI{Offset: c.bsi.Offset, Planes: make([]*roaring.Bitmap, len(c.bsi.Planes))}
		for i, p := range c.bsi.Planes {
			nc.bsi.Planes[i] = renumber(p, ids)
		}
	}
	nc.finish(nil)
	return nc
}
