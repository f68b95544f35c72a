package mock

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	bbUsername       = "mock-user@example.com"
	bbAPIToken       = "ATATTmockApiTokenDoNotUse0123456789"
	bbAccessToken    = "mock-access-token-0123456789"
	bbWorkspace      = "acme-sec"
	bbDefaultRecords = 35
	bbPageCursor     = "bbpage"
	bbRateLimit      = 1000
	bbJSON           = "application/json; charset=utf-8"
)

func bitbucketVendor() Vendor {
	return Vendor{
		Name:  "bitbucket",
		Hosts: []string{"api.bitbucket.org"},
		Vars: map[string]string{
			"username":     bbUsername,
			"api_token":    bbAPIToken,
			"access_token": "",
			"workspace":    bbWorkspace,
		},
		New: newBitbucket,
	}
}

// bitbucket mocks the Bitbucket Cloud 2.0 API for a workspace's repositories.
type bitbucket struct {
	total int
}

func newBitbucket(opt Options) http.Handler {
	return newHandler(&bitbucket{total: recordCount(opt.Records, bbDefaultRecords)}, opt.Faults)
}

func (b *bitbucket) isToken(*http.Request) bool { return false }
func (b *bitbucket) revokeTokens()              {}

// headers sends the scaled-rate-limit headers. NearLimit turns true once fewer than
// 20% of the hourly 1,000 remain, counting data requests.
func (b *bitbucket) headers(h http.Header, _ *http.Request, n int) {
	h.Set("X-Ratelimit-Limit", strconv.Itoa(bbRateLimit))
	h.Set("X-Ratelimit-Resource", "api")
	h.Set("X-Ratelimit-Nearlimit", strconv.FormatBool(bbRateLimit-n < bbRateLimit/5))
	h.Set("X-Request-Id", hex32(saltRequest, n))
}

func (b *bitbucket) fault(k faultKind, _ *http.Request, _ int) reply {
	if k == serverError {
		return bbError(http.StatusInternalServerError, "Something went wrong", "")
	}
	rep := bbError(http.StatusTooManyRequests, "Rate limit for this resource has been exceeded", "")
	rep.header.Set("Retry-After", "1")
	return rep
}

func (b *bitbucket) serve(r *http.Request, _ int) reply {
	if rep, ok := bbAuthenticate(r.Header.Get("Authorization")); !ok {
		return rep
	}
	if r.Method != http.MethodGet {
		return bbError(http.StatusMethodNotAllowed, "Method not allowed", "")
	}
	return b.route(r)
}

func (b *bitbucket) route(r *http.Request) reply {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/2.0/user":
		return newReply(http.StatusOK, bbJSON, mustJSON(bbUser()))
	case len(segs) == 3 && segs[0] == "2.0" && (segs[1] == "workspaces" || segs[1] == "repositories"):
		if segs[2] != bbWorkspace {
			return bbError(http.StatusNotFound, "Workspace "+segs[2]+" not found", "")
		}
		if segs[1] == "workspaces" {
			return newReply(http.StatusOK, bbJSON, mustJSON(bbWorkspaceRecord()))
		}
		return b.listRepos(r)
	}
	return bbError(http.StatusNotFound, "Resource not found", "")
}

// bbAuthenticate accepts Basic with the API token or Bearer with the access token, and
// otherwise returns the 401 Bitbucket sends for that kind of credential.
func bbAuthenticate(h string) (reply, bool) {
	scheme, cred, _ := strings.Cut(h, " ")
	switch {
	case strings.EqualFold(scheme, "basic"):
		if cred == base64.StdEncoding.EncodeToString([]byte(bbUsername+":"+bbAPIToken)) {
			return reply{}, true
		}
	case strings.EqualFold(scheme, "bearer"):
		if cred == bbAccessToken {
			return reply{}, true
		}
		return bbError(http.StatusUnauthorized, "Access token expired or revoked", ""), false
	}
	return bbError(http.StatusUnauthorized, "Invalid credentials", ""), false
}

// bbPage is Bitbucket's paging envelope. Next is omitted, not null, on the last page.
type bbPage struct {
	Pagelen  int      `json:"pagelen"`
	Size     int      `json:"size"`
	Page     int      `json:"page"`
	Next     string   `json:"next,omitempty"`
	Previous string   `json:"previous,omitempty"`
	Values   []bbRepo `json:"values"`
}

// listRepos implements GET /2.0/repositories/{workspace}. The page parameter is an
// opaque cursor, the quirk some Bitbucket collections have, so a client must follow
// next verbatim rather than count pages. q, sort and fields are carried into next but
// not applied.
func (b *bitbucket) listRepos(r *http.Request) reply {
	q := r.URL.Query()
	pagelen, ok := bbPagelen(q.Get("pagelen"))
	if !ok {
		return bbError(http.StatusBadRequest, "Invalid pagelen", "pagelen must be a positive integer")
	}
	start, page, ok := bbPosition(q.Get("page"))
	if !ok || start > b.total {
		return bbError(http.StatusBadRequest, "Invalid page", "The page parameter is not a cursor this API issued.")
	}
	env := bbPage{Pagelen: pagelen, Size: b.total, Page: page, Values: []bbRepo{}}
	for i := start; i < min(start+pagelen, b.total); i++ {
		env.Values = append(env.Values, bbRepoRecord(i))
	}
	env.Next, env.Previous = bbLinks(r, q, pagelen, start, page, b.total)
	return newReply(http.StatusOK, bbJSON, mustJSON(env))
}

// bbLinks builds next and previous. They are absolute with the request's host unless
// the request asked for relative_next=1, which engine tests use to exercise relative
// next URLs; the parameter is carried along so every page answers the same way.
func bbLinks(r *http.Request, q url.Values, pagelen, start, page, total int) (next, prev string) {
	base := "/2.0/repositories/" + bbWorkspace + "?"
	if q.Get("relative_next") != "1" {
		base = "https://" + r.Host + base
	}
	carried := url.Values{}
	for k, v := range q {
		if k != "page" {
			carried[k] = v
		}
	}
	carried.Set("pagelen", strconv.Itoa(pagelen))
	base += carried.Encode() + "&page="
	if start+pagelen < total {
		next = base + url.QueryEscape(cursor(bbPageCursor, start+pagelen, page+1))
	}
	if page > 1 {
		prev = base + url.QueryEscape(cursor(bbPageCursor, max(start-pagelen, 0), page-1))
	}
	return next, prev
}

// bbPagelen reads pagelen: default 10, capped at the documented maximum of 100.
func bbPagelen(s string) (int, bool) {
	if s == "" {
		return 10, true
	}
	v, err := strconv.Atoi(s)
	return min(v, 100), err == nil && v > 0
}

// bbPosition decodes the page cursor into the first record's index and the page number.
func bbPosition(tok string) (start, page int, ok bool) {
	if tok == "" {
		return 0, 1, true
	}
	v, ok := parseCursor(tok, bbPageCursor, 2)
	if !ok || v[1] < 1 {
		return 0, 0, false
	}
	return v[0], v[1], true
}

type bbErrorBody struct {
	Type  string      `json:"type"`
	Error bbErrorInfo `json:"error"`
}

type bbErrorInfo struct {
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

func bbError(status int, msg, detail string) reply {
	return newReply(status, bbJSON, mustJSON(bbErrorBody{Type: "error", Error: bbErrorInfo{Message: msg, Detail: detail}}))
}
