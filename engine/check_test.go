package engine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		ok      bool
		message string
		cause   string
	}{
		{"pass", 200, `{"resources":[]}`, true, "", ""},
		{"pass with an empty body", 204, ``, true, "", ""},
		{"401", 401, `{"message":"Bad credentials"}`, false, "Bad credentials", "the credentials are wrong or expired"},
		{"403", 403, `{"errors":[{"message":"access denied, authorization failed"}]}`, false, "access denied, authorization failed",
			"the credentials are valid but lack a permission or scope this integration needs"},
		{"404", 404, `{"message":"Not Found"}`, false, "Not Found",
			"the resource was not found: check the region, base URL or the organization/workspace name"},
		{"429", 429, ``, false, "", "the vendor is rate limiting this client; try again later"},
		{"500", 500, `internal error`, false, "internal error", "the vendor's API is failing; try again later"},
		{"400", 400, `{"error":{"message":"bad query"}}`, false, "bad query", "the vendor rejected the request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &requestLog{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log.add(r)
				writeJSON(w, tt.status, []byte(tt.body))
			}))
			defer srv.Close()
			ig := testIntegration(t, srv.URL)
			ig.Check = &Request{Path: "/user", Query: map[string]string{"fields": "id"}}
			ig.Auth = &BearerAuth{Token: "tok-123"}
			opts, _, _ := testOptions()
			res := Check(context.Background(), ig, opts)
			if res.OK != tt.ok || res.Message != tt.message || res.Cause != tt.cause {
				t.Errorf("Check = OK %v, message %q, cause %q; want %v, %q, %q (err %v)", res.OK, res.Message, res.Cause, tt.ok, tt.message, tt.cause, res.Err)
			}
			if res.Status != tt.status || res.Method != "GET" || res.URL != srv.URL+"/user?fields=id" {
				t.Errorf("Check = status %d, %s %s", res.Status, res.Method, res.URL)
			}
			if (res.Err == nil) != tt.ok {
				t.Errorf("Err = %v with OK %v", res.Err, res.OK)
			}
			reqs := log.all()
			if len(reqs) == 0 || reqs[0].Header.Get("Authorization") != "Bearer tok-123" {
				t.Errorf("the check request did not carry the credentials")
			}
		})
	}
}

func TestCheckTokenFailure(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		cause  string
	}{
		{"refused credentials", 403, `{"errors":[{"message":"Failed to issue access token - Not Authorized"}]}`,
			"the token endpoint refused the client credentials: check the client id and secret (and that the API client is enabled)"},
		{"invalid client", 401, `{"error":"invalid_client"}`,
			"the token endpoint refused the client credentials: check the client id and secret (and that the API client is enabled)"},
		{"wrong token URL", 404, `{"message":"no route"}`, "the token URL is wrong: check the region or base URL"},
		{"token endpoint failing", 502, `bad gateway`, "the token endpoint failed; try again later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t)
			ts.status, ts.body = tt.status, tt.body
			api, apiLog := bearerAPI(t, 1, nil)
			ig := testIntegration(t, api.URL)
			ig.Check = &Request{Path: "/hosts"}
			ig.Auth = &OAuth2ClientCredentials{TokenURL: ts.URL + "/oauth2/token", ClientID: "id", ClientSecret: "secret"}
			opts, _, _ := testOptions()
			res := Check(context.Background(), ig, opts)
			var te *TokenError
			if res.OK || !errors.As(res.Err, &te) {
				t.Fatalf("Check = OK %v, err %v; want a TokenError", res.OK, res.Err)
			}
			if res.Cause != tt.cause || res.Status != tt.status || res.URL != ts.URL+"/oauth2/token" {
				t.Errorf("Check = status %d, URL %s, cause %q; want %d, %q", res.Status, res.URL, res.Cause, tt.status, tt.cause)
			}
			if !strings.Contains(res.Cause, "client id and secret") && tt.status == 403 {
				t.Errorf("cause %q does not mention the client id and secret", res.Cause)
			}
			if apiLog.len() != 0 {
				t.Errorf("the API got %d requests without a token", apiLog.len())
			}
		})
	}
}

func TestCheckUnreachable(t *testing.T) {
	t.Run("API host", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		base := srv.URL
		srv.Close()
		ig := testIntegration(t, base)
		ig.Check = &Request{Path: "/user"}
		opts, waits, _ := testOptions()
		res := Check(context.Background(), ig, opts)
		if res.OK || res.Cause != "the host cannot be reached: check the region or base URL, and any proxy or firewall" {
			t.Errorf("Check = OK %v, cause %q, err %v", res.OK, res.Cause, res.Err)
		}
		// A refused connection is the verdict: check does not wait through retries
		// for a wrong host or port (run still retries it, see TestConnectionRefusedRetried).
		if len(waits.all()) != 0 {
			t.Errorf("waits = %v, want no retry", waits.all())
		}
	})
	t.Run("token endpoint", func(t *testing.T) {
		ts := newTokenServer(t)
		tokenURL := ts.URL
		ts.Close()
		api, _ := bearerAPI(t, 1, nil)
		ig := testIntegration(t, api.URL)
		ig.Check = &Request{Path: "/user"}
		ig.Auth = &OAuth2ClientCredentials{TokenURL: tokenURL, ClientID: "id", ClientSecret: "secret"}
		opts, waits, _ := testOptions()
		res := Check(context.Background(), ig, opts)
		if res.OK || res.Cause != "the token endpoint cannot be reached: check the region or base URL" {
			t.Errorf("Check = OK %v, cause %q, err %v", res.OK, res.Cause, res.Err)
		}
		if len(waits.all()) != 0 {
			t.Errorf("waits = %v, want no retry", waits.all())
		}
	})
	t.Run("token host that does not resolve", func(t *testing.T) {
		api, _ := bearerAPI(t, 1, nil)
		ig := testIntegration(t, api.URL)
		ig.Check = &Request{Path: "/user"}
		ig.Auth = &OAuth2ClientCredentials{TokenURL: "http://auth.eu-9.example.com/token", ClientID: "id", ClientSecret: "secret"}
		opts, _, _ := testOptions()
		opts.Transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			if host == "auth.eu-9.example.com" {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}
		res := Check(context.Background(), ig, opts)
		if want := `the token endpoint's host "auth.eu-9.example.com" does not resolve: check the region or token_url`; res.OK || res.Cause != want {
			t.Errorf("Check = OK %v, cause %q, err %v; want %q", res.OK, res.Cause, res.Err, want)
		}
	})
	t.Run("host that does not resolve", func(t *testing.T) {
		ig := testIntegration(t, "http://api.eu-9.example.com")
		ig.Check = &Request{Path: "/user"}
		opts, waits, _ := testOptions()
		// No real DNS in tests: the dialer fails the way a resolver does.
		opts.Transport = &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		}}
		res := Check(context.Background(), ig, opts)
		if res.OK || res.Cause != `the host "api.eu-9.example.com" does not resolve: check the region or base URL` {
			t.Errorf("Check = OK %v, cause %q, err %v", res.OK, res.Cause, res.Err)
		}
		if len(waits.all()) != 0 {
			t.Errorf("waits = %v, want no retry of a name that does not exist", waits.all())
		}
	})
}

func TestCheckWithoutCheckBlock(t *testing.T) {
	ig := testIntegration(t, "http://api.invalid")
	res := Check(context.Background(), ig, Options{})
	if res.OK || res.Err == nil || res.Err.Error() != "the definition has no check block" {
		t.Errorf("Check = %+v", res)
	}
}
