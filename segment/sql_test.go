package segment

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSQL(t *testing.T) {
	country, tags := NewCat[string]("country"), NewSet[string]("tags")
	age, spend := NewInt("age"), NewDecimal("spend", 2)
	active, seen := NewFlag("active"), NewTime("seen")
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	child := SQLTable{Table: "c", Sets: map[string]SQLSet{"tags": {Table: "tags", ID: "cid", Value: "tag"}}}
	tests := []struct {
		name string
		p    Pred
		d    Dialect
		t    SQLTable
		want string
	}{
		{"in", country.In("NL", "O'Neil"), SQLite, SQLTable{}, `("country" IS NOT NULL AND "country" IN ('NL', 'O''Neil'))`},
		{"not", Not(country.Eq("NL")), PostgreSQL, SQLTable{}, `(NOT ("country" IS NOT NULL AND "country" IN ('NL')))`},
		{"ne", country.Ne("NL"), DuckDB, SQLTable{}, `("country" IS NOT NULL AND "country" <> 'NL')`},
		{"column", age.Between(25, 35), DuckDB, SQLTable{Columns: map[string]string{"age": "age_years"}},
			`("age_years" IS NOT NULL AND "age_years" BETWEEN 25 AND 35)`},
		{"lt", age.Lt(30), SQLite, SQLTable{}, `("age" IS NOT NULL AND "age" <= 29)`},
		{"ge max", age.Ge(math.MaxInt64), SQLite, SQLTable{}, `("age" IS NOT NULL AND "age" = 9223372036854775807)`},
		{"empty", age.Gt(math.MaxInt64), SQLite, SQLTable{}, `(1 = 0)`},
		{"decimal", spend.Ge(12.345), PostgreSQL, SQLTable{}, `("spend" IS NOT NULL AND "spend" >= 12.35)`},
		{"decimal units", spend.Le(12.34), PostgreSQL, SQLTable{Decimals: DecimalUnits}, `("spend" IS NOT NULL AND "spend" <= 1234)`},
		{"flag sqlite", active.True(), SQLite, SQLTable{}, `("active" IS NOT NULL AND "active" = 1)`},
		{"flag", active.False(), ClickHouse, SQLTable{}, `("active" IS NOT NULL AND "active" = FALSE)`},
		{"unix", seen.After(at), DuckDB, SQLTable{}, `("seen" IS NOT NULL AND "seen" >= 1709294401)`},
		{"timestamp", seen.Before(at), DuckDB, SQLTable{Times: Timestamp}, `("seen" IS NOT NULL AND "seen" <= TIMESTAMP '2024-03-01 11:59:59')`},
		{"timestamp ch", seen.Before(at), ClickHouse, SQLTable{Times: Timestamp}, `("seen" IS NOT NULL AND "seen" <= toDateTime('2024-03-01 11:59:59', 'UTC'))`},
		{"timestamp sqlite", seen.Before(at), SQLite, SQLTable{Times: Timestamp}, `("seen" IS NOT NULL AND "seen" <= '2024-03-01 11:59:59')`},
		{"child has", tags.HasAny("a", "b"), SQLite, child, `(EXISTS (SELECT 1 FROM "tags" s WHERE s."cid" = "c"."id" AND s."tag" IN ('a', 'b')))`},
		{"child all", tags.HasAll("a", "b", "a"), SQLite, child,
			`((SELECT count(DISTINCT s."tag") FROM "tags" s WHERE s."cid" = "c"."id" AND s."tag" IN ('a', 'b')) = 2)`},
		{"child missing", tags.Missing(), SQLite, child, `(NOT EXISTS (SELECT 1 FROM "tags" s WHERE s."cid" = "c"."id"))`},
		{"array duckdb", tags.Has("a"), DuckDB, SQLTable{}, `("tags" IS NOT NULL AND len("tags") > 0 AND list_has_any("tags", ['a']))`},
		{"array pg", tags.HasAll("a", "b"), PostgreSQL, SQLTable{}, `("tags" IS NOT NULL AND cardinality("tags") > 0 AND "tags" @> ARRAY['a', 'b'])`},
		{"array ch", tags.Known(), ClickHouse, SQLTable{}, `("tags" IS NOT NULL AND length("tags") > 0)`},
		{"tree", Or(And(country.Eq("NL"), age.Known()), None(), All()), SQLite, SQLTable{},
			`((("country" IS NOT NULL AND "country" IN ('NL')) AND ("age" IS NOT NULL)) OR (1 = 0) OR (1 = 1))`},
	}
	for _, tt := range tests {
		got, err := tt.p.SQL(tt.d, tt.t)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: %s.SQL(%v) (-want +got):\n%s", tt.name, tt.p, tt.d, diff)
		}
	}

	for _, tt := range []struct {
		name string
		p    Pred
		d    Dialect
		t    SQLTable
	}{
		{"sqlite array", tags.Has("a"), SQLite, SQLTable{}},
		{"no table", tags.Has("a"), SQLite, SQLTable{Sets: child.Sets}},
		{"invalid", spend.Ge(math.NaN()), SQLite, SQLTable{}},
		{"dialect", All(), Dialect(9), SQLTable{}},
		{"inverted", age.Between(5, 1), SQLite, SQLTable{}},
		{"value", NewCat[struct{ A int }]("s").Eq(struct{ A int }{1}), SQLite, SQLTable{}},
	} {
		if _, err := tt.p.SQL(tt.d, tt.t); !errors.Is(err, ErrInvalidArgument) && !errors.Is(err, ErrInvalidValue) {
			t.Errorf("%s: err = %v, want an error", tt.name, err)
		}
	}
}
