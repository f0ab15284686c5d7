package segment

import (
	"math/bits"

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
	chunks int
	sized  bool // the writers were sized up front
}

// newBlockIndex returns an index for len(counts) codes over n customers;
// counts[k] bounds the number of customers with code k (it sizes buffers).
// With counts nil, codes are added with addCode and the writers are sized
// from the first chunk.
func newBlockIndex(counts []int, n int) *blockIndex {
	x := &blockIndex{blocks: make([]engine.Block, len(counts)), ws: make([]engine.Writer, len(counts))}
	x.chunks = (n + 1<<engine.ChunkBits - 1) >> engine.ChunkBits
	x.sized = counts != nil
	for k := range x.ws {
		x.ws[k].Grow(min(2*counts[k], x.chunks*8<<10))
	}
	return x
}

// chunkWords is the number of words in a block.
const chunkWords = len(engine.Block{})

// fillKnown marks the first n customers of the chunk as known.
func (x *blockIndex) fillKnown(n int) {
	for w := range n / 64 {
		x.known[w] = ^uint64(0)
	}
	if n%64 != 0 {
		x.known[n/64] = 1<<(n%64) - 1
	}
}

// addCode adds a code, with an empty block, and returns it.
func (x *blockIndex) addCode() int32 {
	x.blocks = append(x.blocks, engine.Block{})
	x.ws = append(x.ws, engine.Writer{})
	return int32(len(x.ws) - 1)
}

// flush writes the blocks as chunk key and clears them.
func (x *blockIndex) flush(key int) {
	if !x.sized {
		// Expect every chunk to look like the first one.
		x.sized = true
		for k := range x.blocks {
			card := 0
			for _, w := range x.blocks[k] {
				card += bits.OnesCount64(w)
			}
			x.ws[k].Grow(min(x.chunks*8<<10, (2*card+card/2)*x.chunks+64))
		}
	}
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

// indexPairs stores in c, a Cat or Set column of n customers whose values
// are numbered (c.values), the known bitmap and a bitmap per code from the
// pairs each yields: customer id has the value of code k. IDs increase; a
// customer of a Set has one pair per value, repeats allowed. counts[k] is
// the number of pairs of code k.
func indexPairs(c *column, n int, counts []int, each func(yield func(id, k uint32))) {
	ncodes := len(c.values)
	if ncodes > maxBlockCodes {
		// Many values: sorted ID lists per value.
		lists := make([][]uint32, ncodes)
		for k := range lists {
			lists[k] = make([]uint32, 0, counts[k])
		}
		chunks := (n + 1<<engine.ChunkBits - 1) >> engine.ChunkBits
		words := make([]uint64, chunks*chunkWords)
		each(func(id, k uint32) {
			words[id>>6] |= 1 << (id & 63)
			if l := lists[k]; len(l) == 0 || l[len(l)-1] != id {
				lists[k] = append(l, id)
			}
		})
		c.known, c.fzKnown = knownWords(n, words)
		c.bms = make([]*roaring.Bitmap, ncodes)
		for k, l := range lists {
			c.bms[k] = roaring.New()
			c.bms[k].AddMany(l)
			c.bms[k].RunOptimize()
		}
		c.finish(c)
		return
	}
	x := newBlockIndex(counts, n)
	key := 0
	each(func(id, k uint32) {
		for int(id)>>engine.ChunkBits > key {
			x.flush(key)
			key++
		}
		pos := id & (1<<engine.ChunkBits - 1)
		w, bit := pos>>6, uint64(1)<<(pos&63)
		x.known[w] |= bit
		x.blocks[k][w] |= bit
	})
	for ; key<<engine.ChunkBits < n; key++ {
		x.flush(key)
	}
	x.finish(c, n)
}

// byteCoder numbers the uint8 values of a column in first-seen order
// through a table instead of a map, adding a code to x for each new value.
type byteCoder struct {
	c     *column
	x     *blockIndex
	table [256]int32 // value -> code, -1 when not seen
}

func newByteCoder(c *column, n int) *byteCoder {
	bc := &byteCoder{c: c, x: newBlockIndex(nil, n)}
	for i := range bc.table {
		bc.table[i] = -1
	}
	return bc
}

// add gives v, not seen before, the next code.
func (bc *byteCoder) add(v uint8) int32 {
	k := bc.x.addCode()
	bc.table[v] = k
	bc.c.codes[v] = uint32(k)
	bc.c.values = append(bc.c.values, v)
	return k
}

// byteCatColumn is Cat[uint8].Column: one pass over the values, numbering
// them and setting their bits chunk by chunk.
func byteCatColumn(spec fieldSpec, vals []uint8, present []bool) Column {
	n := len(vals)
	out := Column{col: &column{spec: spec, codes: map[any]uint32{}}, n: n}
	if present != nil && len(present) != n {
		out.msg = presentMsg(len(present), n)
		return out
	}
	bc := newByteCoder(out.col, n)
	x := bc.x
	for key := 0; key<<engine.ChunkBits < n; key++ {
		start := key << engine.ChunkBits
		chunk := vals[start:min(n, start+1<<engine.ChunkBits)]
		var pr []bool
		if present != nil {
			pr = present[start : start+len(chunk)]
		}
		if pr == nil {
			// Everyone has a value: mark known a word at a time.
			for pos, v := range chunk {
				k := bc.table[v]
				if k < 0 {
					k = bc.add(v)
				}
				x.blocks[k][pos>>6&(chunkWords-1)] |= 1 << (pos & 63)
			}
			x.fillKnown(len(chunk))
		} else {
			for pos, v := range chunk {
				if !pr[pos] {
					continue
				}
				k := bc.table[v]
				if k < 0 {
					k = bc.add(v)
				}
				w, bit := pos>>6&(chunkWords-1), uint64(1)<<(pos&63)
				x.blocks[k][w] |= bit
				x.known[w] |= bit
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
	bc := newByteCoder(out.col, n)
	x := bc.x
	for key := 0; key<<engine.ChunkBits < n; key++ {
		start := key << engine.ChunkBits
		for pos, vs := range vals[start:min(n, start+1<<engine.ChunkBits)] {
			if len(vs) == 0 {
				continue
			}
			w, bit := pos>>6&(chunkWords-1), uint64(1)<<(pos&63)
			x.known[w] |= bit
			for _, v := range vs {
				k := bc.table[v]
				if k < 0 {
					k = bc.add(v)
				}
				x.blocks[k][w] |= bit
			}
		}
		x.flush(key)
	}
	x.finish(out.col, n)
	return out
}
