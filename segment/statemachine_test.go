package segment

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The state-machine test of the base, in the manner of roaring's smat: the
// input bytes drive a sequence of operations (Builder.Add or FromColumns to
// start; Batch.Add, Set, Clear and Remove with existing, absent and
// conflicting fields; Apply; WriteTo and ReadBase; Eval and Count of random
// predicates) against the naive oracle, a map of customers to field values.
// After every Apply and every read, every field of every customer must equal
// the oracle, and every older snapshot must still equal its own oracle.

// smFields are the fields values are drawn from (randValues' schema);
// smForeign conflicts with them, smAbsent is in no base.
var (
	smFields  = []Field{tCountry, tGender, tTier, tAge, tScore, tBought, tActive, tSeen, tSpend}
	smForeign = []Field{NewCat[int]("country"), NewInt("bought"), NewDecimal("spend", 3), NewSet[string]("age")}
	smAbsent  = []Field{NewInt("nosuch"), NewCat[string]("never"), NewFlag("absent")}
)

// smState is the machine: the current base, the batch being built, the
// oracle of the base (committed) and of the base with the batch (pending),
// and every snapshot so far with its oracle.
type smState struct {
	t         *testing.T
	r         *rand.Rand
	base      *Base
	batch     *Batch
	committed *oracle
	pending   *oracle
	snaps     []smSnap
	next      int // keys made so far
}

type smSnap struct {
	base *Base
	want map[string]map[string]string
}

func (o *oracle) clone() *oracle {
	c := &oracle{ids: make(map[string]int, len(o.ids)), rows: make([]*row, len(o.rows))}
	for k, v := range o.ids {
		c.ids[k] = v
	}
	for i, r := range o.rows {
		c.rows[i] = &row{key: r.key, live: r.live, vals: make(map[string]Value, len(r.vals))}
		for f, v := range r.vals {
			c.rows[i].vals[f] = v
		}
	}
	return c
}

// canon prints a value the same way for the oracle and the base.
func canon(v Value) (string, bool) {
	switch v.spec.kind {
	case KindCat:
		return formatAny(v.cat()), true
	case KindSet:
		var s []string
		for _, x := range v.set() {
			s = append(s, formatAny(x))
		}
		slices.Sort(s)
		s = slices.Compact(s)
		return fmt.Sprint(s), len(s) > 0
	}
	return strconv.FormatInt(v.n, 10), true
}

// want returns the oracle as key -> field -> value ("" key -> field: the
// live flag as "live"); removed customers have no values.
func (o *oracle) want() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range o.rows {
		m := map[string]string{}
		if r.live {
			m["(live)"] = "true"
		}
		for f, v := range r.vals {
			if s, ok := canon(v); ok {
				m[f] = s
			}
		}
		out[r.key] = m
	}
	return out
}

// dump reads every field of every customer of b from its columns.
func dump(b *Base) map[string]map[string]string {
	out := map[string]map[string]string{}
	for id := range b.IDCount() {
		key, _ := b.Key(id)
		m := map[string]string{}
		if b.live.Contains(id) {
			m["(live)"] = "true"
		}
		out[key] = m
	}
	for _, c := range b.cols {
		name := c.spec.name
		if c.bitmapKind() {
			sets := map[uint32][]string{}
			for code, bm := range c.bms {
				for _, id := range bm.ToArray() {
					sets[id] = append(sets[id], formatAny(c.values[code]))
				}
			}
			for id, s := range sets {
				key, _ := b.Key(id)
				if c.spec.kind == KindCat && len(s) != 1 {
					out[key][name] = fmt.Sprintf("several values %v", s)
					continue
				}
				slices.Sort(s)
				v := s[0]
				if c.spec.kind == KindSet {
					v = fmt.Sprint(s)
				}
				out[key][name] = v
			}
			continue
		}
		for _, id := range c.known.ToArray() {
			key, _ := b.Key(id)
			out[key][name] = strconv.FormatInt(c.bsi.Get(id), 10)
		}
	}
	return out
}

// smCheck compares b with the oracle o and every snapshot with its own.
func (s *smState) check(what string, b *Base, o *oracle) {
	s.t.Helper()
	if diff := cmp.Diff(o.want(), dump(b)); diff != "" {
		s.t.Fatalf("after %s: base differs from the oracle (-want +got):\n%s", what, diff)
	}
	if uint32(len(o.rows)) != b.IDCount() {
		s.t.Fatalf("after %s: %d IDs, oracle has %d", what, b.IDCount(), len(o.rows))
	}
	for id, r := range o.rows {
		if got, ok := b.ID(r.key); ok != r.live || ok && got != uint32(id) {
			s.t.Fatalf("after %s: ID(%q) = %d, %v; want %d, %v", what, r.key, got, ok, id, r.live)
		}
	}
	for i, sn := range s.snaps {
		if diff := cmp.Diff(sn.want, dump(sn.base)); diff != "" {
			s.t.Fatalf("after %s: snapshot %d changed (-want +got):\n%s", what, i, diff)
		}
	}
}

// key picks a key: a live one, a removed one or a new one.
func (s *smState) key(o *oracle) (key string, live, known bool) {
	if n := len(o.rows); n > 0 && s.r.IntN(5) > 0 {
		r := o.rows[s.r.IntN(n)]
		return r.key, r.live, true
	}
	s.next++
	return fmt.Sprintf("k%d", s.next), false, false
}

// values draws values, sometimes with a conflicting field or a field twice.
func (s *smState) values() (vs []Value, bad error) {
	vs = randValues(s.r)
	switch s.r.IntN(12) {
	case 0:
		f := smForeign[s.r.IntN(len(smForeign))]
		if !s.declared(f) {
			break // it would declare the field, not conflict
		}
		var v Value
		switch f := f.(type) {
		case Cat[int]:
			v = f.Value(1)
		case Int:
			v = f.Value(1)
		case Decimal:
			v = f.Value(1)
		case Set[string]:
			v = f.Values("x")
		}
		vs = slices.DeleteFunc(vs, func(w Value) bool { return w.spec.name == v.spec.name })
		return append(vs, v), ErrKindConflict
	case 1:
		if len(vs) > 0 {
			return append(vs, vs[0]), ErrDuplicateField
		}
	}
	return vs, nil
}

func (s *smState) step(op byte) {
	t := s.t
	o := s.pending
	switch op % 8 {
	case 0: // Add
		key, live, _ := s.key(o)
		vs, bad := s.values()
		err := s.batch.Add(key, vs...)
		switch {
		case bad != nil:
			if !errors.Is(err, bad) {
				t.Fatalf("Add(%q) with bad values: err = %v, want %v", key, err, bad)
			}
		case live:
			if !errors.Is(err, ErrDuplicateKey) {
				t.Fatalf("Add(%q) of a live key: err = %v, want ErrDuplicateKey", key, err)
			}
		case err != nil:
			t.Fatalf("Add(%q): %v", key, err)
		default:
			o.add(key, vs...)
		}
	case 1, 2: // Set
		key, live, _ := s.key(o)
		vs, bad := s.values()
		err := s.batch.Set(key, vs...)
		switch {
		case bad != nil:
			if !errors.Is(err, bad) {
				t.Fatalf("Set(%q) with bad values: err = %v, want %v", key, err, bad)
			}
		case !live:
			if !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("Set(%q) of no live key: err = %v, want ErrUnknownKey", key, err)
			}
		case err != nil:
			t.Fatalf("Set(%q): %v", key, err)
		default:
			o.set(key, vs...)
		}
	case 3: // Clear, with absent and conflicting fields
		key, live, _ := s.key(o)
		var fs []Field
		conflict := false // a foreign field conflicts once its name is declared
		for range s.r.IntN(3) + 1 {
			switch s.r.IntN(8) {
			case 0:
				fs = append(fs, smAbsent[s.r.IntN(len(smAbsent))])
			case 1:
				f := smForeign[s.r.IntN(len(smForeign))]
				fs = append(fs, f)
				conflict = conflict || s.declared(f)
			default:
				fs = append(fs, smFields[s.r.IntN(len(smFields))])
			}
		}
		err := s.batch.Clear(key, fs...)
		switch {
		case !live:
			if !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("Clear(%q) of no live key: err = %v, want ErrUnknownKey", key, err)
			}
		case conflict:
			if !errors.Is(err, ErrKindConflict) {
				t.Fatalf("Clear(%q, %v) with a conflicting field: err = %v, want ErrKindConflict", key, fs, err)
			}
		case err != nil:
			t.Fatalf("Clear(%q): %v", key, err)
		default:
			for _, f := range fs {
				o.clearField(key, f)
			}
		}
	case 4: // Remove
		key, live, _ := s.key(o)
		err := s.batch.Remove(key)
		switch {
		case !live:
			if !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("Remove(%q) of no live key: err = %v, want ErrUnknownKey", key, err)
			}
		case err != nil:
			t.Fatalf("Remove(%q): %v", key, err)
		default:
			o.remove(key)
		}
	case 5: // Apply; then continue this batch or start one from the result
		nb, err := s.batch.Apply()
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		s.check("Apply", nb, o)
		s.snaps = append(s.snaps, smSnap{nb, o.want()})
		if len(s.snaps) > 6 {
			s.snaps = slices.Delete(s.snaps, 1, 2) // keep the first and the last five
		}
		if s.r.IntN(3) > 0 {
			s.base, s.batch, s.committed, s.pending = nb, nb.Batch(), o.clone(), o.clone()
		}
	case 6: // WriteTo and ReadBase of the current base
		var buf bytes.Buffer
		if _, err := s.base.WriteTo(&buf); err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		rb, err := ReadBase(&buf)
		if err != nil {
			t.Fatalf("ReadBase: %v", err)
		}
		s.check("WriteTo and ReadBase", rb, s.committed)
		if s.batch.Len() == 0 {
			s.base, s.batch = rb, rb.Batch()
		}
	case 7: // Eval and Count of a random predicate on the current base
		p := randPred(s.r, 3)
		want := s.committed.eval(p)
		if got := s.base.Eval(p).ToArray(); !slices.Equal(got, want) {
			t.Fatalf("Eval(%s) = %v, oracle %v", p, got, want)
		}
		if got := s.base.Count(p); got != uint64(len(want)) {
			t.Fatalf("Count(%s) = %d, oracle %d", p, got, len(want))
		}
	}
}

// declared reports whether the pending schema has a field named as f.
func (s *smState) declared(f Field) bool {
	_, _, ok := s.batch.schema.lookup(f.Name())
	return ok
}

// runMachine runs the operations data drives. The first byte chooses how
// the base starts; every later byte is one operation. The random values
// each operation draws come from a generator seeded with the whole input.
func runMachine(t *testing.T, data []byte) {
	if len(data) == 0 {
		return
	}
	if len(data) > 400 {
		data = data[:400]
	}
	h := fnv.New64a()
	h.Write(data)
	s := &smState{t: t, r: rand.New(rand.NewPCG(h.Sum64(), 7))}
	o := newOracle()
	n := int(data[0] % 16)
	keys := make([]string, n)
	rows := make([][]Value, n)
	for i := range n {
		s.next++
		keys[i] = fmt.Sprintf("k%d", s.next)
		rows[i] = randValues(s.r)
		o.add(keys[i], rows[i]...)
	}
	var base *Base
	var err error
	if data[0]&16 == 0 {
		b := NewBuilder()
		for i, k := range keys {
			if err := b.Add(k, rows[i]...); err != nil {
				t.Fatalf("Builder.Add: %v", err)
			}
		}
		base, err = b.Build()
	} else {
		base, err = FromColumns(keys, rawOf(rows)...)
	}
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	s.base, s.batch, s.committed, s.pending = base, base.Batch(), o, o.clone()
	s.check("start", base, o)
	s.snaps = append(s.snaps, smSnap{base, o.want()})
	for _, op := range data[1:] {
		s.step(op)
	}
}

// rawOf turns rows of values into one Column per field that some row has.
func rawOf(rows [][]Value) []Column {
	var cols []Column
	for _, f := range smFields {
		name := f.Name()
		get := func(i int) (Value, bool) {
			for _, v := range rows[i] {
				if v.spec.name == name {
					return v, true
				}
			}
			return Value{}, false
		}
		present := make([]bool, len(rows))
		for i := range rows {
			_, present[i] = get(i)
		}
		switch f := f.(type) {
		case Cat[string]:
			vals := make([]string, len(rows))
			for i := range rows {
				if v, ok := get(i); ok {
					vals[i] = v.cat().(string)
				}
			}
			cols = append(cols, f.Column(vals, present))
		case Cat[int]:
			vals := make([]int, len(rows))
			for i := range rows {
				if v, ok := get(i); ok {
					vals[i] = v.cat().(int)
				}
			}
			cols = append(cols, f.Column(vals, present))
		case Set[string]:
			vals := make([][]string, len(rows))
			for i := range rows {
				if v, ok := get(i); ok {
					for _, x := range v.set() {
						vals[i] = append(vals[i], x.(string))
					}
				}
			}
			cols = append(cols, f.Column(vals))
		case Int, Decimal, Flag, Time:
			vals := make([]int64, len(rows))
			for i := range rows {
				if v, ok := get(i); ok {
					vals[i] = v.n
				}
			}
			switch f := f.(type) {
			case Int:
				cols = append(cols, f.Column(vals, present))
			case Decimal:
				cols = append(cols, f.UnitsColumn(vals, present))
			case Flag:
				bs := make([]bool, len(vals))
				for i, v := range vals {
					bs[i] = v != 0
				}
				cols = append(cols, f.Column(bs, present))
			case Time:
				ts := make([]time.Time, len(vals))
				for i, v := range vals {
					ts[i] = time.Unix(v, 0)
				}
				cols = append(cols, f.Column(ts, present))
			}
		}
	}
	return cols
}

// FuzzBaseOps is the state-machine fuzz target; .ci/fuzz.sh runs it for a
// bounded number of inputs from the seed corpus in testdata/fuzz.
func FuzzBaseOps(f *testing.F) {
	f.Add([]byte{5, 0, 1, 3, 4, 5, 7, 6, 0, 5})
	f.Add([]byte{16 + 9, 3, 3, 3, 5, 4, 4, 0, 0, 5, 6, 7, 1, 2, 5})
	f.Add([]byte{0, 0, 0, 0, 5, 1, 3, 5, 6, 7, 4, 5})
	f.Fuzz(runMachine)
}

// TestBaseOpsRandom runs the state machine on random inputs in every test
// run, fuzzing or not.
func TestBaseOpsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	runs := 120
	if testing.Short() {
		runs = 25
	}
	for i := range runs {
		data := make([]byte, r.IntN(120)+1)
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		t.Run(strconv.Itoa(i), func(t *testing.T) { runMachine(t, data) })
	}
}
