package segment

import (
	"errors"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// snapshot returns a deep copy of o, which later batches do not change.
func (o *oracle) snapshot() *oracle {
	c := &oracle{ids: maps.Clone(o.ids)}
	for _, r := range o.rows {
		c.rows = append(c.rows, &row{key: r.key, live: r.live, vals: maps.Clone(r.vals)})
	}
	return c
}

func (o *oracle) isLive(id int) bool { return id < len(o.rows) && o.rows[id].live }

func (o *oracle) matches(id int, p Pred) bool { return o.isLive(id) && o.rows[id].match(p) }

// randSnapshots returns two snapshots of one random base and their oracles.
func randSnapshots(r *rand.Rand, n int) (b1, b2 *Base, o1, o2 *oracle) {
	b1, o2 = randBase(r, n, r.IntN(2))
	o1 = o2.snapshot()
	b2 = b1
	for range r.IntN(3) + 1 {
		b2 = randBatch(r, b2, o2)
	}
	return b1, b2, o1, o2
}

func TestMovementMatchesOracle(t *testing.T) {
	for seed := range uint64(16) {
		r := rand.New(rand.NewPCG(seed, 5))
		b1, b2, o1, o2 := randSnapshots(r, []int{0, 20, 300, 2000}[seed%4])
		for q := range 10 {
			p := randPred(r, 3)
			mv, err := Movement(b1, b2, p)
			if err != nil {
				t.Fatal(err)
			}
			var want struct{ Entered, Exited, Stayed, Added, Removed []uint32 }
			for id := range len(o2.rows) {
				in1, in2 := o1.matches(id, p), o2.matches(id, p)
				u := uint32(id)
				switch {
				case in1 && in2:
					want.Stayed = append(want.Stayed, u)
				case in1:
					want.Exited = append(want.Exited, u)
				case in2:
					want.Entered = append(want.Entered, u)
				}
				switch l1, l2 := o1.isLive(id), o2.isLive(id); {
				case l2 && !l1:
					want.Added = append(want.Added, u)
				case l1 && !l2:
					want.Removed = append(want.Removed, u)
				}
			}
			got := struct{ Entered, Exited, Stayed, Added, Removed []uint32 }{
				mv.Entered.ToArray(), mv.Exited.ToArray(), mv.Stayed.ToArray(), mv.Added.ToArray(), mv.Removed.ToArray()}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("seed %d query %d: Movement(%s) (-oracle +got):\n%s", seed, q, p, diff)
			}
			c := mv.Counts()
			wc := MoveCounts{uint64(len(want.Entered)), uint64(len(want.Exited)), uint64(len(want.Stayed)),
				uint64(len(want.Added)), uint64(len(want.Removed))}
			if c != wc {
				t.Fatalf("seed %d: Counts = %+v, want %+v", seed, c, wc)
			}
		}
	}
}

func TestTransitionsMatchesOracle(t *testing.T) {
	for seed := range uint64(16) {
		r := rand.New(rand.NewPCG(seed, 9))
		b1, b2, o1, o2 := randSnapshots(r, []int{0, 20, 300, 2000}[seed%4])
		for q := range 5 {
			segs := make([]Named, r.IntN(4))
			for i := range segs {
				segs[i] = Named{Name: string(rune('A' + i)), Pred: randPred(r, 2)}
			}
			tm, err := Transitions(b1, b2, segs...)
			if err != nil {
				t.Fatal(err)
			}
			n := len(segs)
			cls := func(o *oracle, id int, gone int) int {
				if !o.isLive(id) {
					return gone
				}
				for i, s := range segs {
					if o.rows[id].match(s.Pred) {
						return i
					}
				}
				return n
			}
			want := make([][]uint64, n+2)
			for i := range want {
				want[i] = make([]uint64, n+2)
			}
			for id := range len(o2.rows) {
				if !o1.isLive(id) && !o2.isLive(id) {
					continue
				}
				want[cls(o1, id, n+1)][cls(o2, id, n+1)]++
			}
			if diff := cmp.Diff(want, tm.Counts); diff != "" {
				t.Fatalf("seed %d query %d: Transitions (-oracle +got):\n%s", seed, q, diff)
			}
			rows, cols := tm.RowTotals(), tm.ColTotals()
			var sumRows, sumCols uint64
			for i := range n + 1 {
				sumRows += rows[i]
				sumCols += cols[i]
			}
			if sumRows != uint64(b1.Len()) || sumCols != uint64(b2.Len()) {
				t.Fatalf("seed %d: rows sum to %d (base before %d), columns to %d (base after %d)", seed, sumRows, b1.Len(), sumCols, b2.Len())
			}
			mv, _ := Movement(b1, b2, All())
			if rows[n+1] != mv.Counts().Added || cols[n+1] != mv.Counts().Removed {
				t.Fatalf("seed %d: added row %d, removed column %d, want %+v", seed, rows[n+1], cols[n+1], mv.Counts())
			}
			if len(tm.Rows) != n+2 || tm.Rows[n] != NoneLabel || tm.Rows[n+1] != AddedLabel || tm.Cols[n+1] != RemovedLabel {
				t.Fatalf("seed %d: labels %q, %q", seed, tm.Rows, tm.Cols)
			}
		}
	}
}

func TestNotSnapshots(t *testing.T) {
	b1, _ := randBase(rand.New(rand.NewPCG(1, 1)), 50, 0)
	b := NewBuilder()
	for _, k := range []string{"x", "y", "z"} {
		if err := b.Add(k); err != nil {
			t.Fatal(err)
		}
	}
	b2, _ := b.Build()
	if _, err := Movement(b1, b2, All()); !errors.Is(err, ErrNotSnapshots) {
		t.Errorf("Movement of unrelated bases: err = %v, want ErrNotSnapshots", err)
	}
	if _, err := Transitions(b1, nil); !errors.Is(err, ErrNotSnapshots) {
		t.Errorf("Transitions with nil: err = %v, want ErrNotSnapshots", err)
	}
}
