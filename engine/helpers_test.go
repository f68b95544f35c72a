package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// jpath is a tiny Extractor and Selector over decoded JSON: the value at a dotted
// path, the way a jq path like .meta.next would read it. Like gojq, it rejects values
// that are not JSON, so a test notices when the engine hands an extractor something
// else.
type jpath []string

func path(dotted string) jpath {
	if dotted == "" || dotted == "." {
		return jpath{}
	}
	return jpath(strings.Split(strings.TrimPrefix(dotted, "."), "."))
}

// Source is the path as jq would write it, for plan's descriptions.
func (p jpath) Source() string { return "." + strings.Join(p, ".") }

func (p jpath) Extract(_ context.Context, v any) (any, error) {
	for _, k := range p {
		if err := checkJSONType(v); err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, nil
		}
		v = m[k]
	}
	return v, checkJSONType(v)
}

func (p jpath) Select(ctx context.Context, page any, emit func(any) error) error {
	v, err := p.Extract(ctx, page)
	if err != nil {
		return err
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("cannot iterate over %s", typeName(v))
	}
	for _, rec := range list {
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

func checkJSONType(v any) error {
	switch v.(type) {
	case nil, bool, string, json.Number, float64, int, *big.Int, []any, map[string]any:
		return nil
	}
	return fmt.Errorf("invalid type: %T", v)
}

// identity maps a vendor record that is already in the normalized shape.
type identity struct{}

func (identity) Map(_ context.Context, rec any) (any, error) { return rec, nil }

// mapFunc adapts a function to Mapper.
type mapFunc func(rec any) (any, error)

func (f mapFunc) Map(_ context.Context, rec any) (any, error) { return f(rec) }

// keepFunc adapts a function to Predicate.
type keepFunc func(mapped any) bool

func (f keepFunc) Keep(_ context.Context, mapped any) (bool, error) { return f(mapped), nil }

// memSink keeps every page it is given.
type memSink struct {
	mu     sync.Mutex
	pages  [][]Record
	closed bool
	failOn int // WritePage call number (1-based) that fails; 0 never
}

func (s *memSink) WritePage(_ context.Context, recs []Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failOn > 0 && len(s.pages)+1 == s.failOn {
		return fmt.Errorf("disk full")
	}
	s.pages = append(s.pages, append([]Record(nil), recs...))
	return nil
}

func (s *memSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// keys lists every written record's key, in order, as "stream/key".
func (s *memSink) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.pages {
		for _, r := range p {
			out = append(out, r.Stream+"/"+r.Key)
		}
	}
	return out
}

func (s *memSink) pageSizes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for _, p := range s.pages {
		out = append(out, len(p))
	}
	return out
}

// waitLog records the waits the retry loop asked for, instead of sleeping.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitLog) newTimer() backoff.Timer { return &fakeTimer{log: w, c: make(chan time.Time, 1)} }

func (w *waitLog) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

type fakeTimer struct {
	log *waitLog
	c   chan time.Time
}

func (t *fakeTimer) Start(d time.Duration) {
	t.log.mu.Lock()
	t.log.waits = append(t.log.waits, d)
	t.log.mu.Unlock()
	t.c <- time.Time{}
}

func (t *fakeTimer) Stop()                          {}
func (t *fakeTimer) C() <-chan time.Time            { return t.c }
func (w *waitLog) String() string                   { return fmt.Sprint(w.all()) }
func durations(ds ...time.Duration) []time.Duration { return ds }

// fakeClock is an injectable clock that only moves when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// logBuffer collects JSON log lines from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// entries parses the JSON log lines whose msg is msg.
func (b *logBuffer) entries(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if e["msg"] == msg {
			out = append(out, e)
		}
	}
	return out
}

// testOptions is a run with no sleeping between retries, logging to a buffer.
func testOptions() (Options, *waitLog, *logBuffer) {
	w := &waitLog{}
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return Options{NewTimer: w.newTimer, Logger: log}, w, logs
}

// testIntegration is an integration against base with three attempts per request,
// zero backoff and no client-side rate limit.
func testIntegration(t *testing.T, base string, streams ...*Stream) *Integration {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return &Integration{
		Name:    "acme",
		HTTP:    HTTP{BaseURL: u, Retry: RetryPolicy{Attempts: 3, MaxWait: time.Minute}},
		Streams: streams,
	}
}

// hostStream is an asset stream whose records are under .items, already normalized.
func hostStream(name, reqPath string, p Paginator) *Stream {
	if p == nil {
		p = NoPagination{}
	}
	return &Stream{Name: name, Kind: KindAsset, Request: Request{Path: reqPath}, Paginator: p,
		Records: path("items"), Map: identity{}}
}

// hosts builds normalized host records with the given keys.
func hosts(keys ...string) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"key": k, "class": "host", "name": "host " + k}
	}
	return out
}

// itemsBody is a page {"items": [...]} plus extra top-level fields.
func itemsBody(t testing.TB, items []any, extra map[string]any) []byte {
	t.Helper()
	m := map[string]any{"items": items}
	if items == nil {
		m["items"] = []any{}
	}
	for k, v := range extra {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// runOne runs ig and returns the only stream's stats.
func runOne(t *testing.T, ig *Integration, opts Options) (StreamStats, *memSink) {
	t.Helper()
	sink := &memSink{}
	res, err := Run(context.Background(), ig, sink, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(res.Streams) != 1 {
		t.Fatalf("Run returned %d streams, want 1", len(res.Streams))
	}
	if !sink.closed {
		t.Error("the sink was not closed")
	}
	return res.Streams[0], sink
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
