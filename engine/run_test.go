package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// pagesOf serves fixed pages by ?page=N (1-based), with total_pages for pagination.
func pagesOf(t *testing.T, pages ...[]any) *pagedServer {
	return newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		p := atoi(r.URL.Query().Get("page"))
		if p < 1 || p > len(pages) {
			t.Errorf("unexpected page %d", p)
			return nil, itemsBody(t, nil, nil)
		}
		return nil, itemsBody(t, pages[p-1], map[string]any{"total_pages": len(pages)})
	})
}

func host(key string, fields ...any) map[string]any {
	m := map[string]any{"key": key, "class": "host"}
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == nil {
			delete(m, fields[i].(string))
			continue
		}
		m[fields[i].(string)] = fields[i+1]
	}
	return m
}

func TestInvalidRecordSkippedWithWarning(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprintf("streamed=%v", streamed), func(t *testing.T) {
			srv := pagesOf(t,
				[]any{host("h1"), host("h2")},
				[]any{host("h3"), host("h4", "class", nil), host("h5", "ips", []any{"999.1.1.1"})},
			)
			s := pagedHosts()
			if streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			opts, _, logs := testOptions()
			st, sink := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatal(st.Err)
			}
			if got := strings.Join(sink.keys(), ","); got != "hosts/h1,hosts/h2,hosts/h3" {
				t.Errorf("records = %s", got)
			}
			if st.Records != 3 || st.Skipped != 2 || st.Pages != 2 {
				t.Errorf("stats = %+v", st)
			}
			entries := logs.entries(t, "record skipped")
			if len(entries) != 2 {
				t.Fatalf("got %d warnings: %s", len(entries), logs)
			}
			want := []map[string]any{
				{"level": "WARN", "stream": "hosts", "page": float64(2), "record": float64(1), "field": "class", "reason": `field "class": is required`},
				{"level": "WARN", "stream": "hosts", "page": float64(2), "record": float64(2), "field": "ips[0]", "reason": `field "ips[0]": "999.1.1.1" is not an IP address`},
			}
			for i, w := range want {
				for k, v := range w {
					if entries[i][k] != v {
						t.Errorf("warning %d: %s = %v, want %v", i, k, entries[i][k], v)
					}
				}
			}
		})
	}
}

func TestStrictFailsTheStream(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprintf("streamed=%v", streamed), func(t *testing.T) {
			srv := pagesOf(t,
				[]any{host("h1"), host("h2")},
				[]any{host("h3"), host("h4", "class", "server")},
				[]any{host("h5")},
			)
			s := pagedHosts()
			if streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			opts, _, _ := testOptions()
			opts.Strict = true
			st, sink := runOne(t, ig, opts)
			want := `fetch stream "hosts" page 2: strict mode: record 1: field "class": "server" is not one of ` +
				`application, cloud_resource, container_image, domain, host, ip, repository, user`
			if errString(st.Err) != want {
				t.Fatalf("error = %v\nwant    %s", st.Err, want)
			}
			if got := strings.Join(sink.keys(), ","); got != "hosts/h1,hosts/h2" {
				t.Errorf("records = %s, want page 1 only", got)
			}
			if n := len(srv.requests()); n != 2 {
				t.Errorf("requests = %d, want 2: strict failures are not retried", n)
			}
		})
	}
}

// TestLargePageKeepsOrder: records of a page reach the sink in the page's order, and
// warnings name the right index, however the mapping is spread over workers.
func TestLargePageKeepsOrder(t *testing.T) {
	const n = 1000
	recs := make([]any, n)
	var want []string
	for i := range recs {
		key := fmt.Sprintf("h%04d", i)
		if i%97 == 13 {
			recs[i] = host(key, "status", "gone")
			continue
		}
		recs[i] = host(key)
		want = append(want, "hosts/"+key)
	}
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprintf("streamed=%v", streamed), func(t *testing.T) {
			srv := pagesOf(t, recs)
			s := pagedHosts()
			if streamed {
				s.RecordsPath = []string{"items"}
			}
			ig := testIntegration(t, srv.URL, s)
			opts, _, logs := testOptions()
			st, sink := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatal(st.Err)
			}
			if got := sink.keys(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("records out of order or missing: got %d, want %d", len(got), len(want))
			}
			// Warnings come from the mapping workers, so only the set of indexes is fixed.
			var idx []int
			for _, e := range logs.entries(t, "record skipped") {
				idx = append(idx, int(e["record"].(float64)))
			}
			sort.Ints(idx)
			var wantIdx []int
			for i := 13; i < n; i += 97 {
				wantIdx = append(wantIdx, i)
			}
			if fmt.Sprint(idx) != fmt.Sprint(wantIdx) {
				t.Errorf("skipped indexes = %v, want %v", idx, wantIdx)
			}
			if st.Skipped != len(wantIdx) || st.Records != len(want) {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestDuplicateKeysEmittedOnce(t *testing.T) {
	srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		switch r.URL.Path + "?" + r.URL.Query().Get("page") {
		case "/hosts?1":
			return nil, itemsBody(t, []any{host("h1"), host("h2"), host("h1")}, map[string]any{"total_pages": 2})
		case "/hosts?2":
			return nil, itemsBody(t, []any{host("h2"), host("h3")}, map[string]any{"total_pages": 2})
		case "/more?":
			return nil, itemsBody(t, []any{host("h3"), host("h4")}, nil)
		case "/vulns?":
			f := map[string]any{"key": "h1", "asset_key": "h1", "name": "n", "severity": "low", "status": "open"}
			return nil, itemsBody(t, []any{f}, nil)
		}
		t.Errorf("unexpected request %s", r.URL)
		return nil, nil
	})
	vulns := hostStream("vulns", "/vulns", nil)
	vulns.Kind = KindFinding
	ig := testIntegration(t, srv.URL, pagedHosts(), hostStream("more", "/more", nil), vulns)
	opts, _, _ := testOptions()
	sink := &memSink{}
	res, err := Run(context.Background(), ig, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sink.keys(), ","); got != "hosts/h1,hosts/h2,hosts/h3,more/h4,vulns/h1" {
		t.Errorf("records = %s", got)
	}
	wantDup := []int{2, 1, 0}
	wantRec := []int{3, 1, 1}
	for i, st := range res.Streams {
		if st.Duplicates != wantDup[i] || st.Records != wantRec[i] {
			t.Errorf("stream %s: duplicates %d records %d; want %d, %d", st.Name, st.Duplicates, st.Records, wantDup[i], wantRec[i])
		}
	}
}

func TestFailedStreamKeepsEarlierPages(t *testing.T) {
	var other atomic.Int32
	srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		if r.URL.Path == "/other" {
			other.Add(1)
			return nil, itemsBody(t, hosts("o1"), nil)
		}
		p := atoi(r.URL.Query().Get("page"))
		if p == 3 {
			return nil, []byte(`{"items":[{"key":"h5","class":"host"}],"total_pages":`) // cut short
		}
		return nil, itemsBody(t, hosts(fmt.Sprint("h", 2*p-1), fmt.Sprint("h", 2*p)), map[string]any{"total_pages": 5})
	})
	ig := testIntegration(t, srv.URL, pagedHosts(), hostStream("other", "/other", nil))
	ig.HTTP.Retry.Attempts = 2
	opts, _, _ := testOptions()
	sink := &memSink{}
	res, err := Run(context.Background(), ig, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Partial() {
		t.Error("Partial() = false with a failed stream")
	}
	if len(res.Streams) != 2 {
		t.Fatalf("got %d streams", len(res.Streams))
	}
	hostsSt, otherSt := res.Streams[0], res.Streams[1]
	if hostsSt.Err == nil || !strings.HasPrefix(hostsSt.Err.Error(), `fetch stream "hosts" page 3: `) {
		t.Errorf("hosts error = %v", hostsSt.Err)
	}
	if hostsSt.Pages != 2 || hostsSt.Records != 4 || hostsSt.Requests != 4 {
		t.Errorf("hosts stats = %+v; want 2 pages, 4 records, 4 requests (page 3 tried twice)", hostsSt)
	}
	if otherSt.Err != nil || otherSt.Records != 1 || other.Load() != 1 {
		t.Errorf("other stream = %+v", otherSt)
	}
	if got := strings.Join(sink.keys(), ","); got != "hosts/h1,hosts/h2,hosts/h3,hosts/h4,other/o1" {
		t.Errorf("records = %s", got)
	}
	if got := sink.pageSizes(); fmt.Sprint(got) != "[2 2 1]" {
		t.Errorf("pages written = %v, want one write per page", got)
	}
	if !sink.closed {
		t.Error("sink not closed")
	}
}

func TestResultPartial(t *testing.T) {
	if (&Result{Streams: []StreamStats{{Name: "a"}, {Name: "b"}}}).Partial() {
		t.Error("Partial() with no failures")
	}
	if !(&Result{Streams: []StreamStats{{Name: "a"}, {Name: "b", Err: errors.New("x")}}}).Partial() {
		t.Error("not Partial() with a failure")
	}
}

func TestContextCancelStopsTheRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var second atomic.Int32
	srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		if r.URL.Path == "/second" {
			second.Add(1)
			return nil, itemsBody(t, hosts("s1"), nil)
		}
		if r.URL.Query().Get("page") == "2" {
			cancel()
			<-r.Context().Done() // the client goes away
		}
		return nil, itemsBody(t, hosts("h"+r.URL.Query().Get("page")), map[string]any{"total_pages": 10})
	})
	ig := testIntegration(t, srv.URL, pagedHosts(), hostStream("second", "/second", nil))
	opts, _, _ := testOptions()
	sink := &memSink{}
	res, err := Run(ctx, ig, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Streams) != 1 || !errors.Is(res.Streams[0].Err, context.Canceled) {
		t.Fatalf("streams = %+v, want one canceled stream", res.Streams)
	}
	if second.Load() != 0 {
		t.Error("the second stream ran after the cancel")
	}
	if got := strings.Join(sink.keys(), ","); got != "hosts/h1" {
		t.Errorf("records = %s, want page 1 only", got)
	}
	if len(srv.requests()) != 2 {
		t.Errorf("requests = %d, want 2", len(srv.requests()))
	}
	if !sink.closed {
		t.Error("sink not closed after a cancel")
	}
}

func TestRunSelectedStreams(t *testing.T) {
	srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		return nil, itemsBody(t, hosts(strings.TrimPrefix(r.URL.Path, "/")), nil)
	})
	ig := testIntegration(t, srv.URL, hostStream("a", "/a", nil), hostStream("b", "/b", nil), hostStream("c", "/c", nil))
	opts, _, _ := testOptions()
	opts.Streams = []string{"c", "a"}
	sink := &memSink{}
	res, err := Run(context.Background(), ig, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Streams) != 2 || res.Streams[0].Name != "a" || res.Streams[1].Name != "c" {
		t.Errorf("streams = %+v, want a then c (declaration order)", res.Streams)
	}
	if got := strings.Join(srv.requests(), " "); got != "/a /c" {
		t.Errorf("requests = %s", got)
	}
}

func TestMappingFilterAndSelectorFailures(t *testing.T) {
	tests := []struct {
		name     string
		mapper   Mapper
		filter   Predicate
		records  Selector
		keys     string
		skipped  int
		filtered int
		reason   string
		err      string
	}{
		{name: "mapping error skips the record",
			mapper: mapFunc(func(rec any) (any, error) {
				if rec.(map[string]any)["key"] == "h2" {
					return nil, errors.New("jq: .x is not defined")
				}
				return rec, nil
			}),
			keys: "hosts/h1,hosts/h3", skipped: 1, reason: "mapping failed: jq: .x is not defined"},
		{name: "mapping to a non-object skips the record",
			mapper: mapFunc(func(rec any) (any, error) {
				if rec.(map[string]any)["key"] == "h1" {
					return []any{rec}, nil
				}
				return rec, nil
			}),
			keys: "hosts/h2,hosts/h3", skipped: 1, reason: "the mapping must produce an object, got a list"},
		{name: "filter drops records",
			filter: keepFunc(func(m any) bool { return m.(map[string]any)["key"] != "h3" }),
			keys:   "hosts/h1,hosts/h2", filtered: 1},
		{name: "selector error fails the page",
			records: path("missing"), keys: "",
			err: `fetch stream "hosts" page 1: records: cannot iterate over null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, hosts("h1", "h2", "h3"), nil)
			})
			s := hostStream("hosts", "/hosts", nil)
			if tt.mapper != nil {
				s.Map = tt.mapper
			}
			if tt.records != nil {
				s.Records = tt.records
			}
			s.Filter = tt.filter
			ig := testIntegration(t, srv.URL, s)
			opts, _, logs := testOptions()
			st, sink := runOne(t, ig, opts)
			if errString(st.Err) != tt.err {
				t.Fatalf("error = %v, want %q", st.Err, tt.err)
			}
			if got := strings.Join(sink.keys(), ","); got != tt.keys {
				t.Errorf("records = %s, want %s", got, tt.keys)
			}
			if st.Skipped != tt.skipped || st.Filtered != tt.filtered {
				t.Errorf("skipped %d filtered %d; want %d, %d", st.Skipped, st.Filtered, tt.skipped, tt.filtered)
			}
			if tt.reason != "" {
				e := logs.entries(t, "record skipped")
				if len(e) != 1 || e[0]["reason"] != tt.reason {
					t.Errorf("warnings = %v, want reason %q", e, tt.reason)
				}
			}
		})
	}
}

func TestRecordsShapeErrorAtRun(t *testing.T) {
	srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		return nil, []byte(`{"resources":null,"errors":[]}`)
	})
	s := hostStream("hosts", "/hosts", nil)
	s.RecordsPath = []string{"resources"}
	ig := testIntegration(t, srv.URL, s)
	opts, _, _ := testOptions()
	st, _ := runOne(t, ig, opts)
	want := `fetch stream "hosts" page 1: records path .resources is null, not an array; check the records selector (append ? to make missing records an empty page)`
	if errString(st.Err) != want {
		t.Errorf("error = %v\nwant    %s", st.Err, want)
	}
	var se *RecordsShapeError
	if !errors.As(st.Err, &se) || len(srv.requests()) != 1 {
		t.Errorf("not a RecordsShapeError, or retried (%d requests)", len(srv.requests()))
	}
}

func TestEmptyBodyIsAnEmptyPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	for _, streamed := range []bool{false, true} {
		s := hostStream("hosts", "/hosts", &NextURLPagination{URL: path("next")})
		if streamed {
			s.RecordsPath = []string{"items"}
		}
		ig := testIntegration(t, srv.URL, s)
		opts, _, _ := testOptions()
		st, sink := runOne(t, ig, opts)
		if st.Err != nil || st.Records != 0 || st.Pages != 1 || len(sink.pages) != 0 {
			t.Errorf("streamed=%v: %+v, %d pages written", streamed, st, len(sink.pages))
		}
	}
}

func TestSinkWriteErrorStopsTheStream(t *testing.T) {
	srv := pagesOf(t, hosts("h1"), hosts("h2"), hosts("h3"))
	ig := testIntegration(t, srv.URL, pagedHosts())
	opts, _, _ := testOptions()
	sink := &memSink{failOn: 2}
	res, err := Run(context.Background(), ig, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	st := res.Streams[0]
	if errString(st.Err) != `write stream "hosts" page 2: disk full` {
		t.Errorf("error = %v", st.Err)
	}
	if len(srv.requests()) != 2 {
		t.Errorf("requests = %d, want 2: nothing is fetched after a failed write", len(srv.requests()))
	}
}

// failingClose is a sink whose Close fails.
type failingClose struct{ memSink }

func (*failingClose) Close() error { return errors.New("fsync failed") }

func TestRunReportsSinkCloseError(t *testing.T) {
	srv := pagesOf(t, hosts("h1"))
	ig := testIntegration(t, srv.URL, pagedHosts())
	opts, _, _ := testOptions()
	res, err := Run(context.Background(), ig, &failingClose{}, opts)
	if errString(err) != "closing the output: fsync failed" || res == nil || len(res.Streams) != 1 {
		t.Errorf("Run = %v, %v", res, err)
	}
}

func TestJSONLSink(t *testing.T) {
	srv := pagesOf(t, []any{host("h1", "name", "<web> & co", "ips", []any{"10.0.0.1"})}, hosts("h2"))
	ig := testIntegration(t, srv.URL, pagedHosts())
	opts, _, _ := testOptions()
	var out bytes.Buffer
	res, err := Run(context.Background(), ig, NewJSONLSink(&out), opts)
	if err != nil || res.Partial() {
		t.Fatalf("Run: %v, %+v", err, res)
	}
	want := `{"kind":"asset","integration":"acme","stream":"hosts","data":{"key":"h1","class":"host","name":"<web> & co","ips":["10.0.0.1"],"source":{"integration":"acme","stream":"hosts"}}}
{"kind":"asset","integration":"acme","stream":"hosts","data":{"key":"h2","class":"host","name":"host h2","source":{"integration":"acme","stream":"hosts"}}}
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	for i, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("line %d is not JSON: %s", i+1, line)
		}
	}
}

func TestStreamStatsCountRequestsAndRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			writeJSON(w, 503, []byte(`{}`))
			return
		}
		p := atoi(r.URL.Query().Get("page"))
		writeJSON(w, 200, itemsBody(t, hosts(fmt.Sprint("h", p)), map[string]any{"total_pages": 3}))
	}))
	defer srv.Close()
	ig := testIntegration(t, srv.URL, pagedHosts())
	opts, _, logs := testOptions()
	st, _ := runOne(t, ig, opts)
	if st.Err != nil || st.Pages != 3 || st.Requests != 4 || st.Retries != 1 || st.Records != 3 || st.Duration <= 0 {
		t.Errorf("stats = %+v", st)
	}
	if got := len(logs.entries(t, "page fetched")); got != 3 {
		t.Errorf("page fetched logged %d times, want 3", got)
	}
}
