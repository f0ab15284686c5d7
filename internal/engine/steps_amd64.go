//go:build amd64 && !purego

package engine

// filterBitsAsm keeps the values of v[:n] whose bit is set in w (clear when
// neg) at the front of v, in order, and returns how many.
//
//go:noescape
func filterBitsAsm(w *Block, v *uint16, n int, neg bool) int

// filterBits keeps the values of v whose bit is set in w (clear when neg):
// a bit test and an add with carry per value, in assembly.
func filterBits(w *Block, v []uint16, neg bool) []uint16 {
	if len(v) == 0 {
		return v
	}
	return v[:filterBitsAsm(w, &v[0], len(v), neg)]
}

// filterCodesAsm keeps the values of v[:n] whose code c has c-ulo < width,
// unsigned (the others when neg), at the front of v, in order, and returns
// how many.
//
//go:noescape
func filterCodesAsm(pg *[1 << ChunkBits]uint8, v *uint16, n int, ulo, width uint64, neg bool) int

// filterCodes keeps the values of v whose code is in [ulo, uhi] (not in it
// when neg), in assembly. pg nil means no customer of the chunk has a
// value.
func filterCodes(pg *[1 << ChunkBits]uint8, ulo, uhi uint64, v []uint16, neg bool) []uint16 {
	if pg == nil || len(v) == 0 {
		return filterCodesGo(pg, ulo, uhi, v, neg)
	}
	// No customer with a value has the code NoCode (BuildCodes makes sure),
	// so below it one unsigned comparison tells both.
	uhi = min(uhi, NoCode-1)
	if ulo > uhi {
		if neg {
			return v
		}
		return v[:0]
	}
	return v[:filterCodesAsm(pg, &v[0], len(v), ulo, uhi-ulo+1, neg)]
}

// actStepAsm is actStep on act[:n], returning the length of the words kept.
//
//go:noescape
func actStepAsm(res, eq, p *Block, act *uint16, n int, nm uint64, ge bool) int

// actStep is one plane of compareAct (see actStepGo), in assembly.
func actStep(res, eq, p *Block, act []uint16, nm uint64, ge bool) []uint16 {
	if len(act) == 0 {
		return act
	}
	return act[:actStepAsm(res, eq, p, &act[0], len(act), nm, ge)]
}
