package mock_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integrate-dev/integrate/definitions/mock"
)

// fixedNow is the injected clock: 2024-05-29T09:00:00Z.
func fixedNow() time.Time { return time.Date(2024, 5, 29, 9, 0, 0, 0, time.UTC) }

// session is a client of one running mock that authenticates the way the shipped
// definition does, with the vendor's placeholder Vars.
type session struct {
	t      *testing.T
	srv    *mock.Server
	client *http.Client
	vendor mock.Vendor
	bearer string // CrowdStrike's current access token
}

func newSession(t *testing.T, name string, opt mock.Options) *session {
	t.Helper()
	v, ok := mock.Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) found nothing", name)
	}
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	srv := mock.Start(v, opt)
	t.Cleanup(srv.Close)
	s := &session{t: t, srv: srv, vendor: v, client: &http.Client{Transport: srv.Transport(), Timeout: 10 * time.Second}}
	if name == "crowdstrike" {
		s.login()
	}
	return s
}

// login fetches a CrowdStrike token; token requests never count as data requests.
func (s *session) login() {
	s.t.Helper()
	form := url.Values{"client_id": {s.vendor.Vars["client_id"]}, "client_secret": {s.vendor.Vars["client_secret"]}}
	resp, err := s.client.PostForm("https://api.crowdstrike.com/oauth2/token", form)
	if err != nil {
		s.t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	body := readAll(s.t, resp)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
		s.t.Fatalf("token: %s %s", resp.Status, body)
	}
	s.bearer = tok.AccessToken
}

func (s *session) authorize(req *http.Request) {
	v := s.vendor.Vars
	switch s.vendor.Name {
	case "crowdstrike":
		req.Header.Set("Authorization", "Bearer "+s.bearer)
	case "github":
		req.Header.Set("Authorization", "Bearer "+v["token"])
	case "bitbucket":
		req.SetBasicAuth(v["username"], v["api_token"])
	case "insightvm":
		req.SetBasicAuth(v["username"], v["password"])
	}
}

// do sends an authorised GET and reads the body; err covers transport and body errors.
func (s *session) do(rawURL string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, err
	}
	s.authorize(req)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// get is do for requests that must succeed at the HTTP level.
func (s *session) get(rawURL string) (*http.Response, []byte) {
	s.t.Helper()
	resp, body, err := s.do(rawURL)
	if err != nil {
		s.t.Fatalf("GET %s: %v", rawURL, err)
	}
	return resp, body
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %.200s: %v", body, err)
	}
}

// pager walks one paginated endpoint the way its vendor documents.
type pager struct {
	name   string
	vendor string
	// want is the expected record count for Options.Records.
	want  func(records int) int
	first func(size int) string
	// page returns the record ids of one page and the next URL, "" at the end.
	page func(t *testing.T, resp *http.Response, body []byte, cur string) (ids []string, next string)
}

func pagers() []pager {
	return []pager{
		{"crowdstrike hosts", "crowdstrike", defaultOr(230), func(size int) string {
			return "https://api.crowdstrike.com/devices/combined/devices/v1?sort=hostname.asc&limit=" + strconv.Itoa(size)
		}, crowdStrikePage},
		{"github repos", "github", defaultOr(75), func(size int) string {
			return "https://api.github.com/orgs/acme/repos?per_page=" + strconv.Itoa(size)
		}, gitHubRepoPage},
		{"github alerts", "github", func(n int) int { return defaultOr(75)(n) * 3 / 5 }, func(size int) string {
			return "https://api.github.com/orgs/acme/dependabot/alerts?per_page=" + strconv.Itoa(size)
		}, gitHubAlertPage},
		{"bitbucket repos", "bitbucket", defaultOr(35), func(size int) string {
			return "https://api.bitbucket.org/2.0/repositories/acme-sec?pagelen=" + strconv.Itoa(size)
		}, bitbucketPage},
		{"insightvm assets", "insightvm", defaultOr(120), func(size int) string {
			return "https://insightvm.example.com:3780/api/3/assets?page=0&size=" + strconv.Itoa(size) + "&sort=id,asc"
		}, insightVMPage},
	}
}

func defaultOr(def int) func(int) int {
	return func(n int) int {
		switch {
		case n == 0:
			return def
		case n < 0:
			return 0
		}
		return n
	}
}

func crowdStrikePage(t *testing.T, _ *http.Response, body []byte, cur string) ([]string, string) {
	var page struct {
		Meta struct {
			Pagination struct {
				Total  int    `json:"total"`
				Offset string `json:"offset"`
			} `json:"pagination"`
		} `json:"meta"`
		Resources []struct {
			DeviceID string `json:"device_id"`
		} `json:"resources"`
	}
	decode(t, body, &page)
	var ids []string
	for _, r := range page.Resources {
		ids = append(ids, r.DeviceID)
	}
	if page.Meta.Pagination.Offset == "" {
		return ids, ""
	}
	u, _ := url.Parse(cur)
	q := u.Query()
	q.Set("offset", page.Meta.Pagination.Offset)
	u.RawQuery = q.Encode()
	return ids, u.String()
}

func gitHubRepoPage(t *testing.T, resp *http.Response, body []byte, _ string) ([]string, string) {
	var repos []struct {
		ID json.Number `json:"id"`
	}
	decode(t, body, &repos)
	var ids []string
	for _, r := range repos {
		ids = append(ids, r.ID.String())
	}
	return ids, linkRel(resp.Header.Get("Link"), "next")
}

func gitHubAlertPage(t *testing.T, resp *http.Response, body []byte, _ string) ([]string, string) {
	var alerts []struct {
		Number     int `json:"number"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	decode(t, body, &alerts)
	var ids []string
	for _, a := range alerts {
		ids = append(ids, fmt.Sprintf("%s#%d", a.Repository.FullName, a.Number))
	}
	return ids, linkRel(resp.Header.Get("Link"), "next")
}

func bitbucketPage(t *testing.T, _ *http.Response, body []byte, _ string) ([]string, string) {
	var page struct {
		Next   string `json:"next"`
		Values []struct {
			UUID string `json:"uuid"`
		} `json:"values"`
	}
	decode(t, body, &page)
	var ids []string
	for _, v := range page.Values {
		ids = append(ids, v.UUID)
	}
	return ids, page.Next
}

func insightVMPage(t *testing.T, _ *http.Response, body []byte, _ string) ([]string, string) {
	var page struct {
		Resources []struct {
			ID json.Number `json:"id"`
		} `json:"resources"`
		Links []struct{ Href, Rel string } `json:"links"`
	}
	decode(t, body, &page)
	var ids []string
	for _, r := range page.Resources {
		ids = append(ids, r.ID.String())
	}
	for _, l := range page.Links {
		if l.Rel == "next" {
			return ids, l.Href
		}
	}
	return ids, ""
}

// linkRel finds rel in a Link header by name, not position.
func linkRel(header, rel string) string {
	for _, part := range strings.Split(header, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if ok && strings.Contains(params, `rel="`+rel+`"`) {
			return strings.Trim(strings.TrimSpace(target), "<>")
		}
	}
	return ""
}

// walk follows p from its first page to the end, returning every id and the raw pages.
func walk(t *testing.T, s *session, p pager, size int) (ids []string, pages [][]byte) {
	t.Helper()
	for next := p.first(size); next != ""; {
		if len(pages) > 10000 {
			t.Fatalf("%s: pagination does not end", p.name)
		}
		resp, body := s.get(next)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %s", next, resp.Status, body)
		}
		var pageIDs []string
		pageIDs, next = p.page(t, resp, body, next)
		ids = append(ids, pageIDs...)
		pages = append(pages, body)
	}
	return ids, pages
}

func TestVendorsTable(t *testing.T) {
	vs := mock.Vendors()
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
		if len(v.Hosts) == 0 || len(v.Vars) == 0 || v.New == nil {
			t.Errorf("%s: incomplete vendor %+v", v.Name, v)
		}
	}
	if want := []string{"bitbucket", "crowdstrike", "github", "insightvm"}; !slices.Equal(names, want) {
		t.Errorf("Vendors() = %v, want %v", names, want)
	}
	if _, ok := mock.Lookup("evil"); ok {
		t.Error(`Lookup("evil") found a vendor`)
	}
	vs[0].Vars["workspace"] = "changed"
	if v, _ := mock.Lookup("bitbucket"); v.Vars["workspace"] != "acme-sec" {
		t.Error("Vendors() shares its Vars maps between calls")
	}
}

func TestDefaultFaults(t *testing.T) {
	want := mock.Faults{RateLimitAt: 2, ServerErrorAt: 3, DropAt: 4, ExpireTokenAt: 5}
	if got := mock.DefaultFaults(); got != want {
		t.Errorf("DefaultFaults() = %+v, want %+v", got, want)
	}
}

func TestPaginationVisitsEveryRecordOnce(t *testing.T) {
	cases := []struct {
		records, size int
	}{
		{0, 100}, // vendor default, a few pages
		{0, 7},   // many short pages
		{10, 5},  // pages that divide the total exactly
		{11, 5},  // a short last page
		{1, 50},
		{-1, 10}, // empty collection
	}
	for _, p := range pagers() {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/records=%d/size=%d", p.name, c.records, c.size), func(t *testing.T) {
				s := newSession(t, p.vendor, mock.Options{Records: c.records})
				ids, pages := walk(t, s, p, c.size)
				want := p.want(c.records)
				if len(ids) != want {
					t.Errorf("got %d records, want %d", len(ids), want)
				}
				if dup := firstDuplicate(ids); dup != "" {
					t.Errorf("id %q appears twice", dup)
				}
				if wantPages := max(1, (want+c.size-1)/c.size); len(pages) != wantPages {
					t.Errorf("got %d pages, want %d", len(pages), wantPages)
				}
			})
		}
	}
}

func firstDuplicate(ids []string) string {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return id
		}
		seen[id] = true
	}
	return ""
}

func TestAuthRejections(t *testing.T) {
	cases := []struct {
		name, vendor, method, url, auth string
		form                            url.Values
		wantStatus                      int
		wantBody                        string
	}{
		{"crowdstrike wrong secret", "crowdstrike", "POST", "https://api.crowdstrike.com/oauth2/token", "",
			url.Values{"client_id": {"mock-client-id-0123456789abcdef0"}, "client_secret": {"nope"}},
			403, `"errors":[{"code":403,"message":"Failed to issue access token - Not Authorized"}]`},
		{"crowdstrike missing secret", "crowdstrike", "POST", "https://api.crowdstrike.com/oauth2/token", "",
			url.Values{"client_id": {"mock-client-id-0123456789abcdef0"}},
			400, `"errors":[{"code":400,"message":"client_id and client_secret are required"}]`},
		{"crowdstrike no bearer", "crowdstrike", "GET", "https://api.crowdstrike.com/devices/combined/devices/v1", "", nil,
			401, `"errors":[{"code":401,"message":"access denied, invalid bearer token"}]`},
		{"crowdstrike unknown bearer", "crowdstrike", "GET", "https://api.crowdstrike.com/devices/queries/devices/v1?limit=1", "Bearer forged", nil,
			401, `"errors":[{"code":401,"message":"access denied, invalid bearer token"}]`},
		{"github no token", "github", "GET", "https://api.github.com/orgs/acme/repos", "", nil,
			401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`},
		{"github wrong token", "github", "GET", "https://api.github.com/user", "token ghp_wrong", nil,
			401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`},
		{"github unknown org", "github", "GET", "https://api.github.com/orgs/acme-nope/repos", "Bearer ghp_mockTokenDoNotUse0123456789abcdefABCD", nil,
			404, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`},
		{"bitbucket wrong basic", "bitbucket", "GET", "https://api.bitbucket.org/2.0/repositories/acme-sec", "Basic " + basic("mock-user@example.com", "wrong"), nil,
			401, `{"type":"error","error":{"message":"Invalid credentials"}}`},
		{"bitbucket wrong bearer", "bitbucket", "GET", "https://api.bitbucket.org/2.0/user", "Bearer revoked", nil,
			401, `{"type":"error","error":{"message":"Access token expired or revoked"}}`},
		{"bitbucket unknown workspace", "bitbucket", "GET", "https://api.bitbucket.org/2.0/repositories/acme-nope", "Bearer mock-access-token-0123456789", nil,
			404, `{"type":"error","error":{"message":"Workspace acme-nope not found"}}`},
		{"insightvm wrong password", "insightvm", "GET", "https://insightvm.example.com:3780/api/3/assets", "Basic " + basic("mock-admin", "guess"), nil,
			401, `{"status":401,"message":"Authentication required.","links":[{"href":"https://insightvm.example.com:3780/api/3/assets","rel":"self"}]}`},
		{"insightvm no auth", "insightvm", "GET", "https://insightvm.example.com:3780/api/3", "", nil,
			401, `{"status":401,"message":"Authentication required.","links":[{"href":"https://insightvm.example.com:3780/api/3","rel":"self"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t, c.vendor, mock.Options{})
			var body io.Reader
			if c.form != nil {
				body = strings.NewReader(c.form.Encode())
			}
			req, _ := http.NewRequest(c.method, c.url, body)
			if c.form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := s.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, resp)
			if resp.StatusCode != c.wantStatus || !bytes.Contains(got, []byte(c.wantBody)) {
				t.Errorf("got %d %s\nwant %d with %s", resp.StatusCode, got, c.wantStatus, c.wantBody)
			}
		})
	}
}

func basic(user, pass string) string {
	req, _ := http.NewRequest("GET", "http://x", nil)
	req.SetBasicAuth(user, pass)
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}

// TestFaultsFireOnceAtTheirOrdinal sends seven data requests under DefaultFaults: 1 is
// fine, 2 is rate limited, 3 fails, 4 is cut mid-body, 5 finds its token revoked (OAuth
// vendors only), and 6 and 7 are fine again.
func TestFaultsFireOnceAtTheirOrdinal(t *testing.T) {
	cases := []struct {
		vendor, url     string
		serverStatus    int
		serverBody      string
		checkRateHeader func(t *testing.T, h http.Header)
		expires         bool
		expiredBody     string
	}{
		{"crowdstrike", "https://api.crowdstrike.com/devices/combined/devices/v1?limit=10", 500,
			`"errors":[{"code":500,"message":"internal server error"}]`, func(t *testing.T, h http.Header) {
				wantHeader(t, h, "X-RateLimit-RetryAfter", strconv.FormatInt(fixedNow().Unix()+1, 10))
				wantHeader(t, h, "Retry-After", "")
				wantHeader(t, h, "X-RateLimit-Remaining", "0")
			}, true, `"errors":[{"code":401,"message":"access denied, invalid bearer token"}]`},
		{"github", "https://api.github.com/orgs/acme/repos?per_page=10", 500,
			`{"message":"Server Error","documentation_url":"https://docs.github.com/rest","status":"500"}`, func(t *testing.T, h http.Header) {
				wantHeader(t, h, "Retry-After", "1")
				wantHeader(t, h, "X-RateLimit-Remaining", "4998")
			}, false, ""},
		{"bitbucket", "https://api.bitbucket.org/2.0/repositories/acme-sec?pagelen=10", 500,
			`{"type":"error","error":{"message":"Something went wrong"}}`, func(t *testing.T, h http.Header) {
				wantHeader(t, h, "Retry-After", "1")
			}, false, ""},
		{"insightvm", "https://insightvm.example.com:3780/api/3/assets?size=10", 503,
			`{"status":503,"message":"The Security Console is starting up or in maintenance mode. Try again later."`, func(t *testing.T, h http.Header) {
				wantHeader(t, h, "Retry-After", "1")
			}, false, ""},
	}
	for _, c := range cases {
		t.Run(c.vendor, func(t *testing.T) {
			s := newSession(t, c.vendor, mock.Options{Faults: mock.DefaultFaults()})
			ok := func(n int) {
				resp, body := s.get(c.url)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("request %d: %s %s", n, resp.Status, body)
				}
			}
			ok(1)

			resp, body := s.get(c.url)
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("request 2: got %s %s, want 429", resp.Status, body)
			}
			c.checkRateHeader(t, resp.Header)

			resp, body = s.get(c.url)
			if resp.StatusCode != c.serverStatus || !strings.Contains(string(body), c.serverBody) {
				t.Fatalf("request 3: got %s %s, want %d %s", resp.Status, body, c.serverStatus, c.serverBody)
			}

			resp, _, err := s.do(c.url)
			if !errors.Is(err, io.ErrUnexpectedEOF) || resp.StatusCode != http.StatusOK {
				t.Fatalf("request 4: got %v, %v; want 200 and an unexpected EOF in the body", resp, err)
			}

			resp, body = s.get(c.url)
			if c.expires {
				if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), c.expiredBody) {
					t.Fatalf("request 5: got %s %s, want 401 %s", resp.Status, body, c.expiredBody)
				}
				s.login()
			} else if resp.StatusCode != http.StatusOK {
				t.Fatalf("request 5: got %s %s, want 200", resp.Status, body)
			}
			ok(6)
			ok(7)
			wantLog(t, s.srv.Requests(), c.vendor, c.serverStatus, c.expires)
		})
	}
}

// wantLog checks the data requests in the log: statuses in order and the drop flag.
func wantLog(t *testing.T, log []mock.Request, vendor string, serverStatus int, expires bool) {
	t.Helper()
	var statuses []int
	var dropped []bool
	for _, r := range log {
		if r.Path == "/oauth2/token" {
			continue
		}
		statuses = append(statuses, r.Status)
		dropped = append(dropped, r.Dropped)
		if !r.Auth || r.Method != http.MethodGet || !strings.Contains(r.Host, ".") {
			t.Errorf("log entry %+v: want an authorised GET for the real host", r)
		}
	}
	fifth := 200
	if expires {
		fifth = 401
	}
	if want := []int{200, 429, serverStatus, 200, fifth, 200, 200}; !slices.Equal(statuses, want) {
		t.Errorf("%s log statuses = %v, want %v", vendor, statuses, want)
	}
	if want := []bool{false, false, false, true, false, false, false}; !slices.Equal(dropped, want) {
		t.Errorf("%s log dropped = %v, want %v", vendor, dropped, want)
	}
}

func wantHeader(t *testing.T, h http.Header, name, want string) {
	t.Helper()
	if got := h.Get(name); got != want {
		t.Errorf("header %s = %q, want %q", name, got, want)
	}
}

func TestTransportRefusesOtherHosts(t *testing.T) {
	for _, v := range mock.Vendors() {
		t.Run(v.Name, func(t *testing.T) {
			s := newSession(t, v.Name, mock.Options{})
			before := len(s.srv.Requests())
			for _, u := range []string{"https://evil.example/api", "http://evil.example:3780/", "https://127.0.0.1/"} {
				_, _, err := s.do(u)
				host := strings.Split(strings.Split(u, "//")[1], "/")[0]
				host, _, _ = strings.Cut(host, ":")
				want := fmt.Sprintf("mock: no route to host %q", host)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("GET %s: err = %v, want %s", u, err, want)
				}
			}
			if got := len(s.srv.Requests()); got != before {
				t.Errorf("refused requests reached the mock: log grew from %d to %d", before, got)
			}
		})
	}
}

// TestTransportRoutesAnySchemeAndPort shows the mock host is matched by name only.
func TestTransportRoutesAnySchemeAndPort(t *testing.T) {
	s := newSession(t, "github", mock.Options{})
	for _, u := range []string{"https://api.github.com/user", "http://API.GITHUB.COM:8443/user"} {
		resp, body := s.get(u)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"login":"mock-user"`) {
			t.Errorf("GET %s: %s %s", u, resp.Status, body)
		}
	}
	log := s.srv.Requests()
	if log[1].Host != "API.GITHUB.COM:8443" || log[1].Path != "/user" {
		t.Errorf("log entry %+v: want the original Host header and path", log[1])
	}
}

func TestTransportDoesNotModifyRequest(t *testing.T) {
	s := newSession(t, "insightvm", mock.Options{})
	req, _ := http.NewRequest(http.MethodGet, "https://insightvm.example.com:3780/api/3?x=1", nil)
	req.SetBasicAuth("mock-admin", "mock-password-do-not-use-0123")
	wantURL, wantHost, wantHeader := req.URL.String(), req.Host, req.Header.Clone()
	resp, err := s.srv.Transport().RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if req.URL.String() != wantURL || req.Host != wantHost || len(req.Header) != len(wantHeader) {
		t.Errorf("request changed: URL %s Host %q Header %v", req.URL, req.Host, req.Header)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %s", resp.Status)
	}
}

// TestDeterministicBodies pages through each endpoint on two servers with the same
// clock and compares the raw bytes.
func TestDeterministicBodies(t *testing.T) {
	for _, p := range pagers() {
		t.Run(p.name, func(t *testing.T) {
			_, a := walk(t, newSession(t, p.vendor, mock.Options{}), p, 25)
			_, b := walk(t, newSession(t, p.vendor, mock.Options{}), p, 25)
			if len(a) != len(b) {
				t.Fatalf("%d pages vs %d", len(a), len(b))
			}
			for i := range a {
				if !bytes.Equal(a[i], b[i]) {
					t.Errorf("page %d differs:\n%.300s\n%.300s", i, a[i], b[i])
				}
			}
		})
	}
}

// TestFaultOrdinalUnderConcurrency fires 40 requests at once; exactly one is rate
// limited, whichever arrives 17th.
func TestFaultOrdinalUnderConcurrency(t *testing.T) {
	s := newSession(t, "bitbucket", mock.Options{Faults: mock.Faults{RateLimitAt: 17}})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 40 {
		wg.Go(func() {
			resp, _, err := s.do("https://api.bitbucket.org/2.0/repositories/acme-sec")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[429] != 1 || statuses[200] != 39 {
		t.Errorf("statuses = %v, want one 429 and 39 200s", statuses)
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)
