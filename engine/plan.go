package engine

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Plan is what a run would do, without doing any of it. It is the single source for
// both the human and the JSON plan. Every secret in it is masked.
type Plan struct {
	Integration string        `json:"integration"`
	Title       string        `json:"title,omitempty"`
	Auth        *AuthPlan     `json:"auth,omitempty"`
	HTTP        HTTPPlan      `json:"http"`
	Check       *RequestPlan  `json:"check,omitempty"`
	Streams     []*StreamPlan `json:"streams"`
}

// AuthPlan describes the auth kind in use.
type AuthPlan struct {
	Kind    string   `json:"kind"`
	Details []string `json:"details"`
	Choice  []string `json:"choice,omitempty"` // with several auth blocks: which applies, and why
}

// HTTPPlan describes the transport policy.
type HTTPPlan struct {
	BaseURL   string   `json:"base_url"`
	Retry     []string `json:"retry"`
	RateLimit []string `json:"rate_limit"`
	Timeouts  []string `json:"timeouts"`
}

// RequestPlan is one request as it would be sent.
type RequestPlan struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
	Error   string            `json:"error,omitempty"`
}

// StreamPlan describes one stream.
type StreamPlan struct {
	Name       string      `json:"name"`
	Kind       Kind        `json:"kind"`
	First      RequestPlan `json:"first_request"`
	Pagination string      `json:"pagination"`
	Rules      []string    `json:"pagination_rules"`
	MaxPages   int         `json:"max_pages"`
	Records    string      `json:"records"` // the records selector's jq
	Streamed   bool        `json:"records_streamed"`
	// Fields are the only record members decoded (those the mapping reads); empty
	// when records are decoded whole.
	Fields []string `json:"record_fields,omitempty"`
	Filter string   `json:"filter,omitempty"` // the filter's jq
}

// source is an expression's whole jq text, for the JSON plan; "" without one.
func source(e any) string {
	if s, ok := e.(interface{ Source() string }); ok {
		return strings.TrimSpace(s.Source())
	}
	return ""
}

// Describe builds the plan of ig. It makes no request.
func Describe(ig *Integration, redact *Redactor) *Plan {
	c := &client{ig: ig}
	p := &Plan{Integration: ig.Name, Title: ig.Title, HTTP: describeHTTP(ig.HTTP)}
	if ig.Auth != nil {
		p.Auth = &AuthPlan{Kind: ig.Auth.Kind(), Details: ig.Auth.Describe(), Choice: ig.AuthChoice}
	}
	if ig.Check != nil {
		rp := c.describeRequest(ig.Check, PageRequest{}, redact)
		p.Check = &rp
	}
	for _, s := range ig.Streams {
		sp := &StreamPlan{
			Name: s.Name, Kind: s.Kind, First: c.describeRequest(&s.Request, s.Paginator.First(), redact),
			Pagination: s.Paginator.Kind(), Rules: s.Paginator.Describe(), MaxPages: s.MaxPages, Streamed: s.RecordsPath != nil,
			Fields: s.RecordFields,
		}
		sp.Records, sp.Filter = source(s.Records), source(s.Filter)
		p.Streams = append(p.Streams, sp)
	}
	return p
}

func (c *client) describeRequest(req *Request, pr PageRequest, redact *Redactor) RequestPlan {
	rp := RequestPlan{Method: req.Method, Headers: map[string]string{}}
	if rp.Method == "" {
		rp.Method = "GET"
	}
	u, err := c.requestURL(req, pr)
	if err != nil {
		rp.Error = redact.String(err.Error())
		return rp
	}
	if c.ig.Auth != nil && sameHost(u, c.ig.HTTP.BaseURL) {
		if a, ok := c.ig.Auth.(*APIKeyAuth); ok && len(a.Query) > 0 {
			q := u.Query()
			for _, kv := range a.Query {
				q.Set(kv.Name, kv.Prefix+Masked)
			}
			u.RawQuery = q.Encode()
		}
		rp.Headers["Authorization"] = "(set by auth " + c.ig.Auth.Kind() + ")"
		if a, ok := c.ig.Auth.(*APIKeyAuth); ok {
			delete(rp.Headers, "Authorization")
			for _, h := range a.Headers {
				rp.Headers[h.Name] = h.Prefix + Masked
			}
		}
	}
	// Masked query values read as (sensitive), not as their URL escape.
	rp.URL = strings.ReplaceAll(redact.String(u.String()), url.QueryEscape(Masked), Masked)
	for _, hs := range []map[string]string{c.ig.HTTP.Headers, req.Headers, pr.Header} {
		for k, v := range hs {
			rp.Headers[k] = redact.Value(v)
		}
	}
	if body, _, err := requestBody(req, pr); err == nil && body != nil {
		rp.Body = redact.String(string(body))
	}
	return rp
}

func describeHTTP(h HTTP) HTTPPlan {
	p := HTTPPlan{}
	if h.BaseURL != nil {
		p.BaseURL = h.BaseURL.String()
	}
	r := h.Retry
	statuses := r.OnStatus
	if statuses == nil {
		statuses = DefaultRetryStatuses
	}
	p.Retry = []string{
		fmt.Sprintf("%d attempts per request, on network errors and HTTP %s", r.Attempts, joinInts(statuses)),
		fmt.Sprintf("exponential backoff from %s to %s with jitter; every wait capped at %s", r.InitialInterval, r.MaxInterval, r.MaxWait),
	}
	waits := []string{}
	for _, w := range r.WaitHeaders {
		waits = append(waits, fmt.Sprintf("%s (%s)", w.Name, w.Format))
	}
	p.Retry = append(p.Retry, "server waits honoured: "+strings.Join(append(waits, "Retry-After"), ", "),
		"POST retried only when the request is marked idempotent")
	p.RateLimit = describeRateLimit(h.RateLimit)
	p.Timeouts = []string{fmt.Sprintf("connect %s, response headers %s, body stalled %s", h.ConnectTimeout, h.HeaderTimeout, h.BodyIdleTimeout),
		fmt.Sprintf("responses up to %s", byteSize(h.MaxBodyBytes))}
	return p
}

func describeRateLimit(rl RateLimit) []string {
	var out []string
	if rl.Requests > 0 {
		out = append(out, fmt.Sprintf("%d requests per %s, burst %d", rl.Requests, rl.Per, max(rl.Burst, 1)))
	} else {
		out = append(out, "no client-side limit")
	}
	if rl.RemainingHeader != "" {
		s := fmt.Sprintf("slows down when %s <= %d", rl.RemainingHeader, rl.LowWater)
		if rl.ResetHeader != "" {
			s += fmt.Sprintf(", spreading the rest until %s (%s)", rl.ResetHeader, rl.ResetFormat)
		}
		out = append(out, s)
	}
	return out
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	sorted := append([]int{}, ns...)
	sort.Ints(sorted)
	for i, n := range sorted {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func byteSize(n int64) string {
	switch {
	case n <= 0:
		return "any size"
	case n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
