//go:build !amd64 || purego

package engine

// useAVX512 is false: this build has no assembly kernels.
const useAVX512 = false

// flatten16 is flatten for 16-bit values: dst must hold n+flatSlack.
func flatten16(dst []uint16, b *block, sel []uint16, n int) {
	flatten(dst, b, sel, 0, n)
}

// flatten32 is flatten for 32-bit values (IDs): dst must hold n+flatSlack.
func flatten32(dst []uint32, b *block, sel []uint16, base uint32, n int) {
	flatten(dst, b, sel, base, n)
}
