package segment

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestFromColumnsMatchesAdd(t *testing.T) {
	sizes := []int{0, 1, 1000, 70000}
	if raceEnabled || testing.Short() {
		sizes = sizes[:3]
	}
	for _, n := range sizes {
		d := genCustomers(n, uint64(n))
		want := d.buildAdd()
		got := d.buildColumns()
		byName := func(a, b FieldInfo) int { return cmp.Compare(a.Name, b.Name) }
		wf, gf := want.Fields(), got.Fields()
		slices.SortFunc(wf, byName)
		slices.SortFunc(gf, byName)
		if diff := gocmp.Diff(wf, gf); diff != "" && n > 0 {
			t.Fatalf("n=%d: Fields (-Add +FromColumns):\n%s", n, diff)
		}
		for _, f := range want.Fields() {
			if diff := gocmp.Diff(want.Values(declaredOf(want, f.Name)), got.Values(declaredOf(got, f.Name))); diff != "" {
				t.Fatalf("n=%d: Values(%s) (-Add +FromColumns):\n%s", n, f.Name, diff)
			}
		}
		qs := genQueries(d)
		qs["known"] = And(gAge.Known(), gGender.Missing(), gBought.Known(), gLast.Known())
		qs["bounds"] = Or(gIncome.Le(0), gPurchases.Between(3, 7), gLast.Before(gAsOf.AddDate(0, -6, 0)))
		for name, p := range qs {
			a, b := want.Eval(p), got.Eval(p)
			if !a.Equals(b) {
				t.Fatalf("n=%d %s: Add base %d ids, FromColumns base %d", n, name, a.GetCardinality(), b.GetCardinality())
			}
		}
		if n > 0 {
			id, ok := got.ID(d.keys[n-1])
			if !ok || id != uint32(n-1) {
				t.Fatalf("n=%d: ID(last key) = %d, %v", n, id, ok)
			}
		}
	}
}

func TestFromColumnsErrors(t *testing.T) {
	age := NewIntRange("age", 0, 150)
	country := NewCat[string]("country")
	score := NewCat[float64]("score")
	when := NewTime("when")
	tests := []struct {
		name string
		keys []string
		cols []Column
		want error
		key  string // the key of an *InputError; "-" for an *ArgError (a bad column)
	}{
		{"empty key", []string{"a", ""}, nil, ErrEmptyKey, ""},
		{"duplicate key", []string{"a", "b", "a"}, nil, ErrDuplicateKey, "a"},
		{"out of range", []string{"a", "b"}, []Column{age.Column([]int64{3, 300}, nil)}, ErrOutOfRange, "b"},
		{"missing is not checked", []string{"a", "b"}, []Column{age.Column([]int64{3, 300}, []bool{true, false})}, nil, ""},
		{"NaN", []string{"a", "b"}, []Column{score.Column([]float64{1, math.NaN()}, nil)}, ErrInvalidValue, "b"},
		{"zero time", []string{"a"}, []Column{when.Column([]time.Time{{}}, nil)}, ErrInvalidValue, "a"},
		{"short column", []string{"a", "b"}, []Column{country.Column([]string{"NL"}, nil)}, ErrInvalidValue, "-"},
		{"bad present", []string{"a"}, []Column{country.Column([]string{"NL"}, []bool{true, true})}, ErrInvalidValue, "-"},
		{"field twice", []string{"a"}, []Column{country.Column([]string{"NL"}, nil), country.Column([]string{"BE"}, nil)}, ErrDuplicateField, "-"},
		{"kind conflict", []string{"a"}, []Column{country.Column([]string{"NL"}, nil), NewInt("country").Column([]int64{1}, nil)}, ErrKindConflict, "-"},
		{"zero column", []string{"a"}, []Column{{}}, ErrInvalidValue, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromColumns(tt.keys, tt.cols...)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ie *InputError
			var ae *ArgError
			switch {
			case err == nil:
			case tt.key == "-":
				if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidArgument) || errors.As(err, &ie) {
					t.Fatalf("err = %#v, want an *ArgError (no customer is involved)", err)
				}
			case !errors.As(err, &ie) || ie.Key != tt.key:
				t.Fatalf("err = %#v, want an *InputError with key %q", err, tt.key)
			}
		})
	}
}

func TestFromColumnsDoesNotRetain(t *testing.T) {
	vals := []string{"NL", "BE", "NL"}
	country := NewCat[string]("country")
	base, err := FromColumns([]string{"a", "b", "c"}, country.Column(vals, nil))
	if err != nil {
		t.Fatal(err)
	}
	vals[0], vals[1] = "DE", "DE"
	if got := base.AppendIDs(nil, country.Eq("NL")); !slices.Equal(got, []uint32{0, 2}) {
		t.Fatalf("NL = %v after the caller changed its slice, want [0 2]", got)
	}
}

// TestDecimalColumn: Decimal.Column stores what Decimal.Value stores, and
// FromColumns rejects a bad value of a present customer with its key.
func TestDecimalColumn(t *testing.T) {
	spend := NewDecimal("spend", 2)
	r := rand.New(rand.NewPCG(3, 9))
	n := 500
	keys := make([]string, n)
	vals := make([]float64, n)
	present := make([]bool, n)
	b := NewBuilder()
	for i := range n {
		keys[i] = fmt.Sprint("c", i)
		vals[i] = (r.Float64() - 0.3) * math.Pow10(r.IntN(8))
		present[i] = r.IntN(4) > 0
		if !present[i] {
			vals[i] = math.NaN() // not read: the customer has no value
			_ = b.Add(keys[i])
			continue
		}
		if err := b.Add(keys[i], spend.Value(vals[i])); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := b.Build()
	got, err := FromColumns(keys, spend.Column(vals, present))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Pred{spend.Known(), spend.Ge(0), spend.Lt(12.34), spend.Between(-100, 1000.5)} {
		if diff := gocmp.Diff(sortedKeys(want, p), sortedKeys(got, p)); diff != "" {
			t.Fatalf("%s (-Builder +Column):\n%s", p, diff)
		}
	}
	vals[7], present[7] = math.Inf(1), true
	_, err = FromColumns(keys, spend.Column(vals, present))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Key != "c7" || !errors.Is(err, ErrInvalidValue) {
		t.Fatalf("an infinite value: err = %v, want an *InputError for c7 wrapping ErrInvalidValue", err)
	}
}
