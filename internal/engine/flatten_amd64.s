//go:build amd64 && !purego

#include "textflag.h"

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

// func flattenAVX512(dst *uint16, b *block, sel *uint16, nsel int, base uint16)
//
// Writes base | i<<6 | j for every bit j of b's word i, for i in
// sel[:nsel], in order, into dst. Per word, each half's offsets are
// compressed under the half's bits and stored as a whole vector of 32
// values, the next store starting after the ones kept: dst must have room
// for 32 values past the last one written.
TEXT ·flattenAVX512(SB), NOSPLIT, $0-34
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ sel+16(FP), R8
	MOVQ nsel+24(FP), CX
	MOVWQZX base+32(FP), R9
	VMOVDQU64 offsets<>+0(SB), Z0
	VMOVDQU64 offsets<>+64(SB), Z1
	XORQ R10, R10                  // words done
	TESTQ CX, CX
	JEQ done

word:
	MOVWQZX (R8)(R10*2), AX
	ANDQ $1023, AX
	MOVQ (SI)(AX*8), BX            // the word
	SHLQ $6, AX
	ORQ R9, AX                     // base | i<<6
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
