package segment

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// blockIndex writes a Cat or Set column's bitmaps (one per code) and its
// known bitmap from dense blocks, one chunk of 2^16 customers at a time.
type blockIndex struct {
	blocks []engine.Block // code -> this chunk's members
	known  engine.Block
	ws     []engine.Writer
	knownW engine.Writer
}

// newBlockIndex returns an index for len(counts) codes over n customers;
// counts[k] bounds the number of customers with code k (it sizes buffers).
func newBlockIndex(counts []int, n int) *blockIndex {
	x := &blockIndex{blocks: make([]engine.Block, len(counts)), ws: make([]engine.Writer, len(counts))}
	chunks := (n + 1<<engine.ChunkBits - 1) >> engine.ChunkBits
	for k := range x.ws {
		x.ws[k].Grow(min(2*counts[k], chunks*8<<10))
	}
	return x
}

// flush writes the blocks as chunk key and clears them.
func (x *blockIndex) flush(key int) {
	for k := range x.blocks {
		x.ws[k].Add(key, &x.blocks[k])
		clear(x.blocks[k][:])
	}
	x.knownW.Add(key, &x.known)
	clear(x.known[:])
}

// finish stores the bitmaps and their views in c, a column of n customers.
func (x *blockIndex) finish(c *column, n int) {
	c.bms = make([]*roaring.Bitmap, len(x.ws))
	c.fzBms = make([]*engine.Frozen, len(x.ws))
	for k := range x.ws {
		c.bms[k], c.fzBms[k] = x.ws[k].Bitmap()
	}
	c.known, c.fzKnown = x.knownW.Bitmap()
	if c.known.GetCardinality() == uint64(n) {
		// Everyone has a value: one run, not a bitmap per chunk.
		c.known, c.fzKnown = knownBitmap(n, nil), nil
	}
	c.finish(c)
}

// byteCoder numbers the uint8 values of a column in first-seen order
// through a table instead of a map.
type byteCoder struct {
	c      *column
	table  [256]int32 // value -> code, -1 when not seen
	counts []int      // code -> occurrences
}

func newByteCoder(c *column) *byteCoder {
	bc := &byteCoder{c: c}
	for i := range bc.table {
		bc.table[i] = -1
	}
	return bc
}

// see counts one occurrence of v, giving it the next code if it is new.
func (bc *byteCoder) see(v uint8) {
	k := bc.table[v]
	if k < 0 {
		k = int32(len(bc.c.values))
		bc.table[v] = k
		bc.c.codes[v] = uint32(k)
		bc.c.values = append(bc.c.values, v)
		bc.counts = append(bc.counts, 0)
	}
	bc.counts[k]++
}

// byteCatColumn is Cat[uint8].Column: two passes over the values, one to
// number them, one to set their bits chunk by chunk.
func byteCatColumn(spec fieldSpec, vals []uint8, present []bool) Column {
	n := len(vals)
	out := Column{col: &column{spec: spec, codes: map[any]uint32{}}, n: n}
	if present != nil && len(present) != n {
		out.msg = presentMsg(len(present), n)
		return out
	}
	bc := newByteCoder(out.col)
	for i, v := range vals {
		if present == nil || present[i] {
			bc.see(v)
		}
	}
	x := newBlockIndex(bc.counts, n)
	for key := 0; key<<engine.ChunkBits < n; key++ {
		start := key << engine.ChunkBits
		chunk := vals[start:min(n, start+1<<engine.ChunkBits)]
		if present == nil {
			for pos, v := range chunk {
				w, bit := pos>>6, uint64(1)<<(pos&63)
				x.blocks[bc.table[v]][w] |= bit
				x.known[w] |= bit
			}
		} else {
			pr := present[start : start+len(chunk)]
			for pos, v := range chunk {
				if pr[pos] {
					w, bit := pos>>6, uint64(1)<<(pos&63)
					x.blocks[bc.table[v]][w] |= bit
					x.known[w] |= bit
				}
			}
		}
		x.flush(key)
	}
	x.finish(out.col, n)
	return out
}

// byteSetColumn is Set[uint8].Column, as byteCatColumn.
func byteSetColumn(spec fieldSpec, vals [][]uint8) Column {
	n := len(vals)
	out := Column{col: &column{spec: spec, codes: map[any]uint32{}}, n: n}
	bc := newByteCoder(out.col)
	for _, vs := range vals {
		for _, v := range vs {
			bc.see(v)
		}
	}
	x := newBlockIndex(bc.counts, n)
	for key := 0; key<<engine.ChunkBits < n; key++ {
		start := key << engine.ChunkBits
		for pos, vs := range vals[start:min(n, start+1<<engine.ChunkBits)] {
			if len(vs) == 0 {
				continue
			}
			w, bit := pos>>6, uint64(1)<<(pos&63)
			x.known[w] |= bit
			for _, v := range vs {
				x.blocks[bc.table[v]][w] |= bit
			}
		}
		x.flush(key)
	}
	x.finish(out.col, n)
	return out
}
