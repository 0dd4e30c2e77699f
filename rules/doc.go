// Package rules owns turning a record.Record into matches: one pass of a
// literal prefilter over the record's bytes, a parse into an Event (package
// parse) for the few records that pass it, and the compiled expr rules that
// the prefilter selected. A record that no rule could match costs the pass and nothing
// else: no parse, no string, no allocation.
//
// It hands on Match values naming what a rule found (a catalog id, or a code,
// message or FAQ question to look up) and, per record, whether it looks like
// an error that no rule knows (Result.Suspect) and why it was not clean
// (Result.Bad). Resolving matches against the catalog is the job of package
// diagnose, grouping unknown errors too. It imports record, parse and
// internal/automaton.
//
// # Events
//
// Package parse reads a record into an Event (its doc lists the formats);
// rules adds Event.Codes, the vocabulary codes the record carries. Parse
// recognises, without being told: JSON, Tencent Cloud API 3.0 responses,
// @cloudbase SDK errors as JSON or JavaScript object literals, js-sdk and
// wx.cloud errors, cloud-function lines, Tencent Cloud SDK exceptions,
// logfmt, nginx access lines, browser-console lines and plain text, in UTF-8
// or GBK. Codes in a code position are read from fields and from the text
// forms "Code":"X", code=X, code: 'X', errCode: X and "[X] message";
// numbers lose their thousands separators ("100,009" → "100009"). None of
// these fails: Result.Bad names what happened (parse.BadReasons).
//
// # Rule files
//
// A rule file is YAML; unknown fields are faults. Example:
//
//	rules:
//	  - id: weda-error-code                  # unique; later files override by id
//	    description: any WeDa error code
//	    codes: [FailedOperation.FlexdbResourceOverdue, FnError.HTTP.NetworkError, "100,009"]
//	    when: len(Codes) > 0 && Level != "debug" && (Code in Codes || Level != "info")   # default: len(Codes) > 0
//	    yield:                               # expressions returning strings, looked up by diagnose
//	      code: bestCode()
//	      message: 'ErrMessage != "" ? ErrMessage : Message'
//	    examples:
//	      - {input: '{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"…"},"RequestId":"r"}}', want: datasource/flexdb-resource-overdue}
//	      - {input: 'INFO user_id=100009 ok', want: ""}
//	  - id: faq/cdn-traffic-exhausted-app-unreachable
//	    codes: [ENV_SUSPENDED]
//	    when: '"ENV_SUSPENDED" in Codes || Status == 402 && (has("tcloudbaseapp.com") || has("tcloudbase.com"))'
//	    yield: {id: faq/cdn-traffic-exhausted-app-unreachable}   # a literal catalog id
//	    labels: {component: hosting}
//	    examples: [...]
//
// Fields: id (letters, digits, . _ / -); description; prefilter (literals);
// codes (the rule's code vocabulary: Tencent Cloud codes or numbers, each
// matched as a whole token); when (an expr expression over Event, returning
// bool; required unless codes is given); yield (exactly one of {id: <catalog
// id>} or any of {code, message, question}, each an expression returning a
// string — a literal is written quoted: code: '"UserError.DsNotFound"'; a
// lookup whose values are all empty is no match); labels (keys severity —
// critical, error or warning —, component, team); examples (input: a record,
// several lines allowed; want: the catalog id a match of this rule must
// resolve to, or "" for no match of this rule).
//
// Every exported Event field is a variable. Functions besides expr's
// builtins: has("literal") is true when the literal occurs in the record (it
// is answered from the prefilter's hits, including the GBK-decoded and the
// \u-unescaped text, so a Chinese literal finds JSON written with
// ensure_ascii); bestCode() is Code when Code is one of Codes, else the most
// specific of Codes (most dots, then longest, then first).
//
// Codes holds, while a rule runs, the codes of that rule's vocabulary found
// as whole tokens (token characters are [A-Za-z0-9_.], and '-' for numbers;
// a '.' that ends a sentence ends the token), Code first when it is one of
// them, the others in order of appearance. A numeric code counts only when it
// is Code: "100009" in user_id=100009 or a timestamp is never a code. The
// prefilter does not look for a numeric code's digits at all (digits are
// the commonest bytes of a log: every time and id would wake it): it looks
// for the key of a code position — code, Code or CODE as a word or ending
// errCode, errorCode, error_code, Error.Code (not statusCode), then ':' or
// '=' and a whole number (with or without thousands separators) — or a '['
// followed by a number and ']'. A Status == N needs N as a whole number, and
// only when the rule has no other clause to filter on.
//
// # Prefilter
//
// Compile derives from every rule what a record must contain before the
// rule can be true, as clauses of literals that must each have one
// occurrence: the prefilter list when given, else from when — has("x") needs
// "x", Code == "X" needs X (a number needs the key of a code position), "X"
// in Codes and len(Codes) > 0 need vocabulary tokens, Status == N needs "N"
// (dropped when the rule has other clauses), Raw contains
// "x" needs "x"; && joins clauses, || and ?: combine them. A when that can be
// true without any literal (Level == "error" alone) is a fault: it would run
// on every record. All literals of all rules, the codes and the error-like
// literals (ERROR, Error, errorCode, "level":50, status 5xx forms, 失败 …)
// form one automaton; one pass over the record's bytes finds every
// occurrence of every literal, overlapping ones included. A record parses
// only when some rule has all its clauses satisfied or an error-like literal
// occurred; only the rules so selected run.
//
// The automaton is hand-written (internal/automaton): an Aho-Corasick DFA over
// byte classes with every failure transition resolved at build time, one
// table load per byte. It holds each literal's key: up to 8 bytes from the
// literal's rarest byte in log text (its anchor.go); the prefix before the key
// and the rest after it are compared on a hit. A tight loop passes over
// bytes that cannot leave the start state. Keys keep the table small (the
// built-in rules' 216 literals make 893 states, 474 KB, against 3,739
// states and 2.2 MB for whole literals) and anchoring keeps the start rare:
// on scripts/bench's corpus 15 % of the bytes leave the start state and 42 %
// reach the table. github.com/coregx/ahocorasick v0.3.1 was measured against
// it (BenchmarkScanCoregx there) and not taken: its IsMatch re-runs
// bytes.IndexByte once per distinct first byte of the literals each time it
// returns to its start state, which with the ~40 first bytes of our literal
// set falls to 15-30 MB/s on benign lines against 400-750 MB/s here; and it
// has no allocation-free way to report every overlapping literal, which the
// candidate and whole-token decisions need.
//
// # Contract changes
//
// Against the contract first written for this package: Result also carries
// ErrorLike (the record looks like an error, matched or not) and Errors
// (rules that failed at run time, for wedadiag_rule_errors_total); Event.Codes
// is per rule while rules run; Compile's error is a Faults value listing
// every fault as "file:line:col: rule \"id\": message"; Set.Rules lists the
// compiled rules. A Result, its Event and Matches are valid until the
// Matcher's next call.
package rules
