package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integrate-dev/integrate/definitions/mock"
)

const csHosts = "https://api.crowdstrike.com/devices/combined/devices/v1"

type csPage struct {
	Meta struct {
		QueryTime  float64 `json:"query_time"`
		PoweredBy  string  `json:"powered_by"`
		TraceID    string  `json:"trace_id"`
		Pagination struct {
			Total     int    `json:"total"`
			Limit     int    `json:"limit"`
			Offset    string `json:"offset"`
			ExpiresAt int64  `json:"expires_at"`
		} `json:"pagination"`
	} `json:"meta"`
	Resources []map[string]any `json:"resources"`
	Errors    []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// movableClock is a clock a test can advance.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movableClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestCrowdStrikeToken(t *testing.T) {
	cases := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantBody   string
	}{
		{"without grant_type", url.Values{"client_id": {"mock-client-id-0123456789abcdef0"}, "client_secret": {"mock-client-secret-do-not-use-0123456789"}}, 201, `"token_type":"bearer","expires_in":1799}`},
		{"with grant_type", url.Values{"grant_type": {"client_credentials"}, "client_id": {"mock-client-id-0123456789abcdef0"}, "client_secret": {"mock-client-secret-do-not-use-0123456789"}}, 201, `"expires_in":1799`},
		{"other grant_type", url.Values{"grant_type": {"password"}, "client_id": {"mock-client-id-0123456789abcdef0"}, "client_secret": {"mock-client-secret-do-not-use-0123456789"}}, 400, `"code":400`},
		{"wrong id", url.Values{"client_id": {"0123"}, "client_secret": {"mock-client-secret-do-not-use-0123456789"}}, 403, `"message":"Failed to issue access token - Not Authorized"`},
		{"empty", url.Values{}, 400, `"errors":[{"code":400,`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t, "crowdstrike", mock.Options{})
			resp, err := s.client.PostForm("https://api.us-2.crowdstrike.com/oauth2/token", c.form)
			if err != nil {
				t.Fatal(err)
			}
			body := string(readAll(t, resp))
			if resp.StatusCode != c.wantStatus || !strings.Contains(body, c.wantBody) {
				t.Errorf("got %s %s, want %d with %s", resp.Status, body, c.wantStatus, c.wantBody)
			}
			wantHeader(t, resp.Header, "X-RateLimit-Limit", "300")
			if resp.Header.Get("X-Cs-Traceid") == "" || resp.Header.Get("X-Cs-Region") != "us-1" {
				t.Errorf("missing X-Cs-Traceid or X-Cs-Region: %v", resp.Header)
			}
		})
	}
}

func TestCrowdStrikeTokensAreUniqueAndExpire(t *testing.T) {
	clk := &movableClock{now: fixedNow()}
	s := newSession(t, "crowdstrike", mock.Options{Now: clk.Now})
	first := s.bearer
	s.login()
	if s.bearer == first {
		t.Errorf("two logins returned the same token %q", first)
	}
	clk.Advance(1798 * time.Second)
	if resp, body := s.get(csHosts); resp.StatusCode != 200 {
		t.Fatalf("token 1798 s old: %s %s", resp.Status, body)
	}
	clk.Advance(time.Second)
	if resp, _ := s.get(csHosts); resp.StatusCode != 401 {
		t.Errorf("token 1799 s old: got %s, want 401", resp.Status)
	}
}

func TestCrowdStrikeNoScope(t *testing.T) {
	s := newSession(t, "crowdstrike", mock.Options{})
	form := url.Values{"client_id": {"mock-client-id-noscope"}, "client_secret": {s.vendor.Vars["client_secret"]}}
	resp, err := s.client.PostForm("https://api.crowdstrike.com/oauth2/token", form)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("noscope token: %v %v", resp, err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	decode(t, readAll(t, resp), &tok)
	s.bearer = tok.AccessToken
	resp, body := s.get("https://api.crowdstrike.com/devices/queries/devices/v1?limit=1")
	var page csPage
	decode(t, body, &page)
	if resp.StatusCode != 403 || len(page.Errors) != 1 || page.Errors[0].Message != "access denied, authorization failed" {
		t.Errorf("got %s %s, want 403 access denied, authorization failed", resp.Status, body)
	}
}

func TestCrowdStrikeScrollPages(t *testing.T) {
	s := newSession(t, "crowdstrike", mock.Options{Records: 25})
	offsets := map[string]bool{}
	next := csHosts + "?limit=10&sort=hostname.asc"
	for n := 1; next != ""; n++ {
		resp, body := s.get(next)
		var page csPage
		decode(t, body, &page)
		p := page.Meta.Pagination
		if p.Total != 25 || p.Limit != 10 || p.ExpiresAt != fixedNow().Add(2*time.Minute).UnixNano() || page.Meta.PoweredBy != "device-api" {
			t.Errorf("page %d meta = %+v", n, page.Meta)
		}
		if page.Meta.TraceID != resp.Header.Get("X-Cs-Traceid") || page.Errors == nil || len(page.Errors) != 0 {
			t.Errorf("page %d: trace id %q vs header %q, errors %v", n, page.Meta.TraceID, resp.Header.Get("X-Cs-Traceid"), page.Errors)
		}
		wantHeader(t, resp.Header, "X-RateLimit-Limit", "6000")
		wantHeader(t, resp.Header, "X-RateLimit-Remaining", strconv.Itoa(6000-n))
		if offsets[p.Offset] {
			t.Errorf("page %d repeats offset token %q", n, p.Offset)
		}
		offsets[p.Offset] = true
		if wantLast := n == 3; (p.Offset == "") != wantLast {
			t.Errorf("page %d offset = %q", n, p.Offset)
		}
		next = ""
		if p.Offset != "" {
			next = csHosts + "?limit=10&sort=hostname.asc&offset=" + url.QueryEscape(p.Offset)
		}
	}
}

func TestCrowdStrikeBadRequests(t *testing.T) {
	clk := &movableClock{now: fixedNow()}
	s := newSession(t, "crowdstrike", mock.Options{Now: clk.Now})
	var first csPage
	_, body := s.get(csHosts + "?limit=100")
	decode(t, body, &first)
	token := first.Meta.Pagination.Offset
	garbled := []byte(token)
	garbled[3] ^= 1
	cases := []struct{ name, query, want string }{
		{"garbled offset", "limit=100&offset=" + url.QueryEscape(string(garbled)), "invalid offset: not a pagination token issued by this API"},
		{"made-up offset", "limit=100&offset=100", "invalid offset: not a pagination token issued by this API"},
		{"limit zero", "limit=0", "limit must be an integer between 1 and 10000"},
		{"limit too large", "limit=10001", "limit must be an integer between 1 and 10000"},
		{"expired offset", "limit=100&offset=" + url.QueryEscape(token), "invalid offset: pagination token has expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "expired offset" {
				clk.Advance(2*time.Minute + time.Second)
			}
			resp, body := s.get(csHosts + "?" + c.query)
			var page csPage
			decode(t, body, &page)
			if resp.StatusCode != 400 || len(page.Errors) != 1 || page.Errors[0].Message != c.want || page.Errors[0].Code != 400 {
				t.Errorf("got %s %s, want 400 %q", resp.Status, body, c.want)
			}
		})
	}
}

func TestCrowdStrikeQueryDevices(t *testing.T) {
	s := newSession(t, "crowdstrike", mock.Options{})
	resp, body := s.get("https://api.crowdstrike.com/devices/queries/devices/v1?limit=1")
	var page struct {
		Meta struct {
			Pagination map[string]json.Number `json:"pagination"`
		} `json:"meta"`
		Resources []string `json:"resources"`
		Errors    []any    `json:"errors"`
	}
	decode(t, body, &page)
	p := page.Meta.Pagination
	if resp.StatusCode != 200 || p["total"] != "230" || p["offset"] != "0" || p["limit"] != "1" || len(page.Resources) != 1 || page.Errors == nil {
		t.Fatalf("got %s %s", resp.Status, body)
	}
	ids, _ := walk(t, s, pagers()[0], 1)
	if ids[0] != page.Resources[0] {
		t.Errorf("query id %s is not the first device %s", page.Resources[0], ids[0])
	}
}

// TestCrowdStrikeDeviceVariety checks the default fleet has the variety and edge cases
// a definition's mapping must survive.
func TestCrowdStrikeDeviceVariety(t *testing.T) {
	s := newSession(t, "crowdstrike", mock.Options{})
	_, body := s.get(csHosts + "?limit=10000")
	var page csPage
	decode(t, body, &page)
	count := map[string]int{}
	mac := regexp.MustCompile(`^([0-9a-f]{2}-){5}[0-9a-f]{2}$`)
	for _, d := range page.Resources {
		id, _ := d["device_id"].(string)
		if !hex32.MatchString(id) || !mac.MatchString(d["mac_address"].(string)) {
			t.Errorf("device %v: bad device_id or mac_address", d)
		}
		if _, err := time.Parse(time.RFC3339, d["first_seen"].(string)); err != nil {
			t.Error(err)
		}
		count["platform "+d["platform_name"].(string)]++
		count["status "+d["status"].(string)]++
		for _, f := range []string{"machine_domain", "external_ip", "last_seen", "instance_id"} {
			if _, ok := d[f]; !ok {
				count["no "+f]++
			}
		}
		if d["service_provider"] == "AWS_EC2_V2" {
			count["aws"]++
		}
		if tags := d["tags"].([]any); len(tags) == 0 {
			count["empty tags"]++
		}
		if h := d["hostname"].(string); strings.ContainsFunc(h, func(r rune) bool { return r > 127 }) {
			count["unicode hostname"]++
		}
	}
	for _, want := range []string{"platform Windows", "platform Linux", "platform Mac", "status normal", "status contained",
		"no machine_domain", "no external_ip", "aws", "empty tags", "unicode hostname"} {
		if count[want] == 0 {
			t.Errorf("no device with %s (counts %v)", want, count)
		}
	}
	if count["no last_seen"] != 1 {
		t.Errorf("%d devices lack last_seen, want exactly 1", count["no last_seen"])
	}
	if firstDuplicate(deviceIDs(page)) != "" {
		t.Error("device ids repeat")
	}
}

func deviceIDs(p csPage) []string {
	var ids []string
	for _, d := range p.Resources {
		ids = append(ids, d["device_id"].(string))
	}
	return ids
}

// BenchmarkCrowdStrikeHosts serves 100,000 hosts in pages of 5,000 straight from the
// handler, to show the mock is cheap next to whatever it is benchmarking.
func BenchmarkCrowdStrikeHosts(b *testing.B) {
	v, _ := mock.Lookup("crowdstrike")
	h := v.New(mock.Options{Records: 100000})
	form := url.Values{"client_id": {v.Vars["client_id"]}, "client_secret": {v.Vars["client_secret"]}}
	req := httptest.NewRequest("POST", "https://api.crowdstrike.com/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(rec.Body.Bytes(), &tok) //nolint:errcheck
	for b.Loop() {
		var total int64
		for offset, pages := "", 0; pages == 0 || offset != ""; pages++ {
			req := httptest.NewRequest("GET", csHosts+"?limit=5000&offset="+url.QueryEscape(offset), nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var page struct {
				Meta struct {
					Pagination struct {
						Offset string `json:"offset"`
					} `json:"pagination"`
				} `json:"meta"`
			}
			body := rec.Body.Bytes()
			// Only the meta block is decoded: the benchmark measures serving, not parsing.
			end := bytes.Index(body, []byte(`,"resources"`))
			meta := append(body[:end:end], '}') // a copy, so body stays intact
			json.Unmarshal(meta, &page)         //nolint:errcheck
			offset = page.Meta.Pagination.Offset
			total += int64(len(body))
		}
		b.SetBytes(total)
	}
}

func TestCrowdStrikeRevoke(t *testing.T) {
	s := newSession(t, "crowdstrike", mock.Options{})
	cases := []struct {
		name, user, pass, token string
		wantStatus              int
	}{
		{"wrong client", "mock-client-id-0123456789abcdef0", "nope", s.bearer, 403},
		{"no token", "mock-client-id-0123456789abcdef0", "mock-client-secret-do-not-use-0123456789", "", 400},
		{"revoked", "mock-client-id-0123456789abcdef0", "mock-client-secret-do-not-use-0123456789", s.bearer, 200},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", "https://api.crowdstrike.com/oauth2/revoke", strings.NewReader(url.Values{"token": {c.token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(c.user, c.pass)
		resp, err := s.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, resp); resp.StatusCode != c.wantStatus {
			t.Errorf("%s: got %s %s, want %d", c.name, resp.Status, body, c.wantStatus)
		}
	}
	if resp, _ := s.get(csHosts); resp.StatusCode != 401 {
		t.Errorf("revoked token: got %s, want 401", resp.Status)
	}
	if got := len(s.srv.Requests()); got != 5 {
		t.Errorf("log has %d entries, want 5 (login, 3 revokes, 1 data)", got)
	}
}
