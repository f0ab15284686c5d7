package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
)

// ChunkBits is the number of low ID bits a chunk covers: a chunk holds the
// 65,536 IDs that share their high 16 bits, like a roaring container.
const ChunkBits = 16

const (
	chunkWords = 1 << ChunkBits / 64
	maxArray   = 4096 // roaring's largest array container

	cookieNoRun = 12346
	cookieRun   = 12347
)

// container kinds of a Frozen bitmap.
const (
	kAbsent uint8 = iota
	kArray
	kBitmap
	kRun
	kFull
)

// cont is one chunk of a Frozen bitmap.
type cont struct {
	kind  uint8
	card  uint32
	words *Block                // kBitmap
	vals  []uint16              // kArray: sorted values; kRun: (start, length-1) pairs
	lazy  atomic.Pointer[Block] // kArray of more than lazyDense values: its words, once made
}

// lazyDense is the most values an array container is read as: past it, the
// first pass over the chunk's words that needs the array (an Or, an And on
// many words, a probe of many candidates) makes a dense copy of its words
// (8 KiB) that the container keeps for the passes after it. Setting an
// array's bits costs about as much per value (0.4 ns on a quiet core, up
// to 1.8 on the shared machine, BenchmarkSetArray) as a pass over the
// chunk's words per word, so from 1,024 values on the copy pays for itself
// at its first reuse; it costs at most four times the array's own memory.
const lazyDense = chunkWords

// arrayWords returns the words of the array container c when it holds
// more than lazyDense values, made on first use and kept, else nil. Safe
// for concurrent use.
func (c *cont) arrayWords() *Block {
	if c.kind != kArray || len(c.vals) <= denseMin() || legacy {
		return nil
	}
	if w := c.lazy.Load(); w != nil {
		return w
	}
	w := new(Block)
	setArray(w, c.vals)
	if !c.lazy.CompareAndSwap(nil, w) {
		return c.lazy.Load()
	}
	return w
}

// Frozen is a read-only view of a roaring bitmap, chunk by chunk, that the
// evaluator reads without going through roaring's API: dense words for
// bitmap containers, sorted values for arrays, runs as pairs. It shares its
// memory with the roaring bitmap Freeze returns.
type Frozen struct {
	conts []cont // by chunk key; shorter than the universe when the tail is empty
	card  uint64
}

// Card returns the number of IDs in f.
func (f *Frozen) Card() uint64 {
	if f == nil {
		return 0
	}
	return f.card
}

// Chunks returns one more than the highest chunk key f has a container for.
func (f *Frozen) Chunks() int {
	if f == nil {
		return 0
	}
	return len(f.conts)
}

func (f *Frozen) get(key int) *cont {
	if f == nil || key >= len(f.conts) {
		return &absent
	}
	return &f.conts[key]
}

var absent = cont{} // read-only

// Freeze returns a roaring bitmap with the contents of bm and a Frozen view
// of it; the two share one buffer in roaring's portable format, so that the
// view costs a few words per chunk and no copy of the data. bm itself is not
// changed; the returned bitmap must be treated as read-only (roaring copies
// on write, so a change does not corrupt the view, but wastes the sharing).
func Freeze(bm *roaring.Bitmap) (*roaring.Bitmap, *Frozen) {
	if bm == nil {
		bm = roaring.New()
	}
	var w bytes.Buffer
	w.Grow(int(bm.GetSerializedSizeInBytes()))
	if _, err := bm.WriteTo(&w); err != nil {
		panic(fmt.Sprintf("engine: serialize bitmap: %v", err)) // writes to memory do not fail
	}
	buf := w.Bytes()
	shared := roaring.New()
	if _, err := shared.FromBuffer(buf); err != nil {
		panic(fmt.Sprintf("engine: read back bitmap: %v", err))
	}
	f, err := parse(buf)
	if err != nil {
		panic(fmt.Sprintf("engine: parse bitmap: %v", err))
	}
	return shared, f
}

// denseArrays is the smallest array container Densify makes dense: every
// array the range kernels would otherwise make dense on each query (see
// smallArray). A dense copy costs at most four times the array; on the
// benchmark schema they add about 0.37 bytes per customer.
const denseArrays = chunkWords + 1

// Densify gives the array containers of f with more than 1,024 values a
// dense copy of their words, so that the evaluator reads them as bitmap
// containers. It is meant for the planes of an index, where an almost dense
// plane is read in whole-chunk passes; it costs at most 8 KiB per such
// container. f must not be in use by another goroutine.
func Densify(f *Frozen) {
	if f == nil {
		return
	}
	for i := range f.conts {
		c := &f.conts[i]
		if c.kind != kArray || len(c.vals) < denseArrays {
			continue
		}
		w := new(Block)
		for _, v := range c.vals {
			w[v>>6] |= 1 << (v & 63)
		}
		c.kind, c.words = kBitmap, w
	}
}

// Bytes returns the memory f holds beyond the bitmap it views: its
// per-chunk headers and the dense copies Densify made.
func (f *Frozen) Bytes() int {
	if f == nil {
		return 0
	}
	n := len(f.conts) * int(unsafe.Sizeof(cont{}))
	for i := range f.conts {
		c := &f.conts[i]
		if c.kind == kBitmap && len(c.vals) > 0 || c.lazy.Load() != nil {
			n += 8 * chunkWords
		}
	}
	return n
}

// parse reads a bitmap in roaring's portable format without copying its
// containers.
func parse(buf []byte) (*Frozen, error) {
	le := binary.LittleEndian
	if len(buf) < 4 {
		return nil, fmt.Errorf("short buffer: %d bytes", len(buf))
	}
	cookie := le.Uint32(buf)
	var n, pos int
	var runs []byte
	switch {
	case cookie&0xFFFF == cookieRun:
		n = int(cookie>>16) + 1
		pos = 4
		runs = buf[pos : pos+(n+7)/8]
		pos += (n + 7) / 8
	case cookie == cookieNoRun:
		n = int(le.Uint32(buf[4:]))
		pos = 8
	default:
		return nil, fmt.Errorf("bad cookie %#x", cookie)
	}
	hdr := buf[pos : pos+4*n]
	pos += 4 * n
	if runs == nil || n >= 4 {
		pos += 4 * n // offsets
	}
	f := &Frozen{}
	if n == 0 {
		return f, nil
	}
	f.conts = make([]cont, int(le.Uint16(hdr[4*(n-1):]))+1)
	for i := range n {
		key := int(le.Uint16(hdr[4*i:]))
		card := uint32(le.Uint16(hdr[4*i+2:])) + 1
		c := &f.conts[key]
		c.card = card
		f.card += uint64(card)
		switch {
		case runs != nil && runs[i/8]&(1<<(i%8)) != 0:
			nr := int(le.Uint16(buf[pos:]))
			pos += 2
			c.kind = kRun
			c.vals = u16s(buf[pos:], 2*nr)
			pos += 4 * nr
			if card == 1<<ChunkBits {
				c.kind = kFull
			}
		case card > maxArray:
			c.kind = kBitmap
			c.words = (*Block)(unsafe.Pointer(&buf[pos]))
			pos += 8 * chunkWords
			if card == 1<<ChunkBits {
				c.kind = kFull
			}
		default:
			c.kind = kArray
			c.vals = u16s(buf[pos:], int(card))
			pos += 2 * int(card)
		}
	}
	return f, nil
}

// u16s views the first n little-endian uint16s of b (the library targets
// little-endian machines, as roaring's own FromBuffer does).
func u16s(b []byte, n int) []uint16 {
	if n == 0 {
		return nil
	}
	_ = b[2*n-1]
	return unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), n)
}
