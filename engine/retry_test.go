package engine

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseWait(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) // a Thursday
	unix := now.Unix()
	maxDur := time.Duration(math.MaxInt64)
	tests := []struct {
		name   string
		value  string
		format WaitFormat
		want   time.Duration
		ok     bool
	}{
		{"retry-after delta seconds", "7", WaitRetryAfter, 7 * time.Second, true},
		{"retry-after delta with spaces", "  120 ", WaitRetryAfter, 2 * time.Minute, true},
		{"retry-after zero", "0", WaitRetryAfter, 0, true},
		{"retry-after IMF-fixdate", "Thu, 02 Jan 2025 03:04:35 GMT", WaitRetryAfter, 30 * time.Second, true},
		{"retry-after RFC 850", "Thursday, 02-Jan-25 03:05:05 GMT", WaitRetryAfter, time.Minute, true},
		{"retry-after asctime", "Thu Jan  2 03:04:15 2025", WaitRetryAfter, 10 * time.Second, true},
		{"retry-after date in the past waits 0", "Wed, 01 Jan 2025 00:00:00 GMT", WaitRetryAfter, 0, true},
		{"retry-after negative", "-5", WaitRetryAfter, 0, false},
		{"retry-after fraction is not a delta", "1.5", WaitRetryAfter, 0, false},
		{"retry-after garbage", "soon", WaitRetryAfter, 0, false},
		{"retry-after empty", "", WaitRetryAfter, 0, false},
		{"retry-after blank", "   ", WaitRetryAfter, 0, false},
		{"retry-after huge is capped", "99999999999", WaitRetryAfter, maxDur, true},
		{"retry-after beyond int64 is capped", "99999999999999999999999", WaitRetryAfter, maxDur, true},
		{"retry-after beyond int64 negative", "-99999999999999999999999", WaitRetryAfter, 0, false},

		{"seconds whole", "3", WaitSeconds, 3 * time.Second, true},
		{"seconds with fraction", "2.5", WaitSeconds, 2500 * time.Millisecond, true},
		{"seconds small fraction", "0.25", WaitSeconds, 250 * time.Millisecond, true},
		{"seconds negative", "-1", WaitSeconds, 0, false},
		{"seconds NaN", "NaN", WaitSeconds, 0, false},
		{"seconds garbage", "3s", WaitSeconds, 0, false},
		{"seconds huge is capped", "1e300", WaitSeconds, maxDur, true},

		{"epoch seconds", strconv.FormatInt(unix+30, 10), WaitEpochSeconds, 30 * time.Second, true},
		{"epoch seconds with fraction", strconv.FormatInt(unix+30, 10) + ".5", WaitEpochSeconds, 30500 * time.Millisecond, true},
		{"epoch seconds in the past waits 0", strconv.FormatInt(unix-3600, 10), WaitEpochSeconds, 0, true},
		{"epoch seconds now", strconv.FormatInt(unix, 10), WaitEpochSeconds, 0, true},
		{"epoch seconds negative", "-1", WaitEpochSeconds, 0, false},
		{"epoch seconds garbage", "tomorrow", WaitEpochSeconds, 0, false},
		{"epoch seconds far future is capped", "999999999999999", WaitEpochSeconds, maxDur, true},
		{"epoch seconds absurd", "1e300", WaitEpochSeconds, 0, false},
		{"epoch seconds infinite", "Inf", WaitEpochSeconds, 0, false},

		{"epoch millis", strconv.FormatInt(now.UnixMilli()+1500, 10), WaitEpochMillis, 1500 * time.Millisecond, true},
		{"epoch millis in the past waits 0", strconv.FormatInt(now.UnixMilli()-1, 10), WaitEpochMillis, 0, true},
		{"epoch millis garbage", "x", WaitEpochMillis, 0, false},

		{"unknown format", "7", WaitFormat("fortnights"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseWait(tt.value, tt.format, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseWait(%q, %s) = %v, %v; want %v, %v", tt.value, tt.format, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRetryPolicyServerWait(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	policy := RetryPolicy{WaitHeaders: []WaitHeader{
		{Name: "X-RateLimit-RetryAfter", Format: WaitEpochSeconds},
		{Name: "X-RateLimit-ToWait-Sec", Format: WaitSeconds},
	}}
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		ok     bool
	}{
		{"none", http.Header{}, 0, false},
		{"retry-after only", http.Header{"Retry-After": {"4"}}, 4 * time.Second, true},
		{"vendor header before retry-after", http.Header{
			"Retry-After":            {"4"},
			"X-Ratelimit-Retryafter": {strconv.FormatInt(now.Unix()+9, 10)},
		}, 9 * time.Second, true},
		{"second vendor header", http.Header{"X-Ratelimit-Towait-Sec": {"12"}}, 12 * time.Second, true},
		{"unparsable vendor header falls through", http.Header{
			"X-Ratelimit-Retryafter": {"later"},
			"Retry-After":            {"3"},
		}, 3 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := policy.serverWait(tt.header, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("serverWait = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// statusSequence answers each request with the next status of seq (the last one
// repeats), with headers and a JSON body; a 2xx answer carries one host record.
type statusStep struct {
	status int
	header map[string]string
	body   string
}

func statusSequence(t *testing.T, seq ...statusStep) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		step := seq[min(i, len(seq)-1)]
		for k, v := range step.header {
			w.Header().Set(k, v)
		}
		body := step.body
		if body == "" && step.status < 300 {
			body = string(itemsBody(t, hosts("h1"), nil))
		}
		writeJSON(w, step.status, []byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetryStatuses(t *testing.T) {
	ok := statusStep{status: 200}
	tests := []struct {
		name     string
		onStatus []int
		attempts int
		seq      []statusStep
		requests int
		wantErr  string // "" means the stream succeeds with record h1
		status   int    // the HTTPError status when wantErr is set
	}{
		{"429 retried", nil, 3, []statusStep{{status: 429}, ok}, 2, "", 0},
		{"every default status retried", nil, 5,
			[]statusStep{{status: 500}, {status: 502}, {status: 503}, {status: 504}, ok}, 5, "", 0},
		{"attempts bound the retries", nil, 3, []statusStep{{status: 503}}, 3, "HTTP 503 Service Unavailable", 503},
		{"one attempt means no retry", nil, 1, []statusStep{{status: 503}, ok}, 1, "HTTP 503", 503},
		{"400 fails at once with the vendor message", nil, 3,
			[]statusStep{{status: 400, body: `{"errors":[{"code":400,"message":"invalid filter: 'platform_nme'"}]}`}, ok},
			1, "HTTP 400 Bad Request from GET ", 400},
		{"404 fails at once with the vendor message", nil, 3,
			[]statusStep{{status: 404, body: `{"message":"Not Found","documentation_url":"https://docs"}`}, ok},
			1, "HTTP 404 Not Found", 404},
		{"listed status retried", []int{409}, 3, []statusStep{{status: 409}, ok}, 2, "", 0},
		{"unlisted default status not retried", []int{409}, 3, []statusStep{{status: 429}, ok}, 1, "HTTP 429", 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := statusSequence(t, tt.seq...)
			ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
			ig.HTTP.Retry.Attempts = tt.attempts
			ig.HTTP.Retry.OnStatus = tt.onStatus
			opts, waits, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if got := int(hits.Load()); got != tt.requests || st.Requests != tt.requests {
				t.Errorf("server saw %d requests, stats say %d; want %d", got, st.Requests, tt.requests)
			}
			if st.Retries != tt.requests-1 || len(waits.all()) != tt.requests-1 {
				t.Errorf("retries = %d, waits = %v; want %d", st.Retries, waits.all(), tt.requests-1)
			}
			if tt.wantErr == "" {
				if st.Err != nil {
					t.Fatalf("stream failed: %v", st.Err)
				}
				if got := sink.keys(); len(got) != 1 || got[0] != "hosts/h1" {
					t.Errorf("sink = %v, want [hosts/h1]", got)
				}
				return
			}
			if !strings.Contains(errString(st.Err), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", st.Err, tt.wantErr)
			}
			var he *HTTPError
			if !errors.As(st.Err, &he) || he.Status != tt.status {
				t.Fatalf("error %v is not an HTTPError with status %d", st.Err, tt.status)
			}
			if len(sink.keys()) != 0 {
				t.Errorf("sink = %v, want nothing", sink.keys())
			}
		})
	}
}

func TestHTTPErrorCarriesVendorMessage(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"errors array", `{"errors":[{"code":400,"message":"invalid filter: 'platform_nme'"}]}`, "invalid filter: 'platform_nme'"},
		{"message", `{"message":"Bad credentials"}`, "Bad credentials"},
		{"okta errorSummary", `{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`, "Invalid token provided"},
		{"plain text", "rate limit exceeded\nmore", "rate limit exceeded"},
		{"html is not a message", "<html><body>Bad</body></html>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := statusSequence(t, statusStep{status: 400, body: tt.body})
			ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
			opts, _, _ := testOptions()
			st, _ := runOne(t, ig, opts)
			var he *HTTPError
			if !errors.As(st.Err, &he) {
				t.Fatalf("error = %v, want an HTTPError", st.Err)
			}
			if he.Message != tt.want {
				t.Errorf("Message = %q, want %q", he.Message, tt.want)
			}
			wantErr := `fetch stream "hosts" page 1: HTTP 400 Bad Request from GET ` + srv.URL + "/hosts"
			if tt.want != "" {
				wantErr += ": " + tt.want
			}
			if st.Err.Error() != wantErr {
				t.Errorf("error = %q\nwant    %q", st.Err, wantErr)
			}
		})
	}
}

func TestRetryWaits(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	epoch := func(d time.Duration) string { return strconv.FormatInt(clock.Now().Add(d).Unix(), 10) }
	tests := []struct {
		name        string
		maxWait     time.Duration
		waitHeaders []WaitHeader
		header      map[string]string
		want        []time.Duration
		capped      bool
	}{
		{"Retry-After seconds", time.Minute, nil, map[string]string{"Retry-After": "7"}, durations(7 * time.Second), false},
		{"Retry-After capped to MaxWait", 30 * time.Second, nil, map[string]string{"Retry-After": "120"}, durations(30 * time.Second), true},
		{"Retry-After HTTP date", time.Minute, nil,
			map[string]string{"Retry-After": clock.Now().Add(20 * time.Second).Format(http.TimeFormat)}, durations(20 * time.Second), false},
		{"Retry-After huge capped", time.Minute, nil, map[string]string{"Retry-After": "99999999999999999999"}, durations(time.Minute), true},
		{"vendor epoch seconds header", time.Minute,
			[]WaitHeader{{Name: "X-RateLimit-RetryAfter", Format: WaitEpochSeconds}},
			map[string]string{"X-RateLimit-RetryAfter": epoch(42 * time.Second), "Retry-After": "1"}, durations(42 * time.Second), false},
		{"vendor seconds header", time.Minute,
			[]WaitHeader{{Name: "X-RateLimit-ToWait-Sec", Format: WaitSeconds}},
			map[string]string{"X-RateLimit-ToWait-Sec": "1.5"}, durations(1500 * time.Millisecond), false},
		{"no header uses the zero backoff", time.Minute, nil, nil, durations(0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := statusSequence(t, statusStep{status: 429, header: tt.header}, statusStep{status: 200})
			ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
			ig.HTTP.Retry.MaxWait = tt.maxWait
			ig.HTTP.Retry.WaitHeaders = tt.waitHeaders
			opts, waits, logs := testOptions()
			opts.Now = clock.Now
			st, sink := runOne(t, ig, opts)
			if st.Err != nil || hits.Load() != 2 || len(sink.keys()) != 1 {
				t.Fatalf("err = %v, requests = %d, records = %v", st.Err, hits.Load(), sink.keys())
			}
			if got := waits.all(); !equalDurations(got, tt.want) {
				t.Errorf("waits = %v, want %v", got, tt.want)
			}
			entries := logs.entries(t, "retrying request")
			if len(entries) != 1 {
				t.Fatalf("got %d retry log entries, want 1: %s", len(entries), logs)
			}
			if e := entries[0]; !strings.Contains(e["reason"].(string), "HTTP 429") || e["attempt"] != float64(1) {
				t.Errorf("retry log entry = %v", e)
			}
			if _, capped := entries[0]["capped_at"]; capped != tt.capped {
				t.Errorf("capped_at logged = %v, want %v (%v)", capped, tt.capped, entries[0])
			}
		})
	}
}

func TestRetryBackoffGrowsWithJitter(t *testing.T) {
	srv, _ := statusSequence(t, statusStep{status: 503})
	ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
	ig.HTTP.Retry = RetryPolicy{Attempts: 4, InitialInterval: time.Second, MaxInterval: 3 * time.Second, MaxWait: 2500 * time.Millisecond}
	opts, waits, _ := testOptions()
	st, _ := runOne(t, ig, opts)
	if st.Err == nil {
		t.Fatal("the stream did not fail")
	}
	got := waits.all()
	// Intervals 1s, 1.5s, 2.25s, each ±50% jitter, each capped at 2.5s.
	bounds := [][2]time.Duration{{500 * time.Millisecond, 1500 * time.Millisecond}, {750 * time.Millisecond, 2250 * time.Millisecond}, {1125 * time.Millisecond, 2500 * time.Millisecond}}
	if len(got) != len(bounds) {
		t.Fatalf("waits = %v, want %d of them", got, len(bounds))
	}
	for i, b := range bounds {
		if got[i] < b[0] || got[i] > b[1] {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, got[i], b[0], b[1])
		}
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		writeJSON(w, 503, []byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", nil))
	ig.HTTP.Retry.Attempts = 10
	opts, _, _ := testOptions()
	res, err := Run(ctx, ig, &memSink{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	st := res.Streams[0]
	if !errors.Is(st.Err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", st.Err)
	}
	if st.Requests > 2 {
		t.Errorf("made %d requests after the context ended", st.Requests)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
