package segment

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestBuilderMatchesBatch builds random bases one Builder.Add at a time and
// through one Batch on an empty base (the per-change path the Builder used
// before it buffered columns), and requires identical columns: fields
// declared late, Sets with repeats and empty Sets, Flags of one value only,
// Cat of a non-string type, Ints of one value and of wide ranges, rejected
// Adds in between, and Adds after a Build, which must leave the first base
// as it was.
func TestBuilderMatchesBatch(t *testing.T) {
	var (
		city  = NewCat[string]("city")
		code  = NewCat[int]("code")
		tags  = NewSet[string]("tags")
		nums  = NewSet[int16]("nums")
		bytes = NewSet[uint8]("bytes") // held as bytes
		on    = NewFlag("on")          // true only
		off   = NewFlag("off")         // both
		small = NewIntRange("small", -5, 5)
		wide  = NewInt("wide")
		one   = NewInt("one")
		late  = NewCat[string]("late") // first seen halfway
		mixed = NewCat[any]("mixed")   // strings and ints
		anyS  = NewSet[any]("any_set")
	)
	for _, n := range []int{1, 2, 100, 70_000, 140_000} {
		if testing.Short() && n > 1000 {
			continue
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(n), 7))
			b := NewBuilder()
			batch := emptyBase().Batch()
			var first *Base
			var firstWant *Base
			for i := range n {
				var vs []Value
				if r.IntN(4) != 0 {
					vs = append(vs, city.Value(fmt.Sprint("c", r.IntN(700)))) // > maxBlockCodes
				}
				if r.IntN(3) == 0 {
					vs = append(vs, code.Value(r.IntN(9)-4))
				}
				var ts []string
				for range r.IntN(4) {
					ts = append(ts, fmt.Sprint("t", r.IntN(6)))
				}
				vs = append(vs, tags.Values(ts...))
				if r.IntN(2) == 0 {
					vs = append(vs, nums.Values(int16(r.IntN(3)), int16(r.IntN(3))))
				}
				if r.IntN(3) != 0 {
					bs := make([]uint8, r.IntN(4))
					for j := range bs {
						bs[j] = uint8(r.IntN(250))
					}
					vs = append(vs, bytes.Values(bs...))
				}
				if r.IntN(5) != 0 {
					vs = append(vs, on.Value(true))
				}
				vs = append(vs, off.Value(r.IntN(2) == 0))
				if r.IntN(3) != 0 {
					vs = append(vs, small.Value(int64(r.IntN(11)-5)))
				}
				vs = append(vs, wide.Value(r.Int64()>>r.IntN(64)-int64(r.IntN(2))<<62), one.Value(42))
				if r.IntN(2) == 0 {
					vs = append(vs, mixed.Value(fmt.Sprint(r.IntN(3))))
				} else {
					vs = append(vs, mixed.Value(r.IntN(3)))
				}
				vs = append(vs, anyS.Values("a", 1, fmt.Sprint(r.IntN(2))))
				if i >= n/2 && r.IntN(2) == 0 {
					vs = append(vs, late.Value("x"))
				}
				r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
				key := fmt.Sprintf("k%d", i)
				if err := b.Add(key, vs...); err != nil {
					t.Fatal(err)
				}
				if err := batch.Add(key, vs...); err != nil {
					t.Fatal(err)
				}
				// Rejected Adds change nothing.
				if err := b.Add(key, city.Value("dup")); !errors.Is(err, ErrDuplicateKey) {
					t.Fatalf("duplicate key: %v", err)
				}
				if err := b.Add("new", city.Value("a"), small.Value(99)); !errors.Is(err, ErrOutOfRange) {
					t.Fatalf("out of range: %v", err)
				}
				if err := b.Add("new", NewInt("off").Value(1)); !errors.Is(err, ErrKindConflict) {
					t.Fatalf("kind conflict: %v", err)
				}
				if i == n/3 {
					var err error
					if first, err = b.Build(); err != nil {
						t.Fatal(err)
					}
					if firstWant, err = batch.Apply(); err != nil {
						t.Fatal(err)
					}
				}
			}
			got, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			want, err := batch.Apply()
			if err != nil {
				t.Fatal(err)
			}
			sameColumns(t, want, got)
			sameColumns(t, firstWant, first)
		})
	}
}
