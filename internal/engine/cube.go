package engine

import (
	"math"
	"math/bits"
)

// CubeDim is one dimension of a cube count: a customer in Parts[k] has
// coordinate k. The parts of a dimension are disjoint, except in a Multi
// dimension (a Set field, where a customer counts once in every part it is
// in). Parts are Leaf or Range nodes.
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

	band32 *[256]uint32 // banded, with Codes: code -> offset
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
func (p *Plan) part(s *Scratch, n *Node, key int, sel []uint16) *Block {
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

func (s *Scratch) mat2() *Block {
	if s.union == nil {
		s.union = new(Block)
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
// customer gives its offset (band32). Every known customer is in a band,
// so the customers with a band are f's known ones; every customer of a word
// with one gets an offset (those outside f one that is never read), so
// that no customer costs a branch.
func bandsByCode(s *Scratch, d CubeDim, key int, f, union *Block, acc *[1 << ChunkBits]uint32, sel []uint16, first bool) {
	pg := d.Parts[0].Codes.page(key)
	if pg == nil {
		for _, i := range sel {
			union[i&(chunkWords-1)] = 0
		}
		return
	}
	known := s.dense(d.Parts[0].F.get(key), s.mat)
	for _, i := range sel {
		i &= chunkWords - 1
		u := f[i] & known[i]
		union[i] = u
		if u == 0 {
			continue
		}
		x := uint32(i) << 6
		codesWord(d.band32, (*[64]uint8)(pg[x:x+64]), (*[64]uint32)(acc[x:x+64]), first)
	}
}

// codesWord sets (adds, unless first) the offset of the code of each of 64
// customers.
func codesWord(t *[256]uint32, codes *[64]uint8, acc *[64]uint32, first bool) {
	if first {
		for j, c := range codes {
			acc[j] = t[c]
		}
		return
	}
	for j, c := range codes {
		acc[j] += t[c]
	}
}

// band32 returns the offsets of a banded dimension's codes: band times
// stride, 0 for codes in no band (no customer has them).
func band32(t *[256]uint8, stride uint32) *[256]uint32 {
	if t == nil {
		return nil
	}
	out := new([256]uint32)
	for c, b := range t {
		if b != noBand {
			out[c] = uint32(b) * stride
		}
	}
	return out
}

// bands gives the customers of f (valid at sel) their cell offset in a
// banded dimension, and sets union to those with a value.
func (p *Plan) bands(s *Scratch, d CubeDim, key int, f, union *Block, acc *[1 << ChunkBits]uint32, sel []uint16, stride uint32, first bool) {
	if d.band32 != nil {
		bandsByCode(s, d, key, f, union, acc, sel, first)
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
