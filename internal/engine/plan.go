package engine

// Planning: NewPlan compiles a predicate tree once (the order of every
// conjunction's terms, the class of every step, the estimates of ranges);
// exec.go runs the compiled plan chunk by chunk.

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Plan is a compiled plan ready for chunked evaluation: the tree is
// evaluated one 65,536-ID chunk at a time, every node computed on the chunk
// before the next chunk starts, with working memory from a Scratch. A Plan
// is immutable and may be run by many goroutines at once, each with its own
// Scratch.
type Plan struct {
	root   *Node
	live   *Frozen
	chunks int
}

// NewPlan prepares root for chunked evaluation over the live customers.
// Every Leaf of root needs F, every Range needs F (its known customers) and
// Planes. root must not change afterwards.
func NewPlan(root *Node, live *Frozen) *Plan {
	prepare(root, live.Card())
	return &Plan{root: root, live: live, chunks: live.Chunks()}
}

// prepare readies n and its subtree, the one planning pass: every node
// gets an estimate of its size (a Leaf its cardinality, a Range one from a
// sample of its known customers, an Or the sum, an And its smallest
// term's), a Range its bounds worked out, an And its first conjunct (by its
// cost on a whole chunk and its size) and its steps, ordered by their cost
// per candidate over the share of candidates they remove. live is the
// number of live customers.
func prepare(n *Node, live uint64) {
	for _, k := range n.Kids {
		prepare(k, live)
	}
	for _, k := range n.Neg {
		prepare(k, live)
	}
	switch n.Op {
	case None:
		n.Est = 0
	case All:
		n.Est = live
	case Leaf:
		n.Est = n.F.Card()
	case Range:
		n.Est = n.F.Card() // the known customers, narrowed by prepareRange
		prepareRange(n)
	case Or:
		n.Est = 0
		for _, k := range n.Kids {
			n.Est += k.Est
		}
	case And:
		slices.SortStableFunc(n.Kids, func(a, b *Node) int { return cmp.Compare(a.Est, b.Est) })
		n.Est = n.Kids[0].Est
		// The first conjunct runs on the whole chunk: weigh what it costs
		// there against how much it leaves to the others.
		best, bestScore := 0, math.Inf(1)
		for i, k := range n.Kids {
			share := float64(k.Est) / float64(max(1, live))
			score := k.chunkCost(live) + 8*share*float64(len(n.Kids)-1+len(n.Neg))
			if score < bestScore {
				best, bestScore = i, score
			}
		}
		if best > 0 {
			k := n.Kids[best]
			copy(n.Kids[1:best+1], n.Kids[:best])
			n.Kids[0] = k
		}
		n.steps = n.steps[:0]
		for _, k := range n.Kids[1:] {
			n.steps = append(n.steps, step{n: k, class: stepClass(k)})
		}
		for _, k := range n.Neg {
			n.steps = append(n.steps, step{n: k, neg: true, class: stepClass(k)})
		}
		// Cheapest per customer removed first: the classic order of
		// independent filters, cost over the share a step removes.
		chunks := max(1, uint64(live>>ChunkBits))
		for i := range n.steps {
			st := &n.steps[i]
			keep := min(live, st.n.Est)
			if st.neg {
				keep = live - keep
			}
			st.keep = float64(keep) / float64(max(1, live))
			st.rank = st.n.cost(chunks) / max(1-st.keep, 1e-6)
			st.vcost, st.wcost = st.n.valueCost(chunks)
		}
		slices.SortStableFunc(n.steps, func(a, b step) int { return cmp.Compare(a.rank, b.rank) })
	}
}

// prepareRange works out the bounds of the Range n on its planes.
func prepareRange(n *Node) {
	r := &rangeInfo{}
	n.rng = r
	off := int64(0)
	if n.BSI != nil {
		off = n.BSI.Offset
	}
	depth := len(n.Planes)
	if n.Lo > n.Hi || n.Hi < off {
		r.none, n.Est = true, 0
		return
	}
	top := uint64(math.MaxUint64)
	if depth < 64 {
		top = 1<<depth - 1
	}
	uhi := min(uint64(n.Hi-off), top)
	var ulo uint64
	if n.Lo > off {
		ulo = uint64(n.Lo - off)
	}
	if ulo > uhi {
		r.none, n.Est = true, 0
		return
	}
	r.hasHi, r.hasLo = uhi < top, ulo > 0
	r.ulo, r.uhi = ulo, uhi
	hiBit := -1
	r.stopLo, r.stopHi = depth, depth
	if r.hasHi {
		r.stopHi = bits.TrailingZeros64(^uhi)
		hiBit = bits.Len64(uhi) - 1
	}
	if r.hasLo {
		r.stopLo = bits.TrailingZeros64(ulo)
		hiBit = max(hiBit, bits.Len64(ulo)-1)
	}
	r.top = hiBit
	r.stopLo, r.stopHi = min(r.stopLo, hiBit+1), min(r.stopHi, hiBit+1)
	r.stop = min(r.stopLo, r.stopHi)
	// A one-plane index without offset compared with >= 1: the plane is
	// the answer (its customers are all known).
	r.plane = depth == 1 && off == 0 && r.hasLo && !r.hasHi && r.ulo == 1
	switch {
	case r.plane:
		n.Est = n.Planes[0].Card()
	case r.hasLo || r.hasHi:
		n.Est = estimateRange(n)
	}
}

// estimateRange estimates the number of customers in the bounded range n
// from a sample of its known customers: up to 128 from each of up to 8
// chunks spread over the index, their values read from the codes or the
// planes.
func estimateRange(n *Node) uint64 {
	r, f := n.rng, n.F
	chunks := f.Chunks()
	var sampled, hits uint64
	var buf [128]uint16
	stride := max(1, chunks/8)
	for key := stride / 2; key < chunks; key += stride {
		c := f.get(key)
		var pg *[1 << ChunkBits]uint8
		if n.Codes != nil {
			pg = n.Codes.page(key)
		}
		for _, a := range sample(c, buf[:0]) {
			var x uint64
			if pg != nil {
				x = uint64(pg[a])
			} else {
				for j, pl := range n.Planes {
					x |= uint64(b2i(pl.get(key).has(a))) << j
				}
			}
			sampled++
			hits += uint64(b2i(x-r.ulo <= r.uhi-r.ulo))
		}
	}
	if sampled == 0 {
		return 0
	}
	return max(1, f.Card()*hits/sampled)
}

// sample appends to dst up to cap(dst) members of c, spread over it when c
// is an array.
func sample(c *cont, dst []uint16) []uint16 {
	switch c.kind {
	case kArray:
		step := max(1, len(c.vals)/cap(dst))
		for i := 0; i < len(c.vals) && len(dst) < cap(dst); i += step {
			dst = append(dst, c.vals[i])
		}
	case kBitmap:
		for i := 0; i < chunkWords && len(dst) < cap(dst); i += 7 { // every 7th word
			w := c.words[i]
			for w != 0 && len(dst) < cap(dst) {
				dst = append(dst, uint16(i<<6|bits.TrailingZeros64(w)))
				w &= w - 1
			}
		}
	case kRun, kFull:
		for v := 0; v < 1<<ChunkBits && len(dst) < cap(dst); v += 509 {
			if c.has(uint16(v)) {
				dst = append(dst, uint16(v))
			}
		}
	}
	return dst
}
