package segment

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// normal returns p as its text form writes it: nested And in And and Or
// in Or flattened, double negations dropped.
func normal(p Pred) Pred {
	p = shown(p)
	n := p.node()
	switch n.op {
	case nNot:
		return Not(normal(n.kids[0]))
	case nAnd, nOr:
		var kids []Pred
		for _, k := range n.kids {
			k = normal(k)
			if k.node().op == n.op {
				kids = append(kids, k.node().kids...)
			} else {
				kids = append(kids, k)
			}
		}
		if n.op == nAnd {
			return And(kids...)
		}
		return Or(kids...)
	}
	return Pred{n} // the zero Pred is All
}

// TestTextFaithful checks on random trees that Parse of a predicate's text
// gives the same tree (up to the flattening the text form does), and that
// the text prints the bounds as the caller gave them.
func TestTextFaithful(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for i := range 2000 {
		p := randPred(r, 4)
		if !inSchema(p, testSchema) {
			continue
		}
		text := p.String()
		q, err := Parse(text, testSchema)
		if err != nil {
			t.Fatalf("tree %d: Parse(%q): %v", i, text, err)
		}
		if diff := cmp.Diff(normal(p), q, predCmp); diff != "" {
			t.Fatalf("tree %d: Parse(%q) differs from the predicate (-want +got):\n%s", i, text, diff)
		}
		if q.String() != text {
			t.Fatalf("tree %d: Parse(%q).String() = %q", i, text, q.String())
		}
	}
	at := time.Date(2024, 3, 1, 12, 30, 0, 250_000_000, time.FixedZone("CET", 3600))
	for _, tt := range []struct {
		p    Pred
		want string
	}{
		{tAge.Lt(1920), "age < 1920"},
		{tAge.Gt(math.MaxInt64), "age > 9223372036854775807"},
		{tSpend.Lt(0.5), "spend < 0.5"},
		{tSpend.Ge(1e21), "spend >= 1e+21"},
		{tSpend.Le(math.Inf(1)), "spend <= +Inf"},
		{tSpend.Between(math.Inf(-1), 12.345), "spend between -Inf and 12.345"},
		{tSeen.Before(at), "seen < 2024-03-01T11:30:00.25Z"},
		{tSeen.Within(at, time.Hour), "seen between 2024-03-01T10:30:00.25Z and 2024-03-01T11:30:00.25Z"},
		{tActive.False(), "active = false"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	for _, p := range []Pred{tAge.Between(35, 25), tSpend.Between(2, 1), tSeen.Between(at, at.Add(-time.Nanosecond)),
		tSeen.Within(at, -time.Second)} {
		if err := p.Err(); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("%s: Err() = %v, want ErrInvalidValue for an inverted range", p, err)
		}
		if _, err := Parse(p.String(), testSchema); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("Parse(%q): err = %v, want ErrInvalidValue for an inverted range", p, err)
		}
	}
	// Single quotes, as in SQL and many other languages.
	for text, want := range map[string]Pred{
		`country = 'France'`:             tCountry.Eq("France"),
		`country in ('O\'Neil', "x'y")`:  tCountry.In("O'Neil", "x'y"),
		`bought has 'a "quoted" \t tab'`: tBought.Has("a \"quoted\" \t tab"),
	} {
		got, err := Parse(text, testSchema)
		if err != nil {
			t.Errorf("Parse(%q): %v", text, err)
			continue
		}
		if diff := cmp.Diff(want, got, predCmp); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", text, diff)
		}
	}
}
