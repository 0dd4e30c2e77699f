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
	fmt.Print(table(&count, total, len(os.Args)-1))
}

// table is the Go declaration of logByteFreq for counts of total bytes
// read from files files: each byte's count per 100,000, rounded.
func table(count *[256]int64, total int64, files int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// logByteFreq is each byte's share of log text, per 100,000 bytes\n")
	fmt.Fprintf(&b, "// (tools/bytefreq over %d bytes of %d files).\n", total, files)
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
	return b.String()
}
