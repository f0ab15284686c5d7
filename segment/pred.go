package segment

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Pred is a predicate over customers: a value that selects a set of live
// customers of a base. Predicates are immutable and may be shared between
// goroutines and reused across bases. The zero Pred matches every live
// customer, like All().
type Pred struct{ n *node }

type nodeOp uint8

const (
	nAll nodeOp = iota
	nNone
	nAnd
	nOr
	nNot
	nLeaf
)

type node struct {
	op    nodeOp
	kids  []Pred
	leaf  *leaf
	depth int // nots and parentheses nested in the node's text form (see String)
}

type leafOp uint8

const (
	opIn      leafOp = iota // Cat.Eq/In, Set.Has/HasAny: vals
	opHasAll                // Set.HasAll: vals
	opNe                    // Cat.Ne (vals[0]), Int.Ne (lo)
	opRange                 // ints in [lo, hi]
	opKnown                 // has a value
	opMissing               // live and has no value
	opInvalid               // built from an invalid bound or value: err, text
)

type leaf struct {
	spec   fieldSpec
	op     leafOp
	vals   []any
	lo, hi int64
	err    error  // opInvalid: why
	text   string // the test after the field name as the caller wrote it, "" to print it from the fields
}

// invalidPred is the predicate of a field method called with a value or
// bound that no customer can be compared with (a NaN bound, an uncomparable
// category). It matches nobody; Err reports why.
func invalidPred(s fieldSpec, text string, value any, msg string) Pred {
	err := &ArgError{Func: "predicate", Field: s.name, Value: value, Err: ErrInvalidValue, Msg: msg}
	return leafPred(&leaf{spec: s, op: opInvalid, err: err, text: text})
}

// Err returns the first error found in p's tree, in printing order: a field
// method given a NaN bound or a value that cannot be compared (an
// *ArgError with Func "predicate", wrapping ErrInvalidArgument and
// ErrInvalidValue). Such a part
// matches nobody (so Not of it matches every live customer, as for any
// comparison), and its text form is one that Parse rejects. Err returns
// nil for a predicate built from valid values, and for every predicate Parse
// returns.
func (p Pred) Err() error {
	n := p.node()
	switch n.op {
	case nLeaf:
		if n.leaf.op == opInvalid {
			return n.leaf.err
		}
	case nAnd, nOr, nNot:
		for _, k := range n.kids {
			if err := k.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	allNode  = &node{op: nAll}
	noneNode = &node{op: nNone}
)

// All matches every live customer.
func All() Pred { return Pred{allNode} }

// None matches no customer.
func None() Pred { return Pred{noneNode} }

// And matches the customers that every p matches. And() matches every live
// customer.
func And(ps ...Pred) Pred {
	switch len(ps) {
	case 0:
		return All()
	case 1:
		return ps[0]
	}
	return nested(&node{op: nAnd, kids: append([]Pred(nil), ps...)})
}

// Or matches the customers that any p matches. Or() matches nobody.
func Or(ps ...Pred) Pred {
	switch len(ps) {
	case 0:
		return None()
	case 1:
		return ps[0]
	}
	return nested(&node{op: nOr, kids: append([]Pred(nil), ps...)})
}

// Not matches the live customers that p does not match. A customer with no
// value for a field is outside every comparison on that field, so it is
// inside the comparison's Not.
func Not(p Pred) Pred { return nested(&node{op: nNot, kids: []Pred{p}}) }

func leafPred(l *leaf) Pred { return Pred{&node{op: nLeaf, leaf: l}} }

func rangePred(s fieldSpec, lo, hi int64) Pred {
	return leafPred(&leaf{spec: s, op: opRange, lo: lo, hi: hi})
}

func (p Pred) node() *node {
	if p.n == nil {
		return allNode
	}
	return p.n
}

// String returns the predicate in a readable text form, for example
// `country in ("NL", "BE") and age between 25 and 35 and not gender = "x"`,
// which Parse reads back (unless p.Err() is not nil). Comparisons print as
// the caller gave them: Int.Lt(1920) as "< 1920", a Decimal's float64 bound
// as its shortest decimal ("< 0.5", ">= 1e+21", "<= +Inf"), a Time in RFC
// 3339 UTC with its fraction of a second. It writes as few
// nots and parentheses as keep the meaning: an And inside an And (an Or
// inside an Or) is written without parentheses, and a double negation
// Not(Not(x)) as x (a predicate matches live customers only, so they are
// the same customers). The text form nests at most 200 nots and
// parentheses, the most Parse reads; And, Or and Not refuse to build a
// predicate whose text would nest deeper (see nested).
func (p Pred) String() string {
	var sb strings.Builder
	p.write(&sb, 0)
	return sb.String()
}

// nested finishes an And, Or or Not node: it records the depth of its text
// form, or returns a predicate that matches nobody and whose Err wraps
// ErrTooDeep when that depth passes maxDepth, the most Parse reads.
func nested(n *node) Pred {
	if n.op == nNot {
		if k := n.kids[0].node(); k.op == nNot {
			n.depth = k.kids[0].node().depth // written as the inner predicate
		} else {
			n.depth = 1 + nestIn(n.kids[0], nNot)
		}
	} else {
		for _, k := range n.kids {
			n.depth = max(n.depth, nestIn(k, n.op))
		}
	}
	if n.depth > maxDepth {
		err := &ArgError{Func: "predicate", Err: ErrTooDeep,
			Msg: fmt.Sprintf("its text form would nest %d nots and parentheses, at most %d", n.depth, maxDepth)}
		return leafPred(&leaf{op: opInvalid, err: err, text: fmt.Sprintf("<nested %d deep, at most %d>", n.depth, maxDepth)})
	}
	return Pred{n}
}

// shown returns the predicate String writes for p: p without its double
// negations.
func shown(p Pred) Pred {
	for {
		n := p.node()
		if n.op != nNot || n.kids[0].node().op != nNot {
			return p
		}
		p = n.kids[0].node().kids[0]
	}
}

// nestIn returns the nesting of p's text form written as an operand of a
// node of op, with the parentheses it then needs.
func nestIn(p Pred, op nodeOp) int {
	n := shown(p).node()
	if n.op == nOr && (op == nAnd || op == nNot) || n.op == nAnd && op == nNot {
		return n.depth + 1
	}
	return n.depth
}

// Precedence levels: or < and < not < atom.
func (p Pred) write(sb *strings.Builder, ctx int) {
	p = shown(p)
	n := p.node()
	switch n.op {
	case nAll:
		sb.WriteString("all")
	case nNone:
		sb.WriteString("none")
	case nAnd, nOr:
		prec, sep := 2, " and "
		if n.op == nOr {
			prec, sep = 1, " or "
		}
		if ctx > prec {
			sb.WriteByte('(')
		}
		for i, k := range n.kids {
			if i > 0 {
				sb.WriteString(sep)
			}
			if shown(k).node().op == n.op {
				k.write(sb, prec) // a and (b and c) is a and b and c
			} else {
				k.write(sb, prec+1)
			}
		}
		if ctx > prec {
			sb.WriteByte(')')
		}
	case nNot:
		sb.WriteString("not ")
		n.kids[0].write(sb, 3)
	case nLeaf:
		n.leaf.write(sb)
	}
}

func (l *leaf) write(sb *strings.Builder) {
	if l.op == opInvalid && l.spec.name == "" { // nested too deep
		sb.WriteString(l.text)
		return
	}
	sb.WriteString(formatName(l.spec.name))
	if l.text != "" { // a comparison as the caller wrote it
		sb.WriteString(" " + l.text)
		return
	}
	switch l.op {
	case opKnown:
		sb.WriteString(" known")
		return
	case opMissing:
		sb.WriteString(" missing")
		return
	case opNe:
		sb.WriteString(" != ")
		if l.spec.kind == KindCat {
			sb.WriteString(formatAny(l.vals[0]))
		} else {
			sb.WriteString(l.spec.formatInt(l.lo))
		}
		return
	case opIn, opHasAll:
		verb := "="
		switch {
		case l.spec.kind == KindSet && l.op == opHasAll:
			verb = "has all"
		case l.spec.kind == KindSet && len(l.vals) == 1:
			verb = "has"
		case l.spec.kind == KindSet:
			verb = "has any"
		case len(l.vals) != 1:
			verb = "in"
		}
		sb.WriteString(" " + verb + " ")
		if verb == "=" || verb == "has" {
			sb.WriteString(formatAny(l.vals[0]))
			return
		}
		sb.WriteByte('(')
		for i, v := range l.vals {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(formatAny(v))
		}
		sb.WriteByte(')')
		return
	}
	// opRange
	s := l.spec
	if s.kind == KindFlag {
		switch {
		case l.lo == 1 && l.hi == 1:
			sb.WriteString(" = true")
			return
		case l.lo == 0 && l.hi == 0:
			sb.WriteString(" = false")
			return
		}
	}
	switch {
	case l.lo > l.hi:
		sb.WriteString(" between " + s.formatInt(l.lo) + " and " + s.formatInt(l.hi))
	case l.lo == l.hi:
		sb.WriteString(" = " + s.formatInt(l.lo))
	case l.lo == math.MinInt64:
		sb.WriteString(" <= " + s.formatInt(l.hi))
	case l.hi == math.MaxInt64:
		sb.WriteString(" >= " + s.formatInt(l.lo))
	default:
		sb.WriteString(" between " + s.formatInt(l.lo) + " and " + s.formatInt(l.hi))
	}
}

// formatInt prints a stored integer as the field's kind reads it.
func (s fieldSpec) formatInt(v int64) string {
	switch s.kind {
	case KindTime:
		if t := time.Unix(v, 0).UTC(); t.Year() >= 1 && t.Year() <= 9999 {
			return t.Format(time.RFC3339)
		}
		return strconv.FormatInt(v, 10) // Unix seconds: RFC 3339 has 4-digit years
	case KindFlag:
		return strconv.FormatBool(v != 0)
	case KindDecimal:
		return formatDecimal(v, s.scale)
	}
	return strconv.FormatInt(v, 10)
}

func formatDecimal(v int64, scale int) string {
	if scale == 0 {
		return strconv.FormatInt(v, 10)
	}
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	for len(digits) <= scale {
		digits = "0" + digits
	}
	s := digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}

// formatName prints a field name bare when it is a plain identifier and
// back-quoted otherwise.
func formatName(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '.')) {
			plain = false
		}
	}
	switch strings.ToLower(name) {
	case "and", "or", "not", "in", "has", "any", "all", "none", "between", "known", "missing", "true", "false":
		plain = false
	}
	if plain {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// formatAny prints a value: strings quoted, everything else as fmt prints it.
func formatAny(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return strconv.Quote(rv.String())
	}
	return fmt.Sprint(v)
}
