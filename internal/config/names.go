package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// logNameRe is the name part of --logs name=glob.
var logNameRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`) })

// SplitLog splits a --logs value into a source name and its glob:
// "app=/var/log/app/*.log" names the source app; a value without a name
// part ("/var/log/app/*.log") returns name "".
func SplitLog(v string) (name, glob string) {
	if i := strings.IndexByte(v, '='); i > 0 && logNameRe().MatchString(v[:i]) {
		return v[:i], v[i+1:]
	}
	return "", v
}

// DefaultSourceName derives a source's name from its glob, the same on
// every start: "-" is stdin; else the file's name without its extensions
// when it has no glob characters (/var/log/app/order.log: order), else the
// nearest directory without them (/var/log/app/*.log: app).
func DefaultSourceName(glob string) string {
	if glob == "-" {
		return "stdin"
	}
	parts := strings.Split(filepath.ToSlash(filepath.Clean(glob)), "/")
	base := parts[len(parts)-1]
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	if n := sanitizeName(base); n != "" && !strings.ContainsAny(base, "*?[") {
		return n
	}
	for i := len(parts) - 2; i >= 0; i-- {
		if p := parts[i]; p != "" && p != "." && p != ".." && !strings.ContainsAny(p, "*?[") {
			if n := sanitizeName(p); n != "" {
				return n
			}
		}
	}
	return "logs"
}

func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		case r == '*' || r == '?' || r == '[' || r == ']':
			return ""
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// logSources turns --logs values into sources: named as given, or after
// their glob, made unique with -2, -3 … in order.
func logSources(logs []string, taken map[string]bool) []Source {
	var out []Source
	for _, l := range logs {
		name, glob := SplitLog(l)
		if name == "" {
			base := DefaultSourceName(glob)
			name = base
			for k := 2; taken[name]; k++ {
				name = base + "-" + strconv.Itoa(k)
			}
		}
		taken[name] = true
		out = append(out, Source{Name: name, Paths: []string{glob}, Format: "auto", Multiline: "auto"})
	}
	return out
}

// DefaultStateDir is where state lives when state_dir is not set:
// /var/lib/wedadiag for root, else $XDG_STATE_HOME/wedadiag, else
// ~/.local/state/wedadiag; ./wedadiag-state when there is no home.
func DefaultStateDir(getenv func(string) string) string {
	return defaultStateDir(os.Geteuid(), getenv)
}

func defaultStateDir(euid int, getenv func(string) string) string {
	if euid == 0 {
		return "/var/lib/wedadiag"
	}
	if x := getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "wedadiag")
	}
	home := getenv("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	if home == "" {
		return "./wedadiag-state"
	}
	return filepath.Join(home, ".local", "state", "wedadiag")
}
