package segment

import (
	"errors"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestShardsMergeTables(t *testing.T) {
	f := newFleet(t, 4000)
	qs := mergeQueries(f.d)
	segs := []Named{{"Q1", qs["Q1"]}, {"Q2", qs["Q2"]}, {"Q3", qs["Q3"]}, {"spend", qs["spend"]}, {"none", qs["none"]}}
	preds := []Pred{qs["Q1"], qs["Q2"], qs["Q3"], qs["spend"], All()}

	// The next snapshot: every 5th customer flips active and every 11th
	// leaves, on the one base and on the shard that holds the customer.
	change := func(b *Base, lo, hi int) *Base {
		t.Helper()
		bt := b.Batch()
		for i := lo; i < hi; i++ {
			switch {
			case i%11 == 0:
				if err := bt.Remove(f.d.keys[i]); err != nil {
					t.Fatal(err)
				}
			case i%5 == 0:
				if err := bt.Set(f.d.keys[i], gActive.Value(!f.d.active[i])); err != nil {
					t.Fatal(err)
				}
			}
		}
		after, err := bt.Apply()
		if err != nil {
			t.Fatal(err)
		}
		return after
	}
	n := len(f.d.keys)
	afterAll := change(f.all, 0, n)

	for _, sum := range []ReportOption{nil, SumOf(gIncome), SumOf(gSpend)} {
		want, err := Report(f.all, segs, sum)
		if err != nil {
			t.Fatal(err)
		}
		var tables []*ReportTable
		for _, b := range f.bases {
			r, err := Report(b, segs, sum)
			if err != nil {
				t.Fatal(err)
			}
			tables = append(tables, r)
		}
		got, err := MergeReports(tables...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
			t.Errorf("report with %v (-one base +shards):\n%s", sum, diff)
		}
	}

	var overlaps []*Overlaps
	var trans []*TransitionMatrix
	for s, b := range f.bases {
		overlaps = append(overlaps, Overlap(b, preds...))
		after := change(b, min(s*f.per, n), min((s+1)*f.per, n))
		tm, err := Transitions(b, after, segs...)
		if err != nil {
			t.Fatal(err)
		}
		trans = append(trans, tm)
	}
	gotO, err := MergeOverlaps(overlaps...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(Overlap(f.all, preds...), gotO); diff != "" {
		t.Errorf("overlaps (-one base +shards):\n%s", diff)
	}
	wantT, err := Transitions(f.all, afterAll, segs...)
	if err != nil {
		t.Fatal(err)
	}
	gotT, err := MergeTransitions(trans...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(wantT, gotT); diff != "" {
		t.Errorf("transitions (-one base +shards):\n%s", diff)
	}
}

func TestMergeTablesErrors(t *testing.T) {
	r := &ReportTable{Rows: []ReportRow{{Name: "a"}}}
	o := &Overlaps{Counts: [][]uint64{{1}}}
	tm := &TransitionMatrix{Rows: []string{"a"}, Cols: []string{"a"}, Counts: [][]uint64{{1}}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"reports none", second(MergeReports()), "no tables"},
		{"reports nil", second(MergeReports(r, nil)), "tables[1] is nil"},
		{"reports rows", second(MergeReports(r, &ReportTable{})), "tables[1] has 0 rows, tables[0] 1"},
		{"reports names", second(MergeReports(r, &ReportTable{Rows: []ReportRow{{Name: "b"}}})), `row 0 of tables[1] is "b", of tables[0] "a"`},
		{"overlaps none", second(MergeOverlaps()), "no matrices"},
		{"overlaps nil", second(MergeOverlaps(o, nil)), "matrix 1 is nil"},
		{"overlaps size", second(MergeOverlaps(o, &Overlaps{Counts: [][]uint64{{1, 2}, {3, 4}}})), "matrix 1 has 2 rows, matrix 0 1"},
		{"transitions none", second(MergeTransitions()), "no matrices"},
		{"transitions nil", second(MergeTransitions(tm, nil)), "ts[1] is nil"},
		{"transitions labels", second(MergeTransitions(tm, &TransitionMatrix{Rows: []string{"b"}, Cols: []string{"a"}, Counts: [][]uint64{{1}}})), "ts[1] has rows"},
		{"transitions columns", second(MergeTransitions(tm, &TransitionMatrix{Rows: []string{"a"}, Cols: []string{"a"}, Counts: [][]uint64{{1, 2}}})), "row 0 of matrix 1 has 2 columns"},
	}
	for _, tt := range tests {
		var ae *ArgError
		if !errors.As(tt.err, &ae) || !errors.Is(tt.err, ErrInvalidArgument) || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want an *ArgError with %q", tt.name, tt.err, tt.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
