package yamlpos

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Fault is one problem with an input value.
type Fault struct {
	Key  string // key path: alerts.receivers[1].url; "" for the whole input
	Msg  string
	File string // "" when the value did not come from a file
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown (yaml.v3 syntax errors give a line only)
}

// Error is "file:line:col: key: msg", leaving out what is unknown.
func (f Fault) Error() string {
	var b strings.Builder
	switch {
	case f.File != "" && f.Line > 0 && f.Col > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", f.File, f.Line, f.Col)
	case f.File != "" && f.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", f.File, f.Line)
	case f.File != "":
		b.WriteString(f.File + ": ")
	}
	if f.Key != "" {
		b.WriteString(f.Key + ": ")
	}
	b.WriteString(f.Msg)
	return b.String()
}

// Faults are every fault found in one input, in the order found.
type Faults []Fault

// Error is one fault a line.
func (fs Faults) Error() string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.Error()
	}
	return strings.Join(lines, "\n")
}

// Add appends a fault about key.
func (fs *Faults) Add(key, format string, a ...any) {
	*fs = append(*fs, Fault{Key: key, Msg: fmt.Sprintf(format, a...)})
}

// Err returns fs as an error, nil when there is none.
func (fs Faults) Err() error {
	if len(fs) == 0 {
		return nil
	}
	return fs
}

// Pos is where a key is written.
type Pos struct{ Line, Col int }

// Positions maps key paths (sources[0].paths[1]) to where a file sets
// them.
type Positions struct {
	File string
	keys map[string]Pos
}

// Locate returns f with the file and the position of its key, or of the
// nearest enclosing key the file sets. Faults that already have a file, and
// all faults when p has no file, are returned as they are.
func (p *Positions) Locate(f Fault) Fault {
	if p == nil || p.File == "" || f.File != "" {
		return f
	}
	f.File = p.File
	for k := f.Key; k != ""; k = parent(k) {
		if pos, ok := p.keys[k]; ok {
			f.Line, f.Col = pos.Line, pos.Col
			break
		}
	}
	return f
}

// Has reports whether the file sets key.
func (p *Positions) Has(key string) bool {
	_, ok := p.keys[key]
	return ok
}

func parent(k string) string {
	i := strings.LastIndexAny(k, ".[")
	if i < 0 {
		return ""
	}
	return k[:i]
}

// Parse reads one YAML document and returns its root node (nil for an
// empty document). A syntax error is a Fault with the line yaml.v3 names.
func Parse(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxFault(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// syntaxFault turns yaml.v3's "yaml: line N: msg" into a Fault at line N
// (line 1 when it names none), the message still starting "yaml: ".
func syntaxFault(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	f := Fault{File: file, Line: 1, Msg: "yaml: " + msg}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, m, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(n); err == nil {
				f.Line, f.Msg = line, "yaml: "+m
				if parserProblem(m) {
					// yaml.v3's parser (not its scanner) names the 0-based
					// line where the enclosing block or bracket opened.
					f.Line++
					f.Msg += " (in the block that opens on this line: check the indentation and brackets below it)"
				}
			}
		}
	}
	return Faults{f}
}

// parserProblem reports whether a yaml.v3 message comes from its parser
// (as opposed to its scanner), whose line numbers are 0-based.
func parserProblem(msg string) bool {
	for _, p := range []string{
		"did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected key", "did not find expected node content",
		"found duplicate %", "found incompatible YAML document", "found undefined tag handle",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// Check walks root against type t, whose struct fields are named by tag
// (e.g. "mapstructure"), and returns where every key is set and every
// fault: unknown keys, a list or mapping where the type wants something
// else, and scalars that do not parse as a number, bool or duration field.
func Check(file string, root *yaml.Node, t reflect.Type, tag string) (*Positions, Faults) {
	c := &checker{pos: &Positions{File: file, keys: map[string]Pos{}}, tag: tag}
	if root != nil {
		c.walk(root, "", t)
	}
	return c.pos, c.faults
}

type checker struct {
	pos    *Positions
	tag    string
	faults Faults
}

func (c *checker) fault(n *yaml.Node, key, format string, a ...any) {
	c.faults = append(c.faults, Fault{Key: key, Msg: fmt.Sprintf(format, a...), File: c.pos.File, Line: n.Line, Col: n.Column})
}

var durationType = reflect.TypeOf(time.Duration(0))

func (c *checker) walk(n *yaml.Node, path string, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		switch t.Kind() {
		case reflect.Struct:
			fields := Fields(t, c.tag)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				key := join(path, k.Value)
				c.pos.keys[key] = Pos{k.Line, k.Column}
				ft, ok := fields[k.Value]
				if !ok {
					c.fault(k, "", "unknown key %q (known here: %s)", key, strings.Join(sortedKeys(fields), ", "))
					continue
				}
				c.walk(v, key, ft)
			}
		case reflect.Map:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				key := join(path, k.Value)
				c.pos.keys[key] = Pos{k.Line, k.Column}
				c.walk(n.Content[i+1], key, t.Elem())
			}
		case reflect.Interface:
		default:
			c.fault(n, path, "want %s, not a mapping", KindName(t))
		}
	case yaml.SequenceNode:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Interface {
			c.fault(n, path, "want %s, not a list", KindName(t))
			return
		}
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			c.pos.keys[key] = Pos{item.Line, item.Column}
			if t.Kind() == reflect.Slice {
				c.walk(item, key, t.Elem())
			}
		}
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return
		}
		switch t.Kind() {
		case reflect.Struct, reflect.Map:
			c.fault(n, path, "want %s, not %q", KindName(t), n.Value)
		default:
			if err := CheckScalar(t, n.Value); err != nil {
				c.fault(n, path, "%v", err)
			}
		}
	}
}

// CheckScalar reports whether s (a YAML scalar, an environment variable,
// a flag) can be a value of type t: a duration such as 30s, an integer, a
// bool, a number. Strings and lists accept anything.
func CheckScalar(t reflect.Type, s string) error {
	s = strings.TrimSpace(s)
	var err error
	switch {
	case t == durationType:
		if n, nerr := strconv.ParseFloat(s, 64); nerr == nil && s != "0" {
			// A bare number would be nanoseconds: refuse it, saying how to
			// write what was meant.
			return fmt.Errorf("%s has no unit: write %s", s, unitHint(n))
		}
		_, err = time.ParseDuration(s)
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		_, err = strconv.ParseInt(s, 0, 64)
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		_, err = strconv.ParseUint(s, 0, 64)
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		_, err = strconv.ParseFloat(s, 64)
	case t.Kind() == reflect.Bool:
		var b bool
		err = yaml.Unmarshal([]byte(s), &b)
		if err == nil && s == "" {
			err = fmt.Errorf("empty")
		}
	}
	if err != nil {
		return fmt.Errorf("%q: want %s", s, KindName(t))
	}
	return nil
}

// unitHint suggests how to write n seconds as a duration: "300s or 5m".
func unitHint(n float64) string {
	secs := strconv.FormatFloat(n, 'f', -1, 64) + "s"
	d := time.Duration(n * float64(time.Second))
	switch {
	case n <= 0:
		return secs
	case d%time.Second != 0:
		return secs + " or " + strconv.FormatFloat(n*1000, 'f', -1, 64) + "ms"
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%s or %dh", secs, d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%s or %dm", secs, d/time.Minute)
	}
	return secs
}

// KindName says what a value of t looks like, for messages.
func KindName(t reflect.Type) string {
	switch {
	case t == durationType:
		return "a duration such as 30s"
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Map:
		return "a mapping"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "an integer"
	case t.Kind() == reflect.Bool:
		return "true or false"
	}
	return "a " + t.Kind().String()
}

// Fields maps the keys of struct type t, named by tag, to their types.
// Fields tagged "-" or untagged are left out.
func Fields(t reflect.Type, tag string) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// TypeAt returns the type of the value at a dotted key path (no list
// indexes) under t, or nil when t has no such key.
func TypeAt(t reflect.Type, tag, key string) reflect.Type {
	for _, part := range strings.Split(key, ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		ft, ok := Fields(t, tag)[part]
		if !ok {
			return nil
		}
		t = ft
	}
	return t
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]reflect.Type) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NodeKind names what a YAML node holds, for a fault such as "want a
// list, got a mapping": "nothing" for null (or no node), "a mapping", "a
// list", "an alias" or "a scalar".
func NodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return "a scalar"
	case 0:
		return "nothing"
	}
	return "something else"
}
