package engine

import (
	"context"
	"net/http"
)

// Authenticator adds credentials to a request. The engine calls it only for requests
// to the integration's own host, so credentials never reach another host.
type Authenticator interface {
	Kind() string
	Apply(ctx context.Context, req *http.Request) error
	// Describe says, for plan, what is sent where, with every secret masked.
	Describe() []string
}

// Refresher is an Authenticator whose credentials can go stale (OAuth2 tokens). A 401
// makes the engine call Refresh once and retry the request once.
type Refresher interface {
	Refresh(ctx context.Context) error
}

// authEnv is what an authenticator may need from the run: the client for token
// requests, the redactor to register the tokens it learns, and the vendor message
// extractor for failed token requests.
type authEnv struct {
	client  *http.Client
	redact  *Redactor
	message func(ctx context.Context, body []byte) string
}

type authEnvKey struct{}

func withAuthEnv(ctx context.Context, env *authEnv) context.Context {
	return context.WithValue(ctx, authEnvKey{}, env)
}

func authEnvFrom(ctx context.Context) *authEnv {
	if env, ok := ctx.Value(authEnvKey{}).(*authEnv); ok {
		return env
	}
	return &authEnv{client: http.DefaultClient}
}
