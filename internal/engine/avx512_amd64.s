//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 kernels: members written as lists (flattenAVX512,
// flatten32AVX512) and the whole-chunk range passes (densePassAVX512,
// betweenPassAVX512).

// The offsets 0..63 as 16-bit lanes: bits 0-31 and 32-63 of a word.
DATA offsets<>+0(SB)/8, $0x0003000200010000
DATA offsets<>+8(SB)/8, $0x0007000600050004
DATA offsets<>+16(SB)/8, $0x000b000a00090008
DATA offsets<>+24(SB)/8, $0x000f000e000d000c
DATA offsets<>+32(SB)/8, $0x0013001200110010
DATA offsets<>+40(SB)/8, $0x0017001600150014
DATA offsets<>+48(SB)/8, $0x001b001a00190018
DATA offsets<>+56(SB)/8, $0x001f001e001d001c
DATA offsets<>+64(SB)/8, $0x0023002200210020
DATA offsets<>+72(SB)/8, $0x0027002600250024
DATA offsets<>+80(SB)/8, $0x002b002a00290028
DATA offsets<>+88(SB)/8, $0x002f002e002d002c
DATA offsets<>+96(SB)/8, $0x0033003200310030
DATA offsets<>+104(SB)/8, $0x0037003600350034
DATA offsets<>+112(SB)/8, $0x003b003a00390038
DATA offsets<>+120(SB)/8, $0x003f003e003d003c
GLOBL offsets<>(SB), RODATA|NOPTR, $128

// func flattenAVX512(dst *uint16, b *block, sel *uint16, nsel int)
//
// Writes i<<6 | j for every bit j of b's word i, for i in
// sel[:nsel], in order, into dst. Per word, each half's offsets are
// compressed under the half's bits and stored as a whole vector of 32
// values, the next store starting after the ones kept: dst must have room
// for 32 values past the last one written.
TEXT ·flattenAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ sel+16(FP), R8
	MOVQ nsel+24(FP), CX
	VMOVDQU64 offsets<>+0(SB), Z0
	VMOVDQU64 offsets<>+64(SB), Z1
	XORQ R10, R10                  // words done
	TESTQ CX, CX
	JEQ done

word:
	MOVWQZX (R8)(R10*2), AX
	ANDQ $1023, AX
	MOVQ (SI)(AX*8), BX            // the word
	SHLQ $6, AX                    // i<<6
	VPBROADCASTW AX, Z2
	KMOVD BX, K1
	VPADDW Z2, Z0, Z3
	VPCOMPRESSW.Z Z3, K1, Z3
	VMOVDQU16 Z3, (DI)
	MOVL BX, DX
	POPCNTL DX, DX
	LEAQ (DI)(DX*2), DI
	SHRQ $32, BX
	KMOVD BX, K2
	VPADDW Z2, Z1, Z4
	VPCOMPRESSW.Z Z4, K2, Z4
	VMOVDQU16 Z4, (DI)
	POPCNTQ BX, BX
	LEAQ (DI)(BX*2), DI
	INCQ R10
	CMPQ R10, CX
	JB word

done:
	VZEROUPPER
	RET

// One half of a word for flatten32AVX512: the half's offsets plus Z2
// (i<<6 in every lane) compressed under mask K, widened to 32 bits in two
// groups of 16, plus Z5 (base in every lane), stored at DI and DI+64; DI
// then moves past the values kept (popcount of R).
#define HALF32(OFF, K, R) \
	VPADDW Z2, OFF, Z3           \
	VPCOMPRESSW.Z Z3, K, Z3      \
	VPMOVZXWD Y3, Z4             \
	VPADDD Z5, Z4, Z4            \
	VMOVDQU32 Z4, (DI)           \
	VEXTRACTI64X4 $1, Z3, Y6     \
	VPMOVZXWD Y6, Z6             \
	VPADDD Z5, Z6, Z6            \
	VMOVDQU32 Z6, 64(DI)         \
	POPCNTQ R, R                 \
	LEAQ (DI)(R*4), DI

// func flatten32AVX512(dst *uint32, b *block, sel *uint16, nsel int, base uint32)
//
// flattenAVX512 for 32-bit values, base added to each: dst must have room
// for 32 values past the last one written.
TEXT ·flatten32AVX512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ sel+16(FP), R8
	MOVQ nsel+24(FP), CX
	MOVL base+32(FP), AX
	VPBROADCASTD AX, Z5
	VMOVDQU64 offsets<>+0(SB), Z0
	VMOVDQU64 offsets<>+64(SB), Z1
	XORQ R10, R10
	TESTQ CX, CX
	JEQ done32

word32:
	MOVWQZX (R8)(R10*2), AX
	ANDQ $1023, AX
	MOVQ (SI)(AX*8), BX
	SHLQ $6, AX
	VPBROADCASTW AX, Z2
	KMOVD BX, K1
	MOVL BX, DX
	SHRQ $32, BX
	KMOVD BX, K2
	HALF32(Z0, K1, DX)
	HALF32(Z1, K2, BX)
	INCQ R10
	CMPQ R10, CX
	JB word32

done32:
	VZEROUPPER
	RET

// One plane of the AVX-512 range kernel on eight words: Z0 = e, Z1 = g,
// b loaded from plane register P at byte offset DX, N the broadcast
// complement of the bound bit's mask; Z2 and Z3 are scratch.
//	ge: g |= e & (b & n)     (VPTERNLOGQ 0xF8: A | B&C)
//	le: g |= e &^ (b | n)    (VPTERNLOGQ 0xF4: A | B&^C)
//	both: e &= b ^ n         (VPTERNLOGQ 0x60: A & (B^C))
#define PLANE512(P, N, COMBINE, IMM) \
	VMOVDQU64 (P)(DX*1), Z2      \
	COMBINE N, Z2, Z3            \
	VPTERNLOGQ $IMM, Z3, Z0, Z1  \
	VPTERNLOGQ $0x60, N, Z2, Z0

// The three planes on eight words at byte offset DX: e from SI and g from
// DI, updated and stored back; the words' "e is not zero" bits go to R12
// at bit CX.
#define DENSE512(COMBINE, IMM) \
	VMOVDQU64 (SI)(DX*1), Z0              \
	VMOVDQU64 (DI)(DX*1), Z1              \
	PLANE512(R8, Z10, COMBINE, IMM)       \
	PLANE512(R9, Z11, COMBINE, IMM)       \
	PLANE512(R10, Z12, COMBINE, IMM)      \
	VMOVDQU64 Z0, (SI)(DX*1)              \
	VMOVDQU64 Z1, (DI)(DX*1)              \
	VPTESTMQ Z0, Z0, K1                   \
	KMOVW K1, AX                          \
	SHLQ CL, AX                           \
	ORQ AX, R12

// func densePassAVX512(out, eq, p0, p1, p2 *block, n0, n1, n2 uint64, ge bool, nz *[16]uint64)
//
// densePassAVX2 eight words per step, with the three-input logic
// instructions.
TEXT ·densePassAVX512(SB), NOSPLIT, $0-80
	MOVQ out+0(FP), DI
	MOVQ eq+8(FP), SI
	MOVQ p0+16(FP), R8
	MOVQ p1+24(FP), R9
	MOVQ p2+32(FP), R10
	VPBROADCASTQ n0+40(FP), Z10
	VPBROADCASTQ n1+48(FP), Z11
	VPBROADCASTQ n2+56(FP), Z12
	MOVQ nz+72(FP), R11
	XORQ DX, DX
	MOVBLZX ge+64(FP), AX
	TESTQ AX, AX
	JZ le512

ge512:
	XORQ R12, R12
	XORQ CX, CX

geword512:
	DENSE512(VPANDQ, 0xF8)
	ADDQ $64, DX
	ADDQ $8, CX
	CMPQ CX, $64
	JB geword512
	MOVQ R12, (R11)
	ADDQ $8, R11
	CMPQ DX, $8192
	JB ge512
	VZEROUPPER
	RET

le512:
	XORQ R12, R12
	XORQ CX, CX

leword512:
	DENSE512(VPORQ, 0xF4)
	ADDQ $64, DX
	ADDQ $8, CX
	CMPQ CX, $64
	JB leword512
	MOVQ R12, (R11)
	ADDQ $8, R11
	CMPQ DX, $8192
	JB le512
	VZEROUPPER
	RET

// One plane for both bounds, eight words: Z0/Z1 = e/g of the lower bound
// (>=) with complement NL, Z2/Z3 = e/g of the upper bound (<=) with
// complement NH; Z4 and Z5 are scratch.
#define BETWEEN512(P, NL, NH) \
	VMOVDQU64 (P)(DX*1), Z4      \
	VPANDQ NL, Z4, Z5            \
	VPTERNLOGQ $0xF8, Z5, Z0, Z1 \
	VPTERNLOGQ $0x60, NL, Z4, Z0 \
	VPORQ NH, Z4, Z5             \
	VPTERNLOGQ $0xF4, Z5, Z2, Z3 \
	VPTERNLOGQ $0x60, NH, Z4, Z2

// func betweenPassAVX512(gl, el, gh, eh, p0, p1, p2 *block, l0, l1, l2, h0, h1, h2 uint64, nz *[16]uint64)
//
// betweenPassAVX2 eight words per step, with the three-input logic
// instructions.
TEXT ·betweenPassAVX512(SB), NOSPLIT, $0-112
	MOVQ gl+0(FP), DI
	MOVQ el+8(FP), SI
	MOVQ gh+16(FP), R14
	MOVQ eh+24(FP), R13
	MOVQ p0+32(FP), R8
	MOVQ p1+40(FP), R9
	MOVQ p2+48(FP), R10
	VPBROADCASTQ l0+56(FP), Z10
	VPBROADCASTQ l1+64(FP), Z11
	VPBROADCASTQ l2+72(FP), Z12
	VPBROADCASTQ h0+80(FP), Z13
	VPBROADCASTQ h1+88(FP), Z14
	VPBROADCASTQ h2+96(FP), Z15
	MOVQ nz+104(FP), R11
	XORQ DX, DX

between512:
	XORQ R12, R12
	XORQ CX, CX

betweenword512:
	VMOVDQU64 (SI)(DX*1), Z0
	VMOVDQU64 (DI)(DX*1), Z1
	VMOVDQU64 (R13)(DX*1), Z2
	VMOVDQU64 (R14)(DX*1), Z3
	BETWEEN512(R8, Z10, Z13)
	BETWEEN512(R9, Z11, Z14)
	BETWEEN512(R10, Z12, Z15)
	VMOVDQU64 Z0, (SI)(DX*1)
	VMOVDQU64 Z1, (DI)(DX*1)
	VMOVDQU64 Z2, (R13)(DX*1)
	VMOVDQU64 Z3, (R14)(DX*1)
	VPORQ Z0, Z2, Z4
	VPTESTMQ Z4, Z4, K1
	KMOVW K1, AX
	SHLQ CL, AX
	ORQ AX, R12
	ADDQ $64, DX
	ADDQ $8, CX
	CMPQ CX, $64
	JB betweenword512
	MOVQ R12, (R11)
	ADDQ $8, R11
	CMPQ DX, $8192
	JB between512
	VZEROUPPER
	RET

// func andCodesAVX512(pg *[1 << ChunkBits]uint8, out *block, cur *uint16, n int, ulo, span uint64, neg bool) int
//
// andCodes on the words cur[:n]: per word i, its 64 codes (one cache line
// of pg) minus ulo compared with span, unsigned, give the word's customers
// in the range as a mask (VPCMPUB); out[i] is ANDed with it (AND-NOTed when
// neg) and i kept in cur, at the front and in order, when the result is
// not zero. Returns how many were kept. span must be below NoCode - ulo.
TEXT ·andCodesAVX512(SB), NOSPLIT, $0-64
	MOVQ pg+0(FP), SI
	MOVQ out+8(FP), DI
	MOVQ cur+16(FP), R8
	MOVQ n+24(FP), CX
	MOVQ ulo+32(FP), AX
	VPBROADCASTB AX, Z1
	MOVQ span+40(FP), AX
	VPBROADCASTB AX, Z2
	MOVBQZX neg+48(FP), R11
	NEGQ R11                       // all ones when neg
	XORQ R9, R9                    // words read
	XORQ R10, R10                  // words kept
	TESTQ CX, CX
	JEQ cdone

cword:
	MOVWQZX (R8)(R9*2), AX
	ANDQ $1023, AX
	MOVQ AX, DX
	SHLQ $6, DX
	VMOVDQU8 (SI)(DX*1), Z0
	VPSUBB Z1, Z0, Z0
	VPCMPUB $2, Z2, Z0, K1         // code - ulo <= span
	KMOVQ K1, BX
	XORQ R11, BX                   // the complement when neg
	ANDQ (DI)(AX*8), BX
	MOVQ BX, (DI)(AX*8)
	MOVW AX, (R8)(R10*2)
	CMPQ BX, $1
	SBBQ $-1, R10
	INCQ R9
	CMPQ R9, CX
	JB cword

cdone:
	VZEROUPPER
	MOVQ R10, ret+56(FP)
	RET

// func andPassAVX512(out, src *block, neg bool, nz *[16]uint64) int
//
// out[i] &= src[i] (out[i] &^= src[i] when neg) for every word of the
// chunk, eight words per step; bit i of nz is set when out[i] is not zero
// after it (one byte of nz per step), and the number of such words is
// returned.
TEXT ·andPassAVX512(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ src+8(FP), SI
	MOVBQZX neg+16(FP), AX
	MOVQ nz+24(FP), DX
	XORQ CX, CX                    // byte of nz = step
	XORQ R9, R9                    // non-zero words
	TESTQ AX, AX
	JNE anstep

astep:
	VMOVDQU64 (SI), Z1
	VPANDQ (DI), Z1, Z0
	VMOVDQU64 Z0, (DI)
	VPTESTMQ Z0, Z0, K1
	KMOVB K1, AX
	MOVB AX, (DX)(CX*1)
	POPCNTL AX, AX
	ADDQ AX, R9
	ADDQ $64, SI
	ADDQ $64, DI
	INCQ CX
	CMPQ CX, $128
	JB astep
	JMP adone

anstep:
	VMOVDQU64 (SI), Z1
	VPANDNQ (DI), Z1, Z0           // ^src & out
	VMOVDQU64 Z0, (DI)
	VPTESTMQ Z0, Z0, K1
	KMOVB K1, AX
	MOVB AX, (DX)(CX*1)
	POPCNTL AX, AX
	ADDQ AX, R9
	ADDQ $64, SI
	ADDQ $64, DI
	INCQ CX
	CMPQ CX, $128
	JB anstep

adone:
	VZEROUPPER
	MOVQ R9, ret+32(FP)
	RET

// func orPassAVX512(out, src *block)
//
// out[i] |= src[i] for every word of the chunk, 16 words per step.
TEXT ·orPassAVX512(SB), NOSPLIT, $0-16
	MOVQ out+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ $64, CX

ostep:
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VPORQ (DI), Z0, Z0
	VPORQ 64(DI), Z1, Z1
	VMOVDQU64 Z0, (DI)
	VMOVDQU64 Z1, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNE ostep
	VZEROUPPER
	RET

// func codesRangeAVX512(pg *[1 << ChunkBits]uint8, out *block, ulo, span uint64)
//
// Writes into every word i of out the customers of the chunk whose code c
// (byte 64i+j of pg for bit j) has c - ulo <= span, unsigned. span must be
// below NoCode - ulo, so that no customer without a value is in.
TEXT ·codesRangeAVX512(SB), NOSPLIT, $0-32
	MOVQ pg+0(FP), SI
	MOVQ out+8(FP), DI
	MOVQ ulo+16(FP), AX
	VPBROADCASTB AX, Z2
	MOVQ span+24(FP), AX
	VPBROADCASTB AX, Z3
	MOVQ $512, CX                  // steps of two words

rstep:
	VMOVDQU8 (SI), Z0
	VMOVDQU8 64(SI), Z1
	VPSUBB Z2, Z0, Z0
	VPSUBB Z2, Z1, Z1
	VPCMPUB $2, Z3, Z0, K1
	VPCMPUB $2, Z3, Z1, K2
	KMOVQ K1, (DI)
	KMOVQ K2, 8(DI)
	ADDQ $128, SI
	ADDQ $16, DI
	DECQ CX
	JNE rstep
	VZEROUPPER
	RET
