package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/integrate-dev/integrate/engine"
)

// Replayer is an http.RoundTripper that answers from a scenario, offline. Each
// recorded exchange answers once, in recorded order among the exchanges that match
// the same request (a scroll API repeats one URL with new pages).
type Replayer struct {
	s      *Scenario
	redact *engine.Redactor
	keys   []string

	mu   sync.Mutex
	used []bool
}

// NewReplayer serves s. redact must know the placeholder secrets the replayed run
// uses, so requests compare equal to their redacted recordings.
func NewReplayer(s *Scenario, redact *engine.Redactor) *Replayer {
	p := &Replayer{s: s, redact: redact, used: make([]bool, len(s.Exchanges))}
	for _, e := range s.Exchanges {
		p.keys = append(p.keys, p.key(e.Request.Method, e.Request.URL, bodyBytes(e.Request.Body), contentTypeOf(e.Request.Headers)))
	}
	return p
}

// NoMatchError is a request that no recorded exchange answers.
type NoMatchError struct {
	Request string
	Closest string
	Count   int
}

func (e *NoMatchError) Error() string {
	s := fmt.Sprintf("replay: no recorded exchange answers %s (the scenario has %d)", e.Request, e.Count)
	if e.Closest != "" {
		s += "; the closest recorded request is " + e.Closest
	}
	return s + ". The definition now makes a request the recording never saw: record the scenario again (integrate record), or fix the request"
}

// RoundTrip implements http.RoundTripper.
func (p *Replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	if req.Body != nil {
		req.Body.Close()
	}
	key := p.key(req.Method, req.URL.String(), b, req.Header.Get("Content-Type"))
	p.mu.Lock()
	idx := -1
	for i, k := range p.keys {
		if !p.used[i] && k == key {
			idx = i
			p.used[i] = true
			break
		}
	}
	p.mu.Unlock()
	if idx < 0 {
		return nil, p.noMatch(req, key)
	}
	return p.response(req, p.s.Exchanges[idx].Response), nil
}

// Unused says how many recorded exchanges were never asked for.
func (p *Replayer) Unused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, u := range p.used {
		if !u {
			n++
		}
	}
	return n
}

func (p *Replayer) response(req *http.Request, r Response) *http.Response {
	b := bodyBytes(r.Body)
	h := http.Header{}
	for k, v := range r.Headers {
		h.Set(k, v)
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	return &http.Response{
		Status: fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status)), StatusCode: r.Status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h,
		Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: req,
	}
}

func (p *Replayer) noMatch(req *http.Request, key string) error {
	e := &NoMatchError{Request: req.Method + " " + p.redact.String(redactQuery(req.URL, p.redact)), Count: len(p.keys)}
	best := -1
	for i, k := range p.keys {
		d := engine.Distance(clipKey(k), clipKey(key))
		if best < 0 || d < best {
			best = d
			e.Closest = p.s.Exchanges[i].Request.Method + " " + p.s.Exchanges[i].Request.URL
		}
	}
	return e
}

func clipKey(k string) string {
	if len(k) > 400 {
		return k[:400]
	}
	return k
}

// key is the canonical form of a request: method, URL with sorted redacted query, and
// body with redacted values (form fields sorted, JSON re-encoded with sorted keys).
func (p *Replayer) key(method, rawURL string, b []byte, contentType string) string {
	u, err := url.Parse(rawURL)
	canon := rawURL
	if err == nil {
		canon = redactQuery(u, p.redact)
	}
	return method + " " + p.redact.String(canon) + "\n" + p.canonBody(b, contentType)
}

func (p *Replayer) canonBody(b []byte, contentType string) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(b)); err == nil {
			return redactForm(form, p.redact)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil {
		out, _ := json.Marshal(redactJSON(v, p.redact))
		return string(out)
	}
	return p.redact.String(string(b))
}

func contentTypeOf(h map[string]string) string {
	for k, v := range h {
		if lower(k) == "content-type" {
			return v
		}
	}
	return ""
}
