package engine

import "math/bits"

// pieceWords is the number of words of a chunk countMulti counts at a
// time: 4096 customers, whose 16 KB of acc stay in the first level of
// cache while every part of the Multi dimension is counted.
const pieceWords = 64

// countMulti adds the customers of f (valid at sel) to counts, at their
// offset in acc (0 when first) plus stride times every part of parts they
// are in. cur holds one cursor per part. The offsets of customers f does
// not have may be stale or out of range; counts has a spare cell at the
// end.
//
// Counting part after part over the whole chunk would read acc (256 KB)
// once per part; the chunk is counted piece by piece instead, every part
// in each piece. Parts that are not leaves, or runs in the chunk, are
// counted over the whole chunk.
func (p *Plan) countMulti(s *Scratch, parts []*Node, key int, f *block, sel []uint16, acc *[1 << ChunkBits]uint32, stride uint32, first bool, cur []int, counts []uint32) {
	if first || len(cur) != len(parts) {
		p.countParts(s, parts, key, f, sel, acc, stride, first, counts)
		return
	}
	clear(cur)
	last := uint32(len(counts) - 1)
	for k, n := range parts {
		if kind := n.F.get(key).kind; n.Op != Leaf || kind == kRun {
			p.countParts(s, parts[k:k+1], key, f, sel, acc, stride, false, counts[uint32(k)*stride:])
		}
	}
	for j0 := 0; j0 < len(sel); {
		piece := sel[j0] &^ (pieceWords - 1)
		j1 := j0 + 1
		for j1 < len(sel) && sel[j1]&^(pieceWords-1) == piece {
			j1++
		}
		ws := sel[j0:j1]
		j0 = j1
		lo, hi := uint32(piece)<<6, uint32(piece)<<6+pieceWords*64
		for k, n := range parts {
			if n.Op != Leaf {
				continue
			}
			add := uint32(k) * stride
			c := n.F.get(key)
			switch c.kind {
			case kArray:
				vals, x := c.vals, cur[k]
				for x < len(vals) && uint32(vals[x]) < lo {
					x++
				}
				// Every member counts, by 1 when f has it and by 0 when not
				// (in a cell of its stale offset, or the last one): no
				// branch to mispredict on the customers f dropped.
				for ; x < len(vals) && uint32(vals[x]) < hi; x++ {
					v := vals[x]
					counts[min(acc[v]+add, last)] += uint32(f[v>>6]>>(v&63)) & 1
				}
				cur[k] = x
			case kBitmap, kFull:
				countPairs(counts, acc, s.dense(c, nil), f, ws, add) // no copy
			}
		}
	}
}

// countPairs adds the members of w & f at ws to counts at their offset in
// acc plus add, two words at a time: the increments of a word each wait
// on loads, and the loop over its bits ends with a mispredicted branch;
// walking two words in one loop gives the processor two independent
// chains to overlap.
func countPairs(counts []uint32, acc *[1 << ChunkBits]uint32, w, f *block, ws []uint16, add uint32) {
	j := 0
	for ; j+1 < len(ws); j += 2 {
		i1, i2 := ws[j]&(chunkWords-1), ws[j+1]&(chunkWords-1)
		m1, m2 := w[i1]&f[i1], w[i2]&f[i2]
		x1, x2 := uint32(i1)<<6, uint32(i2)<<6
		for m1 != 0 && m2 != 0 {
			counts[acc[x1|uint32(bits.TrailingZeros64(m1))]+add]++
			counts[acc[x2|uint32(bits.TrailingZeros64(m2))]+add]++
			m1 &= m1 - 1
			m2 &= m2 - 1
		}
		for ; m1 != 0; m1 &= m1 - 1 {
			counts[acc[x1|uint32(bits.TrailingZeros64(m1))]+add]++
		}
		for ; m2 != 0; m2 &= m2 - 1 {
			counts[acc[x2|uint32(bits.TrailingZeros64(m2))]+add]++
		}
	}
	for ; j < len(ws); j++ {
		i := ws[j] & (chunkWords - 1)
		x := uint32(i) << 6
		for m := w[i] & f[i]; m != 0; m &= m - 1 {
			counts[acc[x|uint32(bits.TrailingZeros64(m))]+add]++
		}
	}
}

// countParts is countMulti part after part over the whole chunk.
func (p *Plan) countParts(s *Scratch, parts []*Node, key int, f *block, sel []uint16, acc *[1 << ChunkBits]uint32, stride uint32, first bool, counts []uint32) {
	for k, n := range parts {
		add := uint32(k) * stride
		if c := n.F.get(key); n.Op == Leaf && c.kind == kArray {
			for _, v := range c.vals {
				if f[v>>6]&(1<<(v&63)) != 0 {
					if first {
						counts[add]++
					} else {
						counts[acc[v]+add]++
					}
				}
			}
			continue
		}
		w := p.part(s, n, key, sel)
		for _, i := range sel {
			i &= chunkWords - 1
			x := uint32(i) << 6
			m := w[i] & f[i]
			if first {
				counts[add] += uint32(bits.OnesCount64(m))
				continue
			}
			for ; m != 0; m &= m - 1 {
				counts[acc[x|uint32(bits.TrailingZeros64(m))]+add]++
			}
		}
	}
}
