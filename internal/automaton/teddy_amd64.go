package automaton

import "golang.org/x/sys/cpu"

// haveTeddy tells whether teddyFill runs here: it needs AVX2.
var haveTeddy = cpu.X86.HasAVX2

// teddyFill decides blocks blocks of teddyBlock positions from p, writing
// the candidates of block j as the bits of out[j] (bit i for position
// j*teddyBlock+i). When tail is not 0, it also decides the block at p+tail
// and returns its mask. p must have blocks*teddyBlock+teddyWidth-1 bytes,
// and tail+teddyBlock+teddyWidth-1; blocks must be at least 1.
//
//go:noescape
func teddyFill(t *teddyTables, p *byte, blocks int, out *uint16, tail int) uint64
