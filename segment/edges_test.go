package segment

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Regression tests for defects found with hostile input (issue 13), and the
// numeric edge tables: every comparison of every numeric field kind at 0,
// ±1, the smallest step, 2^53, the int64 extremes, ±Inf and NaN, against an
// oracle computed with math/big.

func mustBuild(t *testing.T, add func(b *Builder) error) *Base {
	t.Helper()
	b := NewBuilder()
	if err := add(b); err != nil {
		t.Fatal(err)
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

func keysOf(b *Base, p Pred) []string {
	return slices.Sorted(b.Keys(b.Eval(p)))
}

func TestBatchClearAbsentField(t *testing.T) {
	country, age := NewCat[string]("country"), NewInt("age")
	base := mustBuild(t, func(b *Builder) error {
		return b.Add("alice", country.Value("NL"), age.Value(30))
	})
	tb := base.Batch()
	if err := tb.Clear("alice", NewInt("nosuch")); err != nil {
		t.Fatal(err)
	}
	next, err := tb.Apply()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Pred{country.Eq("NL"), age.Eq(30), country.Known(), age.Known()} {
		if got := keysOf(next, p); !slices.Equal(got, []string{"alice"}) {
			t.Errorf("after Clear of an absent field, %s = %v, want [alice]", p, got)
		}
	}

	// A field declared earlier in the batch is cleared; one declared later is set.
	tb = base.Batch()
	tier := NewInt("tier")
	if err := tb.Set("alice", tier.Value(3)); err != nil {
		t.Fatal(err)
	}
	if err := tb.Clear("alice", tier); err != nil {
		t.Fatal(err)
	}
	next, err = tb.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(next, tier.Known()); len(got) != 0 {
		t.Errorf("Set then Clear of a new field: tier known for %v, want nobody", got)
	}

	// A base with no fields at all.
	empty := mustBuild(t, func(b *Builder) error { return b.Add("bob") })
	tb = empty.Batch()
	if err := tb.Clear("bob", NewInt("nosuch"), NewCat[string]("other")); err != nil {
		t.Fatal(err)
	}
	next, err = tb.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(next, All()); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("live after Clear on a base without fields = %v, want [bob]", got)
	}

	if err := base.Batch().Clear("alice", nil); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("Clear with a nil field: err = %v, want ErrInvalidValue", err)
	}
}

func TestBatchAddTwiceMessage(t *testing.T) {
	base := mustBuild(t, func(b *Builder) error { return b.Add("old") })
	tb := base.Batch()
	if err := tb.Add("new"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ key, want string }{
		{"new", `segment: add "new": duplicate key: the key was added earlier in this batch`},
		{"old", `segment: add "old": duplicate key: the base already has a live customer with this key`},
	}
	for _, tt := range tests {
		err := tb.Add(tt.key)
		if !errors.Is(err, ErrDuplicateKey) || err.Error() != tt.want {
			t.Errorf("Add(%q) twice: err = %v, want %s", tt.key, err, tt.want)
		}
	}
}

type holder struct{ X any }

func TestUncomparableValues(t *testing.T) {
	anyCat, anySet, structCat := NewCat[any]("a"), NewSet[any]("s"), NewCat[holder]("h")
	base := mustBuild(t, func(b *Builder) error {
		return b.Add("k", anyCat.Value(1), anySet.Values("x", 2), structCat.Value(holder{X: "y"}))
	})
	bad := []Value{
		anyCat.Value([]int{1}),
		anyCat.Value(map[string]int{}),
		anySet.Values("x", []int{1}),
		structCat.Value(holder{X: []int{1}}),
	}
	for _, v := range bad {
		err := NewBuilder().Add("k", v)
		if !errors.Is(err, ErrInvalidValue) {
			t.Errorf("Add of %s with an uncomparable value: err = %v, want ErrInvalidValue", v.Field(), err)
		}
		if err := base.Batch().Set("k", v); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("Set of %s with an uncomparable value: err = %v, want ErrInvalidValue", v.Field(), err)
		}
	}
	preds := []Pred{
		anyCat.Eq([]int{1}),
		anyCat.Ne([]int{1}),
		anyCat.In(1, []int{1}),
		anySet.Has([]int{1}),
		anySet.HasAny("x", []int{1}),
		anySet.HasAll([]int{1}),
		structCat.Eq(holder{X: []int{1}}),
	}
	for _, p := range preds {
		if err := p.Err(); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("%s: Err() = %v, want ErrInvalidValue", p, err)
		}
		if n := base.Count(p); n != 0 {
			t.Errorf("%s matches %d customers, want 0", p, n)
		}
		if _, err := Parse(p.String(), base); err == nil {
			t.Errorf("the text of invalid %s parses", p)
		}
	}
	// Inside Not, the invalid part still matches nobody (so Not of it
	// matches everybody), and Err reports it.
	composite := And(anyCat.Known(), Not(anyCat.Eq([]int{1})))
	if err := composite.Err(); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("%s: Err() = %v, want ErrInvalidValue", composite, err)
	}
	if n := base.Count(composite); n != 1 {
		t.Errorf("%s matches %d customers, want 1", composite, n)
	}
	if err := And(anyCat.Eq(1), anySet.Has(2)).Err(); err != nil {
		t.Errorf("valid predicate: Err() = %v", err)
	}
	if n := base.ValueBitmap(anyCat, []int{1}).GetCardinality(); n != 0 {
		t.Errorf("ValueBitmap of a slice = %d customers, want 0", n)
	}
	_, err := FromColumns([]string{"a", "b"}, anyCat.Column([]any{1, []int{1}}, nil))
	if !errors.Is(err, ErrInvalidValue) {
		t.Errorf("FromColumns with an uncomparable value: err = %v, want ErrInvalidValue", err)
	}
	_, err = FromColumns([]string{"a", "b"}, anySet.Column([][]any{{1}, {"x", map[int]int{}}}))
	if !errors.Is(err, ErrInvalidValue) {
		t.Errorf("FromColumns of a Set with an uncomparable value: err = %v, want ErrInvalidValue", err)
	}
}

// edgeInts are stored integers at the edges of int64 and of float64's exact
// integers.
var edgeInts = []int64{
	math.MinInt64, math.MinInt64 + 1, -(1 << 53) - 1, -(1 << 53), -1000, -1, 0, 1, 2, 999, 1000,
	1 << 53, 1<<53 + 1, 1000000000100, 100000000100, math.MaxInt64 - 1, math.MaxInt64,
}

// ratCmp compares the stored units u of a field at scale with the bound x
// (the shortest decimal of a finite float64, or ±Inf): -1, 0 or 1.
func ratCmp(u int64, scale int, x float64) int {
	switch {
	case math.IsInf(x, 1):
		return -1
	case math.IsInf(x, -1):
		return 1
	}
	b, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		panic(x)
	}
	v := new(big.Rat).SetFrac(big.NewInt(u), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	return v.Cmp(b)
}

func TestDecimalEdges(t *testing.T) {
	bounds := []float64{
		math.Inf(-1), -math.MaxFloat64, -1e300, -1e19, -9.223372036854775808e18, -92233720368547758.08,
		-1, -0.01, -1e-9, math.Copysign(0, -1), 0, 1e-9, 2e-9, 0.001, 0.005, 0.01, 0.1, 0.3, 1, 12.345,
		100.0000001, 100.0000002, 10_000_000_001, 10_000_000_005, 1 << 53, 1<<53 + 2, 9007199254740993,
		92233720368547758.07, 9.223372036854775807e18, 1e19, 1e300, math.MaxFloat64, math.Inf(1),
	}
	for _, scale := range []int{0, 2, 9} {
		f := NewDecimal(fmt.Sprintf("d%d", scale), scale)
		base := mustBuild(t, func(b *Builder) error {
			for _, u := range edgeInts {
				if err := b.Add(strconv.FormatInt(u, 10), f.Units(u)); err != nil {
					return err
				}
			}
			return b.Add("none")
		})
		for _, x := range bounds {
			ops := []struct {
				name string
				p    Pred
				want func(c int) bool
			}{
				{"Eq", f.Eq(x), func(c int) bool { return c == 0 }},
				{"Lt", f.Lt(x), func(c int) bool { return c < 0 }},
				{"Le", f.Le(x), func(c int) bool { return c <= 0 }},
				{"Gt", f.Gt(x), func(c int) bool { return c > 0 }},
				{"Ge", f.Ge(x), func(c int) bool { return c >= 0 }},
				{"Between(x, 1e3)", f.Between(math.Min(x, 1e3), math.Max(x, 1e3)), nil},
			}
			for _, op := range ops {
				var want []string
				for _, u := range edgeInts {
					var ok bool
					if op.want != nil {
						ok = op.want(ratCmp(u, scale, x))
					}
					if op.want == nil { // Between, in either order
						ok = ratCmp(u, scale, math.Min(x, 1e3)) >= 0 && ratCmp(u, scale, math.Max(x, 1e3)) <= 0
					}
					if ok {
						want = append(want, strconv.FormatInt(u, 10))
					}
				}
				slices.Sort(want)
				got := keysOf(base, op.p)
				if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" {
					t.Errorf("scale %d: %s(%v) = %s: (-want +got)\n%s", scale, op.name, x, op.p, diff)
				}
				if err := op.p.Err(); err != nil {
					t.Errorf("scale %d: %s(%v).Err() = %v", scale, op.name, x, err)
				}
				// The text form selects the same customers.
				q, err := Parse(op.p.String(), base)
				if err != nil {
					t.Errorf("scale %d: %s(%v) prints %q, which does not parse: %v", scale, op.name, x, op.p, err)
				} else if got2 := keysOf(base, q); !slices.Equal(got, got2) {
					t.Errorf("scale %d: %s(%v): text %q selects %v, the predicate %v", scale, op.name, x, op.p, got2, got)
				}
			}
		}
		for _, p := range []Pred{f.Eq(math.NaN()), f.Lt(math.NaN()), f.Le(math.NaN()), f.Gt(math.NaN()),
			f.Ge(math.NaN()), f.Between(math.NaN(), 1), f.Between(0, math.NaN())} {
			if err := p.Err(); !errors.Is(err, ErrInvalidValue) {
				t.Errorf("scale %d: %s: Err() = %v, want ErrInvalidValue", scale, p, err)
			}
			if n := base.Count(p); n != 0 {
				t.Errorf("scale %d: %s matches %d, want 0", scale, p, n)
			}
			if _, err := Parse(p.String(), base); err == nil {
				t.Errorf("scale %d: the text %q of a NaN bound parses", scale, p)
			}
		}
	}
}

func TestDecimalIssueExamples(t *testing.T) {
	d2, d9 := NewDecimal("d2", 2), NewDecimal("d9", 9)
	base := mustBuild(t, func(b *Builder) error {
		return b.Add("a", d2.Value(10_000_000_001.00), d9.Value(100.0000001))
	})
	tests := []struct {
		p    Pred
		want uint64
	}{
		{d2.Ge(10_000_000_005), 0},
		{d2.Eq(10_000_000_005), 0},
		{d2.Eq(10_000_000_001), 1},
		{d2.Ge(10_000_000_001), 1},
		{d9.Ge(100.0000002), 0},
		{d9.Ge(100.0000001), 1},
		{d9.Eq(100.0000001), 1},
		{d2.Ge(math.Inf(1)), 0},
		{d2.Eq(math.Inf(1)), 0},
		{d2.Le(math.Inf(-1)), 0},
		{d2.Le(math.Inf(1)), 1},
		{d2.Ge(math.Inf(-1)), 1},
		{d2.Between(math.Inf(-1), math.Inf(1)), 1},
	}
	for _, tt := range tests {
		if got := base.Count(tt.p); got != tt.want {
			t.Errorf("%s: count %d, want %d", tt.p, got, tt.want)
		}
	}
}

// TestIntEdges checks every comparison of Int, Time and Flag fields at the
// int64 edges against plain integer comparisons.
func TestIntEdges(t *testing.T) {
	x := NewInt("x")
	base := mustBuild(t, func(b *Builder) error {
		for _, v := range edgeInts {
			if err := b.Add(strconv.FormatInt(v, 10), x.Value(v)); err != nil {
				return err
			}
		}
		return b.Add("none")
	})
	for _, a := range edgeInts {
		for _, tt := range []struct {
			name string
			p    Pred
			want func(v int64) bool
		}{
			{"Eq", x.Eq(a), func(v int64) bool { return v == a }},
			{"Ne", x.Ne(a), func(v int64) bool { return v != a }},
			{"Lt", x.Lt(a), func(v int64) bool { return v < a }},
			{"Le", x.Le(a), func(v int64) bool { return v <= a }},
			{"Gt", x.Gt(a), func(v int64) bool { return v > a }},
			{"Ge", x.Ge(a), func(v int64) bool { return v >= a }},
			{"Between(a, 0)", x.Between(min(a, 0), max(a, 0)), func(v int64) bool { return min(a, 0) <= v && v <= max(a, 0) }},
			{"Between(a, max)", x.Between(a, math.MaxInt64), func(v int64) bool { return a <= v }},
			{"Not(Lt)", Not(x.Lt(a)), func(v int64) bool { return v >= a }},
		} {
			var want []string
			for _, v := range edgeInts {
				if tt.want(v) {
					want = append(want, strconv.FormatInt(v, 10))
				}
			}
			if tt.name == "Not(Lt)" {
				want = append(want, "none")
			}
			slices.Sort(want)
			if got := keysOf(base, tt.p); !slices.Equal(got, want) {
				t.Errorf("%s(%d) = %s: got %v, want %v", tt.name, a, tt.p, got, want)
			}
			q, err := Parse(tt.p.String(), base)
			if err != nil {
				t.Errorf("%s(%d) prints %q, which does not parse: %v", tt.name, a, tt.p, err)
			} else if got := keysOf(base, q); !slices.Equal(got, want) {
				t.Errorf("%s(%d): text %q selects %v, want %v", tt.name, a, tt.p, got, want)
			}
		}
	}
}

func TestMovementSwappedIDs(t *testing.T) {
	active := NewFlag("active")
	build := func(swap bool) *Base {
		keys := make([]string, 1000)
		for i := range keys {
			keys[i] = fmt.Sprintf("c%04d", i)
		}
		if swap {
			keys[417], keys[418] = keys[418], keys[417]
		}
		return mustBuild(t, func(b *Builder) error {
			for i, k := range keys {
				if err := b.Add(k, active.Value(i%3 == 0)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	a, same, swapped := build(false), build(false), build(true)
	if _, err := Movement(a, swapped, active.True()); !errors.Is(err, ErrNotSnapshots) {
		t.Errorf("Movement with two IDs swapped: err = %v, want ErrNotSnapshots", err)
	} else if want := `ID 417 is "c0417" before and "c0418" after`; !strings.Contains(err.Error(), want) {
		t.Errorf("Movement error %q does not say %q", err, want)
	}
	if _, err := Transitions(a, swapped, Named{"active", active.True()}); !errors.Is(err, ErrNotSnapshots) {
		t.Errorf("Transitions with two IDs swapped: err = %v, want ErrNotSnapshots", err)
	}
	// Built apart from the same keys in the same order, or derived by a
	// batch, or written and read back: snapshots of one base.
	tb := a.Batch()
	if err := tb.Add("new"); err != nil {
		t.Fatal(err)
	}
	if err := tb.Remove("c0001"); err != nil {
		t.Fatal(err)
	}
	later, err := tb.Apply()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := later.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	read, err := ReadBase(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]*Base{{a, same}, {a, later}, {later, a}, {a, read}, {read, same}} {
		if _, err := Movement(pair[0], pair[1], active.True()); err != nil {
			t.Errorf("Movement between snapshots of one base: %v", err)
		}
	}
	// A batch on the swapped base diverges too.
	tb = swapped.Batch()
	if err := tb.Add("new"); err != nil {
		t.Fatal(err)
	}
	if sl, err := tb.Apply(); err != nil {
		t.Fatal(err)
	} else if _, err := Movement(later, sl, active.True()); !errors.Is(err, ErrNotSnapshots) {
		t.Errorf("Movement from a batch of another base: err = %v, want ErrNotSnapshots", err)
	}
}

func TestInvalidPredErrors(t *testing.T) {
	spend := NewDecimal("spend", 2)
	base := mustBuild(t, func(b *Builder) error { return b.Add("a", spend.Value(1)) })
	bad := And(spend.Known(), spend.Ge(math.NaN()))
	if _, err := Movement(base, base, bad); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("Movement: err = %v, want ErrInvalidValue", err)
	}
	if _, err := Transitions(base, base, Named{"ok", spend.Known()}, Named{"bad", bad}); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("Transitions: err = %v, want ErrInvalidValue", err)
	}
	if _, err := Report(base, []Named{{"bad", bad}}); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("Report: err = %v, want ErrInvalidValue", err)
	}
	if _, err := Split(base, bad, []Dim{Bands(NewInt("x"), 1)}); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("Split: err = %v, want ErrInvalidValue", err)
	}
	if _, err := base.CountCube(bad); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("CountCube: err = %v, want ErrInvalidValue", err)
	}
	var ae *ArgError
	if err := bad.Err(); !errors.As(err, &ae) || ae.Field != "spend" || ae.Func != "predicate" || !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Err() = %#v, want an *ArgError for field spend", err)
	} else if want := `segment: predicate: field "spend": value NaN: invalid argument: invalid value: a bound must be a number, not NaN`; err.Error() != want {
		t.Errorf("Err() = %q, want %q", err, want)
	}
}

// TestTimeEdges checks Time comparisons at the int64 edges of Unix seconds
// and with sub-second bounds, which compare exactly with the stored whole
// seconds: Before(12:00:00.5) includes 12:00:00.
func TestTimeEdges(t *testing.T) {
	seen := NewTime("seen")
	secs := []int64{math.MinInt64 / 2, -62135596799, -1, 0, 1, 1700000000, 253402300799, 253402300800, math.MaxInt64 / 2}
	base := mustBuild(t, func(b *Builder) error {
		for _, s := range secs {
			if err := b.Add(strconv.FormatInt(s, 10), seen.Value(time.Unix(s, 0))); err != nil {
				return err
			}
		}
		return b.Add("none")
	})
	for _, s := range secs {
		for _, ns := range []int64{0, 500_000_000} {
			at := time.Unix(s, ns)
			for _, tt := range []struct {
				name string
				p    Pred
				want func(v int64) bool
			}{
				// v compared with s + ns/1e9, exactly.
				{"Before", seen.Before(at), func(v int64) bool { return v < s || ns > 0 && v == s }},
				{"After", seen.After(at), func(v int64) bool { return v > s }},
				{"Between(at, at)", seen.Between(at, at), func(v int64) bool { return ns == 0 && v == s }},
				{"Within(at, 1s)", seen.Within(at, time.Second), func(v int64) bool { return s-1 < v && v <= s || ns == 0 && v == s-1 }},
			} {
				var want []string
				for _, v := range secs {
					if tt.want(v) {
						want = append(want, strconv.FormatInt(v, 10))
					}
				}
				slices.Sort(want)
				if got := keysOf(base, tt.p); !slices.Equal(got, want) {
					t.Errorf("%s(%v) = %s: got %v, want %v", tt.name, at, tt.p, got, want)
				}
				if q, err := Parse(tt.p.String(), base); err != nil {
					t.Errorf("%s(%v) prints %q, which does not parse: %v", tt.name, at, tt.p, err)
				} else if got := keysOf(base, q); !slices.Equal(got, want) {
					t.Errorf("%s(%v): text %q selects %v, want %v", tt.name, at, tt.p, got, want)
				}
			}
		}
	}
}
