#include "textflag.h"

DATA nibbleMask<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibbleMask<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibbleMask<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibbleMask<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL nibbleMask<>(SB), RODATA|NOPTR, $32

// func teddyFill(t *teddyTables, p *byte, blocks int, out *uint16, tail int) uint64
//
// For each block of 16 positions: the 16 bytes at each of the offsets
// 0-3 are loaded into both lanes of a register; their low and high
// nibbles index the tables of that offset (the low lane's table holds
// buckets 0-7, the high lane's 8-15); the eight lookups are ANDed; a
// position is a candidate when its byte in either lane is not zero.
TEXT ·teddyFill(SB), NOSPLIT, $0-48
	MOVQ t+0(FP), AX
	MOVQ p+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ out+24(FP), DI
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
	VBROADCASTI128 0(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y8, Y0
	VPSHUFB Y1, Y9, Y1
	VPAND Y0, Y1, Y5

	VBROADCASTI128 1(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y10, Y0
	VPSHUFB Y1, Y11, Y1
	VPAND Y0, Y1, Y2
	VPAND Y2, Y5, Y5

	VBROADCASTI128 2(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y12, Y0
	VPSHUFB Y1, Y13, Y1
	VPAND Y0, Y1, Y3
	VPAND Y3, Y5, Y5

	VBROADCASTI128 3(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y14, Y0
	VPSHUFB Y1, Y15, Y1
	VPAND Y0, Y1, Y4
	VPAND Y4, Y5, Y5

	VPCMPEQB Y6, Y5, Y5
	VPMOVMSKB Y5, BX
	NOTL BX
	MOVL BX, DX
	SHRL $16, DX
	ORL DX, BX
	MOVW BX, 0(DI)

	ADDQ $16, SI
	ADDQ $2, DI
	DECQ CX
	JNZ loop

	// The block that ends at the last position, when the blocks leave
	// some: its mask is returned for the caller to place.
	MOVQ tail+32(FP), CX
	TESTQ CX, CX
	JZ notail
	MOVQ p+8(FP), SI
	ADDQ CX, SI
	VBROADCASTI128 0(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y8, Y0
	VPSHUFB Y1, Y9, Y1
	VPAND Y0, Y1, Y5
	VBROADCASTI128 1(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y10, Y0
	VPSHUFB Y1, Y11, Y1
	VPAND Y0, Y1, Y2
	VPAND Y2, Y5, Y5
	VBROADCASTI128 2(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y12, Y0
	VPSHUFB Y1, Y13, Y1
	VPAND Y0, Y1, Y3
	VPAND Y3, Y5, Y5
	VBROADCASTI128 3(SI), Y0
	VPSRLW $4, Y0, Y1
	VPAND Y7, Y0, Y0
	VPAND Y7, Y1, Y1
	VPSHUFB Y0, Y14, Y0
	VPSHUFB Y1, Y15, Y1
	VPAND Y0, Y1, Y4
	VPAND Y4, Y5, Y5
	VPCMPEQB Y6, Y5, Y5
	VPMOVMSKB Y5, BX
	NOTL BX
	MOVL BX, DX
	SHRL $16, DX
	ORL DX, BX
	ANDL $0xffff, BX
	VZEROUPPER
	MOVQ BX, ret+40(FP)
	RET

notail:
	VZEROUPPER
done:
	MOVQ $0, ret+40(FP)
	RET
