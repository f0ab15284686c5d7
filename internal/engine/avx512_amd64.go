//go:build amd64 && !purego

package engine

import "golang.org/x/sys/cpu"

// useAVX512 reports whether the AVX-512 kernels may run (flatten16 and
// flatten32 for results, densePass and betweenPass for ranges, eight words
// per instruction): the processor has AVX-512 F, BW and VBMI2 and the
// operating system saves the ZMM and mask registers, as
// golang.org/x/sys/cpu detects (its AVX-512 flags include the operating
// system's support).
var useAVX512 = useAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VBMI2

// flattenAVX512 is flatten16 on the words in sel[:nsel], whose set bits
// number n: dst must hold n+flatSlack values.
//
//go:noescape
func flattenAVX512(dst *uint16, b *uint64, sel *uint16, nsel int)

// flatten16 is flatten for 16-bit values: dst must hold n+flatSlack. Where
// the processor has AVX-512, a word's bits are written by two compressing
// stores instead of a bit at a time: about 1.4 ns per word, against 2.4 ns
// per bit for flatten at one bit per word and 1.4 at four
// (BenchmarkFlatten).
func flatten16(dst []uint16, b *Block, sel []uint16, n int) {
	if useAVX512 && len(sel) > 0 {
		_ = dst[n+flatSlack-1]
		flattenAVX512(&dst[0], &b[0], &sel[0], len(sel))
		return
	}
	flatten(dst, b, sel, 0, n)
}

// flatten32AVX512 is flattenAVX512 for 32-bit values with base added.
//
//go:noescape
func flatten32AVX512(dst *uint32, b *Block, sel *uint16, nsel int, base uint32)

// flatten32 is flatten for 32-bit values (IDs): dst must hold n+flatSlack.
// It uses the AVX-512 kernel like flatten16.
func flatten32(dst []uint32, b *Block, sel []uint16, base uint32, n int) {
	if useAVX512 && len(sel) > 0 {
		_ = dst[n+flatSlack-1]
		flatten32AVX512(&dst[0], b, &sel[0], len(sel), base)
		return
	}
	flatten(dst, b, sel, base, n)
}

// densePassAVX512 is densePassAVX2 eight words per step.
//
//go:noescape
func densePassAVX512(out, eq, p0, p1, p2 *Block, n0, n1, n2 uint64, ge bool, nz *[16]uint64)

// betweenPassAVX512 is betweenPassAVX2 eight words per step.
//
//go:noescape
func betweenPassAVX512(gl, el, gh, eh, p0, p1, p2 *Block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64)

// andCodesAVX512 is andCodes on the words cur[:n] with span = uhi-ulo,
// uhi below NoCode: a word's 64 codes compared at once. It returns how many
// words it kept at the front of cur.
//
//go:noescape
func andCodesAVX512(pg *[1 << ChunkBits]uint8, out *Block, cur *uint16, n int, ulo, span uint64, neg bool) int

// andPassAVX512 is andPass on the whole chunk, eight words per step.
//
//go:noescape
func andPassAVX512(out, src *Block, neg bool, nz *[chunkWords / 64]uint64) int

// orPassAVX512 ORs src into out, 16 words per step.
//
//go:noescape
func orPassAVX512(out, src *Block)

// codesRangeAVX512 writes a whole chunk's words of a range from its code
// column, 64 customers per compare.
//
//go:noescape
func codesRangeAVX512(pg *[1 << ChunkBits]uint8, out *Block, ulo, span uint64)
