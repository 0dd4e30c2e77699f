package config

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/wedadiag/wedadiag/parse"
	"github.com/wedadiag/wedadiag/record/containerlog"
	"github.com/wedadiag/wedadiag/source/cloudbase"
	"github.com/wedadiag/wedadiag/source/kafka"
)

// Source types (sources[].type).
const (
	SourceFile      = "file"
	SourceKafka     = "kafka"
	SourceCloudBase = "cloudbase"
)

// sourceKeys lists the keys of each source type besides name and type; a
// key of another type set on a source is a fault.
var sourceKeys = map[string][]string{
	SourceFile:  {"paths", "exclude", "ignore_older", "format", "multiline", "kubernetes"},
	SourceKafka: {"brokers", "topics", "group", "sasl", "tls", "start", "format"},
	SourceCloudBase: {"env_id", "region", "secret_id", "secret_key", "credentials_file", "query", "use_lucene",
		"endpoint", "poll", "overlap", "max_window", "backfill", "rate_limit", "time_zone", "format"},
}

// Container reports whether a file source's lines are a container
// runtime's (format cri or docker), unwrapped before parsing.
func (s Source) Container() bool {
	return s.Format == containerlog.CRI || s.Format == containerlog.Docker
}

// ParseFormat is the format the source's records are parsed with: the
// inner text of a container's lines is told apart record by record.
func (s Source) ParseFormat() string {
	if s.Container() {
		return "auto"
	}
	return s.Format
}

// Kafka is the source's configuration for source/kafka.
func (s Source) Kafka() kafka.Config {
	return kafka.Config{
		Name: s.Name, Brokers: s.Brokers, Topics: s.Topics, Group: s.Group, TLS: s.TLS, Start: s.Start,
		SASL: kafka.SASL{Mechanism: s.SASL.Mechanism, Username: s.SASL.Username, Password: string(s.SASL.Password)},
	}
}

// CloudBase is the source's configuration for source/cloudbase.
func (s Source) CloudBase() cloudbase.Config {
	return cloudbase.Config{
		Name: s.Name, EnvID: s.EnvID, Region: s.Region, SecretID: s.SecretID, SecretKey: s.SecretKey,
		CredentialsFile: s.CredentialsFile, Query: s.Query, UseLucene: s.UseLucene, Endpoint: s.Endpoint,
		Poll: s.Poll, Overlap: s.Overlap, MaxWindow: s.MaxWindow, Backfill: s.Backfill,
		RateLimit: s.RateLimit, TimeZone: s.TimeZone,
	}
}

// validateSource checks one source by its type; key is "sources[i]".
func (c *Config) validateSource(bad badFunc, key string, s Source) {
	own, ok := sourceKeys[s.Type]
	if !ok {
		bad(key+".type", "%q: want one of file, kafka, cloudbase", s.Type)
		return
	}
	c.foreignKeys(bad, key, s, own)
	formats := parse.InputFormats()
	if s.Type == SourceFile {
		formats = append(formats, containerlog.CRI, containerlog.Docker)
	}
	oneOf(bad, key+".format", s.Format, formats...)
	switch s.Type {
	case SourceFile:
		if len(s.Paths) == 0 {
			bad(key+".paths", "no paths: give globs such as /var/log/app/*.log, or - for standard input")
		}
		for j, p := range s.Paths {
			if p == "-" {
				continue
			}
			if _, err := filepath.Match(p, ""); err != nil {
				bad(fmt.Sprintf("%s.paths[%d]", key, j), "%q: %v", p, err)
			}
		}
		for j, p := range s.Exclude {
			if _, err := filepath.Match(p, ""); err != nil {
				bad(fmt.Sprintf("%s.exclude[%d]", key, j), "%q: %v", p, err)
			}
		}
		if s.IgnoreOlder < 0 {
			bad(key+".ignore_older", "must not be negative")
		}
		oneOf(bad, key+".multiline", s.Multiline, "auto", "none")
		if k := s.Kubernetes; k.Max < 0 || k.Max > 10000 {
			bad(key+".kubernetes.max", "must be 0 (the default, 50) to 10000, not %d", k.Max)
		}
	case SourceKafka:
		for _, f := range s.Kafka().Validate() {
			if f.Key == "name" {
				continue // reported as sources[i].name
			}
			bad(key+"."+f.Key, "%s", f.Msg)
		}
	case SourceCloudBase:
		err := s.CloudBase().Validate()
		if fs, ok := err.(cloudbase.Faults); ok {
			for _, f := range fs {
				if f.Key == "name" {
					continue
				}
				bad(key+"."+f.Key, "%s", f.Msg)
			}
		} else if err != nil {
			bad(key, "%v", err)
		}
	}
}

// foreignKeys reports keys the source sets that belong to another type.
// Only values that differ from the zero value are seen, so a key set to
// its zero value passes.
func (c *Config) foreignKeys(bad badFunc, key string, s Source, own []string) {
	allowed := map[string]bool{"name": true, "type": true}
	for _, k := range own {
		allowed[k] = true
	}
	v := reflect.ValueOf(s)
	t := v.Type()
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("mapstructure"), ",")[0]
		if allowed[tag] || v.Field(i).IsZero() {
			continue
		}
		// format and multiline are filled with "auto" for every source.
		if tag == "multiline" && s.Multiline == "auto" {
			continue
		}
		bad(key+"."+tag, "not a key of a %s source (its keys: %s)", s.Type, strings.Join(own, ", "))
	}
}
