package segment

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Dialect is a SQL dialect that SQL renders a predicate in.
type Dialect uint8

// The SQL dialects.
const (
	SQLite Dialect = iota + 1
	DuckDB
	PostgreSQL
	ClickHouse
)

var dialectNames = [...]string{"", "SQLite", "DuckDB", "PostgreSQL", "ClickHouse"}

// String returns the dialect's name.
func (d Dialect) String() string {
	if int(d) < len(dialectNames) && d != 0 {
		return dialectNames[d]
	}
	return fmt.Sprintf("Dialect(%d)", uint8(d))
}

// SQLTable says where a base's fields live in a SQL database: one row per
// customer in a table whose columns hold the Cat, Int, Decimal, Flag and
// Time fields (NULL for a customer without a value), and each Set field
// either in a child table of (customer, value) rows or in an array column.
type SQLTable struct {
	// Table is the customer table's name, or its alias in the query,
	// which the subqueries of Set child tables refer to; SQL returns an
	// error when it is empty and a predicate reads such a Set.
	Table string
	// ID is the customer column of the table, which Set child tables
	// refer to ("id" when empty).
	ID string
	// Columns maps a field's name to its column; a field not listed is
	// the column of its own name.
	Columns map[string]string
	// Sets maps a Set field's name to the child table that holds it; a
	// Set field not listed is an array column (DuckDB, PostgreSQL and
	// ClickHouse; SQLite has no arrays).
	Sets map[string]SQLSet
	// Times says how Time columns hold their values: as Unix seconds
	// (the zero value) or as timestamps in UTC.
	Times SQLTime
	// Decimals says how Decimal columns hold their values: as numbers
	// (12.34, the zero value) or as integer units (1234 at scale 2).
	Decimals SQLDecimal
}

// SQLSet is a child table of one Set field: one row per (customer, value).
type SQLSet struct {
	Table, ID, Value string
}

// SQLTime is how a Time column holds its values.
type SQLTime uint8

// How Time columns hold their values.
const (
	UnixSeconds SQLTime = iota // an integer of seconds since 1970-01-01 UTC
	Timestamp                  // a timestamp in UTC (SQLite: text 'YYYY-MM-DD HH:MM:SS')
)

// SQLDecimal is how a Decimal column holds its values.
type SQLDecimal uint8

// How Decimal columns hold their values.
const (
	DecimalNumber SQLDecimal = iota // the number, as a DECIMAL or NUMERIC
	DecimalUnits                    // an integer of 10^-scale units
)

// SQL renders p as the condition of a SQL WHERE clause in dialect d over
// the table t describes, with the library's semantics: a customer without
// a value (NULL, or no child rows) is outside every comparison on the
// field and inside its Not, so the condition is never NULL (Not(p) renders
// as NOT of a condition that is true or false). The customers the clause
// selects are those p selects on a base holding the same values. Values
// are written as literals (strings in single quotes, a quote doubled).
//
// SQL returns an error for a predicate whose Err is not nil, for a Set
// field without a child table in SQLite, and for a category value that is
// not a string, a bool or a number.
func (p Pred) SQL(d Dialect, t SQLTable) (string, error) {
	if err := p.Err(); err != nil {
		return "", err
	}
	if d < SQLite || d > ClickHouse {
		return "", &ArgError{Func: "SQL", Value: int(d), Msg: "unknown dialect, want SQLite, DuckDB, PostgreSQL or ClickHouse"}
	}
	w := sqlWriter{d: d, t: t}
	w.pred(p)
	if w.err != nil {
		return "", w.err
	}
	return w.sb.String(), nil
}

type sqlWriter struct {
	d   Dialect
	t   SQLTable
	sb  strings.Builder
	err error
}

func (w *sqlWriter) str(s ...string) {
	for _, x := range s {
		w.sb.WriteString(x)
	}
}

func (w *sqlWriter) pred(p Pred) {
	n := p.node()
	switch n.op {
	case nAll:
		w.str("(1 = 1)")
	case nNone:
		w.str("(1 = 0)")
	case nNot:
		w.str("(NOT ")
		w.pred(n.kids[0])
		w.str(")")
	case nAnd, nOr:
		sep := " AND "
		if n.op == nOr {
			sep = " OR "
		}
		w.str("(")
		for i, k := range n.kids {
			if i > 0 {
				w.str(sep)
			}
			w.pred(k)
		}
		w.str(")")
	case nLeaf:
		w.leaf(n.leaf)
	}
}

func (w *sqlWriter) ident(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func (w *sqlWriter) column(field string) string {
	if c, ok := w.t.Columns[field]; ok {
		return w.ident(c)
	}
	return w.ident(field)
}

func (w *sqlWriter) leaf(l *leaf) {
	if l.spec.kind == KindSet {
		w.set(l)
		return
	}
	col := w.column(l.spec.name)
	switch l.op {
	case opKnown:
		w.str("(", col, " IS NOT NULL)")
	case opMissing:
		w.str("(", col, " IS NULL)")
	case opIn:
		if len(l.vals) == 0 {
			w.str("(1 = 0)")
			return
		}
		w.str("(", col, " IS NOT NULL AND ", col, " IN (", w.values(l.vals), "))")
	case opNe:
		v := ""
		if l.spec.kind == KindCat {
			v = w.value(l.vals[0])
		} else {
			v = w.number(l.spec, l.lo)
		}
		w.str("(", col, " IS NOT NULL AND ", col, " <> ", v, ")")
	case opRange:
		switch {
		case l.lo > l.hi:
			w.str("(1 = 0)")
		case l.lo == l.hi:
			w.str("(", col, " IS NOT NULL AND ", col, " = ", w.number(l.spec, l.lo), ")")
		case l.lo == math.MinInt64 && l.hi == math.MaxInt64:
			w.str("(", col, " IS NOT NULL)")
		case l.lo == math.MinInt64:
			w.str("(", col, " IS NOT NULL AND ", col, " <= ", w.number(l.spec, l.hi), ")")
		case l.hi == math.MaxInt64:
			w.str("(", col, " IS NOT NULL AND ", col, " >= ", w.number(l.spec, l.lo), ")")
		default:
			w.str("(", col, " IS NOT NULL AND ", col, " BETWEEN ", w.number(l.spec, l.lo), " AND ", w.number(l.spec, l.hi), ")")
		}
	}
}

// set renders a leaf on a Set field: EXISTS over its child table, or an
// array function.
func (w *sqlWriter) set(l *leaf) {
	if cs, ok := w.t.Sets[l.spec.name]; ok {
		if w.t.Table == "" {
			w.fail(&ArgError{Func: "SQL", Field: l.spec.name, Msg: "the Set field is in a child table: SQLTable.Table must name the customer table"})
			return
		}
		id := w.t.ID
		if id == "" {
			id = "id"
		}
		id = w.ident(w.t.Table) + "." + w.ident(id)
		rows := "SELECT 1 FROM " + w.ident(cs.Table) + " s WHERE s." + w.ident(cs.ID) + " = " + id
		switch {
		case l.op == opKnown:
			w.str("(EXISTS (", rows, "))")
		case l.op == opMissing:
			w.str("(NOT EXISTS (", rows, "))")
		case l.op == opIn && len(l.vals) == 0:
			w.str("(1 = 0)")
		case l.op == opIn:
			w.str("(EXISTS (", rows, " AND s.", w.ident(cs.Value), " IN (", w.values(l.vals), ")))")
		case l.op == opHasAll && len(l.vals) == 0:
			w.str("(EXISTS (", rows, "))")
		case l.op == opHasAll:
			distinct := w.distinct(l.vals)
			w.str("((SELECT count(DISTINCT s.", w.ident(cs.Value), ") FROM ", w.ident(cs.Table), " s WHERE s.",
				w.ident(cs.ID), " = ", id, " AND s.", w.ident(cs.Value), " IN (", w.values(distinct), ")) = ",
				strconv.Itoa(len(distinct)), ")")
		}
		return
	}
	col := w.column(l.spec.name)
	var size, hasAny, hasAll string
	switch w.d {
	case SQLite:
		w.fail(&ArgError{Func: "SQL", Field: l.spec.name, Msg: "a Set field needs a child table in SQLite (SQLTable.Sets)"})
		return
	case DuckDB:
		size, hasAny, hasAll = "len(%s)", "list_has_any(%s, [%s])", "list_has_all(%s, [%s])"
	case PostgreSQL:
		size, hasAny, hasAll = "cardinality(%s)", "%s && ARRAY[%s]", "%s @> ARRAY[%s]"
	case ClickHouse:
		size, hasAny, hasAll = "length(%s)", "hasAny(%s, [%s])", "hasAll(%s, [%s])"
	}
	known := fmt.Sprintf("%s IS NOT NULL AND "+size+" > 0", col, col)
	switch {
	case l.op == opKnown:
		w.str("(", known, ")")
	case l.op == opMissing:
		w.str("(NOT (", known, "))")
	case l.op == opIn && len(l.vals) == 0:
		w.str("(1 = 0)")
	case l.op == opIn:
		w.str("(", known, " AND ", fmt.Sprintf(hasAny, col, w.values(l.vals)), ")")
	case l.op == opHasAll && len(l.vals) == 0:
		w.str("(", known, ")")
	case l.op == opHasAll:
		w.str("(", known, " AND ", fmt.Sprintf(hasAll, col, w.values(l.vals)), ")")
	}
}

func (w *sqlWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// distinct returns vals without repeats.
func (w *sqlWriter) distinct(vals []any) []any {
	var out []any
	for _, v := range vals {
		dup := false
		for _, u := range out {
			dup = dup || u == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

func (w *sqlWriter) values(vals []any) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = w.value(v)
	}
	return strings.Join(s, ", ")
}

// value renders a category value as a literal.
func (w *sqlWriter) value(v any) string {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return "'" + strings.ReplaceAll(rv.String(), "'", "''") + "'"
	case reflect.Bool:
		return w.bool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		if f := rv.Float(); !math.IsInf(f, 0) && !math.IsNaN(f) {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
	}
	w.fail(&ArgError{Func: "SQL", Value: v, Msg: fmt.Sprintf("a value of type %T has no SQL literal", v)})
	return "NULL"
}

func (w *sqlWriter) bool(b bool) string {
	switch {
	case w.d == SQLite && b:
		return "1"
	case w.d == SQLite:
		return "0"
	case b:
		return "TRUE"
	}
	return "FALSE"
}

// number renders a stored integer of spec's kind as a literal.
func (w *sqlWriter) number(s fieldSpec, v int64) string {
	switch s.kind {
	case KindFlag:
		return w.bool(v != 0)
	case KindDecimal:
		if w.t.Decimals == DecimalUnits {
			return strconv.FormatInt(v, 10)
		}
		return formatDecimal(v, s.scale)
	case KindTime:
		if w.t.Times == UnixSeconds {
			return strconv.FormatInt(v, 10)
		}
		ts := time.Unix(v, 0).UTC().Format(time.DateTime)
		switch w.d {
		case SQLite:
			return "'" + ts + "'"
		case ClickHouse:
			return "toDateTime('" + ts + "', 'UTC')"
		}
		return "TIMESTAMP '" + ts + "'"
	}
	return strconv.FormatInt(v, 10)
}
