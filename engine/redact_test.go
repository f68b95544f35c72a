package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

func TestRedactorString(t *testing.T) {
	tests := []struct {
		name    string
		secrets []string
		in      string
		want    string
	}{
		{"one secret", []string{"s3cr3t-key"}, "key=s3cr3t-key&x=1", "key=(sensitive)&x=1"},
		{"every occurrence", []string{"abcd"}, "abcd abcd-abcd", "(sensitive) (sensitive)-(sensitive)"},
		{"longest first", []string{"abcd", "abcdefgh"}, "abcdefgh abcd", "(sensitive) (sensitive)"},
		{"secret containing another, added short first", []string{"tok", "token-123", "token"}, "token-123 token tok", "(sensitive) (sensitive) tok"},
		{"short values ignored", []string{"a", "ab", "abc", ""}, "a ab abc", "a ab abc"},
		{"no secrets", nil, "nothing to hide", "nothing to hide"},
		{"duplicates", []string{"dup-secret", "dup-secret"}, "dup-secret", "(sensitive)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewRedactor(tt.secrets...).String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactorNilAndAdd(t *testing.T) {
	var nilR *Redactor
	nilR.Add("secret")
	if got := nilR.String("secret"); got != "secret" {
		t.Errorf("nil Redactor changed the text: %q", got)
	}
	r := NewRedactor()
	if got := r.String("tok-123"); got != "tok-123" {
		t.Errorf("empty Redactor changed the text: %q", got)
	}
	r.Add("tok-123")
	if got := r.String("Bearer tok-123"); got != "Bearer (sensitive)" {
		t.Errorf("after Add: %q", got)
	}
}

// TestRedactorConcurrent: tokens arrive while logs are written.
func TestRedactorConcurrent(t *testing.T) {
	r := NewRedactor("client-secret")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r.Add(fmt.Sprintf("token-%d", i))
		}()
		go func() {
			defer wg.Done()
			if got := r.String("client-secret"); got != Masked {
				t.Errorf("String = %q", got)
			}
		}()
	}
	wg.Wait()
	for i := range 8 {
		if got := r.String(fmt.Sprintf("token-%d", i)); got != Masked {
			t.Errorf("token-%d not masked: %q", i, got)
		}
	}
}

type secretValuer struct{}

func (secretValuer) LogValue() slog.Value { return slog.StringValue("valuer tok-secret") }

func TestRedactorHandler(t *testing.T) {
	r := NewRedactor("tok-secret")
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want string
	}{
		{"message", func(l *slog.Logger) { l.Info("got tok-secret back") }, `level=INFO msg="got (sensitive) back"`},
		{"string attr", func(l *slog.Logger) { l.Info("m", "url", "https://h/x?token=tok-secret") },
			`level=INFO msg=m url="https://h/x?token=(sensitive)"`},
		{"error attr", func(l *slog.Logger) { l.Warn("m", "reason", errors.New("HTTP 401 for tok-secret")) },
			`level=WARN msg=m reason="HTTP 401 for (sensitive)"`},
		{"any attr", func(l *slog.Logger) { l.Info("m", "headers", map[string]string{"Authorization": "Bearer tok-secret"}) },
			`level=INFO msg=m headers="map[Authorization:Bearer (sensitive)]"`},
		{"group attr", func(l *slog.Logger) { l.Info("m", slog.Group("req", "auth", "tok-secret", "n", 3)) },
			`level=INFO msg=m req.auth=(sensitive) req.n=3`},
		{"nested groups", func(l *slog.Logger) {
			l.Info("m", slog.Group("a", slog.Group("b", "c", "x tok-secret")))
		}, `level=INFO msg=m a.b.c="x (sensitive)"`},
		{"log valuer", func(l *slog.Logger) { l.Info("m", "v", secretValuer{}) }, `level=INFO msg=m v="valuer (sensitive)"`},
		{"with attrs", func(l *slog.Logger) { l.With("token", "tok-secret").Info("m", "k", 1) },
			`level=INFO msg=m token=(sensitive) k=1`},
		{"with group", func(l *slog.Logger) { l.WithGroup("g").Info("tok-secret", "k", "tok-secret") },
			`level=INFO msg=(sensitive) g.k=(sensitive)`},
		{"non-string kinds untouched", func(l *slog.Logger) { l.Info("m", "n", 42, "b", true, "f", 1.5) },
			`level=INFO msg=m n=42 b=true f=1.5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			inner := slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			}})
			tt.log(slog.New(r.Handler(inner)))
			if got := strings.TrimSpace(buf.String()); got != tt.want {
				t.Errorf("log line:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestRedactorHandlerEnabled(t *testing.T) {
	inner := slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn})
	h := NewRedactor("x-secret").Handler(inner)
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelError) {
		t.Error("Enabled does not follow the inner handler's level")
	}
}

// TestRunLogsRedacted: nothing a run logs carries a secret the Redactor knows,
// including an access token learned during the run.
func TestRunLogsRedacted(t *testing.T) {
	ts := newTokenServer(t)
	api, _ := bearerAPI(t, 2, func(n int) bool { return n == 1 })
	ig := testIntegration(t, api.URL, pagedHosts())
	ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL, ClientID: "id", ClientSecret: "client-secret"}
	redact := NewRedactor("client-secret")
	logs := &logBuffer{}
	opts, _, _ := testOptions()
	opts.Redactor = redact
	opts.Logger = slog.New(redact.Handler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	opts.Logger.Info("starting", "client_secret", "client-secret")
	st, _ := runOne(t, ig, opts)
	if st.Err != nil {
		t.Fatal(st.Err)
	}
	out := logs.String()
	for _, secret := range []string{"client-secret", "tok-1", "tok-2"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, Masked) {
		t.Errorf("logs never masked anything:\n%s", out)
	}
}
