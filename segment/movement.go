package segment

import (
	"errors"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/keydict"
)

// ErrNotSnapshots: the two bases given to Movement or Transitions are not
// snapshots of one base (their IDs do not name the same customers).
var ErrNotSnapshots = errors.New("bases are not snapshots of one base")

// Move is how the members of one segment changed from a snapshot of a base
// to a later one. The bitmaps are the caller's. Customers are compared by ID,
// which stays the same across the snapshots of a base.
type Move struct {
	Entered *roaring.Bitmap // in the segment after, not before; includes new customers
	Exited  *roaring.Bitmap // in the segment before, not after; includes removed customers
	Stayed  *roaring.Bitmap // in the segment before and after
	Added   *roaring.Bitmap // live after but not before, in the segment or not
	Removed *roaring.Bitmap // live before but not after, in the segment or not
}

// MoveCounts holds the sizes of a Move's bitmaps.
type MoveCounts struct {
	Entered, Exited, Stayed, Added, Removed uint64
}

// Counts returns the sizes of m's bitmaps. The segment had Stayed+Exited
// members before and has Stayed+Entered after.
func (m Move) Counts() MoveCounts {
	return MoveCounts{
		Entered: m.Entered.GetCardinality(),
		Exited:  m.Exited.GetCardinality(),
		Stayed:  m.Stayed.GetCardinality(),
		Added:   m.Added.GetCardinality(),
		Removed: m.Removed.GetCardinality(),
	}
}

// Movement evaluates p on two snapshots of one base and returns who entered,
// exited and stayed in the segment, and who was added to or removed from the
// base in between. It returns an error wrapping ErrNotSnapshots when the
// bases' keys and IDs disagree, and p.Err() when p was built from an invalid
// value.
func Movement(before, after *Base, p Pred) (Move, error) {
	if err := checkSnapshots("Movement", before, after); err != nil {
		return Move{}, err
	}
	if err := p.Err(); err != nil {
		return Move{}, err
	}
	x, y := before.Eval(p), after.Eval(p)
	return Move{
		Entered: roaring.AndNot(y, x),
		Exited:  roaring.AndNot(x, y),
		Stayed:  roaring.And(x, y),
		Added:   roaring.AndNot(after.live, before.live),
		Removed: roaring.AndNot(before.live, after.live),
	}, nil
}

// checkSnapshots checks that the IDs both bases have assigned name the same
// keys: it compares fingerprints of the key dictionaries (a chained hash
// of the keys in ID order that every base carries), at a cost of at most
// one page of keys, whatever the size of the bases.
func checkSnapshots(fn string, before, after *Base) error {
	if before == nil || after == nil {
		return fmt.Errorf("segment: %s: %w: a base is nil", fn, ErrNotSnapshots)
	}
	n := min(before.IDCount(), after.IDCount())
	if n == 0 {
		return nil
	}
	if id, differ := keydict.FirstDiff(before.dict, after.dict, n); differ {
		k1, _ := before.Key(id)
		k2, _ := after.Key(id)
		return fmt.Errorf("segment: %s: %w: ID %d is %q before and %q after", fn, ErrNotSnapshots, id, k1, k2)
	}
	return nil
}

// Named is a segment with a name, for Transitions and Report.
type Named struct {
	Name string
	Pred Pred
}

// Row and column names that Transitions adds after the segments.
const (
	NoneLabel    = "(none)"    // live, in none of the segments
	AddedLabel   = "(added)"   // row: not live before, added since
	RemovedLabel = "(removed)" // column: live before, removed since
)

// TransitionMatrix counts how customers moved between the segments of a
// partition from one snapshot of a base to a later one.
//
// With n segments, rows 0..n-1 are the segments before, row n is NoneLabel
// (live before, in no segment) and row n+1 is AddedLabel (not live before);
// columns 0..n-1 are the segments after, column n is NoneLabel and column
// n+1 is RemovedLabel (not live after). Counts[n+1][n+1] is always 0. So the
// first n+1 rows add up to the size of the base before, and the first n+1
// columns to the size of the base after.
type TransitionMatrix struct {
	Rows, Cols []string
	Counts     [][]uint64
}

// RowTotals returns the sum of each row: the size of each segment before,
// of NoneLabel before, and the number of customers added.
func (t *TransitionMatrix) RowTotals() []uint64 {
	out := make([]uint64, len(t.Counts))
	for i, r := range t.Counts {
		for _, c := range r {
			out[i] += c
		}
	}
	return out
}

// ColTotals returns the sum of each column: the size of each segment after,
// of NoneLabel after, and the number of customers removed.
func (t *TransitionMatrix) ColTotals() []uint64 {
	out := make([]uint64, len(t.Cols))
	for _, r := range t.Counts {
		for j, c := range r {
			out[j] += c
		}
	}
	return out
}

// Transitions partitions the live customers of each snapshot by segs and
// counts the customers in each pair (segment before, segment after). A
// customer that several segments match is counted in the first of them in
// list order, so overlapping segments still make a partition (list the most
// specific first). Customers added or removed in between appear in the row
// AddedLabel and the column RemovedLabel; see TransitionMatrix. The same
// predicates are evaluated on both snapshots: a relative window such as
// Time.Within(asOf, d) has one asOf for both, so prefer fields that each
// snapshot keeps current (a rolling 12-month spend, a recency score). It
// returns an error wrapping ErrNotSnapshots when the bases' keys and IDs
// disagree, and the Err of the first segment built from an invalid value.
func Transitions(before, after *Base, segs ...Named) (*TransitionMatrix, error) {
	if err := checkSnapshots("Transitions", before, after); err != nil {
		return nil, err
	}
	for i, s := range segs {
		if err := s.Pred.Err(); err != nil {
			return nil, fmt.Errorf("segment: Transitions: %s: %w", segName(i, s.Name), err)
		}
	}
	n := len(segs)
	names := make([]string, n, n+2)
	for i, s := range segs {
		names[i] = s.Name
	}
	t := &TransitionMatrix{
		Rows:   append(names[:n:n], NoneLabel, AddedLabel),
		Cols:   append(names[:n:n], NoneLabel, RemovedLabel),
		Counts: make([][]uint64, n+2),
	}
	rows := append(partition(before, segs), roaring.AndNot(after.live, before.live))
	cols := append(partition(after, segs), roaring.AndNot(before.live, after.live))
	for i, r := range rows {
		t.Counts[i] = make([]uint64, n+2)
		for j, c := range cols {
			t.Counts[i][j] = r.AndCardinality(c)
		}
	}
	return t, nil
}

// partition returns the members of each segment that no earlier segment
// has, and then the live customers in none of them.
func partition(b *Base, segs []Named) []*roaring.Bitmap {
	rest := b.Live()
	out := make([]*roaring.Bitmap, 0, len(segs)+1)
	for _, s := range segs {
		x := b.Eval(s.Pred)
		x.And(rest)
		rest.AndNot(x)
		out = append(out, x)
	}
	return append(out, rest)
}
