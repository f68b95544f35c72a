package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// echoMapper maps {"id":..,"echo":..} to an asset whose name is the echoed value.
type echoMapper struct{}

func (echoMapper) Map(_ context.Context, rec any) (any, error) {
	m := rec.(map[string]any)
	return map[string]any{"key": m["id"], "class": "host", "name": m["echo"]}, nil
}

// TestSecretEchoedByVendorNeverReachesOutput: a vendor that echoes the credential into a
// field the mapping keeps must not put the secret into the JSON Lines output.
func TestSecretEchoedByVendorNeverReachesOutput(t *testing.T) {
	const token = "s3cr3t-token-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"id":"a","echo":"` + r.Header.Get("Authorization") + `"},{"id":"b","echo":"quote \"` + token + `\""}]`))
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	ig := &Integration{Name: "x", HTTP: HTTP{BaseURL: base, Retry: RetryPolicy{Attempts: 1}},
		Auth: &BearerAuth{Token: token},
		Streams: []*Stream{{Name: "s", Kind: KindAsset, Request: Request{Path: "/"}, Paginator: NoPagination{},
			RecordsPath: []string{}, Map: echoMapper{}}}}
	var out strings.Builder
	res, err := Run(context.Background(), ig, NewJSONLSink(&out), Options{Redactor: NewRedactor(token)})
	if err != nil || res.Partial() {
		t.Fatalf("%v %+v", err, res)
	}
	if strings.Contains(out.String(), token) || !strings.Contains(out.String(), `"name":"Bearer (sensitive)"`) {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestShortSecretsMaskedWhole(t *testing.T) {
	r := NewRedactor("dev", "longer-secret")
	for in, want := range map[string]string{
		"dev":                      Masked,
		"device":                   "device", // a short secret is not searched for inside text
		"x longer-secret y":        "x (sensitive) y",
		url.QueryEscape("a+b/c=d"): url.QueryEscape("a+b/c=d"),
	} {
		if got := r.Value(in); got != want {
			t.Errorf("Value(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(r.Bytes([]byte(`{"a":"longer-secret"}`))); got != `{"a":"(sensitive)"}` {
		t.Errorf("Bytes: %s", got)
	}
	plain := []byte("nothing here")
	if got := r.Bytes(plain); &got[0] != &plain[0] {
		t.Error("Bytes copied a value with no secret in it")
	}
}

// TestSecretLikeJSONNeverBreaksRecords: a secret that reads like a JSON key, a common
// word or JSON punctuation masks values only; every line stays a valid record.
func TestSecretLikeJSONNeverBreaksRecords(t *testing.T) {
	for _, secret := range []string{"kind", "name", `","name`, "host-one"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`[{"id":"a","echo":"host-one"}]`))
		}))
		base, _ := url.Parse(srv.URL)
		ig := &Integration{Name: "x", HTTP: HTTP{BaseURL: base, Retry: RetryPolicy{Attempts: 1}},
			Streams: []*Stream{{Name: "s", Kind: KindAsset, Request: Request{Path: "/"}, Paginator: NoPagination{},
				RecordsPath: []string{}, Map: echoMapper{}}}}
		var out strings.Builder
		res, err := Run(context.Background(), ig, NewJSONLSink(&out), Options{Redactor: NewRedactor(secret)})
		srv.Close()
		if err != nil || res.Partial() {
			t.Fatalf("%q: %v %+v", secret, err, res.Streams)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(out.String()), &rec); err != nil || rec["kind"] != "asset" {
			t.Errorf("secret %q broke the record: %s (%v)", secret, out.String(), err)
		}
		if secret == "host-one" && !strings.Contains(out.String(), `"name":"(sensitive)"`) {
			t.Errorf("the echoed secret was not masked: %s", out.String())
		}
	}
}

// TestEmptyPageBodyIsAnError: only 204 means no records; a 200 with nothing in it is
// a broken answer, not the end of the data.
func TestEmptyPageBodyIsAnError(t *testing.T) {
	for status, wantErr := range map[int]bool{200: true, 204: false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
		base, _ := url.Parse(srv.URL)
		ig := &Integration{Name: "x", HTTP: HTTP{BaseURL: base, Retry: RetryPolicy{Attempts: 1}},
			Streams: []*Stream{{Name: "s", Kind: KindAsset, Request: Request{Path: "/"}, Paginator: NoPagination{},
				RecordsPath: []string{}, Map: echoMapper{}}}}
		res, err := Run(context.Background(), ig, NewJSONLSink(&strings.Builder{}), Options{})
		srv.Close()
		if err != nil || (res.Streams[0].Err != nil) != wantErr {
			t.Errorf("status %d: stream error %v, want error %v", status, res.Streams[0].Err, wantErr)
		}
	}
}

type constExtractor struct{ v any }

func (c constExtractor) Extract(context.Context, any) (any, error) { return c.v, nil }

func TestHasMoreWithoutTokenIsAnError(t *testing.T) {
	c := &CursorPagination{Token: constExtractor{nil}, Param: "after", HasMore: constExtractor{true}}
	_, more, err := c.Next(context.Background(), &Page{Records: 3}, PageRequest{})
	if err == nil || more || !strings.Contains(err.Error(), "has_more says there are more pages, but the token is empty") {
		t.Errorf("more=%v err=%v", more, err)
	}
}

// TestCheckFailsOnHTML: a green status from a login page or web UI is not a pass.
func TestCheckFailsOnHTML(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Sign in</body></html>"))
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	ig := &Integration{Name: "x", HTTP: HTTP{BaseURL: base, Retry: RetryPolicy{Attempts: 1}}, Check: &Request{Path: "/me"}}
	res := Check(context.Background(), ig, Options{})
	if res.OK || !strings.Contains(res.Cause, "check the base URL") || res.Status != 200 {
		t.Errorf("%+v", res)
	}
}
