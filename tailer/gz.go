package tailer

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// compressedSuffixes are the names of compressed files: a glob may match
// them (app.log*), but they are never followed as live files. Only .gz is
// read, for the rest of a rotated file that was compressed.
var compressedSuffixes = []string{".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip", ".Z"}

func isCompressed(name string) bool {
	for _, s := range compressedSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// gzHead returns the first n bytes of the decompressed content of a .gz file.
func gzHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	m, err := io.ReadFull(zr, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:m], nil
}

// gzReader reads the decompressed content of a .gz file sequentially from
// an offset: the rest of a rotated file that was compressed.
type gzReader struct {
	f   *os.File
	zr  *gzip.Reader
	pos int64 // decompressed offset of the next byte
}

func openGz(path string, off int64) (*gzReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 32<<10))
	if err != nil {
		f.Close()
		return nil, err
	}
	n, err := io.CopyN(io.Discard, zr, off)
	if err != nil {
		zr.Close()
		f.Close()
		return nil, fmt.Errorf("skip to offset %d (reached %d): %w", off, n, err)
	}
	return &gzReader{f: f, zr: zr, pos: off}, nil
}

// ReadAt reads at off, which must be the next offset: a gzip stream only
// goes forward.
func (g *gzReader) ReadAt(p []byte, off int64) (int, error) {
	if off != g.pos {
		return 0, fmt.Errorf("gzip stream at %d cannot read at %d", g.pos, off)
	}
	n, err := g.zr.Read(p)
	g.pos += int64(n)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("compressed data ends early (still being written?): %w", err)
	}
	return n, err
}

func (g *gzReader) Close() error {
	g.zr.Close()
	return g.f.Close()
}
