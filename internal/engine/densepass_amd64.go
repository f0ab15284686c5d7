//go:build amd64 && !purego

package engine

import "golang.org/x/sys/cpu"

// useAVX2 reports whether densePass may run its AVX2 kernel: the processor
// has AVX2 and the operating system saves the YMM registers, as
// golang.org/x/sys/cpu detects once at start-up. Tests turn it off to check
// the Go kernels.
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func densePassAVX2(out, eq, p0, p1, p2 *Block, n0, n1, n2 uint64, ge bool, nz *[16]uint64)

//go:noescape
func betweenPassAVX2(gl, el, gh, eh, p0, p1, p2 *Block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64)
