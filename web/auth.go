package web

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"
)

// probePaths are served without basic auth when ServeConfig.ProbesWithoutAuth
// is set: a Kubernetes kubelet probes them without credentials.
var probePaths = map[string]bool{"/healthz": true, "/readyz": true}

// splitAuth prepares a web config for probes without auth. When the file has
// basic_auth_users, it writes a copy without them (TLS paths made absolute,
// everything else as it was) for exporter-toolkit, which knows no exempt
// paths, and returns a basicAuth that checks the users itself. Otherwise it
// returns the file as it is and a nil basicAuth.
func splitAuth(path string) (toolkitFile string, ba *basicAuth, cleanup func(), err error) {
	noop := func() {}
	if path == "" {
		return "", nil, noop, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, noop, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", nil, noop, fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := doc["basic_auth_users"]; !ok {
		return path, nil, noop, nil
	}
	delete(doc, "basic_auth_users")
	dir, _ := filepath.Abs(filepath.Dir(path))
	if tls, ok := doc["tls_server_config"].(map[string]any); ok {
		for _, k := range []string{"cert_file", "key_file", "client_ca_file"} {
			if p, ok := tls[k].(string); ok && p != "" && !filepath.IsAbs(p) {
				tls[k] = filepath.Join(dir, p)
			}
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return "", nil, noop, err
	}
	f, err := os.CreateTemp("", "wedadiag-web-*.yml")
	if err != nil {
		return "", nil, noop, err
	}
	_, err = f.Write(out)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", nil, noop, err
	}
	ba = &basicAuth{path: path, ok: map[[32]byte]bool{}}
	if err := ba.reload(); err != nil {
		os.Remove(f.Name())
		return "", nil, noop, err
	}
	return f.Name(), ba, func() { os.Remove(f.Name()) }, nil
}

// basicAuth checks credentials against the basic_auth_users (bcrypt hashes)
// of a web config file, reread when the file changes, as exporter-toolkit
// does, with a bounded cache of bcrypt results.
type basicAuth struct {
	path string

	mu    sync.Mutex
	mtime time.Time
	users map[string]string
	ok    map[[32]byte]bool
}

// fakeHash is compared against for an unknown user, so timing does not tell
// which users exist: bcrypt at MinCost of "not a password", written out
// rather than hashed at start-up (TestFakeHash checks it).
const fakeHash = "$2a$04$9iOVPX2q8cdepmeKmGwNc.8rblGpGusI8r7qkPHNv1/u1fYt5s89K"

func (b *basicAuth) reload() error {
	fi, err := os.Stat(b.path)
	if err != nil {
		return err
	}
	if fi.ModTime().Equal(b.mtime) && b.users != nil {
		return nil
	}
	data, err := os.ReadFile(b.path)
	if err != nil {
		return err
	}
	var doc struct {
		Users map[string]string `yaml:"basic_auth_users"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", b.path, err)
	}
	if doc.Users == nil {
		doc.Users = map[string]string{}
	}
	b.users, b.mtime, b.ok = doc.Users, fi.ModTime(), map[[32]byte]bool{}
	return nil
}

var errAuth = errors.New("unauthorized")

func (b *basicAuth) check(r *http.Request) error {
	user, pass, given := r.BasicAuth()
	b.mu.Lock()
	if err := b.reload(); err != nil && b.users == nil {
		b.mu.Unlock()
		return err
	}
	hash, known := b.users[user]
	if !known {
		hash = fakeHash
	}
	key := sha256.Sum256([]byte(user + "\x00" + pass + "\x00" + hash))
	cached, hit := b.ok[key]
	b.mu.Unlock()
	if hit {
		if cached && given && known {
			return nil
		}
		return errAuth
	}
	good := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pass)) == nil
	good = good && given && known
	b.mu.Lock()
	if len(b.ok) >= 256 {
		clear(b.ok)
	}
	b.ok[key] = good
	b.mu.Unlock()
	if !good {
		return errAuth
	}
	return nil
}

// wrap serves the probe paths without credentials and asks for them on
// every other path.
func (b *basicAuth) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if probePaths[r.URL.Path] && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			h.ServeHTTP(w, r)
			return
		}
		if err := b.check(r); err != nil {
			w.Header().Set("WWW-Authenticate", "Basic")
			http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
