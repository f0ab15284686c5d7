package segment

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sortedKeys returns the sorted keys of the customers of b that p matches.
func sortedKeys(b *Base, p Pred) []string {
	ks := slices.Collect(b.Keys(b.Eval(p)))
	slices.Sort(ks)
	return ks
}

// TestAlignIDs reloads a base in a shuffled order, with customers dropped,
// added and changed, and checks that the aligned base keeps prev's IDs,
// answers every query as the reload does, and moves against prev as the
// keys say.
func TestAlignIDs(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 31))
		prev, _ := randBase(r, []int{0, 40, 700, 3000}[seed%4], int(seed%3))

		// The reload: most of prev's live customers (some with new
		// values), a few new ones, in a random order, built by a Builder.
		var keys []string
		for id := range prev.IDCount() {
			if k, _ := prev.Key(id); r.IntN(10) > 0 {
				keys = append(keys, k) // live or removed in prev
			}
		}
		for i := range r.IntN(50) {
			keys = append(keys, fmt.Sprintf("new%d", i))
		}
		r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		bd := NewBuilder()
		for _, k := range keys {
			if err := bd.Add(k, randValues(r)...); err != nil {
				t.Fatal(err)
			}
		}
		next, err := bd.Build()
		if err != nil {
			t.Fatal(err)
		}
		got, err := AlignIDs(prev, next)
		if err != nil {
			t.Fatal(err)
		}
		// IDs: prev's for prev's keys, fresh ones after them otherwise.
		fresh := prev.IDCount()
		for id := range next.IDCount() {
			k, _ := next.Key(id)
			gid, ok := got.ID(k)
			if !ok {
				t.Fatalf("seed %d: %q is not live after AlignIDs", seed, k)
			}
			want, known := prev.dict.Lookup(k)
			if !known {
				want, fresh = fresh, fresh+1
			}
			if gid != want {
				t.Fatalf("seed %d: %q has ID %d, want %d", seed, k, gid, want)
			}
		}
		if got.Len() != next.Len() || got.IDCount() != fresh {
			t.Fatalf("seed %d: %d live of %d IDs, want %d of %d", seed, got.Len(), got.IDCount(), next.Len(), fresh)
		}
		// Every query selects the same customers, and moves against prev
		// as the keys say.
		for q := range 30 {
			p := randPred(r, 3)
			if q == 0 {
				p = All()
			}
			if diff := cmp.Diff(sortedKeys(next, p), sortedKeys(got, p)); diff != "" {
				t.Fatalf("seed %d: %s: (-reload +aligned):\n%s", seed, p, diff)
			}
			mv, err := Movement(prev, got, p)
			if err != nil {
				t.Fatalf("seed %d: Movement: %v", seed, err)
			}
			before, after := sortedKeys(prev, p), sortedKeys(got, p)
			var entered, exited []string
			for _, k := range after {
				if _, ok := slices.BinarySearch(before, k); !ok {
					entered = append(entered, k)
				}
			}
			for _, k := range before {
				if _, ok := slices.BinarySearch(after, k); !ok {
					exited = append(exited, k)
				}
			}
			gotIn := slices.Sorted(got.Keys(mv.Entered))
			gotOut := slices.Sorted(prev.Keys(mv.Exited))
			if diff := cmp.Diff(entered, gotIn); diff != "" {
				t.Fatalf("seed %d: %s: entered (-keys +Movement):\n%s", seed, p, diff)
			}
			if diff := cmp.Diff(exited, gotOut); diff != "" {
				t.Fatalf("seed %d: %s: exited (-keys +Movement):\n%s", seed, p, diff)
			}
		}
		// Aligning again, or a base with itself, changes nothing.
		if again, _ := AlignIDs(prev, got); again != got {
			t.Fatalf("seed %d: aligning an aligned base made a new one", seed)
		}
		if same, _ := AlignIDs(prev, prev); same != prev {
			t.Fatalf("seed %d: AlignIDs(prev, prev) made a new base", seed)
		}
	}
}

// TestAlignIDsSnapshots: without AlignIDs a reordered reload is not a
// snapshot of prev; with it, it is, and it survives a round trip through
// WriteTo and ReadBase.
func TestAlignIDsSnapshots(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	prev, _ := randBase(r, 500, 1)
	var keys []string
	for id := range prev.IDCount() {
		k, _ := prev.Key(id)
		keys = append(keys, k)
	}
	slices.Reverse(keys)
	bd := NewBuilder()
	for _, k := range keys {
		_ = bd.Add(k, randValues(r)...)
	}
	next, _ := bd.Build()
	if _, err := Movement(prev, next, All()); !errors.Is(err, ErrNotSnapshots) {
		t.Fatalf("Movement to a reversed reload: err = %v, want ErrNotSnapshots", err)
	}
	got, err := AlignIDs(prev, next)
	if err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, got)
	if _, err := Movement(prev, back, All()); err != nil {
		t.Fatalf("Movement to the aligned reload, written and read back: %v", err)
	}
	if _, err := AlignIDs(nil, next); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("AlignIDs(nil, next): err = %v, want ErrInvalidArgument", err)
	}
}

func roundTrip(t *testing.T, b *Base) *Base {
	t.Helper()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadBase(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}
