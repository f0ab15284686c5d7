//go:build !amd64 || purego

package engine

// useAVX512 is false: this build has no assembly kernels.
const useAVX512 = false

// flatten16 is flatten for 16-bit values: dst must hold n+flatSlack.
func flatten16(dst []uint16, b *Block, sel []uint16, n int) {
	flatten(dst, b, sel, 0, n)
}

// flatten32 is flatten for 32-bit values (IDs): dst must hold n+flatSlack.
func flatten32(dst []uint32, b *Block, sel []uint16, base uint32, n int) {
	flatten(dst, b, sel, base, n)
}

func densePassAVX512(out, eq, p0, p1, p2 *Block, n0, n1, n2 uint64, ge bool, nz *[16]uint64) {
	panic("engine: densePassAVX512 without AVX-512")
}

func betweenPassAVX512(gl, el, gh, eh, p0, p1, p2 *Block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64) {
	panic("engine: betweenPassAVX512 without AVX-512")
}

func andCodesAVX512(pg *[1 << ChunkBits]uint8, out *Block, cur *uint16, n int, ulo, span uint64, neg bool) int {
	panic("engine: andCodesAVX512 without AVX-512")
}

func andPassAVX512(out, src *Block, neg bool, nz *[chunkWords / 64]uint64) int {
	panic("engine: andPassAVX512 without AVX-512")
}

func orPassAVX512(out, src *Block) {
	panic("engine: orPassAVX512 without AVX-512")
}

func codesRangeAVX512(pg *[1 << ChunkBits]uint8, out *Block, ulo, span uint64) {
	panic("engine: codesRangeAVX512 without AVX-512")
}

func flattenAVX512(dst *uint16, b *uint64, sel *uint16, nsel int) {
	panic("engine: flattenAVX512 without AVX-512")
}
