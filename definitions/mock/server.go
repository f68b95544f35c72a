package mock

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
)

// Request is one entry of a [Server]'s request log.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Host is the Host header the mock saw: the real vendor host when the request came
	// through [Server.Transport].
	Host string
	// Path is the path and raw query, as sent.
	Path string
	// Auth reports whether an Authorization header was present.
	Auth bool
	// Status is the status answered; 0 while the request is still being served.
	Status int
	// Dropped reports that the connection was cut mid-body by [Faults].DropAt.
	Dropped bool
}

// Server is a running mock on 127.0.0.1.
type Server struct {
	vendor    Vendor
	handler   http.Handler
	srv       *httptest.Server
	transport *transport

	mu  sync.Mutex
	log []Request
}

// Start serves v's mock with opt on a new loopback listener. Close it when done.
func Start(v Vendor, opt Options) *Server {
	s := &Server{vendor: v, handler: v.New(opt)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.transport = newTransport(s.srv.Listener.Addr().String(), v.Hosts)
	return s
}

// Vendor is the vendor this mock stands in for.
func (s *Server) Vendor() Vendor { return s.vendor }

// URL is the mock's own base URL, http://127.0.0.1:port. Absolute links in its answers
// use the Host header, so clients that follow links should use [Server.Transport] and the
// real host names instead.
func (s *Server) URL() string { return s.srv.URL }

// Close closes the transport's idle connections, then shuts the server down.
func (s *Server) Close() {
	s.transport.base.CloseIdleConnections()
	s.srv.Close()
}

// Transport routes requests for the vendor's hosts (any scheme, any port) to the mock
// over plain HTTP, keeping the original Host header so the mock builds absolute links
// with the real host name. A request for any other host fails with
// `mock: no route to host "evil.example"`. The caller's request is never modified.
func (s *Server) Transport() http.RoundTripper { return s.transport }

// Requests returns a copy of the log of requests received, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// serve logs the request around the vendor handler. The entry is reserved on arrival so
// the log keeps arrival order, and its status is set as the status line is written,
// before the client can see it, so a client that reads the log right after its response
// always finds its own request complete.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	idx := s.arrive(r)
	rec := &recorder{ResponseWriter: w, answered: func(status int, dropped bool) { s.answered(idx, status, dropped) }}
	defer rec.finish()
	s.handler.ServeHTTP(rec, r)
}

func (s *Server) arrive(r *http.Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, Request{
		Method: r.Method,
		Host:   r.Host,
		Path:   r.URL.RequestURI(),
		Auth:   r.Header.Get("Authorization") != "",
	})
	return len(s.log) - 1
}

func (s *Server) answered(idx, status int, dropped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log[idx].Status = status
	s.log[idx].Dropped = dropped
}

// recorder reports the status a handler answers the moment it is decided. It implements
// Hijack itself, rather than only Unwrap, so that it can tell a dropped connection from
// a normal answer.
type recorder struct {
	http.ResponseWriter
	answered func(status int, dropped bool)
	done     bool
}

func (r *recorder) WriteHeader(code int) {
	r.answer(code, false)
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.answer(http.StatusOK, false)
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Hijack logs the request as dropped. Only the drop fault hijacks, and it always starts
// a 200.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.answer(http.StatusOK, true)
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

// finish covers a handler that wrote nothing, which net/http answers with 200.
func (r *recorder) finish() { r.answer(http.StatusOK, false) }

// answer reports the first status only, as the client sees only the first.
func (r *recorder) answer(status int, dropped bool) {
	if !r.done {
		r.done = true
		r.answered(status, dropped)
	}
}
