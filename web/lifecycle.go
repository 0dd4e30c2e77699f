package web

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// lifecycle guards a mutating endpoint: off unless EnableLifecycle, and
// refused for cross-origin browser requests (a page elsewhere posting
// text/plain to it), through net/http's CrossOriginProtection.
func lifecycle(o Options, h http.HandlerFunc) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !o.EnableLifecycle {
			http.Error(w, "lifecycle endpoints are off: start wedadiag with --web.enable-lifecycle "+
				"(or web.enable_lifecycle: true) to use "+r.URL.Path+"; SIGHUP reloads as well", http.StatusForbidden)
			return
		}
		if o.Reload == nil {
			http.Error(w, "reload is not available", http.StatusNotImplemented)
			return
		}
		h(w, r)
	}))
}

// position matches a file:line or file:line:col reference.
var position = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^\s:"'()]+\.(?:ya?ml|json):\d+(?::\d+)?`) })

// faultPositions says where a refused reload's faults are without quoting
// the files' content (which may hold secrets): the file:line:col of each
// fault, or a pointer to the log when the error names none.
func faultPositions(err error) string {
	seen := map[string]bool{}
	var out []string
	for _, p := range position().FindAllString(err.Error(), -1) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "see wedadiag's log for the reason\n"
	}
	return "faults at " + strings.Join(out, ", ") + " (details in wedadiag's log)\n"
}
