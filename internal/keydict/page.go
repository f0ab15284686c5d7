package keydict

import (
	"math"
	"unsafe"
)

// page holds the keys of pageSize consecutive IDs (fewer in the last page)
// as one byte string and end offsets: key i is data[ends[i-1]:ends[i]]
// (from 0 for i = 0). Neither slice holds pointers, so the garbage
// collector does not scan the keys, and a key costs its bytes plus 4. A
// page whose bytes would pass 4 GiB keeps 8-byte offsets in wide instead.
//
// The bytes a page's keys cover are never written again: a Writer appends
// only to a page it copied, past every key a Dict can see, so the strings
// Key returns may alias them.
type page struct {
	data []byte
	ends []uint32
	wide []uint64 // instead of ends, once data has passed 4 GiB
	prev uint64   // fingerprint of the keys of the pages before
	fp   uint64   // fingerprint through this page's last key
}

func (p *page) len() int {
	if p.wide != nil {
		return len(p.wide)
	}
	return len(p.ends)
}

func (p *page) bounds(i int) (lo, hi uint64) {
	if p.wide != nil {
		if i > 0 {
			lo = p.wide[i-1]
		}
		return lo, p.wide[i]
	}
	if i > 0 {
		lo = uint64(p.ends[i-1])
	}
	return lo, uint64(p.ends[i])
}

// key returns key i; the string shares the page's bytes.
func (p *page) key(i int) string {
	lo, hi := p.bounds(i)
	if lo == hi {
		return ""
	}
	return unsafe.String(&p.data[lo], int(hi-lo))
}

// add appends key. The caller owns p.
func (p *page) add(key string) { p.addLimit(key, math.MaxUint32) }

// addLimit is add with the largest end offset ends may hold.
func (p *page) addLimit(key string, limit uint64) {
	p.fp = chain(p.fp, keyHash(key))
	p.data = append(p.data, key...)
	end := uint64(len(p.data))
	if p.wide == nil && end > limit {
		p.wide = make([]uint64, len(p.ends), pageSize)
		for i, e := range p.ends {
			p.wide[i] = uint64(e)
		}
		p.ends = nil
	}
	if p.wide != nil {
		p.wide = append(p.wide, end)
		return
	}
	p.ends = append(p.ends, uint32(end))
}

// clone returns a copy of p that can take more keys without touching p's
// memory.
func (p *page) clone() page {
	c := page{data: append(make([]byte, 0, len(p.data)+len(p.data)/4+64), p.data...), prev: p.prev, fp: p.fp}
	if p.wide != nil {
		c.wide = append(make([]uint64, 0, pageSize), p.wide...)
	} else {
		c.ends = append(make([]uint32, 0, pageSize), p.ends...)
	}
	return c
}

func pageBytes(keys []string) uint64 {
	var n uint64
	for _, k := range keys {
		n += uint64(len(k))
	}
	return n
}
