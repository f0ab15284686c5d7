package engine

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// Patch returns a bitmap and its view equal to bm, whose view is f, with
// the IDs of del removed and then those of add added; both are sorted. It
// copies only the chunks whose bits change: their new containers are
// written to one new buffer that the returned bitmap and view read, and
// every other chunk is shared with bm and f (the roaring containers and the
// views' words alike). bm and f are not changed, so other goroutines may
// read them meanwhile. When no bit changes, Patch returns bm and f.
//
// With dense set, an array container of more than 1,024 values among the
// new ones gets a dense copy of its words, as Densify gives it.
//
// The returned bitmap shares bm's containers only where bm marks them as
// shared (roaring's copy-on-write flag, which every bitmap read from a
// buffer has, Freeze's and Patch's included); others are copied.
func Patch(bm *roaring.Bitmap, f *Frozen, del, add []uint32, dense bool) (*roaring.Bitmap, *Frozen) {
	var e encoder
	blk := new(block)
	var keys []int
	i, j := 0, 0
	for i < len(del) || j < len(add) {
		key := int(^uint32(0) >> ChunkBits)
		if i < len(del) {
			key = int(del[i] >> ChunkBits)
		}
		if j < len(add) {
			key = min(key, int(add[j]>>ChunkBits))
		}
		i0, j0 := i, j
		for i < len(del) && int(del[i]>>ChunkBits) == key {
			i++
		}
		for j < len(add) && int(add[j]>>ChunkBits) == key {
			j++
		}
		clear(blk[:])
		setCont(blk, f.get(key))
		var flips uint64
		for _, id := range del[i0:i] {
			w, m := id>>6&(chunkWords-1), uint64(1)<<(id&63)
			flips |= blk[w] & m
			blk[w] &^= m
		}
		for _, id := range add[j0:j] {
			w, m := id>>6&(chunkWords-1), uint64(1)<<(id&63)
			flips |= ^blk[w] & m
			blk[w] |= m
		}
		if flips == 0 {
			continue
		}
		e.add(key, blk)
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return bm, f
	}
	part, changed := &Frozen{}, roaring.New()
	if len(e.keys) > 0 { // else every changed chunk is empty now
		buf := e.bytes()
		var err error
		if part, err = parse(buf); err != nil {
			panic(fmt.Sprintf("engine: patch: %v", err)) // the buffer is ours
		}
		if _, err := changed.FromBuffer(buf); err != nil {
			panic(fmt.Sprintf("engine: patch: %v", err))
		}
		if dense {
			Densify(part)
		}
	}

	nf := &Frozen{conts: make([]cont, max(f.Chunks(), keys[len(keys)-1]+1))}
	for k := range nf.conts {
		src := f.get(k)
		if isIn(keys, k) {
			src = part.get(k)
		}
		c := &nf.conts[k]
		c.kind, c.card, c.words, c.vals = src.kind, src.card, src.words, src.vals
		c.lazy.Store(src.lazy.Load())
		nf.card += uint64(c.card)
	}
	n := len(nf.conts)
	for n > 0 && nf.conts[n-1].kind == kAbsent {
		n--
	}
	nf.conts = nf.conts[:n]

	// bm without the changed chunks: a shallow copy (roaring's AndNot with
	// nothing shares every container it may), from which whole containers
	// are dropped, runs of consecutive keys at once.
	rest := roaring.AndNot(bm, roaring.New())
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi] == keys[hi-1]+1 {
			hi++
		}
		rest.RemoveRange(uint64(keys[lo])<<ChunkBits, uint64(keys[hi-1]+1)<<ChunkBits)
		lo = hi
	}
	return roaring.Or(rest, changed), nf
}

// isIn reports whether the sorted keys hold k.
func isIn(keys []int, k int) bool {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(keys) && keys[lo] == k
}

// encoder writes chunks in roaring's portable format with run containers:
// each chunk as the smallest of an array, a bitmap or runs, as roaring's
// RunOptimize would choose.
type encoder struct {
	keys  []uint16
	cards []uint16 // card-1
	runs  []bool
	body  []byte
}

// add appends the chunk key with the bits of b, unless b is empty.
func (e *encoder) add(key int, b *block) {
	card, runs := 0, 0
	var carry uint64
	for _, w := range b {
		card += bits.OnesCount64(w)
		runs += bits.OnesCount64(w &^ (w<<1 | carry))
		carry = w >> 63
	}
	if card == 0 {
		return
	}
	le := binary.LittleEndian
	e.keys = append(e.keys, uint16(key))
	e.cards = append(e.cards, uint16(card-1))
	size := 8 * chunkWords
	if card <= maxArray {
		size = 2 * card
	}
	if 2+4*runs < size {
		e.runs = append(e.runs, true)
		e.body = le.AppendUint16(e.body, uint16(runs))
		for v := nextBit(b, 0, true); v < 1<<ChunkBits; {
			end := nextBit(b, v, false)
			e.body = le.AppendUint16(e.body, uint16(v))
			e.body = le.AppendUint16(e.body, uint16(end-v-1))
			v = nextBit(b, end, true)
		}
		return
	}
	e.runs = append(e.runs, false)
	if card > maxArray {
		for _, w := range b {
			e.body = le.AppendUint64(e.body, w)
		}
		return
	}
	for wi, w := range b {
		for w != 0 {
			e.body = le.AppendUint16(e.body, uint16(wi<<6|bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}

// nextBit returns the first bit at or after v that is set in b (one) or
// clear, or 1<<ChunkBits when there is none.
func nextBit(b *block, v int, one bool) int {
	for v < 1<<ChunkBits {
		w := b[v>>6]
		if !one {
			w = ^w
		}
		if w >>= uint(v & 63); w != 0 {
			return v + bits.TrailingZeros64(w)
		}
		v = v | 63 + 1
	}
	return 1 << ChunkBits
}

// bytes returns the bitmap written so far, in roaring's portable format
// with a run flag per container.
func (e *encoder) bytes() []byte {
	n := len(e.keys)
	le := binary.LittleEndian
	buf := make([]byte, 0, 4+(n+7)/8+8*n+len(e.body))
	buf = le.AppendUint32(buf, cookieRun|uint32(n-1)<<16)
	flags := make([]byte, (n+7)/8)
	for i, r := range e.runs {
		if r {
			flags[i/8] |= 1 << (i % 8)
		}
	}
	buf = append(buf, flags...)
	for i := range n {
		buf = le.AppendUint16(buf, e.keys[i])
		buf = le.AppendUint16(buf, e.cards[i])
	}
	if n >= 4 { // roaring writes offsets from 4 containers on
		at := uint32(len(buf) + 4*n)
		pos := 0
		for i := range n {
			buf = le.AppendUint32(buf, at)
			sz := contSize(e.runs[i], int(e.cards[i])+1, e.body[pos:])
			at += uint32(sz)
			pos += sz
		}
	}
	return append(buf, e.body...)
}

// contSize returns the bytes a container of card values takes in the body,
// which begins with it.
func contSize(run bool, card int, body []byte) int {
	switch {
	case run:
		return 2 + 4*int(binary.LittleEndian.Uint16(body))
	case card > maxArray:
		return 8 * chunkWords
	}
	return 2 * card
}
