package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// TestNextURLSentVerbatim: a vendor's next link goes out exactly as written: its
// parameters keep their order and escaping (signed URLs and odd cursors depend on it).
// The Link relation type matches case-insensitively.
func TestNextURLSentVerbatim(t *testing.T) {
	const next = "/items?z=1&cursor=a%2Fb%3D%3D&a=2"
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		first := len(queries) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Link", `<`+next+`>; rel="next"`)
			w.Write([]byte(`[{"id":"a"}]`))
			return
		}
		w.Write([]byte(`[{"id":"b"}]`))
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	ig := &Integration{Name: "x", HTTP: HTTP{BaseURL: base, Retry: RetryPolicy{Attempts: 1}},
		Streams: []*Stream{{Name: "s", Kind: KindAsset, Request: Request{Path: "/items", Query: map[string]string{"per_page": "1"}},
			Paginator: &LinkHeaderPagination{Rel: "Next"}, RecordsPath: []string{}, Map: echoMapper{}}}}
	res, err := Run(context.Background(), ig, NewJSONLSink(&discard{}), Options{})
	if err != nil || res.Partial() {
		t.Fatalf("%v %+v", err, res.Streams)
	}
	if len(queries) != 2 || queries[1] != "z=1&cursor=a%2Fb%3D%3D&a=2" {
		t.Errorf("queries sent: %q", queries)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
