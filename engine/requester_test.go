package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// bodyRecorder keeps every request body a server received.
type bodyRecorder struct {
	mu     sync.Mutex
	bodies []string
	ctypes []string
}

func (b *bodyRecorder) add(r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.bodies = append(b.bodies, string(raw))
	b.ctypes = append(b.ctypes, r.Header.Get("Content-Type"))
	b.mu.Unlock()
}

func TestPostRetriedOnlyWhenIdempotent(t *testing.T) {
	tests := []struct {
		name       string
		req        Request
		requests   int
		wantBody   string
		wantCType  string
		wantRecord bool
	}{
		{"JSON POST not retried", Request{Method: "POST", Path: "/search", JSON: map[string]any{"filter": "x", "limit": 100}},
			1, `{"filter":"x","limit":100}`, "application/json", false},
		{"idempotent JSON POST replays the same body", Request{Method: "POST", Path: "/search", Idempotent: true,
			JSON: map[string]any{"limit": 100, "filter": "platform:'Windows'", "nested": map[string]any{"b": 2, "a": []any{1, "two"}}}},
			3, `{"filter":"platform:'Windows'","limit":100,"nested":{"a":[1,"two"],"b":2}}`, "application/json", true},
		{"idempotent form POST replays the same body", Request{Method: "POST", Path: "/search", Idempotent: true,
			Form: map[string]string{"q": "a b", "size": "10"}},
			3, "q=a+b&size=10", "application/x-www-form-urlencoded", true},
		{"PUT not retried", Request{Method: "PUT", Path: "/search", JSON: map[string]any{"a": 1}}, 1, `{"a":1}`, "application/json", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &bodyRecorder{}
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.add(r)
				if r.Method != tt.req.Method {
					t.Errorf("method = %s, want %s", r.Method, tt.req.Method)
				}
				if n.Add(1) < 3 {
					writeJSON(w, 503, []byte(`{"message":"busy"}`))
					return
				}
				writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
			}))
			defer srv.Close()
			s := hostStream("hosts", "", nil)
			s.Request = tt.req
			ig := testIntegration(t, srv.URL, s)
			opts, _, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if len(rec.bodies) != tt.requests || st.Requests != tt.requests {
				t.Fatalf("server saw %d requests (stats %d), want %d; err %v", len(rec.bodies), st.Requests, tt.requests, st.Err)
			}
			for i, b := range rec.bodies {
				if b != tt.wantBody {
					t.Errorf("attempt %d body = %q, want %q", i+1, b, tt.wantBody)
				}
				if rec.ctypes[i] != tt.wantCType {
					t.Errorf("attempt %d Content-Type = %q, want %q", i+1, rec.ctypes[i], tt.wantCType)
				}
			}
			if tt.wantRecord {
				if st.Err != nil || len(sink.keys()) != 1 {
					t.Errorf("err = %v, records = %v; want one record", st.Err, sink.keys())
				}
				return
			}
			if !strings.Contains(errString(st.Err), "HTTP 503 Service Unavailable from "+tt.req.Method) {
				t.Errorf("error = %v, want the 503", st.Err)
			}
		})
	}
}

// hijackOnce answers the first request with broken, which gets the raw connection,
// and every later request with a full page.
func hijackOnce(t *testing.T, full []byte, broken func(conn io.Writer, full []byte)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			writeJSON(w, 200, full)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		broken(buf, full)
		buf.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestNetworkErrorsRetried(t *testing.T) {
	records := append([]any{map[string]any{"key": "bad", "name": "no class"}}, hosts("h1", "h2", "h3", "h4")...)
	full := func(t *testing.T) []byte {
		return itemsBody(t, records, map[string]any{"padding": strings.Repeat("x", 64)})
	}
	closeAtOnce := func(io.Writer, []byte) {}
	halfBody := func(w io.Writer, full []byte) {
		fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(full))
		w.Write(full[:len(full)*2/3])
	}
	halfChunked := func(w io.Writer, full []byte) {
		fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
		fmt.Fprintf(w, "%x\r\n%s\r\n", len(full)/2, full[:len(full)/2])
	}
	tests := []struct {
		name     string
		broken   func(io.Writer, []byte)
		streamed bool
	}{
		{"connection closed before the response", closeAtOnce, false},
		{"connection dropped mid-body, records streamed", halfBody, true},
		{"connection dropped mid-body, records selected", halfBody, false},
		{"chunked body dropped mid-body, records streamed", halfChunked, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := hijackOnce(t, full(t), tt.broken)
			s := hostStream("hosts", "/hosts", nil)
			if tt.streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			opts, waits, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatalf("stream failed: %v", st.Err)
			}
			if hits.Load() != 2 || st.Requests != 2 || st.Retries != 1 || len(waits.all()) != 1 {
				t.Errorf("requests = %d (stats %d), retries = %d, waits = %v; want 2, 2, 1, one wait",
					hits.Load(), st.Requests, st.Retries, waits.all())
			}
			want := []string{"hosts/h1", "hosts/h2", "hosts/h3", "hosts/h4"}
			if got := sink.keys(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("sink = %v, want %v", got, want)
			}
			if sizes := sink.pageSizes(); len(sizes) != 1 {
				t.Errorf("sink pages = %v, want one page", sizes)
			}
			if st.Records != 4 || st.Duplicates != 0 || st.Skipped != 1 || st.Pages != 1 {
				t.Errorf("stats = %+v; want 4 records, 0 duplicates, 1 skipped, 1 page", st)
			}
		})
	}
}

func TestNetworkErrorOnPostNotRetried(t *testing.T) {
	srv, hits := hijackOnce(t, itemsBody(t, hosts("h1"), nil), func(io.Writer, []byte) {})
	s := hostStream("hosts", "", nil)
	s.Request = Request{Method: "POST", Path: "/search", JSON: map[string]any{"q": 1}}
	ig := testIntegration(t, srv.URL, s)
	opts, _, _ := testOptions()
	st, _ := runOne(t, ig, opts)
	if st.Err == nil || hits.Load() != 1 || st.Requests != 1 {
		t.Fatalf("err = %v, requests = %d; want a failure after one request", st.Err, hits.Load())
	}
	if !strings.Contains(st.Err.Error(), `fetch stream "hosts" page 1: `) || !strings.Contains(st.Err.Error(), "EOF") {
		t.Errorf("error = %q", st.Err)
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	ig := testIntegration(t, base, hostStream("hosts", "/hosts", nil))
	opts, waits, _ := testOptions()
	st, _ := runOne(t, ig, opts)
	if st.Err == nil || !strings.Contains(st.Err.Error(), "connection refused") {
		t.Fatalf("error = %v, want connection refused", st.Err)
	}
	if st.Requests != 3 || len(waits.all()) != 2 {
		t.Errorf("requests = %d, waits = %v; want 3 attempts", st.Requests, waits.all())
	}
}

// A name that does not resolve is not retried by run either: NXDOMAIN is an answer.
// A resolver that times out is.
func TestDNSErrors(t *testing.T) {
	for _, tt := range []struct {
		name     string
		dns      *net.DNSError
		attempts int
	}{
		{"not found", &net.DNSError{Err: "no such host", Name: "api.eu-9.example.com", IsNotFound: true}, 1},
		{"resolver timeout", &net.DNSError{Err: "i/o timeout", Name: "api.example.com", IsTimeout: true}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ig := testIntegration(t, "http://"+tt.dns.Name, hostStream("hosts", "/hosts", nil))
			opts, _, _ := testOptions()
			opts.Transport = &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: tt.dns}
			}}
			st, _ := runOne(t, ig, opts)
			if st.Err == nil || !strings.Contains(st.Err.Error(), tt.dns.Err) || st.Requests != tt.attempts {
				t.Errorf("error %v after %d requests; want %q after %d", st.Err, st.Requests, tt.dns.Err, tt.attempts)
			}
		})
	}
}

func TestHeaderTimeout(t *testing.T) {
	tests := []struct {
		name    string
		stalls  int32 // requests that never get headers
		wantErr string
	}{
		{"retried after one stall", 1, ""},
		{"fails after every attempt stalls", 3, `fetch stream "hosts" page 1: no response headers within 100ms (http.header_timeout)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) <= tt.stalls {
					<-r.Context().Done() // until the client gives up
					return
				}
				writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
			}))
			defer srv.Close()
			ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
			ig.HTTP.HeaderTimeout = 100 * time.Millisecond
			opts, _, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if errString(st.Err) != tt.wantErr {
				t.Fatalf("error = %v, want %q", st.Err, tt.wantErr)
			}
			if tt.wantErr == "" && len(sink.keys()) != 1 {
				t.Errorf("records = %v, want one", sink.keys())
			}
			if want := int(min(tt.stalls+1, 3)); st.Requests != want {
				t.Errorf("requests = %d, want %d", st.Requests, want)
			}
		})
	}
}

func TestBodyIdleTimeout(t *testing.T) {
	full := func(t *testing.T) []byte { return itemsBody(t, hosts("h1", "h2"), nil) }
	tests := []struct {
		name     string
		stalls   int32
		streamed bool
		wantErr  string
	}{
		{"stalled body retried", 1, false, ""},
		{"stalled streamed body retried", 1, true, ""},
		{"stalled body fails after every attempt", 3, true, `fetch stream "hosts" page 1: reading the response: the response body stalled for 100ms (http.body_timeout)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body := full(t)
				if n.Add(1) > tt.stalls {
					writeJSON(w, 200, body)
					return
				}
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				w.WriteHeader(200)
				w.Write(body[:len(body)/2])
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			}))
			defer srv.Close()
			s := hostStream("hosts", "/hosts", nil)
			if tt.streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			ig.HTTP.BodyIdleTimeout = 100 * time.Millisecond
			opts, _, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if errString(st.Err) != tt.wantErr {
				t.Fatalf("error = %v, want %q", st.Err, tt.wantErr)
			}
			if tt.wantErr == "" {
				if got := sink.keys(); len(got) != 2 || st.Records != 2 {
					t.Errorf("records = %v (stats %d), want h1 and h2 once", got, st.Records)
				}
			}
		})
	}
}

// TestSlowSteadyBodyNotCutOff: the body idle timeout bounds each pause, not the whole
// body, so a large response that keeps arriving finishes however long it takes.
func TestSlowSteadyBodyNotCutOff(t *testing.T) {
	// Gaps of a twentieth of the idle timeout: a loaded CI machine under -race once
	// stalled past 400 ms with gaps of 40 ms, so the margin is wide and the gaps few.
	const idle = 2 * time.Second
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		body := itemsBody(t, hosts("h1", "h2", "h3"), nil)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		chunks := 30
		size := (len(body) + chunks - 1) / chunks
		for i := 0; i < len(body); i += size {
			w.Write(body[i:min(i+size, len(body))])
			w.(http.Flusher).Flush()
			time.Sleep(idle / 20) // the timing is the point: steady, well inside the idle timeout
		}
	}))
	defer srv.Close()
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprintf("streamed=%v", streamed), func(t *testing.T) {
			hits.Store(0)
			s := hostStream("hosts", "/hosts", nil)
			if streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			ig.HTTP.BodyIdleTimeout = idle
			ig.HTTP.HeaderTimeout = idle
			opts, _, _ := testOptions()
			start := time.Now()
			st, sink := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatalf("stream failed: %v", st.Err)
			}
			if elapsed := time.Since(start); elapsed < idle {
				t.Fatalf("the body took %v, less than the idle timeout %v: the test proves nothing", elapsed, idle)
			}
			if hits.Load() != 1 || len(sink.keys()) != 3 {
				t.Errorf("requests = %d, records = %v; want 1 request and 3 records", hits.Load(), sink.keys())
			}
		})
	}
}

func TestBodySizeCap(t *testing.T) {
	body := itemsBody(t, hosts("h1", "h2", "h3", "h4", "h5"), nil) // about 200 bytes
	tests := []struct {
		name     string
		cap      int64
		streamed bool
		chunked  bool
		tooLarge bool
	}{
		{"over the cap, selected", 64, false, false, true},
		{"over the cap, streamed", 64, true, false, true},
		{"over the cap, chunked", 64, false, true, true},
		{"just over the cap", int64(len(body)) - 1, false, false, true},
		{"exactly the cap", int64(len(body)), false, false, false},
		{"exactly the cap, streamed", int64(len(body)), true, false, false},
		{"no cap", 0, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				if tt.chunked {
					w.WriteHeader(200)
					w.Write(body[:10])
					w.(http.Flusher).Flush()
					w.Write(body[10:])
					return
				}
				w.Write(body)
			}))
			defer srv.Close()
			s := hostStream("hosts", "/hosts", nil)
			if tt.streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			ig.HTTP.MaxBodyBytes = tt.cap
			opts, _, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if !tt.tooLarge {
				if st.Err != nil || len(sink.keys()) != 5 {
					t.Fatalf("err = %v, records = %v; want 5 records", st.Err, sink.keys())
				}
				return
			}
			if !errors.Is(st.Err, ErrBodyTooLarge) {
				t.Fatalf("error = %v, want ErrBodyTooLarge", st.Err)
			}
			want := fmt.Sprintf(`fetch stream "hosts" page 1: response body exceeds the size cap of %s (raise http.max_response_size)`, byteSize(tt.cap))
			if st.Err.Error() != want {
				t.Errorf("error = %q\nwant    %q", st.Err, want)
			}
			if hits.Load() != 1 {
				t.Errorf("requests = %d, want 1: a size cap is not retried", hits.Load())
			}
			if len(sink.keys()) != 0 {
				t.Errorf("records = %v, want none from a page over the cap", sink.keys())
			}
		})
	}
}

func TestRequestHeadersAndURL(t *testing.T) {
	type seen struct {
		url    string
		header http.Header
	}
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.URL.String(), r.Header.Clone()})
		mu.Unlock()
		writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
	}))
	defer srv.Close()
	s := hostStream("hosts", "/repositories/acme", &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 10})
	s.Request.Query = map[string]string{"q": "state:open", "limit": "999"}
	s.Request.Headers = map[string]string{"X-Stream": "s", "X-Both": "stream"}
	ig := testIntegration(t, srv.URL+"/2.0/", s)
	ig.HTTP.Headers = map[string]string{"X-Integration": "i", "X-Both": "integration", "Accept": "application/vnd.api+json"}
	opts, _, _ := testOptions()
	st, _ := runOne(t, ig, opts)
	if st.Err != nil {
		t.Fatal(st.Err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d requests", len(got))
	}
	if want := "/2.0/repositories/acme?limit=10&offset=0&q=state%3Aopen"; got[0].url != want {
		t.Errorf("URL = %q, want %q", got[0].url, want)
	}
	h := got[0].header
	for k, want := range map[string]string{
		"User-Agent": "integrate/" + Version, "Accept": "application/vnd.api+json",
		"X-Integration": "i", "X-Stream": "s", "X-Both": "stream", "Content-Type": "",
	} {
		if h.Get(k) != want {
			t.Errorf("header %s = %q, want %q", k, h.Get(k), want)
		}
	}
}

func TestJoinURL(t *testing.T) {
	tests := []struct {
		base, path, want string
	}{
		{"https://api.bitbucket.org/2.0", "/repositories/x", "https://api.bitbucket.org/2.0/repositories/x"},
		{"https://api.bitbucket.org/2.0/", "repositories/x", "https://api.bitbucket.org/2.0/repositories/x"},
		{"https://api.github.com", "/orgs/a/repos", "https://api.github.com/orgs/a/repos"},
		{"https://api.github.com", "", "https://api.github.com/"},
		{"https://h/api", "/items?expand=all", "https://h/api/items?expand=all"},
		{"https://h/api", "https://other/x", "https://other/x"},
	}
	for _, tt := range tests {
		base, _ := url.Parse(tt.base)
		u, err := joinURL(base, tt.path)
		if err != nil || u.String() != tt.want {
			t.Errorf("joinURL(%q, %q) = %v, %v; want %q", tt.base, tt.path, u, err, tt.want)
		}
	}
	if _, err := joinURL(nil, "/x"); err == nil || !strings.Contains(err.Error(), "needs a base URL") {
		t.Errorf("joinURL(nil) error = %v", err)
	}
}

// TestResponseNotJSON: an HTML login page with a 200 is reported as such, not retried.
func TestResponseNotJSON(t *testing.T) {
	// The decoder's own wording follows the prefix; the offending byte is enough here.
	tests := []struct {
		name, body, want string
	}{
		{"html", "<html>login</html>", "'<'"},
		{"trailing data", `{"items":[]} {"items":[]}`, "'{'"},
		{"trailing garbage", `{"items":[]}]`, "']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
			opts, _, _ := testOptions()
			st, _ := runOne(t, ig, opts)
			prefix := `fetch stream "hosts" page 1: the response is not valid JSON (Content-Type "text/html"): `
			if got := errString(st.Err); !strings.HasPrefix(got, prefix) || !strings.Contains(got[len(prefix):], tt.want) {
				t.Fatalf("error = %v\nwant    %s... %s", st.Err, prefix, tt.want)
			}
			if hits.Load() != 1 {
				t.Errorf("requests = %d, want 1", hits.Load())
			}
		})
	}
}
