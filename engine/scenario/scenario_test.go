package scenario

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/integrate-dev/integrate/engine"
)

const secret = "s3cr3t+/value=="

// vendor answers a token request and a scroll that repeats one URL with new pages.
func vendor(t *testing.T) *httptest.Server {
	page := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
			io.WriteString(w, `{"access_token":"tok-`+r.PostForm.Get("client_secret")+`","expires_in":60}`)
		case "/scroll":
			page++
			w.Header().Set("X-RateLimit-Remaining", "99")
			w.Header().Set("X-Request-Id", "random")
			io.WriteString(w, `{"page":`+string(rune('0'+page))+`,"echo":"`+r.URL.Query().Get("key")+`"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func record(t *testing.T, srv *httptest.Server) *Scenario {
	red := engine.NewRedactor(secret)
	rec := &Recorder{Next: http.DefaultTransport, Redact: red}
	c := &http.Client{Transport: rec}
	resp, err := c.PostForm(srv.URL+"/token", url.Values{"client_id": {"id"}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for range 2 {
		req, _ := http.NewRequest("GET", srv.URL+"/scroll?key="+url.QueryEscape(secret)+"&b=2&a=1", nil)
		req.Header.Set("Authorization", "Basic "+secret)
		req.Header.Set("X-Api-Key", "prefix "+secret)
		req.Header.Set("User-Agent", "integrate/test")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "(sensitive)") {
			t.Errorf("the recorder changed what the caller reads: %s", b)
		}
	}
	return &Scenario{Integration: "x", Recorded: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Exchanges: rec.Exchanges()}
}

func TestRecordRedactsAndIsDeterministic(t *testing.T) {
	srv := vendor(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	if err := record(t, srv).Save(a); err != nil {
		t.Fatal(err)
	}
	if err := record(t, vendor(t)).Save(b); err != nil {
		t.Fatal(err)
	}
	ra, _ := os.ReadFile(a)
	rb, _ := os.ReadFile(b)
	text := strings.ReplaceAll(string(ra), strings.TrimPrefix(srv.URL, "http://"), "HOST")
	for _, leak := range []string{secret, url.QueryEscape(secret), "tok-", "Basic ", "prefix ", "integrate/test", "X-Request-Id", "Date"} {
		if strings.Contains(text, leak) {
			t.Errorf("%q in the scenario:\n%s", leak, text)
		}
	}
	for _, want := range []string{`"access_token": "(sensitive)"`, `"Authorization": "(sensitive)"`, `"X-Api-Key": "(sensitive)"`,
		`client_secret=%28sensitive%29`, `"X-Ratelimit-Remaining": "99"`, `"page": 2`} {
		if !strings.Contains(text, want) {
			t.Errorf("scenario lacks %s:\n%s", want, text)
		}
	}
	if strings.Count(string(ra), "\n") != strings.Count(string(rb), "\n") {
		t.Error("two recordings of the same exchanges differ in shape")
	}
	if _, err := Load(a); err != nil {
		t.Errorf("a saved scenario does not load: %v", err)
	}
}

func TestReplay(t *testing.T) {
	sc := record(t, vendor(t))
	u, _ := url.Parse(sc.Exchanges[0].Request.URL)
	base := "http://" + u.Host
	// The replayed run has a different placeholder secret; redacted, it matches.
	red := engine.NewRedactor("replayed-placeholder")
	c := &http.Client{Transport: NewReplayer(sc, red)}
	resp, err := c.PostForm(base+"/token", url.Values{"client_secret": {"replayed-placeholder"}, "client_id": {"id"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"access_token":"(sensitive)"`) {
		t.Errorf("token replay: %d %s", resp.StatusCode, b)
	}
	// The same URL twice gets the two recorded pages in order; query order is irrelevant.
	for _, want := range []string{`"page":1`, `"page":2`} {
		resp, err := c.Get(base + "/scroll?a=1&b=2&key=replayed-placeholder")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), want) || resp.Header.Get("X-Ratelimit-Remaining") != "99" {
			t.Errorf("got %s, want %s", b, want)
		}
	}
	// A third time is more than was recorded.
	_, err = c.Get(base + "/scroll?a=1&b=2&key=replayed-placeholder")
	var nm *NoMatchError
	if !errors.As(err, &nm) || !strings.Contains(nm.Closest, "/scroll?a=1&b=2&key=%28sensitive%29") {
		t.Fatalf("third request: %v", err)
	}
	_, err = c.Get(base + "/scrolls?a=1")
	if !errors.As(err, &nm) || !strings.Contains(err.Error(), "no recorded exchange answers GET "+base+"/scrolls?a=1") ||
		!strings.Contains(err.Error(), "the closest recorded request is GET "+base+"/scroll") {
		t.Errorf("unknown request: %v", err)
	}
}

func TestLoadRejectsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"garbage":  "not json",
		"unknown":  `{"integration":"x","exchanges":[],"extra":1}`,
		"noStatus": `{"integration":"x","exchanges":[{"request":{"method":"GET","url":"http://x"},"response":{}}]}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := Load(p); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

// TestRecordMasksFormTokensAndSecretKeys: a token endpoint that answers form-encoded,
// and a vendor that uses a secret as a JSON key, leave no secret in the scenario.
func TestRecordMasksFormTokensAndSecretKeys(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "access_token=FORMTOKEN-SECRET-2&token_type=bearer&expires_in=3600")
			return
		}
		io.WriteString(w, `{"`+secret+`":1,"ok":true}`)
	}))
	defer srv.Close()
	rec := &Recorder{Next: http.DefaultTransport, Redact: engine.NewRedactor(secret)}
	c := &http.Client{Transport: rec}
	for _, p := range []string{"/token", "/data"} {
		resp, err := c.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	path := filepath.Join(t.TempDir(), "s.json")
	(&Scenario{Integration: "x", Exchanges: rec.Exchanges()}).Save(path)
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "FORMTOKEN") || strings.Contains(string(raw), secret) {
		t.Errorf("a secret is in the scenario:\n%s", raw)
	}
}
