package engine

import "math/bits"

// CellSum is a score whose sum CountCells adds up in every cell: the views
// of an index's customers with a value and of its bit planes (low bit
// first). The sums are of the planes' values, without the index's offset.
type CellSum struct {
	Known  *Frozen
	Planes []*Frozen
}

// Cells receives the totals of CountCells, one per cell of the cross
// product of the dimensions, in row-major order (the last dimension varies
// fastest). Counts is required; Known, Lo and Hi only with a CellSum.
type Cells struct {
	Counts []uint64 // the members of the cell (a customer of a Multi dimension once per part)
	Known  []uint64 // the members with a value of the score
	Lo, Hi []uint64 // the sum of the score's plane values over them, in 128 bits
}

// cellScratch is the working memory of one CountCells call beyond the
// Scratch: lists of a chunk's customers, and with a score their values.
type cellScratch struct {
	list  []uint16 // a chunk's customers, flattened
	tmp   Block    // words to flatten
	val   []uint64 // with a score: the plane value of each customer of the chunk
	known *Block   // with a score: the customers of the chunk with a value (read-only)
	kbuf  Block    // known, made dense

	levels []cellLevel // countOuter's working memory, by depth
}

// cellLevel is countOuter's working memory at one depth: the customers of
// the current part, and those of the parts so far (for Missing).
type cellLevel struct {
	f, union *Block
	sel      []uint16
}

// CountCells adds to c, for every cell of the cross product of dims, the
// customers the plan selects that lie in the cell, and with sum their
// number with a score and the sum of their scores. A dimension has one
// coordinate per part, and with Missing one more, last, for the customers
// in none of its parts; a customer in no part of a dimension without
// Missing is in no cell. c's slices must have the product of the
// dimensions' sizes.
//
// Per chunk, it evaluates the filter, then gives each selected customer its
// cell offset in acc, dimension after dimension (a part's members as a list
// of IDs, or a band per byte of a code column), and last counts each
// customer once, or once per part of the Multi dimension, from lists of
// the members of each part: one increment per (customer, part) pair,
// without a branch per customer. With several Multi dimensions, a customer
// counts once per combination of their parts it is in: the chunk is
// counted once per part of all but the last, narrowed to its members.
// Counts are kept in 32 bits, in cache, and added to c every maxOut
// chunks.
func (p *Plan) CountCells(s *Scratch, dims []CubeDim, sum *CellSum, c *Cells) {
	bandT := make([]*[256]uint8, len(dims))
	for i, d := range dims {
		for _, n := range append(d.Parts[:len(d.Parts):len(d.Parts)], d.Above...) {
			if n.Op == Range && n.rng == nil {
				prepare(n, 0)
			}
		}
		bandT[i] = bandTable(d)
	}
	l := newCellLayout(dims)
	band32T := make([]*[256]uint32, len(dims))
	for i := range dims {
		band32T[i] = band32(bandT[i], l.strides[i])
	}
	cs := &cellScratch{list: make([]uint16, 1<<ChunkBits+flatSlack), levels: make([]cellLevel, len(l.outer))}
	out := make([]uint32, l.size+1) // a spare cell for stale offsets
	var known []uint32
	var lo, hi []uint64
	if sum != nil {
		cs.val = make([]uint64, 1<<ChunkBits)
		known = make([]uint32, l.size+1)
		lo, hi = make([]uint64, l.size+1), make([]uint64, l.size+1)
	}
	if s.acc == nil {
		s.acc = new([1 << ChunkBits]uint32)
	}
	acc := s.acc
	done := 0
	for key := range p.chunks {
		if p.live.get(key).kind == kAbsent {
			continue
		}
		f := s.block(0)
		sel := p.eval(s, p.root, key, f, s.all, 1)
		sel = nonZero(s.sel(0), f, sel)
		first := true
		for di, d := range dims {
			if d.Multi || len(sel) == 0 {
				continue
			}
			union := s.mat2()
			stride := l.strides[di]
			if d.Above != nil {
				d.band32 = band32T[di]
				p.bands(s, d, key, f, union, acc, sel, stride, first)
			} else {
				if d.Known != nil {
					union = s.dense(d.Known.F.get(key), union)
				} else {
					for _, i := range sel {
						union[i&(chunkWords-1)] = 0
					}
				}
				for k, n := range d.Parts {
					p.assignPart(s, cs, n, key, f, sel, d.Known == nil, union, acc, uint32(k)*stride, first)
				}
			}
			if d.Missing {
				for _, i := range sel {
					i &= chunkWords - 1
					cs.tmp[i] = f[i] &^ union[i]
				}
				list := cs.flatten(sel)
				assign(acc, list, uint32(len(d.Parts))*stride, first)
			} else {
				sel = andCompact(f, union, sel, false)
			}
			first = false
		}
		if len(sel) == 0 {
			continue
		}
		if first {
			// No dimension but the Multi one (or none): every offset is 0.
			for _, i := range sel {
				i &= chunkWords - 1
				clear(acc[int(i)<<6 : int(i+1)<<6])
			}
		}
		if sum != nil {
			cs.values(s, sum, key, f, sel)
		}
		if l.multi < 0 {
			for _, i := range sel {
				i &= chunkWords - 1
				cs.tmp[i] = f[i]
			}
			cs.count(out, known, lo, hi, acc, cs.flatten(sel), 0)
		} else {
			p.countOuter(s, cs, dims, &l, l.outer, key, f, sel, acc, sum != nil, out, known, lo, hi)
		}
		if done++; done == maxOut {
			l.flush(c, out, known, lo, hi)
			done = 0
		}
	}
	l.flush(c, out, known, lo, hi)
}

// countOuter counts the customers of f (valid at sel), at their offsets in
// acc, in every part of the Multi dimensions outer and then of the last
// one: part after part of outer[0], it narrows f to the part's members and
// adds the part's offset to theirs for the rest, then takes it back.
func (p *Plan) countOuter(s *Scratch, cs *cellScratch, dims []CubeDim, l *cellLayout, outer []int, key int, f *Block, sel []uint16, acc *[1 << ChunkBits]uint32, sums bool, out, known []uint32, lo, hi []uint64) {
	if len(outer) == 0 {
		p.countMulti(s, cs, dims[l.multi], l, key, f, sel, acc, sums, len(l.outer) == 0, out, known, lo, hi)
		return
	}
	d := dims[outer[0]]
	lv := &cs.levels[len(outer)-1]
	if lv.f == nil {
		lv.f, lv.union, lv.sel = new(Block), new(Block), make([]uint16, 0, chunkWords)
	}
	fk, union := lv.f, lv.union
	// Sparse parts test their values against f at any word: fk, like f,
	// must be zero outside sel.
	if len(sel) < chunkWords {
		clear(fk[:])
	}
	if d.Missing {
		for _, i := range sel {
			union[i&(chunkWords-1)] = 0
		}
	}
	stride := l.strides[outer[0]]
	for k := 0; k <= len(d.Parts); k++ {
		if k == len(d.Parts) {
			if !d.Missing {
				break
			}
			for _, i := range sel {
				i &= chunkWords - 1
				fk[i] = f[i] &^ union[i]
			}
		} else {
			w := p.part(s, d.Parts[k], key, sel)
			for _, i := range sel {
				i &= chunkWords - 1
				fk[i] = w[i] & f[i]
				union[i] |= fk[i]
			}
		}
		selk := nonZero(lv.sel[:0], fk, sel)
		if len(selk) == 0 {
			continue
		}
		add := uint32(k) * stride
		copySel(&cs.tmp, fk, selk)
		for _, v := range cs.flatten(selk) {
			acc[v] += add
		}
		p.countOuter(s, cs, dims, l, outer[1:], key, fk, selk, acc, sums, out, known, lo, hi)
		copySel(&cs.tmp, fk, selk)
		for _, v := range cs.flatten(selk) {
			acc[v] -= add
		}
	}
}

// countMulti counts the customers of f (valid at sel), at their offsets in
// acc, once in every part of the Multi dimension d they are in. spareOK
// says that the offsets of customers outside f may be overwritten.
func (p *Plan) countMulti(s *Scratch, cs *cellScratch, d CubeDim, l *cellLayout, key int, f *Block, sel []uint16, acc *[1 << ChunkBits]uint32, sums, spareOK bool, out, known []uint32, lo, hi []uint64) {
	union := s.mat2()
	track := d.Missing && d.Known == nil
	switch {
	case track:
		for _, i := range sel {
			union[i&(chunkWords-1)] = 0
		}
	case d.Missing:
		union = s.dense(d.Known.F.get(key), union)
	}
	stride := l.strides[l.multi]
	// With most of the chunk in f, the others get the offset of the spare
	// row, so that a sparse part counts its values without testing f.
	spare := spareOK && popSel(f, sel) >= 1<<ChunkBits/2
	if spare {
		spareOffsets(acc, f, sel, l.spare)
	}
	for k, n := range d.Parts {
		add := uint32(k) * stride
		if c := n.F.get(key); n.Op == Leaf && c.kind == kArray && !track && !sums {
			if spare {
				countAll(out, acc, c.vals, add)
			} else {
				countArray(out, acc, c.vals, f, add)
			}
			continue
		}
		var list []uint16
		if track {
			list = p.members(s, cs, n, key, f, sel, union)
		} else {
			list = p.members(s, cs, n, key, f, sel, nil)
		}
		cs.count(out, known, lo, hi, acc, list, add)
	}
	if d.Missing {
		for _, i := range sel {
			i &= chunkWords - 1
			cs.tmp[i] = f[i] &^ union[i]
		}
		cs.count(out, known, lo, hi, acc, cs.flatten(sel), uint32(len(d.Parts))*stride)
	}
}

// members returns the members of the part n that f has (f valid at sel and
// zero elsewhere), as a list of IDs of the chunk, and adds them to union
// unless it is nil.
func (p *Plan) members(s *Scratch, cs *cellScratch, n *Node, key int, f *Block, sel []uint16, union *Block) []uint16 {
	if c := n.F.get(key); n.Op == Leaf && c.kind == kArray {
		// A sparse part: filter its values by f, without a branch.
		list := cs.list[:len(c.vals)]
		k := 0
		for _, v := range c.vals {
			list[k] = v
			k += int(f[v>>6]>>(v&63)) & 1
		}
		list = list[:k]
		if union != nil {
			for _, v := range list {
				union[v>>6] |= 1 << (v & 63)
			}
		}
		return list
	}
	w := p.part(s, n, key, sel)
	cnt := 0
	if union != nil {
		for _, i := range sel {
			i &= chunkWords - 1
			m := w[i] & f[i]
			cs.tmp[i] = m
			union[i] |= m
			cnt += bits.OnesCount64(m)
		}
	} else {
		for _, i := range sel {
			i &= chunkWords - 1
			m := w[i] & f[i]
			cs.tmp[i] = m
			cnt += bits.OnesCount64(m)
		}
	}
	return cs.flattenN(sel, cnt)
}

// assignPart adds add to the offsets of the members of the part n (sets
// them when first), and when track adds them to union. The offsets of
// customers f does not have are not read: a sparse part's are written
// too, so that its values need no test.
func (p *Plan) assignPart(s *Scratch, cs *cellScratch, n *Node, key int, f *Block, sel []uint16, track bool, union *Block, acc *[1 << ChunkBits]uint32, add uint32, first bool) {
	if c := n.F.get(key); n.Op == Leaf && c.kind == kArray && !track {
		assign(acc, c.vals, add, first)
		return
	}
	assign(acc, p.members(s, cs, n, key, f, sel, union), add, first)
}

// countArray adds the members of a sparse part to out at their offset plus
// add: every value counts, by 1 when f has it and by 0 when not (in the
// cell of its stale offset, or the spare last one), without a branch.
func countArray(out []uint32, acc *[1 << ChunkBits]uint32, vals []uint16, f *Block, add uint32) {
	last := uint32(len(out) - 1)
	for _, v := range vals {
		out[min(acc[v]+add, last)] += uint32(f[v>>6]>>(v&63)) & 1
	}
}

// spareOffsets gives every customer of the chunk outside f (valid at sel)
// the offset of the spare row.
func spareOffsets(acc *[1 << ChunkBits]uint32, f *Block, sel []uint16, spare uint32) {
	j := 0
	for i := range chunkWords {
		m := ^uint64(0)
		if j < len(sel) && int(sel[j]) == i {
			m = ^f[i]
			j++
		}
		x := i << 6
		if m == ^uint64(0) {
			w := (*[64]uint32)(acc[x : x+64])
			for k := range w {
				w[k] = spare
			}
			continue
		}
		for ; m != 0; m &= m - 1 {
			acc[x|bits.TrailingZeros64(m)] = spare
		}
	}
}

// countAll adds the members of a sparse part to out at their offset plus
// add, those outside f in the spare row.
func countAll(out []uint32, acc *[1 << ChunkBits]uint32, vals []uint16, add uint32) {
	for _, v := range vals {
		out[acc[v]+add]++
	}
}

// flatten returns the IDs of the bits of cs.tmp at sel.
func (cs *cellScratch) flatten(sel []uint16) []uint16 {
	return cs.flattenN(sel, int(popSel(&cs.tmp, sel)))
}

// flattenN is flatten for n bits.
func (cs *cellScratch) flattenN(sel []uint16, n int) []uint16 {
	if n == 0 {
		return nil
	}
	flatten16(cs.list, &cs.tmp, sel, n)
	return cs.list[:n]
}

// assign adds add to the offsets of the customers of list (sets them to it
// when first).
func assign(acc *[1 << ChunkBits]uint32, list []uint16, add uint32, first bool) {
	if first {
		for _, v := range list {
			acc[v] = add
		}
		return
	}
	for _, v := range list {
		acc[v] += add
	}
}

// count adds the customers of list to out at their offset plus add, and
// with a score (known non-nil) their values to known, lo and hi.
func (cs *cellScratch) count(out, known []uint32, lo, hi []uint64, acc *[1 << ChunkBits]uint32, list []uint16, add uint32) {
	if known == nil {
		countList(out, acc, list, add)
		return
	}
	kw := cs.known
	for _, v := range list {
		c := acc[v] + add
		out[c]++
		known[c] += uint32(kw[v>>6]>>(v&63)) & 1
		var carry uint64
		lo[c], carry = bits.Add64(lo[c], cs.val[v], 0)
		hi[c] += carry
	}
}

// countList adds the customers of list to out at their offset plus add,
// two independent chains at a time.
func countList(out []uint32, acc *[1 << ChunkBits]uint32, list []uint16, add uint32) {
	j := 0
	for ; j+1 < len(list); j += 2 {
		out[acc[list[j]]+add]++
		out[acc[list[j+1]]+add]++
	}
	if j < len(list) {
		out[acc[list[j]]+add]++
	}
}

// values writes the plane value of every customer of f (at sel) into
// cs.val and the customers with a value into cs.known.
func (cs *cellScratch) values(s *Scratch, sum *CellSum, key int, f *Block, sel []uint16) {
	cs.known = s.dense(sum.Known.get(key), &cs.kbuf)
	for _, i := range sel {
		i &= chunkWords - 1
		clear(cs.val[int(i)<<6 : int(i+1)<<6])
	}
	for j, pl := range sum.Planes {
		w := s.dense(pl.get(key), s.mat)
		for _, i := range sel {
			i &= chunkWords - 1
			cs.tmp[i] = w[i] & f[i]
		}
		bit := uint64(1) << j
		for _, v := range cs.flatten(sel) {
			cs.val[v] |= bit
		}
	}
}
