package engine

import (
	"context"
	"fmt"
	"net/http"
)

// APIKeyAuth sends static keys as headers or query parameters, each with an optional
// prefix ("SSWS ", "Token ").
type APIKeyAuth struct {
	Headers []KeyValue
	Query   []KeyValue
}

// KeyValue is one named credential and the prefix written before it.
type KeyValue struct {
	Name   string
	Prefix string
	Value  string
}

// Kind implements Authenticator.
func (a *APIKeyAuth) Kind() string { return "api_key" }

// Apply implements Authenticator.
func (a *APIKeyAuth) Apply(_ context.Context, req *http.Request) error {
	for _, h := range a.Headers {
		req.Header.Set(h.Name, h.Prefix+h.Value)
	}
	if len(a.Query) > 0 {
		q := req.URL.Query()
		for _, p := range a.Query {
			q.Set(p.Name, p.Prefix+p.Value)
		}
		req.URL.RawQuery = q.Encode()
	}
	return nil
}

// Describe implements Authenticator.
func (a *APIKeyAuth) Describe() []string {
	var d []string
	for _, h := range a.Headers {
		d = append(d, fmt.Sprintf("header %s: %s%s", h.Name, h.Prefix, Masked))
	}
	for _, p := range a.Query {
		d = append(d, fmt.Sprintf("query parameter %s=%s%s", p.Name, p.Prefix, Masked))
	}
	return d
}

// BasicAuth sends HTTP Basic credentials.
type BasicAuth struct {
	Username string
	Password string
}

// Kind implements Authenticator.
func (a *BasicAuth) Kind() string { return "basic" }

// Apply implements Authenticator.
func (a *BasicAuth) Apply(_ context.Context, req *http.Request) error {
	req.SetBasicAuth(a.Username, a.Password)
	return nil
}

// Describe implements Authenticator.
func (a *BasicAuth) Describe() []string {
	return []string{fmt.Sprintf("header Authorization: Basic base64(%s:%s)", a.Username, Masked)}
}

// BearerAuth sends a static bearer token.
type BearerAuth struct {
	Token  string
	Scheme string // "Bearer" unless set ("token" for old GitHub PATs)
}

// Kind implements Authenticator.
func (a *BearerAuth) Kind() string { return "bearer" }

// Apply implements Authenticator.
func (a *BearerAuth) Apply(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", a.scheme()+" "+a.Token)
	return nil
}

func (a *BearerAuth) scheme() string {
	if a.Scheme == "" {
		return "Bearer"
	}
	return a.Scheme
}

// Describe implements Authenticator.
func (a *BearerAuth) Describe() []string {
	return []string{fmt.Sprintf("header Authorization: %s %s", a.scheme(), Masked)}
}
