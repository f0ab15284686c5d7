//go:build !amd64 || purego

package engine

// filterBits keeps the values of v whose bit is set in w (clear when neg).
func filterBits(w *block, v []uint16, neg bool) []uint16 {
	return filterBitsGo(w, v, neg)
}
