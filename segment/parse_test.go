package segment

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testSchema holds the fields of the random bases of oracle_test.go.
var testSchema = NewSchema(tCountry, tGender, tTier, tAge, tScore, tBought, tActive, tSeen, tSpend)

// inSchema reports whether every leaf of p is on a field of s with the same
// kind and type: only such predicates can survive the text form.
func inSchema(p Pred, s Schema) bool {
	n := p.node()
	if n.op == nLeaf {
		spec, ok := s.lookupSpec(n.leaf.spec.name)
		return ok && spec.sameAs(n.leaf.spec)
	}
	for _, k := range n.kids {
		if !inSchema(k, s) {
			return false
		}
	}
	return true
}

func TestParseRoundTrip(t *testing.T) {
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 11))
		n := []int{0, 40, 500, 3000}[seed%4]
		if testing.Short() {
			n = min(n, 500)
		}
		base, o := randBase(r, n, int(seed%3))
		schemas := []Schema{testSchema, base}
		for q := range 300 {
			p := randPred(r, 4)
			s := schemas[q%2]
			if !inSchema(p, s) {
				continue
			}
			text := p.String()
			got, err := Parse(text, s)
			if err != nil {
				t.Fatalf("seed %d: Parse(%q): %v", seed, text, err)
			}
			if got.String() != text {
				t.Fatalf("seed %d: Parse(%q).String() = %q", seed, text, got.String())
			}
			want := o.eval(p)
			if diff := cmp.Diff(want, base.Eval(got).ToArray(), cmp.Comparer(func(a, b []uint32) bool { return slices.Equal(a, b) })); diff != "" {
				t.Fatalf("seed %d: Eval(Parse(%q)) mismatch (-oracle +got):\n%s", seed, text, diff)
			}
		}
	}
}

func TestParseForms(t *testing.T) {
	tags := NewSet[uint8]("tags")
	ratio := NewCat[float64]("ratio")
	ok := NewCat[bool]("ok")
	name := NewCat[string]("the name")
	s := NewSchema(tCountry, tGender, tTier, tAge, tScore, tBought, tActive, tSeen, tSpend, tags, ratio, ok, name)
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		text string
		want Pred
	}{
		{`country in ("NL", "BE") and age between 25 and 35 and bought has "skincare" and not gender = "x"`,
			And(tCountry.In("NL", "BE"), tAge.Between(25, 35), tBought.Has("skincare"), Not(tGender.Eq("x")))},
		{`COUNTRY = "NL"`, Pred{}}, // field names are case-sensitive: checked below as an error
		{`age < 30`, tAge.Lt(30)},
		{`age <= 30 or age > 60`, Or(tAge.Le(30), tAge.Gt(60))},
		{`age >= -5`, tAge.Ge(-5)},
		{`age != 7`, tAge.Ne(7)},
		{`score < -9223372036854775808`, tScore.Lt(math.MinInt64)},
		{`score >= 9223372036854775807`, tScore.Ge(math.MaxInt64)},
		{`tier in (1, -1)`, tTier.In(1, -1)},
		{`tier != 3`, tTier.Ne(3)},
		{`bought has any ("shoes", "bags")`, tBought.HasAny("shoes", "bags")},
		{`bought has all ()`, tBought.HasAll()},
		{`bought KNOWN and country Missing`, And(tBought.Known(), tCountry.Missing())},
		{`active = true`, tActive.True()},
		{`active = false`, tActive.False()},
		{`seen < 2024-03-01T00:00:00Z`, tSeen.Before(t0)},
		{`seen > 2024-03-01T01:00:00+01:00`, tSeen.After(t0)},
		{`seen >= "2024-03-01T00:00:00Z"`, rangePred(tSeen.spec(), t0.Unix(), math.MaxInt64)},
		{`seen between 2024-02-01T00:00:00Z and 2024-03-01T00:00:00Z`, tSeen.Between(t0.AddDate(0, -1, 0), t0)},
		{`seen <= 1709251200`, rangePred(tSeen.spec(), math.MinInt64, t0.Unix())},
		{`spend >= 12.345`, tSpend.Ge(12.345)},
		{`spend < 12.345`, tSpend.Lt(12.345)},
		{`spend = 12.345`, tSpend.Eq(12.345)},
		{`age > 99999999999999999999`, tAge.Gt(math.MaxInt64)},
		{`age < 99999999999999999999`, tAge.Le(math.MaxInt64)},
		{`spend = 12.34`, tSpend.Eq(12.34)},
		{`tags has 200`, tags.Has(200)},
		{`ratio in (0.5, 1e3, -Inf)`, ratio.In(0.5, 1000, math.Inf(-1))},
		{`ok = false`, ok.Eq(false)},
		{"`the name` = \"a\\tb\"", name.Eq("a\tb")},
		{`not (all or none) or (age known)`, Or(Not(Or(All(), None())), tAge.Known())},
		{"age\n  >=\t18", tAge.Ge(18)},
	}
	for _, tc := range tests {
		got, err := Parse(tc.text, s)
		if tc.want == (Pred{}) {
			if !errors.Is(err, ErrUnknownField) {
				t.Errorf("Parse(%q) = %v, want ErrUnknownField", tc.text, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.text, err)
			continue
		}
		// The same tree, but for the text each comparison keeps as written.
		if diff := cmp.Diff(tc.want, got, predCmp, cmpopts.IgnoreFields(leaf{}, "text")); diff != "" {
			t.Errorf("Parse(%q) = %s, want %s (-want +got):\n%s", tc.text, got, tc.want, diff)
		}
	}
}

// predCmp compares predicate trees with cmp.
var predCmp = cmp.Options{cmp.AllowUnexported(Pred{}, node{}, leaf{}, fieldSpec{}),
	cmp.Comparer(func(a, b error) bool { return a == nil && b == nil || a != nil && b != nil && a.Error() == b.Error() })}

func TestParseErrors(t *testing.T) {
	type custom struct{ x int }
	weird := NewCat[custom]("weird")
	s := NewSchema(tCountry, tTier, tAge, tBought, tActive, tSeen, tSpend, weird)
	tests := []struct{ text, err string }{
		{``, `segment: parse 1:1: syntax error: found end of input, expected a field name, "not", "(", "all" or "none"`},
		{`agee > 3`, `segment: parse 1:1: unknown field: found "agee", expected a field of the schema (active, age, bought, country, seen, spend, tier, weird)`},
		{`age > "3"`, `segment: parse 1:7: wrong type: found "\"3\"", expected an integer for int field "age"`},
		{`age > 3.5`, `segment: parse 1:7: wrong type: found "3.5", expected an integer for int field "age"`},
		{`age >`, `segment: parse 1:6: syntax error: found end of input, expected an integer for int field "age"`},
		{`age has 3`, `segment: parse 1:5: wrong type: found "has", expected "=", "!=", "<", "<=", ">", ">=", "between", "known" or "missing" for int field "age"`},
		{`age 3`, `segment: parse 1:5: syntax error: found "3", expected "=", "!=", "<", "<=", ">", ">=", "between", "known" or "missing" after field "age"`},
		{`age between 1 or 2`, `segment: parse 1:15: syntax error: found "or", expected "and" in "between ... and ..."`},
		{`country = 3`, `segment: parse 1:11: wrong type: found "3", expected a "string" for cat[string] field "country"`},
		{`country < "NL"`, `segment: parse 1:9: wrong type: found "<", expected "=", "!=", "in", "known" or "missing" for cat[string] field "country"`},
		{`country in ("NL" "BE")`, `segment: parse 1:18: syntax error: found "\"BE\"", expected "," or ")"`},
		{`country in "NL"`, `segment: parse 1:12: syntax error: found "\"NL\"", expected "("`},
		{`country = "NL`, `segment: parse 1:11: syntax error: found an unterminated string, expected a closing '"' on the same line`},
		{`country = "\q"`, `segment: parse 1:11: syntax error: found "\"\\q\"", expected a string with valid Go escapes`},
		{"country = \"NL\"\n  and tier = 300000000000000000000", `segment: parse 2:14: wrong type: found "300000000000000000000", expected an integer in the range of int for cat[int] field "tier"`},
		{`bought = "x"`, `segment: parse 1:8: wrong type: found "=", expected "has", "known" or "missing" for set[string] field "bought"`},
		{`bought has any "x"`, `segment: parse 1:16: syntax error: found "\"x\"", expected "("`},
		{`active = 1`, `segment: parse 1:10: wrong type: found "1", expected true or false for flag field "active"`},
		{`seen < 2024-13-01T00:00:00Z`, `segment: parse 1:8: wrong type: found "2024-13-01T00:00:00Z", expected an RFC 3339 time such as 2024-01-31T00:00:00Z or Unix seconds for time field "seen"`},
		{`spend > 1e3x`, `segment: parse 1:12: syntax error: found "x", expected "and", "or" or the end of input`},
		{`spend > NaN`, `segment: parse 1:9: wrong type: found "NaN", expected a number (up to 2 decimals are stored) for decimal(scale 2) field "spend"`},
		{`age between 5 and 1`, `segment: parse 1:19: invalid value: found "1", expected an upper bound at least the lower bound 5`},
		{`weird = 1`, `segment: parse 1:9: wrong type: found "1", expected a field whose values are strings, bools, integers or float64; cat[segment.custom] field "weird" has values of type segment.custom`},
		{`(age > 3`, `segment: parse 1:9: syntax error: found end of input, expected ")"`},
		{`age > 3)`, `segment: parse 1:8: syntax error: found ")", expected "and", "or" or the end of input`},
		{`age > 3 and`, `segment: parse 1:12: syntax error: found end of input, expected a field name, "not", "(", "all" or "none"`},
		{`age ! 3`, `segment: parse 1:5: syntax error: found "!", expected "!="`},
		{`age > 3 # comment`, `segment: parse 1:9: syntax error: found "#", expected a field name, a value, an operator or a parenthesis`},
		{"`age", "segment: parse 1:1: syntax error: found an unterminated field name, expected a closing '`'"},
		{`and = 3`, `segment: parse 1:1: syntax error: found "and", expected a field name, "not", "(", "all" or "none"`},
	}
	for _, tc := range tests {
		_, err := Parse(tc.text, s)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want %s", tc.text, tc.err)
			continue
		}
		if diff := cmp.Diff(tc.err, err.Error()); diff != "" {
			t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tc.text, diff)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || !(errors.Is(err, ErrSyntax) || errors.Is(err, ErrType) || errors.Is(err, ErrUnknownField) || errors.Is(err, ErrInvalidValue)) {
			t.Errorf("Parse(%q): %T %v is not a *ParseError with a sentinel", tc.text, err, err)
		}
	}
}

func TestParseDeepNesting(t *testing.T) {
	deep := ""
	for range 10000 {
		deep += "("
	}
	_, err := Parse(deep+"age known", testSchema)
	if !errors.Is(err, ErrSyntax) {
		t.Fatalf("Parse(10000 parentheses) = %v, want ErrSyntax", err)
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Col != maxDepth+2 {
		t.Fatalf("Parse(10000 parentheses) = %v, want an error at column %d", err, maxDepth+2)
	}
}

// TestParseRoundTripTypes covers every value type and the extremes of each
// kind: printed and parsed back, a predicate prints the same and selects
// the same customers.
func TestParseRoundTripTypes(t *testing.T) {
	f64 := NewCat[float64]("f64")
	u64 := NewSet[uint64]("u64")
	i8 := NewCat[int8]("i8")
	bo := NewCat[bool]("bo")
	d9 := NewDecimal("d9", 9)
	odd := NewCat[string]("weird `name`\n2")
	kw := NewFlag("Known")
	b := NewBuilder()
	vals := [][]Value{
		{f64.Value(math.Inf(1)), u64.Values(math.MaxUint64, 0), i8.Value(-128), bo.Value(true), d9.Units(math.MinInt64), odd.Value("é\x00\""), kw.Value(true), tSeen.Value(time.Unix(-62135596799, 0))},
		{f64.Value(math.Copysign(0, -1)), u64.Values(7), i8.Value(127), bo.Value(false), d9.Units(math.MaxInt64), odd.Value(""), kw.Value(false), tSeen.Value(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))},
		{f64.Value(1e21), d9.Value(0.5), tSeen.Value(time.Unix(1<<40, 0))},
		{},
	}
	for i, vs := range vals {
		if err := b.Add(strconv.Itoa(i), vs...); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := b.Build()
	preds := []Pred{
		f64.In(math.Inf(1), math.Inf(-1), math.NaN(), 1e21, math.Copysign(0, -1), 5e-324), f64.Ne(0),
		u64.HasAll(math.MaxUint64, 0), u64.HasAny(), u64.Has(7),
		i8.In(-128, 127), bo.Eq(false), bo.Ne(true),
		d9.Le(-9.223372036854775808), d9.Ge(9.223372036854775807), d9.Between(0.4999999995, 0.5), d9.Gt(math.Inf(-1)),
		odd.Eq("é\x00\""), odd.In(""), odd.Known(), kw.True(), kw.False(), kw.Missing(),
		tSeen.Before(time.Time{}), tSeen.After(time.Unix(1<<40-1, 0)), tSeen.Between(time.Unix(math.MinInt64, 0), time.Unix(math.MaxInt64, 0)),
		tSeen.Within(time.Date(9999, 12, 31, 23, 59, 59, 999, time.UTC), time.Second),
		Not(Not(And(Or(All(), None()), Not(kw.True())))),
	}
	for _, p := range preds {
		text := p.String()
		q, err := Parse(text, base)
		if err != nil {
			t.Errorf("Parse(%q): %v", text, err)
			continue
		}
		if q.String() != text {
			t.Errorf("Parse(%q).String() = %q", text, q.String())
		}
		if !base.Eval(p).Equals(base.Eval(q)) {
			t.Errorf("Parse(%q) selects %v, the predicate %v", text, base.Eval(q).ToArray(), base.Eval(p).ToArray())
		}
	}
}
