package engine

import (
	"encoding/binary"
	"slices"
	"sync"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
)

// Chunks returns the number of chunks the plan runs over.
func (p *Plan) Chunks() int { return p.chunks }

// Count returns the number of customers the plan selects.
func (p *Plan) Count(s *Scratch) uint64 { return p.count(s, 0, p.chunks) }

func (p *Plan) count(s *Scratch, lo, hi int) uint64 {
	var n uint64
	for key := lo; key < hi; key++ {
		if p.live.get(key).kind == kAbsent {
			continue
		}
		if c := p.rootCont(key); c != nil {
			n += uint64(c.card)
			continue
		}
		out := s.block(0)
		sel := p.eval(s, p.root, key, out, s.all, 1)
		n += popSel(out, sel)
	}
	return n
}

// AppendIDs appends the IDs the plan selects to dst, in increasing order.
func (p *Plan) AppendIDs(s *Scratch, dst []uint32) []uint32 {
	for key := range p.chunks {
		if p.live.get(key).kind == kAbsent {
			continue
		}
		if c := p.rootCont(key); c != nil && c.kind == kArray {
			base := uint32(key) << ChunkBits
			for _, v := range c.vals {
				dst = append(dst, base|uint32(v))
			}
			continue
		}
		out := s.block(0)
		sel := p.eval(s, p.root, key, out, s.all, 1)
		dst = appendIDs(dst, out, sparseSel(s, out, sel), uint32(key)<<ChunkBits)
	}
	return dst
}

// rootCont returns the container of chunk key when the plan's root is a
// leaf (or a flag's plane), else nil: the result is that container, with
// nothing to compute.
func (p *Plan) rootCont(key int) *cont {
	if legacy {
		return nil
	}
	switch n := p.root; {
	case n.Op == Leaf:
		return n.F.get(key)
	case n.Op == Range && n.rng.plane:
		return n.Planes[0].get(key)
	}
	return nil
}

// sparseSel returns sel, or the indexes of its non-zero words (in s.sel(0))
// when sel is the whole chunk and most of its words are zero: a result
// read as a list then goes over those words only.
func sparseSel(s *Scratch, out *Block, sel []uint16) []uint16 {
	if len(sel) < chunkWords || legacy || sampleUndecided(out) > chunkWords/8/2 {
		return sel
	}
	return nonZeroAll(s.sel(0), out)
}

// Eval returns the customers the plan selects as a new bitmap.
func (p *Plan) Eval(s *Scratch) *roaring.Bitmap {
	s.body, s.hdr = s.body[:0], s.hdr[:0]
	p.evalRange(s, 0, p.chunks)
	return assemble([]*Scratch{s})
}

func (p *Plan) evalRange(s *Scratch, lo, hi int) {
	for key := lo; key < hi; key++ {
		if p.live.get(key).kind == kAbsent {
			continue
		}
		if c := p.rootCont(key); c != nil && (c.kind == kArray || c.kind == kBitmap || c.kind == kAbsent) {
			s.emitCont(key, c)
			continue
		}
		out := s.block(0)
		sel := p.eval(s, p.root, key, out, s.all, 1)
		s.emit(key, out, sparseSel(s, out, sel))
	}
}

// emitCont appends the chunk's container c, an array or a bitmap (or
// nothing), as it is.
func (s *Scratch) emitCont(key int, c *cont) {
	switch c.kind {
	case kArray:
		s.hdr = append(s.hdr, uint32(key)<<16|uint32(len(c.vals)-1))
		s.body = append(s.body, unsafe.Slice((*byte)(unsafe.Pointer(&c.vals[0])), 2*len(c.vals))...)
	case kBitmap:
		if c.card <= maxArray { // an array Densify gave words: written as the array
			s.emitCont(key, &cont{kind: kArray, vals: c.vals})
			return
		}
		s.hdr = append(s.hdr, uint32(key)<<16|(c.card-1))
		s.body = append(s.body, unsafe.Slice((*byte)(unsafe.Pointer(c.words)), 8*chunkWords)...)
	}
}

// emit appends the chunk's container in roaring's portable format.
func (s *Scratch) emit(key int, out *Block, sel []uint16) {
	card := popSel(out, sel)
	if card == 0 {
		return
	}
	s.hdr = append(s.hdr, uint32(key)<<16|uint32(card-1))
	if card > maxArray {
		s.body = append(s.body, unsafe.Slice((*byte)(unsafe.Pointer(out)), 8*chunkWords)...)
		return
	}
	// The values as little-endian uint16s (the engine's views assume a
	// little-endian machine), straight into the body's new tail.
	at, n := len(s.body), int(card)
	s.body = slices.Grow(s.body, 2*(n+flatSlack))[:at+2*n]
	flatten16(unsafe.Slice((*uint16)(unsafe.Pointer(&s.body[at])), n+flatSlack), out, sel, n)
}

// assemble builds one bitmap from the containers the scratches emitted, in
// order, through one buffer in roaring's portable format.
func assemble(parts []*Scratch) *roaring.Bitmap {
	bm, _ := assembleBuf(parts)
	return bm
}

// assembleBuf is assemble that also returns the buffer the bitmap reads.
func assembleBuf(parts []*Scratch) (*roaring.Bitmap, []byte) {
	n, size := 0, 0
	for _, s := range parts {
		n += len(s.hdr)
		size += len(s.body)
	}
	bm := roaring.New()
	if n == 0 {
		return bm, nil
	}
	head := 8 + 8*n
	var buf []byte
	if len(parts) == 1 && !legacy {
		// The header in a slice of its own, which append grows once to
		// hold the body: the body is copied without the buffer being
		// cleared first (one pass over a large result instead of two).
		buf = make([]byte, head, head)
	} else {
		buf = make([]byte, head+size)
	}
	le := binary.LittleEndian
	le.PutUint32(buf, cookieNoRun)
	le.PutUint32(buf[4:], uint32(n))
	kc, offs := buf[8:], buf[8+4*n:]
	at, pos, i := head, head, 0
	for _, s := range parts {
		for _, h := range s.hdr {
			le.PutUint16(kc[4*i:], uint16(h>>16))
			le.PutUint16(kc[4*i+2:], uint16(h))
			le.PutUint32(offs[4*i:], uint32(at))
			card := int(h&0xFFFF) + 1
			if card > maxArray {
				at += 8 * chunkWords
			} else {
				at += 2 * card
			}
			i++
		}
		if len(buf) == head && len(parts) == 1 {
			buf = append(buf, s.body...)
			continue
		}
		pos += copy(buf[pos:], s.body)
	}
	if _, err := bm.FromBuffer(buf); err != nil {
		panic("engine: assemble: " + err.Error()) // the buffer is ours
	}
	return bm, buf
}

// CountParallel counts with one goroutine per scratch, each over a
// contiguous run of chunks.
func (p *Plan) CountParallel(ss []*Scratch) uint64 {
	if len(ss) <= 1 || p.chunks < 2 {
		return p.Count(ss[0])
	}
	counts := make([]uint64, len(ss))
	p.parallel(len(ss), func(w, lo, hi int) { counts[w] = p.count(ss[w], lo, hi) })
	var n uint64
	for _, c := range counts {
		n += c
	}
	return n
}

// EvalParallel evaluates with one goroutine per scratch.
func (p *Plan) EvalParallel(ss []*Scratch) *roaring.Bitmap {
	if len(ss) <= 1 || p.chunks < 2 {
		return p.Eval(ss[0])
	}
	for _, s := range ss {
		s.body, s.hdr = s.body[:0], s.hdr[:0]
	}
	p.parallel(len(ss), func(w, lo, hi int) { p.evalRange(ss[w], lo, hi) })
	return assemble(ss)
}

// parallel splits the chunks into w contiguous runs and waits for fn on each.
func (p *Plan) parallel(w int, fn func(worker, lo, hi int)) {
	w = min(w, p.chunks)
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := p.chunks*i/w, p.chunks*(i+1)/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i, lo, hi)
		}()
	}
	wg.Wait()
}

// eval writes the words of n for chunk key into out at the indexes in sel
// and returns the indexes of sel whose word may be non-zero (the others are
// zero in out).
func (p *Plan) eval(s *Scratch, n *Node, key int, out *Block, sel []uint16, d int) []uint16 {
	switch n.Op {
	case None:
		zeroSel(out, sel)
		return sel[:0]
	case All:
		return leafInto(s, p.live.get(key), out, sel)
	case Leaf:
		return leafInto(s, n.F.get(key), out, sel)
	case Range:
		p.rangeInto(s, n, key, out, sel, d)
		return sel
	case Or:
		p.eval(s, n.Kids[0], key, out, sel, d+1)
		for _, k := range n.Kids[1:] {
			if k.Op == Leaf && len(sel) == chunkWords {
				s.orCont(out, k.F.get(key))
				continue
			}
			tmp := s.block(d)
			r := p.eval(s, k, key, tmp, sel, d+1)
			orSel(out, tmp, r)
		}
		return sel
	case And:
		if len(sel) == chunkWords {
			if v, ok := p.seed(s, n, n.Kids[0], key, d); ok {
				return p.andValues(s, n, 0, key, out, sel, d, v)
			}
		}
		cur := p.first(s, n.Kids[0], key, out, sel, d)
		for i := range n.steps {
			st := &n.steps[i]
			if len(cur) == 0 {
				return cur
			}
			if st.class == classPlanes {
				if popSel(out, cur) <= uint64(st.valueLimit()) {
					v := extract(s.vals(d), out, cur)
					return p.andValues(s, n, i, key, out, cur, d, v)
				}
			}
			cur = p.and(s, st.n, key, out, cur, d, st.neg)
		}
		return cur
	}
	panic("engine: unknown op")
}

// first evaluates the first conjunct of an And at depth d into out and
// returns the indexes of sel whose word may be non-zero, in s.sel(d).
func (p *Plan) first(s *Scratch, k *Node, key int, out *Block, sel []uint16, d int) []uint16 {
	r := p.eval(s, k, key, out, sel, d+1)
	if len(r) == chunkWords {
		return keepWhole(out, append(s.sel(d), r...))
	}
	return nonZero(s.sel(d), out, r)
}

// and narrows out (valid at cur) by k, or by its complement when neg, and
// returns the indexes of cur whose word may still be non-zero.
func (p *Plan) and(s *Scratch, k *Node, key int, out *Block, cur []uint16, d int, neg bool) []uint16 {
	if k.Op == Range && stepClass(k) == classCodes && (useAVX512 && !legacy || codesCheaper(int(popSel(out, cur)), len(cur), len(k.Planes))) {
		// Few candidates: a byte each from the code column, bit by bit.
		return andCodes(k.Codes.page(key), k.rng.ulo, k.rng.uhi, out, cur, neg)
	}
	if k.Op == Range && (len(cur) < chunkWords || k.rng.plane) {
		// out has been narrowed: compare only its candidates.
		return p.rangeSel(s, k, key, out, cur, d, neg)
	}
	var c *cont
	switch k.Op {
	case None:
		if neg {
			return cur
		}
		zeroSel(out, cur)
		return cur[:0]
	case All:
		c = p.live.get(key)
	case Leaf:
		c = k.F.get(key)
	case Or:
		if neg && stepClass(k) == classProbe {
			// Minus an Or of leaves: minus each leaf in turn.
			for _, kid := range k.Kids {
				if len(cur) == 0 {
					break
				}
				cur = p.and(s, kid, key, out, cur, d, true)
			}
			return cur
		}
		if stepClass(k) == classProbe && !legacy {
			return p.andOrLeaves(s, k, key, out, cur)
		}
	}
	if c == nil {
		tmp := s.block(d)
		p.eval(s, k, key, tmp, cur, d+1) // words of cur outside its result are zero
		return andCompact(out, tmp, cur, neg)
	}
	return andCont(s, c, out, cur, neg)
}

// andCont narrows out (valid at cur) by the container c, or by its
// complement when neg, and returns the indexes of cur whose word may still
// be non-zero.
func andCont(s *Scratch, c *cont, out *Block, cur []uint16, neg bool) []uint16 {
	switch c.kind {
	case kAbsent:
		if neg {
			return cur
		}
		zeroSel(out, cur)
		return cur[:0]
	case kFull:
		if !neg {
			return cur
		}
		zeroSel(out, cur)
		return cur[:0]
	case kBitmap:
		return andCompact(out, c.words, cur, neg)
	case kArray:
		if w := c.arrayWords(); w != nil {
			return andCompact(out, w, cur, neg)
		}
		if len(c.vals) < len(cur) {
			return s.andArrayWords(out, c.vals, cur, neg)
		}
		return andArray(out, c.vals, cur, neg)
	}
	return andCompact(out, s.dense(c, s.mat), cur, neg)
}

// andArrayWords is andCont for an array with fewer values than cur has
// words: it works at the array's words. Minus the array, it clears the
// array's bits and returns cur, some of whose words may now be zero.
func (s *Scratch) andArrayWords(out *Block, vals, cur []uint16, neg bool) []uint16 {
	if neg {
		for _, v := range vals {
			out[v>>6&(chunkWords-1)] &^= 1 << (v & 63)
		}
		return cur
	}
	words := groupArray(s.masks, vals, s.wbuf)
	for _, w := range words {
		s.masks[w&(chunkWords-1)] &= out[w&(chunkWords-1)] // out is zero outside cur
	}
	zeroSel(out, cur)
	n := 0
	for _, w := range words {
		m := s.masks[w&(chunkWords-1)]
		out[w&(chunkWords-1)] = m
		cur[n] = w
		n += b2i(m != 0)
	}
	return cur[:n]
}

func zeroSel(out *Block, sel []uint16) {
	if len(sel) == chunkWords {
		clear(out[:])
		return
	}
	for _, i := range sel {
		out[i&(chunkWords-1)] = 0
	}
}

func leafInto(s *Scratch, c *cont, out *Block, sel []uint16) []uint16 {
	switch c.kind {
	case kAbsent:
		zeroSel(out, sel)
		return sel[:0]
	case kBitmap:
		copySel(out, c.words, sel)
		return sel
	case kFull:
		copySel(out, s.ones, sel)
		return sel
	}
	if len(sel) == chunkWords {
		clear(out[:])
		setCont(out, c)
		return sel
	}
	copySel(out, s.dense(c, s.mat), sel)
	return sel
}

// andOrLeaves narrows out (valid at cur) by the Or k of leaves (All or
// None among them) and returns the indexes of cur still non-zero. Each
// word of cur reads the kids' words at once, ORs them and ANDs the union
// in: one pass over cur instead of a copy and an OR per kid. The kids'
// arrays without dense words are set together in s.mat.
func (p *Plan) andOrLeaves(s *Scratch, k *Node, key int, out *Block, cur []uint16) []uint16 {
	ws := s.kidWords[:0]
	small := false
	for _, kid := range k.Kids {
		var c *cont
		switch kid.Op {
		case None:
			continue
		case All:
			c = p.live.get(key)
		default:
			c = kid.F.get(key)
		}
		switch c.kind {
		case kAbsent:
			continue
		case kFull:
			return cur
		case kBitmap:
			ws = append(ws, c.words)
			continue
		}
		if w := c.arrayWords(); w != nil {
			ws = append(ws, w)
			continue
		}
		if !small {
			clear(s.mat[:])
			ws, small = append(ws, s.mat), true
		}
		s.orCont(s.mat, c)
	}
	s.kidWords = ws
	n := 0
	for _, i := range cur {
		i &= chunkWords - 1
		var u uint64
		for _, w := range ws {
			u |= w[i]
		}
		x := out[i] & u
		out[i] = x
		cur[n] = i
		n += b2i(x != 0)
	}
	return cur[:n]
}
