//go:build amd64 && !purego

#include "textflag.h"

// Scalar kernels of the filter steps: the value-mode bit and code tests
// (filterBits, filterCodes) and compareAct's plane step (actStep). They
// need only the base amd64 instruction set.

// One value: keep v[R9+K] when bit (value & 63) of its word is set (clear
// after CMC), writing it at v[R10] and counting it with the carry.
#define PROBE(K, FLIP) \
	MOVWLZX (K*2)(DI)(R9*2), AX \
	MOVL AX, BX                 \
	SHRL $6, BX                 \
	MOVQ (SI)(BX*8), BX         \
	BTQ AX, BX                  \
	FLIP                        \
	MOVW AX, (DI)(R10*2)        \
	ADCQ $0, R10

#define KEEP
#define DROP CMC

// func filterBitsAsm(w *block, v *uint16, n int, neg bool) int
//
// Keeps, in place and in order, the values of v[:n] whose bit is set in w
// (clear when neg) and returns how many it kept: a bit test and an add with
// carry per value, four per step.
TEXT ·filterBitsAsm(SB), NOSPLIT, $0-40
	MOVQ w+0(FP), SI
	MOVQ v+8(FP), DI
	MOVQ n+16(FP), CX
	MOVBQZX neg+24(FP), R8
	XORQ R9, R9                    // values read
	XORQ R10, R10                  // values kept
	MOVQ CX, DX
	ANDQ $-4, DX                   // values read four at a time
	TESTQ R8, R8
	JNE neg4

keep4:
	CMPQ R9, DX
	JAE keep1
	PROBE(0, KEEP)
	PROBE(1, KEEP)
	PROBE(2, KEEP)
	PROBE(3, KEEP)
	ADDQ $4, R9
	JMP keep4

keep1:
	CMPQ R9, CX
	JAE done
	PROBE(0, KEEP)
	INCQ R9
	JMP keep1

neg4:
	CMPQ R9, DX
	JAE neg1
	PROBE(0, DROP)
	PROBE(1, DROP)
	PROBE(2, DROP)
	PROBE(3, DROP)
	ADDQ $4, R9
	JMP neg4

neg1:
	CMPQ R9, CX
	JAE done
	PROBE(0, DROP)
	INCQ R9
	JMP neg1

done:
	MOVQ R10, ret+32(FP)
	RET

// One value: keep v[R9+K] when its code minus R11 is below R12 (above or
// equal after CMC).
#define CODE(K, FLIP) \
	MOVWLZX (K*2)(DI)(R9*2), AX \
	MOVBQZX (SI)(AX*1), BX      \
	SUBQ R11, BX                \
	CMPQ BX, R12                \
	FLIP                        \
	MOVW AX, (DI)(R10*2)        \
	ADCQ $0, R10

// func filterCodesAsm(pg *[1 << ChunkBits]uint8, v *uint16, n int, ulo, width uint64, neg bool) int
//
// Keeps, in place and in order, the values of v[:n] whose code c has
// c-ulo < width, unsigned (the others when neg), and returns how many it
// kept, four per step.
TEXT ·filterCodesAsm(SB), NOSPLIT, $0-56
	MOVQ pg+0(FP), SI
	MOVQ v+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ ulo+24(FP), R11
	MOVQ width+32(FP), R12
	MOVBQZX neg+40(FP), R8
	XORQ R9, R9
	XORQ R10, R10
	MOVQ CX, DX
	ANDQ $-4, DX
	TESTQ R8, R8
	JNE cneg4

ckeep4:
	CMPQ R9, DX
	JAE ckeep1
	CODE(0, KEEP)
	CODE(1, KEEP)
	CODE(2, KEEP)
	CODE(3, KEEP)
	ADDQ $4, R9
	JMP ckeep4

ckeep1:
	CMPQ R9, CX
	JAE cdone
	CODE(0, KEEP)
	INCQ R9
	JMP ckeep1

cneg4:
	CMPQ R9, DX
	JAE cneg1
	CODE(0, DROP)
	CODE(1, DROP)
	CODE(2, DROP)
	CODE(3, DROP)
	ADDQ $4, R9
	JMP cneg4

cneg1:
	CMPQ R9, CX
	JAE cdone
	CODE(0, DROP)
	INCQ R9
	JMP cneg1

cdone:
	MOVQ R10, ret+48(FP)
	RET

// One undecided word i = act[R9] of a plane step: e = eq[i], b = p[i];
// RES adds the decided candidates to res[i]; then e &= b ^ nm, eq[i] = e,
// and i stays in act (at R10) when e is not zero.
#define ACT(RES) \
	MOVWQZX (R8)(R9*2), AX     \
	ANDQ $1023, AX             \
	MOVQ (DI)(AX*8), BX        \
	MOVQ (DX)(AX*8), CX        \
	RES                        \
	XORQ R11, CX               \
	ANDQ CX, BX                \
	MOVQ BX, (DI)(AX*8)        \
	MOVW AX, (R8)(R10*2)       \
	CMPQ BX, $1                \
	SBBQ $-1, R10

// ge: res[i] |= e & b & nm
#define RESGE \
	MOVQ BX, R12     \
	ANDQ CX, R12     \
	ANDQ R11, R12    \
	ORQ R12, (SI)(AX*8)

// le: res[i] |= e &^ (b | nm)
#define RESLE \
	MOVQ CX, R12     \
	ORQ R11, R12     \
	NOTQ R12         \
	ANDQ BX, R12     \
	ORQ R12, (SI)(AX*8)

// func actStepAsm(res, eq, p *block, act *uint16, n int, nm uint64, ge bool) int
//
// actStep in assembly: one plane of compareAct on the undecided words
// act[:n]; returns how many stay undecided, kept in order at the front.
TEXT ·actStepAsm(SB), NOSPLIT, $0-64
	MOVQ res+0(FP), SI
	MOVQ eq+8(FP), DI
	MOVQ p+16(FP), DX
	MOVQ act+24(FP), R8
	MOVQ n+32(FP), R13
	MOVQ nm+40(FP), R11
	MOVBQZX ge+48(FP), R14
	XORQ R9, R9
	XORQ R10, R10
	TESTQ R13, R13
	JEQ adone
	TESTQ R14, R14
	JEQ le

ge:
	ACT(RESGE)
	INCQ R9
	CMPQ R9, R13
	JB ge
	JMP adone

le:
	ACT(RESLE)
	INCQ R9
	CMPQ R9, R13
	JB le

adone:
	MOVQ R10, ret+56(FP)
	RET
