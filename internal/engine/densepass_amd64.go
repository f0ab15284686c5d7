//go:build amd64 && !purego

package engine

// useAVX2 reports whether densePass may run its AVX2 kernel: the processor
// has AVX2 and the operating system saves the YMM registers. It is decided
// once from the CPUID instruction and never changes.
var useAVX2 = hasAVX2()

func hasAVX2() bool {
	_, _, c, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if c&osxsave == 0 || c&avx == 0 {
		return false
	}
	if eax, _ := xgetbv(); eax&6 != 6 { // XMM and YMM state enabled
		return false
	}
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	return b&(1<<5) != 0
}

//go:noescape
func densePassAVX2(out, eq, p0, p1, p2 *block, n0, n1, n2 uint64, ge bool, nz *[16]uint64)

//go:noescape
func betweenPassAVX2(gl, el, gh, eh, p0, p1, p2 *block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)
