package tailer

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wedadiag/wedadiag/record"
)

// runStdin reads standard input (a "-" source) until it ends or ctx is
// done. There is nothing to rotate or resume: records carry Stream 0 and
// need no acknowledgement, offsets count bytes from the start.
func (r *runner) runStdin(ctx context.Context) {
	r.quit = ctx.Done()
	in := r.t.cfg.Stdin
	if in == nil {
		in = os.Stdin
	}
	rd, cleanup := pollable(in)
	defer cleanup()
	f := &file{path: Stdin, live: true, lastData: time.Now()}
	f.sp = record.NewLineSplitter(r.t.cfg.MaxLineBytes, 0)
	f.fr = r.newFramer(Stdin)
	f.st = &stream{source: r.name}
	f.push = r.pusher(f)
	f.emit = func(rec *record.Record) { r.emit(f, rec) }
	r.t.sourceReady(r.name)
	r.m.followed.Set(1)
	defer r.m.followed.Set(0)
	r.log.Info("reading standard input")

	dl, canWait := rd.(interface{ SetReadDeadline(time.Time) error })
	wait := min(r.t.cfg.PollInterval, r.t.cfg.IdleFlush)
	buf := make([]byte, chunkBytes)
	for ctx.Err() == nil && !r.stopped {
		r.applyConfigStdin(f)
		if canWait {
			dl.SetReadDeadline(time.Now().Add(wait))
		}
		n, err := rd.Read(buf)
		now := time.Now()
		if n > 0 {
			f.lastData = now
			r.m.bytes.Add(float64(n))
			f.sp.Feed(buf[:n], f.push)
			r.countLines()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) || (err == nil && n == 0) {
			if now.Sub(f.lastData) >= r.t.cfg.IdleFlush {
				r.flushStdin(f)
			}
			continue
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				r.log.Warn("cannot read standard input", "err", err)
				r.m.readErrors.Inc()
			}
			r.flushStdin(f)
			r.log.Info("standard input ended")
			return
		}
	}
}

func (r *runner) flushStdin(f *file) {
	f.sp.Flush(f.push)
	r.countLines()
	f.fr.Flush(f.emit)
}

func (r *runner) applyConfigStdin(f *file) {
	r.cfgMu.Lock()
	p := r.pending
	r.pending = nil
	r.cfgMu.Unlock()
	if p != nil && p.Multiline != r.src.Multiline {
		f.fr.Flush(f.emit)
		r.src = *p
		f.fr = r.newFramer(Stdin)
	}
}

// pollable returns a reader of in whose reads can time out, so that a
// blocked read of standard input neither keeps a partial line forever nor
// stops Run from returning. Standard input is usually a blocking descriptor
// the runtime poller does not know; a non-blocking duplicate is (its
// O_NONBLOCK flag, shared with the original, is restored afterwards).
// Readers that are not files are read as they are: Run then returns only
// when their Read does.
func pollable(in io.Reader) (io.Reader, func()) {
	noop := func() {}
	f, ok := in.(*os.File)
	if !ok {
		return in, noop
	}
	if f.SetReadDeadline(time.Time{}) == nil {
		return f, noop
	}
	if fi, err := f.Stat(); err != nil || fi.Mode().IsRegular() {
		return f, noop // a regular file never blocks
	}
	orig := int(f.Fd())
	fd, err := unix.Dup(orig)
	if err != nil {
		return f, noop
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return f, noop
	}
	nf := os.NewFile(uintptr(fd), f.Name())
	if nf.SetReadDeadline(time.Time{}) != nil {
		nf.Close()
		unix.SetNonblock(orig, false)
		return f, noop
	}
	return nf, func() {
		nf.Close()
		unix.SetNonblock(orig, false)
	}
}
