package keydict

import "math/bits"

// Fingerprints: every page records the fingerprint of the keys before it
// (prev) and through its last key (fp), a chained hash of the keys in ID
// order that does not depend on the Dict's seed. Two dictionaries assign the
// same keys to IDs 0..n-1 exactly when (with overwhelming probability) their
// fingerprints of n agree, whether one derives from the other or both were
// built apart. Writers extend the chain as they add keys, so a fingerprint
// costs at most one page of keys to compute, whatever the dictionary's size.

// keyHash is a seedless 64-bit hash of a key: 8 bytes at a time through a
// 128-bit multiply.
func keyHash(k string) uint64 {
	const m1, m2 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
	h := uint64(len(k)) ^ m1
	for len(k) >= 8 {
		w := uint64(k[0]) | uint64(k[1])<<8 | uint64(k[2])<<16 | uint64(k[3])<<24 |
			uint64(k[4])<<32 | uint64(k[5])<<40 | uint64(k[6])<<48 | uint64(k[7])<<56
		h = mum(h^w, m2)
		k = k[8:]
	}
	var tail uint64
	for i := len(k) - 1; i >= 0; i-- {
		tail = tail<<8 | uint64(k[i])
	}
	return mum(h^tail^m2, m1)
}

func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// chain extends the fingerprint fp by a key's hash (a bijection of
// fp ^ kh: the splitmix64 finalizer), so that order matters.
func chain(fp, kh uint64) uint64 {
	z := fp ^ kh
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Fingerprint returns the fingerprint of the keys of IDs 0..n-1 (n at most
// Len). It hashes at most one page of keys.
func (d *Dict) Fingerprint(n uint32) uint64 {
	if n == 0 || n > d.n {
		if n > d.n {
			panic("keydict: Fingerprint past Len")
		}
		return 0
	}
	p := &d.pages[(n-1)>>pageBits]
	k := int(n - (n-1)>>pageBits<<pageBits)
	if k == p.len() {
		return p.fp
	}
	fp := p.prev
	for i := range k {
		fp = chain(fp, keyHash(p.key(i)))
	}
	return fp
}

// FirstDiff returns the smallest ID below n whose key differs between d and
// e, both of Len at least n, and false when the keys of IDs 0..n-1 agree.
// It compares page fingerprints, then the keys of one page.
func FirstDiff(d, e *Dict, n uint32) (uint32, bool) {
	if d.Fingerprint(n) == e.Fingerprint(n) {
		return 0, false
	}
	// The first page whose chain differs: chains that differ once differ
	// from then on.
	last := int((n - 1) >> pageBits)
	lo, hi := 0, last
	for lo < hi {
		m := (lo + hi) / 2
		if d.pages[m].fp == e.pages[m].fp { // pages before the last are full in both
			lo = m + 1
		} else {
			hi = m
		}
	}
	for id := uint32(lo) << pageBits; id < n; id++ {
		if d.key(id) != e.key(id) {
			return id, true
		}
	}
	return n - 1, true // a hash collision within the page: report the last ID
}
