package benchmarks

import (
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // the pure Go SQLite driver, "sqlite"
)

// SQLite is engine (f): SQLite in memory (modernc.org/sqlite, pure Go) with
// an index on every filtered column and a (cat, id) table for the
// categories bought; what many services would use instead of a library.
type SQLite struct {
	db *sql.DB
}

// Name returns "sqlite".
func (e *SQLite) Name() string { return "sqlite" }

// Build inserts the rows in one transaction, then creates the indexes.
func (e *SQLite) Build(d *Data) error {
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	e.db = db
	for _, s := range []string{
		"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -4000000",
		fmt.Sprintf(sqlCreateCustomers, "PRIMARY KEY"),
		"CREATE TABLE bought (cat INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (cat, id)) WITHOUT ROWID",
	} {
		if _, err := db.Exec(s); err != nil {
			return fmt.Errorf("sqlite: %s: %w", s, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	ins, err := tx.Prepare("INSERT INTO c VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	insB, err := tx.Prepare("INSERT INTO bought VALUES (?, ?)")
	if err != nil {
		return err
	}
	for i := range d.Rows {
		c := &d.Rows[i]
		var gender, age any
		if c.Gender != Missing {
			gender = int64(c.Gender)
		}
		if c.Age != Missing {
			age = int64(c.Age)
		}
		if _, err := ins.Exec(i, int64(c.Country), gender, age, c.Income, c.Active, int64(c.Purchases), int64(c.LastDay)); err != nil {
			return err
		}
		for _, k := range c.Bought[:c.NBought] {
			if _, err := insB.Exec(int64(k), i); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, col := range []string{"country", "gender", "age", "income", "active", "purchases", "lastday"} {
		if _, err := db.Exec(fmt.Sprintf("CREATE INDEX c_%s ON c (%s)", col, col)); err != nil {
			return err
		}
	}
	_, err = db.Exec("ANALYZE")
	return err
}

// Count runs SELECT count(*).
func (e *SQLite) Count(q *Query) uint64 { return sqlCount(e.db, q) }

// Members runs SELECT id ... ORDER BY id.
func (e *SQLite) Members(q *Query) Result { return sqlMembers(e.db, q) }

// Cube runs a GROUP BY over a join with bought.
func (e *SQLite) Cube() []uint64 { return sqlCubeCounts(e.db, "c.age / 10") }

// Bytes returns the database's page count times its page size (SQLite's
// memory is outside the Go heap).
func (e *SQLite) Bytes() int64 {
	var pages, size int64
	if err := e.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		return -1
	}
	if err := e.db.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		return -1
	}
	return pages * size
}

// Close closes the database.
func (e *SQLite) Close() error {
	if e.db == nil {
		return nil
	}
	return e.db.Close()
}
