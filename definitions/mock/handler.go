package mock

import (
	"bufio"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"sync/atomic"
)

// reply is a complete answer, built before anything is written so that a fault can
// replace it or cut it short.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// newReply is a reply with the given content type.
func newReply(status int, contentType string, body []byte) reply {
	return reply{status: status, header: http.Header{"Content-Type": {contentType}}, body: body}
}

// faultKind names the injected failures that replace a vendor's answer.
type faultKind int

const (
	rateLimited faultKind = iota + 1
	serverError
)

// api is what one vendor mock plugs into the shared request counting and faults.
type api interface {
	// isToken reports whether r asks for a token; token requests are never data requests.
	isToken(r *http.Request) bool
	// serve answers r; n is its data-request ordinal, or 0 for a token request.
	serve(r *http.Request, n int) reply
	// fault is the vendor's answer for an injected rate limit or server error.
	fault(k faultKind, r *http.Request, n int) reply
	// headers sets what every answer of the vendor carries; the reply's own headers are
	// applied afterwards and win.
	headers(h http.Header, r *http.Request, n int)
	// revokeTokens forgets every token issued so far; vendors without tokens do nothing.
	revokeTokens()
}

// handler counts data requests and injects faults around a vendor's api.
type handler struct {
	api    api
	faults Faults
	count  atomic.Int64
}

func newHandler(a api, f Faults) *handler { return &handler{api: a, faults: f} }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := 0
	if !h.api.isToken(r) {
		n = int(h.count.Add(1))
	}
	rep := h.answer(r, n)
	h.api.headers(w.Header(), r, n)
	maps.Copy(w.Header(), rep.header)
	if n > 0 && n == h.faults.DropAt {
		drop(w, rep.body)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
	w.Write(rep.body) //nolint:errcheck // the client hung up; nothing to tell it
}

// answer applies the faults due at ordinal n. Revocation happens before the request is
// served, so the request itself is the first to see its token rejected.
func (h *handler) answer(r *http.Request, n int) reply {
	if n == 0 {
		return h.api.serve(r, 0)
	}
	if n == h.faults.ExpireTokenAt {
		h.api.revokeTokens()
	}
	switch n {
	case h.faults.RateLimitAt:
		return h.api.fault(rateLimited, r, n)
	case h.faults.ServerErrorAt:
		return h.api.fault(serverError, r, n)
	}
	return h.api.serve(r, n)
}

// drop sends a 200 with the full Content-Length but only half the body, then closes the
// connection, which is what a proxy or load balancer timing out mid-transfer looks like.
func drop(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(max(len(body), 1)))
	part := body[:len(body)/2]
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		abort(w, part) // panics, so conn is never nil below
	}
	defer conn.Close()
	writeRaw(buf, w.Header(), part)
}

// writeRaw writes an HTTP/1.1 200 response head and a partial body to a hijacked conn.
func writeRaw(buf *bufio.ReadWriter, h http.Header, part []byte) {
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\n")
	h.Write(buf)            //nolint:errcheck // the flush below reports nothing useful either
	buf.WriteString("\r\n") //nolint:errcheck
	buf.Write(part)         //nolint:errcheck
	buf.Flush()             //nolint:errcheck
}

// abort cuts the body short on connections that cannot be hijacked (HTTP/2): the server
// resets the stream when a handler panics with ErrAbortHandler.
func abort(w http.ResponseWriter, part []byte) {
	w.WriteHeader(http.StatusOK)
	w.Write(part)                         //nolint:errcheck
	http.NewResponseController(w).Flush() //nolint:errcheck
	panic(http.ErrAbortHandler)
}
