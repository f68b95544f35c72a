package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// client sends an integration's requests through its layers: rate limit, auth (own
// host only), retry with backoff, timeouts and the body size cap.
type client struct {
	ig       *Integration
	http     *http.Client
	limit    *limiter
	env      *authEnv
	log      *slog.Logger
	now      func() time.Time
	newTimer func() backoff.Timer
	failFast bool // check: a refused connection is a verdict, not a blip (see retryable)
}

// fetchStats counts what one fetch cost.
type fetchStats struct {
	requests int
	retries  int
}

// handler reads one response body. It runs once per attempt, so it must start afresh.
type handler func(resp *http.Response, body io.Reader) error

// HTTPError is a response with a status the definition does not accept.
type HTTPError struct {
	Method  string
	URL     string
	Status  int
	Message string // the vendor's own message, when the body has one
	Header  http.Header
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("HTTP %d %s from %s %s", e.Status, http.StatusText(e.Status), e.Method, e.URL)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// fetch sends req as changed by pr and hands the body to handle, retrying what the
// policy allows. A 401 on an integration whose credentials can go stale refreshes
// them once and tries once more.
func (c *client) fetch(ctx context.Context, req *Request, pr PageRequest, handle handler, st *fetchStats) error {
	err := c.fetchRetrying(ctx, req, pr, handle, st)
	var he *HTTPError
	refresher, ok := c.ig.Auth.(Refresher)
	if !ok || !errors.As(err, &he) || he.Status != http.StatusUnauthorized {
		return err
	}
	c.log.Info("credentials rejected, fetching a new token and retrying once", "url", he.URL)
	if rerr := refresher.Refresh(c.authCtx(ctx)); rerr != nil {
		return rerr
	}
	st.retries++
	return c.fetchRetrying(ctx, req, pr, handle, st)
}

func (c *client) authCtx(ctx context.Context) context.Context { return withAuthEnv(ctx, c.env) }

func (c *client) fetchRetrying(ctx context.Context, req *Request, pr PageRequest, handle handler, st *fetchStats) error {
	policy := c.ig.HTTP.Retry
	b := policy.newBackOff()
	attempt := 0
	op := func() error {
		attempt++
		return c.attempt(ctx, req, pr, handle, b, st)
	}
	notify := func(err error, wait time.Duration) {
		st.retries++
		args := []any{"attempt", attempt, "wait", wait.Round(time.Millisecond).String(), "reason", err.Error()}
		if b.capped {
			args = append(args, "capped_at", policy.MaxWait.String())
		}
		c.log.Warn("retrying request", args...)
	}
	timer := backoff.Timer(nil)
	if c.newTimer != nil {
		timer = c.newTimer()
	}
	return backoff.RetryNotifyWithTimer(op, backoff.WithContext(b, ctx), notify, timer)
}

// attempt makes one request. Errors worth retrying are returned as they are, the rest
// wrapped in backoff.Permanent.
func (c *client) attempt(ctx context.Context, req *Request, pr PageRequest, handle handler, b *waitBackOff, st *fetchStats) error {
	if err := c.limit.Wait(ctx); err != nil {
		return backoff.Permanent(err)
	}
	hreq, err := c.build(ctx, req, pr)
	if err != nil {
		if c.tokenTransient(err) {
			return err // the token endpoint is busy or unreachable: worth another attempt
		}
		return backoff.Permanent(err)
	}
	retrySafe := hreq.Method == http.MethodGet || hreq.Method == http.MethodHead || req.Idempotent
	actx, wd := newWatchdog(ctx, c.ig.HTTP.HeaderTimeout, c.ig.HTTP.BodyIdleTimeout)
	defer wd.stop()
	st.requests++ // counted when sent: a URL refused before sending is no request
	resp, err := c.http.Do(hreq.WithContext(actx))
	if err != nil {
		return c.transportError(ctx, wd, err, retrySafe)
	}
	defer resp.Body.Close()
	wd.gotHeaders()
	if pause := c.limit.Observe(resp.Header, c.ig.HTTP.Retry.MaxWait); pause > 0 {
		c.log.Info("quota low, slowing down", "header", c.ig.HTTP.RateLimit.RemainingHeader,
			"remaining", resp.Header.Get(c.ig.HTTP.RateLimit.RemainingHeader), "pause", pause.Round(time.Millisecond).String())
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.statusError(ctx, hreq, resp, wd, b, retrySafe)
	}
	body := wd.wrap(&capReader{r: resp.Body, left: c.ig.HTTP.MaxBodyBytes})
	if err := handle(resp, body); err != nil {
		return c.bodyError(ctx, wd, err, retrySafe)
	}
	return nil
}

func (c *client) transportError(ctx context.Context, wd *watchdog, err error, retrySafe bool) error {
	if ctx.Err() != nil {
		return backoff.Permanent(ctx.Err())
	}
	err = wd.explain(unwrapURLError(err))
	if !retrySafe || !c.retryable(err) {
		return backoff.Permanent(err)
	}
	return err
}

func (c *client) bodyError(ctx context.Context, wd *watchdog, err error, retrySafe bool) error {
	if ctx.Err() != nil {
		return backoff.Permanent(ctx.Err())
	}
	err = wd.explain(err)
	if !retrySafe || !c.retryable(err) {
		return backoff.Permanent(err)
	}
	return fmt.Errorf("reading the response: %w", err)
}

func (c *client) statusError(ctx context.Context, hreq *http.Request, resp *http.Response, wd *watchdog, b *waitBackOff, retrySafe bool) error {
	raw, _ := io.ReadAll(wd.wrap(io.LimitReader(resp.Body, 64<<10)))
	he := &HTTPError{Method: hreq.Method, URL: hreq.URL.String(), Status: resp.StatusCode,
		Message: c.env.message(ctx, raw), Header: resp.Header}
	policy := c.ig.HTTP.Retry
	if !retrySafe || !policy.retriesStatus(resp.StatusCode) {
		return backoff.Permanent(he)
	}
	if d, ok := policy.serverWait(resp.Header, c.now()); ok {
		b.override = d
	}
	return he
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryable says whether another attempt may succeed where err failed. check asks
// for a verdict, not a result: a refused connection there means a wrong host or port
// far more often than a restarting server, so it is not retried.
func (c *client) retryable(err error) bool {
	if c.failFast && errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	return transient(err)
}

// transient says whether a transport or body error is worth another attempt.
func transient(err error) bool {
	var te *timeoutError
	var ne net.Error
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return false // the name does not exist: asking again will not make it
	case errors.As(err, &te), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &ne):
		return true
	}
	return strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "server closed")
}

// build makes the http.Request for one attempt. The body is built anew each time,
// and GetBody lets net/http replay it too.
func (c *client) build(ctx context.Context, req *Request, pr PageRequest) (*http.Request, error) {
	u, err := c.requestURL(req, pr)
	if err != nil {
		return nil, err
	}
	body, ctype, err := requestBody(req, pr)
	if err != nil {
		return nil, err
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	hreq, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body == nil {
		hreq.Body, hreq.GetBody = http.NoBody, nil
		hreq.ContentLength = 0
	}
	c.setHeaders(hreq, req, pr, ctype)
	if c.ig.Auth != nil && sameHost(u, c.ig.HTTP.BaseURL) {
		if err := c.ig.Auth.Apply(c.authCtx(ctx), hreq); err != nil {
			return nil, err
		}
	}
	return hreq, nil
}

func (c *client) setHeaders(hreq *http.Request, req *Request, pr PageRequest, ctype string) {
	hreq.Header.Set("User-Agent", "integrate/"+Version)
	hreq.Header.Set("Accept", "application/json")
	if ctype != "" {
		hreq.Header.Set("Content-Type", ctype)
	}
	for _, hs := range []map[string]string{c.ig.HTTP.Headers, req.Headers, pr.Header} {
		for k, v := range hs {
			hreq.Header.Set(k, v)
		}
	}
}

// requestURL resolves the request's URL: a page URL from the vendor, else the
// request path under the base URL, with the query parameters merged.
func (c *client) requestURL(req *Request, pr PageRequest) (*url.URL, error) {
	base := c.ig.HTTP.BaseURL
	var u *url.URL
	var err error
	if pr.URL != "" {
		if u, err = url.Parse(pr.URL); err != nil {
			return nil, fmt.Errorf("page URL %q: %w", pr.URL, err)
		}
		if !sameHost(u, base) {
			return nil, fmt.Errorf("the vendor's next-page URL %q points at host %q, not the API host %q: "+
				"it is not followed, so that credentials never reach another host", u.Redacted(), u.Host, base.Host)
		}
	} else if u, err = joinURL(base, req.Path); err != nil {
		return nil, err
	}
	if pr.URL != "" && len(pr.Query) == 0 {
		return u, nil // the vendor's next URL is sent verbatim: cursors may be signed or oddly escaped
	}
	q := u.Query()
	if pr.URL == "" {
		for k, v := range req.Query {
			q.Set(k, v)
		}
	}
	for k, v := range pr.Query {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u, nil
}

// joinURL puts path under base the way people expect of an API prefix: base
// https://api.bitbucket.org/2.0 and path /repositories/x give /2.0/repositories/x.
// An absolute path URL stands on its own.
func joinURL(base *url.URL, path string) (*url.URL, error) {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return url.Parse(path)
	}
	if base == nil {
		return nil, fmt.Errorf("request path %q needs a base URL", path)
	}
	ref, err := url.Parse(strings.TrimLeft(path, "/"))
	if err != nil {
		return nil, fmt.Errorf("request path %q: %w", path, err)
	}
	b := *base
	b.Path = strings.TrimRight(b.Path, "/") + "/"
	b.RawPath = ""
	return b.ResolveReference(ref), nil
}

func sameHost(u, base *url.URL) bool {
	return base != nil && u.Scheme == base.Scheme && strings.EqualFold(u.Hostname(), base.Hostname()) &&
		effectivePort(u) == effectivePort(base)
}

// effectivePort is the URL's port or its scheme's default: https://h and https://h:443
// are one origin, and vendors write next links either way.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch u.Scheme {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

func requestBody(req *Request, pr PageRequest) ([]byte, string, error) {
	switch {
	case req.JSON != nil || len(pr.BodyFields) > 0:
		m := make(map[string]any, len(req.JSON)+len(pr.BodyFields))
		for k, v := range req.JSON {
			m[k] = v
		}
		for k, v := range pr.BodyFields {
			m[k] = v
		}
		b, err := json.Marshal(m)
		return b, "application/json", err
	case req.Form != nil:
		f := url.Values{}
		for k, v := range req.Form {
			f.Set(k, v)
		}
		return []byte(f.Encode()), "application/x-www-form-urlencoded", nil
	}
	return nil, "", nil
}

// capReader fails a body that grows past the size cap, rather than truncating it.
type capReader struct {
	r    io.Reader
	left int64 // <= 0: no cap
	read int64
}

// ErrBodyTooLarge is returned, wrapped with the cap, for a response larger than
// http.max_response_size.
var ErrBodyTooLarge = errors.New("response body exceeds the size cap")

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	if c.left > 0 && c.read > c.left {
		return n, fmt.Errorf("%w of %s (raise http.max_response_size)", ErrBodyTooLarge, byteSize(c.left))
	}
	return n, err
}

// tokenTransient says whether a failed token request may succeed if tried again: a
// rate limit, a server error or a network failure, not refused credentials.
func (c *client) tokenTransient(err error) bool {
	var te *TokenError
	if !errors.As(err, &te) {
		return false
	}
	return te.Status == http.StatusTooManyRequests || te.Status >= 500 || (te.Status == 0 && te.Err != nil && c.retryable(te.Err))
}
