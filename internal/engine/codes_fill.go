package engine

import "encoding/binary"

// codeScratch holds the words of one chunk of an index while BuildCodes
// makes its page: the known customers and each plane, as dense words, and
// spread, which spreads the bits of a byte into the low bits of 8 bytes.
type codeScratch struct {
	known  Block
	planes [maxCodeDepth]Block
	spread [256]uint64
}

func newCodeScratch() *codeScratch {
	s := new(codeScratch)
	for b := range s.spread {
		for k := range 8 {
			s.spread[b] |= uint64(b>>k&1) << (8 * k)
		}
	}
	return s
}

// words returns the words of c: its own for a bitmap container, else w
// filled with them.
func words(c *cont, w *Block) *Block {
	switch c.kind {
	case kBitmap:
		return c.words
	case kArray:
		if lw := c.lazy.Load(); lw != nil {
			return lw
		}
		*w = Block{}
		setArray(w, c.vals)
	case kRun:
		*w = Block{}
		for j := 0; j+1 < len(c.vals); j += 2 {
			setRange(w, int(c.vals[j]), int(c.vals[j])+int(c.vals[j+1])+1)
		}
	case kFull:
		for i := range w {
			w[i] = ^uint64(0)
		}
	default:
		*w = Block{}
	}
	return w
}

// codePage writes the codes of chunk key of an index into pg, a word of
// customers at a time: 8 customers' codes are the spread bytes of the
// planes shifted by their bit, and NoCode where a customer is not known.
// It reports false when a known customer's code would be NoCode.
func (s *codeScratch) codePage(pg *[1 << ChunkBits]uint8, key int, known *Frozen, planes []*Frozen) bool {
	kw := words(known.get(key), &s.known)
	var pw [maxCodeDepth]*Block
	for j, pl := range planes {
		pw[j] = words(pl.get(key), &s.planes[j])
	}
	np := len(planes)
	for i := range chunkWords {
		k := kw[i]
		out := pg[64*i : 64*i+64 : 64*i+64]
		if k == 0 {
			for g := range 8 {
				binary.LittleEndian.PutUint64(out[8*g:], ^uint64(0))
			}
			continue
		}
		var ws [maxCodeDepth]uint64
		all := k
		for j := range np {
			ws[j] = pw[j][i]
			all &= ws[j]
		}
		if np == 8 && all != 0 {
			return false // a value of 255 above the offset
		}
		for g := range 8 {
			sh := 8 * g
			v := s.spread[byte(^k>>sh)] * 0xFF
			for j := range np {
				v |= s.spread[byte(ws[j]>>sh)] << j
			}
			binary.LittleEndian.PutUint64(out[8*g:], v)
		}
	}
	return true
}
