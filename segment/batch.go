package segment

import (
	"fmt"
	"maps"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/keydict"
)

// Batch collects changes to a base: customers added, values set or cleared,
// customers removed. Apply returns a new Base with the changes; the base the
// batch was made from never changes. A Batch is not safe for concurrent use;
// a rejected call changes nothing.
type Batch struct {
	base    *Base
	w       *keydict.Writer
	schema  schema
	pending map[uint32]*pending
	changed map[string]bool // the fields Set or Clear changed, for Standing
}

type pending struct {
	live   bool              // live after the batch
	reset  bool              // drop every old value first (removed in the batch)
	fields map[string]*Value // nil *Value: cleared
}

// Batch returns an empty batch of changes to b.
func (b *Base) Batch() *Batch {
	s := schema{byName: maps.Clone(b.byName)}
	for _, c := range b.cols {
		s.specs = append(s.specs, c.spec)
	}
	return &Batch{base: b, w: keydict.NewWriter(b.dict), schema: s, pending: map[uint32]*pending{}, changed: map[string]bool{}}
}

// isLive reports whether id is live as the batch stands.
func (t *Batch) isLive(id uint32) bool {
	if p, ok := t.pending[id]; ok {
		return p.live
	}
	return t.base.live.Contains(id)
}

func (t *Batch) liveID(op, key string) (uint32, error) {
	if key == "" {
		return 0, &InputError{Op: op, Key: key, Err: ErrEmptyKey, Msg: "want a non-empty customer key"}
	}
	id, ok := t.w.Lookup(key)
	if !ok || !t.isLive(id) {
		return 0, &InputError{Op: op, Key: key, Err: ErrUnknownKey, Msg: "no live customer has this key"}
	}
	return id, nil
}

func (t *Batch) entry(id uint32) *pending {
	p, ok := t.pending[id]
	if !ok {
		p = &pending{live: t.base.live.Contains(id), fields: map[string]*Value{}}
		t.pending[id] = p
	}
	return p
}

// Add adds a new customer with its values. A key that a live customer has is
// rejected with ErrDuplicateKey; a key that was removed before comes back
// with its old ID and only the values given here.
func (t *Batch) Add(key string, values ...Value) error {
	if err := t.schema.check("add", key, values); err != nil {
		return err
	}
	id, ok := t.w.Lookup(key)
	if ok && t.isLive(id) {
		msg := "the base already has a live customer with this key"
		if !t.base.live.Contains(id) {
			msg = "the key was added earlier in this batch"
		}
		return &InputError{Op: "add", Key: key, Err: ErrDuplicateKey, Msg: msg}
	}
	t.schema.declare(values)
	if !ok {
		id = t.w.Add(key)
	}
	p := t.entry(id)
	p.live = true
	if ok {
		p.reset = true // a removed customer starts afresh
		clear(p.fields)
	}
	setValues(p, values)
	return nil
}

// Set sets values of a live customer, replacing the old value of each field
// given (a Set field's values are replaced as a whole). Other fields keep
// their values. An unknown or removed key is rejected with ErrUnknownKey.
func (t *Batch) Set(key string, values ...Value) error {
	if err := t.schema.check("set", key, values); err != nil {
		return err
	}
	id, err := t.liveID("set", key)
	if err != nil {
		return err
	}
	t.schema.declare(values)
	setValues(t.entry(id), values)
	for _, v := range values {
		t.changed[v.spec.name] = true
	}
	return nil
}

func setValues(p *pending, values []Value) {
	for _, v := range values {
		v := v
		p.fields[v.spec.name] = &v
	}
}

// Clear removes the values of the given fields from a live customer, who then
// has no value for them. Fields that neither the base nor an earlier call of
// the batch declared are ignored: the customer has no value for them anyway.
// A nil Field is rejected with ErrInvalidValue, a field of another kind or
// value type than the base's with ErrKindConflict.
func (t *Batch) Clear(key string, fields ...Field) error {
	id, err := t.liveID("clear", key)
	if err != nil {
		return err
	}
	for i, f := range fields {
		if f == nil {
			return &InputError{Op: "clear", Key: key, Err: ErrInvalidValue, Msg: fmt.Sprintf("fields[%d] is nil", i)}
		}
		if err := t.schema.checkSpec("clear", key, f.spec()); err != nil {
			return err
		}
	}
	p := t.entry(id)
	for _, f := range fields {
		if _, _, ok := t.schema.lookup(f.Name()); ok {
			p.fields[f.Name()] = nil
			t.changed[f.Name()] = true
		}
	}
	return nil
}

// Remove removes a live customer from the base: it leaves the live set and
// loses its values. Its ID is not reused for another key.
func (t *Batch) Remove(key string) error {
	id, err := t.liveID("remove", key)
	if err != nil {
		return err
	}
	p := t.entry(id)
	p.live, p.reset = false, true
	clear(p.fields)
	return nil
}

// Len returns the number of customers the batch changes.
func (t *Batch) Len() int { return len(t.pending) }

// Apply returns a new Base: the batch's base with the changes. The batch's
// base is unchanged, and shares with the new Base every bitmap the batch did
// not touch, and within a bitmap it touched every chunk of 65,536 IDs whose
// bits did not change: the cost of Apply follows the customers changed and
// the chunks they fall in, not the size of the base. Apply may be called
// again after more changes; each call starts from the batch's base.
func (t *Batch) Apply() (*Base, error) {
	nb, _ := t.apply()
	return nb, nil
}

// applied is what one Apply did, for Standing: the customers the batch
// touched, sorted, whether each is live before and after it, and per column of the
// new base the change made to it (nil for a column shared with the old
// base). A change's drop holds its ids.
type applied struct {
	ids     []uint32
	was     []bool // live before the batch
	live    []bool
	changes []*change
	every   bool // some customer was added, removed or reset
}

func (t *Batch) apply() (*Base, *applied) {
	old := t.base
	d := t.w.Dict()
	t.w = keydict.NewWriter(d)
	nb := &Base{dict: d, live: old.live, byName: maps.Clone(t.schema.byName)}
	nb.cols = slices.Clone(old.cols)
	ids := slices.Sorted(maps.Keys(t.pending))
	a := &applied{ids: ids, was: make([]bool, len(ids)), live: make([]bool, len(ids)), changes: make([]*change, len(t.schema.specs))}
	if len(t.pending) == 0 {
		return nb, a
	}

	reset := roaring.New()
	live := old.live.Clone()
	for i, id := range ids {
		p := t.pending[id]
		was := old.live.Contains(id)
		a.was[i], a.live[i] = was, p.live
		a.every = a.every || p.reset || p.live != was
		if p.live && !was {
			live.Add(id)
		} else if !p.live && was {
			live.Remove(id)
		}
		if p.reset {
			reset.Add(id)
		}
	}
	live.RunOptimize()
	nb.live = live

	changes := make([]*change, len(t.schema.specs))
	for i, spec := range t.schema.specs {
		changes[i] = &change{spec: spec, drop: reset.Clone()}
	}
	for _, id := range ids {
		for name, v := range t.pending[id].fields {
			ch := changes[t.schema.byName[name]]
			if v == nil {
				ch.drop.Add(id)
			} else {
				ch.add(id, *v)
			}
		}
	}
	for i, ch := range changes {
		// ids were visited in increasing order, so ch.ids is sorted.
		if len(ch.ids) == 0 && ch.drop.IsEmpty() && i < len(old.cols) {
			continue
		}
		ch.drop.AddMany(ch.ids)
		a.changes[i] = ch
		var prev *column
		if i < len(old.cols) {
			prev = old.cols[i]
		}
		if i < len(nb.cols) {
			nb.cols[i] = patch(prev, ch)
		} else {
			nb.cols = append(nb.cols, patch(prev, ch))
		}
	}
	return nb, a
}
