//go:build !amd64

package automaton

// haveTeddy is false: the vector loop is written for amd64 alone.
const haveTeddy = false

func teddyFill(t *teddyTables, p *byte, blocks int, out *uint16, tail int) uint64 {
	panic("automaton: teddyFill without a vector loop")
}
