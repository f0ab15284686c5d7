//go:build amd64 && !purego

#include "textflag.h"

// func densePassAVX2(out, eq, p0, p1, p2 *block, n0, n1, n2 uint64, ge bool)
//
// For each word i, with e = eq[i], g = out[i] and each plane b = pj[i] with
// its mask complement nj in turn:
//	ge: g |= e & b & nj
//	le: g |= e &^ (b | nj)
//	both: e &= b ^ nj
// Four words per step; a block is 8192 bytes.
TEXT ·densePassAVX2(SB), NOSPLIT, $0-65
	MOVQ out+0(FP), DI
	MOVQ eq+8(FP), SI
	MOVQ p0+16(FP), R8
	MOVQ p1+24(FP), R9
	MOVQ p2+32(FP), R10
	VPBROADCASTQ n0+40(FP), Y10
	VPBROADCASTQ n1+48(FP), Y11
	VPBROADCASTQ n2+56(FP), Y12
	XORQ CX, CX
	MOVBLZX ge+64(FP), AX
	TESTQ AX, AX
	JZ le

ge:
	VMOVDQU (SI)(CX*1), Y0     // e
	VMOVDQU (DI)(CX*1), Y1     // g
	VMOVDQU (R8)(CX*1), Y2     // b = p0
	VPAND Y2, Y0, Y3           // e & b
	VPAND Y10, Y3, Y3          // & n0
	VPOR Y3, Y1, Y1
	VPXOR Y10, Y2, Y2          // b ^ n0
	VPAND Y2, Y0, Y0
	VMOVDQU (R9)(CX*1), Y2     // b = p1
	VPAND Y2, Y0, Y3
	VPAND Y11, Y3, Y3
	VPOR Y3, Y1, Y1
	VPXOR Y11, Y2, Y2
	VPAND Y2, Y0, Y0
	VMOVDQU (R10)(CX*1), Y2    // b = p2
	VPAND Y2, Y0, Y3
	VPAND Y12, Y3, Y3
	VPOR Y3, Y1, Y1
	VPXOR Y12, Y2, Y2
	VPAND Y2, Y0, Y0
	VMOVDQU Y0, (SI)(CX*1)
	VMOVDQU Y1, (DI)(CX*1)
	ADDQ $32, CX
	CMPQ CX, $8192
	JB ge
	VZEROUPPER
	RET

le:
	VMOVDQU (SI)(CX*1), Y0     // e
	VMOVDQU (DI)(CX*1), Y1     // g
	VMOVDQU (R8)(CX*1), Y2     // b = p0
	VPOR Y10, Y2, Y3           // b | n0
	VPANDN Y0, Y3, Y3          // e &^ (b | n0)
	VPOR Y3, Y1, Y1
	VPXOR Y10, Y2, Y2
	VPAND Y2, Y0, Y0
	VMOVDQU (R9)(CX*1), Y2     // b = p1
	VPOR Y11, Y2, Y3
	VPANDN Y0, Y3, Y3
	VPOR Y3, Y1, Y1
	VPXOR Y11, Y2, Y2
	VPAND Y2, Y0, Y0
	VMOVDQU (R10)(CX*1), Y2    // b = p2
	VPOR Y12, Y2, Y3
	VPANDN Y0, Y3, Y3
	VPOR Y3, Y1, Y1
	VPXOR Y12, Y2, Y2
	VPAND Y2, Y0, Y0
	VMOVDQU Y0, (SI)(CX*1)
	VMOVDQU Y1, (DI)(CX*1)
	ADDQ $32, CX
	CMPQ CX, $8192
	JB le
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
