package benchmarks

import (
	"math"
	"strconv"

	"github.com/bits-and-blooms/bitset"
	"github.com/fabeed28/microseg/segment"
)

// SweepEngine answers sweep queries over the sweep data. Build is called
// once; the other methods any number of times, not concurrently.
type SweepEngine interface {
	Name() string
	Build(d *SweepData) error
	// Count returns the number of rows q matches.
	Count(q *SweepQuery) uint64
	// Set returns the rows q matches as a new set in the engine's own form.
	Set(q *SweepQuery) Result
	// AppendIDs appends the IDs q matches to dst in increasing order.
	AppendIDs(dst []uint32, q *SweepQuery) []uint32
}

// SweepEngines returns new, unbuilt sweep engines: the row loop (a), dense
// bitsets (c), and microseg declared the tuned way and loaded with
// FromColumns, declared the plain way, and loaded with Builder.Add.
func SweepEngines() []SweepEngine {
	return []SweepEngine{
		&SweepRows{},
		&SweepBitsets{},
		&SweepMicroseg{},
		&SweepMicroseg{Plain: true},
		&SweepMicroseg{UseAdd: true},
	}
}

// SweepRows is engine (a) for the sweep data: one loop over the packed rows
// with the conditions of the Q1 shape written out (code mask, age and score
// bounds, flag mask, tag masks); a term left out of a query is a condition
// that always holds.
type SweepRows struct {
	rows []SweepRow
}

// Name returns "rows".
func (e *SweepRows) Name() string { return "rows" }

// Build keeps d's rows.
func (e *SweepRows) Build(d *SweepData) error { e.rows = d.Rows; return nil }

// rowFilter is a SweepQuery compiled to the row loop's conditions.
type rowFilter struct {
	cat              int
	codes            [4]uint64 // code c matches when bit c is set
	ageLo, ageHi     int8
	scoreLo, scoreHi int32
	flags            uint16    // every flag set here must be set
	all, any         [2]uint64 // every tag of all, and one of any (when any is not zero)
}

func compileRows(q *SweepQuery) rowFilter {
	f := rowFilter{codes: [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)},
		ageLo: math.MinInt8, ageHi: math.MaxInt8, scoreLo: math.MinInt32, scoreHi: math.MaxInt32}
	catSeen, anySeen := false, false
	for _, t := range q.Terms {
		switch t.Kind {
		case SwCat:
			if catSeen {
				panic("sweep rows: two categorical terms")
			}
			catSeen, f.cat, f.codes = true, t.Field, [4]uint64{}
			for _, v := range t.Vals {
				f.codes[v/64] |= 1 << (v % 64)
			}
		case SwAge:
			f.ageLo = int8(max(int64(f.ageLo), max(t.Lo, MinAge)))
			f.ageHi = int8(min(int64(f.ageHi), min(t.Hi, MaxAge)))
		case SwScore:
			f.scoreLo = int32(max(int64(f.scoreLo), max(t.Lo, math.MinInt32)))
			f.scoreHi = int32(min(int64(f.scoreHi), min(t.Hi, math.MaxInt32)))
		case SwFlag:
			f.flags |= 1 << t.Vals[0]
		case SwHas, SwHasAll:
			for _, v := range t.Vals {
				f.all[v/64] |= 1 << (v % 64)
			}
		case SwHasAny:
			if anySeen {
				panic("sweep rows: two has-any terms")
			}
			anySeen = true
			for _, v := range t.Vals {
				f.any[v/64] |= 1 << (v % 64)
			}
		}
	}
	return f
}

// scan is the loop; with out nil it only counts.
func (e *SweepRows) scan(q *SweepQuery, out *[]uint32) int {
	f := compileRows(q)
	anyOn := f.any != [2]uint64{}
	n := 0
	for i := range e.rows {
		r := &e.rows[i]
		c := r.Cat[f.cat]
		if f.codes[c/64]>>(c%64)&1 == 0 ||
			r.Age < f.ageLo || r.Age > f.ageHi ||
			r.Score < f.scoreLo || r.Score > f.scoreHi ||
			r.Flags&f.flags != f.flags ||
			r.Tags[0]&f.all[0] != f.all[0] || r.Tags[1]&f.all[1] != f.all[1] ||
			anyOn && r.Tags[0]&f.any[0] == 0 && r.Tags[1]&f.any[1] == 0 {
			continue
		}
		n++
		if out != nil {
			*out = append(*out, uint32(i))
		}
	}
	return n
}

// Count loops over the rows.
func (e *SweepRows) Count(q *SweepQuery) uint64 { return uint64(e.scan(q, nil)) }

// Set loops over the rows and collects the matching IDs in a new slice.
func (e *SweepRows) Set(q *SweepQuery) Result {
	var out []uint32
	e.scan(q, &out)
	return Slice(out)
}

// AppendIDs loops over the rows and appends the matching IDs to dst.
func (e *SweepRows) AppendIDs(dst []uint32, q *SweepQuery) []uint32 {
	e.scan(q, &dst)
	return dst
}

// SweepBitsets is engine (c) for the sweep data: one dense bitset per
// categorical code, flag and tag; age range-encoded (one bitset of
// "age <= v" per v); score bit-sliced and compared word by word.
type SweepBitsets struct {
	n     uint
	cat   [SweepCatFields][]*bitset.BitSet
	ageLE [MaxAge + 1]*bitset.BitSet
	score denseBSI
	flags [SweepFlags]*bitset.BitSet
	tags  [SweepTags]*bitset.BitSet
	buf   []uint
}

// Name returns "bitset".
func (e *SweepBitsets) Name() string { return "bitset" }

// Build sets one bit per row in each of its values' bitsets.
func (e *SweepBitsets) Build(d *SweepData) error {
	n := uint(len(d.Rows))
	e.n = n
	for j := range e.cat {
		e.cat[j] = make([]*bitset.BitSet, len(SweepTargets)<<j+1)
		for c := range e.cat[j] {
			e.cat[j][c] = bitset.New(n)
		}
	}
	var ageEq [MaxAge + 1]*bitset.BitSet
	for v := range ageEq {
		ageEq[v] = bitset.New(n)
	}
	for g := range e.flags {
		e.flags[g] = bitset.New(n)
	}
	for t := range e.tags {
		e.tags[t] = bitset.New(n)
	}
	for i := range d.Rows {
		r := &d.Rows[i]
		u := uint(i)
		for j, c := range r.Cat {
			e.cat[j][c].Set(u)
		}
		if r.Age != Missing {
			ageEq[r.Age].Set(u)
		}
		for g := range e.flags {
			if r.Flags>>g&1 == 1 {
				e.flags[g].Set(u)
			}
		}
		for t := range e.tags {
			if r.HasTag(uint8(t)) {
				e.tags[t].Set(u)
			}
		}
	}
	e.ageLE[0] = ageEq[0]
	for v := 1; v <= MaxAge; v++ {
		e.ageLE[v] = e.ageLE[v-1].Union(ageEq[v])
	}
	rows := d.Rows
	e.score = newDenseBSI(n, func(i int) uint64 { return uint64(rows[i].Score) })
	return nil
}

// term returns the rows matching t; owned says whether the caller may
// change the result.
func (e *SweepBitsets) term(t *SweepTerm) (bs *bitset.BitSet, owned bool) {
	union := func(sets []*bitset.BitSet, vals []uint8) *bitset.BitSet {
		out := sets[vals[0]].Clone()
		for _, v := range vals[1:] {
			out.InPlaceUnion(sets[v])
		}
		return out
	}
	switch t.Kind {
	case SwCat:
		if len(t.Vals) == 1 {
			return e.cat[t.Field][t.Vals[0]], false
		}
		return union(e.cat[t.Field], t.Vals), true
	case SwAge:
		lo, hi := max(t.Lo, MinAge), min(t.Hi, MaxAge)
		if lo > hi {
			return bitset.New(e.n), true
		}
		return e.ageLE[hi].Difference(e.ageLE[lo-1]), true
	case SwScore:
		out := e.score.gt(t.Lo - 1)
		if t.Hi < ScoreRange {
			out.InPlaceDifference(e.score.gt(t.Hi))
		}
		return out, true
	case SwFlag:
		return e.flags[t.Vals[0]], false
	case SwHas:
		return e.tags[t.Vals[0]], false
	case SwHasAny:
		return union(e.tags[:], t.Vals), true
	case SwHasAll:
		out := e.tags[t.Vals[0]].Clone()
		for _, v := range t.Vals[1:] {
			out.InPlaceIntersection(e.tags[v])
		}
		return out, true
	}
	panic("unknown sweep term")
}

func (e *SweepBitsets) eval(q *SweepQuery) *bitset.BitSet {
	var acc *bitset.BitSet
	for i := range q.Terms {
		bs, owned := e.term(&q.Terms[i])
		switch {
		case acc == nil && owned:
			acc = bs
		case acc == nil:
			acc = bs.Clone()
		default:
			acc.InPlaceIntersection(bs)
		}
	}
	return acc
}

// Count evaluates q and counts the bits.
func (e *SweepBitsets) Count(q *SweepQuery) uint64 { return uint64(e.eval(q).Count()) }

// Set evaluates q to a bitset.
func (e *SweepBitsets) Set(q *SweepQuery) Result { return bitsetResult{e.eval(q)} }

// AppendIDs evaluates q and appends its bits to dst.
func (e *SweepBitsets) AppendIDs(dst []uint32, q *SweepQuery) []uint32 {
	bs := e.eval(q)
	if e.buf == nil {
		e.buf = make([]uint, 4096)
	}
	for i, got := bs.NextSetMany(0, e.buf); len(got) > 0; i, got = bs.NextSetMany(i+1, e.buf) {
		for _, v := range got {
			dst = append(dst, uint32(v))
		}
	}
	return dst
}

// SweepMicroseg is engine (h) for the sweep data. By default its fields are
// declared the tuned way (Cat[uint8] codes, NewIntRange) and it loads with
// segment.FromColumns; Plain declares them the plain way (Cat[string] and
// Set[string] with string values, NewInt); UseAdd loads with Builder.Add.
type SweepMicroseg struct {
	Plain, UseAdd bool
	base          *segment.Base
	preds         map[*SweepQuery]segment.Pred
}

// The sweep fields, both ways.
var (
	swCat      [SweepCatFields]segment.Cat[uint8]
	swCatS     [SweepCatFields]segment.Cat[string]
	swAge      = segment.NewIntRange("age", MinAge, MaxAge)
	swAgeP     = segment.NewInt("age")
	swScore    = segment.NewIntRange("score", 0, ScoreRange-1)
	swScoreP   = segment.NewInt("score")
	swFlag     [SweepFlags]segment.Flag
	swTags     = segment.NewSet[uint8]("tags")
	swTagsS    = segment.NewSet[string]("tags")
	swCodeName [256]string // the string value of code c: "v<c>"
	swTagName  [SweepTags]string
)

func init() {
	for j := range swCat {
		name := "c" + strconv.Itoa(1<<j)
		swCat[j], swCatS[j] = segment.NewCat[uint8](name), segment.NewCat[string](name)
	}
	for g := range swFlag {
		swFlag[g] = segment.NewFlag("f" + strconv.Itoa(g))
	}
	for c := range swCodeName {
		swCodeName[c] = "v" + strconv.Itoa(c)
	}
	for t := range swTagName {
		swTagName[t] = "t" + strconv.Itoa(t)
	}
}

// Name returns "microseg", "microseg-plain" or "microseg-add".
func (e *SweepMicroseg) Name() string {
	switch {
	case e.Plain:
		return "microseg-plain"
	case e.UseAdd:
		return "microseg-add"
	}
	return "microseg"
}

func tagList(r *SweepRow) []uint8 {
	var out []uint8
	for t := range SweepTags {
		if r.HasTag(uint8(t)) {
			out = append(out, uint8(t))
		}
	}
	return out
}

// Build loads d.
func (e *SweepMicroseg) Build(d *SweepData) error {
	e.preds = nil
	n := len(d.Rows)
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	if e.UseAdd {
		return e.buildAdd(d, keys)
	}
	age, hasAge := make([]int64, n), make([]bool, n)
	score := make([]int64, n)
	flags := make([][]bool, SweepFlags)
	for g := range flags {
		flags[g] = make([]bool, n)
	}
	for i := range d.Rows {
		r := &d.Rows[i]
		if r.Age != Missing {
			age[i], hasAge[i] = int64(r.Age), true
		}
		score[i] = int64(r.Score)
		for g := range flags {
			flags[g][i] = r.Flags>>g&1 == 1
		}
	}
	var cols []segment.Column
	if e.Plain {
		for j := range swCatS {
			vals := make([]string, n)
			for i := range d.Rows {
				vals[i] = swCodeName[d.Rows[i].Cat[j]]
			}
			cols = append(cols, swCatS[j].Column(vals, nil))
		}
		tags := make([][]string, n)
		for i := range d.Rows {
			for _, t := range tagList(&d.Rows[i]) {
				tags[i] = append(tags[i], swTagName[t])
			}
		}
		cols = append(cols, swAgeP.Column(age, hasAge), swScoreP.Column(score, nil), swTagsS.Column(tags))
	} else {
		for j := range swCat {
			vals := make([]uint8, n)
			for i := range d.Rows {
				vals[i] = d.Rows[i].Cat[j]
			}
			cols = append(cols, swCat[j].Column(vals, nil))
		}
		tags := make([][]uint8, n)
		for i := range d.Rows {
			tags[i] = tagList(&d.Rows[i])
		}
		cols = append(cols, swAge.Column(age, hasAge), swScore.Column(score, nil), swTags.Column(tags))
	}
	for g := range flags {
		cols = append(cols, swFlag[g].Column(flags[g], nil))
	}
	base, err := segment.FromColumns(keys, cols...)
	e.base = base
	return err
}

func (e *SweepMicroseg) buildAdd(d *SweepData, keys []string) error {
	b := segment.NewBuilder()
	vals := make([]segment.Value, 0, 20)
	var tags []uint8
	for i := range d.Rows {
		r := &d.Rows[i]
		vals = vals[:0]
		for j := range swCat {
			vals = append(vals, swCat[j].Value(r.Cat[j]))
		}
		if r.Age != Missing {
			vals = append(vals, swAge.Value(int64(r.Age)))
		}
		vals = append(vals, swScore.Value(int64(r.Score)))
		for g := range swFlag {
			vals = append(vals, swFlag[g].Value(r.Flags>>g&1 == 1))
		}
		tags = tags[:0]
		for t := range SweepTags {
			if r.HasTag(uint8(t)) {
				tags = append(tags, uint8(t))
			}
		}
		if len(tags) > 0 {
			vals = append(vals, swTags.Values(tags...))
		}
		if err := b.Add(keys[i], vals...); err != nil {
			return err
		}
	}
	base, err := b.Build()
	e.base = base
	return err
}

func (e *SweepMicroseg) term(t *SweepTerm) segment.Pred {
	strs := func(vs []uint8, names []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = names[v]
		}
		return out
	}
	age, score := swAge, swScore
	if e.Plain {
		age, score = swAgeP, swScoreP
	}
	switch t.Kind {
	case SwCat:
		if e.Plain {
			return swCatS[t.Field].In(strs(t.Vals, swCodeName[:])...)
		}
		return swCat[t.Field].In(t.Vals...)
	case SwAge:
		return age.Between(t.Lo, t.Hi)
	case SwScore:
		if t.Hi == math.MaxInt64 {
			return score.Ge(t.Lo)
		}
		return score.Between(t.Lo, t.Hi)
	case SwFlag:
		return swFlag[t.Vals[0]].True()
	case SwHas:
		if e.Plain {
			return swTagsS.Has(swTagName[t.Vals[0]])
		}
		return swTags.Has(t.Vals[0])
	case SwHasAny:
		if e.Plain {
			return swTagsS.HasAny(strs(t.Vals, swTagName[:])...)
		}
		return swTags.HasAny(t.Vals...)
	case SwHasAll:
		if e.Plain {
			return swTagsS.HasAll(strs(t.Vals, swTagName[:])...)
		}
		return swTags.HasAll(t.Vals...)
	}
	panic("unknown sweep term")
}

// pred returns q's predicate, built on the first call for q and reused, as
// an application keeps its segment definitions.
func (e *SweepMicroseg) pred(q *SweepQuery) segment.Pred {
	if p, ok := e.preds[q]; ok {
		return p
	}
	if e.preds == nil {
		e.preds = map[*SweepQuery]segment.Pred{}
	}
	var and []segment.Pred
	for i := range q.Terms {
		and = append(and, e.term(&q.Terms[i]))
	}
	p := segment.And(and...)
	e.preds[q] = p
	return p
}

// Count returns base.Count.
func (e *SweepMicroseg) Count(q *SweepQuery) uint64 { return e.base.Count(e.pred(q)) }

// Set returns base.Eval, a new bitmap the caller owns.
func (e *SweepMicroseg) Set(q *SweepQuery) Result { return roaringResult{e.base.Eval(e.pred(q))} }

// AppendIDs returns base.AppendIDs.
func (e *SweepMicroseg) AppendIDs(dst []uint32, q *SweepQuery) []uint32 {
	return e.base.AppendIDs(dst, e.pred(q))
}
