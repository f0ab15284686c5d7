package segment

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

// TestStandingRandom applies random sequences of batches and as-of moves to
// a Standing of random segments and windows, and checks every delta against
// Movement between the two snapshots (for a move of the as-of time, against
// two evaluations of the window), the members against Eval, and each step's
// flows against Transitions.
func TestStandingRandom(t *testing.T) {
	runs := 30
	if testing.Short() {
		runs = 8
	}
	for run := range runs {
		r := rand.New(rand.NewPCG(uint64(run), 77))
		base, o := randBase(r, r.IntN(300)+1, 1)
		var named []Named
		for i := range r.IntN(6) + 1 {
			named = append(named, Named{Name: fmt.Sprintf("s%d", i), Pred: randPred(r, 3)})
		}
		st, err := NewStanding(base, named...)
		if err != nil {
			t.Fatal(err)
		}
		asOf := epoch.Add(time.Duration(r.IntN(730*24)) * time.Hour)
		st.Advance(asOf)
		windows := map[string]Window{}
		for i := range r.IntN(3) + 1 {
			w := Window{Name: fmt.Sprintf("w%d", i), Pred: randPred(r, 2), Field: tSeen,
				Last: time.Duration(r.IntN(90*24)) * time.Hour, Outside: r.IntN(2) == 0}
			if err := st.AddWindow(w); err != nil {
				t.Fatal(err)
			}
			windows[w.Name] = w
		}
		predOf := func(name string, at time.Time) Pred {
			if w, ok := windows[name]; ok {
				return w.at(at)
			}
			return named[slices.IndexFunc(named, func(n Named) bool { return n.Name == name })].Pred
		}
		check := func(step string, b *Base, at time.Time) {
			t.Helper()
			var last StandingStep
			if h := st.History(); len(h) > 0 {
				last = h[len(h)-1]
			}
			for _, name := range st.Names() {
				got, _ := st.Members(name)
				want := b.Eval(predOf(name, at))
				if !got.Equals(want) {
					t.Fatalf("run %d, %s: members of %s: %v, Eval %v", run, step, name, got.ToArray(), want.ToArray())
				}
				if i := slices.Index(last.Names, name); strings.HasPrefix(step, "step") && i >= 0 && last.Sizes[i] != want.GetCardinality() {
					t.Fatalf("run %d, %s: size of %s: %d, Eval %d", run, step, name, last.Sizes[i], want.GetCardinality())
				}
			}
		}
		check("start", base, asOf)
		for step := range 12 {
			before := st.Base()
			var deltas []Delta
			var after *Base
			from, to := asOf, asOf
			if r.IntN(3) == 0 {
				to = asOf.Add(time.Duration(r.IntN(40*24)-10*24) * time.Hour)
				deltas = st.Advance(to)
				after, asOf = before, to
			} else {
				tb := before.Batch()
				fillBatch(r, tb, o)
				after, deltas, err = st.Apply(tb)
				if err != nil {
					t.Fatal(err)
				}
				// A batch of an older snapshot is refused and changes nothing.
				if _, _, err := st.Apply(tb); !errors.Is(err, ErrStaleBatch) {
					t.Fatalf("run %d: Apply of a stale batch: err = %v, want ErrStaleBatch", run, err)
				}
			}
			what := fmt.Sprintf("step %d", step)
			if diff := cmp.Diff(st.Names(), namesOf(deltas)); diff != "" {
				t.Fatalf("run %d, %s: delta names (-want +got):\n%s", run, what, diff)
			}
			for _, d := range deltas {
				x, y := before.Eval(predOf(d.Name, from)), after.Eval(predOf(d.Name, to))
				entered, exited := roaring.AndNot(y, x), roaring.AndNot(x, y)
				if _, ok := windows[d.Name]; !ok && from == to {
					m, err := Movement(before, after, predOf(d.Name, to))
					if err != nil {
						t.Fatal(err)
					}
					entered, exited = m.Entered, m.Exited
				}
				if !d.Entered.Equals(entered) || !d.Exited.Equals(exited) {
					t.Fatalf("run %d, %s: %s entered %v exited %v; want %v and %v", run, what, d.Name,
						d.Entered.ToArray(), d.Exited.ToArray(), entered.ToArray(), exited.ToArray())
				}
			}
			check(what, after, to)
			checkFlows(t, st, before, after, from, to, predOf)
		}
		// Segments come and go.
		if !st.Drop("s0") || st.Drop("s0") {
			t.Fatalf("Drop(s0) twice: want true, then false")
		}
		if err := st.Add(Named{Name: "s0", Pred: tActive.True()}); err != nil {
			t.Fatal(err)
		}
		if err := st.Add(Named{Name: "s0", Pred: All()}); !errors.Is(err, ErrSegmentName) {
			t.Fatalf("Add of a taken name: err = %v, want ErrSegmentName", err)
		}
		named[0].Pred = tActive.True() // named[0] is s0
		check("add", st.Base(), asOf)
	}
}

func namesOf(ds []Delta) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}

// checkFlows compares the last step's flows with Transitions between the
// snapshots: every count off the diagonal, and the added row and removed
// column, must agree (customers the step did not touch stay on the
// diagonal).
func checkFlows(t *testing.T, st *Standing, before, after *Base, from, to time.Time, predOf func(string, time.Time) Pred) {
	t.Helper()
	h := st.History()
	last := h[len(h)-1]
	var segsFrom, segsTo []Named
	for _, name := range last.Names {
		segsFrom = append(segsFrom, Named{name, predOf(name, from)})
		segsTo = append(segsTo, Named{name, predOf(name, to)})
	}
	rows := partition(before, segsFrom)
	cols := partition(after, segsTo)
	n := len(last.Names)
	for i := range n + 1 {
		for j := range n + 1 {
			if i == j {
				continue
			}
			want := rows[i].AndCardinality(cols[j])
			if got := last.Flows.Counts[i][j]; got != want {
				t.Fatalf("flows[%s][%s] = %d, want %d", last.Flows.Rows[i], last.Flows.Cols[j], got, want)
			}
		}
	}
	full, err := Transitions(before, after, segsTo...)
	if err != nil {
		t.Fatal(err)
	}
	if from == to {
		if diff := cmp.Diff(full.Counts[n+1], last.Flows.Counts[n+1]); diff != "" {
			t.Fatalf("added row (-want +got):\n%s", diff)
		}
	}
	for i, s := range last.Sizes {
		if want := after.Count(segsTo[i].Pred); s != want {
			t.Fatalf("size of %s = %d, want %d", last.Names[i], s, want)
		}
	}
}

func TestStandingErrors(t *testing.T) {
	base, _ := randBase(rand.New(rand.NewPCG(1, 1)), 50, 0)
	if _, err := NewStanding(base, Named{"a", All()}, Named{"a", None()}); !errors.Is(err, ErrSegmentName) {
		t.Errorf("duplicate names: err = %v, want ErrSegmentName", err)
	}
	if _, err := NewStanding(base, Named{"", All()}); !errors.Is(err, ErrSegmentName) {
		t.Errorf("empty name: err = %v, want ErrSegmentName", err)
	}
	spend := NewDecimal("spend", 2)
	if _, err := NewStanding(base, Named{"nan", spend.Ge(nan())}); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("invalid predicate: err = %v, want ErrInvalidValue", err)
	}
	st, err := NewStanding(base, Named{"all", All()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddWindow(Window{Name: "w", Field: tSeen, Last: time.Hour}); !errors.Is(err, ErrNoAsOf) {
		t.Errorf("AddWindow before Advance: err = %v, want ErrNoAsOf", err)
	}
	other, _ := randBase(rand.New(rand.NewPCG(2, 2)), 50, 0)
	tb := other.Batch()
	if err := tb.Add("zz"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Apply(tb); !errors.Is(err, ErrStaleBatch) {
		t.Errorf("batch of another base: err = %v, want ErrStaleBatch", err)
	}
	if st.Base() != base || len(st.History()) != 0 {
		t.Errorf("a rejected Apply changed the standing set")
	}
}

func nan() float64 { return math.NaN() }

// TestStandingConcurrentReaders queries every snapshot a Standing hands
// out from other goroutines while it applies batches. Run with -race.
func TestStandingConcurrentReaders(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	base, o := randBase(r, 2000, 0)
	preds := []Pred{randPred(r, 3), randPred(r, 3), randPred(r, 3)}
	st, err := NewStanding(base, Named{"a", preds[0]}, Named{"b", preds[1]}, Named{"c", preds[2]})
	if err != nil {
		t.Fatal(err)
	}
	snaps := make(chan *Base, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var held []*Base
		for b := range snaps {
			held = append(held, b)
			for _, h := range held {
				for _, p := range preds {
					if h.Count(p) != h.Eval(p).GetCardinality() {
						t.Error("Count and Eval disagree on a snapshot")
						return
					}
				}
			}
		}
	}()
	snaps <- base
	for range 10 {
		tb := st.Base().Batch()
		fillBatch(r, tb, o)
		nb, _, err := st.Apply(tb)
		if err != nil {
			t.Fatal(err)
		}
		snaps <- nb
	}
	close(snaps)
	<-done
}
