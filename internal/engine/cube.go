package engine

import (
	"math"
	"math/bits"
)

// CubeDim is one dimension of a cube count: a customer in Parts[k] has
// coordinate k. The parts of a dimension are disjoint, except in the one
// dimension of a cube that may be Multi (a Set field, where a customer
// counts once in every part it is in). Parts are Leaf or Range nodes.
type CubeDim struct {
	Parts []*Node
	Multi bool
	// Above, when set, makes the dimension banded: Parts are consecutive
	// value ranges of one field from below its minimum to its maximum, and
	// Above[k] selects the values >= the lower bound of Parts[k+1]. Band k is
	// then Above[k-1] minus Above[k]: one one-sided comparison per band,
	// each on the words of the one before.
	Above []*Node

	band *[256]uint8 // banded, with Codes: code -> band, noBand outside all
}

const noBand = 0xFF

// CountCube adds to counts, for every cell of the cross product of dims (in
// row-major order: the last dimension varies fastest), the number of
// customers the plan selects that lie in the cell. Customers outside every
// part of some dimension are not counted. At most one dimension may be
// Multi; counts must have the product of the dimensions' sizes.
//
// Per chunk, it evaluates the filter, then gives each selected customer its
// cell offset by walking the set bits of each part (a packed code made on
// the fly from the bitmaps, in cache), and counts once per customer.
func (p *Plan) CountCube(s *Scratch, dims []CubeDim, counts []uint64) {
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
				p.bands(s, d, key, f, union, acc, sel, strides[di], first)
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

// maxOut is the number of chunks whose counts a cell of CountCube's
// uint32 counts can hold.
const maxOut = 1<<(32-ChunkBits) - 1

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

// part returns the words of a cube part in the chunk, valid at sel.
func (p *Plan) part(s *Scratch, n *Node, key int, sel []uint16) *block {
	switch n.Op {
	case Leaf:
		return s.dense(n.F.get(key), s.mat)
	case Range:
		out := s.block(1)
		p.rangeInto(s, n, key, out, sel, 2)
		return out
	}
	return s.zeros
}

func (s *Scratch) mat2() *block {
	if s.union == nil {
		s.union = new(block)
	}
	return s.union
}

// bandTable returns the band of every code of a banded dimension whose
// field has a Codes column, or nil. Bands of up to 255 are supported.
func bandTable(d CubeDim) *[256]uint8 {
	if d.Above == nil || len(d.Parts) == 0 || len(d.Parts) >= noBand {
		return nil
	}
	p0 := d.Parts[0]
	if p0.Op != Range || p0.Codes == nil || p0.BSI == nil {
		return nil
	}
	t := new([256]uint8)
	for c := range t {
		t[c] = noBand
		if p0.BSI.Offset > 0 && int64(c) > math.MaxInt64-p0.BSI.Offset {
			continue // no value: Offset + c passes math.MaxInt64
		}
		v := p0.BSI.Offset + int64(c)
		for k, part := range d.Parts {
			if part.Codes != p0.Codes || part.BSI != p0.BSI {
				return nil
			}
			if v >= part.Lo && v <= part.Hi {
				t[c] = uint8(k)
				break
			}
		}
	}
	t[NoCode] = noBand
	return t
}

// bandsByCode is bands for a field with a Codes column: one byte per
// customer gives its band.
func bandsByCode(d CubeDim, key int, f, union *block, acc *[1 << ChunkBits]uint32, sel []uint16, stride uint32, first bool) {
	pg := d.Parts[0].Codes.page(key)
	for _, i := range sel {
		i &= chunkWords - 1
		if pg == nil {
			union[i] = 0
			continue
		}
		m, u := f[i], uint64(0)
		x := uint32(i) << 6
		if m == ^uint64(0) {
			union[i] = bandsWord(d.band, (*[64]uint8)(pg[x:x+64]), (*[64]uint32)(acc[x:x+64]), stride, first)
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
	}
}

// bandsWord is bandsByCode for the 64 customers of a full word, without
// a branch per customer: it sets the offset of every customer (one
// without a band gets a wrong one, outside the returned word) and returns
// those with a band.
func bandsWord(band *[256]uint8, codes *[64]uint8, acc *[64]uint32, stride uint32, first bool) uint64 {
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
func (p *Plan) bands(s *Scratch, d CubeDim, key int, f, union *block, acc *[1 << ChunkBits]uint32, sel []uint16, stride uint32, first bool) {
	if d.band != nil {
		bandsByCode(d, key, f, union, acc, sel, stride, first)
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
