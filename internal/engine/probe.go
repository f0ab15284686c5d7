package engine

// Probe sets bit i of out for every ids[i] that f holds; ids must be sorted
// and out hold len(ids) bits. It reads each chunk of f that ids fall in
// once: a bit test per ID in a bitmap container, a merge or a search of a
// sorted array, a walk of runs. It is meant for a few thousand IDs spread
// over a large bitmap, where intersecting whole bitmaps would visit every
// chunk of both.
func (f *Frozen) Probe(ids []uint32, out []uint64) {
	for lo := 0; lo < len(ids); {
		key := ids[lo] >> ChunkBits
		hi := lo + 1
		for hi < len(ids) && ids[hi]>>ChunkBits == key {
			hi++
		}
		f.get(int(key)).probe(ids[lo:hi], lo, out)
		lo = hi
	}
}

// probe sets bit base+i of out for each ids[i] (all of c's chunk) in c.
func (c *cont) probe(ids []uint32, base int, out []uint64) {
	set := func(i int) { j := base + i; out[j>>6] |= 1 << (j & 63) }
	switch c.kind {
	case kFull:
		for i := range ids {
			set(i)
		}
	case kBitmap:
		for i, id := range ids {
			v := uint16(id)
			j := base + i
			out[j>>6] |= (c.words[v>>6] >> (v & 63) & 1) << (j & 63)
		}
	case kArray:
		if w := c.arrayWords(); w != nil {
			for i, id := range ids {
				v := uint16(id)
				j := base + i
				out[j>>6] |= (w[v>>6] >> (v & 63) & 1) << (j & 63)
			}
			return
		}
		vals := c.vals
		if len(vals) > 16*len(ids) {
			for i, id := range ids {
				v := uint16(id)
				lo, hi := 0, len(vals) // the first value >= v is in vals[lo:hi+1]
				for lo < hi {
					m := int(uint(lo+hi) >> 1)
					if vals[m] < v {
						lo = m + 1
					} else {
						hi = m
					}
				}
				if lo < len(vals) && vals[lo] == v {
					set(i)
				}
				vals = vals[lo:]
			}
			return
		}
		k := 0
		for i, id := range ids {
			v := uint16(id)
			for k < len(vals) && vals[k] < v {
				k++
			}
			if k < len(vals) && vals[k] == v {
				set(i)
			}
		}
	case kRun:
		k := 0 // run index: vals[2k] start, vals[2k+1] length-1
		for i, id := range ids {
			v := uint32(uint16(id))
			for k < len(c.vals)/2 && uint32(c.vals[2*k])+uint32(c.vals[2*k+1]) < v {
				k++
			}
			if k < len(c.vals)/2 && uint32(c.vals[2*k]) <= v {
				set(i)
			}
		}
	}
}

// ProbeBit sets bit `bit` of vals[i] for every ids[i] that f holds; ids
// must be sorted and vals as long. Called once per bit plane of an
// integer index, it decodes the values of a few thousand customers
// without a pass over the planes.
func (f *Frozen) ProbeBit(ids []uint32, vals []uint64, bit uint) {
	for lo := 0; lo < len(ids); {
		key := ids[lo] >> ChunkBits
		hi := lo + 1
		for hi < len(ids) && ids[hi]>>ChunkBits == key {
			hi++
		}
		f.get(int(key)).probeBit(ids[lo:hi], vals[lo:hi], bit)
		lo = hi
	}
}

// probeBit sets bit `bit` of vals[i] for each ids[i] (all of c's chunk)
// that c holds.
func (c *cont) probeBit(ids []uint32, vals []uint64, bit uint) {
	words := c.words
	if w := c.arrayWords(); w != nil {
		words = w
	}
	switch {
	case c.kind == kFull:
		for i := range ids {
			vals[i] |= 1 << bit
		}
	case c.kind == kBitmap || words != nil:
		for i, id := range ids {
			v := uint16(id)
			vals[i] |= (words[v>>6] >> (v & 63) & 1) << bit
		}
	case c.kind == kArray || c.kind == kRun:
		out := make([]uint64, (len(ids)+63)/64)
		c.probe(ids, 0, out)
		for i := range ids {
			vals[i] |= (out[i>>6] >> (i & 63) & 1) << bit
		}
	}
}
