package engine

import "math/bits"

// NoCode is the code of a customer without a value in a Codes column.
const NoCode = 0xFF

// A Codes column is made for indexes of 7 or 8 planes: its byte per
// customer then costs at most one bit more than the planes themselves.
const (
	minCodeDepth = 7
	maxCodeDepth = 8
)

// Codes is a packed byte column beside a small-domain integer field's bit
// planes: per customer, its value minus the index's offset, or NoCode. One
// page per chunk, nil where the chunk has no customer with a value. A
// range test on a few candidates reads one byte each here instead of one
// word of every plane.
type Codes struct {
	pages []*[1 << ChunkBits]uint8
}

// BuildCodes returns the code column of the index with the given views of
// its known customers and its planes (low bit first), or nil unless the
// index has 7 or 8 planes and no value of NoCode.
func BuildCodes(known *Frozen, planes []*Frozen) *Codes {
	if len(planes) < minCodeDepth || len(planes) > maxCodeDepth {
		return nil
	}
	c := &Codes{pages: make([]*[1 << ChunkBits]uint8, known.Chunks())}
	s := newCodeScratch()
	for key := range c.pages {
		if known.get(key).kind == kAbsent {
			continue
		}
		pg := new([1 << ChunkBits]uint8)
		if !s.codePage(pg, key, known, planes) {
			return nil
		}
		c.pages[key] = pg
	}
	return c
}

// Bytes returns the memory c holds.
func (c *Codes) Bytes() int {
	if c == nil {
		return 0
	}
	n := 8 * len(c.pages)
	for _, p := range c.pages {
		if p != nil {
			n += len(p)
		}
	}
	return n
}

func (c *Codes) page(key int) *[1 << ChunkBits]uint8 {
	if key >= len(c.pages) {
		return nil
	}
	return c.pages[key]
}

// eachBit calls fn with every value of the container, in increasing order.
func eachBit(c *cont, fn func(uint16)) {
	switch c.kind {
	case kArray:
		for _, v := range c.vals {
			fn(v)
		}
	case kRun:
		for j := 0; j+1 < len(c.vals); j += 2 {
			for v := int(c.vals[j]); v <= int(c.vals[j])+int(c.vals[j+1]); v++ {
				fn(uint16(v))
			}
		}
	case kBitmap:
		for i, w := range c.words {
			for w != 0 {
				fn(uint16(i<<6 | bits.TrailingZeros64(w)))
				w &= w - 1
			}
		}
	case kFull:
		for v := range 1 << ChunkBits {
			fn(uint16(v))
		}
	}
}

// Patch returns c with the codes of the customers ids (sorted) replaced by
// codes (NoCode for a customer that has no value now), copying only the
// pages of the chunks ids fall in and sharing the others with c, which is
// not changed. It returns nil when c is nil.
func (c *Codes) Patch(ids []uint32, codes []uint8) *Codes {
	if c == nil || len(ids) == 0 {
		return c
	}
	n := max(len(c.pages), int(ids[len(ids)-1]>>ChunkBits)+1)
	out := &Codes{pages: make([]*[1 << ChunkBits]uint8, n)}
	copy(out.pages, c.pages)
	for lo := 0; lo < len(ids); {
		key := int(ids[lo] >> ChunkBits)
		hi := lo + 1
		for hi < len(ids) && int(ids[hi]>>ChunkBits) == key {
			hi++
		}
		pg := new([1 << ChunkBits]uint8)
		if old := c.page(key); old != nil {
			*pg = *old
		} else {
			for i := range pg {
				pg[i] = NoCode
			}
		}
		for i, id := range ids[lo:hi] {
			pg[uint16(id)] = codes[lo+i]
		}
		out.pages[key] = pg
		lo = hi
	}
	return out
}

// Read sets out[i] to the code of ids[i] (sorted): its value minus the
// index's offset, or NoCode when it has none. One byte per customer is
// read, where the planes would take a bit of each.
func (c *Codes) Read(ids []uint32, out []uint8) {
	for lo := 0; lo < len(ids); {
		key := int(ids[lo] >> ChunkBits)
		hi := lo + 1
		for hi < len(ids) && int(ids[hi]>>ChunkBits) == key {
			hi++
		}
		pg := c.page(key)
		for i, id := range ids[lo:hi] {
			out[lo+i] = NoCode
			if pg != nil {
				out[lo+i] = pg[uint16(id)]
			}
		}
		lo = hi
	}
}
