//go:build unix

package tailer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"syscall"
	"time"
)

// fpBytes is how many leading bytes of a file its fingerprint covers.
const fpBytes = 1024

// fileID identifies a file on its device.
type fileID struct{ dev, ino uint64 }

func statOf(fi os.FileInfo) *syscall.Stat_t {
	st, _ := fi.Sys().(*syscall.Stat_t)
	return st
}

func idOf(fi os.FileInfo) fileID {
	if st := statOf(fi); st != nil {
		return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)}
	}
	return fileID{}
}

// ctimeOf is the inode change time: for a copy, when it was created.
func ctimeOf(fi os.FileInfo) time.Time {
	if st := statOf(fi); st != nil {
		return time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec))
	}
	return fi.ModTime()
}

// readHead reads the first n bytes of r (fewer if it is shorter) into buf.
func readHead(r io.ReaderAt, buf []byte, n int) ([]byte, error) {
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	m, err := r.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:m], nil
}

// fingerprint is what positions.json keeps of a file's first bytes.
func fingerprint(head []byte) string {
	sum := sha256.Sum256(head)
	return hex.EncodeToString(sum[:16])
}
