package engine

import "math/bits"

// The CountCube kernel before CountCells, kept for A/B measurement.

// CountCube adds to counts, for every cell of the cross product of dims (in
// row-major order: the last dimension varies fastest), the number of
// customers the plan selects that lie in the cell. Customers outside every
// part of some dimension are not counted. At most one dimension may be
// Multi; counts must have the product of the dimensions' sizes.
//
// Per chunk, it evaluates the filter, then gives each selected customer its
// cell offset by walking the set bits of each part (a packed code made on
// the fly from the bitmaps, in cache), and counts once per customer.
func (p *Plan) CountCubeOld(s *Scratch, dims []CubeDim, counts []uint64) {
	bandT := make([]*[256]uint8, len(dims))
	for i, d := range dims {
		for _, n := range append(d.Parts[:len(d.Parts):len(d.Parts)], d.Above...) {
			if n.Op == Range && n.rng == nil {
				prepare(n, 0)
			}
		}
		bandT[i] = bandTable(d)
	}
	strides, multi, out := cubeLayout(dims, counts)
	if s.acc == nil {
		s.acc = new([1 << ChunkBits]uint32)
	}
	acc := s.acc
	var cur []int // countMulti's cursors
	if multi >= 0 {
		cur = make([]int, len(dims[multi].Parts))
	}
	done := 0 // chunks counted in out since unmulti
	for key := range p.chunks {
		if p.live.get(key).kind == kAbsent {
			continue
		}
		f := s.block(0)
		sel := p.eval(s, p.root, key, f, s.all, 1)
		sel = nonZero(s.sel(0), f, sel)
		first := true
		for di, d := range dims {
			if di == multi || len(sel) == 0 {
				continue
			}
			union := s.mat2()
			if d.Above != nil {
				d.band = bandT[di]
				p.bandsOld(s, d, key, f, union, acc, sel, strides[di], first)
				first = false
				sel = andCompact(f, union, sel, false)
				continue
			}
			for _, i := range sel {
				union[i&(chunkWords-1)] = 0
			}
			for k, n := range d.Parts {
				add := uint32(k) * strides[di]
				if c := n.F.get(key); n.Op == Leaf && c.kind == kArray {
					// A sparse part: walk its values, not the chunk's words.
					for _, v := range c.vals {
						i, bit := v>>6, uint64(1)<<(v&63)
						if f[i]&bit == 0 {
							continue
						}
						union[i] |= bit
						if first {
							acc[v] = add
						} else {
							acc[v] += add
						}
					}
					continue
				}
				w := p.part(s, n, key, sel)
				for _, i := range sel {
					i &= chunkWords - 1
					m := w[i] & f[i]
					union[i] |= m
					x := uint32(i) << 6
					if first {
						for m != 0 {
							acc[x|uint32(bits.TrailingZeros64(m))] = add
							m &= m - 1
						}
					} else {
						for m != 0 {
							acc[x|uint32(bits.TrailingZeros64(m))] += add
							m &= m - 1
						}
					}
				}
			}
			first = false
			sel = andCompact(f, union, sel, false)
		}
		if len(sel) == 0 {
			continue
		}
		if multi < 0 {
			if first { // no dimensions: one cell
				counts[0] += popSel(f, sel)
				continue
			}
			for _, i := range sel {
				i &= chunkWords - 1
				x := uint32(i) << 6
				for m := f[i]; m != 0; m &= m - 1 {
					counts[acc[x|uint32(bits.TrailingZeros64(m))]]++
				}
			}
			continue
		}
		p.countMulti(s, dims[multi].Parts, key, f, sel, acc, strides[multi], first, cur, out)
		if done++; done == maxOut {
			unmulti(dims, multi, counts, out)
			done = 0
		}
	}
	if multi >= 0 {
		unmulti(dims, multi, counts, out)
	}
}

// cubeLayout returns the stride of every dimension in the counts CountCube
// fills, the index of the Multi dimension or -1, and, with a Multi
// dimension, the counts to fill, for unmulti to add to counts.
//
// A Multi dimension is counted part by part, each part's customers adding
// to their row (their cell in the other dimensions) in the part's stride of
// counts. With the Multi dimension first, a part's rows are consecutive
// (a few kilobytes, in cache, for a small cube); in row-major order, they
// are spread over the whole of counts, each increment another cache line.
// Counts of 32 bits halve the cache lines.
func cubeLayout(dims []CubeDim, counts []uint64) (strides []uint32, multi int, out []uint32) {
	strides = make([]uint32, len(dims))
	stride := uint32(1)
	multi = -1
	for i := len(dims) - 1; i >= 0; i-- {
		if dims[i].Multi {
			multi = i
			continue
		}
		strides[i] = stride
		stride *= uint32(len(dims[i].Parts))
	}
	if multi < 0 {
		return strides, multi, nil
	}
	strides[multi] = stride
	return strides, multi, make([]uint32, len(counts)+1) // a spare cell for countMulti
}

// unmulti adds to counts, in row-major order, the counts of src laid out
// as cubeLayout says (the Multi dimension first, the others in order), and
// clears src.
func unmulti(dims []CubeDim, multi int, counts []uint64, src []uint32) {
	lo := 1 // the cells of one coordinate of the dimensions after multi
	for _, d := range dims[multi+1:] {
		lo *= len(d.Parts)
	}
	n := len(dims[multi].Parts)
	hi := len(counts) / (n * lo)
	rows := hi * lo
	defer clear(src)
	for h := range hi {
		for k := range n {
			dst := counts[(h*n+k)*lo : (h*n+k+1)*lo]
			for j, c := range src[k*rows+h*lo : k*rows+(h+1)*lo] {
				dst[j] += uint64(c)
			}
		}
	}
}

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

// bandsByCode is bands for a field with a Codes column: one byte per
// customer gives its band. Every customer of a word with one in f gets an
// offset (those outside f one that is never read), so that no customer
// costs a branch.
func bandsByCodeOld(d CubeDim, key int, f, union *block, acc *[1 << ChunkBits]uint32, sel []uint16, stride uint32, first bool) {
	pg := d.Parts[0].Codes.page(key)
	for _, i := range sel {
		i &= chunkWords - 1
		if pg == nil {
			union[i] = 0
			continue
		}
		x := uint32(i) << 6
		if true {
			m, u := f[i], uint64(0)
			if m == ^uint64(0) {
				union[i] = bandsWordOld(d.band, (*[64]uint8)(pg[x:x+64]), (*[64]uint32)(acc[x:x+64]), stride, first)
				continue
			}
			for ; m != 0; m &= m - 1 {
				v := x | uint32(bits.TrailingZeros64(m))
				b := d.band[pg[v]] // NoCode (no value) maps to noBand
				if b == noBand {
					continue
				}
				u |= m & -m
				if first {
					acc[v] = uint32(b) * stride
				} else {
					acc[v] += uint32(b) * stride
				}
			}
			union[i] = u
			continue
		}
		union[i] = f[i] & bandsWordOld(d.band, (*[64]uint8)(pg[x:x+64]), (*[64]uint32)(acc[x:x+64]), stride, first)
	}
}

// bandsWord is bandsByCode for the 64 customers of a full word, without
// a branch per customer: it sets the offset of every customer (one
// without a band gets a wrong one, outside the returned word) and returns
// those with a band.
func bandsWordOld(band *[256]uint8, codes *[64]uint8, acc *[64]uint32, stride uint32, first bool) uint64 {
	var u uint64
	if first {
		for j, c := range codes {
			b := uint32(band[c])
			u |= uint64((b-noBand)>>31) << j // b < noBand wraps
			acc[j] = b * stride
		}
		return u
	}
	for j, c := range codes {
		b := uint32(band[c])
		u |= uint64((b-noBand)>>31) << j
		acc[j] += b * stride
	}
	return u
}

// bands gives the customers of f (valid at sel) their cell offset in a
// banded dimension, and sets union to those with a value.
func (p *Plan) bandsOld(s *Scratch, d CubeDim, key int, f, union *block, acc *[1 << ChunkBits]uint32, sel []uint16, stride uint32, first bool) {
	if d.band != nil {
		bandsByCodeOld(d, key, f, union, acc, sel, stride, first)
		return
	}
	known := s.dense(d.Parts[0].F.get(key), s.mat)
	cur, nxt := s.block(4), s.block(5)
	cs := s.sel(4)
	for _, i := range sel {
		i &= chunkWords - 1
		w := known[i] & f[i]
		cur[i], union[i] = w, w
		if w != 0 {
			cs = append(cs, i)
		}
	}
	alt := 5
	for k := range d.Parts {
		if len(cs) == 0 {
			return
		}
		add := uint32(k) * stride
		ns := s.sel(alt)
		next := k < len(d.Above)
		if next {
			p.rangeInto(s, d.Above[k], key, nxt, cs, 2)
		}
		for _, i := range cs {
			i &= chunkWords - 1
			var up uint64
			if next {
				up = nxt[i] & cur[i]
			}
			m := cur[i] &^ up
			nxt[i] = up
			if up != 0 {
				ns = append(ns, i)
			}
			x := uint32(i) << 6
			if first {
				for ; m != 0; m &= m - 1 {
					acc[x|uint32(bits.TrailingZeros64(m))] = add
				}
			} else {
				for ; m != 0; m &= m - 1 {
					acc[x|uint32(bits.TrailingZeros64(m))] += add
				}
			}
		}
		cur, nxt = nxt, cur
		cs, alt = ns, 9-alt
	}
}
