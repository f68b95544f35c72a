package mock_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/integrate-dev/integrate/definitions/mock"
)

func TestGitHubRepoLinkHeader(t *testing.T) {
	const base = "https://api.github.com/organizations/90001/repos?per_page=30&page="
	cases := []struct {
		url, want string
	}{
		{"https://api.github.com/orgs/acme/repos?per_page=30",
			`<` + base + `2>; rel="next", <` + base + `3>; rel="last"`},
		{"https://api.github.com/orgs/acme/repos?per_page=30&page=2",
			`<` + base + `1>; rel="prev", <` + base + `3>; rel="next", <` + base + `3>; rel="last", <` + base + `1>; rel="first"`},
		{"https://api.github.com/organizations/90001/repos?per_page=30&page=3",
			`<` + base + `2>; rel="prev", <` + base + `1>; rel="first"`},
		{"https://api.github.com/orgs/acme/repos?per_page=100", ""},
		{"https://api.github.com/orgs/ACME/repos?type=all&per_page=50",
			`<https://api.github.com/organizations/90001/repos?type=all&per_page=50&page=2>; rel="next", ` +
				`<https://api.github.com/organizations/90001/repos?type=all&per_page=50&page=2>; rel="last"`},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			s := newSession(t, "github", mock.Options{})
			resp, body := s.get(c.url)
			if resp.StatusCode != 200 {
				t.Fatalf("%s %s", resp.Status, body)
			}
			if _, present := resp.Header["Link"]; c.want == "" && present {
				t.Errorf("Link header present on a single page: %q", resp.Header.Get("Link"))
			}
			wantHeader(t, resp.Header, "Link", c.want)
		})
	}
}

func TestGitHubNameAndNumericFormsAgree(t *testing.T) {
	s := newSession(t, "github", mock.Options{})
	for _, path := range []string{"repos?per_page=20&page=2", "dependabot/alerts?state=open&per_page=5"} {
		_, byName := s.get("https://api.github.com/orgs/acme/" + path)
		_, byID := s.get("https://api.github.com/organizations/90001/" + path)
		if !bytes.Equal(byName, byID) {
			t.Errorf("%s: the /orgs/acme and /organizations/90001 forms differ", path)
		}
	}
}

func TestGitHubIDAbove2To53(t *testing.T) {
	s := newSession(t, "github", mock.Options{})
	_, pages := walk(t, s, pagers()[1], 100)
	if !bytes.Contains(pages[0], []byte(`"id":9007199254740993,`)) {
		t.Fatal("repo id 9007199254740993 does not appear verbatim")
	}
	var repos []struct {
		ID json.Number `json:"id"`
	}
	decode(t, pages[0], &repos)
	if got := repos[12].ID.String(); got != "9007199254740993" {
		t.Errorf("repos[12].id = %s", got)
	}
	var lossy []struct {
		ID float64 `json:"id"`
	}
	json.Unmarshal(pages[0], &lossy) //nolint:errcheck
	if strconv.FormatFloat(lossy[12].ID, 'f', 0, 64) == "9007199254740993" {
		t.Error("the id survives float64, so it does not test exact-number handling")
	}
}

func TestGitHubHeaders(t *testing.T) {
	s := newSession(t, "github", mock.Options{})
	ids := map[string]bool{}
	for n := 1; n <= 3; n++ {
		resp, _ := s.get("https://api.github.com/user")
		wantHeader(t, resp.Header, "x-ratelimit-limit", "5000")
		wantHeader(t, resp.Header, "x-ratelimit-remaining", strconv.Itoa(5000-n))
		wantHeader(t, resp.Header, "x-ratelimit-used", strconv.Itoa(n))
		wantHeader(t, resp.Header, "x-ratelimit-reset", strconv.FormatInt(fixedNow().Unix()+3600, 10))
		wantHeader(t, resp.Header, "x-ratelimit-resource", "core")
		ids[resp.Header.Get("x-github-request-id")] = true
	}
	if len(ids) != 3 || ids[""] {
		t.Errorf("x-github-request-id values %v, want 3 distinct", ids)
	}
}

func TestGitHubEndpoints(t *testing.T) {
	cases := []struct {
		url, auth, userAgent string
		wantStatus           int
		wantBody             string
	}{
		{"https://api.github.com/user", "token ghp_mockTokenDoNotUse0123456789abcdefABCD", "", 200, `"login":"mock-user","id":1,`},
		{"https://api.github.com/orgs/acme", "", "", 200, `{"login":"acme","id":90001,`},
		{"https://api.github.com/orgs/nope", "", "", 404, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`},
		{"https://api.github.com/orgs/acme/dependabot/alerts?after=bm9wZQ%3D%3D", "", "", 400, `"status":"400"`},
		{"https://api.github.com/orgs/acme/dependabot/alerts?state=closed", "", "", 422, `"message":"Validation Failed"`},
		{"https://api.github.com/user", "", "-", 403, `{"message":"Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required)."}`},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			s := newSession(t, "github", mock.Options{})
			req, _ := http.NewRequest("GET", c.url, nil)
			s.authorize(req)
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			if c.userAgent == "-" {
				req.Header.Set("User-Agent", "") // net/http then sends none
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

type ghAlert struct {
	Number           int    `json:"number"`
	State            string `json:"state"`
	SecurityAdvisory struct {
		CVEID    *string `json:"cve_id"`
		Severity string  `json:"severity"`
	} `json:"security_advisory"`
	Repository struct {
		ID       json.Number `json:"id"`
		FullName string      `json:"full_name"`
	} `json:"repository"`
}

func TestGitHubAlertStateFilter(t *testing.T) {
	cases := []struct {
		state  string
		want   int
		states string
	}{
		{"", 45, "auto_dismissed,dismissed,fixed,open"},
		{"open", 34, "open"},
		{"fixed,dismissed", 8, "dismissed,fixed"},
		{"auto_dismissed", 3, "auto_dismissed"},
	}
	for _, c := range cases {
		t.Run("state="+c.state, func(t *testing.T) {
			s := newSession(t, "github", mock.Options{})
			alerts := walkAlerts(t, s, c.state, 10)
			seen := map[string]bool{}
			for _, a := range alerts {
				seen[a.State] = true
			}
			if len(alerts) != c.want || strings.Join(sortedKeys(seen), ",") != c.states {
				t.Errorf("got %d alerts in states %v, want %d in %s", len(alerts), sortedKeys(seen), c.want, c.states)
			}
		})
	}
}

// walkAlerts follows rel="next" and checks each Link URL's form on the way.
func walkAlerts(t *testing.T, s *session, state string, perPage int) []ghAlert {
	t.Helper()
	q := url.Values{"per_page": {strconv.Itoa(perPage)}}
	if state != "" {
		q.Set("state", state)
	}
	var all []ghAlert
	for next := "https://api.github.com/orgs/acme/dependabot/alerts?" + q.Encode(); next != ""; {
		resp, body := s.get(next)
		var alerts []ghAlert
		decode(t, body, &alerts)
		all = append(all, alerts...)
		next = linkRel(resp.Header.Get("Link"), "next")
		if next != "" {
			checkAlertLink(t, next, state, perPage)
		}
	}
	return all
}

func checkAlertLink(t *testing.T, next, state string, perPage int) {
	t.Helper()
	prefix := "https://api.github.com/organizations/90001/dependabot/alerts?"
	if state != "" {
		prefix += "state=" + url.QueryEscape(state) + "&"
	}
	prefix += "per_page=" + strconv.Itoa(perPage) + "&after="
	after, ok := strings.CutPrefix(next, prefix)
	if !ok {
		t.Fatalf("next link %q does not start with %q", next, prefix)
	}
	raw, err := url.QueryUnescape(after)
	if err == nil {
		_, err = base64.StdEncoding.DecodeString(raw)
	}
	if err != nil || strings.ContainsAny(after, "+/=") {
		t.Errorf("after=%q is not a URL-escaped base64 cursor: %v", after, err)
	}
}

func TestGitHubAlertsReferenceRepos(t *testing.T) {
	s := newSession(t, "github", mock.Options{})
	repoIDs, _ := walk(t, s, pagers()[1], 100)
	known := map[string]bool{}
	for _, id := range repoIDs {
		known[id] = true
	}
	alerts := walkAlerts(t, s, "", 100)
	severities, noCVE, keys := map[string]bool{}, 0, map[string]bool{}
	for _, a := range alerts {
		if !known[a.Repository.ID.String()] {
			t.Errorf("alert %s#%d references unknown repo id %s", a.Repository.FullName, a.Number, a.Repository.ID)
		}
		severities[a.SecurityAdvisory.Severity] = true
		if a.SecurityAdvisory.CVEID == nil {
			noCVE++
		}
		keys[a.Repository.FullName+"#"+strconv.Itoa(a.Number)] = true
	}
	if got := strings.Join(sortedKeys(severities), ","); got != "critical,high,low,medium" || noCVE == 0 || len(keys) != 45 {
		t.Errorf("severities %s, %d without CVE, %d distinct repo#number keys", got, noCVE, len(keys))
	}
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
