package benchmarks

import (
	"database/sql"
	"fmt"
	"strings"
)

// The SQL engines hold two tables: c (one row per customer, NULL for a
// missing gender or age) and bought (one row per category bought).
const (
	// sqlCreateCustomers takes the id column's constraint.
	sqlCreateCustomers = `CREATE TABLE c (id INTEGER %s, country INTEGER NOT NULL,
		gender INTEGER, age INTEGER, income BIGINT NOT NULL, active BOOLEAN NOT NULL,
		purchases INTEGER NOT NULL, lastday INTEGER NOT NULL)`
	// sqlCube is Q4; %s is the integer division of age by 10.
	sqlCube = `SELECT c.country, %s, b.cat, count(*) FROM c JOIN bought b ON b.id = c.id
		WHERE c.age IS NOT NULL GROUP BY 1, 2, 3`
)

// sqlTerm returns t as a SQL condition. A positive term on a NULL is NULL,
// which WHERE treats as false, as microseg does; a Not term is wrapped in
// coalesce so that a missing value makes it true.
func sqlTerm(t *Term) string {
	var s string
	switch t.Op {
	case CountryIn:
		vs := make([]string, len(t.Vals))
		for i, v := range t.Vals {
			vs[i] = fmt.Sprint(v)
		}
		s = "country IN (" + strings.Join(vs, ",") + ")"
	case GenderEq:
		s = fmt.Sprintf("gender = %d", t.Vals[0])
	case AgeBetween:
		s = fmt.Sprintf("age BETWEEN %d AND %d", t.Lo, t.Hi)
	case Has:
		s = fmt.Sprintf("id IN (SELECT id FROM bought WHERE cat = %d)", t.Vals[0])
	case Active:
		s = "active"
	case IncomeGt:
		s = fmt.Sprintf("income > %d", t.Lo)
	case PurchasesGe:
		s = fmt.Sprintf("purchases >= %d", t.Lo)
	case LastDayBetween:
		s = fmt.Sprintf("lastday BETWEEN %d AND %d", t.Lo, t.Hi)
	}
	if t.Not {
		return "NOT coalesce(" + s + ", false)"
	}
	return s
}

// sqlWhere returns q as a WHERE condition.
func sqlWhere(q *Query) string {
	var or []string
	for _, cl := range q.Clauses {
		var and []string
		for i := range cl {
			and = append(and, sqlTerm(&cl[i]))
		}
		or = append(or, "("+strings.Join(and, " AND ")+")")
	}
	return strings.Join(or, " OR ")
}

func sqlCount(db *sql.DB, q *Query) uint64 {
	var n uint64
	if err := db.QueryRow("SELECT count(*) FROM c WHERE " + sqlWhere(q)).Scan(&n); err != nil {
		panic(err)
	}
	return n
}

func sqlMembers(db *sql.DB, q *Query) Slice {
	rows, err := db.Query("SELECT id FROM c WHERE " + sqlWhere(q) + " ORDER BY id")
	if err != nil {
		panic(err)
	}
	defer rows.Close()
	var out Slice
	for rows.Next() {
		var id uint32
		if err := rows.Scan(&id); err != nil {
			panic(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		panic(err)
	}
	return out
}

func sqlCubeCounts(db *sql.DB, band string) []uint64 {
	rows, err := db.Query(fmt.Sprintf(sqlCube, band))
	if err != nil {
		panic(err)
	}
	defer rows.Close()
	cube := make([]uint64, CubeCells)
	for rows.Next() {
		var country, band, cat int
		var n uint64
		if err := rows.Scan(&country, &band, &cat, &n); err != nil {
			panic(err)
		}
		cube[(country*NumAgeBands+band)*NumCategories+cat] = n
	}
	if err := rows.Err(); err != nil {
		panic(err)
	}
	return cube
}
