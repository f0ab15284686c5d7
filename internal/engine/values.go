package engine

import (
	"math"
	"math/bits"
)

// Value mode. When the first conjunct of an And is sparse in a chunk (an
// array container, or an Or of them), or when the conjuncts evaluated so far
// leave few customers before a range, the And goes on with the members as a
// list of 16-bit values: each further conjunct is a test per value (a bit
// probe of a bitmap container, a byte of a Codes column for a small-domain
// range, a probe per plane otherwise) instead of a pass over the chunk's
// words, and the survivors are written as bits at the end. It touches a
// cache line per candidate rather than every line of every plane.

// maxValues is the most members an And takes into value mode.
const maxValues = 16384

func valueCap() int {
	if legacy {
		return 6144
	}
	return seedCap
}

// denseFrom is the most values per chunk at which a leaf is costed as an
// array.
func denseFrom() uint64 {
	if legacy {
		return maxArray
	}
	return lazyDense
}

// planeProbes bounds the probes a range over planes makes in value mode
// (candidates times planes); past it, a range runs on words.
const planeProbes = 16384

// valueLimit returns the most candidates the step takes in value mode.
func (st *step) valueLimit() int {
	switch st.class {
	case classOther:
		return 0
	case classPlanes:
		return min(valueCap(), planeProbes/len(st.n.Planes))
	}
	return valueCap()
}

// Classes of the steps of an And: how a step tests candidates.
const (
	classProbe  = iota // Leaf, All, None, a one-plane or unbounded Range: one bit per value
	classCodes         // Range with a Codes column: one byte per value
	classPlanes        // Range over its planes
	classOther         // Or, And: evaluated on words only
)

// step is a conjunct of an And after its first one, or a subtracted one.
type step struct {
	n     *Node
	neg   bool
	class int
	rank  float64 // steps run from the lowest rank
	keep  float64 // the share of candidates it keeps (estimate)
	vcost float64 // cost per candidate in value mode, in bit probes
	wcost float64 // cost per word in word mode, in bit probes
}

// Costs of the seed decision, in bit probes (a probe of a cached bitmap
// is 1), calibrated on the selectivity sweep (selectivity_bench_test.go
// in segment, 5M customers): a word of a pass over a chunk costs about one
// probe (the passes are memory-bound), a code byte two in value mode and
// four per word in word mode (a cache line), setting an array value's bit
// two.
const (
	seedCopyCost  = 0.1 // a seed value copied into the list
	scatterCost   = 2   // an array value's bit set in a Block
	codeWordCost  = 4   // a word of a code test in word mode
	codeProbeCost = 2   // a candidate's code byte in value mode
)

// valueCost returns the cost per candidate of testing one against n in
// value mode, and per word of testing a word against n in word mode.
func (n *Node) valueCost(chunks uint64) (perValue, perWord float64) {
	switch n.Op {
	case None, All:
		return 1, 1
	case Leaf:
		if n.Est/chunks <= denseFrom() {
			return 8, 2 // an array: searched, or read at the words
		}
		return 1, 1
	case Or:
		for _, k := range n.Kids {
			v, w := k.valueCost(chunks)
			perValue, perWord = perValue+v, perWord+w
		}
		return perValue, perWord
	case Range:
		switch stepClass(n) {
		case classProbe:
			return 1, 1
		case classCodes:
			return codeProbeCost, codeWordCost
		}
		return float64(len(n.Planes)), float64(len(n.Planes)) + 4
	}
	return 16, 16
}

// valueCheaper reports whether running the steps of the And n in value
// mode from v seeds costs less than in word mode after a first conjunct
// that costs first there. Both run the steps in order, each keeping its
// estimated share; value mode pays each step per candidate, word mode per
// word with candidates left (a word of 64 IDs at density x has one with
// probability 1-(1-x)^64).
func valueCheaper(n *Node, v int, first float64) bool {
	if legacy {
		return true
	}
	m := float64(v)
	vc, wc := seedCopyCost*m, first
	for i := range n.steps {
		st := &n.steps[i]
		if st.class == classOther || m < 1 {
			break
		}
		vc += m * st.vcost
		words := chunkWords * (1 - math.Pow(max(0, 1-m/(1<<ChunkBits)), 64))
		wc += words * st.wcost
		m *= st.keep
	}
	return vc+m <= wc // value mode writes its survivors as bits
}

// wordFirst is the cost in word mode of making the array container c the
// chunk's words (the first kid of an Or when first), in bit probes.
func wordFirst(c *cont, first bool) float64 {
	if c.kind == kArray && len(c.vals) > denseMin() && !legacy {
		if first {
			return chunkWords // a copy of its dense words
		}
		return chunkWords // an OR pass
	}
	return scatterCost * float64(len(c.vals))
}

// chunkCost is the relative cost of evaluating n on a whole chunk, in passes
// over its words. live is the number of live customers.
func (n *Node) chunkCost(live uint64) float64 {
	chunks := max(1, live>>ChunkBits)
	switch n.Op {
	case None:
		return 0
	case All:
		return 1
	case Leaf:
		if n.Est/chunks <= denseFrom() {
			return 0.3 // an array: its values only
		}
		return 1
	case Or:
		c := 0.0
		for _, k := range n.Kids {
			c += k.chunkCost(live)
		}
		return c
	case Range:
		switch {
		case n.rng.plane && !legacy && n.Est/chunks <= denseFrom():
			return 0.3 // a flag's plane that is an array: its values only
		case stepClass(n) == classProbe:
			return 1
		case n.Codes != nil && useAVX512 && !legacy:
			return 4 // one pass over the code bytes, 64 KiB
		}
		return 1 + float64(len(n.Planes))/2
	}
	return 4
}

// cost is the relative cost of testing a customer against n: a bit probe
// is 1. chunks is the number of chunks of the base.
func (n *Node) cost(chunks uint64) float64 {
	switch n.Op {
	case None, All:
		return 1
	case Leaf:
		if n.Est/chunks <= denseFrom() {
			return 8 // an array, searched
		}
		return 1
	case Or:
		c := 0.0
		for _, k := range n.Kids {
			c += k.cost(chunks)
		}
		return c
	case Range:
		switch stepClass(n) {
		case classProbe:
			return 1
		case classCodes:
			return 4 // one byte, but a cache line of its own per customer
		}
		return float64(len(n.Planes))
	}
	return 16
}

func stepClass(n *Node) int {
	switch n.Op {
	case Leaf, All, None:
		return classProbe
	case Or:
		for _, k := range n.Kids {
			if k.Op != Leaf && k.Op != All && k.Op != None {
				return classOther
			}
		}
		return classProbe
	case Range:
		r := n.rng
		switch {
		case r.none, r.plane, !r.hasLo && !r.hasHi:
			return classProbe
		case n.Codes != nil:
			return classCodes
		}
		return classPlanes
	}
	return classOther
}

// grow makes room for value-mode working lists of n values.
func (s *Scratch) grow(n int) {
	if len(s.xs) < n {
		s.xs = make([]uint64, maxValues)
		s.ok = make([]bool, maxValues)
		s.und = make([]uint16, maxValues)
	}
}

// vals returns the empty value list of depth d.
func (s *Scratch) vals(d int) []uint16 {
	for len(s.vbufs) <= d {
		s.vbufs = append(s.vbufs, make([]uint16, 0, maxValues+flatSlack)) // extract's slack
	}
	return s.vbufs[d][:0]
}

// seed returns the members of the first conjunct k of the And n in chunk
// key as a value list (possibly unsorted, with repeats when k is an Or of
// overlapping sets) when k is sparse there (a Leaf with an array
// container, or an Or of such leaves) and value mode costs less than word
// mode for n's steps (valueCheaper).
func (p *Plan) seed(s *Scratch, n, k *Node, key int, d int) ([]uint16, bool) {
	switch {
	case k.Op == Leaf || k.Op == Range && k.rng.plane && !legacy:
		c := k.F.get(key)
		if k.Op == Range {
			c = k.Planes[0].get(key) // a flag's customers
		}
		switch c.kind {
		case kAbsent:
			return s.vals(d), true
		case kArray:
			if !valueCheaper(n, len(c.vals), wordFirst(c, true)) {
				return nil, false
			}
			return append(s.vals(d), c.vals...), true
		}
	case k.Op == Or:
		total, first := 0, 0.0
		for i, kid := range k.Kids {
			if kid.Op != Leaf {
				return nil, false
			}
			switch c := kid.F.get(key); c.kind {
			case kAbsent:
			case kArray:
				total += len(c.vals)
				first += wordFirst(c, i == 0)
			default:
				return nil, false
			}
		}
		if total > valueCap() || !valueCheaper(n, total, first) {
			return nil, false
		}
		v := s.vals(d)
		for _, kid := range k.Kids {
			v = append(v, kid.F.get(key).vals...)
		}
		return v, true
	}
	return nil, false
}

// andValues runs the steps of the And n from the i-th on the value list v
// and writes the survivors into out. region lists the words of out that may
// be non-zero (all of them are written); the result is the indexes of the
// non-zero words, in s.sel(d).
func (p *Plan) andValues(s *Scratch, n *Node, i int, key int, out *Block, region []uint16, d int, v []uint16) []uint16 {
	for ; i < len(n.steps) && len(v) > 0; i++ {
		st := &n.steps[i]
		if len(v) > st.valueLimit() {
			cur := materialize(s, out, region, v, d)
			for _, st := range n.steps[i:] {
				if len(cur) == 0 {
					break
				}
				cur = p.and(s, st.n, key, out, cur, d, st.neg)
			}
			return cur
		}
		v = p.filter(s, st, key, v)
	}
	return materialize(s, out, region, v, d)
}

// materialize zeroes the words of out at region, sets the bits of v and
// returns the indexes of the non-zero words, in increasing order, in
// s.sel(d).
func materialize(s *Scratch, out *Block, region []uint16, v []uint16, d int) []uint16 {
	zeroSel(out, region)
	var touched [chunkWords / 64]uint64
	for _, x := range v {
		out[x>>6&(chunkWords-1)] |= 1 << (x & 63)
		touched[x>>12] |= 1 << (x >> 6 & 63)
	}
	cur := s.sel(d)
	for t, w := range touched {
		for w != 0 {
			cur = append(cur, uint16(t<<6|bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return cur
}

// extract appends the values of the set bits of out's words at cur to dst,
// which has room for them and flatSlack more (see flatten16).
func extract(dst []uint16, out *Block, cur []uint16) []uint16 {
	at, n := len(dst), int(popSel(out, cur))
	flatten16(dst[at:at+n+flatSlack], out, cur, n)
	return dst[:at+n]
}

// filter keeps the values of v that pass the step (in v's storage).
func (p *Plan) filter(s *Scratch, st *step, key int, v []uint16) []uint16 {
	n := st.n
	switch n.Op {
	case None:
		if st.neg {
			return v
		}
		return v[:0]
	case All:
		return filterCont(p.live.get(key), v, st.neg)
	case Leaf:
		c := n.F.get(key)
		if c.kind == kArray && denseCheaper(len(v), 1, len(c.vals), 0) {
			// Many candidates: probing the array made dense is cheaper.
			return filterBits(s.dense(c, s.mat), v, st.neg)
		}
		return filterCont(c, v, st.neg)
	case Or:
		return p.filterOr(s, n, key, v, st.neg)
	}
	r := n.rng
	switch {
	case r.none:
		if st.neg {
			return v
		}
		return v[:0]
	case r.plane:
		return filterCont(n.Planes[0].get(key), v, st.neg)
	case !r.hasLo && !r.hasHi:
		return filterCont(n.F.get(key), v, st.neg)
	case n.Codes != nil:
		return filterCodes(n.Codes.page(key), r.ulo, r.uhi, v, st.neg)
	}
	if legacy {
		return p.filterPlanes(s, n, key, v, st.neg)
	}
	return p.filterPlanesTop(s, n, key, v, st.neg)
}

// filterOr keeps the values of v in any kid of the Or n, all of them Leaf,
// All or None (in none of them when neg).
func (p *Plan) filterOr(s *Scratch, n *Node, key int, v []uint16, neg bool) []uint16 {
	if u := p.orUnion(s, n, key, len(v)); u != nil {
		return filterBits(u, v, neg)
	}
	s.grow(len(v))
	in := s.ok[:len(v)]
	clear(in)
	for _, k := range n.Kids {
		var c *cont
		switch k.Op {
		case None:
			continue
		case All:
			c = p.live.get(key)
		default:
			c = k.F.get(key)
		}
		switch c.kind {
		case kAbsent:
		case kBitmap:
			w := c.words
			for i, a := range v {
				in[i] = in[i] || w[a>>6&(chunkWords-1)]>>(a&63)&1 != 0
			}
		case kArray:
			if w := c.arrayWords(); w != nil {
				for i, a := range v {
					in[i] = in[i] || w[a>>6&(chunkWords-1)]>>(a&63)&1 != 0
				}
				continue
			}
			ac := arrayCursor{vals: c.vals}
			for i, a := range v {
				in[i] = in[i] || ac.has(a)
			}
		default:
			for i, a := range v {
				in[i] = in[i] || c.has(a)
			}
		}
	}
	k := 0
	for i, a := range v {
		v[k] = a
		k += b2i(in[i] != neg)
	}
	return v[:k]
}

// searchCost is the cost of finding a candidate in a sorted array, in bit
// probes: a gallop from the previous candidate's place, whose branches the
// processor mostly mispredicts (measured on Q3: 8 was 14% slower).
const searchCost = 32

// denseCheaper reports whether testing m candidates by one bit probe each
// into a Block made from arrays arrays (vals values in all) and bitmaps
// bitmap containers costs less than searching each array and probing each
// bitmap per candidate. Costs are in bit probes: a search is searchCost, a
// Block clears for 256, a value sets for 1, a bitmap ORs in for 512.
func denseCheaper(m, arrays, vals, bitmaps int) bool {
	return chunkWords/4+vals+bitmaps*chunkWords/2 < m*(searchCost*arrays+bitmaps)
}

// orUnion returns the union of the Or n's kids in chunk key as words (in
// s.mat) when making it costs less than searching each kid's array for
// each of m candidates, else nil. Making it clears a Block and sets each
// array value.
func (p *Plan) orUnion(s *Scratch, n *Node, key int, m int) *Block {
	vals, arrays, bitmaps := 0, 0, 0
	for _, k := range n.Kids {
		if k.Op != Leaf {
			continue
		}
		switch c := k.F.get(key); c.kind {
		case kArray, kRun:
			vals, arrays = vals+len(c.vals), arrays+1
		case kBitmap:
			bitmaps++
		}
	}
	if !denseCheaper(m, arrays, vals, bitmaps) {
		return nil
	}
	u := s.mat
	clear(u[:])
	for _, k := range n.Kids {
		switch k.Op {
		case All:
			s.orCont(u, p.live.get(key))
		case Leaf:
			s.orCont(u, k.F.get(key))
		}
	}
	return u
}

// filterCont keeps the values of v in c (not in c when neg).
func filterCont(c *cont, v []uint16, neg bool) []uint16 {
	switch c.kind {
	case kAbsent:
		if neg {
			return v
		}
		return v[:0]
	case kFull:
		if neg {
			return v[:0]
		}
		return v
	case kBitmap:
		return filterBits(c.words, v, neg)
	}
	if c.kind == kArray {
		if w := c.arrayWords(); w != nil {
			return filterBits(w, v, neg)
		}
		return filterArray(c.vals, v, neg)
	}
	n := 0
	for _, a := range v {
		v[n] = a
		n += b2i(c.has(a) != neg)
	}
	return v[:n]
}

// filterBitsGo keeps the values of v whose bit is set in w (clear when
// neg), four at a time: the four probes are independent loads. It is
// filterBits where there is no assembly kernel.
func filterBitsGo(w *Block, v []uint16, neg bool) []uint16 {
	x, n, i := uint64(b2i(neg)), 0, 0
	for ; i+4 <= len(v); i += 4 {
		q := (*[4]uint16)(v[i : i+4])
		a0, a1, a2, a3 := q[0], q[1], q[2], q[3]
		k0 := int((w[a0>>6&(chunkWords-1)]>>(a0&63) ^ x) & 1)
		k1 := int((w[a1>>6&(chunkWords-1)]>>(a1&63) ^ x) & 1)
		k2 := int((w[a2>>6&(chunkWords-1)]>>(a2&63) ^ x) & 1)
		k3 := int((w[a3>>6&(chunkWords-1)]>>(a3&63) ^ x) & 1)
		v[n] = a0
		n += k0
		v[n] = a1
		n += k1
		v[n] = a2
		n += k2
		v[n] = a3
		n += k3
	}
	for _, a := range v[i:] {
		v[n] = a
		n += int((w[a>>6&(chunkWords-1)]>>(a&63) ^ x) & 1)
	}
	return v[:n]
}

// filterArray keeps the values of v in the sorted array vals (not in it when
// neg).
func filterArray(vals, v []uint16, neg bool) []uint16 {
	if len(v)*wholeSearchRatio < len(vals) {
		// Few candidates far apart: a branch-free search each (Q1's last
		// step at 10M: 7% of the query less than the gallop), four at once
		// so that their loads overlap.
		n, i := 0, 0
		for ; i+4 <= len(v); i += 4 {
			q := (*[4]uint16)(v[i : i+4])
			k := contains4(vals, q)
			for j := range 4 {
				v[n] = q[j]
				n += b2i(k[j] != neg)
			}
		}
		if r := len(v) - i; r > 0 { // the last one to three, padded
			var q [4]uint16
			for j := range q {
				q[j] = v[i+min(j, r-1)]
			}
			k := contains4(vals, &q)
			for j := range r {
				v[n] = q[j]
				n += b2i(k[j] != neg)
			}
		}
		return v[:n]
	}
	c := arrayCursor{vals: vals}
	n := 0
	for _, a := range v {
		v[n] = a
		n += b2i(c.has(a) != neg)
	}
	return v[:n]
}

// arrayCursor tests values against a sorted array. The values asked are
// usually increasing, or runs of increasing values: the search resumes from
// the previous value's position, galloping, and restarts when they go down.
type arrayCursor struct {
	vals []uint16
	p    int
	prev uint16
}

func (c *arrayCursor) has(a uint16) bool {
	p := c.p
	if a < c.prev {
		p = 0
	}
	c.prev = a
	p = gallop(c.vals, p, a)
	c.p = p
	return p < len(c.vals) && c.vals[p] == a
}

// has reports whether the container holds a.
func (c *cont) has(a uint16) bool {
	switch c.kind {
	case kAbsent:
		return false
	case kFull:
		return true
	case kBitmap:
		return c.words[a>>6&(chunkWords-1)]>>(a&63)&1 != 0
	case kArray:
		p := gallop(c.vals, 0, a)
		return p < len(c.vals) && c.vals[p] == a
	}
	// runs: the last run starting at or before a
	lo, hi := 0, len(c.vals)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.vals[2*m] <= a {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo > 0 && int(a) <= int(c.vals[2*lo-2])+int(c.vals[2*lo-1])
}

// maxCodeBits is the most candidates a word-mode And tests against a code
// column one by one; with more, the range runs on the planes.
const maxCodeBits = 12288

// codesCheaper reports whether testing cands candidates, spread over words
// words, one code byte each is cheaper than comparing those words' planes
// (planes of them): a byte read costs about as much as four word-plane
// operations.
func codesCheaper(cands, words, planes int) bool {
	return cands <= maxCodeBits && cands*codeBitCost <= words*planes
}

// codeBitCost is the cost of a code byte read in word-plane operations.
const codeBitCost = 4

// andCodes narrows out (valid at cur) to the candidates whose code is in
// [ulo, uhi] (not in it when neg), reading one byte per candidate, and
// returns the indexes of cur still non-zero. pg nil means no customer of the
// chunk has a value.
func andCodes(pg *[1 << ChunkBits]uint8, ulo, uhi uint64, out *Block, cur []uint16, neg bool) []uint16 {
	if pg == nil {
		if neg {
			return cur
		}
		zeroSel(out, cur)
		return cur[:0]
	}
	if useAVX512 && !legacy && len(cur) > 0 {
		// Customers with a value never have NoCode, so below it one
		// unsigned comparison tells both.
		uhi = min(uhi, NoCode-1)
		if ulo > uhi {
			if neg {
				return cur
			}
			zeroSel(out, cur)
			return cur[:0]
		}
		return cur[:andCodesAVX512(pg, out, &cur[0], len(cur), ulo, uhi-ulo, neg)]
	}
	span, n := uhi-ulo, 0
	for _, i := range cur {
		i &= chunkWords - 1
		m := out[i]
		base := int(i) << 6
		var r uint64
		for t := m; t != 0; t &= t - 1 {
			b := bits.TrailingZeros64(t)
			c := pg[(base|b)&(1<<ChunkBits-1)]
			r |= uint64(b2i(uint64(c)-ulo <= span && c != NoCode)) << b
		}
		if neg {
			r = m &^ r
		}
		out[i] = r
		cur[n] = i
		n += b2i(r != 0)
	}
	return cur[:n]
}

// filterCodesGo keeps the values of v whose code is in [ulo, uhi] (not in
// it when neg). pg nil means no customer of the chunk has a value. It is
// filterCodes where there is no assembly kernel.
func filterCodesGo(pg *[1 << ChunkBits]uint8, ulo, uhi uint64, v []uint16, neg bool) []uint16 {
	if pg == nil {
		if neg {
			return v
		}
		return v[:0]
	}
	span, n := uhi-ulo, 0
	for _, a := range v {
		c := pg[a]
		v[n] = a
		n += b2i((uint64(c)-ulo <= span && c != NoCode) != neg)
	}
	return v[:n]
}

// filterPlanes keeps the values of v whose value, read from the planes one
// plane at a time, is in the range (not in it when neg).
func (p *Plan) filterPlanes(s *Scratch, n *Node, key int, v []uint16, neg bool) []uint16 {
	r := n.rng
	s.grow(len(v))
	xs, ok := s.xs[:len(v)], s.ok[:len(v)]
	clear(xs)
	known := n.F.get(key)
	for i, a := range v {
		ok[i] = known.has(a)
	}
	for j, pl := range n.Planes {
		switch c := pl.get(key); c.kind {
		case kAbsent:
		case kBitmap:
			w := c.words
			for i, a := range v {
				xs[i] |= (w[a>>6&(chunkWords-1)] >> (a & 63) & 1) << j
			}
		case kArray:
			ac := arrayCursor{vals: c.vals}
			for i, a := range v {
				xs[i] |= uint64(b2i(ac.has(a))) << j
			}
		default:
			for i, a := range v {
				xs[i] |= uint64(b2i(c.has(a))) << j
			}
		}
	}
	span, k := r.uhi-r.ulo, 0
	for i, a := range v {
		v[k] = a
		k += b2i((ok[i] && xs[i]-r.ulo <= span) != neg)
	}
	return v[:k]
}

// wholeSearchRatio: filterArray searches each candidate in the whole array,
// without a branch, when the array holds more than wholeSearchRatio values
// per candidate.
const wholeSearchRatio = 8

// contains4 reports whether the sorted vals hold each of the four x, by
// binary searches whose steps are conditional moves rather than branches
// (with few candidates far apart in a long array, a gallop's branches
// mostly mispredict), the four in step so that their loads overlap.
func contains4(vals []uint16, x *[4]uint16) [4]bool {
	n := len(vals)
	if n == 0 {
		return [4]bool{}
	}
	x0, x1, x2, x3 := int(x[0]), int(x[1]), int(x[2]), int(x[3])
	b0, b1, b2, b3 := 0, 0, 0, 0
	for n > 1 {
		half := n >> 1
		// half when vals[b+half] <= x: the difference's sign, as a mask
		b0 += half & ((int(vals[b0+half]) - x0 - 1) >> 63)
		b1 += half & ((int(vals[b1+half]) - x1 - 1) >> 63)
		b2 += half & ((int(vals[b2+half]) - x2 - 1) >> 63)
		b3 += half & ((int(vals[b3+half]) - x3 - 1) >> 63)
		n -= half
	}
	return [4]bool{int(vals[b0]) == x0, int(vals[b1]) == x1, int(vals[b2]) == x2, int(vals[b3]) == x3}
}

// filterPlanesTop keeps the values of v whose value is in the range (not
// in it when neg), comparing from the top plane down and probing only the
// candidates still equal to a bound's prefix: each plane decides about
// half of those left, so a candidate costs a few probes instead of one per
// plane (a range of a 14-plane field after a 2% country: 14 probes per
// candidate, each a cache miss in a plane of the chunk, were 80% of the
// query).
func (p *Plan) filterPlanesTop(s *Scratch, n *Node, key int, v []uint16, neg bool) []uint16 {
	r := n.rng
	s.grow(len(v))
	// Per candidate: bit 0 still equal to the lower bound's prefix, bit 1
	// to the upper one's; in: decided in the range.
	st, in, und := s.xs[:len(v)], s.ok[:len(v)], s.und[:0]
	known := n.F.get(key)
	var st0 uint64
	if r.hasLo {
		st0 |= 1
	}
	if r.hasHi {
		st0 |= 2
	}
	for i, a := range v {
		st[i], in[i] = st0, false
		if known.has(a) {
			und = append(und, uint16(i))
		}
	}
	for j := len(n.Planes) - 1; j >= r.stop && len(und) > 0; j-- {
		lb, hb := r.ulo>>j&1, r.uhi>>j&1
		c := n.Planes[j].get(key)
		var w *Block
		switch c.kind {
		case kBitmap:
			w = c.words
		case kFull:
			w = s.ones
		case kAbsent:
			w = s.zeros
		default:
			w = c.arrayWords()
		}
		if w != nil && len(und) >= touchFrom && !legacy {
			touch(w)
		}
		ac := arrayCursor{vals: c.vals}
		k := 0
		for _, i := range und {
			a := v[i]
			var b uint64
			if w != nil {
				b = w[a>>6&(chunkWords-1)] >> (a & 63) & 1
			} else if c.kind == kArray {
				b = uint64(b2i(ac.has(a)))
			} else {
				b = uint64(b2i(c.has(a)))
			}
			// Without a branch (the bits are random, the branches would
			// mispredict and stop the next probes): below the lower
			// bound, or above the upper one, here is out; a bit that
			// differs from a bound's ends equality with it.
			x := st[i]
			fail := x&1&lb&^b | x>>1&1&b&^hb
			x &^= (b ^ lb) | (b^hb)<<1
			st[i] = x
			in[i] = fail|x == 0
			und[k] = i
			k += b2i(x&^(3*fail) != 0)
		}
		und = und[:k]
	}
	for _, i := range und { // equal to a bound down to its last compared plane
		in[i] = true
	}
	k := 0
	for i, a := range v {
		v[k] = a
		k += b2i(in[i] != neg)
	}
	return v[:k]
}

// touchFrom is the fewest candidates for which filterPlanesTop reads a
// plane through before probing it.
const touchFrom = 32

// touch reads one word of every cache line of b, in order, four lines in
// flight, so that the lines arrive together before probes at random
// places ask for them one by one (the planes of a chunk are rarely in
// cache at 5M customers: a range of a 14-plane field after a 2% country,
// 150 candidates per chunk, 15-20% faster with it). The result only keeps
// the loads.
//
//go:noinline
func touch(b *Block) uint64 {
	var x0, x1, x2, x3 uint64
	for i := 0; i < chunkWords; i += 32 {
		x0 ^= b[i]
		x1 ^= b[i+8]
		x2 ^= b[i+16]
		x3 ^= b[i+24]
	}
	return x0 ^ x1 ^ x2 ^ x3
}
