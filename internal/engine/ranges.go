package engine

// rangeInfo is a Range node's bounds, prepared once per plan: the
// comparison runs on planes [stop, top]; planes above top are only ORed.
type rangeInfo struct {
	none         bool // the range selects nobody
	hasLo, hasHi bool
	ulo, uhi     uint64
	top, stop    int // planes [stop, top] are compared
	stopLo       int // the lower bound needs planes [stopLo, top]
	stopHi       int // the upper bound needs planes [stopHi, top]
	ops          []uint8
	plane        bool // the range is the customers of the single plane (a Flag's true)
}

// Per compared plane, from the top: what each bound does with it.
const (
	opLo  = 1 << iota // the lower bound is still compared on this plane
	opLo1             // the lower bound's bit is 1
	opHi              // the upper bound is still compared on this plane
	opHi1             // the upper bound's bit is 1
)

// planOps fills r.ops from the bounds.
func (r *rangeInfo) planOps() {
	r.ops = r.ops[:0]
	for j := r.top; j >= r.stop; j-- {
		var op uint8
		if r.hasLo && j >= r.stopLo {
			op |= opLo
			if r.ulo>>j&1 != 0 {
				op |= opLo1
			}
		}
		if r.hasHi && j >= r.stopHi {
			op |= opHi
			if r.uhi>>j&1 != 0 {
				op |= opHi1
			}
		}
		r.ops = append(r.ops, op)
	}
}

// How rangeSel combines the range with the words of out. For a whole
// chunk of candidates (rWrite) rangeInto, plane by plane over shrinking word
// lists, is faster; rangeSel is for words that out has already narrowed.
const (
	rWrite  = iota // out[i] = range
	rAnd           // out[i] &= range
	rAndNot        // out[i] &^= range
)

// rangeInto writes the range node's words at sel: the customers of known
// with a value >= ulo (when the range has a lower bound) and <= uhi (when it
// has an upper one). d is the node's depth: it may use the blocks and word
// lists of depths d and d+1.
func (p *Plan) rangeInto(s *Scratch, n *Node, key int, out *block, sel []uint16, d int) {
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
		p.rangeFull(s, n, key, kc, out, d)
		return
	}
	depth := len(n.Planes)
	for len(s.pbuf) < depth+2 {
		s.pbuf = append(s.pbuf, new(block))
	}
	known := s.dense(kc, s.pbuf[depth])
	// Planes above top are folded into one word per word of sel (ab)
	// instead of a pass each.
	above, ups := s.foldAbove(n, key)
	ab := s.pbuf[depth+1]
	ps := s.planes[:0]
	var lo, hi uint64 // bit k: the bound's bit for ps[k]
	for j := r.top; j >= r.stop; j-- {
		k := len(ps)
		lo |= (r.ulo >> j & 1) << k
		hi |= (r.uhi >> j & 1) << k
		ps = append(ps, s.dense(n.Planes[j].get(key), s.pbuf[j]))
	}
	s.planes = ps
	eq, act := s.block(d), s.sel(d)
	for _, i := range sel {
		i &= chunkWords - 1
		u := above[i]
		for _, p := range ups {
			u |= p[i]
		}
		ab[i] = u
		eq[i] = known[i] &^ u
	}
	psLo := ps[:max(0, r.top-r.stopLo+1)]
	psHi := ps[:max(0, r.top-r.stopHi+1)]
	above = ab
	switch {
	case r.hasLo && !r.hasHi:
		geSel(out, eq, above, psLo, lo, sel, act)
	case r.hasHi && !r.hasLo:
		leSel(out, eq, psHi, hi, sel, act)
	default:
		leSel(out, eq, psHi, hi, sel, act)
		sel2 := nonZero(s.sel(d+1), out, sel)
		for _, i := range sel2 {
			eq[i&(chunkWords-1)] = out[i&(chunkWords-1)]
		}
		ge := s.block(d + 1)
		geSel(ge, eq, s.zeros, psLo, lo, sel2, act)
		for _, i := range sel {
			out[i&(chunkWords-1)] = 0
		}
		for _, i := range sel2 {
			out[i&(chunkWords-1)] = ge[i&(chunkWords-1)]
		}
	}
}

// rangeFull writes the bounded range node's words for a whole chunk, with
// the whole-chunk kernel (see fullRange). Customers with a bit above the
// top compared plane are above both bounds: the lower bound adds them at
// the end, the upper one removes them.
func (p *Plan) rangeFull(s *Scratch, n *Node, key int, kc *cont, out *block, d int) {
	r := n.rng
	depth := len(n.Planes)
	for len(s.pbuf) < depth+2 {
		s.pbuf = append(s.pbuf, new(block))
	}
	known := s.dense(kc, s.pbuf[depth])
	cs := s.conts[:0]
	var lo, hi uint64 // bit k: the bound's bit for cs[k]
	for j := r.top; j >= r.stop; j-- {
		k := len(cs)
		lo |= (r.ulo >> j & 1) << k
		hi |= (r.uhi >> j & 1) << k
		cs = append(cs, n.Planes[j].get(key))
	}
	s.conts = cs
	csLo := cs[:max(0, r.top-r.stopLo+1)]
	csHi := cs[:max(0, r.top-r.stopHi+1)]
	switch {
	case r.hasLo && !r.hasHi:
		s.fullRange(out, known, csLo, lo, true, d)
		for j := depth - 1; j > r.top; j-- {
			orInto(out, n.Planes[j].get(key))
		}
	case r.hasHi && !r.hasLo:
		s.fullRange(out, known, csHi, hi, false, d)
		for j := depth - 1; j > r.top; j-- {
			andNotInto(out, n.Planes[j].get(key))
		}
	default:
		le := s.block(d + 1)
		s.fullRange(le, known, csHi, hi, false, d)
		for j := depth - 1; j > r.top; j-- {
			andNotInto(le, n.Planes[j].get(key))
		}
		s.fullRange(out, le, csLo, lo, true, d)
	}
}

// rangeSel combines the range node's words at sel with out as mode says and,
// for rAnd and rAndNot, returns the indexes of sel still non-zero in out (in
// sel's storage).
//
// The comparison is O'Neil–Quass, fused: one pass over the words, and per
// word the planes from the top down in registers, for both bounds at once,
// on the word's candidates only (its known customers, and for rAnd and
// rAndNot only those still in out), stopping as soon as no candidate still
// equals a bound's prefix. When out is already sparse, most words stop
// after a plane or two.
func (p *Plan) rangeSel(s *Scratch, n *Node, key int, out *block, sel []uint16, mode int) []uint16 {
	r := n.rng
	if r.plane {
		c := n.Planes[0].get(key)
		if mode == rWrite {
			return leafInto(s, c, out, sel)
		}
		return andCont(s, c, out, sel, mode == rAndNot)
	}
	kc := n.F.get(key)
	if r.none || kc.kind == kAbsent || len(sel) == 0 {
		if mode == rAndNot {
			return sel
		}
		zeroSel(out, sel)
		return sel[:0]
	}
	if !r.hasLo && !r.hasHi {
		if mode == rWrite {
			return leafInto(s, kc, out, sel)
		}
		return andCont(s, kc, out, sel, mode == rAndNot)
	}
	depth := len(n.Planes)
	for len(s.pbuf) < depth+2 {
		s.pbuf = append(s.pbuf, new(block))
	}
	known := s.dense(kc, s.pbuf[depth])
	ab, ups := s.foldAbove(n, key)
	ps := s.planes[:0]
	for j := r.top; j >= r.stop; j-- {
		ps = append(ps, s.dense(n.Planes[j].get(key), s.pbuf[j]))
	}
	s.planes = ps
	ops := r.ops[:len(ps)]
	hasLo, hasHi := r.hasLo, r.hasHi
	cnt := 0
	for _, i := range sel {
		i &= chunkWords - 1
		m := ^uint64(0)
		if mode != rWrite {
			m = out[i]
		}
		e := m & known[i]
		var rw uint64
		if e != 0 {
			u := ab[i]
			for _, p := range ups {
				u |= p[i]
			}
			var ge, le, eqL, eqH uint64
			if hasLo {
				ge, eqL = e&u, e&^u
			} else {
				ge = e
			}
			if hasHi {
				eqH = e &^ u
			} else {
				le = e
			}
			for k, p := range ps {
				if eqL|eqH == 0 {
					break
				}
				b := p[i]
				op := ops[k]
				if op&opLo != 0 {
					if op&opLo1 != 0 {
						eqL &= b
					} else {
						ge |= eqL & b
						eqL &^= b
					}
				}
				if op&opHi != 0 {
					if op&opHi1 != 0 {
						le |= eqH &^ b
						eqH &= b
					} else {
						eqH &^= b
					}
				}
			}
			rw = (ge | eqL) & (le | eqH)
		}
		switch mode {
		case rWrite:
			out[i] = rw
			continue
		case rAndNot:
			rw = m &^ rw
		}
		out[i] = rw
		sel[cnt] = i
		cnt += b2i(rw != 0)
	}
	if mode == rWrite {
		return sel
	}
	return sel[:cnt]
}

// foldAbove gathers the planes above the range's top plane for the chunk
// key. Those planes have a zero bit in both bounds, so a customer with any of
// them set is above both. Sparse planes are ORed into one block, returned
// (s.zeros when there is none); dense ones are returned to be read in place.
func (s *Scratch) foldAbove(n *Node, key int) (*block, []*block) {
	r := n.rng
	depth := len(n.Planes)
	ab := s.pbuf[depth+1]
	ups := s.ups[:0]
	sparse := false
	for j := depth - 1; j > r.top; j-- {
		c := n.Planes[j].get(key)
		switch c.kind {
		case kAbsent:
		case kArray, kRun:
			if !sparse {
				clear(ab[:])
				sparse = true
			}
			orInto(ab, c)
		default:
			ups = append(ups, s.dense(c, nil))
		}
	}
	s.ups = ups
	if !sparse {
		return s.zeros, ups
	}
	return ab, ups
}
