package mock

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CrowdStrike placeholder credentials. csNoScopeClientID authenticates but lacks the
// Hosts:READ scope, so that `integrate check` can be shown explaining a 403.
const (
	csClientID        = "mock-client-id-0123456789abcdef0"
	csClientSecret    = "mock-client-secret-do-not-use-0123456789"
	csNoScopeClientID = "mock-client-id-noscope"
	csDefaultRecords  = 230
	csTokenLifetime   = 1799 * time.Second
	csScrollLifetime  = 2 * time.Minute
	csDataLimit       = 6000
	csTokenLimit      = 300
	csContentType     = "application/json"
)

func crowdStrikeVendor() Vendor {
	return Vendor{
		Name:     "crowdstrike",
		Variants: true,
		Hosts: []string{
			"api.crowdstrike.com", "api.eu-1.crowdstrike.com",
			"api.laggar.gcw.crowdstrike.com", "api.us-2.crowdstrike.com",
		},
		Vars: map[string]string{
			"client_id":     csClientID,
			"client_secret": csClientSecret,
			"region":        "us-1",
		},
		New: newCrowdStrike,
	}
}

// crowdStrike mocks the Falcon OAuth2 token endpoint and the Hosts API.
type crowdStrike struct {
	total   int
	variant int
	now     func() time.Time

	mu       sync.Mutex
	tokens   map[string]csToken // live tokens
	requests int                // token requests so far, for ids and the 300/min header
}

type csToken struct {
	issued  time.Time
	noScope bool
}

func newCrowdStrike(opt Options) http.Handler {
	c := &crowdStrike{
		total:   recordCount(opt.Records, csDefaultRecords),
		variant: opt.Variant,
		now:     clock(opt.Now),
		tokens:  map[string]csToken{},
	}
	return newHandler(c, opt.Faults)
}

// isToken covers both OAuth2 endpoints: issuing and revoking tokens are not data requests.
func (c *crowdStrike) isToken(r *http.Request) bool {
	return r.URL.Path == "/oauth2/token" || r.URL.Path == "/oauth2/revoke"
}

func (c *crowdStrike) revokeTokens() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.tokens)
}

// headers sets the per-CID data limit; token answers carry their own per-IP limit.
func (c *crowdStrike) headers(h http.Header, _ *http.Request, n int) {
	if n == 0 {
		return
	}
	h.Set("X-Cs-Traceid", traceID(n))
	h.Set("X-Ratelimit-Limit", strconv.Itoa(csDataLimit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(csDataLimit-n, 0)))
}

func (c *crowdStrike) fault(k faultKind, _ *http.Request, n int) reply {
	if k == serverError {
		return c.errorReply(n, http.StatusInternalServerError, "csam", "internal server error")
	}
	rep := c.errorReply(n, http.StatusTooManyRequests, "crowdstrike-api-gateway", "API rate limit exceeded.")
	rep.header.Set("X-Ratelimit-Remaining", "0")
	rep.header.Set("X-Ratelimit-Retryafter", strconv.FormatInt(c.now().Unix()+1, 10))
	return rep
}

func (c *crowdStrike) serve(r *http.Request, n int) reply {
	switch {
	case n == 0 && r.URL.Path == "/oauth2/revoke":
		return c.revoke(r)
	case n == 0:
		return c.token(r)
	}
	tok, ok := c.bearer(r)
	switch {
	case !ok:
		return c.errorReply(n, http.StatusUnauthorized, "csam", "access denied, invalid bearer token")
	case tok.noScope:
		return c.errorReply(n, http.StatusForbidden, "csam", "access denied, authorization failed")
	}
	return c.route(r, n)
}

func (c *crowdStrike) route(r *http.Request, n int) reply {
	switch r.Method + " " + r.URL.Path {
	case "GET /devices/combined/devices/v1":
		return c.combinedDevices(r, n)
	case "GET /devices/queries/devices/v1":
		return c.queryDevices(r, n)
	}
	return c.errorReply(n, http.StatusNotFound, "csam", "Not Found")
}

// bearer returns the live token the request carries. Tokens die when revoked or after
// their 1799 s lifetime on the injected clock.
func (c *crowdStrike) bearer(r *http.Request) (csToken, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return csToken{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tok, ok := c.tokens[raw]
	if ok && c.now().Sub(tok.issued) >= csTokenLifetime {
		delete(c.tokens, raw)
		return csToken{}, false
	}
	return tok, ok
}

// token implements POST /oauth2/token. Like the SDKs, it needs only client_id and
// client_secret in the form body; grant_type is accepted but not required.
func (c *crowdStrike) token(r *http.Request) reply {
	k := c.tokenRequest()
	if r.Method != http.MethodPost {
		return c.tokenReply(k, c.errorReply(-k, http.StatusMethodNotAllowed, "csam", "Method Not Allowed"))
	}
	if err := r.ParseForm(); err != nil {
		return c.tokenReply(k, c.errorReply(-k, http.StatusBadRequest, "csam", "invalid form body"))
	}
	return c.tokenReply(k, c.grant(r, k))
}

func (c *crowdStrike) grant(r *http.Request, k int) reply {
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	grant := r.PostForm.Get("grant_type")
	switch {
	case id == "" || secret == "":
		return c.errorReply(-k, http.StatusBadRequest, "csam", "client_id and client_secret are required")
	case grant != "" && grant != "client_credentials":
		return c.errorReply(-k, http.StatusBadRequest, "csam", "unsupported grant_type")
	case secret != csClientSecret || (id != csClientID && id != csNoScopeClientID):
		return c.errorReply(-k, http.StatusForbidden, "csam", "Failed to issue access token - Not Authorized")
	}
	body := mustJSON(csAccessToken{AccessToken: c.issue(k, id == csNoScopeClientID), TokenType: "bearer", ExpiresIn: int(csTokenLifetime / time.Second)})
	return newReply(http.StatusCreated, csContentType, body)
}

// tokenReply adds the token endpoint's own headers: its per-IP limit and the region
// the SDKs read for autodiscovery.
func (c *crowdStrike) tokenReply(k int, rep reply) reply {
	rep.header.Set("X-Cs-Region", "us-1")
	rep.header.Set("X-Cs-Traceid", traceID(-k))
	rep.header.Set("X-Ratelimit-Limit", strconv.Itoa(csTokenLimit))
	rep.header.Set("X-Ratelimit-Remaining", strconv.Itoa(max(csTokenLimit-k, 0)))
	return rep
}

// revoke implements POST /oauth2/revoke, which the SDKs call after region
// autodiscovery: Basic client credentials, and the token in the form body.
func (c *crowdStrike) revoke(r *http.Request) reply {
	k := c.tokenRequest()
	id, secret, ok := r.BasicAuth()
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("token") == "" {
		return c.tokenReply(k, c.errorReply(-k, http.StatusBadRequest, "csam", "token is required"))
	}
	if !ok || secret != csClientSecret || (id != csClientID && id != csNoScopeClientID) {
		return c.tokenReply(k, c.errorReply(-k, http.StatusForbidden, "csam", "access denied, authorization failed"))
	}
	c.mu.Lock()
	delete(c.tokens, r.PostForm.Get("token"))
	c.mu.Unlock()
	body := csIDsBody{Meta: c.meta(-k, "csam", nil), Resources: []string{}, Errors: []csError{}}
	return c.tokenReply(k, newReply(http.StatusOK, csContentType, mustJSON(body)))
}

func (c *crowdStrike) tokenRequest() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests++
	return c.requests
}

// issue mints token k. Tokens are derived from k so runs are repeatable, yet each one
// differs, so a revoked token can never come back.
func (c *crowdStrike) issue(k int, noScope bool) string {
	tok := "mockcs." + hex32(saltToken, k) + hex32(saltToken, -k)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens[tok] = csToken{issued: c.now(), noScope: noScope}
	return tok
}

type csAccessToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// csMeta is the meta block of every Falcon answer. Pagination is one of the two
// shapes below, which differ in the type of offset.
type csMeta struct {
	QueryTime  float64 `json:"query_time"`
	PoweredBy  string  `json:"powered_by"`
	TraceID    string  `json:"trace_id"`
	Pagination any     `json:"pagination,omitempty"`
}

// csScrollPage is meta.pagination of the combined devices endpoint: offset is the
// opaque token for the next page, "" when none is left.
type csScrollPage struct {
	Total     int    `json:"total"`
	Limit     int    `json:"limit"`
	Offset    string `json:"offset"`
	ExpiresAt int64  `json:"expires_at"`
}

// csOffsetPage is meta.pagination of the id query endpoint, whose offset is a number.
type csOffsetPage struct {
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

type csError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type csErrorBody struct {
	Meta   csMeta    `json:"meta"`
	Errors []csError `json:"errors"`
}

type csIDsBody struct {
	Meta      csMeta    `json:"meta"`
	Resources []string  `json:"resources"`
	Errors    []csError `json:"errors"`
}

// meta is the meta block for answer n (negative n for token requests).
func (c *crowdStrike) meta(n int, poweredBy string, page any) csMeta {
	return csMeta{QueryTime: queryTime(n), Pagination: page, PoweredBy: poweredBy, TraceID: traceID(n)}
}

func (c *crowdStrike) errorReply(n, status int, poweredBy, msg string) reply {
	body := csErrorBody{Meta: c.meta(n, poweredBy, nil), Errors: []csError{{Code: status, Message: msg}}}
	return newReply(status, csContentType, mustJSON(body))
}

func (c *crowdStrike) badRequest(n int, msg string) reply {
	return c.errorReply(n, http.StatusBadRequest, "device-api", msg)
}

// traceID is the X-Cs-Traceid and meta.trace_id of answer n, repeatable across runs.
func traceID(n int) string { return uuid(saltTrace, n) }

// queryTime is a plausible, repeatable meta.query_time in seconds.
func queryTime(n int) float64 { return float64(1000+hash(saltTrace, n)%9000) / 1e6 }

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, bool) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, true
	}
	v, err := strconv.Atoi(s)
	return v, err == nil && v >= lo && v <= hi
}
