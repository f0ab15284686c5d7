package engine

import (
	"math/bits"
	"slices"
)

// Kernels over one chunk: a Block is the chunk's 1,024 words; sel lists the
// word indexes that matter, in increasing order. Words outside sel are left
// as they are.

// Scratch is the working memory of one evaluation: blocks and word lists
// reused from chunk to chunk and from call to call. A Scratch is used by one
// goroutine at a time; callers keep them in a pool they own.
type Scratch struct {
	blocks   []*Block                // by plan depth
	sels     [][]uint16              // by plan depth
	mat      *Block                  // a leaf container made dense
	pbuf     []*Block                // range kernel: planes made dense
	all      []uint16                // 0..1023
	zeros    *Block                  // read-only
	ones     *Block                  // read-only
	grp      *Block                  // orCont: an array's words
	grpWs    []uint16                // orCont: the words of grp
	body     []byte                  // Eval: containers written so far
	hdr      []uint32                // Eval: key<<16 | card-1 per container
	acc      *[1 << ChunkBits]uint32 // CountCube: cell offset per ID of the chunk
	union    *Block                  // CountCube
	vbufs    [][]uint16              // value mode: by plan depth
	xs       []uint64                // value mode: values read from planes
	masks    *Block                  // whole-chunk range: an array plane's words
	nz       [chunkWords / 64]uint64 // whole-chunk range: words with undecided candidates
	hiRes    *Block                  // whole-chunk range: the upper bound's result
	conts    []*cont                 // whole-chunk range: the compared planes
	wbuf     []uint16                // range: an array plane's words
	ok       []bool                  // value mode: the candidates with a value
	und      []uint16                // value mode: candidates a range has not decided
	kidWords []*Block                // andOrLeaves: the words of an Or's kids
}

// NewScratch returns empty working memory.
func NewScratch() *Scratch {
	s := &Scratch{mat: new(Block), zeros: new(Block), ones: new(Block), masks: new(Block), hiRes: new(Block),
		grp: new(Block), all: make([]uint16, chunkWords), wbuf: make([]uint16, chunkWords), grpWs: make([]uint16, chunkWords)}
	for i := range s.all {
		s.all[i] = uint16(i)
		s.ones[i] = ^uint64(0)
	}
	return s
}

func (s *Scratch) block(depth int) *Block {
	for len(s.blocks) <= depth {
		s.blocks = append(s.blocks, new(Block))
	}
	return s.blocks[depth]
}

func (s *Scratch) sel(depth int) []uint16 {
	for len(s.sels) <= depth {
		s.sels = append(s.sels, make([]uint16, 0, chunkWords))
	}
	return s.sels[depth][:0]
}

// dense returns the words of c, made dense in dst when c is an array or
// runs. The result must not be written.
func (s *Scratch) dense(c *cont, dst *Block) *Block {
	switch c.kind {
	case kAbsent:
		return s.zeros
	case kFull:
		return s.ones
	case kBitmap:
		return c.words
	}
	if w := c.arrayWords(); w != nil {
		return w
	}
	clear(dst[:])
	setCont(dst, c)
	return dst
}

// setCont sets the bits of c in dst, whose words are zero.
func setCont(dst *Block, c *cont) {
	if w := c.arrayWords(); w != nil {
		*dst = *w
		return
	}
	if c.kind == kArray && !legacy {
		setArray(dst, c.vals)
		return
	}
	orInto(dst, c)
}

// setArray sets the bits of the sorted array vals in dst, whose words at
// vals are zero. The bits of a word gather in a register, and the word is
// stored at every value (the last store holds them all): ORing each value
// into memory would make the next value of the same word wait for that
// store (about 1.2 ns per value in a mid-frequency array, 3.6 values per
// word, against 0.4).
func setArray(dst *Block, vals []uint16) {
	prev, acc := uint16(0xFFFF), uint64(0)
	for _, v := range vals {
		w := v >> 6 & (chunkWords - 1)
		acc = acc&-uint64(b2i(w == prev)) | 1<<(v&63)
		dst[w] = acc
		prev = w
	}
}

// orCont sets the bits of c in dst. An array's words are gathered apart
// (see setArray) and ORed in once each.
func (s *Scratch) orCont(dst *Block, c *cont) {
	if w := c.arrayWords(); w != nil {
		orPass(dst, w)
		return
	}
	if c.kind != kArray || legacy {
		orInto(dst, c)
		return
	}
	for _, w := range groupArray(s.grp, c.vals, s.grpWs) {
		dst[w&(chunkWords-1)] |= s.grp[w&(chunkWords-1)]
	}
}

// orInto sets the bits of an array or run container in dst.
func orInto(dst *Block, c *cont) {
	switch c.kind {
	case kArray:
		for _, v := range c.vals {
			dst[v>>6] |= 1 << (v & 63)
		}
	case kRun:
		for j := 0; j+1 < len(c.vals); j += 2 {
			setRange(dst, int(c.vals[j]), int(c.vals[j])+int(c.vals[j+1])+1)
		}
	case kBitmap:
		orPass(dst, c.words)
	case kFull:
		for i := range dst {
			dst[i] = ^uint64(0)
		}
	}
}

// setRange sets bits [lo, hi) of dst.
func setRange(dst *Block, lo, hi int) {
	if lo >= hi {
		return
	}
	a, b := lo>>6, (hi-1)>>6
	first := ^uint64(0) << (lo & 63)
	last := ^uint64(0) >> (63 - (hi-1)&63)
	if a == b {
		dst[a] |= first & last
		return
	}
	dst[a] |= first
	for i := a + 1; i < b; i++ {
		dst[i] = ^uint64(0)
	}
	dst[b] |= last
}

// copySel sets out[i] = src[i] for i in sel.
func copySel(out, src *Block, sel []uint16) {
	if len(sel) == chunkWords {
		*out = *src
		return
	}
	for _, i := range sel {
		out[i&(chunkWords-1)] = src[i&(chunkWords-1)]
	}
}

// andCompact sets out[i] &= src[i] (or &^= when neg) for i in sel and
// returns the indexes whose word may still be non-zero, in sel's storage. On
// a whole chunk it is a plain pass, and the list stays whole while most
// words are non-zero.
func andCompact(out, src *Block, sel []uint16, neg bool) []uint16 {
	if len(sel) == chunkWords && useAVX512 && !legacy {
		var nz [chunkWords / 64]uint64
		if andPassAVX512(out, src, neg, &nz) >= chunkWords/8*7 {
			return sel
		}
		return maskWords(sel, &nz)
	}
	if len(sel) == chunkWords {
		if neg {
			for i := range out {
				out[i] &^= src[i]
			}
		} else {
			for i := range out {
				out[i] &= src[i]
			}
		}
		return keepWhole(out, sel)
	}
	n := 0
	if neg {
		for _, i := range sel {
			i &= chunkWords - 1
			w := out[i] &^ src[i]
			out[i] = w
			sel[n] = i
			n += b2i(w != 0)
		}
	} else {
		for _, i := range sel {
			i &= chunkWords - 1
			w := out[i] & src[i]
			out[i] = w
			sel[n] = i
			n += b2i(w != 0)
		}
	}
	return sel[:n]
}

// keepWhole returns sel, the whole chunk, when a sample says most words of
// b are non-zero (a list of them would save little), else the non-zero
// words (in sel's storage).
func keepWhole(b *Block, sel []uint16) []uint16 {
	if sampleUndecided(b) >= chunkWords/8*7/8 {
		return sel
	}
	return nonZero(sel, b, sel)
}

// orSel sets out[i] |= src[i] for i in sel.
func orSel(out, src *Block, sel []uint16) {
	for _, i := range sel {
		out[i&(chunkWords-1)] |= src[i&(chunkWords-1)]
	}
}

// nonZero appends to dst the indexes of sel whose word in b is not zero.
func nonZero(dst []uint16, b *Block, sel []uint16) []uint16 {
	if len(sel) == chunkWords {
		return nonZeroAll(dst, b)
	}
	dst = dst[:len(sel)]
	n := 0
	for _, i := range sel {
		dst[n] = i
		n += b2i(b[i&(chunkWords-1)] != 0)
	}
	return dst[:n]
}

// nonZeroAll is nonZero over every word of b: groups of eight zero words
// (common once a range has decided most words) are skipped at once.
func nonZeroAll(dst []uint16, b *Block) []uint16 {
	dst = dst[:chunkWords]
	n := 0
	for g := 0; g < chunkWords; g += 8 {
		w := (*[8]uint64)(b[g : g+8])
		if w[0]|w[1]|w[2]|w[3]|w[4]|w[5]|w[6]|w[7] == 0 {
			continue
		}
		for j, x := range w {
			dst[n&(chunkWords-1)] = uint16(g + j)
			n += b2i(x != 0)
		}
	}
	return dst[:n]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// popSel counts the bits of b's words in sel.
func popSel(b *Block, sel []uint16) uint64 {
	var n int
	if len(sel) == chunkWords {
		for _, w := range b {
			n += bits.OnesCount64(w)
		}
		return uint64(n)
	}
	for _, i := range sel {
		n += bits.OnesCount64(b[i&(chunkWords-1)])
	}
	return uint64(n)
}

// andArray sets out[i] &= (or &^= when neg) the words of a sorted array
// container, for i in cur, and returns the indexes still non-zero. It walks
// the array and cur together, galloping through the array when cur is
// sparse, so that it never makes the array dense.
func andArray(out *Block, vals []uint16, cur []uint16, neg bool) []uint16 {
	n, p := 0, 0
	for _, i := range cur {
		i &= chunkWords - 1
		var m uint64
		m, p = wordBits(vals, p, i)
		w := out[i]
		if neg {
			w &^= m
		} else {
			w &= m
		}
		out[i] = w
		cur[n] = i
		n += b2i(w != 0)
	}
	return cur[:n]
}

// appendIDs appends the IDs of the set bits of b's words in sel, with the
// chunk's high bits base. When dst has room for them but not for
// flatten32's slack after them, they are written one by one, so that a
// caller's buffer of exactly the right capacity is never reallocated.
func appendIDs(dst []uint32, b *Block, sel []uint16, base uint32) []uint32 {
	at, n := len(dst), int(popSel(b, sel))
	if room := cap(dst) - at; room >= n && room < n+flatSlack {
		for _, i := range sel {
			hb := base | uint32(i)<<6
			for w := b[i&(chunkWords-1)]; w != 0; w &= w - 1 {
				dst = append(dst, hb|uint32(bits.TrailingZeros64(w)))
			}
		}
		return dst
	}
	dst = slices.Grow(dst, n+flatSlack)
	flatten32(dst[at:at+n+flatSlack], b, sel, base, n)
	return dst[:at+n]
}

// flatSlack is the room past its n values that flatten16 and flatten32
// need in dst (flatten itself needs 4).
const flatSlack = 32

// flatten writes base | i<<6 | j into dst for every bit j of b's word i, for
// i in sel, in order; n is the number of those bits and dst must hold n+4
// values. The first two bits of every word (four when the bits average two
// or more per word) are written without a branch, a word with fewer writing
// past its own into values the next word overwrites, so that words holding
// a few bits at random do not each mispredict a branch; only the rest loop
// bit by bit. (One loop with a variable count of first bits instead of the
// two was 5–25% slower at 10M.)
func flatten[T uint16 | uint32](dst []T, b *Block, sel []uint16, base T, n int) {
	_ = dst[n+3]
	k := 0
	if n < 2*len(sel) {
		for _, i := range sel {
			w := b[i&(chunkWords-1)]
			hb := base | T(i)<<6
			dst[k] = hb | T(bits.TrailingZeros64(w))
			k += b2i(w != 0)
			w &= w - 1
			dst[k] = hb | T(bits.TrailingZeros64(w))
			k += b2i(w != 0)
			w &= w - 1
			for w != 0 {
				dst[k] = hb | T(bits.TrailingZeros64(w))
				k++
				w &= w - 1
			}
		}
		return
	}
	for _, i := range sel {
		w := b[i&(chunkWords-1)]
		hb := base | T(i)<<6
		for range 4 {
			dst[k] = hb | T(bits.TrailingZeros64(w))
			k += b2i(w != 0)
			w &= w - 1
		}
		for w != 0 {
			dst[k] = hb | T(bits.TrailingZeros64(w))
			k++
			w &= w - 1
		}
	}
}

// orPass sets dst[i] |= src[i] for every word.
func orPass(dst, src *Block) {
	if useAVX512 && !legacy {
		orPassAVX512(dst, src)
		return
	}
	for i, w := range src {
		dst[i] |= w
	}
}
