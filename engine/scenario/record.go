package scenario

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/integrate-dev/integrate/engine"
)

// Recorder is an http.RoundTripper that passes requests to Next and keeps a redacted
// copy of every completed exchange, in order.
type Recorder struct {
	Next   http.RoundTripper
	Redact *engine.Redactor
	// KeepHeaders are response headers worth keeping beyond the standard ones
	// (pagination tokens, the definition's wait and quota headers).
	KeepHeaders []string

	mu        sync.Mutex
	exchanges []*Exchange
}

// Exchanges returns what was recorded so far.
func (r *Recorder) Exchanges() []*Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Exchange(nil), r.exchanges...)
}

// RoundTrip implements http.RoundTripper. It reads the response body whole so it can
// keep it; a body that fails part way is passed on failing and not recorded, because
// the engine will retry it.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	resp, err := r.Next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	raw, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if readErr != nil {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(raw), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	r.mu.Lock()
	r.exchanges = append(r.exchanges, &Exchange{
		Request:  r.request(req, reqBody),
		Response: Response{Status: resp.StatusCode, Headers: r.responseHeaders(resp.Header), Body: r.redactBody(raw, resp.Header.Get("Content-Type"))},
	})
	r.mu.Unlock()
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// requestBody reads the request body without consuming it for the transport.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

// secretHeaders are always masked whole: a Basic header is base64 of the secret, which
// no text search would find.
var secretHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true}

// droppedRequestHeaders vary between runs and machines and say nothing of the request.
var droppedRequestHeaders = map[string]bool{"user-agent": true, "accept-encoding": true, "content-length": true}

func (r *Recorder) request(req *http.Request, body []byte) Request {
	out := Request{Method: req.Method, URL: r.Redact.String(redactQuery(req.URL, r.Redact)), Headers: map[string]string{}}
	for k, vs := range req.Header {
		lk := lower(k)
		switch {
		case droppedRequestHeaders[lk]:
		case secretHeaders[lk]:
			out.Headers[k] = engine.Masked
		default:
			out.Headers[k] = r.maskHeader(strings.Join(vs, ", "))
		}
	}
	if len(out.Headers) == 0 {
		out.Headers = nil
	}
	out.Body = r.redactBody(body, req.Header.Get("Content-Type"))
	return out
}

// maskHeader masks a header whose value holds a secret whole, prefix and all.
func (r *Recorder) maskHeader(v string) string {
	if red := r.Redact.Value(v); red != v {
		return engine.Masked
	}
	return v
}

// redactQuery masks secrets in query parameters however they were escaped.
func redactQuery(u *url.URL, red *engine.Redactor) string {
	c := *u
	q := c.Query()
	for k, vs := range q {
		for i, v := range vs {
			vs[i] = red.Value(v)
		}
		q[k] = vs
	}
	c.RawQuery = q.Encode()
	return c.String()
}

func (r *Recorder) responseHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, vs := range h {
		if keepResponseHeader(lower(k), r.KeepHeaders) {
			out[k] = r.maskHeader(strings.Join(vs, ", "))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func keepResponseHeader(lk string, extra []string) bool {
	switch {
	case lk == "content-type", lk == "link", lk == "location", lk == "retry-after",
		strings.HasPrefix(lk, "x-ratelimit"), strings.HasPrefix(lk, "x-rate-limit"):
		return true
	}
	for _, e := range extra {
		if lower(e) == lk {
			return true
		}
	}
	return false
}

// tokenFields are masked in any JSON body, whatever the redactor knows: a token
// response is where new secrets appear.
var tokenFields = map[string]bool{"access_token": true, "refresh_token": true, "id_token": true, "token": true, "client_secret": true, "password": true}

// redactBody masks secrets in a body: form fields and JSON strings one by one (so an
// escaped secret is still found), anything else as text.
func (r *Recorder) redactBody(b []byte, contentType string) json.RawMessage {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") || formTokenResponse(b) {
		if form, err := url.ParseQuery(string(b)); err == nil {
			return body([]byte(redactForm(form, r.Redact)))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil {
		red, _ := json.Marshal(redactJSON(v, r.Redact))
		return body(red)
	}
	return body([]byte(r.Redact.String(string(b))))
}

func redactForm(form url.Values, red *engine.Redactor) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range form[k] {
			if tokenFields[k] {
				v = engine.Masked
			}
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(red.Value(v)))
		}
	}
	return strings.Join(parts, "&")
}

func redactJSON(v any, red *engine.Redactor) any {
	switch x := v.(type) {
	case string:
		return red.Value(x)
	case []any:
		for i := range x {
			x[i] = redactJSON(x[i], red)
		}
	case map[string]any:
		for k, e := range x {
			if rk := red.Value(k); rk != k { // a secret used as a key is still a secret
				delete(x, k)
				k = rk
			}
			if s, ok := e.(string); ok && tokenFields[k] && s != "" {
				x[k] = engine.Masked
				continue
			}
			x[k] = redactJSON(e, red)
		}
	}
	return v
}

// formTokenResponse recognizes a token answered form-encoded (x/oauth2 accepts it,
// and some vendors send it with a text content type): its token must be masked too.
func formTokenResponse(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && t[0] != '{' && t[0] != '[' && bytes.Contains(t, []byte("access_token="))
}
