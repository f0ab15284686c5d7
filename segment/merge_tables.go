package segment

import (
	"fmt"
	"slices"
)

// The tables that Report, Overlap and Transitions return count customers,
// so the tables of shards add up: each function below merges the tables
// that one call returned on every shard (with the same segments, in the
// same order) into the table that call returns on one base of all the
// customers. A Move's bitmaps merge as member sets do (Shard.Global, then
// a union), and its counts add.

// MergeReports adds up Report tables of the same segments over disjoint
// sets of customers (one per shard): Base, Total and every row's Count and
// Sum add, and the shares and per-member values are computed again from
// the sums. Counts are exact; sums are as MergeSplits says. It returns an
// *ArgError for no tables, a nil table, or tables whose rows differ in
// number or names.
func MergeReports(tables ...*ReportTable) (*ReportTable, error) {
	bad := func(format string, args ...any) error {
		return &ArgError{Func: "MergeReports", Msg: fmt.Sprintf(format, args...)}
	}
	if len(tables) == 0 {
		return nil, bad("no tables to merge")
	}
	if tables[0] == nil {
		return nil, bad("tables[0] is nil")
	}
	out := &ReportTable{Rows: make([]ReportRow, len(tables[0].Rows))}
	for i, r := range tables[0].Rows {
		out.Rows[i].Name = r.Name
	}
	for i, t := range tables {
		if t == nil {
			return nil, bad("tables[%d] is nil", i)
		}
		if len(t.Rows) != len(out.Rows) {
			return nil, bad("tables[%d] has %d rows, tables[0] %d", i, len(t.Rows), len(out.Rows))
		}
		out.Base += t.Base
		out.Total += t.Total
		for j, r := range t.Rows {
			if r.Name != out.Rows[j].Name {
				return nil, bad("row %d of tables[%d] is %q, of tables[0] %q", j, i, r.Name, out.Rows[j].Name)
			}
			out.Rows[j].Count += r.Count
			out.Rows[j].Sum += r.Sum
		}
	}
	for j := range out.Rows {
		row := &out.Rows[j]
		row.Share = ratio(float64(row.Count), float64(out.Base))
		row.ValueShare = ratio(row.Sum, out.Total)
		row.PerMember = ratio(row.Sum, float64(row.Count))
	}
	return out, nil
}

// MergeOverlaps adds up what Overlap returned for the same segments over
// disjoint sets of customers (one per shard). It returns an *ArgError for
// no matrices, a nil one, or matrices of different sizes.
func MergeOverlaps(ms ...*Overlaps) (*Overlaps, error) {
	if len(ms) == 0 {
		return nil, &ArgError{Func: "MergeOverlaps", Msg: "no matrices to merge"}
	}
	counts, err := addMatrices("MergeOverlaps", len(ms), func(i int) [][]uint64 {
		if ms[i] == nil {
			return nil
		}
		return ms[i].Counts
	})
	if err != nil {
		return nil, err
	}
	return &Overlaps{Counts: counts}, nil
}

// MergeTransitions adds up what Transitions returned for the same
// segments over disjoint sets of customers (one per shard, each compared
// with its own earlier snapshot). It returns an *ArgError for no matrices,
// a nil one, or matrices whose labels differ.
func MergeTransitions(ts ...*TransitionMatrix) (*TransitionMatrix, error) {
	bad := func(format string, args ...any) error {
		return &ArgError{Func: "MergeTransitions", Msg: fmt.Sprintf(format, args...)}
	}
	if len(ts) == 0 {
		return nil, bad("no matrices to merge")
	}
	for i, t := range ts {
		if t == nil {
			return nil, bad("ts[%d] is nil", i)
		}
		if !slices.Equal(t.Rows, ts[0].Rows) || !slices.Equal(t.Cols, ts[0].Cols) {
			return nil, bad("ts[%d] has rows %q and columns %q, ts[0] %q and %q", i, t.Rows, t.Cols, ts[0].Rows, ts[0].Cols)
		}
	}
	counts, err := addMatrices("MergeTransitions", len(ts), func(i int) [][]uint64 { return ts[i].Counts })
	if err != nil {
		return nil, err
	}
	return &TransitionMatrix{Rows: append([]string(nil), ts[0].Rows...), Cols: append([]string(nil), ts[0].Cols...), Counts: counts}, nil
}

// addMatrices adds up the n matrices that at returns, which must have the
// shape of the first; a nil matrix is an error.
func addMatrices(fn string, n int, at func(i int) [][]uint64) ([][]uint64, error) {
	first := at(0)
	if first == nil {
		return nil, &ArgError{Func: fn, Msg: "matrix 0 is nil"}
	}
	out := make([][]uint64, len(first))
	for r := range out {
		out[r] = make([]uint64, len(first[r]))
	}
	for i := range n {
		m := at(i)
		if m == nil {
			return nil, &ArgError{Func: fn, Msg: fmt.Sprintf("matrix %d is nil", i)}
		}
		if len(m) != len(out) {
			return nil, &ArgError{Func: fn, Msg: fmt.Sprintf("matrix %d has %d rows, matrix 0 %d", i, len(m), len(out))}
		}
		for r, row := range m {
			if len(row) != len(out[r]) {
				return nil, &ArgError{Func: fn, Msg: fmt.Sprintf("row %d of matrix %d has %d columns, of matrix 0 %d", r, i, len(row), len(out[r]))}
			}
			for c, x := range row {
				out[r][c] += x
			}
		}
	}
	return out, nil
}
