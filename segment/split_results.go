package segment

import (
	"cmp"
	"container/heap"
	"slices"
)

// results keeps the micro-segments found so far: all of them, or with
// MaxSegments a min-heap of the best k (the worst at index 0).
type results struct {
	ms  []Micro
	seq []int // visiting order of ms[i], for ties
	cmp func(a, b Micro) int
	o   options
}

func (r *results) init(o options) {
	r.o = o
	r.cmp = func(a, b Micro) int { return cmp.Compare(b.Count, a.Count) }
	if o.byValue {
		r.cmp = func(a, b Micro) int { return cmp.Compare(b.Sum, a.Sum) }
	}
}

// sorted returns the kept micro-segments, best first, ties in visiting
// order.
func (r *results) sorted() []Micro {
	type key struct {
		count uint64
		sum   float64
		seq   int
		i     int
	}
	keys := make([]key, len(r.ms))
	for i, m := range r.ms {
		keys[i] = key{m.Count, m.Sum, r.seq[i], i}
	}
	byValue := r.o.byValue
	slices.SortFunc(keys, func(a, b key) int {
		if byValue {
			if c := cmp.Compare(b.sum, a.sum); c != 0 {
				return c
			}
		} else if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]Micro, len(keys))
	for k, x := range keys {
		out[k] = r.ms[x.i]
	}
	return out
}

func (r *results) push(m Micro, seq int) {
	o := r.o
	if o.max == 0 || len(r.ms) < o.max {
		r.ms, r.seq = append(r.ms, m), append(r.seq, seq)
		if o.max > 0 {
			heap.Fix(r, len(r.ms)-1)
		}
		return
	}
	// Full: replace the worst when m beats it (a later cell loses ties).
	if r.cmp(m, r.ms[0]) < 0 {
		r.ms[0], r.seq[0] = m, seq
		heap.Fix(r, 0)
	}
}

// heap.Interface over the kept micro-segments, worst first.
func (r *results) Len() int { return len(r.ms) }
func (r *results) Less(i, j int) bool {
	if c := r.cmp(r.ms[i], r.ms[j]); c != 0 {
		return c > 0
	}
	return r.seq[i] > r.seq[j]
}
func (r *results) Swap(i, j int) {
	r.ms[i], r.ms[j] = r.ms[j], r.ms[i]
	r.seq[i], r.seq[j] = r.seq[j], r.seq[i]
}
func (r *results) Push(any) { panic("unused") }
func (r *results) Pop() any { panic("unused") }
