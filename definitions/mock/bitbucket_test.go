package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/integrate-dev/integrate/definitions/mock"
)

const bbRepos = "https://api.bitbucket.org/2.0/repositories/acme-sec"

type bbPage struct {
	Pagelen  int              `json:"pagelen"`
	Size     int              `json:"size"`
	Page     int              `json:"page"`
	Next     *string          `json:"next"`
	Previous *string          `json:"previous"`
	Values   []map[string]any `json:"values"`
}

func TestBitbucketEnvelope(t *testing.T) {
	s := newSession(t, "bitbucket", mock.Options{})
	next := bbRepos + "?pagelen=15&q=is_private%3Dtrue"
	for n := 1; next != ""; n++ {
		resp, body := s.get(next)
		var page bbPage
		decode(t, body, &page)
		if page.Pagelen != 15 || page.Size != 35 || page.Page != n || (page.Previous != nil) != (n > 1) {
			t.Errorf("page %d envelope: %+v", n, page)
		}
		last := n == 3
		if raw := string(body); strings.Contains(raw, `"next"`) == last {
			t.Errorf("page %d: next key present = %v, want %v", n, !last, !last)
		}
		wantHeader(t, resp.Header, "X-RateLimit-Limit", "1000")
		wantHeader(t, resp.Header, "X-RateLimit-Resource", "api")
		wantHeader(t, resp.Header, "X-RateLimit-NearLimit", "false")
		next = ""
		if page.Next != nil {
			next = *page.Next
			checkBitbucketNext(t, next, "https://api.bitbucket.org/2.0/repositories/acme-sec?pagelen=15&q=is_private%3Dtrue&page=")
		}
	}
}

// checkBitbucketNext checks the form of next and that its page cursor is opaque.
func checkBitbucketNext(t *testing.T, next, prefix string) {
	t.Helper()
	cur, ok := strings.CutPrefix(next, prefix)
	if !ok {
		t.Fatalf("next %q does not start with %q", next, prefix)
	}
	if _, err := strconv.Atoi(cur); err == nil || cur == "" {
		t.Errorf("page cursor %q is a plain integer", cur)
	}
}

func TestBitbucketRelativeNext(t *testing.T) {
	s := newSession(t, "bitbucket", mock.Options{Records: 12})
	base, _ := url.Parse("https://api.bitbucket.org/")
	var uuids []string
	for next := "/2.0/repositories/acme-sec?pagelen=5&relative_next=1"; next != ""; {
		ref, _ := url.Parse(next)
		_, body := s.get(base.ResolveReference(ref).String())
		var page bbPage
		decode(t, body, &page)
		for _, v := range page.Values {
			uuids = append(uuids, v["uuid"].(string))
		}
		next = ""
		if page.Next != nil {
			next = *page.Next
			checkBitbucketNext(t, next, "/2.0/repositories/acme-sec?pagelen=5&relative_next=1&page=")
		}
	}
	if len(uuids) != 12 || firstDuplicate(uuids) != "" {
		t.Errorf("got %d repos (%v)", len(uuids), uuids)
	}
}

func TestBitbucketRequests(t *testing.T) {
	cases := []struct {
		name, url, auth string
		wantStatus      int
		wantBody        string
	}{
		{"bearer access token", bbRepos + "?pagelen=1", "Bearer mock-access-token-0123456789", 200, `"pagelen":1,"size":35,"page":1,`},
		{"pagelen capped", bbRepos + "?pagelen=500", "", 200, `"pagelen":100,`},
		{"integer page", bbRepos + "?page=2", "", 400, `{"type":"error","error":{"message":"Invalid page",`},
		{"garbled page", bbRepos + "?page=YmJwYWdlOjE6Mjp4", "", 400, `"message":"Invalid page"`},
		{"zero pagelen", bbRepos + "?pagelen=0", "", 400, `"message":"Invalid pagelen"`},
		{"user", "https://api.bitbucket.org/2.0/user", "", 200, `{"type":"user","display_name":"Mock User","uuid":"{`},
		{"workspace", "https://api.bitbucket.org/2.0/workspaces/acme-sec", "", 200, `{"type":"workspace","uuid":"{`},
		{"unknown workspace", "https://api.bitbucket.org/2.0/workspaces/acme-nope", "", 404, `{"type":"error","error":{"message":"Workspace acme-nope not found"}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t, "bitbucket", mock.Options{})
			req, _ := http.NewRequest("GET", c.url, nil)
			s.authorize(req)
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := s.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := string(readAll(t, resp))
			if resp.StatusCode != c.wantStatus || !strings.Contains(body, c.wantBody) {
				t.Errorf("got %s %s, want %d with %s", resp.Status, body, c.wantStatus, c.wantBody)
			}
		})
	}
}

func TestBitbucketRepoShape(t *testing.T) {
	s := newSession(t, "bitbucket", mock.Options{})
	_, body := s.get(bbRepos + "?pagelen=100")
	var page bbPage
	decode(t, body, &page)
	braces := regexp.MustCompile(`^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$`)
	stamp := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$`)
	noLanguage, noProject := 0, 0
	for _, r := range page.Values {
		if !braces.MatchString(r["uuid"].(string)) || !stamp.MatchString(r["created_on"].(string)) || !stamp.MatchString(r["updated_on"].(string)) {
			t.Errorf("repo %v: bad uuid or timestamps", r)
		}
		if r["full_name"] != "acme-sec/"+r["slug"].(string) {
			t.Errorf("full_name %v vs slug %v", r["full_name"], r["slug"])
		}
		if r["language"] == "" {
			noLanguage++
		}
		if _, ok := r["project"]; !ok {
			noProject++
		}
	}
	if noLanguage == 0 || noProject == 0 {
		t.Errorf("%d repos without language, %d without project; want some of each", noLanguage, noProject)
	}
}

// TestBitbucketNearLimit drives the handler directly: NearLimit turns true once fewer
// than 200 of the hourly 1,000 remain.
func TestBitbucketNearLimit(t *testing.T) {
	v, _ := mock.Lookup("bitbucket")
	h := v.New(mock.Options{})
	for n := 1; n <= 801; n++ {
		req := httptest.NewRequest("GET", "https://api.bitbucket.org/2.0/user", nil)
		req.SetBasicAuth(v.Vars["username"], v.Vars["api_token"])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		want := strconv.FormatBool(n > 800) // 199 left after request 801
		if got := rec.Header().Get("X-RateLimit-NearLimit"); got != want {
			t.Fatalf("request %d: NearLimit = %s, want %s", n, got, want)
		}
	}
}

func TestBitbucketRateLimitBody(t *testing.T) {
	s := newSession(t, "bitbucket", mock.Options{Faults: mock.Faults{RateLimitAt: 1}})
	resp, body := s.get(bbRepos)
	var e struct {
		Type  string `json:"type"`
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != 429 || e.Error.Message != "Rate limit for this resource has been exceeded" {
		t.Errorf("got %s %s", resp.Status, body)
	}
}
