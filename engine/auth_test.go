package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// requestLog keeps what a server saw of every request.
type requestLog struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (l *requestLog) add(r *http.Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r.Clone(context.Background()))
	l.mu.Unlock()
}

func (l *requestLog) all() []*http.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*http.Request(nil), l.reqs...)
}

func (l *requestLog) len() int { return len(l.all()) }

func TestStaticAuth(t *testing.T) {
	tests := []struct {
		name      string
		auth      Authenticator
		header    map[string]string
		query     map[string]string
		describes []string
	}{
		{"api key header with prefix", &APIKeyAuth{Headers: []KeyValue{{Name: "Authorization", Prefix: "SSWS ", Value: "00okta-key"}}},
			map[string]string{"Authorization": "SSWS 00okta-key"}, nil,
			[]string{"header Authorization: SSWS (sensitive)"}},
		{"api key multiple headers", &APIKeyAuth{Headers: []KeyValue{
			{Name: "X-Api-Key", Value: "key-123"}, {Name: "X-Api-Secret", Value: "secret-456"}}},
			map[string]string{"X-Api-Key": "key-123", "X-Api-Secret": "secret-456", "Authorization": ""}, nil,
			[]string{"header X-Api-Key: (sensitive)", "header X-Api-Secret: (sensitive)"}},
		{"api key query parameter", &APIKeyAuth{Query: []KeyValue{{Name: "api_key", Value: "k&y=1"}}},
			map[string]string{"Authorization": ""}, map[string]string{"api_key": "k&y=1", "q": "state:open"},
			[]string{"query parameter api_key=(sensitive)"}},
		{"api key query parameter with prefix", &APIKeyAuth{Query: []KeyValue{{Name: "token", Prefix: "tk_", Value: "abcd"}}},
			nil, map[string]string{"token": "tk_abcd", "q": "state:open"},
			[]string{"query parameter token=tk_(sensitive)"}},
		{"basic", &BasicAuth{Username: "svc", Password: "p@ss:word"},
			map[string]string{"Authorization": "Basic c3ZjOnBAc3M6d29yZA=="}, nil,
			[]string{"header Authorization: Basic base64(svc:(sensitive))"}},
		{"bearer", &BearerAuth{Token: "ghp_abc"},
			map[string]string{"Authorization": "Bearer ghp_abc"}, nil,
			[]string{"header Authorization: Bearer (sensitive)"}},
		{"bearer with scheme", &BearerAuth{Token: "ghp_abc", Scheme: "token"},
			map[string]string{"Authorization": "token ghp_abc"}, nil,
			[]string{"header Authorization: token (sensitive)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &requestLog{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log.add(r)
				writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
			}))
			defer srv.Close()
			s := hostStream("hosts", "/hosts", nil)
			s.Request.Query = map[string]string{"q": "state:open"}
			ig := testIntegration(t, srv.URL, s)
			ig.Auth = tt.auth
			opts, _, _ := testOptions()
			st, _ := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatal(st.Err)
			}
			reqs := log.all()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests", len(reqs))
			}
			for k, want := range tt.header {
				if got := reqs[0].Header.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			for k, want := range tt.query {
				if got := reqs[0].URL.Query().Get(k); got != want {
					t.Errorf("query %s = %q, want %q", k, got, want)
				}
			}
			if got := tt.auth.Describe(); strings.Join(got, "|") != strings.Join(tt.describes, "|") {
				t.Errorf("Describe = %q, want %q", got, tt.describes)
			}
		})
	}
}

// credentialsIn reports which credentials of the static auth kinds a request carries.
func credentialsIn(r *http.Request) string {
	var found []string
	for _, h := range []string{"Authorization", "X-Api-Key"} {
		if r.Header.Get(h) != "" {
			found = append(found, h)
		}
	}
	if r.URL.Query().Get("api_key") != "" {
		found = append(found, "api_key")
	}
	return strings.Join(found, ",")
}

func TestCredentialsNotSentToAnotherHost(t *testing.T) {
	auths := map[string]func(t *testing.T) Authenticator{
		"api key header": func(*testing.T) Authenticator {
			return &APIKeyAuth{Headers: []KeyValue{{Name: "X-Api-Key", Value: "key-123"}}}
		},
		"api key query": func(*testing.T) Authenticator {
			return &APIKeyAuth{Query: []KeyValue{{Name: "api_key", Value: "key-123"}}}
		},
		"basic":  func(*testing.T) Authenticator { return &BasicAuth{Username: "u", Password: "pass-123"} },
		"bearer": func(*testing.T) Authenticator { return &BearerAuth{Token: "tok-123"} },
		"oauth2": func(t *testing.T) Authenticator {
			return &OAuth2ClientCredentials{TokenURL: newTokenServer(t).URL, ClientID: "id", ClientSecret: "secret"}
		},
	}
	ways := []struct {
		name      string
		paginator Paginator
		// page1 answers the first request, pointing at other.
		page1   func(t *testing.T, w http.ResponseWriter, other string)
		wantErr string
	}{
		{"next_url", &NextURLPagination{URL: path("next")}, func(t *testing.T, w http.ResponseWriter, other string) {
			writeJSON(w, 200, itemsBody(t, hosts("h1"), map[string]any{"next": other + "/hosts?page=2"}))
		}, "the vendor's next-page URL %q points at host %q, not the API host %q: it is not followed, so that credentials never reach another host"},
		{"link_header", &LinkHeaderPagination{}, func(t *testing.T, w http.ResponseWriter, other string) {
			w.Header().Set("Link", fmt.Sprintf(`<%s/hosts?page=2>; rel="next"`, other))
			writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
		}, "the vendor's next-page URL %q points at host %q, not the API host %q: it is not followed, so that credentials never reach another host"},
		{"redirect", NoPagination{}, func(t *testing.T, w http.ResponseWriter, other string) {
			w.Header().Set("Location", other+"/hosts?page=2")
			w.WriteHeader(http.StatusFound)
		}, "redirect to another host (%[2]s) refused: credentials are only sent to %[3]s"},
	}
	for authName, auth := range auths {
		for _, way := range ways {
			t.Run(authName+"/"+way.name, func(t *testing.T) {
				otherLog := &requestLog{}
				other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					otherLog.add(r)
					writeJSON(w, 200, itemsBody(t, hosts("stolen"), nil))
				}))
				defer other.Close()
				var hits atomic.Int32
				api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					if credentialsIn(r) == "" {
						t.Errorf("the API host got a request without credentials")
					}
					way.page1(t, w, other.URL)
				}))
				defer api.Close()
				ig := testIntegration(t, api.URL, hostStream("hosts", "/hosts", way.paginator))
				ig.Auth = auth(t)
				opts, _, _ := testOptions()
				st, sink := runOne(t, ig, opts)
				otherHost := strings.TrimPrefix(other.URL, "http://")
				apiHost := strings.TrimPrefix(api.URL, "http://")
				want := fmt.Sprintf(way.wantErr, other.URL+"/hosts?page=2", otherHost, apiHost)
				if st.Err == nil || !strings.Contains(st.Err.Error(), want) {
					t.Fatalf("error = %v\nwant it to contain %q", st.Err, want)
				}
				if n := otherLog.len(); n != 0 {
					t.Errorf("the other host got %d requests (credentials: %q)", n, credentialsIn(otherLog.all()[0]))
				}
				if hits.Load() != 1 {
					t.Errorf("the API host got %d requests, want 1: a refused host is not retried", hits.Load())
				}
				if st.Requests != 1 { // the refused URL was never sent, so it is not counted
					t.Errorf("summary counts %d requests, want 1", st.Requests)
				}
				if way.name != "redirect" {
					if got := sink.keys(); len(got) != 1 || got[0] != "hosts/h1" {
						t.Errorf("sink = %v, want page 1 kept", got)
					}
				}
			})
		}
	}
}

// TestRequestToAnotherHostHasNoCredentials: a request whose path is an absolute URL
// on another host is sent, but without the integration's credentials.
func TestRequestToAnotherHostHasNoCredentials(t *testing.T) {
	otherLog := &requestLog{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherLog.add(r)
		writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
	}))
	defer other.Close()
	for name, auth := range map[string]Authenticator{
		"api key header": &APIKeyAuth{Headers: []KeyValue{{Name: "X-Api-Key", Value: "key-123"}}},
		"api key query":  &APIKeyAuth{Query: []KeyValue{{Name: "api_key", Value: "key-123"}}},
		"bearer":         &BearerAuth{Token: "tok-123"},
	} {
		t.Run(name, func(t *testing.T) {
			before := otherLog.len()
			ig := testIntegration(t, "http://api.invalid", hostStream("hosts", other.URL+"/public", nil))
			ig.Auth = auth
			opts, _, _ := testOptions()
			st, _ := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatal(st.Err)
			}
			reqs := otherLog.all()[before:]
			if len(reqs) != 1 || credentialsIn(reqs[0]) != "" {
				t.Fatalf("other host requests = %d, credentials %q; want one without", len(reqs), credentialsIn(reqs[0]))
			}
		})
	}
}

func TestSameHostRedirectFollowedWithCredentials(t *testing.T) {
	log := &requestLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		writeJSON(w, 200, itemsBody(t, hosts("h1"), nil))
	}))
	defer srv.Close()
	ig := testIntegration(t, srv.URL, hostStream("hosts", "/old", nil))
	ig.Auth = &APIKeyAuth{Headers: []KeyValue{{Name: "X-Api-Key", Value: "key-123"}}}
	opts, _, _ := testOptions()
	st, sink := runOne(t, ig, opts)
	if st.Err != nil || len(sink.keys()) != 1 {
		t.Fatalf("err = %v, records = %v", st.Err, sink.keys())
	}
	reqs := log.all()
	if len(reqs) != 2 || reqs[1].URL.Path != "/new" || reqs[1].Header.Get("X-Api-Key") != "key-123" {
		t.Fatalf("requests = %d; the redirected request should carry the key", len(reqs))
	}
}

// tokenServer is an OAuth2 token endpoint that issues tok-1, tok-2, ...
type tokenServer struct {
	*httptest.Server
	log    requestLog
	forms  []url.Values
	mu     sync.Mutex
	status int    // 0: 201 Created, as CrowdStrike answers
	body   string // "" issues the next token
	expiry int    // expires_in; 0 means 1799
}

func newTokenServer(t *testing.T) *tokenServer {
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("token request form: %v", err)
		}
		ts.log.add(r)
		ts.mu.Lock()
		ts.forms = append(ts.forms, r.PostForm)
		n, status, body, expiry := len(ts.forms), ts.status, ts.body, ts.expiry
		ts.mu.Unlock()
		if status == 0 {
			status = http.StatusCreated
		}
		if expiry == 0 {
			expiry = 1799
		}
		if body == "" {
			body = fmt.Sprintf(`{"access_token":"tok-%d","token_type":"bearer","expires_in":%d,"refresh_token":"refresh-%d"}`, n, expiry, n)
		}
		writeJSON(w, status, []byte(body))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) count() int { return ts.log.len() }

// bearerAPI serves pages of hosts, page=N of pages, to requests with a Bearer token;
// reject says which data requests (1-based) answer 401.
func bearerAPI(t *testing.T, pages int, reject func(n int) bool) (*httptest.Server, *requestLog) {
	log := &requestLog{}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		if reject != nil && reject(int(n.Add(1))) {
			writeJSON(w, 401, []byte(`{"errors":[{"code":401,"message":"access denied, invalid bearer token"}]}`))
			return
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		page := r.URL.Query().Get("page")
		writeJSON(w, 200, itemsBody(t, hosts("h"+page), map[string]any{"total_pages": pages}))
	}))
	t.Cleanup(srv.Close)
	return srv, log
}

func pagedHosts() *Stream {
	return hostStream("hosts", "/hosts", &PageNumberPagination{Param: "page", Start: 1, TotalPages: path("total_pages")})
}

func authorizations(reqs []*http.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Header.Get("Authorization")
	}
	return out
}

func TestOAuth2TokenCachedAcrossPages(t *testing.T) {
	ts := newTokenServer(t)
	api, apiLog := bearerAPI(t, 3, nil)
	ig := testIntegration(t, api.URL, pagedHosts())
	auth := &OAuth2ClientCredentials{TokenURL: ts.URL + "/oauth2/token", ClientID: "client-id", ClientSecret: "client-secret"}
	ig.Auth = auth
	opts, _, _ := testOptions()
	opts.Redactor = NewRedactor("client-secret")
	st, sink := runOne(t, ig, opts)
	if st.Err != nil {
		t.Fatal(st.Err)
	}
	if got := sink.keys(); strings.Join(got, ",") != "hosts/h1,hosts/h2,hosts/h3" {
		t.Errorf("records = %v", got)
	}
	if ts.count() != 1 {
		t.Errorf("token requests = %d, want 1 for %d pages", ts.count(), apiLog.len())
	}
	want := "Bearer tok-1,Bearer tok-1,Bearer tok-1"
	if got := strings.Join(authorizations(apiLog.all()), ","); got != want {
		t.Errorf("Authorization headers = %s, want %s", got, want)
	}
	form := ts.forms[0]
	for k, v := range map[string]string{"grant_type": "client_credentials", "client_id": "client-id", "client_secret": "client-secret"} {
		if form.Get(k) != v {
			t.Errorf("token form %s = %q, want %q (form %v)", k, form.Get(k), v, form)
		}
	}
	if h := ts.log.all()[0].Header.Get("Authorization"); h != "" {
		t.Errorf("token request Authorization = %q, want none (credentials in the body)", h)
	}
	if got := opts.Redactor.String("Bearer tok-1, refresh-1, client-secret"); got != "Bearer (sensitive), (sensitive), (sensitive)" {
		t.Errorf("redacted = %q: the token was not added to the Redactor", got)
	}
}

func TestOAuth2RefreshedBeforeExpiry(t *testing.T) {
	ts := newTokenServer(t)
	ts.expiry = 3600
	// Far from the wall clock: freshness must follow the injected clock alone.
	clock := &fakeClock{t: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	var page atomic.Int32
	log := &requestLog{}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		n := page.Add(1)
		clock.Advance(1200 * time.Second) // each page takes 20 minutes
		writeJSON(w, 200, itemsBody(t, hosts(fmt.Sprint("h", n)), map[string]any{"total_pages": 5}))
	}))
	defer api.Close()
	ig := testIntegration(t, api.URL, pagedHosts())
	ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL, ClientID: "id", ClientSecret: "secret",
		RefreshBefore: 5 * time.Minute, Now: clock.Now}
	opts, _, _ := testOptions()
	opts.Now = clock.Now
	st, _ := runOne(t, ig, opts)
	if st.Err != nil {
		t.Fatal(st.Err)
	}
	// Pages at 0, 20, 40 min use tok-1; at 60 min the token (3600 s) is within 5 min of
	// expiring, so pages 4 and 5 use tok-2.
	want := "Bearer tok-1,Bearer tok-1,Bearer tok-1,Bearer tok-2,Bearer tok-2"
	if got := strings.Join(authorizations(log.all()), ","); got != want {
		t.Errorf("Authorization headers = %s\nwant %s", got, want)
	}
	if ts.count() != 2 {
		t.Errorf("token requests = %d, want 2", ts.count())
	}
}

func TestOAuth2UnauthorizedRefreshesOnce(t *testing.T) {
	tests := []struct {
		name       string
		reject     func(n int) bool
		data       int
		tokens     int
		wantErr    string
		wantAuthzs string
	}{
		{"always 401", func(int) bool { return true }, 2, 2,
			"HTTP 401 Unauthorized from GET %s/hosts?page=1: access denied, invalid bearer token", "Bearer tok-1,Bearer tok-2"},
		{"401 once, then the new token works", func(n int) bool { return n == 1 }, 3, 2, "", "Bearer tok-1,Bearer tok-2,Bearer tok-2"},
		{"401 on page 2 refreshes mid-stream", func(n int) bool { return n == 2 }, 3, 2, "", "Bearer tok-1,Bearer tok-1,Bearer tok-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t)
			api, apiLog := bearerAPI(t, 2, tt.reject)
			ig := testIntegration(t, api.URL, pagedHosts())
			ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL, ClientID: "id", ClientSecret: "secret"}
			opts, _, logs := testOptions()
			st, _ := runOne(t, ig, opts)
			wantErr := tt.wantErr
			if wantErr != "" {
				wantErr = `fetch stream "hosts" page 1: ` + fmt.Sprintf(wantErr, api.URL)
			}
			if errString(st.Err) != wantErr {
				t.Fatalf("error = %v\nwant %s", st.Err, wantErr)
			}
			if apiLog.len() != tt.data || ts.count() != tt.tokens {
				t.Errorf("data requests = %d, token requests = %d; want %d and %d", apiLog.len(), ts.count(), tt.data, tt.tokens)
			}
			if got := strings.Join(authorizations(apiLog.all()), ","); got != tt.wantAuthzs {
				t.Errorf("Authorization headers = %s, want %s", got, tt.wantAuthzs)
			}
			if n := len(logs.entries(t, "credentials rejected, fetching a new token and retrying once")); n != 1 {
				t.Errorf("refresh logged %d times, want 1", n)
			}
		})
	}
}

func TestOAuth2TokenErrors(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		want    TokenError
		wantErr string
	}{
		{"crowdstrike", 403, `{"meta":{"query_time":0.01},"errors":[{"code":403,"message":"Failed to issue access token - Not Authorized"}],"resources":[]}`,
			TokenError{Status: 403, Message: "Failed to issue access token - Not Authorized"},
			"HTTP 403 Forbidden: Failed to issue access token - Not Authorized"},
		{"rfc 6749 error_description", 401, `{"error":"invalid_client","error_description":"Client authentication failed"}`,
			TokenError{Status: 401, Message: "Client authentication failed"},
			"HTTP 401 Unauthorized: Client authentication failed"},
		{"rfc 6749 error code only", 400, `{"error":"invalid_scope"}`,
			TokenError{Status: 400, Message: "invalid_scope"}, "HTTP 400 Bad Request: invalid_scope"},
		{"error in a 200", 200, `{"error":"unauthorized_client"}`,
			TokenError{Status: 200, Message: "unauthorized_client"}, "HTTP 200 OK: unauthorized_client"},
		{"no access token", 200, `{"token_type":"bearer","expires_in":3600}`,
			TokenError{}, "oauth2: server response missing access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t)
			ts.status, ts.body = tt.status, tt.body
			api, apiLog := bearerAPI(t, 1, nil)
			ig := testIntegration(t, api.URL, pagedHosts())
			ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL + "/oauth2/token", ClientID: "id", ClientSecret: "secret"}
			opts, _, _ := testOptions()
			st, _ := runOne(t, ig, opts)
			var te *TokenError
			if !errors.As(st.Err, &te) {
				t.Fatalf("error = %v, want a TokenError", st.Err)
			}
			if te.Status != tt.want.Status || te.Message != tt.want.Message || te.URL != ts.URL+"/oauth2/token" {
				t.Errorf("TokenError = %+v, want status %d message %q", te, tt.want.Status, tt.want.Message)
			}
			want := `fetch stream "hosts" page 1: token request to ` + ts.URL + "/oauth2/token failed: " + tt.wantErr
			if st.Err.Error() != want {
				t.Errorf("error = %q\nwant    %q", st.Err, want)
			}
			if apiLog.len() != 0 || ts.count() != 1 {
				t.Errorf("data requests = %d, token requests = %d; want 0 and 1", apiLog.len(), ts.count())
			}
		})
	}
}

func TestOAuth2TokenEndpointUnreachable(t *testing.T) {
	ts := newTokenServer(t)
	tokenURL := ts.URL + "/oauth2/token"
	ts.Close()
	api, apiLog := bearerAPI(t, 1, nil)
	ig := testIntegration(t, api.URL, pagedHosts())
	ig.Auth = &OAuth2ClientCredentials{TokenURL: tokenURL, ClientID: "id", ClientSecret: "secret"}
	opts, _, _ := testOptions()
	st, _ := runOne(t, ig, opts)
	var te *TokenError
	if !errors.As(st.Err, &te) || te.Status != 0 || te.Err == nil || !strings.Contains(te.Err.Error(), "connection refused") {
		t.Fatalf("error = %v, want a TokenError with connection refused", st.Err)
	}
	if strings.Contains(st.Err.Error(), "oauth2:") || strings.Contains(st.Err.Error(), "Post ") {
		t.Errorf("error %q keeps x/oauth2's wrapping", st.Err)
	}
	if apiLog.len() != 0 {
		t.Errorf("data requests = %d, want 0", apiLog.len())
	}
}

func TestOAuth2RequestShape(t *testing.T) {
	tests := []struct {
		name       string
		auth       *OAuth2ClientCredentials
		form       map[string]string // "" means absent
		basic      [2]string         // user, password of a Basic header; empty means none
		describeIn string
	}{
		{"credentials in the body", &OAuth2ClientCredentials{ClientID: "id", ClientSecret: "s3cret"},
			map[string]string{"grant_type": "client_credentials", "client_id": "id", "client_secret": "s3cret", "scope": ""},
			[2]string{}, "client id id, client secret (sensitive), sent in the form body (client_id, client_secret)"},
		{"basic header", &OAuth2ClientCredentials{ClientID: "id", ClientSecret: "s3cret", BasicHeader: true},
			map[string]string{"grant_type": "client_credentials", "client_id": "", "client_secret": ""},
			[2]string{"id", "s3cret"}, "client id id, client secret (sensitive), sent in the Basic header"},
		{"scopes and extra params", &OAuth2ClientCredentials{ClientID: "id", ClientSecret: "s3cret",
			Scopes: []string{"read:hosts", "read:vulns"}, Params: map[string]string{"audience": "https://api.example.com", "member_cid": "abc"}},
			map[string]string{"scope": "read:hosts read:vulns", "audience": "https://api.example.com", "member_cid": "abc"},
			[2]string{}, "parameter audience=https://api.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t)
			api, _ := bearerAPI(t, 1, nil)
			ig := testIntegration(t, api.URL, pagedHosts())
			auth := tt.auth
			auth.TokenURL = ts.URL
			ig.Auth = auth
			opts, _, _ := testOptions()
			st, _ := runOne(t, ig, opts)
			if st.Err != nil {
				t.Fatal(st.Err)
			}
			req := ts.log.all()[0]
			form := ts.forms[0]
			if req.Method != "POST" || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
				t.Errorf("token request %s %s", req.Method, req.Header.Get("Content-Type"))
			}
			for k, want := range tt.form {
				if got := form.Get(k); got != want {
					t.Errorf("form %s = %q, want %q", k, got, want)
				}
			}
			user, pass, ok := req.BasicAuth()
			if [2]string{user, pass} != tt.basic || ok != (tt.basic != [2]string{}) {
				t.Errorf("Basic auth = %q, %q, %v; want %q", user, pass, ok, tt.basic)
			}
			desc := strings.Join(auth.Describe(), "\n")
			if !strings.Contains(desc, tt.describeIn) || strings.Contains(desc, "s3cret") {
				t.Errorf("Describe =\n%s\nwant it to contain %q and no secret", desc, tt.describeIn)
			}
		})
	}
}

// TestOAuth2ApplyOutsideRun: Apply is exported, so it must work without the run's
// environment, and a failed token request must be an error, not a panic.
func TestOAuth2ApplyOutsideRun(t *testing.T) {
	ts := newTokenServer(t)
	a := &OAuth2ClientCredentials{TokenURL: ts.URL, ClientID: "id", ClientSecret: "secret"}
	req := httptest.NewRequest("GET", "http://api.example/x", nil)
	if err := a.Apply(context.Background(), req); err != nil || req.Header.Get("Authorization") != "Bearer tok-1" {
		t.Fatalf("Apply = %v, Authorization %q", err, req.Header.Get("Authorization"))
	}
	ts.status, ts.body = 401, `{"error":"invalid_client","error_description":"Client authentication failed"}`
	err := a.Refresh(context.Background())
	var te *TokenError
	if !errors.As(err, &te) || te.Status != 401 || te.Message != "Client authentication failed" {
		t.Fatalf("Refresh = %v, want a TokenError with the description", err)
	}
}

// TestOAuth2StalledTokenEndpoint: the header timeout bounds token requests too, so a
// token endpoint that never answers fails the stream instead of hanging the run.
func TestOAuth2StalledTokenEndpoint(t *testing.T) {
	var tokenHits atomic.Int32
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokenHits.Add(1)
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer ts.Close()
	defer close(release)
	api, apiLog := bearerAPI(t, 1, nil)
	ig := testIntegration(t, api.URL, pagedHosts())
	ig.HTTP.HeaderTimeout = 50 * time.Millisecond
	ig.HTTP.BodyIdleTimeout = 50 * time.Millisecond
	ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL, ClientID: "id", ClientSecret: "secret"}
	opts, _, _ := testOptions()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // the guard, not the point
	defer cancel()
	res, err := Run(ctx, ig, &memSink{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	st := res.Streams[0]
	var te *TokenError
	if !errors.As(st.Err, &te) || ctx.Err() != nil {
		t.Fatalf("error = %v (run context: %v), want a TokenError before the guard", st.Err, ctx.Err())
	}
	if !strings.Contains(te.Error(), "Timeout") {
		t.Errorf("TokenError = %q, want it to say it timed out", te)
	}
	// A timed-out token request is worth another attempt, as many as the retry policy
	// allows, and no more.
	if want := int32(ig.HTTP.Retry.Attempts); apiLog.len() != 0 || tokenHits.Load() != want {
		t.Errorf("data requests %d, token requests %d; want 0 and %d", apiLog.len(), tokenHits.Load(), want)
	}
}

// TestOAuth2TokenEndpointBusyIsRetried: a 503 from the token endpoint is retried with
// the request; refused credentials (403) are not.
func TestOAuth2TokenEndpointBusyIsRetried(t *testing.T) {
	for _, tt := range []struct {
		status   int
		wantHits int32
		wantOK   bool
	}{{http.StatusServiceUnavailable, 2, true}, {http.StatusForbidden, 1, false}} {
		var hits atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				w.WriteHeader(tt.status)
				io.WriteString(w, `{"errors":[{"message":"busy or refused"}]}`)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"tok-1","token_type":"bearer","expires_in":1799}`)
		}))
		api, _ := bearerAPI(t, 1, nil)
		ig := testIntegration(t, api.URL, pagedHosts())
		ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL, ClientID: "id", ClientSecret: "secret"}
		opts, _, _ := testOptions()
		res, err := Run(context.Background(), ig, &memSink{}, opts)
		ts.Close()
		if err != nil {
			t.Fatal(err)
		}
		if hits.Load() != tt.wantHits || (res.Streams[0].Err == nil) != tt.wantOK {
			t.Errorf("status %d: %d token requests, stream error %v; want %d and ok=%v", tt.status, hits.Load(), res.Streams[0].Err, tt.wantHits, tt.wantOK)
		}
	}
}

func TestSameHost(t *testing.T) {
	base, _ := url.Parse("https://api.example.com/v1")
	tests := []struct {
		u    string
		want bool
	}{
		{"https://api.example.com/v1/x", true},
		{"https://API.Example.com/x", true},
		{"https://api.example.com:443/v1/x", true},
		{"http://api.example.com/v1/x", false},
		{"https://api.example.com:8443/v1/x", false},
		{"https://evil.example.com/v1/x", false},
		{"https://api.example.com.evil.net/x", false},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.u)
		if got := sameHost(u, base); got != tt.want {
			t.Errorf("sameHost(%s) = %v, want %v", tt.u, got, tt.want)
		}
	}
	plain, _ := url.Parse("http://api.example.com:80")
	if u, _ := url.Parse("http://api.example.com/x"); !sameHost(u, plain) {
		t.Error("http default port not recognised")
	}
	if u, _ := url.Parse("http://api.example.com/x"); sameHost(u, nil) {
		t.Error("sameHost with no base URL")
	}
}
