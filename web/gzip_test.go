package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetricsGzip: a scraper that accepts gzip gets the metrics page
// gzip-compressed, the same page as one that does not; a refusal
// (q=0) gets it plain.
func TestMetricsGzip(t *testing.T) {
	h := testHandler(t, nil, nil)
	get := func(accept string) (string, []byte) {
		req := httptest.NewRequest("GET", "/metrics", nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("Accept-Encoding %q: status %d", accept, rec.Code)
		}
		return rec.Header().Get("Content-Encoding"), rec.Body.Bytes()
	}
	enc, plain := get("")
	if enc != "" || !bytes.Contains(plain, []byte("wedadiag_test_total 0")) {
		t.Fatalf("plain: encoding %q, body %q", enc, plain)
	}
	enc, packed := get("deflate, gzip;q=0.8")
	if enc != "gzip" {
		t.Fatalf("gzip accepted: encoding %q", enc)
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	unpacked, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unpacked, plain) {
		t.Errorf("gzip body unpacks to\n%s\nwant\n%s", unpacked, plain)
	}
	if enc, body := get("gzip;q=0"); enc != "" || !bytes.Equal(body, plain) {
		t.Errorf("gzip refused: encoding %q", enc)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for in, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip": true, "gzip;q=0": false, "gzip; q=0.000": false,
		"gzip;q=0.5": true, "gzip;q=1.0": true, "br, zstd": false, "x-gzip": false, "identity": false,
	} {
		if got := acceptsGzip(strings.Split(in, "\n")); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", in, got, want)
		}
	}
}
