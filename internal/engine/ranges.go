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
}

// rangeInto writes the range node's words at sel: the customers of known
// with a value >= ulo (when the range has a lower bound) and <= uhi (when it
// has an upper one). d is the node's depth: it may use the blocks and word
// lists of depths d and d+1.
func (p *Plan) rangeInto(s *Scratch, n *Node, key int, out *block, sel []uint16, d int) {
	r := n.rng
	kc := n.F.get(key)
	if r.none || kc.kind == kAbsent || len(sel) == 0 {
		zeroSel(out, sel)
		return
	}
	if !r.hasLo && !r.hasHi {
		leafInto(s, kc, out, sel)
		return
	}
	depth := len(n.Planes)
	for len(s.pbuf) < depth+2 {
		s.pbuf = append(s.pbuf, new(block))
	}
	known := s.dense(kc, s.pbuf[depth])
	// Planes above top have a zero bit in both bounds: a customer with any
	// of them set is above both. They are folded into one word per word of
	// sel (ab) instead of a pass each: sparse ones through a block, dense
	// ones read in place.
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
		var u uint64
		if sparse {
			u = ab[i]
		}
		for _, p := range ups {
			u |= p[i]
		}
		ab[i] = u
		eq[i] = known[i] &^ u
	}
	psLo := ps[:max(0, r.top-r.stopLo+1)]
	psHi := ps[:max(0, r.top-r.stopHi+1)]
	above := ab
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
