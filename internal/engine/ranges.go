package engine

// rangeInfo is a Range node's bounds, prepared once per plan: the
// comparison runs on planes [stop, top]; planes above top are only ORed.
type rangeInfo struct {
	none         bool // the range selects nobody
	hasLo, hasHi bool
	ulo, uhi     uint64
	top, stop    int  // planes [stop, top] are compared
	stopLo       int  // the lower bound needs planes [stopLo, top]
	stopHi       int  // the upper bound needs planes [stopHi, top]
	plane        bool // the range is the customers of the single plane (a Flag's true)
}

// rangeInto writes the range node's words at sel: the customers of known
// with a value >= ulo (when the range has a lower bound) and <= uhi (when it
// has an upper one). d is the node's depth: it may use the blocks and word
// lists of depths d and d+1.
func (p *Plan) rangeInto(s *Scratch, n *Node, key int, out *Block, sel []uint16, d int) {
	r := n.rng
	if r.plane {
		leafInto(s, n.Planes[0].get(key), out, sel)
		return
	}
	kc := n.F.get(key)
	if r.none || kc.kind == kAbsent || len(sel) == 0 {
		zeroSel(out, sel)
		return
	}
	if !r.hasLo && !r.hasHi {
		leafInto(s, kc, out, sel)
		return
	}
	if len(sel) == chunkWords {
		if n.Codes != nil && useAVX512 && !legacy {
			// The code bytes, 64 customers per compare: 64 KiB read in
			// one pass, against the planes' 8 KiB each in three or more.
			codesRange(n.Codes.page(key), r.ulo, r.uhi, out)
			return
		}
		p.rangeFull(s, n, key, kc, out, d)
		return
	}
	// Some words only: all ones there, narrowed by the range (rangeSel
	// compacts its list, so it gets a copy).
	cp := append(s.sel(d), sel...)
	for _, i := range sel {
		out[i&(chunkWords-1)] = ^uint64(0)
	}
	p.rangeSel(s, n, key, out, cp, d, false)
}

// rangeFull writes the bounded range node's words for a whole chunk, with
// the whole-chunk kernel (see fullRange).
func (p *Plan) rangeFull(s *Scratch, n *Node, key int, kc *cont, out *Block, d int) {
	r := n.rng
	depth := len(n.Planes)
	for len(s.pbuf) < depth+2 {
		s.pbuf = append(s.pbuf, new(Block))
	}
	known := s.dense(kc, s.pbuf[depth])
	// The planes above the top compared one have a 0 in both bounds: they
	// are compared too, as cheaply as any other plane on a whole chunk.
	cs, lo, hi := s.comparedPlanes(n, key, depth-1)
	csLo, csHi := cs[:depth-r.stopLo], cs[:depth-r.stopHi]
	switch {
	case r.hasLo && !r.hasHi:
		s.fullRange(out, known, csLo, lo, true, d)
	case r.hasHi && !r.hasLo:
		s.fullRange(out, known, csHi, hi, false, d)
	default:
		s.fullBetween(out, known, cs, lo, hi, d)
	}
}

// comparedPlanes returns the containers in chunk key of the range node's
// planes from top down to its lowest compared one, and the bounds' bits
// for them (bit k of lo and hi for cs[k]), in s.conts.
func (s *Scratch) comparedPlanes(n *Node, key, top int) (cs []*cont, lo, hi uint64) {
	r := n.rng
	cs = s.conts[:0]
	for j := top; j >= r.stop; j-- {
		k := len(cs)
		lo |= (r.ulo >> j & 1) << k
		hi |= (r.uhi >> j & 1) << k
		cs = append(cs, n.Planes[j].get(key))
	}
	s.conts = cs
	return cs, lo, hi
}

// rangeSel narrows out (valid at sel) by the range node, or by its
// complement when neg, and returns the indexes of sel still non-zero (in
// sel's storage). d is the depth of the And it runs in: it uses the blocks
// and word list of depths d and d+1.
//
// The candidates are out's customers with a value; the comparison runs plane
// by plane from the top over the words that still have candidates equal to
// the bound's prefix, a list that shrinks by about half a plane. Array
// planes are read at those words only.
func (p *Plan) rangeSel(s *Scratch, n *Node, key int, out *Block, sel []uint16, d int, neg bool) []uint16 {
	r := n.rng
	if r.plane {
		return andCont(s, n.Planes[0].get(key), out, sel, neg)
	}
	kc := n.F.get(key)
	if r.none || kc.kind == kAbsent || len(sel) == 0 {
		if neg {
			return sel
		}
		zeroSel(out, sel)
		return sel[:0]
	}
	if !r.hasLo && !r.hasHi {
		return andCont(s, kc, out, sel, neg)
	}
	depth := len(n.Planes)
	for len(s.pbuf) < depth+2 {
		s.pbuf = append(s.pbuf, new(Block))
	}
	known := s.words(kc, sel, s.pbuf[depth])
	eq, res := s.block(d), s.block(d+1)
	for _, i := range sel {
		i &= chunkWords - 1
		eq[i] = out[i] & known[i]
		res[i] = 0
	}
	// Customers with a bit above the top compared plane are above both
	// bounds: in the range for a lower bound alone (added to res), out of
	// it otherwise. An array plane is applied at its own words: outside
	// sel, eq and res are not read, and out is zero.
	for j := depth - 1; j > r.top; j-- {
		switch c := n.Planes[j].get(key); c.kind {
		case kAbsent:
		case kArray:
			for _, w := range groupArray(s.masks, c.vals, s.sel(d+1)) {
				w &= chunkWords - 1
				e, m := eq[w], s.masks[w]
				if r.hasLo && !r.hasHi {
					res[w] |= e & m
				}
				eq[w] = e &^ m
			}
		default:
			b := s.words(c, sel, s.masks)
			for _, i := range sel {
				i &= chunkWords - 1
				e := eq[i]
				if r.hasLo && !r.hasHi {
					res[i] |= e & b[i]
				}
				eq[i] = e &^ b[i]
			}
		}
	}
	act := nonZero(s.sel(d+1), eq, sel)
	cs, lo, hi := s.comparedPlanes(n, key, r.top)
	csLo := cs[:max(0, r.top-r.stopLo+1)]
	csHi := cs[:max(0, r.top-r.stopHi+1)]
	switch {
	case r.hasLo && !r.hasHi:
		s.compareAct(res, eq, act, csLo, lo, true)
	case r.hasHi && !r.hasLo:
		s.compareAct(res, eq, act, csHi, hi, false)
	default:
		s.compareAct(res, eq, act, csHi, hi, false)
		act = s.sel(d + 1)
		for _, i := range sel {
			i &= chunkWords - 1
			eq[i], res[i] = res[i], 0
			if eq[i] != 0 {
				act = append(act, i)
			}
		}
		s.compareAct(res, eq, act, csLo, lo, true)
	}
	cnt := 0
	for _, i := range sel {
		i &= chunkWords - 1
		w := res[i]
		if neg {
			w = out[i] &^ w
		}
		out[i] = w
		sel[cnt] = i
		cnt += b2i(w != 0)
	}
	return sel[:cnt]
}

// compareAct adds to res, at the words of act, the candidates of eq whose
// value on the planes cs (containers of the chunk, from the top down) is
// >= the bound (ge) or <= it, where bit k of bound is the bound's bit for
// cs[k]. eq and act are overwritten; s.masks is working storage.
func (s *Scratch) compareAct(res, eq *Block, act []uint16, cs []*cont, bound uint64, ge bool) {
	for k, c := range cs {
		if len(act) == 0 {
			return
		}
		if c.kind == kArray && len(c.vals) < len(act) {
			act = s.arrayAct(res, eq, act, c.vals, bound>>k&1 != 0, ge)
			continue
		}
		p := s.words(c, act, s.masks)
		nm := ^-(bound >> k & 1) // all ones where the bound's bit is 0
		act = actStep(res, eq, p, act, nm, ge)
	}
	for _, i := range act {
		res[i&(chunkWords-1)] |= eq[i&(chunkWords-1)]
	}
}

// actStepGo is actStep in Go: one plane p of compareAct on the undecided
// words act, nm all ones where the bound's bit is 0. It adds the candidates
// the plane decides to res, keeps in eq those still equal to the bound and
// returns the words of act still undecided (in act's storage).
func actStepGo(res, eq, p *Block, act []uint16, nm uint64, ge bool) []uint16 {
	n := 0
	if ge {
		for _, i := range act {
			i &= chunkWords - 1
			e, b := eq[i], p[i]
			res[i] |= e & b & nm
			e &= b ^ nm
			eq[i] = e
			act[n] = i
			n += b2i(e != 0)
		}
	} else {
		for _, i := range act {
			i &= chunkWords - 1
			e, b := eq[i], p[i]
			res[i] |= e &^ (b | nm)
			e &= b ^ nm
			eq[i] = e
			act[n] = i
			n += b2i(e != 0)
		}
	}
	return act[:n]
}

// arrayAct is compareAct's step for a plane given as an array with fewer
// values than act has words: it is applied at the array's own words, and
// when the bound's bit (one) is 1 only those words stay undecided. It
// returns the new list of undecided words (in act's storage).
func (s *Scratch) arrayAct(res, eq *Block, act, vals []uint16, one, ge bool) []uint16 {
	var in [chunkWords / 64]uint64 // the words of act
	for _, i := range act {
		in[i>>6&(chunkWords/64-1)] |= 1 << (i & 63)
	}
	words := groupArray(s.masks, vals, s.wbuf)
	if !one {
		for _, w := range words {
			w &= chunkWords - 1
			if in[w>>6]>>(w&63)&1 == 0 {
				continue
			}
			e, m := eq[w], s.masks[w]
			if ge {
				res[w] |= e & m
			}
			eq[w] = e &^ m
		}
		return act
	}
	if !ge {
		// Below the bound here: every candidate without the bit.
		for _, i := range act {
			res[i&(chunkWords-1)] |= eq[i&(chunkWords-1)]
		}
	}
	n := 0
	for _, w := range words {
		w &= chunkWords - 1
		if in[w>>6]>>(w&63)&1 == 0 {
			continue
		}
		e := eq[w] & s.masks[w]
		if !ge {
			res[w] &^= e // added above, but equal here
		}
		eq[w] = e
		act[n] = w
		n += b2i(e != 0)
	}
	return act[:n]
}

// words returns a Block whose words at act are those of the container c:
// the container's own for a bitmap, else written into tmp (at act only for
// an array, whole for runs).
func (s *Scratch) words(c *cont, act []uint16, tmp *Block) *Block {
	switch c.kind {
	case kBitmap:
		return c.words
	case kFull:
		return s.ones
	case kAbsent:
		return s.zeros
	case kArray:
		arrayMasks(tmp, c.vals, act)
		return tmp
	}
	return s.dense(c, tmp)
}

// codesRange writes into out the customers of a whole chunk whose code is
// in [ulo, uhi], with the AVX-512 kernel. pg nil means no customer of the
// chunk has a value.
func codesRange(pg *[1 << ChunkBits]uint8, ulo, uhi uint64, out *Block) {
	uhi = min(uhi, NoCode-1) // no customer with a value has NoCode
	if pg == nil || ulo > uhi {
		clear(out[:])
		return
	}
	codesRangeAVX512(pg, out, ulo, uhi-ulo)
}
