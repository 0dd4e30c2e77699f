// Command bytefreq prints the share of each byte value in the files it is
// given, per 100,000 bytes (each file weighed by its size), as the Go table
// internal/automaton/bytefreq.go holds: the odds the vector prefilter
// spreads its keys over buckets by. The table there was made from the
// accuracy corpus (scripts/accuracy -seed 1: 44 log formats, English and
// Chinese, with the benign logs), not from the bench corpora it is
// measured on:
//
//	scripts/accuracy -seed 1 && go run ./tools/bytefreq accuracy-out/*.log
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bytefreq FILE...")
		os.Exit(2)
	}
	var count [256]int64
	total := int64(0)
	for _, name := range os.Args[1:] {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bytefreq:", err)
			os.Exit(1)
		}
		for _, c := range data {
			count[c]++
		}
		total += int64(len(data))
	}
	if total == 0 {
		fmt.Fprintln(os.Stderr, "bytefreq: the files are empty")
		os.Exit(1)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// logByteFreq is each byte's share of log text, per 100,000 bytes\n")
	fmt.Fprintf(&b, "// (tools/bytefreq over %d bytes of %d files).\n", total, len(os.Args)-1)
	b.WriteString("var logByteFreq = [256]uint16{\n")
	for row := 0; row < 256; row += 16 {
		b.WriteString("\t")
		for c := row; c < row+16; c++ {
			fmt.Fprintf(&b, "%d,", (count[c]*100000+total/2)/total)
			if c < row+15 {
				b.WriteString(" ")
			}
		}
		fmt.Fprintf(&b, " // %#02x\n", row)
	}
	b.WriteString("}\n")
	fmt.Print(b.String())
}
