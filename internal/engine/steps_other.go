//go:build !amd64 || purego

package engine

// filterBits keeps the values of v whose bit is set in w (clear when neg).
func filterBits(w *Block, v []uint16, neg bool) []uint16 {
	return filterBitsGo(w, v, neg)
}

// filterCodes keeps the values of v whose code is in [ulo, uhi] (not in it
// when neg). pg nil means no customer of the chunk has a value.
func filterCodes(pg *[1 << ChunkBits]uint8, ulo, uhi uint64, v []uint16, neg bool) []uint16 {
	return filterCodesGo(pg, ulo, uhi, v, neg)
}

// actStep is one plane of compareAct (see actStepGo).
func actStep(res, eq, p *Block, act []uint16, nm uint64, ge bool) []uint16 {
	return actStepGo(res, eq, p, act, nm, ge)
}
