package engine

// MinMax returns the smallest and the largest bits (the value without the
// index's offset) of the customers of known in the bit-sliced index of
// planes (low bit first), and false when known is empty. It walks the
// planes from the top chunk by chunk, on the words that still hold
// candidates, and stops a chunk's walk as soon as it cannot beat the
// chunks before: no allocation, unlike a Select on roaring bitmaps.
func (s *Scratch) MinMax(known *Frozen, planes []*Frozen) (lo, hi uint64, ok bool) {
	for key := range known.Chunks() {
		kc := known.get(key)
		if kc.kind == kAbsent {
			continue
		}
		if v, found := s.chunkExtreme(kc, planes, key, true, hi, ok); found {
			hi = v
		}
		if v, found := s.chunkExtreme(kc, planes, key, false, lo, ok); found {
			lo = v
		}
		ok = true
	}
	return lo, hi, ok
}

// chunkExtreme returns the largest (max) or the smallest bits of the
// customers of kc, and true, unless have is set and the chunk has none
// beyond best.
func (s *Scratch) chunkExtreme(kc *cont, planes []*Frozen, key int, max bool, best uint64, have bool) (uint64, bool) {
	cand, tmp := s.block(1), s.block(2)
	k := s.dense(kc, s.mat)
	cs := s.sel(1)
	cs = cs[:chunkWords]
	n := 0
	for i, w := range k {
		cand[i] = w
		cs[n] = uint16(i)
		if w != 0 {
			n++
		}
	}
	cs = cs[:n]
	alt := 2
	var u uint64
	for j := len(planes) - 1; j >= 0; j-- {
		if have {
			if max && u|(1<<(j+1)-1) < best {
				return 0, false
			}
			if !max && u > best {
				return 0, false
			}
		}
		pw := s.dense(planes[j].get(key), s.block(3))
		ns := s.sel(alt)[:len(cs)]
		n := 0
		var flip uint64 // the words to keep: pw, or its complement for min
		if !max {
			flip = ^uint64(0)
		}
		for _, i := range cs {
			i &= chunkWords - 1
			t := cand[i] & (pw[i] ^ flip)
			tmp[i] = t
			ns[n] = i // kept when t != 0, without a branch
			if t != 0 {
				n++
			}
		}
		ns = ns[:n]
		switch {
		case len(ns) > 0:
			cand, tmp = tmp, cand
			cs, alt = ns, 3-alt
			if max {
				u |= 1 << j
			}
		case !max:
			u |= 1 << j // every candidate has bit j
		}
	}
	if have && (max && u <= best || !max && u >= best) {
		return 0, false
	}
	return u, true
}
