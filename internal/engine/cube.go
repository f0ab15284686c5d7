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
	// Missing adds a coordinate, after the parts, for the customers in
	// none of them.
	Missing bool
	// Known, when set, is a Leaf of the customers in some part: the
	// union of the parts, read instead of made.
	Known *Node

	band *[256]uint8 // banded, with Codes: code -> band, noBand outside all
}

const noBand = 0xFF

// CountCube adds to counts, for every cell of the cross product of dims (in
// row-major order: the last dimension varies fastest), the number of
// customers the plan selects that lie in the cell: CountCells without a
// score.
func (p *Plan) CountCube(s *Scratch, dims []CubeDim, counts []uint64) {
	p.CountCells(s, dims, nil, &Cells{Counts: counts})
}

// maxOut is the number of chunks whose counts a cell of CountCells'
// uint32 counts can hold.
const maxOut = 1<<(32-ChunkBits) - 1

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
