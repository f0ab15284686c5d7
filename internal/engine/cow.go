package engine

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"unsafe"

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
	e.init(patchSize(f, del, add))
	blk, orig := new(Block), new(Block)
	var keys []int
	var vals []uint16
	eachChunk(del, add, func(key int, del, add []uint32) {
		if c := f.get(key); c.kind == kAbsent || c.kind == kArray || c.kind == kBitmap && c.card <= maxArray {
			// An array (kept as values by a Densify'd container too): merged
			// as sorted values, without a pass over the chunk's words.
			vals = mergeArray(vals[:0], c.vals, del, add)
			if slices.Equal(vals, c.vals) {
				return
			}
			if len(vals) <= maxArray {
				e.addArray(key, vals)
				keys = append(keys, key)
				return
			}
		}
		clear(blk[:])
		setCont(blk, f.get(key))
		*orig = *blk
		for _, id := range del {
			blk[id>>6&(chunkWords-1)] &^= 1 << (id & 63)
		}
		for _, id := range add {
			blk[id>>6&(chunkWords-1)] |= 1 << (id & 63)
		}
		changed := false
		for _, ids := range [2][]uint32{del, add} {
			for _, id := range ids {
				w := id >> 6 & (chunkWords - 1)
				changed = changed || blk[w] != orig[w]
			}
		}
		if changed {
			e.add(key, blk)
			keys = append(keys, key)
		}
	})
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

// patchSize returns how many chunks del and add fall in, and about how
// many bytes their containers take after Patch: what they take now and two
// bytes per ID added, at most a bitmap's 8 KiB each.
func patchSize(f *Frozen, del, add []uint32) (chunks, size int) {
	eachChunk(del, add, func(key int, _, add []uint32) {
		c := f.get(key)
		now := 0
		switch c.kind {
		case kArray:
			now = 2 * len(c.vals)
		case kBitmap:
			now = 8 * chunkWords
			if c.card <= maxArray {
				now = 2 * int(c.card)
			}
		case kRun, kFull:
			now = 2 + 2*len(c.vals) + 8
		}
		chunks++
		size += min(8*chunkWords, now+2*len(add))
	})
	return chunks, size
}

// eachChunk calls fn with every chunk key that the sorted del or add fall
// in, in increasing order, and their IDs in it.
func eachChunk(del, add []uint32, fn func(key int, del, add []uint32)) {
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
		fn(key, del[i0:i], add[j0:j])
	}
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
// RunOptimize would choose. The containers go into one buffer after room
// for the largest header the chunks could need, so that the header is
// written in front of them at the end, without copying them.
type encoder struct {
	room  int // bytes kept for the header
	keys  []uint16
	cards []uint16 // card-1
	runs  []bool
	offs  []int // where each container starts in buf
	buf   []byte
}

// headerSize returns the bytes the header of n containers takes.
func headerSize(n int) int {
	h := 4 + (n+7)/8 + 4*n
	if n >= 4 { // roaring writes offsets from 4 containers on
		h += 4 * n
	}
	return h
}

// init prepares e for at most n chunks of about size bytes in all.
func (e *encoder) init(n, size int) {
	e.room = headerSize(n)
	e.buf = make([]byte, e.room, e.room+size)
}

// add appends the chunk key with the bits of b, unless b is empty.
func (e *encoder) add(key int, b *Block) {
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
	e.keys = append(e.keys, uint16(key))
	e.cards = append(e.cards, uint16(card-1))
	e.offs = append(e.offs, len(e.buf))
	size := 8 * chunkWords
	if card <= maxArray {
		size = 2 * card
	}
	run := 2+4*runs < size
	e.runs = append(e.runs, run)
	if run {
		size = 2 + 4*runs
	}
	at := len(e.buf)
	e.buf = slices.Grow(e.buf, size)[:at+size]
	out := e.buf[at:]
	switch {
	case run:
		le := binary.LittleEndian
		le.PutUint16(out, uint16(runs))
		i := 2
		for v := nextBit(b, 0, true); v < 1<<ChunkBits; {
			end := nextBit(b, v, false)
			le.PutUint16(out[i:], uint16(v))
			le.PutUint16(out[i+2:], uint16(end-v-1))
			i += 4
			v = nextBit(b, end, true)
		}
	case card > maxArray:
		copy(out, unsafe.Slice((*byte)(unsafe.Pointer(b)), 8*chunkWords))
	default:
		vals := u16s(out, card)
		i := 0
		for wi, w := range b {
			for w != 0 {
				vals[i] = uint16(wi<<6 | bits.TrailingZeros64(w))
				i++
				w &= w - 1
			}
		}
	}
}

// mergeArray appends to dst the sorted values of vals without the low 16
// bits of del, and with those of add.
func mergeArray(dst, vals []uint16, del, add []uint32) []uint16 {
	i, j := 0, 0
	for _, v := range vals {
		for j < len(add) && uint16(add[j]) < v {
			dst = appendNew(dst, uint16(add[j]))
			j++
		}
		for i < len(del) && uint16(del[i]) < v {
			i++
		}
		if i < len(del) && uint16(del[i]) == v {
			continue
		}
		dst = appendNew(dst, v)
	}
	for ; j < len(add); j++ {
		dst = appendNew(dst, uint16(add[j]))
	}
	return dst
}

// appendNew appends v to the sorted dst unless it is dst's last value.
func appendNew(dst []uint16, v uint16) []uint16 {
	if n := len(dst); n > 0 && dst[n-1] == v {
		return dst
	}
	return append(dst, v)
}

// addArray appends the chunk key with the sorted values vals (at most
// maxArray, at least one), as an array or as runs, whichever is smaller.
func (e *encoder) addArray(key int, vals []uint16) {
	if len(vals) == 0 {
		return
	}
	runs := 1
	for i := 1; i < len(vals); i++ {
		runs += int(oneIf(vals[i] != vals[i-1]+1))
	}
	e.keys = append(e.keys, uint16(key))
	e.cards = append(e.cards, uint16(len(vals)-1))
	e.offs = append(e.offs, len(e.buf))
	run := 2+4*runs < 2*len(vals)
	e.runs = append(e.runs, run)
	if !run {
		at := len(e.buf)
		e.buf = slices.Grow(e.buf, 2*len(vals))[:at+2*len(vals)]
		copy(u16s(e.buf[at:], len(vals)), vals)
		return
	}
	le := binary.LittleEndian
	e.buf = le.AppendUint16(e.buf, uint16(runs))
	start := 0
	for i := 1; i <= len(vals); i++ {
		if i == len(vals) || vals[i] != vals[i-1]+1 {
			e.buf = le.AppendUint16(e.buf, vals[start])
			e.buf = le.AppendUint16(e.buf, uint16(i-1-start))
			start = i
		}
	}
}

func oneIf(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}

// nextBit returns the first bit at or after v that is set in b (one) or
// clear, or 1<<ChunkBits when there is none.
func nextBit(b *Block, v int, one bool) int {
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
// with a run flag per container; it needs at least one container.
func (e *encoder) bytes() []byte {
	n := len(e.keys)
	start := e.room - headerSize(n)
	le := binary.LittleEndian
	h := e.buf[start:e.room]
	le.PutUint32(h, cookieRun|uint32(n-1)<<16)
	flags := h[4 : 4+(n+7)/8]
	clear(flags)
	for i, r := range e.runs {
		if r {
			flags[i/8] |= 1 << (i % 8)
		}
	}
	kc := h[4+len(flags):]
	for i := range n {
		le.PutUint16(kc[4*i:], e.keys[i])
		le.PutUint16(kc[4*i+2:], e.cards[i])
		if n >= 4 {
			le.PutUint32(kc[4*n+4*i:], uint32(e.offs[i]-start))
		}
	}
	return e.buf[start:]
}

// FromSorted returns a bitmap of ids, which must be sorted and distinct,
// written chunk by chunk into one buffer in roaring's portable format
// instead of inserted one by one. Writes to it copy the containers they
// change (roaring's copy-on-write), so it may be handed to a caller.
func FromSorted(ids []uint32) *roaring.Bitmap {
	bm := roaring.New()
	if len(ids) == 0 {
		return bm
	}
	var e encoder
	e.init(int(ids[len(ids)-1]>>ChunkBits-ids[0]>>ChunkBits)+1, 2*len(ids)+64)
	var vals []uint16
	var blk *Block
	eachChunk(nil, ids, func(key int, _, add []uint32) {
		if len(add) <= maxArray {
			vals = vals[:0]
			for _, id := range add {
				vals = append(vals, uint16(id))
			}
			e.addArray(key, vals)
			return
		}
		if blk == nil {
			blk = new(Block)
		}
		clear(blk[:])
		for _, id := range add {
			blk[id>>6&(chunkWords-1)] |= 1 << (id & 63)
		}
		e.add(key, blk)
	})
	if _, err := bm.FromBuffer(e.bytes()); err != nil {
		panic(fmt.Sprintf("engine: FromSorted: %v", err)) // the buffer is ours
	}
	return bm
}
