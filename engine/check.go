package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// CheckResult is the verdict of a credential check.
type CheckResult struct {
	OK       bool
	Method   string
	URL      string
	Status   int
	Message  string // the vendor's own words
	Cause    string // the likely cause, for a person
	Duration time.Duration
	Err      error
}

// Check makes the definition's check request and explains the outcome.
func Check(ctx context.Context, ig *Integration, opts Options) CheckResult {
	if ig.Check == nil {
		return CheckResult{Err: errors.New("the definition has no check block")}
	}
	c := newClient(ig, opts)
	c.failFast = true
	start := time.Now()
	res := CheckResult{Method: ig.Check.Method}
	if res.Method == "" {
		res.Method = http.MethodGet
	}
	handle := func(resp *http.Response, body io.Reader) error {
		res.Status, res.URL = resp.StatusCode, resp.Request.URL.Redacted()
		if _, _, err := decodeJSON(body, nil, false, nil); err != nil {
			// A 200 that is not JSON is a login page, a proxy or the vendor's web UI:
			// the base URL is wrong, however green the status.
			return &notAPIError{err: err}
		}
		return nil
	}
	err := c.fetch(ctx, ig.Check, PageRequest{}, handle, &fetchStats{})
	res.Duration = time.Since(start)
	if err == nil {
		res.OK = true
		return res
	}
	res.Err = err
	explain(&res, err)
	return res
}

func explain(res *CheckResult, err error) {
	var he *HTTPError
	var te *TokenError
	var notAPI *notAPIError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &notAPI):
		res.Cause = "the answer is not JSON (a login page, a proxy or a web UI?): check the base URL"
		res.Message = notAPI.Error()
	case errors.As(err, &te):
		res.URL, res.Status, res.Message = te.URL, te.Status, te.Message
		res.Cause = tokenCause(te.Status)
		if errors.As(err, &dnsErr) {
			res.Cause = fmt.Sprintf("the token endpoint's host %q does not resolve: check the region or token_url", dnsErr.Name)
		}
	case errors.As(err, &he):
		res.URL, res.Status, res.Message = he.URL, he.Status, he.Message
		res.Cause = statusCause(he.Status)
	case errors.As(err, &dnsErr):
		res.Cause = fmt.Sprintf("the host %q does not resolve: check the region or base URL", dnsErr.Name)
	case errors.As(err, &opErr):
		res.Cause = "the host cannot be reached: check the region or base URL, and any proxy or firewall"
	case errors.Is(err, context.DeadlineExceeded):
		res.Cause = "the check timed out: the host may be wrong or unreachable"
	default:
		res.Cause = "the request failed before the vendor answered"
	}
}

func tokenCause(status int) string {
	switch status {
	case 400, 401, 403:
		return "the token endpoint refused the client credentials: check the client id and secret (and that the API client is enabled)"
	case 404:
		return "the token URL is wrong: check the region or base URL"
	case 0:
		return "the token endpoint cannot be reached: check the region or base URL"
	}
	return "the token endpoint failed; try again later"
}

func statusCause(status int) string {
	switch {
	case status == 401:
		return "the credentials are wrong or expired"
	case status == 403:
		return "the credentials are valid but lack a permission or scope this integration needs"
	case status == 404:
		return "the resource was not found: check the region, base URL or the organization/workspace name"
	case status == 429:
		return "the vendor is rate limiting this client; try again later"
	case status >= 500:
		return "the vendor's API is failing; try again later"
	}
	return "the vendor rejected the request"
}

// notAPIError is a check answered with something other than JSON.
type notAPIError struct{ err error }

func (e *notAPIError) Error() string { return "the answer is not JSON: " + e.err.Error() }
func (e *notAPIError) Unwrap() error { return e.err }
