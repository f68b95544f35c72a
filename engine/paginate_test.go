package engine

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// pageFunc answers one request of a paginated fake API.
type pageFunc func(t *testing.T, r *http.Request, body []byte, base string) (header http.Header, resp []byte)

// pagedServer serves fn and records every request's URL (path?query) and body.
type pagedServer struct {
	*httptest.Server
	mu     sync.Mutex
	urls   []string
	bodies []string
}

func newPagedServer(t *testing.T, fn pageFunc) *pagedServer {
	t.Helper()
	ps := &pagedServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ps.mu.Lock()
		ps.urls = append(ps.urls, r.URL.RequestURI())
		ps.bodies = append(ps.bodies, string(body))
		ps.mu.Unlock()
		h, resp := fn(t, r, body, ps.URL)
		for k, vs := range h {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		writeJSON(w, 200, resp)
	}))
	t.Cleanup(ps.Close)
	return ps
}

func (ps *pagedServer) requests() []string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]string(nil), ps.urls...)
}

// keysFrom names n hosts starting at from: h<from>, h<from+1>, ...
func keysFrom(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint("h", from+i)
	}
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// slice returns the hosts [from, from+size) of total, clipped.
func slice(total, from, size int) []any {
	if from >= total || size <= 0 {
		return []any{}
	}
	return hosts(keysFrom(from, min(size, total-from))...)
}

type pageCase struct {
	name      string
	paginator Paginator
	request   Request
	serve     pageFunc
	wantURLs  []string
	wantKeys  int
	wantErr   string
	wantBody  []string // request bodies, when set
}

func runPageCases(t *testing.T, tests []pageCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPagedServer(t, tt.serve)
			s := hostStream("hosts", "/hosts", tt.paginator)
			if tt.request.Path != "" || tt.request.Method != "" {
				s.Request = tt.request
			}
			ig := testIntegration(t, srv.URL, s)
			opts, _, _ := testOptions()
			st, sink := runOne(t, ig, opts)
			if errString(st.Err) != tt.wantErr {
				t.Fatalf("error = %v, want %q", st.Err, tt.wantErr)
			}
			if got := srv.requests(); strings.Join(got, " ") != strings.Join(tt.wantURLs, " ") {
				t.Errorf("requests:\n got %q\nwant %q", got, tt.wantURLs)
			}
			if tt.wantBody != nil {
				if got := srv.bodies; strings.Join(got, " ") != strings.Join(tt.wantBody, " ") {
					t.Errorf("request bodies:\n got %q\nwant %q", got, tt.wantBody)
				}
			}
			want := make([]string, tt.wantKeys)
			for i, k := range keysFrom(0, tt.wantKeys) {
				want[i] = "hosts/" + k
			}
			if got := sink.keys(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("records = %v, want %v", got, want)
			}
			if st.Pages != len(tt.wantURLs) || st.Records != tt.wantKeys {
				t.Errorf("stats pages = %d, records = %d; want %d, %d", st.Pages, st.Records, len(tt.wantURLs), tt.wantKeys)
			}
		})
	}
}

func offsetServer(total int, withTotal bool, size int) pageFunc {
	return func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		q := r.URL.Query()
		n := size
		if l := q.Get("limit"); l != "" {
			n = atoi(l)
		}
		extra := map[string]any{}
		if withTotal {
			extra["total"] = total
		}
		return nil, itemsBody(t, slice(total, atoi(q.Get("offset")), n), extra)
	}
}

func TestOffsetPagination(t *testing.T) {
	runPageCases(t, []pageCase{
		{name: "short page ends", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3},
			serve:    offsetServer(7, false, 0),
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3", "/hosts?limit=3&offset=6"}, wantKeys: 7},
		{name: "exact multiple ends on the empty page", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3},
			serve:    offsetServer(6, false, 0),
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3", "/hosts?limit=3&offset=6"}, wantKeys: 6},
		{name: "total ends without the empty page", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3, Total: path("total")},
			serve:    offsetServer(6, true, 0),
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3"}, wantKeys: 6},
		{name: "no limit sent advances by what came", paginator: &OffsetPagination{OffsetParam: "start"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(5, atoi(r.URL.Query().Get("start")), 2), nil)
			},
			wantURLs: []string{"/hosts?start=0", "/hosts?start=2", "/hosts?start=4", "/hosts?start=5"}, wantKeys: 5},
		{name: "server page smaller than the limit ends early", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 10},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(25, atoi(r.URL.Query().Get("offset")), 5), nil) // caps at 5
			},
			wantURLs: []string{"/hosts?limit=10&offset=0"}, wantKeys: 5},
		// With a total, a capped page is not the last one: before, this stopped after
		// the first 5 of 12 and said the run was complete.
		{name: "server page smaller than the limit goes on to the total", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 10, Total: path("total")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(12, atoi(r.URL.Query().Get("offset")), 5), map[string]any{"total": 12})
			},
			wantURLs: []string{"/hosts?limit=10&offset=0", "/hosts?limit=10&offset=5", "/hosts?limit=10&offset=10"}, wantKeys: 12},
		{name: "total larger than what is there ends on the empty page", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3, Total: path("total")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(4, atoi(r.URL.Query().Get("offset")), 3), map[string]any{"total": 9})
			},
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3", "/hosts?limit=3&offset=4"}, wantKeys: 4},
		// -1 is many vendors' "unknown": before, it ended the walk after the first page and
		// the run said complete (and an inventory marked the rest gone).
		{name: "total -1 is not believed; capped pages go on to the empty page", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 10, Total: path("total")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(12, atoi(r.URL.Query().Get("offset")), 5), map[string]any{"total": -1})
			},
			wantURLs: []string{"/hosts?limit=10&offset=0", "/hosts?limit=10&offset=5", "/hosts?limit=10&offset=10", "/hosts?limit=10&offset=12"}, wantKeys: 12},
		{name: "total as a whole float", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3, Total: path("total")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(6, atoi(r.URL.Query().Get("offset")), 3), map[string]any{"total": 6.0})
			},
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3"}, wantKeys: 6},
		// A total that overstates, and a server that answers past its end with its last
		// page: the same records for another request end the stream with an error, not a
		// walk to max_pages.
		{name: "a repeated last page past an overstated total", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3, Total: path("total")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(5, min(atoi(r.URL.Query().Get("offset")), 3), 3), map[string]any{"total": 1000000})
			},
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3", "/hosts?limit=3&offset=5"}, wantKeys: 5,
			wantErr: `stream "hosts" page 3: the page is the same as page 2 although the request differs, so pagination makes no progress; ` +
				`check the paginate block (its token or url expression, or a total that overstates)`},
		{name: "total declared but missing from the body falls back to the short page", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 3, Total: path("total")},
			serve:    offsetServer(5, false, 0),
			wantURLs: []string{"/hosts?limit=3&offset=0", "/hosts?limit=3&offset=3"}, wantKeys: 5},
		{name: "total that is not a number", paginator: &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 2, Total: path("total")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(5, 0, 2), map[string]any{"total": "many"})
			},
			wantURLs: []string{"/hosts?limit=2&offset=0"}, wantKeys: 2,
			wantErr: `stream "hosts" page 1: paginate "offset": total: expected a whole number, got "many"`},
	})
}

func TestPageNumberPagination(t *testing.T) {
	pageServer := func(total, size int, base int, pagesField string) pageFunc {
		return func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
			p := atoi(r.URL.Query().Get("page")) - base
			extra := map[string]any{}
			if pagesField != "" {
				extra[pagesField] = (total + size - 1) / size
			}
			return nil, itemsBody(t, slice(total, p*size, size), extra)
		}
	}
	runPageCases(t, []pageCase{
		{name: "1-based with totalPages", paginator: &PageNumberPagination{Param: "page", Start: 1, TotalPages: path("totalPages")},
			serve:    pageServer(6, 2, 1, "totalPages"),
			wantURLs: []string{"/hosts?page=1", "/hosts?page=2", "/hosts?page=3"}, wantKeys: 6},
		{name: "0-based with totalPages", paginator: &PageNumberPagination{Param: "page", Start: 0, SizeParam: "size", Size: 2, TotalPages: path("totalPages")},
			serve:    pageServer(6, 2, 0, "totalPages"),
			wantURLs: []string{"/hosts?page=0&size=2", "/hosts?page=1&size=2", "/hosts?page=2&size=2"}, wantKeys: 6},
		// A count below the pages that had records is no page count (-1 for unknown, 0):
		// before, it ended the walk after page 1 whatever was left.
		{name: "totalPages 0 with records is not believed", paginator: &PageNumberPagination{Param: "page", Start: 1, SizeParam: "size", Size: 10, TotalPages: path("totalPages")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(5, (atoi(r.URL.Query().Get("page"))-1)*2, 2), map[string]any{"totalPages": 0})
			},
			wantURLs: []string{"/hosts?page=1&size=10", "/hosts?page=2&size=10", "/hosts?page=3&size=10", "/hosts?page=4&size=10"}, wantKeys: 5},
		{name: "totalPages -1 with records is not believed", paginator: &PageNumberPagination{Param: "page", Start: 1, TotalPages: path("totalPages")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(3, (atoi(r.URL.Query().Get("page"))-1)*2, 2), map[string]any{"totalPages": -1})
			},
			wantURLs: []string{"/hosts?page=1", "/hosts?page=2", "/hosts?page=3"}, wantKeys: 3},
		{name: "totalPages 1, 0-based", paginator: &PageNumberPagination{Param: "page", Start: 0, TotalPages: path("page.totalPages")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(2, 0, 2), map[string]any{"page": map[string]any{"totalPages": 1}})
			},
			wantURLs: []string{"/hosts?page=0"}, wantKeys: 2},
		{name: "short page ends", paginator: &PageNumberPagination{Param: "p", Start: 1, SizeParam: "per_page", Size: 2},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(5, (atoi(r.URL.Query().Get("p"))-1)*2, 2), nil)
			},
			wantURLs: []string{"/hosts?p=1&per_page=2", "/hosts?p=2&per_page=2", "/hosts?p=3&per_page=2"}, wantKeys: 5},
		{name: "server page smaller than the size goes on to totalPages", paginator: &PageNumberPagination{Param: "page", Start: 1, SizeParam: "size", Size: 10, TotalPages: path("totalPages")},
			serve:    pageServer(7, 3, 1, "totalPages"), // the server caps pages at 3
			wantURLs: []string{"/hosts?page=1&size=10", "/hosts?page=2&size=10", "/hosts?page=3&size=10"}, wantKeys: 7},
		{name: "no size and no total ends on the empty page", paginator: &PageNumberPagination{Param: "page", Start: 1},
			serve:    pageServer(4, 2, 1, ""),
			wantURLs: []string{"/hosts?page=1", "/hosts?page=2", "/hosts?page=3"}, wantKeys: 4},
	})
}

func TestCursorPagination(t *testing.T) {
	// cursorServer serves total hosts two at a time; the cursor is the next offset.
	cursorServer := func(total int, hasMore bool) pageFunc {
		return func(t *testing.T, r *http.Request, body []byte, _ string) (http.Header, []byte) {
			from := atoi(strings.TrimPrefix(r.URL.Query().Get("cursor"), "c"))
			next := ""
			if from+2 < total {
				next = fmt.Sprint("c", from+2)
			}
			extra := map[string]any{"meta": map[string]any{"next_cursor": next}}
			if hasMore {
				extra["has_more"] = next != ""
				extra["meta"] = map[string]any{"next_cursor": "always-set"}
				if next != "" {
					extra["meta"] = map[string]any{"next_cursor": next}
				}
			}
			return nil, itemsBody(t, slice(total, from, 2), extra)
		}
	}
	runPageCases(t, []pageCase{
		{name: "empty token ends", paginator: &CursorPagination{Token: path("meta.next_cursor"), Param: "cursor"},
			serve:    cursorServer(5, false),
			wantURLs: []string{"/hosts", "/hosts?cursor=c2", "/hosts?cursor=c4"}, wantKeys: 5},
		{name: "has_more false ends although a token is set", paginator: &CursorPagination{Token: path("meta.next_cursor"), Param: "cursor", HasMore: path("has_more")},
			serve:    cursorServer(4, true),
			wantURLs: []string{"/hosts", "/hosts?cursor=c2"}, wantKeys: 4},
		{name: "empty page ends without has_more", paginator: &CursorPagination{Token: path("next"), Param: "cursor"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				if r.URL.Query().Get("cursor") == "" {
					return nil, itemsBody(t, slice(2, 0, 2), map[string]any{"next": "more"})
				}
				return nil, itemsBody(t, nil, map[string]any{"next": "still-more"})
			},
			wantURLs: []string{"/hosts", "/hosts?cursor=more"}, wantKeys: 2},
		{name: "has_more true goes on past an empty page", paginator: &CursorPagination{Token: path("next"), Param: "cursor", HasMore: path("has_more")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				switch r.URL.Query().Get("cursor") {
				case "":
					return nil, itemsBody(t, nil, map[string]any{"next": "a", "has_more": true})
				case "a":
					return nil, itemsBody(t, slice(1, 0, 1), map[string]any{"next": "b", "has_more": "false"})
				}
				t.Errorf("unexpected request %s", r.URL)
				return nil, nil
			},
			wantURLs: []string{"/hosts", "/hosts?cursor=a"}, wantKeys: 1},
		{name: "numeric token", paginator: &CursorPagination{Token: path("next"), Param: "after"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				if r.URL.Query().Get("after") == "" {
					return nil, []byte(`{"items":[{"key":"h0","class":"host"}],"next":12345678901234567890}`)
				}
				return nil, itemsBody(t, slice(2, 1, 1), map[string]any{"next": nil})
			},
			wantURLs: []string{"/hosts", "/hosts?after=12345678901234567890"}, wantKeys: 2},
		{name: "token header", paginator: &CursorPagination{TokenHeader: "X-Next-Cursor", Param: "cursor"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				from := atoi(r.URL.Query().Get("cursor"))
				h := http.Header{}
				if from+2 < 5 {
					h.Set("X-Next-Cursor", fmt.Sprint(from+2))
				}
				return h, itemsBody(t, slice(5, from, 2), nil)
			},
			wantURLs: []string{"/hosts", "/hosts?cursor=2", "/hosts?cursor=4"}, wantKeys: 5},
		{name: "body field in a JSON POST", paginator: &CursorPagination{Token: path("meta.pagination.after"), BodyField: "after"},
			request: Request{Method: "POST", Path: "/hosts/search", Idempotent: true, JSON: map[string]any{"limit": 2, "filter": "platform:'Linux'"}},
			serve: func(t *testing.T, r *http.Request, body []byte, _ string) (http.Header, []byte) {
				var req struct {
					After string `json:"after"`
					Limit int    `json:"limit"`
				}
				if err := json.Unmarshal(body, &req); err != nil || r.Method != "POST" || req.Limit != 2 {
					t.Errorf("request %s %q: %v", r.Method, body, err)
				}
				from := atoi(req.After)
				next := ""
				if from+2 < 5 {
					next = fmt.Sprint(from + 2)
				}
				return nil, itemsBody(t, slice(5, from, 2), map[string]any{"meta": map[string]any{"pagination": map[string]any{"after": next}}})
			},
			wantURLs: []string{"/hosts/search", "/hosts/search", "/hosts/search"}, wantKeys: 5,
			wantBody: []string{`{"filter":"platform:'Linux'","limit":2}`, `{"after":"2","filter":"platform:'Linux'","limit":2}`, `{"after":"4","filter":"platform:'Linux'","limit":2}`}},
		{name: "has_more that is not a boolean", paginator: &CursorPagination{Token: path("next"), Param: "cursor", HasMore: path("has_more")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(1, 0, 1), map[string]any{"has_more": 1})
			},
			wantURLs: []string{"/hosts"}, wantKeys: 1,
			wantErr: `stream "hosts" page 1: paginate "cursor": has_more: expected true or false, got a number`},
		{name: "token that is an object", paginator: &CursorPagination{Token: path("next"), Param: "cursor"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(1, 0, 1), map[string]any{"next": map[string]any{"a": 1}})
			},
			wantURLs: []string{"/hosts"}, wantKeys: 1,
			wantErr: `stream "hosts" page 1: paginate "cursor": token: expected a string or number, got an object`},
	})
}

func TestNextURLPagination(t *testing.T) {
	// nextServer serves 6 hosts two per page; next(base, page) is the link to page+1.
	nextServer := func(next func(base string, page int) any) pageFunc {
		return func(t *testing.T, r *http.Request, _ []byte, base string) (http.Header, []byte) {
			p := max(atoi(r.URL.Query().Get("page")), 1)
			extra := map[string]any{}
			if p < 3 {
				extra["next"] = next(base, p+1)
			}
			return nil, itemsBody(t, slice(6, (p-1)*2, 2), extra)
		}
	}
	runPageCases(t, []pageCase{
		{name: "absolute", paginator: &NextURLPagination{URL: path("next")},
			request:  Request{Path: "/hosts", Query: map[string]string{"q": "x"}},
			serve:    nextServer(func(base string, p int) any { return fmt.Sprintf("%s/hosts?page=%d&q=x", base, p) }),
			wantURLs: []string{"/hosts?q=x", "/hosts?page=2&q=x", "/hosts?page=3&q=x"}, wantKeys: 6},
		{name: "relative path", paginator: &NextURLPagination{URL: path("next")},
			serve:    nextServer(func(_ string, p int) any { return fmt.Sprintf("/hosts?page=%d", p) }),
			wantURLs: []string{"/hosts", "/hosts?page=2", "/hosts?page=3"}, wantKeys: 6},
		{name: "relative query only", paginator: &NextURLPagination{URL: path("next")},
			serve:    nextServer(func(_ string, p int) any { return fmt.Sprintf("?page=%d", p) }),
			wantURLs: []string{"/hosts", "/hosts?page=2", "/hosts?page=3"}, wantKeys: 6},
		{name: "the stream query is not added to a next URL", paginator: &NextURLPagination{URL: path("next")},
			request:  Request{Path: "/hosts", Query: map[string]string{"q": "x"}},
			serve:    nextServer(func(_ string, p int) any { return fmt.Sprintf("/hosts?page=%d", p) }),
			wantURLs: []string{"/hosts?q=x", "/hosts?page=2", "/hosts?page=3"}, wantKeys: 6},
		{name: "empty page ends although next is set", paginator: &NextURLPagination{URL: path("next")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				if r.URL.Query().Get("page") == "" {
					return nil, itemsBody(t, slice(2, 0, 2), map[string]any{"next": "/hosts?page=2"})
				}
				return nil, itemsBody(t, nil, map[string]any{"next": "/hosts?page=3"})
			},
			wantURLs: []string{"/hosts", "/hosts?page=2"}, wantKeys: 2},
		{name: "null next ends", paginator: &NextURLPagination{URL: path("next")},
			serve:    nextServer(func(string, int) any { return nil }),
			wantURLs: []string{"/hosts"}, wantKeys: 2},
		{name: "empty next ends", paginator: &NextURLPagination{URL: path("next")},
			serve:    nextServer(func(string, int) any { return "" }),
			wantURLs: []string{"/hosts"}, wantKeys: 2},
		{name: "unparsable next", paginator: &NextURLPagination{URL: path("next")},
			serve:    nextServer(func(string, int) any { return "http://[::1" }),
			wantURLs: []string{"/hosts"}, wantKeys: 2,
			wantErr: `stream "hosts" page 1: paginate "next_url": next URL "http://[::1": parse "http://[::1": missing ']' in host`},
	})
}

func TestLinkHeaderPagination(t *testing.T) {
	// linkServer serves 8 hosts two per page, with the Link lines links(base, page).
	linkServer := func(links func(base string, page int) []string) pageFunc {
		return func(t *testing.T, r *http.Request, _ []byte, base string) (http.Header, []byte) {
			p := max(atoi(r.URL.Query().Get("page")), 1)
			return http.Header{"Link": links(base, p)}, itemsBody(t, slice(8, (p-1)*2, 2), nil)
		}
	}
	four := []string{"/hosts", "/hosts?page=2", "/hosts?page=3", "/hosts?page=4"}
	runPageCases(t, []pageCase{
		{name: "one header line, next first", paginator: &LinkHeaderPagination{},
			serve: linkServer(func(b string, p int) []string {
				if p == 4 {
					return []string{fmt.Sprintf(`<%s/hosts?page=1>; rel="first"`, b)}
				}
				return []string{fmt.Sprintf(`<%s/hosts?page=%d>; rel="next", <%s/hosts?page=4>; rel="last"`, b, p+1, b)}
			}),
			wantURLs: four, wantKeys: 8},
		{name: "several header lines, rels in any order", paginator: &LinkHeaderPagination{},
			serve: linkServer(func(b string, p int) []string {
				if p == 4 {
					return []string{fmt.Sprintf(`<%s/hosts?page=3>; rel="prev"`, b), fmt.Sprintf(`<%s/hosts?page=1>; rel="first"`, b)}
				}
				return []string{
					fmt.Sprintf(`<%s/hosts?page=4>; rel="last", <%s/hosts?page=1>; rel="first"`, b, b),
					fmt.Sprintf(`<%s/hosts?page=%d>; rel="next"`, b, p+1),
				}
			}),
			wantURLs: four, wantKeys: 8},
		{name: "unquoted rel and relative link", paginator: &LinkHeaderPagination{},
			serve: linkServer(func(_ string, p int) []string {
				if p == 4 {
					return nil
				}
				return []string{fmt.Sprintf(`</hosts?page=%d>;rel=next`, p+1)}
			}),
			wantURLs: four, wantKeys: 8},
		{name: "several relation types in one rel", paginator: &LinkHeaderPagination{},
			serve: linkServer(func(b string, p int) []string {
				switch p {
				case 3:
					return []string{fmt.Sprintf(`<%s/hosts?page=4>; rel="next last"`, b)}
				case 4:
					return []string{fmt.Sprintf(`<%s/hosts?page=3>; rel="prev"`, b)}
				}
				return []string{fmt.Sprintf(`<%s/hosts?page=%d>; rel="next"`, b, p+1)}
			}),
			wantURLs: four, wantKeys: 8},
		{name: "custom rel", paginator: &LinkHeaderPagination{Rel: "forward"},
			serve: linkServer(func(b string, p int) []string {
				if p == 2 {
					return []string{fmt.Sprintf(`<%s/hosts?page=1>; rel="next"`, b)}
				}
				return []string{fmt.Sprintf(`<%s/hosts?page=%d>; rel="forward"`, b, p+1)}
			}),
			wantURLs: []string{"/hosts", "/hosts?page=2"}, wantKeys: 4},
		{name: "no header ends", paginator: &LinkHeaderPagination{},
			serve:    linkServer(func(string, int) []string { return nil }),
			wantURLs: []string{"/hosts"}, wantKeys: 2},
	})
}

func TestNoPaginationMakesOneRequest(t *testing.T) {
	runPageCases(t, []pageCase{
		{name: "one request", paginator: NoPagination{},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(3, 0, 3), map[string]any{"next": "/hosts?page=2"})
			},
			wantURLs: []string{"/hosts"}, wantKeys: 3},
	})
}

func TestNoProgress(t *testing.T) {
	// A page the same as an earlier one ends the stream at once, whatever the request.
	const noProgress = `stream "hosts" page 2: the page is the same as page 1 although the request differs, ` +
		`so pagination makes no progress; check the paginate block (its token or url expression, or a total that overstates)`
	scrollPage := &counter{} // the scroll continuations of the crowdstrike case
	runPageCases(t, []pageCase{
		{name: "same next URL and body forever", paginator: &NextURLPagination{URL: path("next")},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(2, 0, 2), map[string]any{"next": "/hosts?page=2"})
			},
			wantURLs: []string{"/hosts", "/hosts?page=2"}, wantKeys: 2, wantErr: noProgress},
		{name: "same cursor and body forever", paginator: &CursorPagination{Token: path("next"), Param: "cursor"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return nil, itemsBody(t, slice(2, 0, 2), map[string]any{"next": "stuck"})
			},
			wantURLs: []string{"/hosts", "/hosts?cursor=stuck"}, wantKeys: 2, wantErr: noProgress},
		{name: "same Link and body forever", paginator: &LinkHeaderPagination{},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				return http.Header{"Link": {`</hosts?page=2>; rel="next"`}}, itemsBody(t, slice(2, 0, 2), nil)
			},
			wantURLs: []string{"/hosts", "/hosts?page=2"}, wantKeys: 2, wantErr: noProgress},
		{name: "crowdstrike scroll: same token, new records, ends on an empty page",
			paginator: &CursorPagination{Token: path("meta.pagination.after"), Param: "after"},
			serve: func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
				scroll := map[string]any{"pagination": map[string]any{"after": "scroll-abc", "expires_at": 1700000000}}
				n := 0
				if r.URL.Query().Get("after") == "scroll-abc" {
					n = scrollPage.next()
				}
				return nil, itemsBody(t, slice(6, n*2, 2), map[string]any{"meta": scroll})
			},
			wantURLs: []string{"/hosts", "/hosts?after=scroll-abc", "/hosts?after=scroll-abc", "/hosts?after=scroll-abc"}, wantKeys: 6},
	})
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) next() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}

func TestMaxPages(t *testing.T) {
	tests := []struct {
		name      string
		total     int
		maxPages  int
		requests  int
		truncated bool
	}{
		{"cap reached with more to fetch", 100, 3, 3, true},
		{"cap equal to the pages there are", 4, 2, 2, false},
		{"no cap", 6, 0, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPagedServer(t, offsetServer(tt.total, true, 0))
			s := hostStream("hosts", "/hosts", &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 2, Total: path("total")})
			s.MaxPages = tt.maxPages
			ig := testIntegration(t, srv.URL, s)
			opts, _, logs := testOptions()
			st, sink := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatal(st.Err)
			}
			if len(srv.requests()) != tt.requests || st.Pages != tt.requests || st.Truncated != tt.truncated {
				t.Errorf("requests = %d, pages = %d, truncated = %v; want %d, %d, %v",
					len(srv.requests()), st.Pages, st.Truncated, tt.requests, tt.requests, tt.truncated)
			}
			if len(sink.keys()) != 2*tt.requests {
				t.Errorf("records = %d, want %d", len(sink.keys()), 2*tt.requests)
			}
			warned := len(logs.entries(t, "stream stopped at its page cap; raise paginate max_pages to fetch more")) == 1
			if warned != tt.truncated {
				t.Errorf("cap warning logged = %v, want %v", warned, tt.truncated)
			}
		})
	}
}

// TestPaginatorsAreStateless: one Paginator value serves two runs alike.
func TestPaginatorsAreStateless(t *testing.T) {
	srv := newPagedServer(t, offsetServer(5, false, 0))
	p := &OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 2}
	for run := 1; run <= 2; run++ {
		ig := testIntegration(t, srv.URL, hostStream("hosts", "/hosts", p))
		opts, _, _ := testOptions()
		st, sink := runOne(t, ig, opts)
		if st.Err != nil || len(sink.keys()) != 5 || st.Pages != 3 {
			t.Errorf("run %d: err = %v, records = %d, pages = %d", run, st.Err, len(sink.keys()), st.Pages)
		}
	}
}

func TestPaginatorFirstAndDescribe(t *testing.T) {
	tests := []struct {
		p     Paginator
		first PageRequest
		rules []string
	}{
		{NoPagination{}, PageRequest{}, []string{"one request, no pagination"}},
		{&OffsetPagination{OffsetParam: "offset", LimitParam: "limit", Limit: 100, Total: path("total")},
			PageRequest{Query: map[string]string{"offset": "0", "limit": "100"}},
			[]string{"query offset=0, then advance by the records received", "query limit=100 on every page",
				"stops on an empty page, or when the offset reaches the total .total reads (without one, on a page of fewer than 100 records)"}},
		{&PageNumberPagination{Param: "page", Start: 1},
			PageRequest{Query: map[string]string{"page": "1"}},
			[]string{"query page=1, then the next page number", "stops on an empty page"}},
		{&CursorPagination{TokenHeader: "X-Cursor", BodyField: "after", HasMore: path("more")}, PageRequest{},
			[]string{"first page without a cursor", "token from header X-Cursor, sent as JSON body field after", "stops on an empty token or when has_more (.more) is false"}},
		{&NextURLPagination{URL: path("next")}, PageRequest{},
			[]string{"follows the URL .next reads from the body (absolute or relative)", "stops when it is missing or empty, or on an empty page"}},
		{&LinkHeaderPagination{}, PageRequest{}, []string{`follows the Link header's rel="next" URL`, "stops when there is none"}},
	}
	for _, tt := range tests {
		t.Run(tt.p.Kind(), func(t *testing.T) {
			if got := tt.p.First(); got.fingerprint() != tt.first.fingerprint() {
				t.Errorf("First = %+v, want %+v", got, tt.first)
			}
			if got := tt.p.Describe(); strings.Join(got, "|") != strings.Join(tt.rules, "|") {
				t.Errorf("Describe =\n%q\nwant\n%q", got, tt.rules)
			}
		})
	}
}

// TestStreamedTopLevelArrayEnvelope: with records streamed from a top-level array
// there is no envelope, and the paginator's extractors see null, not an internal value.
func TestStreamedTopLevelArrayEnvelope(t *testing.T) {
	srv := newPagedServer(t, func(t *testing.T, r *http.Request, _ []byte, _ string) (http.Header, []byte) {
		b, _ := json.Marshal(slice(2, 0, 2))
		return nil, b
	})
	s := hostStream("hosts", "/hosts", &CursorPagination{Token: path("next"), Param: "cursor", HasMore: path("has_more")})
	s.RecordsPath = []string{}
	ig := testIntegration(t, srv.URL, s)
	opts, _, _ := testOptions()
	st, sink := runOne(t, ig, opts)
	if st.Err != nil {
		t.Fatalf("stream failed: %v", st.Err)
	}
	if len(sink.keys()) != 2 || len(srv.requests()) != 1 {
		t.Errorf("records = %v, requests = %d", sink.keys(), len(srv.requests()))
	}
}

func TestFollowURLKeepsBodyFieldsAndHeaders(t *testing.T) {
	base, _ := url.Parse("https://api.example.com/v1/hosts?page=1")
	cur := PageRequest{Query: map[string]string{"page": "1"}, BodyFields: map[string]any{"a": 1}, Header: map[string]string{"X": "y"}}
	got, more, err := followURL(base, "../v2/hosts?page=2", cur)
	if err != nil || !more {
		t.Fatalf("followURL = %v, %v", more, err)
	}
	if got.URL != "https://api.example.com/v2/hosts?page=2" || got.Query != nil || got.BodyFields["a"] != 1 || got.Header["X"] != "y" {
		t.Errorf("followURL = %+v", got)
	}
}
