#include "textflag.h"

DATA nibbleMask<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibbleMask<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibbleMask<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibbleMask<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL nibbleMask<>(SB), RODATA|NOPTR, $32

// LOOKUP(off, lo, hi, dst): the 16 bytes at SI+off in both lanes of Y0;
// dst = table lo looked up by their low nibbles AND table hi by their
// high nibbles. Y7 holds 0x0f in every byte; Y0 and Y1 are used.
#define LOOKUP(off, lo, hi, dst) \
	VBROADCASTI128 off(SI), Y0 \
	VPSRLW $4, Y0, Y1 \
	VPAND Y7, Y0, Y0 \
	VPAND Y7, Y1, Y1 \
	VPSHUFB Y0, lo, Y0 \
	VPSHUFB Y1, hi, Y1 \
	VPAND Y0, Y1, dst

// BLOCK: BX = the candidates of the 16 positions at SI, bit i for SI+i: a
// position whose byte is not zero in either lane after the four offsets'
// lookups, ANDed as a tree. Y6 is zero; Y2-Y5 are used.
#define BLOCK \
	LOOKUP(0, Y8, Y9, Y2) \
	LOOKUP(1, Y10, Y11, Y3) \
	LOOKUP(2, Y12, Y13, Y4) \
	LOOKUP(3, Y14, Y15, Y5) \
	VPAND Y2, Y3, Y3 \
	VPAND Y4, Y5, Y5 \
	VPAND Y3, Y5, Y5 \
	VPCMPEQB Y6, Y5, Y5 \
	VPMOVMSKB Y5, BX \
	NOTL BX \
	MOVL BX, DX \
	SHRL $16, DX \
	ORL DX, BX \
	ANDL $0xffff, BX

// func teddyFill(t *teddyTables, p *byte, blocks int, out *uint16, tail int) uint64
//
// For each block of 16 positions: the 16 bytes at each of the offsets
// 0-3 are loaded into both lanes of a register; their low and high
// nibbles index the tables of that offset (the low lane's table holds
// buckets 0-7, the high lane's 8-15); the eight lookups are ANDed; a
// position is a candidate when its byte in either lane is not zero. When
// tail is not 0, the block at p+tail is decided too and its mask
// returned.
TEXT ·teddyFill(SB), NOSPLIT, $0-48
	MOVQ t+0(FP), AX
	MOVQ p+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ out+24(FP), DI
	MOVQ $0, ret+40(FP)
	TESTQ CX, CX
	JLE done

	VMOVDQU 0(AX), Y8    // offset 0, low nibbles
	VMOVDQU 32(AX), Y9   // offset 0, high nibbles
	VMOVDQU 64(AX), Y10
	VMOVDQU 96(AX), Y11
	VMOVDQU 128(AX), Y12
	VMOVDQU 160(AX), Y13
	VMOVDQU 192(AX), Y14
	VMOVDQU 224(AX), Y15
	VMOVDQU nibbleMask<>(SB), Y7
	VPXOR Y6, Y6, Y6     // zero

loop:
	BLOCK
	MOVW BX, 0(DI)
	ADDQ $16, SI
	ADDQ $2, DI
	DECQ CX
	JNZ loop

	MOVQ tail+32(FP), CX
	TESTQ CX, CX
	JZ vzero
	MOVQ p+8(FP), SI
	ADDQ CX, SI
	BLOCK
	MOVQ BX, ret+40(FP)

vzero:
	VZEROUPPER
done:
	RET
