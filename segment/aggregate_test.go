package segment

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

// randMembers returns a random member set: a random share of the IDs,
// including removed customers and IDs the base never assigned.
func randMembers(r *rand.Rand, o *oracle) *roaring.Bitmap {
	m := roaring.New()
	switch r.IntN(6) {
	case 0:
		return nil
	case 1:
		return m
	}
	p := r.Float64()
	for id := range len(o.rows) + 10 {
		if r.Float64() < p {
			m.Add(uint32(id))
		}
	}
	return m
}

// oracleMembers returns the live rows among members (all live rows for nil).
func oracleMembers(o *oracle, members *roaring.Bitmap) []*row {
	var out []*row
	for id, rw := range o.rows {
		if rw.live && (members == nil || members.Contains(uint32(id))) {
			out = append(out, rw)
		}
	}
	return out
}

func has(rw *row, f Field) (Value, bool) {
	v, ok := rw.vals[f.Name()]
	if ok && v.spec.kind == KindSet && len(v.set()) == 0 {
		ok = false
	}
	return v, ok
}

// naiveCounts counts values of a Cat, Set or Flag field among rows.
func naiveCounts(rows []*row, f Field) map[any]uint64 {
	out := map[any]uint64{}
	for _, rw := range rows {
		v, ok := has(rw, f)
		if !ok {
			continue
		}
		switch f.Kind() {
		case KindCat:
			out[v.cat()]++
		case KindSet:
			for _, x := range v.set() {
				out[x]++
			}
		case KindFlag:
			out[v.n == 1]++
		}
	}
	return out
}

// naiveQuantile is the type-7 quantile of sorted values.
func naiveQuantile(xs []float64, q float64) float64 {
	h := float64(len(xs)-1) * q
	lo := int(math.Floor(h))
	x := xs[lo]
	if frac := h - float64(lo); frac > 0 {
		x += frac * (xs[lo+1] - x)
	}
	return x
}

func naiveStats(rows []*row, f Field, scale int, qs []float64) NumberStats {
	pow := math.Pow10(scale)
	var units []int64
	for _, rw := range rows {
		if v, ok := has(rw, f); ok {
			units = append(units, v.n)
		}
	}
	st := NumberStats{Count: uint64(len(units)), Missing: uint64(len(rows) - len(units)), Quantiles: make([]float64, len(qs))}
	if len(units) == 0 {
		return st
	}
	slices.Sort(units)
	sum := new(big.Int)
	xs := make([]float64, len(units))
	for i, u := range units {
		sum.Add(sum, big.NewInt(u))
		xs[i] = float64(u) / pow
	}
	bs := new(big.Float).SetInt(sum)
	st.Sum, _ = new(big.Float).Quo(bs, big.NewFloat(pow)).Float64()
	mean := new(big.Float).Quo(bs, new(big.Float).SetUint64(uint64(len(units))))
	st.Mean, _ = mean.Quo(mean, big.NewFloat(pow)).Float64()
	st.Min, st.Max = xs[0], xs[len(xs)-1]
	for i, q := range qs {
		st.Quantiles[i] = naiveQuantile(xs, q)
	}
	return st
}

func TestAggregateMatchesOracle(t *testing.T) {
	qs := []float64{0.1, 0.25, 0.5, 0.75, 0.9, 0, 1, 0.333}
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 11))
		n := []int{0, 1, 40, 600, 3000}[seed%5]
		base, o := randBase(r, n, int(seed%3))
		for q := range 8 {
			members := randMembers(r, o)
			rows := oracleMembers(o, members)
			all := oracleMembers(o, nil)
			for _, f := range []Field{tCountry, tGender, tTier, tBought, tActive} {
				got := base.ValueCounts(f, members)
				want := naiveCounts(rows, f)
				inBase := naiveCounts(all, f)
				gotMap := map[any]uint64{}
				for _, vc := range got {
					if inBase[vc.Value] == 0 {
						t.Fatalf("seed %d q %d: ValueCounts(%s) lists %v, which no live customer has", seed, q, f.Name(), vc.Value)
					}
					if vc.Count > 0 {
						gotMap[vc.Value] = vc.Count
					}
				}
				if len(got) != len(inBase) {
					t.Fatalf("seed %d q %d: ValueCounts(%s) has %d values, base has %d", seed, q, f.Name(), len(got), len(inBase))
				}
				if diff := cmp.Diff(want, gotMap); diff != "" {
					t.Fatalf("seed %d q %d: ValueCounts(%s) mismatch (-oracle +got):\n%s", seed, q, f.Name(), diff)
				}
				kc, _ := base.KnownCount(f, members)
				var wantKnown uint64
				for _, rw := range rows {
					if _, ok := has(rw, f); ok {
						wantKnown++
					}
				}
				if kc != wantKnown && len(all) > 0 {
					t.Fatalf("seed %d q %d: KnownCount(%s) = %d, oracle %d", seed, q, f.Name(), kc, wantKnown)
				}
			}
			for _, f := range []struct {
				f     Field
				scale int
			}{{tAge, 0}, {tScore, 0}, {tSeen, 0}, {tSpend, 2}, {tActive, 0}} {
				got, ok := base.NumberStats(f.f, members, qs...)
				if !ok {
					if len(all) == 0 {
						continue // the field was never declared
					}
					t.Fatalf("seed %d q %d: NumberStats(%s) not ok", seed, q, f.f.Name())
				}
				want := naiveStats(rows, f.f, f.scale, qs)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("seed %d q %d: NumberStats(%s) mismatch (-oracle +got):\n%s", seed, q, f.f.Name(), diff)
				}
			}
		}
	}
}

func TestValueBitmap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	base, _ := randBase(r, 2000, 2)
	tests := []struct {
		name string
		got  *roaring.Bitmap
		want Pred
	}{
		{"cat", base.ValueBitmap(tCountry, "NL"), tCountry.Eq("NL")},
		{"cat int", base.ValueBitmap(tTier, 2), tTier.Eq(2)},
		{"cat wrong type", base.ValueBitmap(tTier, "2"), None()},
		{"set", base.ValueBitmap(tBought, "shoes"), tBought.Has("shoes")},
		{"unseen", base.ValueBitmap(tBought, "cars"), None()},
		{"flag", base.ValueBitmap(tActive, true), tActive.True()},
		{"flag false", base.ValueBitmap(tActive, false), tActive.False()},
		{"int", base.ValueBitmap(tAge, int64(40)), None()},
		{"unknown field", base.ValueBitmap(NewCat[int]("nope"), 1), None()},
		{"other value type", base.ValueBitmap(NewCat[int]("country"), 1), None()},
		{"declared cat", base.ValueBitmap(declaredOf(base, "country"), "NL"), tCountry.Eq("NL")},
	}
	for _, tt := range tests {
		want := base.Eval(tt.want).ToArray()
		if diff := cmp.Diff(want, tt.got.ToArray()); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func ExampleBase_NumberStats() {
	age := NewInt("age")
	city := NewCat[string]("city")
	b := NewBuilder()
	for i, a := range []int64{23, 31, 35, 42, 58} {
		_ = b.Add(fmt.Sprint("c", i), age.Value(a), city.Value([]string{"Amsterdam", "Utrecht"}[i%2]))
	}
	_ = b.Add("c5", city.Value("Amsterdam")) // no age
	base, _ := b.Build()

	members := base.Eval(city.Eq("Amsterdam"))
	st, _ := base.NumberStats(age, members, 0.5)
	fmt.Printf("count %d, missing %d, mean %.1f, min %g, max %g, median %g\n",
		st.Count, st.Missing, st.Mean, st.Min, st.Max, st.Quantiles[0])
	for _, vc := range base.ValueCounts(city, base.Eval(age.Ge(30))) {
		fmt.Printf("%v: %d\n", vc.Value, vc.Count)
	}
	// Output:
	// count 3, missing 1, mean 38.7, min 23, max 58, median 35
	// Amsterdam: 2
	// Utrecht: 2
}

func declaredOf(b *Base, name string) Field {
	f, _ := b.Declared(name)
	return f
}

// TestDeclared checks that the handles Declared returns are the base's
// fields: predicates and aggregates through them agree with the typed
// handles.
func TestDeclared(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	base, _ := randBase(r, 2000, 2)
	for _, typed := range []Field{tCountry, tBought, tAge, tActive, tSeen, tSpend} {
		f, ok := base.Declared(typed.Name())
		if !ok {
			t.Fatalf("Declared(%q): not found", typed.Name())
		}
		if f.Name() != typed.Name() || f.Kind() != typed.Kind() || !f.spec().sameAs(typed.spec()) {
			t.Errorf("Declared(%q) = %s %s, want %s %s", typed.Name(), f.Name(), f.Kind(), typed.Name(), typed.Kind())
		}
		if !base.Eval(f.Known()).Equals(base.Eval(typed.Known())) || !base.Eval(f.Missing()).Equals(base.Eval(typed.Missing())) {
			t.Errorf("Declared(%q): Known or Missing differ from the typed handle's", typed.Name())
		}
		if diff := cmp.Diff(base.ValueCounts(typed, nil), base.ValueCounts(f, nil)); diff != "" {
			t.Errorf("Declared(%q): ValueCounts (-typed +declared):\n%s", typed.Name(), diff)
		}
	}
	if age, _ := base.Declared("age"); !base.Eval(age.(Int).Ge(40)).Equals(base.Eval(tAge.Ge(40))) {
		t.Error("Declared(age).Ge(40) differs from NewInt(age).Ge(40)")
	}
	if f, ok := base.Declared("nope"); ok || f != nil {
		t.Errorf("Declared(nope) = %v, %v; want nil, false", f, ok)
	}
}

// TestTypedCounts checks Cat.Counts and Set.Counts against ValueCounts.
func TestTypedCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	base, _ := randBase(r, 2000, 2)
	members := base.Eval(tActive.True())
	for _, m := range []*roaring.Bitmap{nil, members} {
		var fromAny []Counted[string]
		for _, vc := range base.ValueCounts(tCountry, m) {
			fromAny = append(fromAny, Counted[string]{vc.Value.(string), vc.Count})
		}
		if diff := cmp.Diff(fromAny, tCountry.Counts(base, m)); diff != "" {
			t.Errorf("Cat.Counts (-ValueCounts +Counts):\n%s", diff)
		}
		fromAny = nil
		for _, vc := range base.ValueCounts(tBought, m) {
			fromAny = append(fromAny, Counted[string]{vc.Value.(string), vc.Count})
		}
		if diff := cmp.Diff(fromAny, tBought.Counts(base, m)); diff != "" {
			t.Errorf("Set.Counts (-ValueCounts +Counts):\n%s", diff)
		}
	}
	if got := NewCat[int]("country").Counts(base, nil); got != nil {
		t.Errorf("Counts of a handle of another value type = %v, want nil", got)
	}
}

func ExampleCat_Counts() {
	city := NewCat[string]("city")
	b := NewBuilder()
	for i, c := range []string{"Amsterdam", "Utrecht", "Amsterdam", "Delft"} {
		_ = b.Add(fmt.Sprint("c", i), city.Value(c))
	}
	base, _ := b.Build()
	for _, c := range city.Counts(base, nil) {
		fmt.Printf("%s: %d\n", c.Value, c.Count) // c.Value is a string
	}
	// Output:
	// Amsterdam: 2
	// Utrecht: 1
	// Delft: 1
}
