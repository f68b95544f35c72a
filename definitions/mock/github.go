package mock

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	ghToken          = "ghp_mockTokenDoNotUse0123456789abcdefABCD"
	ghOrg            = "acme"
	ghOrgID          = 90001
	ghDefaultRecords = 75
	ghAlertCursor    = "dependabot"
	ghJSON           = "application/json; charset=utf-8"
	ghDocs           = "https://docs.github.com/rest"
	ghRateLimit      = 5000
	ghUserAgentMsg   = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header " +
		"(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required)."
	ghSecondaryMsg = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
	ghSecondaryDoc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

func gitHubVendor() Vendor {
	return Vendor{
		Name:  "github",
		Hosts: []string{"api.github.com"},
		Vars:  map[string]string{"token": ghToken, "org": ghOrg},
		New:   newGitHub,
	}
}

// gitHub mocks the REST API for an organisation's repositories and Dependabot alerts.
type gitHub struct {
	repos  int
	alerts int
	now    func() time.Time
}

func newGitHub(opt Options) http.Handler {
	g := &gitHub{repos: recordCount(opt.Records, ghDefaultRecords), now: clock(opt.Now)}
	g.alerts = g.repos * 3 / 5
	return newHandler(g, opt.Faults)
}

func (g *gitHub) isToken(*http.Request) bool { return false }
func (g *gitHub) revokeTokens()              {}

func (g *gitHub) headers(h http.Header, _ *http.Request, n int) {
	h.Set("X-Github-Api-Version-Selected", "2022-11-28")
	h.Set("X-Github-Media-Type", "github.v3; format=json")
	h.Set("X-Github-Request-Id", ghRequestID(n))
	h.Set("X-Ratelimit-Limit", strconv.Itoa(ghRateLimit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(ghRateLimit-n, 0)))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(g.now().Add(time.Hour).Unix(), 10))
	h.Set("X-Ratelimit-Resource", "core")
	h.Set("X-Ratelimit-Used", strconv.Itoa(n))
}

// fault answers a rate limit as GitHub's secondary limit, the one that carries
// retry-after, with 429 (GitHub sends 403 or 429; 429 is unambiguous for clients).
func (g *gitHub) fault(k faultKind, _ *http.Request, _ int) reply {
	if k == serverError {
		return ghError(http.StatusInternalServerError, "Server Error", ghDocs)
	}
	rep := ghError(http.StatusTooManyRequests, ghSecondaryMsg, ghSecondaryDoc)
	rep.header.Set("Retry-After", "1")
	return rep
}

func (g *gitHub) serve(r *http.Request, _ int) reply {
	if r.Header.Get("User-Agent") == "" {
		return newReply(http.StatusForbidden, ghJSON, mustJSON(ghErrorBody{Message: ghUserAgentMsg}))
	}
	if !ghAuthorized(r.Header.Get("Authorization")) {
		return ghError(http.StatusUnauthorized, "Bad credentials", ghDocs)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return ghError(http.StatusNotFound, "Not Found", ghDocs)
	}
	return g.route(r)
}

// route serves the name form (/orgs/acme/...) and the numeric form
// (/organizations/90001/...) that GitHub uses in its Link headers.
func (g *gitHub) route(r *http.Request) reply {
	if r.URL.Path == "/user" {
		return newReply(http.StatusOK, ghJSON, mustJSON(ghUser{Login: "mock-user", ID: 1, NodeID: "U_kgDOAAAAAQ", Type: "User"}))
	}
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) < 2 || !ghIsOrg(segs[0], segs[1]) {
		return ghError(http.StatusNotFound, "Not Found", ghDocs)
	}
	switch strings.Join(segs[2:], "/") {
	case "":
		return newReply(http.StatusOK, ghJSON, mustJSON(g.org()))
	case "repos":
		return g.listRepos(r)
	case "dependabot/alerts":
		return g.listAlerts(r)
	}
	return ghError(http.StatusNotFound, "Not Found", ghDocs)
}

func ghIsOrg(kind, name string) bool {
	return kind == "orgs" && strings.EqualFold(name, ghOrg) ||
		kind == "organizations" && name == strconv.Itoa(ghOrgID)
}

// ghAuthorized accepts the two schemes GitHub does for a PAT: Bearer and token.
func ghAuthorized(h string) bool {
	scheme, tok, ok := strings.Cut(h, " ")
	return ok && (strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) && tok == ghToken
}

// listRepos implements GET /orgs/{org}/repos with page-number pagination.
func (g *gitHub) listRepos(r *http.Request) reply {
	q := r.URL.Query()
	perPage, page := ghPerPage(q), ghPageNumber(q)
	last := (g.repos + perPage - 1) / perPage
	repos := []ghRepo{}
	for i := (min(page, last+1) - 1) * perPage; i < min(page*perPage, g.repos); i++ {
		repos = append(repos, ghRepoRecord(i))
	}
	rep := newReply(http.StatusOK, ghJSON, mustJSON(repos))
	base := "https://" + r.Host + "/organizations/" + strconv.Itoa(ghOrgID) + "/repos?" + ghCarriedQuery(q)
	if link := ghPageLinks(base, page, last); link != "" {
		rep.header.Set("Link", link)
	}
	return rep
}

// ghPageLinks builds the Link header in GitHub's rel order: prev, next, last, first.
// There is none at all when everything fits on one page.
func ghPageLinks(base string, page, last int) string {
	var rels []string
	add := func(p int, rel string) {
		rels = append(rels, fmt.Sprintf(`<%spage=%d>; rel="%s"`, base, p, rel))
	}
	if page > 1 {
		add(page-1, "prev")
	}
	if page < last {
		add(page+1, "next")
		add(last, "last")
	}
	if page > 1 {
		add(1, "first")
	}
	return strings.Join(rels, ", ")
}

// listAlerts implements GET /orgs/{org}/dependabot/alerts with GitHub's cursor
// pagination: rel="next" carries after=<opaque cursor> and there is no rel="last".
func (g *gitHub) listAlerts(r *http.Request) reply {
	q := r.URL.Query()
	states, ok := ghStates(q.Get("state"))
	if !ok {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed", ghDocs)
	}
	start, ok := g.alertStart(q.Get("after"))
	if !ok {
		return ghError(http.StatusBadRequest, "Invalid cursor value for 'after'", ghDocs)
	}
	alerts, lastIdx := g.alertPage(start, ghPerPage(q), states)
	rep := newReply(http.StatusOK, ghJSON, mustJSON(alerts))
	if g.nextAlert(lastIdx+1, states) >= 0 {
		base := "https://" + r.Host + "/organizations/" + strconv.Itoa(ghOrgID) + "/dependabot/alerts?" + ghCarriedQuery(q)
		rep.header.Set("Link", fmt.Sprintf(`<%safter=%s>; rel="next"`, base, url.QueryEscape(cursor(ghAlertCursor, lastIdx))))
	}
	return rep
}

// alertPage collects up to perPage alerts matching states from index start on, and the
// index of the last one returned.
func (g *gitHub) alertPage(start, perPage int, states map[string]bool) ([]ghAlert, int) {
	alerts, last := []ghAlert{}, start-1
	for j := g.nextAlert(start, states); j >= 0 && len(alerts) < perPage; j = g.nextAlert(j+1, states) {
		alerts = append(alerts, g.alert(j))
		last = j
	}
	return alerts, last
}

// nextAlert is the index of the first alert from j on that matches states, or -1.
func (g *gitHub) nextAlert(j int, states map[string]bool) int {
	for ; j < g.alerts; j++ {
		if states == nil || states[ghAlertState(j)] {
			return j
		}
	}
	return -1
}

func (g *gitHub) alertStart(after string) (int, bool) {
	if after == "" {
		return 0, true
	}
	v, ok := parseCursor(after, ghAlertCursor, 1)
	if !ok || v[0] >= g.alerts {
		return 0, false
	}
	return v[0] + 1, true
}

// ghStates parses the comma-separated state filter; nil means every state.
func ghStates(s string) (map[string]bool, bool) {
	if s == "" {
		return nil, true
	}
	states := map[string]bool{}
	for _, st := range strings.Split(s, ",") {
		st = strings.TrimSpace(st)
		if !slices.Contains([]string{"auto_dismissed", "dismissed", "fixed", "open"}, st) {
			return nil, false
		}
		states[st] = true
	}
	return states, true
}

// ghPerPage reads per_page: default 30, silently capped at 100 as GitHub does.
func ghPerPage(q url.Values) int {
	v, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || v < 1 {
		return 30
	}
	return min(v, 100)
}

// ghPageNumber reads page: 1-based, anything unusable means the first page.
func ghPageNumber(q url.Values) int {
	v, err := strconv.Atoi(q.Get("page"))
	if err != nil || v < 1 {
		return 1
	}
	return min(v, 1<<31)
}

// ghCarriedQuery is the query a Link URL repeats: the filters in key order, then
// per_page as given, ending with "&" so the page or cursor can be appended.
func ghCarriedQuery(q url.Values) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if slices.Contains([]string{"page", "per_page", "after", "before"}, k) {
			continue
		}
		for _, v := range q[k] {
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v) + "&")
		}
	}
	if pp := q.Get("per_page"); pp != "" {
		b.WriteString("per_page=" + url.QueryEscape(pp) + "&")
	}
	return b.String()
}

type ghErrorBody struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url,omitempty"`
	Status           string `json:"status,omitempty"`
}

func ghError(status int, msg, docs string) reply {
	return newReply(status, ghJSON, mustJSON(ghErrorBody{Message: msg, DocumentationURL: docs, Status: strconv.Itoa(status)}))
}

// ghRequestID is x-github-request-id for request n, in GitHub's colon-separated hex form.
func ghRequestID(n int) string {
	h := hash(saltRequest, n)
	return fmt.Sprintf("%04X:%06X:%06X:%06X:%08X", h>>48, h>>24&0xffffff, h&0xffffff, mix(h)>>40, mix(h)&0xffffffff)
}
