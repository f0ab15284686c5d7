package segment

import "github.com/fabeed28/microseg/internal/engine"

// planeBlocks sets, for one chunk, the bits of the values' offsets from lo
// in the bit-plane blocks: bit i of vals[pos]-lo goes to blocks[i] at pos.
// Customers whose present entry is false (present may be nil) get no bits.
// The blocks are overwritten whole; len(blocks) covers every offset's bits.
func planeBlocks(blocks []engine.Block, vals []int64, present []bool, lo int64) {
	depth := len(blocks)
	var m [64]uint64
	for w := 0; w*64 < len(vals); w++ {
		row := vals[w*64 : min(len(vals), w*64+64)]
		var pr []bool
		if present != nil {
			pr = present[w*64 : w*64+len(row)]
		}
		if depth <= 3 {
			// Few planes: gather each plane's bit directly.
			for j := range depth {
				var word uint64
				for r, v := range row {
					if pr == nil || pr[r] {
						word |= (uint64(v-lo) >> j & 1) << r
					}
				}
				blocks[j][w] = word
			}
			continue
		}
		for r, v := range row {
			m[r] = uint64(v - lo)
			if pr != nil && !pr[r] {
				m[r] = 0
			}
		}
		clear(m[len(row):])
		transpose64(&m)
		for j := range depth {
			blocks[j][w] = m[j]
		}
	}
	if words := (len(vals) + 63) / 64; words < len(engine.Block{}) {
		for j := range blocks {
			clear(blocks[j][words:])
		}
	}
}

// transpose64 transposes the 64x64 bit matrix whose row r is m[r] (bit c
// of m[r] is column c): afterwards bit r of m[c] is the old bit c of m[r].
func transpose64(m *[64]uint64) {
	mask := uint64(0x00000000FFFFFFFF)
	for j := 32; j != 0; j >>= 1 {
		for k := 0; k < 64; k = (k + j + 1) &^ j {
			t := (m[k]>>j ^ m[k+j]) & mask
			m[k+j] ^= t
			m[k] ^= t << j
		}
		mask ^= mask << (j >> 1)
	}
}
