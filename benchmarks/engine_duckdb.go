//go:build duckdb

package benchmarks

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/marcboeker/go-duckdb"
)

func init() {
	engines = append(engines, func() Engine { return &DuckDB{} })
}

// DuckDB is engine (g): DuckDB in process (github.com/marcboeker/go-duckdb,
// cgo, bundled native library), loaded with its Appender. It is compiled
// only with -tags duckdb. DuckDB scans columns with zone maps and needs no
// secondary indexes; none are created.
type DuckDB struct {
	db *sql.DB
}

// Name returns "duckdb".
func (e *DuckDB) Name() string { return "duckdb" }

// Build creates the tables and appends the rows.
func (e *DuckDB) Build(d *Data) error {
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		return err
	}
	e.db = sql.OpenDB(conn)
	for _, s := range []string{
		fmt.Sprintf(sqlCreateCustomers, ""),
		"CREATE TABLE bought (cat INTEGER NOT NULL, id INTEGER NOT NULL)",
	} {
		if _, err := e.db.Exec(s); err != nil {
			return fmt.Errorf("duckdb: %s: %w", s, err)
		}
	}
	dc, err := conn.Connect(context.Background())
	if err != nil {
		return err
	}
	defer dc.Close()
	ac, err := duckdb.NewAppenderFromConn(dc, "", "c")
	if err != nil {
		return err
	}
	ab, err := duckdb.NewAppenderFromConn(dc, "", "bought")
	if err != nil {
		return err
	}
	for i := range d.Rows {
		c := &d.Rows[i]
		var gender, age driver.Value
		if c.Gender != Missing {
			gender = int32(c.Gender)
		}
		if c.Age != Missing {
			age = int32(c.Age)
		}
		if err := ac.AppendRow(int32(i), int32(c.Country), gender, age, c.Income, c.Active,
			int32(c.Purchases), int32(c.LastDay)); err != nil {
			return err
		}
		for _, k := range c.Bought[:c.NBought] {
			if err := ab.AppendRow(int32(k), int32(i)); err != nil {
				return err
			}
		}
	}
	if err := ac.Close(); err != nil {
		return err
	}
	return ab.Close()
}

// Count runs SELECT count(*).
func (e *DuckDB) Count(q *Query) uint64 { return sqlCount(e.db, q) }

// Members runs SELECT id ... ORDER BY id.
func (e *DuckDB) Members(q *Query) Result { return sqlMembers(e.db, q) }

// Cube runs a GROUP BY over a join with bought.
func (e *DuckDB) Cube() []uint64 { return sqlCubeCounts(e.db, "c.age // 10") }

// Bytes returns DuckDB's own memory accounting (outside the Go heap).
func (e *DuckDB) Bytes() int64 {
	var n int64
	if err := e.db.QueryRow("SELECT sum(memory_usage_bytes)::BIGINT FROM duckdb_memory()").Scan(&n); err != nil {
		return -1
	}
	return n
}

// Close closes the database.
func (e *DuckDB) Close() error {
	if e.db == nil {
		return nil
	}
	return e.db.Close()
}
