package engine

import "github.com/RoaringBitmap/roaring/v2"

// Block is the words of one chunk: bit i of word w is ID key<<16 | w*64+i.
type Block = [chunkWords]uint64

// Writer builds a bitmap chunk by chunk, in increasing chunk order, straight
// into roaring's portable format: no per-ID insertion, one buffer.
type Writer struct{ s Scratch }

// Grow makes room for n more bytes of containers: a chunk takes at most
// 8 KiB, and at most 2 bytes per ID.
func (w *Writer) Grow(n int) {
	if cap(w.s.body)-len(w.s.body) < n {
		b := make([]byte, len(w.s.body), len(w.s.body)+n)
		copy(b, w.s.body)
		w.s.body = b
	}
}

// Add appends the chunk key with the words of b (nothing when b is empty).
// Keys must increase from call to call.
func (w *Writer) Add(key int, b *Block) { w.s.emit(key, b, allWords[:]) }

// Bitmap returns the bitmap written so far and its Frozen view, which
// share one buffer, and resets w.
func (w *Writer) Bitmap() (*roaring.Bitmap, *Frozen) {
	bm, buf := assembleBuf([]*Scratch{&w.s})
	w.s.hdr, w.s.body = w.s.hdr[:0], w.s.body[:0]
	if buf == nil {
		return bm, &Frozen{}
	}
	f, err := parse(buf)
	if err != nil {
		panic("engine: writer: " + err.Error()) // the buffer is ours
	}
	return bm, f
}

var allWords = func() (a [chunkWords]uint16) {
	for i := range a {
		a[i] = uint16(i)
	}
	return a
}()
