// Package scenario records the HTTP exchanges of a run and replays them offline.
//
// A scenario is what a definition saw of its vendor: every request and response, in
// order, with every secret redacted before anything is written. Replaying it runs the
// definition again with no network, which is what `integrate test` and `integrate diff`
// do. The file is indented JSON with sorted keys and JSON bodies kept as JSON, so it is
// deterministic and reads well in a diff. It imports only the standard library and
// engine.
package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// FileName is the scenario file inside a scenario directory; GoldenName is the
// expected normalized output beside it.
const (
	FileName   = "scenario.json"
	GoldenName = "golden.jsonl"
)

// Scenario is one recorded run.
type Scenario struct {
	Integration string            `json:"integration"`
	Recorded    time.Time         `json:"recorded"` // $now for replays, so goldens do not move
	Config      map[string]string `json:"config"`   // the non-sensitive config values used
	Exchanges   []*Exchange       `json:"exchanges"`
}

// Exchange is one request and its response.
type Exchange struct {
	Request  Request  `json:"request"`
	Response Response `json:"response"`
}

// Request is the part of a request that matters for matching and reading.
type Request struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"` // JSON as JSON, anything else as a JSON string
}

// Response is a recorded response.
type Response struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// Load reads a scenario file.
func Load(path string) (*Scenario, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Scenario
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: not a scenario file: %w", path, err)
	}
	for i, e := range s.Exchanges {
		if e == nil || e.Request.Method == "" || e.Request.URL == "" || e.Response.Status == 0 {
			return nil, fmt.Errorf("%s: exchange %d lacks a method, URL or status", path, i+1)
		}
	}
	return &s, nil
}

// Save writes the scenario deterministically: indented, keys sorted.
func (s *Scenario) Save(path string) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil { // maps encode with sorted keys
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Dirs finds the scenario directories of a definition file: <dir>/testdata/<file
// name without .hcl>/*/ holding a scenario.json, sorted. They are keyed by file, not by
// integration name, so a copy of a definition beside it never shares its goldens.
func Dirs(defPath string) ([]string, error) {
	pattern := filepath.Join(filepath.Dir(defPath), "testdata", Base(defPath), "*", FileName)
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	dirs := make([]string, len(matches))
	for i, m := range matches {
		dirs[i] = filepath.Dir(m)
	}
	sort.Strings(dirs)
	return dirs, nil
}

// Orphans are scenario directories of defPath that hold a golden but no scenario:
// a deleted recording must fail the tests, not skip them.
func Orphans(defPath string) []string {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(defPath), "testdata", Base(defPath), "*", GoldenName))
	var out []string
	for _, m := range matches {
		if _, err := os.Stat(filepath.Join(filepath.Dir(m), FileName)); err != nil {
			out = append(out, filepath.Dir(m))
		}
	}
	sort.Strings(out)
	return out
}

// Base is a definition's file name without its extension: crowdstrike.hcl → crowdstrike.
func Base(defPath string) string {
	return strings.TrimSuffix(filepath.Base(defPath), filepath.Ext(defPath))
}

// DefaultDir is where `integrate record` puts a scenario named name for defPath.
func DefaultDir(defPath, name string) string {
	return filepath.Join(filepath.Dir(defPath), "testdata", Base(defPath), name)
}

// body stores a body as JSON when it is JSON, else as a JSON string.
func body(b []byte) json.RawMessage {
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return nil
	}
	if json.Valid(t) && (t[0] == '{' || t[0] == '[') {
		return compactJSON(t)
	}
	s, _ := json.Marshal(string(b))
	return s
}

func compactJSON(b []byte) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// bodyBytes turns a stored body back into the bytes to send.
func bodyBytes(b json.RawMessage) []byte {
	if len(b) == 0 {
		return nil
	}
	if b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			return []byte(s)
		}
	}
	return b
}

func lower(s string) string { return strings.ToLower(s) }
