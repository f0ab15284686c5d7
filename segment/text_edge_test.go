package segment

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

// keysBase returns a base of the given keys, in ID order.
func keysBase(t *testing.T, keys ...string) *Base {
	t.Helper()
	b := NewBuilder()
	for _, k := range keys {
		if err := b.Add(k); err != nil {
			t.Fatalf("Add(%q): %v", k, err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// TestSegmentKeysExact: keys read back exactly, whatever bytes they hold
// (issue 13, defect 10: "a\r\nb" came back as "a\nb", colliding with the
// key "a\nb"); the header says which form was written.
func TestSegmentKeysExact(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		header string
	}{
		{"plain", []string{"c-1", "c-2"}, "id,key\n"},
		{"CSV specials", []string{`a,b`, `say "hi"`, " lead", "tail ", "x\ny", "\"", "#c"}, "id,key\n"},
		{"not UTF-8", []string{"\xff\xfe", "ok\x80"}, "id,key\n"},
		{"CR LF and LF", []string{"a\r\nb", "a\nb"}, "id,escaped_key\n"},
		{"lone CR", []string{"a\rb", "ab\r", "\r"}, "id,escaped_key\n"},
		{"CR with specials", []string{"a\r\n", `q"\`, "\\r", "tab\t", "é", "\xff", "x,y"}, "id,escaped_key\n"},
	}
	for _, tc := range tests {
		base := keysBase(t, tc.keys...)
		ids := roaring.New()
		ids.AddRange(0, uint64(len(tc.keys)))
		var bm, keys bytes.Buffer
		if err := WriteSegment(&bm, &keys, base, ids); err != nil {
			t.Fatalf("%s: WriteSegment: %v", tc.name, err)
		}
		if !strings.HasPrefix(keys.String(), tc.header) {
			t.Errorf("%s: keys start %q, want the header %q", tc.name, keys.String()[:min(keys.Len(), 20)], tc.header)
		}
		_, got, err := ReadSegment(&bm, &keys)
		if err != nil {
			t.Fatalf("%s: ReadSegment: %v", tc.name, err)
		}
		want := map[uint32]string{}
		for i, k := range tc.keys {
			want[uint32(i)] = k
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: keys (-written +read):\n%s", tc.name, diff)
		}
	}
}

// TestReadSegmentKeysCompatible: files of the "id,key" form, as every
// earlier version wrote them, read as they always did.
func TestReadSegmentKeysCompatible(t *testing.T) {
	var bm bytes.Buffer
	roaring.BitmapOf(0, 1, 2).WriteTo(&bm)
	csv := "id,key\n0,plain\n1,\"a,b\"\n2,\"two\nlines\"\n"
	_, got, err := ReadSegment(&bm, strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint32]string{0: "plain", 1: "a,b", 2: "two\nlines"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

// TestReadSegmentKeyErrors: empty and repeated keys are rejected, and
// errors name the line of the text, not the number of the record.
func TestReadSegmentKeyErrors(t *testing.T) {
	var bm bytes.Buffer
	roaring.BitmapOf(0, 1, 2).WriteTo(&bm)
	tests := []struct {
		name, csv, err string
	}{
		{"empty key", "id,key\n0,a\n1,\n2,c\n",
			`segment: read segment keys: bad segment: line 3: the key of ID 1 is empty; keys never are`},
		{"empty quoted key", "id,key\n0,a\n1,\"\"\n2,c\n",
			`segment: read segment keys: bad segment: line 3: the key of ID 1 is empty; keys never are`},
		{"empty escaped key", "id,escaped_key\n0,a\n1,\n2,c\n",
			`segment: read segment keys: bad segment: line 3: the key of ID 1 is empty; keys never are`},
		{"repeated key", "id,key\n0,a\n1,b\n2,a\n",
			`segment: read segment keys: bad segment: line 4: ID 2 has the key "a" of ID 0; keys are unique`},
		{"line after a two-line key", "id,key\n0,\"x\ny\"\n1,b\n9,c\n",
			`segment: read segment keys: bad segment: line 5: ID 9 is not in the bitmap`},
		{"line after a three-line key", "id,key\n0,\"x\n\ny\"\n0,b\n",
			`segment: read segment keys: bad segment: line 5: ID 0 is listed twice`},
		{"bad escape", "id,escaped_key\n0,a\n1,b\\q\n",
			`segment: read segment keys: bad segment: line 3: key of ID 1: "b\\q" is not the inside of a Go string literal`},
		{"bare quote in escaped key", "id,escaped_key\n0,\"a\"\"b\"\n",
			`segment: read segment keys: bad segment: line 2: key of ID 0: "a\"b" is not the inside of a Go string literal`},
		{"CSV error line", "id,key\n0,\"a\n\nb\"x\n",
			`segment: read segment keys: bad segment: line 4: extraneous or missing " in quoted-field`},
	}
	for _, tc := range tests {
		_, _, err := ReadSegment(bytes.NewReader(bm.Bytes()), strings.NewReader(tc.csv))
		if !errors.Is(err, ErrBadSegment) {
			t.Errorf("%s: ReadSegment = %v, want ErrBadSegment", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.err, err.Error()); diff != "" {
			t.Errorf("%s: error (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestParseInvalidUTF8: a string with bytes that are not UTF-8 is an error
// at the byte (issue 13, defect 11: it was read as U+FFFD); escapes still
// write any byte, and such values print and parse back.
func TestParseInvalidUTF8(t *testing.T) {
	country := NewCat[string]("country")
	schema := NewSchema(country)
	tests := []struct {
		name, text string
		err        *ParseError // nil: parses to country = want
		want       string
	}{
		{"invalid byte", "country = \"a\xffb\"", &ParseError{Line: 1, Col: 13, Found: `"\xff"`, Err: ErrSyntax}, ""},
		{"truncated rune", "country = \"é\xe2\x82\"", &ParseError{Line: 1, Col: 13, Found: `"\xe2"`, Err: ErrSyntax}, ""},
		{"second line", "country = \"a\"\n or country = \"\x80\"", &ParseError{Line: 2, Col: 16, Found: `"\x80"`, Err: ErrSyntax}, ""},
		{"surrogate bytes", "country = \"\xed\xa0\x80\"", &ParseError{Line: 1, Col: 12, Found: `"\xed"`, Err: ErrSyntax}, ""},
		{"escape", `country = "a\xffb"`, nil, "a\xffb"},
		{"valid UTF-8", `country = "€ü"`, nil, "€ü"},
		{"U+FFFD written", "country = \"\uFFFD\"", nil, "\uFFFD"},
	}
	for _, tc := range tests {
		p, err := Parse(tc.text, schema)
		if tc.err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrSyntax) {
				t.Errorf("%s: Parse(%q) = %v, want a *ParseError wrapping ErrSyntax", tc.name, tc.text, err)
				continue
			}
			got := *pe
			got.Expected = ""
			if diff := cmp.Diff(*tc.err, got, cmpErrs); diff != "" {
				t.Errorf("%s: Parse(%q) error (-want +got):\n%s", tc.name, tc.text, diff)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tc.name, tc.text, err)
			continue
		}
		if diff := cmp.Diff(country.Eq(tc.want).String(), p.String()); diff != "" {
			t.Errorf("%s: Parse(%q) (-want +got):\n%s", tc.name, tc.text, diff)
		}
		if q, err := Parse(p.String(), schema); err != nil || q.String() != p.String() {
			t.Errorf("%s: %q parses back as %v, %v", tc.name, p.String(), q, err)
		}
	}
}

// cmpErrs compares sentinel errors by identity.
var cmpErrs = cmp.Comparer(func(a, b error) bool { return a == b })

// textDepth returns the nesting of nots and parentheses of a text form,
// as Parse counts it.
func textDepth(text string) int {
	lx := newLexer(text)
	var open []int // per open parenthesis, the depth before it
	d, most := 0, 0
	for {
		tok, err := lx.next()
		if err != nil || tok.kind == tEOF {
			return most
		}
		switch {
		case tok.kind == tIdent && strings.EqualFold(tok.text, "not"):
			d++
		case tok.kind == tPunct && tok.text == "(":
			open = append(open, d)
			d++
		case tok.kind == tPunct && tok.text == ")" && len(open) > 0:
			d, open = open[len(open)-1], open[:len(open)-1]
			continue
		case tok.kind == tIdent && (strings.EqualFold(tok.text, "and") || strings.EqualFold(tok.text, "or")):
			if len(open) > 0 { // a not's reach ends at and/or
				d = open[len(open)-1] + 1
			} else {
				d = 0
			}
			continue
		default:
			continue
		}
		most = max(most, d)
	}
}

// deepPred returns a random predicate of about n nested nodes: chains of
// nots, alternations of and and or, runs of the same operator, leaves of
// testSchema's fields.
func deepPred(r *rand.Rand, n int) Pred {
	leaves := []Pred{tAge.Ge(30), tCountry.Eq("NL"), tActive.True(), tSpend.Known(), All(), None()}
	p := leaves[r.IntN(len(leaves))]
	for range n {
		q := leaves[r.IntN(len(leaves))]
		switch r.IntN(5) {
		case 0, 1:
			p = Not(p)
		case 2:
			p = And(q, p)
		case 3:
			p = Or(p, q)
		case 4:
			p = And(Or(q, p), q)
		}
	}
	return p
}

// TestPredDepthRoundTrip: every predicate built through the API prints as
// text that Parse reads back to the same text and customers, or is refused
// (Err wraps ErrTooDeep) because its text would nest more than Parse reads
// (issue 13, defect 12: a predicate nested more than 200 deep printed text
// that Parse refused).
func TestPredDepthRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 12))
	base, _ := randBase(r, 200, 1)
	check := func(name string, p Pred) {
		t.Helper()
		text := p.String()
		if err := p.Err(); err != nil {
			if !errors.Is(err, ErrTooDeep) {
				t.Errorf("%s: Err() = %v, want ErrTooDeep", name, err)
			}
			if _, perr := Parse(text, base); perr == nil {
				t.Errorf("%s: the text %q of a refused predicate parses", name, text)
			}
			return
		}
		if d := textDepth(text); d > maxDepth {
			t.Errorf("%s: text nests %d deep, more than %d", name, d, maxDepth)
		}
		q, err := Parse(text, base)
		if err != nil {
			t.Errorf("%s: Parse(String()) of a text %d deep: %v", name, textDepth(text), err)
			return
		}
		if diff := cmp.Diff(text, q.String()); diff != "" {
			t.Errorf("%s: parsed back, prints (-first +second):\n%s", name, diff)
		}
		if diff := cmp.Diff(base.Eval(p).ToArray(), base.Eval(q).ToArray()); diff != "" {
			t.Errorf("%s: parsed back, selects (-built +parsed):\n%s", name, diff)
		}
	}
	alternate := func(n int) Pred { // n/2 parentheses: a and (b or a and (b or ...))
		p := tAge.Ge(30)
		for i := range n {
			if i%2 == 0 {
				p = Or(tCountry.Eq("NL"), p)
			} else {
				p = And(tActive.True(), p)
			}
		}
		return p
	}
	nots := func(n int, p Pred) Pred {
		for range n {
			p = Not(p)
		}
		return p
	}
	ands := func(n int) Pred {
		p := tAge.Ge(30)
		for range n {
			p = And(p, tCountry.Eq("NL"))
		}
		return p
	}
	tests := []struct {
		name    string
		p       Pred
		tooDeep bool
	}{
		{"10,000 nots", nots(10_000, tAge.Ge(30)), false},
		{"10,001 nots", nots(10_001, tAge.Ge(30)), false},
		{"10,000 nested ands", ands(10_000), false},
		{"alternation 200 deep", alternate(400), false},
		{"alternation 201 deep", alternate(402), true},
		{"not of an alternation, 200 deep", Not(alternate(396)), false},
		{"not of an alternation, 201 deep", Not(alternate(398)), true},
		{"refused inside", Or(tAge.Ge(1), Not(Not(alternate(900)))), true},
	}
	for _, tc := range tests {
		if got := errors.Is(tc.p.Err(), ErrTooDeep); got != tc.tooDeep {
			t.Errorf("%s: refused %v, want %v (Err %v)", tc.name, got, tc.tooDeep, tc.p.Err())
		}
		check(tc.name, tc.p)
	}
	for i := range 300 {
		check(fmt.Sprintf("random %d", i), deepPred(r, r.IntN(600)))
	}
}
