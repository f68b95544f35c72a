package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Masked is what every secret turns into in logs, errors, plans and output.
const Masked = "(sensitive)"

// Redactor replaces secret values wherever they appear in text. Secrets learned during
// a run (access tokens) are added as they arrive; it is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
	short   map[string]bool // secrets too short to search for in text; masked when whole
	r       *strings.Replacer
}

// NewRedactor returns a Redactor for the given secrets.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secrets. Values shorter than 4 bytes are ignored: masking them
// would garble ordinary text, and no real credential is that short.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if len(s) < 4 {
			if r.short == nil {
				r.short = map[string]bool{}
			}
			r.short[s] = true
			continue
		}
		// A secret travels escaped too: in a query string, a form body, a path, JSON.
		quoted, _ := json.Marshal(s)
		for _, v := range []string{s, url.QueryEscape(s), url.PathEscape(s), string(quoted[1 : len(quoted)-1])} {
			if len(v) >= 4 && !contains(r.secrets, v) {
				r.secrets = append(r.secrets, v)
			}
		}
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	pairs := make([]string, 0, 2*len(r.secrets))
	for _, s := range r.secrets {
		pairs = append(pairs, s, Masked)
	}
	r.r = strings.NewReplacer(pairs...)
}

// String masks every known secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.r == nil {
		return s
	}
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			return r.r.Replace(s)
		}
	}
	return s // the common case: a search per secret, no copy
}

// active says whether there is anything to mask.
func (r *Redactor) active() bool {
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.secrets) > 0 || len(r.short) > 0
}

// Value masks a whole value (a header, a query or form value, a JSON string) that is
// a secret, however short, and masks secrets inside it otherwise.
func (r *Redactor) Value(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	short := r.short[s]
	r.mu.RUnlock()
	if short {
		return Masked
	}
	return r.String(s)
}

// Bytes masks secrets in b, returning b itself when it holds none: the common case
// costs a search per secret and no copy.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	r.mu.RLock()
	found := false
	for _, s := range r.secrets {
		if bytes.Contains(b, []byte(s)) {
			found = true
			break
		}
	}
	r.mu.RUnlock()
	if !found {
		return b
	}
	return []byte(r.String(string(b)))
}

// Handler wraps a slog.Handler so that no record it writes carries a secret.
func (r *Redactor) Handler(h slog.Handler) slog.Handler { return &redactHandler{h: h, r: r} }

type redactHandler struct {
	h slog.Handler
	r *Redactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		attrs := v.Group()
		red := make([]any, len(attrs))
		for i, g := range attrs {
			red[i] = h.attr(g)
		}
		return slog.Group(a.Key, red...)
	case slog.KindString, slog.KindAny:
		return slog.String(a.Key, h.r.String(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = h.attr(a)
	}
	return &redactHandler{h: h.h.WithAttrs(red), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{h: h.h.WithGroup(name), r: h.r}
}
