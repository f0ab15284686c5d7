package engine

import (
	"math/bits"
)

// The whole-chunk range kernel. On a whole chunk nearly every word still has
// customers equal to the bound's prefix on the first planes, so those run as
// straight passes over the chunk, three planes per pass with the candidates
// and the result in registers and no word list; once few words are left
// undecided, the rest run over the list of those words only.
//
// Per plane with bound bit c (m = all ones when c is 1), e the candidates
// equal to the bound's prefix so far and g those decided in the range:
//
//	lower bound: g |= e & b &^ m  (above the bound here)
//	upper bound: g |= e &^ b & m  (below the bound here)
//	both:        e &= ^(b ^ m)    (still equal)
//
// and at the end the range is g | e (equal to the bound counts as in).

// sparseWords is the number of undecided words under which the kernel
// leaves the dense passes for the word list.
const sparseWords = chunkWords / 4

// fullRange writes into out, for every word of the chunk, the customers of
// known (read-only) whose value on the planes cs (containers of the chunk,
// from the top down) is >= the bound (ge) or <= it, where bit k of bound is
// the bound's bit for cs[k]. It uses the Block s.block(d), the word list
// s.sel(d), s.masks and s.pbuf[0:3]; known is read before any of them is
// written.
//
// A small array plane (a bit few customers have) is applied to its words only;
// when the bound's bit is 1 there, only its customers can still equal the
// bound, and the kernel goes on over their words alone.
func (s *Scratch) fullRange(out, known *Block, cs []*cont, bound uint64, ge bool, d int) {
	eq := s.block(d)
	*eq = *known
	clear(out[:])
	k := 0
	sparse, masked := false, false // masked: s.nz lists every undecided word
	var act []uint16
	for k < len(cs) && !sparse {
		if c := cs[k]; smallArray(c) {
			act, sparse = arrayPlane(out, eq, s.masks, c.vals, bound>>k&1 != 0, ge, s.sel(d))
			k++
			continue
		}
		var p [3]*Block
		var nm [3]uint64 // ^mask: all ones where the bound's bit is 0
		for j := range p {
			p[j], nm[j] = s.zeros, ^uint64(0) // a zero plane with bit 0 changes nothing
			if k < len(cs) && !smallArray(cs[k]) {
				p[j], nm[j] = s.dense(cs[k], s.pbuf[j]), ^-(bound >> k & 1)
				k++
			}
		}
		densePass(out, eq, &p, &nm, ge, &s.nz)
		masked = true // an array plane after this only clears candidates
		if k < len(cs) && popMask(&s.nz) < sparseWords {
			break
		}
	}
	switch {
	case sparse:
	case masked:
		act = maskWords(s.sel(d), &s.nz)
	default:
		act = nonZero(s.sel(d), eq, s.all)
	}
	s.compareAct(out, eq, act, cs[k:], bound>>k, ge)
}

// fullBetween writes into out, for every word of the chunk, the customers of
// known whose value on the planes cs (from the top down) is >= lo and <= hi
// (bit k of each for cs[k]). Both bounds share the dense passes, so each
// plane is read once; once few words are undecided, each bound finishes
// over its own word list. It uses the blocks s.block(d) and s.block(d+1),
// the word lists s.sel(d) and s.sel(d+1), s.masks, s.hiRes and s.pbuf[0:3].
//
// Planes below a bound's last compared one may be included: lo's bits there
// are 0 and hi's are 1, which leave "equal so far" customers in the range.
func (s *Scratch) fullBetween(out, known *Block, cs []*cont, lo, hi uint64, d int) {
	el, eh := s.block(d), s.block(d+1)
	gl, gh := out, s.hiRes
	*el, *eh = *known, *known
	clear(gl[:])
	clear(gh[:])
	k, masked := 0, false
	for k < len(cs) {
		var p [3]*Block
		var nl, nh [3]uint64
		for j := range p {
			// A zero plane with both bits 0 leaves both bounds as they are.
			p[j], nl[j], nh[j] = s.zeros, ^uint64(0), ^uint64(0)
			if k < len(cs) {
				p[j] = s.dense(cs[k], s.pbuf[j])
				nl[j], nh[j] = ^-(lo >> k & 1), ^-(hi >> k & 1)
				k++
			}
		}
		betweenPass(gl, el, gh, eh, &p, &nl, &nh, &s.nz)
		masked = true
		if k < len(cs) && popMask(&s.nz) < sparseWords {
			break
		}
	}
	var actL, actH []uint16
	if masked {
		actL = maskWords(s.sel(d), &s.nz)
		actH = append(s.sel(d+1), actL...)
	} else { // no planes
		actL, actH = nonZero(s.sel(d), el, s.all), nonZero(s.sel(d+1), eh, s.all)
	}
	s.compareAct(gl, el, actL, cs[k:], lo>>k, true)
	s.compareAct(gh, eh, actH, cs[k:], hi>>k, false)
	for i := range out {
		out[i] = gl[i] & gh[i]
	}
}

// smallArray reports whether c is an array container of at most one value
// per word on average: cheaper applied at its words than made dense.
func smallArray(c *cont) bool { return c.kind == kArray && len(c.vals) <= chunkWords }

// arrayPlane applies a plane given as a sorted array to every word of the
// chunk. When the bound's bit (one) is 1, only the array's customers stay
// candidates: it returns their words with candidates left (in act's
// storage) and true; the other words of eq are then stale. masks is
// working storage.
func arrayPlane(out, eq, masks *Block, vals []uint16, one, ge bool, act []uint16) ([]uint16, bool) {
	act = groupArray(masks, vals, act)
	switch {
	case !one && ge:
		for _, w := range act {
			w &= chunkWords - 1
			e, m := eq[w], masks[w]
			out[w] |= e & m
			eq[w] = e &^ m
		}
		return act, false
	case !one:
		for _, w := range act {
			w &= chunkWords - 1
			eq[w] &^= masks[w]
		}
		return act, false
	}
	if !ge {
		// Below the bound here: every candidate without the bit.
		for i := range out {
			out[i] |= eq[i]
		}
	}
	k := 0
	for _, w := range act {
		w &= chunkWords - 1
		e := eq[w] & masks[w]
		if !ge {
			out[w] &^= e // added above, but equal here
		}
		eq[w] = e
		act[k] = w
		k += b2i(e != 0)
	}
	return act[:k], true
}

// groupArray writes into masks, at each word that the sorted array vals has
// values in, the bits of those values, and returns those words (in act's
// storage, of capacity 1,024), without a branch per value: the last store
// to a word holds all its bits.
func groupArray(masks *Block, vals []uint16, act []uint16) []uint16 {
	act = act[:chunkWords]
	n, prev, acc := 0, uint16(0xFFFF), uint64(0)
	for _, v := range vals {
		w := v >> 6 & (chunkWords - 1)
		same := w == prev
		acc = acc&-uint64(b2i(same)) | 1<<(v&63)
		masks[w] = acc
		act[min(n, chunkWords-1)] = w // n is 1,024 only within word 1,023
		n += 1 - b2i(same)
		prev = w
	}
	return act[:n]
}

// arrayMasks writes into dst, at every word of act (sorted), the bits of the
// sorted array vals in that word, galloping through vals.
func arrayMasks(dst *Block, vals, act []uint16) {
	p := 0
	for _, i := range act {
		i &= chunkWords - 1
		dst[i], p = wordBits(vals, p, i)
	}
}

// gallop returns the first index at or after p whose value in the sorted
// vals is >= x (len(vals) if none), searching by doubling steps from p,
// then halving.
func gallop(vals []uint16, p int, x uint16) int {
	if p >= len(vals) || vals[p] >= x {
		return p
	}
	step := 1
	for p+step < len(vals) && vals[p+step] < x {
		step *= 2
	}
	lo, hi := p+step/2+1, min(p+step, len(vals))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vals[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// wordBits returns the bits of the sorted vals in word i of the chunk,
// searching from index p, and the index after them.
func wordBits(vals []uint16, p int, i uint16) (uint64, int) {
	p = gallop(vals, p, i<<6)
	var m uint64
	for p < len(vals) && vals[p]>>6 == i {
		m |= 1 << (vals[p] & 63)
		p++
	}
	return m, p
}

// popMask returns the number of words a word mask lists.
func popMask(m *[chunkWords / 64]uint64) int {
	n := 0
	for _, w := range m {
		n += bits.OnesCount64(w)
	}
	return n
}

// maskWords returns, in dst's storage, the indexes of the words a word mask
// lists, in increasing order.
func maskWords(dst []uint16, m *[chunkWords / 64]uint64) []uint16 {
	if useAVX512 && !legacy {
		// The mask's 16 words read as a Block's first 16 (the kernel takes
		// a pointer to the first word, so that no conversion makes a Block
		// of them): flatten16's compressing stores write their bits' indexes.
		if n := popMask(m); n+flatSlack <= cap(dst) {
			sel := [chunkWords / 64]uint16{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
			dst = dst[:n+flatSlack]
			flattenAVX512(&dst[0], &m[0], &sel[0], len(sel))
			return dst[:n]
		}
	}
	dst = dst[:0]
	for j, w := range m {
		for w != 0 {
			dst = append(dst, uint16(j<<6|bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return dst
}

// sampleUndecided returns the number of words with candidates left among
// every eighth word of eq.
func sampleUndecided(eq *Block) int {
	n := 0
	for i := 0; i < chunkWords; i += 8 {
		n += b2i(eq[i] != 0)
	}
	return n
}

// densePass runs three planes over every word and sets in nz the bits of
// the words left with undecided candidates (eq not zero). nm holds the
// complements of the planes' masks (all ones where the bound's bit is 0).
// On amd64 with AVX2 it runs four words at a time (densepass_amd64.s).
func densePass(out, eq *Block, p *[3]*Block, nm *[3]uint64, ge bool, nz *[chunkWords / 64]uint64) {
	if useAVX512 {
		densePassAVX512(out, eq, p[0], p[1], p[2], nm[0], nm[1], nm[2], ge, nz)
		return
	}
	if useAVX2 {
		densePassAVX2(out, eq, p[0], p[1], p[2], nm[0], nm[1], nm[2], ge, nz)
		return
	}
	densePassGo(out, eq, p, nm, ge)
	for j := range nz {
		var m uint64
		for k, e := range eq[j*64 : j*64+64] {
			m |= uint64(b2i(e != 0)) << k
		}
		nz[j] = m
	}
}

// betweenPass is densePass for both bounds of a range at once, reading each
// plane once: the lower bound (>=) with candidates el, result gl and mask
// complements nl, the upper bound (<=) with eh, gh and nh. nz gets the words
// where either bound has undecided candidates.
func betweenPass(gl, el, gh, eh *Block, p *[3]*Block, nl, nh *[3]uint64, nz *[chunkWords / 64]uint64) {
	if useAVX512 {
		betweenPassAVX512(gl, el, gh, eh, p[0], p[1], p[2], nl[0], nl[1], nl[2], nh[0], nh[1], nh[2], nz)
		return
	}
	if useAVX2 {
		betweenPassAVX2(gl, el, gh, eh, p[0], p[1], p[2], nl[0], nl[1], nl[2], nh[0], nh[1], nh[2], nz)
		return
	}
	densePassGo(gl, el, p, nl, true)
	densePassGo(gh, eh, p, nh, false)
	for j := range nz {
		var m uint64
		for k := range 64 {
			m |= uint64(b2i(el[j*64+k]|eh[j*64+k] != 0)) << k
		}
		nz[j] = m
	}
}

// densePassGo is densePass in Go, one word at a time, without nz.
func densePassGo(out, eq *Block, p *[3]*Block, nm *[3]uint64, ge bool) {
	p0, p1, p2 := p[0], p[1], p[2]
	n0, n1, n2 := nm[0], nm[1], nm[2]
	if ge {
		for i := range out {
			e, g := eq[i], out[i]
			b := p0[i]
			g |= e & b & n0
			e &= b ^ n0
			b = p1[i]
			g |= e & b & n1
			e &= b ^ n1
			b = p2[i]
			g |= e & b & n2
			e &= b ^ n2
			eq[i], out[i] = e, g
		}
		return
	}
	for i := range out {
		e, g := eq[i], out[i]
		b := p0[i]
		g |= e &^ (b | n0)
		e &= b ^ n0
		b = p1[i]
		g |= e &^ (b | n1)
		e &= b ^ n1
		b = p2[i]
		g |= e &^ (b | n2)
		e &= b ^ n2
		eq[i], out[i] = e, g
	}
}
