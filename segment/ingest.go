package segment

import (
	"fmt"
	"math/bits"
	"reflect"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/fabeed28/microseg/internal/engine"
	"github.com/fabeed28/microseg/internal/keydict"
)

// Column is one field's values for every customer of a FromColumns call, in
// the order of its keys. Make one with a field's Column method (Cat.Column,
// Set.Column, Int.Column, Decimal.UnitsColumn, Flag.Column, Time.Column).
// The values are indexed when the Column is made; the caller's slices are
// not retained. The zero Column is invalid.
type Column struct {
	col *column
	n   int
	bad *valueError // the first invalid value, at row badRow
	row int
	msg string // a malformed column
}

// FromColumns builds a Base from columns: customer i has key keys[i] and ID
// i, and the values at index i of every column. It rejects what Add
// rejects: a bad key or value with the same *InputError (Op "add", the key
// of the offending row: ErrEmptyKey, ErrDuplicateKey, ErrOutOfRange,
// ErrInvalidValue), and a bad column with an *ArgError wrapping
// ErrInvalidArgument and ErrDuplicateField (a field given twice),
// ErrKindConflict (one name with two kinds) or ErrInvalidValue (the zero
// Column, an unnamed field, a column whose length is not len(keys)). It is
// the fast way to load a base that is already in memory column by column.
func FromColumns(keys []string, cols ...Column) (*Base, error) {
	for i, k := range keys {
		if k == "" {
			return nil, &InputError{Op: "add", Key: k, Err: ErrEmptyKey, Msg: fmt.Sprintf("keys[%d]: want a non-empty customer key", i)}
		}
	}
	dict, dup := keydict.FromKeys(keys)
	if dict == nil {
		return nil, &InputError{Op: "add", Key: keys[dup], Err: ErrDuplicateKey, Msg: "each customer key may be added once"}
	}
	base := emptyBase()
	base.dict = dict
	if len(keys) > 0 {
		base.live.AddRange(0, uint64(len(keys)))
	}
	base.live.RunOptimize()
	for i, c := range cols {
		if c.col == nil {
			return nil, &ArgError{Func: "FromColumns", Err: ErrInvalidValue,
				Msg: fmt.Sprintf("cols[%d] is the zero segment.Column; make columns with a field's Column method", i)}
		}
		spec := c.col.spec
		if spec.name == "" {
			return nil, &ArgError{Func: "FromColumns", Err: ErrInvalidValue, Msg: fmt.Sprintf("cols[%d] belongs to a field with an empty name", i)}
		}
		if c.msg != "" {
			return nil, &ArgError{Func: "FromColumns", Field: spec.name, Err: ErrInvalidValue, Msg: c.msg}
		}
		if c.n != len(keys) {
			return nil, &ArgError{Func: "FromColumns", Field: spec.name, Err: ErrInvalidValue,
				Msg: fmt.Sprintf("cols[%d] has %d values for %d keys", i, c.n, len(keys))}
		}
		if c.bad != nil {
			return nil, &InputError{Op: "add", Key: keys[c.row], Field: spec.name, Value: c.bad.value, Err: c.bad.err, Msg: c.bad.msg}
		}
		if j, ok := base.byName[spec.name]; ok {
			if have := base.cols[j].spec; !have.sameAs(spec) {
				return nil, &ArgError{Func: "FromColumns", Field: spec.name, Err: ErrKindConflict,
					Msg: fmt.Sprintf("cols[%d] is %s, an earlier column %s", i, spec.describe(), have.describe())}
			}
			return nil, &ArgError{Func: "FromColumns", Field: spec.name, Err: ErrDuplicateField,
				Msg: fmt.Sprintf("cols[%d]: give each field at most one Column", i)}
		}
		base.byName[spec.name] = len(base.cols)
		base.cols = append(base.cols, c.col)
	}
	return base, nil
}

// Column returns the field's values for a FromColumns call: customer i has
// values[i] when present is nil or present[i] is true, and no value
// otherwise.
func (f Cat[V]) Column(values []V, present []bool) Column {
	if bs, ok := any(values).([]uint8); ok {
		return byteCatColumn(f.spec(), bs, present)
	}
	return codedColumn(f.spec(), len(values), present, func(i int, put func(V)) { put(values[i]) }, f.Value)
}

// Column returns the field's values for a FromColumns call: customer i has
// the values values[i] (none when it is empty; repeats count once).
func (f Set[V]) Column(values [][]V) Column {
	if bs, ok := any(values).([][]uint8); ok {
		return byteSetColumn(f.spec(), bs)
	}
	return codedColumn(f.spec(), len(values), nil, func(i int, put func(V)) {
		for _, v := range values[i] {
			put(v)
		}
	}, func(v V) Value { return f.Values(v) })
}

// Column returns the field's values for a FromColumns call: customer i has
// values[i] when present is nil or present[i] is true.
func (f Int) Column(values []int64, present []bool) Column {
	c := intColumn(f.spec(), values, present)
	if c.bad == nil && (f.lo != minInt64 || f.hi != maxInt64) {
		for i, v := range values {
			if (present == nil || present[i]) && (v < f.lo || v > f.hi) {
				c.bad, c.row = f.Value(v).err, i
				break
			}
		}
	}
	return c
}

// Column returns the field's values for a FromColumns call, rounded to the
// field's scale as Value rounds them: customer i has values[i] when present
// is nil or present[i] is true. FromColumns rejects a NaN, infinite or
// out-of-range value of a customer who has one, naming the customer.
func (f Decimal) Column(values []float64, present []bool) Column {
	units := make([]int64, len(values))
	var bad *valueError
	row := 0
	for i, v := range values {
		if present != nil && (i >= len(present) || !present[i]) {
			continue
		}
		val := f.Value(v)
		if val.err != nil {
			if bad == nil {
				bad, row = val.err, i
			}
			continue
		}
		units[i] = val.n
	}
	c := intColumn(f.spec(), units, present)
	if bad != nil && c.bad == nil && c.msg == "" {
		c.bad, c.row = bad, row
	}
	return c
}

// UnitsColumn returns the field's values for a FromColumns call as counts of
// 10^-scale units (see Units): customer i has values[i] when present is nil
// or present[i] is true.
func (f Decimal) UnitsColumn(units []int64, present []bool) Column {
	return intColumn(f.spec(), units, present)
}

// Column returns the field's values for a FromColumns call: customer i has
// values[i] when present is nil or present[i] is true.
func (f Flag) Column(values []bool, present []bool) Column {
	return flagColumn(f.spec(), values, present)
}

// Column returns the field's values for a FromColumns call: customer i has
// values[i] when present is nil or present[i] is true. A zero time that is
// present is rejected with ErrInvalidValue, as Value does.
func (f Time) Column(values []time.Time, present []bool) Column {
	ints := make([]int64, len(values))
	for i, t := range values {
		if present == nil || present[i] {
			if t.IsZero() {
				return Column{col: &column{spec: f.spec()}, n: len(values), bad: f.Value(t).err, row: i}
			}
			ints[i] = t.Unix()
		}
	}
	return intColumn(f.spec(), ints, present)
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)

// intColumn indexes an integer column chunk by chunk: the bit planes are
// written as dense words per chunk, never ID by ID.
func intColumn(spec fieldSpec, vals []int64, present []bool) Column {
	n := len(vals)
	out := Column{col: &column{spec: spec}, n: n}
	if present != nil && len(present) != n {
		out.msg = presentMsg(len(present), n)
		return out
	}
	lo, hi, any := int64(0), int64(0), false
	for i, v := range vals {
		if present == nil || present[i] {
			if !any {
				lo, hi, any = v, v, true
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	out.col.known, out.col.fzKnown = knownBits(n, present)
	bsiColumn(out.col, n, lo, hi, any, func(blocks []engine.Block, start, end int) {
		var pr []bool
		if present != nil {
			pr = present[start:end]
		}
		planeBlocks(blocks, vals[start:end], pr, lo)
	})
	return out
}

// flagColumn is Flag.Column: intColumn of 0 and 1, without the int64s.
func flagColumn(spec fieldSpec, vals []bool, present []bool) Column {
	n := len(vals)
	out := Column{col: &column{spec: spec}, n: n}
	if present != nil && len(present) != n {
		out.msg = presentMsg(len(present), n)
		return out
	}
	var seen [2]bool
	for i, v := range vals {
		if present == nil || present[i] {
			seen[b2u(v)] = true
		}
	}
	lo, hi := int64(0), int64(1)
	if !seen[0] {
		lo = 1
	}
	if !seen[1] {
		hi = 0
	}
	out.col.known, out.col.fzKnown = knownBits(n, present)
	bsiColumn(out.col, n, lo, hi, seen[0] || seen[1], func(blocks []engine.Block, start, end int) {
		if len(blocks) == 0 {
			return
		}
		b := &blocks[0]
		for w := 0; start+w*64 < end; w++ {
			i := start + w*64
			j := min(end, i+64)
			b[w] = boolWord(vals[i:j])
			if present != nil {
				b[w] &= boolWord(present[i:j])
			}
		}
		clear(b[(end-start+63)/64:])
	})
	return out
}

// indexInts stores in c, a column of n customers, the known bitmap of the
// words known (a whole number of chunks, not retained) and the BSI of the
// values of those customers, in [lo, hi] (none when any is false), that
// next returns in ID order.
func indexInts(c *column, n int, known []uint64, lo, hi int64, any bool, next func() int64) {
	c.known, c.fzKnown = knownWords(n, slices.Clone(known)) // FromDense may keep its words
	var chunk [1 << engine.ChunkBits]int64
	var pr [1 << engine.ChunkBits]bool
	bsiColumn(c, n, lo, hi, any, func(blocks []engine.Block, start, end int) {
		clear(pr[:end-start])
		eachBit(known[start>>6:(end+63)>>6], func(pos uint32) {
			chunk[pos], pr[pos] = next(), true
		})
		planeBlocks(blocks, chunk[:end-start], pr[:end-start], lo)
	})
}

// bsiColumn stores in c, a column of n customers whose known bitmap is
// set, the BSI of values in [lo, hi] (none when any is false): fill sets
// the planes' blocks of the customers start to end-1 (bit j of value-lo in
// blocks[j]), overwriting them whole.
func bsiColumn(c *column, n int, lo, hi int64, any bool, fill func(blocks []engine.Block, start, end int)) {
	if !any {
		c.bsi = &bsi.BSI{}
		c.finish(nil)
		return
	}
	depth := bits.Len64(uint64(hi - lo))
	blocks := make([]engine.Block, depth)
	ws := make([]engine.Writer, depth)
	chunks := (n + 1<<engine.ChunkBits - 1) >> engine.ChunkBits
	for j := range ws {
		ws[j].Grow(chunks * 8 << 10)
	}
	for key := 0; key<<engine.ChunkBits < n; key++ {
		start := key << engine.ChunkBits
		fill(blocks, start, min(n, start+1<<engine.ChunkBits))
		for j := range blocks {
			ws[j].Add(key, &blocks[j])
		}
	}
	c.bsi = &bsi.BSI{Offset: lo, Planes: make([]*roaring.Bitmap, depth)}
	c.fzPlanes = make([]*engine.Frozen, depth)
	for j := range ws {
		c.bsi.Planes[j], c.fzPlanes[j] = ws[j].Bitmap()
		engine.Densify(c.fzPlanes[j])
	}
	c.finish(c) // keeps the views just written, adds the known one if missing
}

// knownBits returns the bitmap of the customers whose present entry is true
// (all n when present is nil), with its view when it made one.
func knownBits(n int, present []bool) (*roaring.Bitmap, *engine.Frozen) {
	if present == nil {
		return knownBitmap(n, nil), nil
	}
	chunks := (n + 1<<engine.ChunkBits - 1) >> engine.ChunkBits
	words := make([]uint64, chunks*chunkWords)
	for key := range chunks {
		start := key << engine.ChunkBits
		end := min(n, start+1<<engine.ChunkBits)
		for i := 0; start+i*64 < end; i++ {
			s := start + i*64
			words[key*chunkWords+i] = boolWord(present[s:min(end, s+64)])
		}
	}
	return knownWords(n, words)
}

// knownWords returns the bitmap of the bits of words (a whole number of
// chunks, covering n customers), with its view when it made one. It writes
// the words chunk by chunk, unless a chunk holds so few runs that a run
// container would be smaller: then it run-optimizes, as the roaring way
// (AddMany, RunOptimize) would.
func knownWords(n int, words []uint64) (*roaring.Bitmap, *engine.Frozen) {
	chunks := len(words) / chunkWords
	total, runOpt := 0, false
	for key := range chunks {
		card, runs := 0, 0
		var carry uint64
		for _, word := range words[key*chunkWords : (key+1)*chunkWords] {
			card += bits.OnesCount64(word)
			runs += bits.OnesCount64(word &^ (word<<1 | carry))
			carry = word >> 63
		}
		runOpt = runOpt || card > 0 && 2+4*runs <= min(8<<10, 2*card)
		total += card
	}
	if total == n {
		return knownBitmap(n, nil), nil
	}
	if runOpt {
		bm := roaring.FromDense(words, false)
		bm.RunOptimize()
		return bm, nil // finish makes its view, copying the containers
	}
	var w engine.Writer
	for key := range chunks {
		w.Add(key, (*engine.Block)(words[key*chunkWords:]))
	}
	return w.Bitmap()
}

func knownBitmap(n int, present []bool) *roaring.Bitmap {
	k := roaring.New()
	if present == nil {
		if n > 0 {
			k.AddRange(0, uint64(n))
		}
		return k
	}
	ids := make([]uint32, 0, n)
	for i, p := range present {
		if p {
			ids = append(ids, uint32(i))
		}
	}
	k.AddMany(ids)
	k.RunOptimize()
	return k
}

// boolWord returns the bits of up to 64 bools, bs[r] as bit r.
func boolWord(bs []bool) uint64 {
	var w uint64
	for r, v := range bs {
		w |= b2u(v) << r
	}
	return w
}

func b2u(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}

// maxBlockCodes is the number of distinct values up to which a Cat or Set
// column is indexed with one dense block per value and chunk; above it,
// through sorted ID lists.
const maxBlockCodes = 512

// codedColumn indexes a Cat or Set column: each(i, put) calls put with
// customer i's values; value makes the Value of one of them, for errors.
func codedColumn[V comparable](spec fieldSpec, n int, present []bool, each func(i int, put func(V)), value func(V) Value) Column {
	out := Column{col: &column{spec: spec, codes: map[any]uint32{}}, n: n}
	if present != nil && len(present) != n {
		out.msg = presentMsg(len(present), n)
		return out
	}
	c := out.col
	codes := map[V]uint32{}
	var ids, rowCodes pieces[uint32]
	var counts []int
	var bad *valueError
	row, i := 0, 0
	var last V
	lastK, haveLast := uint32(0), false
	check := mayPanicEq(reflect.TypeFor[V]()) // V is or holds an interface type
	put := func(v V) {
		if check {
			if msg := uncomparable(v); msg != "" {
				if bad == nil {
					bad, row = &valueError{value: v, err: ErrInvalidValue, msg: msg}, i
				}
				return
			}
		}
		if haveLast && v == last {
			// Real columns repeat values in runs: skip the map.
			ids.add(uint32(i))
			rowCodes.add(lastK)
			counts[lastK]++
			return
		}
		k, ok := codes[v]
		if !ok {
			if bad == nil {
				if err := value(v).err; err != nil {
					bad, row = err, i
				}
			}
			k = uint32(len(c.values))
			codes[v] = k
			c.codes[v] = k
			c.values = append(c.values, v)
			counts = append(counts, 0)
		}
		last, lastK, haveLast = v, k, true
		ids.add(uint32(i))
		rowCodes.add(k)
		counts[k]++
	}
	for i = 0; i < n; i++ {
		if present == nil || present[i] {
			each(i, put)
		}
	}
	if bad != nil {
		out.bad, out.row = bad, row
		return out
	}
	indexPairs(c, n, counts, func(yield func(id, k uint32)) {
		ks := rowCodes.all()
		for p, ps := range ids.all() {
			for i, id := range ps {
				yield(id, ks[p][i])
			}
		}
	})
	return out
}

func presentMsg(present, n int) string {
	return fmt.Sprintf("present has %d entries for %d values", present, n)
}
