//go:build !amd64 || purego

package engine

// useAVX2 is false: this build has no assembly kernels.
const useAVX2 = false

func densePassAVX2(out, eq, p0, p1, p2 *Block, n0, n1, n2 uint64, ge bool, nz *[16]uint64) {
	panic("engine: densePassAVX2 without AVX2")
}

func betweenPassAVX2(gl, el, gh, eh, p0, p1, p2 *Block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64) {
	panic("engine: betweenPassAVX2 without AVX2")
}
