package segment

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// Errors of a Standing set, wrapped with what was asked; test for them with
// errors.Is.
var (
	// ErrStaleBatch: a batch given to Standing.Apply was not made from the
	// standing set's current base (another base, or an older snapshot).
	ErrStaleBatch = errors.New("batch not made from the current base")
	// ErrSegmentName: a standing segment's name is empty, or already taken.
	ErrSegmentName = errors.New("bad segment name")
	// ErrNoAsOf: a Window segment was added before the as-of time was set
	// with Advance.
	ErrNoAsOf = errors.New("no as-of time set")
)

// Standing is a set of named segments kept current over a base: each batch
// applied through it advances the base and reports, per segment, who
// entered and who left, at a cost proportional to the customers the batch
// touched, not to the base. Segments defined relative to an as-of time
// (Window) move with Advance, at a cost proportional to the customers whose
// time value the window's edges crossed.
//
// A Standing is not safe for concurrent use: one goroutine applies batches
// and advances it. Every Base it hands out is immutable, so any number of
// readers may query them, and any older snapshot, while Apply runs.
type Standing struct {
	base    *Base
	asOf    time.Time // zero until the first Advance
	segs    []*standing
	indexes map[string]*timeIndex // by Time field name, for Window segments
	history []StandingStep
}

// standing is one segment of a Standing: its definition and how many
// members it has on the current base (at the current as-of time for a
// window). Its members are not kept: each step finds who moved from the
// touched customers alone, and the size follows from the deltas.
type standing struct {
	name   string
	pred   Pred
	window *Window
	fields []string // the fields its predicate reads, sorted
	size   uint64
}

// Window is a standing segment relative to the as-of time: the customers
// Pred matches whose Field lies within the Last duration that ends at the
// as-of time, both ends included (Field.Within(asOf, Last)), or, when
// Outside is set, those whose Field does not (older, later, or no value:
// "lapsing" customers).
type Window struct {
	Name    string
	Pred    Pred
	Field   Time
	Last    time.Duration
	Outside bool
}

// at returns the window's predicate as of t.
func (w *Window) at(t time.Time) Pred {
	in := w.Field.Within(t, w.Last)
	if w.Outside {
		in = Not(in)
	}
	return And(w.Pred, in)
}

// Delta is how one standing segment changed in one step: the customers who
// entered and those who exited. The bitmaps are the caller's.
type Delta struct {
	Name    string
	Entered *roaring.Bitmap
	Exited  *roaring.Bitmap
}

// StepKind says what made a StandingStep: a batch or a move of the as-of
// time.
type StepKind uint8

// The kinds of step.
const (
	StepBatch StepKind = iota + 1 // Standing.Apply
	StepAsOf                      // Standing.Advance
)

// StandingStep is the record of one Apply or Advance: the size of each
// segment after it, how many entered and exited, and the flows between
// segments of the customers the step could move (see Flows).
type StandingStep struct {
	Kind    StepKind
	AsOf    time.Time // the as-of time after the step (zero before the first Advance)
	Names   []string  // the segments, in order
	Sizes   []uint64  // members after the step, per segment
	Entered []uint64  // per segment
	Exited  []uint64  // per segment
	// Flows partitions the customers the step touched (a batch's changed,
	// added and removed customers; for Advance, those whose time value a
	// window's edge crossed) by their first segment in list order before
	// and after, as Transitions does: Counts[i][j] customers went from
	// segment i to segment j. Customers the step did not touch stayed
	// where they were and are not counted.
	Flows *TransitionMatrix
}

// NewStanding returns a standing set of the named segments over base,
// evaluating each once. Names must be unique and non-empty
// (ErrSegmentName); a predicate built from an invalid value returns its
// Err.
func NewStanding(base *Base, segs ...Named) (*Standing, error) {
	if base == nil {
		return nil, errors.New("segment: NewStanding: nil base")
	}
	s := &Standing{base: base, indexes: map[string]*timeIndex{}}
	if err := s.Add(segs...); err != nil {
		return nil, err
	}
	return s, nil
}

// Base returns the current snapshot.
func (s *Standing) Base() *Base { return s.base }

// AsOf returns the as-of time set by the last Advance, zero before.
func (s *Standing) AsOf() time.Time { return s.asOf }

// Names returns the names of the segments, in order.
func (s *Standing) Names() []string {
	out := make([]string, len(s.segs))
	for i, g := range s.segs {
		out[i] = g.name
	}
	return out
}

// Members returns the current members of the named segment, as a new
// bitmap, and whether the segment exists. It evaluates the segment on the
// current base (Base.Eval): a standing set does not keep its members.
func (s *Standing) Members(name string) (*roaring.Bitmap, bool) {
	if g := s.find(name); g != nil {
		return s.base.Eval(g.pred), true
	}
	return nil, false
}

func (s *Standing) find(name string) *standing {
	for _, g := range s.segs {
		if g.name == name {
			return g
		}
	}
	return nil
}

// Add adds named segments after the others, evaluating each once on the
// current base. It checks them all first: on an error nothing is added.
func (s *Standing) Add(segs ...Named) error {
	gs := make([]*standing, 0, len(segs))
	for _, n := range segs {
		g, err := s.newSegment(n.Name, n.Pred, nil, gs)
		if err != nil {
			return err
		}
		gs = append(gs, g)
	}
	for _, g := range gs {
		g.size = uint64(s.base.Count(g.pred))
	}
	s.segs = append(s.segs, gs...)
	return nil
}

// AddWindow adds a segment relative to the as-of time after the others,
// evaluated once at the current as-of time; it returns ErrNoAsOf before
// the first Advance.
func (s *Standing) AddWindow(w Window) error {
	if s.asOf.IsZero() {
		return fmt.Errorf("segment: AddWindow: window %s: %w: call Advance first", windowName(w.Name), ErrNoAsOf)
	}
	if w.Last < 0 {
		return &ArgError{Func: "AddWindow", Msg: fmt.Sprintf("window %s: Last is %v, want >= 0", windowName(w.Name), w.Last)}
	}
	g, err := s.newSegment(w.Name, w.Pred, &w, nil)
	if err != nil {
		return err
	}
	g.size = uint64(s.base.Count(g.pred))
	s.index(w.Field.Name())
	s.segs = append(s.segs, g)
	return nil
}

func (s *Standing) newSegment(name string, p Pred, w *Window, pending []*standing) (*standing, error) {
	taken := s.find(name) != nil || slices.ContainsFunc(pending, func(g *standing) bool { return g.name == name })
	switch {
	case name == "":
		return nil, fmt.Errorf("segment: standing segment: %w: empty name", ErrSegmentName)
	case taken:
		return nil, fmt.Errorf("segment: standing segment %q: %w: the name is taken", name, ErrSegmentName)
	}
	if err := p.Err(); err != nil {
		return nil, fmt.Errorf("segment: standing segment %q: %w", name, err)
	}
	g := &standing{name: name, pred: p, window: w}
	if w != nil {
		g.pred = w.at(s.asOf)
	}
	g.fields = fieldsOf(g.pred, nil)
	slices.Sort(g.fields)
	g.fields = slices.Compact(g.fields)
	return g, nil
}

// Drop removes the named segment and reports whether it was there.
func (s *Standing) Drop(name string) bool {
	i := slices.IndexFunc(s.segs, func(g *standing) bool { return g.name == name })
	if i < 0 {
		return false
	}
	if w := s.segs[i].window; w != nil {
		field := w.Field.Name()
		s.segs = slices.Delete(s.segs, i, i+1)
		if !slices.ContainsFunc(s.segs, func(g *standing) bool { return g.window != nil && g.window.Field.Name() == field }) {
			delete(s.indexes, field)
		}
		return true
	}
	s.segs = slices.Delete(s.segs, i, i+1)
	return true
}

// History returns the record of every Apply and Advance so far, oldest
// first. The slice and its contents are the caller's.
func (s *Standing) History() []StandingStep {
	out := make([]StandingStep, len(s.history))
	for i, h := range s.history {
		out[i] = h
		out[i].Names = slices.Clone(h.Names)
		out[i].Sizes = slices.Clone(h.Sizes)
		out[i].Entered = slices.Clone(h.Entered)
		out[i].Exited = slices.Clone(h.Exited)
		out[i].Flows = h.Flows.clone()
	}
	return out
}

// ClearHistory forgets the steps recorded so far.
func (s *Standing) ClearHistory() { s.history = nil }

// fieldsOf appends the names of the fields p reads.
func fieldsOf(p Pred, dst []string) []string {
	n := p.node()
	switch n.op {
	case nLeaf:
		return append(dst, n.leaf.spec.name)
	case nAnd, nOr, nNot:
		for _, k := range n.kids {
			dst = fieldsOf(k, dst)
		}
	}
	return dst
}

// Apply applies t, a batch made from the current base, advances to the new
// base and returns it with one Delta per segment, in order: equal to what
// Movement reports for each segment between the two snapshots (a window
// at the current as-of time). Each segment is evaluated only on the
// customers the batch added, removed, or changed, and only when the batch
// added, removed or reset customers or changed a field the segment reads.
// A batch made from another base or an older snapshot returns
// ErrStaleBatch, and an error leaves the standing set as it was.
func (s *Standing) Apply(t *Batch) (*Base, []Delta, error) {
	if t == nil || t.base != s.base {
		return nil, nil, fmt.Errorf("segment: Standing.Apply: %w", ErrStaleBatch)
	}
	nb, a := t.apply()
	return nb, s.deltas(t, nb, a), nil
}

// deltas moves every segment from the current base to nb, which batch t
// made (a is what it did), and returns the deltas.
func (s *Standing) deltas(t *Batch, nb *Base, a *applied) []Delta {
	before := newRows(s.base, a.ids)
	after := afterBatch(before, nb, a)
	touches := func(g *standing) bool {
		return a.every || slices.ContainsFunc(g.fields, func(f string) bool { return t.changed[f] })
	}
	was, now := after.slab(len(s.segs)), after.slab(len(s.segs))
	deltas := make([]Delta, len(s.segs))
	for i, g := range s.segs {
		before.evalInto(was[i], g.pred)
		if touches(g) {
			after.evalInto(now[i], g.pred)
			deltas[i] = g.update(after, was[i], now[i])
			continue
		}
		copy(now[i], was[i]) // the batch cannot move g's members
		deltas[i] = emptyDelta(g.name)
	}
	for name, ix := range s.indexes {
		ix.update(t, nb, name)
	}
	s.record(StepBatch, before.live, after.live, was, now, deltas)
	s.base = nb
	return deltas
}

// slab returns n bitsets of r's rows.
func (r *rows) slab(n int) [][]uint64 {
	all := make([]uint64, n*r.words)
	out := make([][]uint64, n)
	for i := range out {
		out[i] = all[i*r.words : (i+1)*r.words : (i+1)*r.words]
	}
	return out
}

// Advance moves the as-of time to asOf and returns one Delta per segment,
// in order (empty for segments that are not windows): who entered and who
// exited each window. Only the customers whose time value lies where a
// window's edges passed are evaluated, found through an index of each
// window's field by time. The first call sets the as-of time, and returns
// empty deltas. The as-of time may move either way.
func (s *Standing) Advance(asOf time.Time) []Delta {
	old := s.asOf
	s.asOf = asOf
	deltas := make([]Delta, len(s.segs))
	if old.IsZero() {
		for i, g := range s.segs {
			deltas[i] = emptyDelta(g.name)
			if g.window != nil {
				g.pred = g.window.at(asOf)
				g.size = uint64(s.base.Count(g.pred))
			}
		}
		return deltas
	}
	all := roaring.New()
	for _, g := range s.segs {
		if g.window != nil {
			all.Or(s.indexes[g.window.Field.Name()].crossed(old, asOf, g.window.Last))
		}
	}
	r := newRows(s.base, all.ToArray())
	r.tb = all
	was, now := r.slab(len(s.segs)), r.slab(len(s.segs))
	for i, g := range s.segs {
		if g.window == nil {
			r.evalInto(was[i], g.pred) // for the flows
			copy(now[i], was[i])
			deltas[i] = emptyDelta(g.name)
			continue
		}
		r.evalInto(was[i], g.pred)
		g.pred = g.window.at(asOf)
		r.evalInto(now[i], g.pred)
		deltas[i] = g.update(r, was[i], now[i])
	}
	s.record(StepAsOf, r.live, r.live, was, now, deltas)
	return deltas
}

// update moves g from was to now, the rows its predicate matches before
// and after, and returns the delta.
func (g *standing) update(r *rows, was, now []uint64) Delta {
	x := make([]uint64, r.words)
	andNot(x, now, was)
	d := Delta{Name: g.name, Entered: r.bitmap(x)}
	andNot(x, was, now)
	d.Exited = r.bitmap(x)
	g.size = g.size + d.Entered.GetCardinality() - d.Exited.GetCardinality()
	return d
}

func emptyDelta(name string) Delta {
	return Delta{Name: name, Entered: roaring.New(), Exited: roaring.New()}
}

// record appends a step to the history: liveBefore and liveAfter are the
// rows the step touched that are live before and after it, was[i] and
// now[i] segment i's members among them.
func (s *Standing) record(kind StepKind, liveBefore, liveAfter []uint64, was, now [][]uint64, deltas []Delta) {
	st := StandingStep{Kind: kind, AsOf: s.asOf, Names: s.Names()}
	n := len(s.segs)
	st.Sizes, st.Entered, st.Exited = make([]uint64, n), make([]uint64, n), make([]uint64, n)
	for i, g := range s.segs {
		st.Sizes[i] = g.size
		st.Entered[i] = deltas[i].Entered.GetCardinality()
		st.Exited[i] = deltas[i].Exited.GetCardinality()
	}
	st.Flows = flows(st.Names, liveBefore, liveAfter, was, now)
	s.history = append(s.history, st)
}

// flows is Transitions over the touched rows, from the segments' members
// among them before (was) and after (now), and the rows live before and
// after: each row counts once, from its first segment in list order
// before (none, or added) to its first after (none, or removed).
func flows(names []string, liveBefore, liveAfter []uint64, was, now [][]uint64) *TransitionMatrix {
	n := len(names)
	t := &TransitionMatrix{
		Rows:   append(slices.Clone(names), NoneLabel, AddedLabel),
		Cols:   append(slices.Clone(names), NoneLabel, RemovedLabel),
		Counts: make([][]uint64, n+2),
	}
	counts := make([]uint64, (n+2)*(n+2))
	for i := range t.Counts {
		t.Counts[i] = counts[i*(n+2) : (i+1)*(n+2) : (i+1)*(n+2)]
	}
	rows := len(liveBefore) * 64
	from, to := firstSegment(was, rows, n), firstSegment(now, rows, n)
	for i := range rows {
		lb, la := liveBefore[i>>6]>>(i&63)&1 != 0, liveAfter[i>>6]>>(i&63)&1 != 0
		switch {
		case lb && la:
			t.Counts[from[i]][to[i]]++
		case la: // added
			t.Counts[n+1][to[i]]++
		case lb: // removed
			t.Counts[from[i]][n+1]++
		}
	}
	return t
}

// firstSegment returns, for each of rows rows, the first i whose segs[i]
// holds it, or none.
func firstSegment(segs [][]uint64, rows, none int) []int32 {
	out := make([]int32, rows)
	for i := range out {
		out[i] = int32(none)
	}
	if len(segs) == 0 {
		return out
	}
	seen := make([]uint64, len(segs[0]))
	for i, x := range segs {
		for w, word := range x {
			word &^= seen[w]
			seen[w] |= word
			for word != 0 {
				out[w<<6+bits.TrailingZeros64(word)] = int32(i)
				word &= word - 1
			}
		}
	}
	return out
}

func (t *TransitionMatrix) clone() *TransitionMatrix {
	if t == nil {
		return nil
	}
	c := &TransitionMatrix{Rows: slices.Clone(t.Rows), Cols: slices.Clone(t.Cols), Counts: make([][]uint64, len(t.Counts))}
	for i, r := range t.Counts {
		c.Counts[i] = slices.Clone(r)
	}
	return c
}

// windowName names a window in an error message: quoted, or "(no name)".
func windowName(name string) string {
	if name == "" {
		return "(no name)"
	}
	return fmt.Sprintf("%q", name)
}
