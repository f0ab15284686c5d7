package segment

import "github.com/RoaringBitmap/roaring/v2"

// Overlaps holds how much a list of segments overlap: the size of each and
// of every pairwise intersection. Segment i is the i-th predicate given to
// Overlap.
type Overlaps struct {
	// Counts[i][j] is the number of customers in both segment i and segment
	// j; Counts[i][i] is the size of segment i. The matrix is symmetric.
	Counts [][]uint64
}

// Overlap evaluates each segment once and counts every pairwise
// intersection without materializing it.
func Overlap(b *Base, segs ...Pred) *Overlaps {
	bms := make([]*roaring.Bitmap, len(segs))
	for i, p := range segs {
		bms[i] = b.Eval(p)
	}
	return overlapOf(bms)
}

func overlapOf(bms []*roaring.Bitmap) *Overlaps {
	m := &Overlaps{Counts: make([][]uint64, len(bms))}
	for i := range bms {
		m.Counts[i] = make([]uint64, len(bms))
	}
	for i, a := range bms {
		m.Counts[i][i] = a.GetCardinality()
		for j := i + 1; j < len(bms); j++ {
			n := a.AndCardinality(bms[j])
			m.Counts[i][j], m.Counts[j][i] = n, n
		}
	}
	return m
}

// Size returns the number of customers in segment i.
func (m *Overlaps) Size(i int) uint64 { return m.Counts[i][i] }

// Jaccard returns the Jaccard index of segments i and j: the size of their
// intersection over the size of their union, from 0 (disjoint) to 1 (equal).
// It is 0 when both are empty.
func (m *Overlaps) Jaccard(i, j int) float64 {
	inter := m.Counts[i][j]
	union := m.Counts[i][i] + m.Counts[j][j] - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// Coverage returns the share of segment i's members that are also in
// segment j, from 0 to 1. It is 0 when segment i is empty.
func (m *Overlaps) Coverage(i, j int) float64 {
	if m.Counts[i][i] == 0 {
		return 0
	}
	return float64(m.Counts[i][j]) / float64(m.Counts[i][i])
}
