package segment

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Errors of Parse, wrapped in a *ParseError that says where and what.
var (
	// ErrSyntax: the text does not follow the grammar.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownField: the text names a field the schema does not have.
	ErrUnknownField = errors.New("unknown field")
	// ErrType: an operator or a value does not fit its field's kind or type.
	ErrType = errors.New("wrong type")
	// ErrTooDeep: And, Or or Not would build a predicate whose text form
	// nests more than 200 nots and parentheses, the most Parse reads; the
	// predicate matches nobody and its Err returns an *InputError wrapping
	// ErrTooDeep.
	ErrTooDeep = errors.New("predicate nested too deep")
)

// ParseError is the error of Parse: where in the text (1-based line and
// column, counted in characters), what was found there and what was
// expected. Err is ErrSyntax, ErrUnknownField or ErrType.
type ParseError struct {
	Line, Col int
	Found     string
	Expected  string
	Err       error
}

// Error returns a message such as
// `segment: parse 1:9: syntax error: found ")", expected a value`.
func (e *ParseError) Error() string {
	return fmt.Sprintf("segment: parse %d:%d: %v: found %s, expected %s", e.Line, e.Col, e.Err, e.Found, e.Expected)
}

// Unwrap returns the sentinel error.
func (e *ParseError) Unwrap() error { return e.Err }

// Schema is what Parse resolves field names against: a *Base (its fields)
// or NewSchema(...) (fields declared in code). It is sealed.
type Schema interface {
	lookupSpec(name string) (fieldSpec, bool)
	specNames() []string
}

func (b *Base) lookupSpec(name string) (fieldSpec, bool) {
	if c := b.col(name); c != nil {
		return c.spec, true
	}
	return fieldSpec{}, false
}

func (b *Base) specNames() []string {
	out := make([]string, len(b.cols))
	for i, c := range b.cols {
		out[i] = c.spec.name
	}
	return out
}

type fieldList []fieldSpec

// Fields is NewSchema under its older name.
//
// Deprecated: Use NewSchema; "Fields" also names Base.Fields.
func Fields(fs ...Field) Schema { return NewSchema(fs...) }

// NewSchema returns a Schema of the given field handles, for Parse without
// a base. When two share a name, the first wins; nil handles are skipped.
func NewSchema(fs ...Field) Schema {
	out := make(fieldList, 0, len(fs))
	for _, f := range fs {
		if f == nil {
			continue
		}
		if _, ok := out.lookupSpec(f.Name()); !ok {
			out = append(out, f.spec())
		}
	}
	return out
}

func (l fieldList) lookupSpec(name string) (fieldSpec, bool) {
	for _, s := range l {
		if s.name == name {
			return s, true
		}
	}
	return fieldSpec{}, false
}

func (l fieldList) specNames() []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.name
	}
	return out
}

// maxDepth bounds the nesting of parentheses and nots that Parse reads, so
// that hostile input cannot exhaust the stack, and the nesting of the text
// form of the predicates that And, Or and Not build, so that every
// predicate prints as text that Parse reads.
const maxDepth = 200

// maxNumberLen bounds the length of a number literal of an Int, Decimal or
// Time field: no stored value needs more.
const maxNumberLen = 64

// Parse parses the text form of a predicate, as Pred.String prints it,
// against the fields of schema. Parse(p.String(), schema) gives p back: the
// same tree, but for nested and/or that the text flattens and double
// negations it drops, with every comparison kept as written, so that
// printing it again gives the same text.
//
// The grammar, in EBNF, lowest precedence first (keywords are
// case-insensitive; white space separates tokens):
//
//	expr     = and { "or" and } .
//	and      = unary { "and" unary } .
//	unary    = "not" unary | "(" expr ")" | "all" | "none" | test .
//	test     = field ( "known" | "missing"
//	                 | compare value
//	                 | "between" value "and" value
//	                 | "in" list
//	                 | "has" value | "has" ( "any" | "all" ) list ) .
//	compare  = "=" | "!=" | "<" | "<=" | ">" | ">=" .
//	list     = "(" [ value { "," value } ] ")" .
//	field    = name | "`" { character | "``" } "`" .
//	name     = letter { letter | digit | "_" | "." } .
//	value    = string | number | time | "true" | "false" .
//	string   = `"` Go string characters `"` | "'" Go string characters "'" .
//	number   = [ "+" | "-" ] digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ]
//	         | ( "+" | "-" ) "Inf" .
//	time     = an RFC 3339 time: digits "-" digits "-" digits "T" ... .
//
// Cat fields take =, !=, in; Set fields take has, has any, has all; Int,
// Decimal and Time fields take the comparisons and between; Flag fields take
// = and != with true or false. Every field takes known and missing. A Time
// value is an RFC 3339 time ("2024-01-31T00:00:00Z", with an optional
// fraction and offset, also as a string) or a number of Unix seconds (with
// an optional fraction). A Decimal value is a number, with an exponent or
// not, or +Inf or -Inf. A Cat or Set value must fit the field's Go type:
// strings for string, true or false for bool, integers in range for the
// integer types, numbers (also 1e9, +Inf, NaN) for float64; other value
// types are rejected. A string is a Go string literal in double or single
// quotes (in single quotes, \' is a quote and " needs no escape) and must be
// valid UTF-8 as written: other bytes are written as escapes ("\xff"), as
// Pred.String writes them; an invalid byte is an ErrSyntax error at its
// position, never read as U+FFFD.
//
// Comparisons are exact: a bound with more decimals than a Decimal's scale,
// a fraction of a second, or a bound beyond int64 selects exactly the
// stored values it admits ("age < 30.5" is not an integer and is rejected;
// "spend >= 12.345" at scale 2 starts at 12.35). A range whose lower bound
// is above its upper bound ("age between 35 and 25") is an error wrapping
// ErrInvalidValue, as the API's Between makes it. The text may nest at most
// 200 nots and parentheses ("not not x" nests 2, "not (a or b)" nests 2,
// "((x))" nests 2); Pred.String never writes more, and And, Or and Not
// refuse to build a predicate that would need more (ErrTooDeep), so that
// Parse reads back the text of every predicate whose Err is nil. Errors are
// *ParseError values wrapping ErrSyntax, ErrUnknownField, ErrType or
// ErrInvalidValue. Parse allocates at most 64 times the length of text,
// plus 1 MiB.
func Parse(text string, schema Schema) (Pred, error) {
	p := &parser{lx: newLexer(text), schema: schema}
	if err := p.advance(); err != nil {
		return Pred{}, err
	}
	pred, err := p.expr(0)
	if err != nil {
		return Pred{}, err
	}
	if p.tok.kind != tEOF {
		return Pred{}, p.syntax("\"and\", \"or\" or the end of input")
	}
	return pred, nil
}

type parser struct {
	lx     *lexer
	tok    token
	schema Schema
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	p.tok = t
	return err
}

func (p *parser) errAt(t token, err error, expected string) *ParseError {
	return &ParseError{Line: t.line, Col: t.col, Found: t.found(), Expected: expected, Err: err}
}

func (p *parser) syntax(expected string) error { return p.errAt(p.tok, ErrSyntax, expected) }

// is reports whether the current token is the keyword kw.
func (p *parser) is(kw string) bool { return p.tok.kind == tIdent && strings.EqualFold(p.tok.text, kw) }

func (p *parser) isPunct(s string) bool { return p.tok.kind == tPunct && p.tok.text == s }

func (p *parser) expect(punct string) error {
	if !p.isPunct(punct) {
		return p.syntax(strconv.Quote(punct))
	}
	return p.advance()
}

func (p *parser) expr(depth int) (Pred, error) {
	var kids []Pred
	for {
		k, err := p.and(depth)
		if err != nil {
			return Pred{}, err
		}
		kids = append(kids, k)
		if !p.is("or") {
			return Or(kids...), nil
		}
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
	}
}

func (p *parser) and(depth int) (Pred, error) {
	var kids []Pred
	for {
		k, err := p.unary(depth)
		if err != nil {
			return Pred{}, err
		}
		kids = append(kids, k)
		if !p.is("and") {
			return And(kids...), nil
		}
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
	}
}

func (p *parser) unary(depth int) (Pred, error) {
	if depth > maxDepth {
		return Pred{}, p.syntax(fmt.Sprintf("at most %d nested parentheses and nots", maxDepth))
	}
	switch {
	case p.is("not"):
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		k, err := p.unary(depth + 1)
		if err != nil {
			return Pred{}, err
		}
		return Not(k), nil
	case p.isPunct("("):
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		k, err := p.expr(depth + 1)
		if err != nil {
			return Pred{}, err
		}
		return k, p.expect(")")
	case p.is("all"), p.is("none"):
		all := p.is("all")
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		if all {
			return All(), nil
		}
		return None(), nil
	}
	return p.test()
}

// test parses one field test.
func (p *parser) test() (Pred, error) {
	ft := p.tok
	if ft.kind != tQuoted && (ft.kind != tIdent || isKeyword(ft.text)) {
		return Pred{}, p.syntax("a field name, \"not\", \"(\", \"all\" or \"none\"")
	}
	spec, ok := p.schema.lookupSpec(ft.text)
	if !ok {
		names := p.schema.specNames()
		slices.Sort(names)
		return Pred{}, p.errAt(ft, ErrUnknownField, "a field of the schema ("+listNames(names)+")")
	}
	if err := p.advance(); err != nil {
		return Pred{}, err
	}
	op := p.tok
	switch {
	case p.is("known"), p.is("missing"):
		kn := p.is("known")
		if err := p.advance(); err != nil {
			return Pred{}, err
		}
		if kn {
			return known(spec), nil
		}
		return missing(spec), nil
	}
	want := opsOf(spec)
	opName := strings.ToLower(op.text)
	if op.kind != tPunct && op.kind != tIdent || !slices.Contains(strings.Split(want, ", "), strconv.Quote(opName)) {
		if op.kind == tPunct || op.kind == tIdent && isKeyword(op.text) {
			return Pred{}, p.errAt(op, ErrType, want+", \"known\" or \"missing\" for "+spec.title())
		}
		return Pred{}, p.errAt(op, ErrSyntax, want+", \"known\" or \"missing\" after field "+strconv.Quote(spec.name))
	}
	if err := p.advance(); err != nil {
		return Pred{}, err
	}
	switch spec.kind {
	case KindCat, KindSet:
		return p.valueTest(spec, opName)
	}
	return p.numberTest(spec, opName)
}

func listNames(names []string) string {
	if len(names) == 0 {
		return "it has none"
	}
	if len(names) > 12 {
		names = append(names[:12:12], "...")
	}
	return strings.Join(names, ", ")
}

// opsOf lists the operators a field takes, quoted, comma-separated.
func opsOf(s fieldSpec) string {
	switch s.kind {
	case KindCat:
		return `"=", "!=", "in"`
	case KindSet:
		return `"has"`
	case KindFlag:
		return `"=", "!="`
	}
	return `"=", "!=", "<", "<=", ">", ">=", "between"`
}

func (s fieldSpec) title() string {
	return fmt.Sprintf("%s field %q", s.describe(), s.name)
}

var keywords = []string{"and", "or", "not", "in", "has", "any", "all", "none", "between", "known", "missing", "true", "false"}

func isKeyword(s string) bool {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	return false
}
