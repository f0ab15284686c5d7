package segment

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAddRejectsBadInput(t *testing.T) {
	ageR := NewIntRange("age", 0, 150)
	tests := []struct {
		name   string
		key    string
		values []Value
		want   error
		msg    string
	}{
		{"empty key", "", []Value{tAge.Value(3)}, ErrEmptyKey,
			`segment: add "": empty key: want a non-empty customer key`},
		{"duplicate key", "c-1", nil, ErrDuplicateKey,
			`segment: add "c-1": duplicate key: each customer key may be added once`},
		{"out of range", "c-2", []Value{ageR.Value(300)}, ErrOutOfRange,
			`segment: add "c-2": field "age": value 300: value out of range: want [0, 150]`},
		{"kind conflict", "c-3", []Value{NewCat[string]("age").Value("old")}, ErrKindConflict,
			`segment: add "c-3": field "age": field kind conflict: field is int, value is cat[string]`},
		{"value type conflict", "c-4", []Value{NewCat[int]("country").Value(31)}, ErrKindConflict,
			`segment: add "c-4": field "country": field kind conflict: field is cat[string], value is cat[int]`},
		{"field twice", "c-5", []Value{tAge.Value(1), tAge.Value(2)}, ErrDuplicateField,
			`segment: add "c-5": field "age": field given twice: give each field at most one Value per call`},
		{"zero value", "c-6", []Value{{}}, ErrInvalidValue,
			`segment: add "c-6": invalid value: values[0] is the zero segment.Value; make values with a field's Value method`},
		{"NaN category", "c-7", []Value{NewCat[float64]("ratio").Value(math.NaN())}, ErrInvalidValue,
			`segment: add "c-7": field "ratio": value NaN: invalid value: NaN is not a category`},
		{"zero time", "c-8", []Value{tSeen.Value(time.Time{})}, ErrInvalidValue,
			`segment: add "c-8": field "seen": value 0001-01-01T00:00:00Z: invalid value: zero time; omit the value when it is missing`},
		{"NaN decimal", "c-9", []Value{tSpend.Value(math.Inf(1))}, ErrInvalidValue,
			`segment: add "c-9": field "spend": value +Inf: invalid value: want a finite number within ±9.223372036854776e+16`},
		{"unnamed field", "c-10", []Value{NewInt("").Value(1)}, ErrInvalidValue,
			`segment: add "c-10": invalid value: values[0] belongs to a field with an empty name`},
	}
	b := NewBuilder()
	if err := b.Add("c-1", tAge.Value(40), tCountry.Value("NL")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Add(tc.key, tc.values...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Add error = %v, want errors.Is %v", err, tc.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Key != tc.key {
				t.Fatalf("Add error %v is not an *InputError for key %q", err, tc.key)
			}
			if diff := cmp.Diff(tc.msg, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
	// The builder stays usable and holds exactly the accepted customers.
	if err := b.Add("c-2", tAge.Value(41)); err != nil {
		t.Fatalf("Add after rejections: %v", err)
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c-1", "c-2"}, base.AppendKeys(nil, base.Live())); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got := base.Count(tAge.Ge(40)); got != 2 {
		t.Errorf("Count(age >= 40) = %d, want 2", got)
	}
	if _, ok := base.Field("ratio"); ok {
		t.Errorf("rejected Add declared field ratio")
	}
}

func TestBatchRejectsBadInput(t *testing.T) {
	b := NewBuilder()
	b.Add("a", tAge.Value(1))
	b.Add("b", tAge.Value(2))
	base, _ := b.Build()
	tb := base.Batch()
	if err := tb.Remove("b"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"add live key", func() error { return tb.Add("a") }, ErrDuplicateKey},
		{"set unknown key", func() error { return tb.Set("zz", tAge.Value(1)) }, ErrUnknownKey},
		{"set removed key", func() error { return tb.Set("b", tAge.Value(1)) }, ErrUnknownKey},
		{"remove twice", func() error { return tb.Remove("b") }, ErrUnknownKey},
		{"clear unknown", func() error { return tb.Clear("zz", tAge) }, ErrUnknownKey},
		{"clear kind conflict", func() error { return tb.Clear("a", NewFlag("age")) }, ErrKindConflict},
		{"set kind conflict", func() error { return tb.Set("a", NewFlag("age").Value(true)) }, ErrKindConflict},
		{"empty key", func() error { return tb.Remove("") }, ErrEmptyKey},
	}
	for _, tc := range tests {
		if err := tc.call(); !errors.Is(err, tc.want) {
			t.Errorf("%s: error = %v, want %v", tc.name, err, tc.want)
		}
	}
	next, err := tb.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a"}, next.AppendKeys(nil, next.Live())); diff != "" {
		t.Errorf("live keys after batch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b"}, base.AppendKeys(nil, base.Live())); diff != "" {
		t.Errorf("old base changed (-want +got):\n%s", diff)
	}
	// A removed key comes back with its old ID and only its new values.
	tb2 := next.Batch()
	if err := tb2.Add("b", tCountry.Value("NL")); err != nil {
		t.Fatal(err)
	}
	again, _ := tb2.Apply()
	if id, ok := again.ID("b"); !ok || id != 1 {
		t.Errorf("ID(b) after re-add = %d, %v; want 1, true", id, ok)
	}
	if got := again.Count(tAge.Known()); got != 1 {
		t.Errorf("re-added customer kept its old age: Count(age known) = %d, want 1", got)
	}
}

// TestEvalResultIsCallerOwned: changing a returned bitmap never changes the
// base.
func TestEvalResultIsCallerOwned(t *testing.T) {
	b := NewBuilder()
	b.Add("a", tCountry.Value("NL"))
	b.Add("b", tCountry.Value("NL"))
	base, _ := b.Build()
	for _, p := range []Pred{tCountry.Eq("NL"), All(), tCountry.Known()} {
		bm := base.Eval(p)
		bm.Add(99)
		bm.Remove(0)
		if got := base.Count(p); got != 2 {
			t.Fatalf("after mutating Eval(%s), Count = %d, want 2", p, got)
		}
	}
	live := base.Live()
	live.Clear()
	if base.Len() != 2 {
		t.Fatalf("Live() aliases the base")
	}
}

// TestVariadicInputsNotRetained: predicates and values copy the caller's
// slices.
func TestVariadicInputsNotRetained(t *testing.T) {
	b := NewBuilder()
	b.Add("a", tCountry.Value("NL"), tBought.Values("x"))
	b.Add("b", tCountry.Value("BE"), tBought.Values("y"))
	base, _ := b.Build()
	vs := []string{"NL"}
	p := tCountry.In(vs...)
	ps := []Pred{p, tBought.Has("x")}
	q := And(ps...)
	vs[0] = "BE"
	ps[1] = None()
	if got := base.AppendKeys(nil, base.Eval(q)); !cmp.Equal(got, []string{"a"}) {
		t.Fatalf("Eval after caller changed its slices = %v, want [a]", got)
	}
	set := []string{"x", "y"}
	v := tBought.Values(set...)
	set[0] = "z"
	b2 := NewBuilder()
	b2.Add("c", v)
	base2, _ := b2.Build()
	if got := base2.Count(tBought.Has("x")); got != 1 {
		t.Fatalf("Values retained the caller's slice")
	}
}
