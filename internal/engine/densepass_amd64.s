//go:build amd64 && !purego

#include "textflag.h"

// One plane of the range kernel on four words: Y0 = e (candidates equal to
// the bound so far), Y1 = g (decided in the range), b loaded from plane
// register P at byte offset DX, N the broadcast complement of the bound
// bit's mask. Y2 and Y3 are scratch.
//	ge: g |= e & b & n
//	le: g |= e &^ (b | n)
//	both: e &= b ^ n
#define PLANE_GE(P, N) \
	VMOVDQU (P)(DX*1), Y2 \
	VPAND Y2, Y0, Y3      \
	VPAND N, Y3, Y3       \
	VPOR Y3, Y1, Y1       \
	VPXOR N, Y2, Y2       \
	VPAND Y2, Y0, Y0

#define PLANE_LE(P, N) \
	VMOVDQU (P)(DX*1), Y2 \
	VPOR N, Y2, Y3        \
	VPANDN Y0, Y3, Y3     \
	VPOR Y3, Y1, Y1       \
	VPXOR N, Y2, Y2       \
	VPAND Y2, Y0, Y0

// One plane for both bounds: Y0/Y1 = e/g of the lower bound (>=) with
// complement NL, Y2/Y3 = e/g of the upper bound (<=) with complement NH.
// Y4, Y5 and Y6 are scratch.
#define BETWEEN(P, NL, NH) \
	VMOVDQU (P)(DX*1), Y4 \
	VPAND Y4, Y0, Y5      \
	VPAND NL, Y5, Y5      \
	VPOR Y5, Y1, Y1       \
	VPXOR NL, Y4, Y6      \
	VPAND Y6, Y0, Y0      \
	VPOR NH, Y4, Y5       \
	VPANDN Y2, Y5, Y5     \
	VPOR Y5, Y3, Y3       \
	VPXOR NH, Y4, Y6      \
	VPAND Y6, Y2, Y2

// Store e and g back and add the four words' "e is not zero" bits to R12
// at bit CX.
#define STORE \
	VMOVDQU Y0, (SI)(DX*1) \
	VMOVDQU Y1, (DI)(DX*1) \
	VPCMPEQQ Y15, Y0, Y4   \
	VMOVMSKPD Y4, AX       \
	XORQ $15, AX           \
	SHLQ CL, AX            \
	ORQ AX, R12

// func densePassAVX2(out, eq, p0, p1, p2 *block, n0, n1, n2 uint64, ge bool, nz *[16]uint64)
//
// Runs the three planes over every word, four words per step (a block is
// 8192 bytes), and writes into nz one bit per word whose candidates are
// not all decided (eq not zero).
TEXT ·densePassAVX2(SB), NOSPLIT, $0-80
	MOVQ out+0(FP), DI
	MOVQ eq+8(FP), SI
	MOVQ p0+16(FP), R8
	MOVQ p1+24(FP), R9
	MOVQ p2+32(FP), R10
	VPBROADCASTQ n0+40(FP), Y10
	VPBROADCASTQ n1+48(FP), Y11
	VPBROADCASTQ n2+56(FP), Y12
	MOVQ nz+72(FP), R11
	VPXOR Y15, Y15, Y15
	XORQ DX, DX
	MOVBLZX ge+64(FP), AX
	TESTQ AX, AX
	JZ le

ge:
	XORQ R12, R12
	XORQ CX, CX

geword:
	VMOVDQU (SI)(DX*1), Y0
	VMOVDQU (DI)(DX*1), Y1
	PLANE_GE(R8, Y10)
	PLANE_GE(R9, Y11)
	PLANE_GE(R10, Y12)
	STORE
	ADDQ $32, DX
	ADDQ $4, CX
	CMPQ CX, $64
	JB geword
	MOVQ R12, (R11)
	ADDQ $8, R11
	CMPQ DX, $8192
	JB ge
	VZEROUPPER
	RET

le:
	XORQ R12, R12
	XORQ CX, CX

leword:
	VMOVDQU (SI)(DX*1), Y0
	VMOVDQU (DI)(DX*1), Y1
	PLANE_LE(R8, Y10)
	PLANE_LE(R9, Y11)
	PLANE_LE(R10, Y12)
	STORE
	ADDQ $32, DX
	ADDQ $4, CX
	CMPQ CX, $64
	JB leword
	MOVQ R12, (R11)
	ADDQ $8, R11
	CMPQ DX, $8192
	JB le
	VZEROUPPER
	RET

// func betweenPassAVX2(gl, el, gh, eh, p0, p1, p2 *block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64)
//
// densePassAVX2 for both bounds of a range at once, each plane read once:
// the lower bound (>=) with candidates el and result gl and the masks'
// complements l0..l2, the upper bound (<=) with eh, gh and h0..h2. nz gets
// one bit per word where el or eh is not zero.
TEXT ·betweenPassAVX2(SB), NOSPLIT, $0-112
	MOVQ gl+0(FP), DI
	MOVQ el+8(FP), SI
	MOVQ gh+16(FP), R14
	MOVQ eh+24(FP), R13
	MOVQ p0+32(FP), R8
	MOVQ p1+40(FP), R9
	MOVQ p2+48(FP), R10
	VPBROADCASTQ l0+56(FP), Y10
	VPBROADCASTQ l1+64(FP), Y11
	VPBROADCASTQ l2+72(FP), Y12
	VPBROADCASTQ h0+80(FP), Y13
	VPBROADCASTQ h1+88(FP), Y14
	VPBROADCASTQ h2+96(FP), Y15
	MOVQ nz+104(FP), R11
	VPXOR Y9, Y9, Y9
	XORQ DX, DX

between:
	XORQ R12, R12
	XORQ CX, CX

betweenword:
	VMOVDQU (SI)(DX*1), Y0     // el
	VMOVDQU (DI)(DX*1), Y1     // gl
	VMOVDQU (R13)(DX*1), Y2    // eh
	VMOVDQU (R14)(DX*1), Y3    // gh
	BETWEEN(R8, Y10, Y13)
	BETWEEN(R9, Y11, Y14)
	BETWEEN(R10, Y12, Y15)
	VMOVDQU Y0, (SI)(DX*1)
	VMOVDQU Y1, (DI)(DX*1)
	VMOVDQU Y2, (R13)(DX*1)
	VMOVDQU Y3, (R14)(DX*1)
	VPOR Y0, Y2, Y4
	VPCMPEQQ Y9, Y4, Y4
	VMOVMSKPD Y4, AX
	XORQ $15, AX
	SHLQ CL, AX
	ORQ AX, R12
	ADDQ $32, DX
	ADDQ $4, CX
	CMPQ CX, $64
	JB betweenword
	MOVQ R12, (R11)
	ADDQ $8, R11
	CMPQ DX, $8192
	JB between
	VZEROUPPER
	RET
