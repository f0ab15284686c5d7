//go:build amd64 && !purego

package engine

// filterBitsAsm keeps the values of v[:n] whose bit is set in w (clear when
// neg) at the front of v, in order, and returns how many.
//
//go:noescape
func filterBitsAsm(w *block, v *uint16, n int, neg bool) int

// filterBits keeps the values of v whose bit is set in w (clear when neg):
// a bit test and an add with carry per value, in assembly.
func filterBits(w *block, v []uint16, neg bool) []uint16 {
	if len(v) == 0 {
		return filterBitsGo(w, v, neg)
	}
	return v[:filterBitsAsm(w, &v[0], len(v), neg)]
}
