package redact

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wedadiag/wedadiag/internal/textutil"
)

// DefaultLimit is the size, in bytes, of a sample when Options.Limit is 0.
const DefaultLimit = 1024

// Mask is what a secret value is replaced with.
const Mask = "[REDACTED]"

// Pattern is an extra pattern an operator configures, in Go regexp syntax.
// Each match is replaced with Replace, which may refer to submatches as $1 or
// ${name}; an empty Replace gives "[REDACTED:<name>]".
type Pattern struct {
	Name    string `yaml:"name" mapstructure:"name" json:"name"`
	Regexp  string `yaml:"regexp" mapstructure:"regexp" json:"regexp"`
	Replace string `yaml:"replace" mapstructure:"replace" json:"replace,omitempty"`
}

// Options configure a Redactor. The zero value redacts with the built-in
// patterns and cuts samples to DefaultLimit bytes.
type Options struct {
	// Disabled turns masking off; samples are still cut.
	Disabled bool
	// Limit is the largest sample in bytes (0: DefaultLimit).
	Limit int
	// Extra patterns run after the built-in ones.
	Extra []Pattern
}

// Redactor cuts and masks samples. It is safe for concurrent use.
type Redactor struct {
	limit int
	off   bool
	extra []extra
}

type extra struct {
	re      *regexp.Regexp
	replace string
}

// New builds a Redactor. A bad extra pattern is an error naming its index
// and name.
func New(o Options) (*Redactor, error) {
	r := &Redactor{limit: o.Limit, off: o.Disabled}
	if r.limit <= 0 {
		r.limit = DefaultLimit
	}
	var errs []error
	for i, p := range o.Extra {
		if p.Regexp == "" {
			errs = append(errs, fmt.Errorf("pattern %d (%q): regexp is empty", i, p.Name))
			continue
		}
		re, err := regexp.Compile(p.Regexp)
		if err != nil {
			errs = append(errs, fmt.Errorf("pattern %d (%q): %w", i, p.Name, err))
			continue
		}
		rep := p.Replace
		if rep == "" {
			name := p.Name
			if name == "" {
				name = fmt.Sprintf("pattern%d", i)
			}
			rep = "[REDACTED:" + name + "]"
		}
		r.extra = append(r.extra, extra{re: re, replace: rep})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// Default is a Redactor with the built-in patterns and DefaultLimit.
func Default() *Redactor {
	r, _ := New(Options{})
	return r
}

// Limit is the largest sample this Redactor makes, in bytes.
func (r *Redactor) Limit() int { return r.limit }

// Sample turns record text into a sample: valid UTF-8, secrets masked, at
// most Limit bytes (cut on a rune boundary, ending in "…" when cut). The
// text is cut generously before masking, so a very long line costs no more
// than a short one, and cut again after.
func (r *Redactor) Sample(text []byte) string {
	pre := 4 * r.limit
	if len(text) > pre {
		k := pre
		for k > 0 && !utf8.RuneStart(text[k]) {
			k--
		}
		text = text[:k]
	}
	s := strings.ToValidUTF8(string(text), "\uFFFD")
	s = r.Redact(s)
	return textutil.Cut(s, r.limit)
}

// Redact masks every secret and personal datum in s that the built-in and
// the extra patterns know. It does not cut.
func (r *Redactor) Redact(s string) string {
	if r == nil || r.off || s == "" {
		return s
	}
	bs := builtins()
	g, fast := builtinGates()
	var open uint32
	if fast {
		open = g.scan(s)
	}
	for k, b := range bs {
		if fast && open&(1<<k) == 0 || !fast && !b.gate(s) {
			continue
		}
		if b.maybe != nil && !b.maybe(s) {
			continue
		}
		t := b.apply(s)
		if fast && t != s {
			// The masks may add or remove gate words for the steps after.
			open = g.scan(t)
		}
		s = t
	}
	s = maskNumbers(s)
	for _, e := range r.extra {
		s = e.re.ReplaceAllString(s, e.replace)
	}
	return s
}

// containsFold reports whether s contains the ASCII word w (lower case),
// ignoring ASCII case. It is a cheap gate before a regexp runs.
func containsFold(s, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(s); i++ {
		if lower(s[i]) != w[0] {
			continue
		}
		j := 1
		for ; j < n; j++ {
			if lower(s[i+j]) != w[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// gate reports whether any of the builtin's gate words occurs in s.
func (b builtin) gate(s string) bool {
	if len(b.quick) == 0 {
		return true
	}
	for _, w := range b.quick {
		if containsFold(s, w) {
			return true
		}
	}
	return false
}
