package engine

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	base, _ := url.Parse("https://api.example.com/v1")
	s := &Stream{Name: "hosts", Kind: KindAsset, Paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 100},
		Request: Request{Path: "/hosts", Query: map[string]string{"filter": "x"}, Headers: map[string]string{"X-Tenant": "tenant-secret"}},
		Records: path("items"), RecordsPath: []string{"items"}, Map: identity{}, MaxPages: 50}
	search := &Stream{Name: "vulns", Kind: KindFinding, Paginator: &CursorPagination{Token: path("after"), BodyField: "after"},
		Request: Request{Method: "POST", Path: "/search", JSON: map[string]any{"q": "tenant-secret", "limit": 10}},
		Records: path("items"), Map: identity{}}
	ig := &Integration{Name: "acme", Title: "Acme", Streams: []*Stream{s, search},
		HTTP: HTTP{BaseURL: base, HeaderTimeout: 30 * time.Second, BodyIdleTimeout: time.Minute, ConnectTimeout: 10 * time.Second,
			MaxBodyBytes: 256 << 20, Retry: RetryPolicy{Attempts: 5, InitialInterval: time.Second, MaxInterval: 30 * time.Second, MaxWait: 5 * time.Minute,
				WaitHeaders: []WaitHeader{{Name: "X-RateLimit-RetryAfter", Format: WaitEpochSeconds}}},
			RateLimit: RateLimit{Requests: 100, Per: time.Minute, RemainingHeader: "X-RateLimit-Remaining", LowWater: 10}},
		Auth:  &APIKeyAuth{Query: []KeyValue{{Name: "api_key", Value: "key-123"}}, Headers: []KeyValue{{Name: "X-Api-Key", Prefix: "Key ", Value: "key-123"}}},
		Check: &Request{Path: "/me"},
	}
	p := Describe(ig, NewRedactor("key-123", "tenant-secret"))
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"key-123", "tenant-secret"} {
		if strings.Contains(string(out), secret) {
			t.Errorf("the plan shows %q:\n%s", secret, out)
		}
	}
	if got, want := p.Check.URL, "https://api.example.com/v1/me?api_key=(sensitive)"; got != want {
		t.Errorf("check URL = %s, want %s", got, want)
	}
	first := p.Streams[0].First
	if want := "https://api.example.com/v1/hosts?api_key=(sensitive)&filter=x&limit=100&offset=0"; first.URL != want {
		t.Errorf("first URL = %s\nwant        %s", first.URL, want)
	}
	if first.Headers["X-Api-Key"] != "Key (sensitive)" || first.Headers["X-Tenant"] != Masked {
		t.Errorf("headers = %v", first.Headers)
	}
	if p.Streams[1].First.Method != "POST" || p.Streams[1].First.Body != `{"limit":10,"q":"(sensitive)"}` {
		t.Errorf("search request = %+v", p.Streams[1].First)
	}
	if !p.Streams[0].Streamed || p.Streams[1].Streamed || p.Streams[0].MaxPages != 50 {
		t.Errorf("streams = %+v %+v", p.Streams[0], p.Streams[1])
	}
	wantRetry := []string{
		"5 attempts per request, on network errors and HTTP 429, 500, 502, 503, 504",
		"exponential backoff from 1s to 30s with jitter; every wait capped at 5m0s",
		"server waits honoured: X-RateLimit-RetryAfter (epoch_seconds), Retry-After",
		"POST retried only when the request is marked idempotent",
	}
	if strings.Join(p.HTTP.Retry, "|") != strings.Join(wantRetry, "|") {
		t.Errorf("retry =\n%q\nwant\n%q", p.HTTP.Retry, wantRetry)
	}
	wantRate := []string{"100 requests per 1m0s, burst 1", "slows down when X-RateLimit-Remaining <= 10"}
	if strings.Join(p.HTTP.RateLimit, "|") != strings.Join(wantRate, "|") {
		t.Errorf("rate limit = %q", p.HTTP.RateLimit)
	}
	wantTimeouts := []string{"connect 10s, response headers 30s, body stalled 1m0s", "responses up to 256 MiB"}
	if strings.Join(p.HTTP.Timeouts, "|") != strings.Join(wantTimeouts, "|") {
		t.Errorf("timeouts = %q", p.HTTP.Timeouts)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "any size", 1 << 30: "1 GiB", 256 << 20: "256 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// Plan shows jq in one line without changing what it says: before, whitespace inside a
// string literal was collapsed, a # comment seemed to cut off the lines joined after it,
// and the JSON plan got the cut text.
func TestShortExpr(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`.items[]`, `.items[]`},
		{` select(.kind == "a    b") `, `select(.kind == "a    b")`},
		{".data[] # every host\n| select(.up)", ".data[] # every host ..."},
		{"\n  .data[]\n", ".data[]"},
		{`.a | ` + strings.Repeat("x", 80), `.a | ` + strings.Repeat("x", 52) + " ..."},
		{".a == \"\x1b[31mred\"", `.a == \"\x1b[31mred\"`},
	} {
		if got := ShortExpr(tt.src); got != tt.want {
			t.Errorf("ShortExpr(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
