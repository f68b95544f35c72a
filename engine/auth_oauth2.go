package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// OAuth2ClientCredentials exchanges a client id and secret for an access token at a
// token endpoint (RFC 6749 §4.4). The token is cached, fetched again RefreshBefore its
// expiry, and fetched again on demand (Refresh) when the API answers 401.
//
// The exchange itself is golang.org/x/oauth2/clientcredentials: it encodes the form,
// sends the secret in the body or a Basic header, and parses expires_in in every shape
// vendors send. This type adds the cache policy, the forced refresh and the vendor's
// error message.
type OAuth2ClientCredentials struct {
	TokenURL      string
	ClientID      string
	ClientSecret  string
	Scopes        []string
	Params        map[string]string // extra form fields (audience, resource, member_cid)
	BasicHeader   bool              // client credentials in a Basic header instead of the body
	RefreshBefore time.Duration
	Now           func() time.Time

	mu    sync.Mutex
	token *oauth2.Token
}

// Kind implements Authenticator.
func (a *OAuth2ClientCredentials) Kind() string { return "oauth2_client_credentials" }

// Apply implements Authenticator.
func (a *OAuth2ClientCredentials) Apply(ctx context.Context, req *http.Request) error {
	tok, err := a.current(ctx, false)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return nil
}

// Refresh implements Refresher: the next request gets a new token.
func (a *OAuth2ClientCredentials) Refresh(ctx context.Context) error {
	_, err := a.current(ctx, true)
	return err
}

func (a *OAuth2ClientCredentials) current(ctx context.Context, force bool) (*oauth2.Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !force && a.token != nil && a.fresh(a.token) {
		return a.token, nil
	}
	tok, err := a.fetch(ctx)
	if err != nil {
		return nil, err
	}
	a.token = tok
	return tok, nil
}

func (a *OAuth2ClientCredentials) fresh(t *oauth2.Token) bool {
	if t.Expiry.IsZero() {
		return true
	}
	return a.now().Add(a.RefreshBefore).Before(t.Expiry)
}

func (a *OAuth2ClientCredentials) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *OAuth2ClientCredentials) fetch(ctx context.Context) (*oauth2.Token, error) {
	env := authEnvFrom(ctx)
	cfg := clientcredentials.Config{
		ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: a.TokenURL,
		Scopes: a.Scopes, EndpointParams: url.Values{}, AuthStyle: oauth2.AuthStyleInParams,
	}
	if a.BasicHeader {
		cfg.AuthStyle = oauth2.AuthStyleInHeader
	}
	for k, v := range a.Params {
		cfg.EndpointParams.Set(k, v)
	}
	tok, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, env.client))
	if err != nil {
		return nil, a.tokenError(ctx, env, err)
	}
	if tok.AccessToken == "" {
		return nil, &TokenError{URL: a.TokenURL, Message: "the token response has no access_token"}
	}
	if !tok.Expiry.IsZero() {
		// x/oauth2 dates the expiry by the wall clock; freshness is judged by a.now.
		tok.Expiry = a.now().Add(time.Until(tok.Expiry))
	}
	env.redact.Add(tok.AccessToken, tok.RefreshToken)
	return tok, nil
}

// TokenError is a failed token request, with the vendor's own message.
type TokenError struct {
	URL     string
	Status  int
	Message string
	Err     error
}

func (e *TokenError) Error() string {
	s := "token request to " + e.URL + " failed"
	if e.Status != 0 {
		s += fmt.Sprintf(": HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *TokenError) Unwrap() error { return e.Err }

func (a *OAuth2ClientCredentials) tokenError(ctx context.Context, env *authEnv, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		// Transport failures: keep the cause, drop x/oauth2's prefix.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &TokenError{URL: a.TokenURL, Err: err}
	}
	te := &TokenError{URL: a.TokenURL, Status: re.Response.StatusCode}
	if env.message != nil { // nil when Apply runs outside a run
		te.Message = env.message(ctx, re.Body)
	}
	if te.Message == "" && re.ErrorDescription != "" {
		te.Message = re.ErrorDescription
	}
	if te.Message == "" {
		te.Message = strings.TrimSpace(re.ErrorCode)
	}
	return te
}

// Describe implements Authenticator.
func (a *OAuth2ClientCredentials) Describe() []string {
	where := "form body (client_id, client_secret)"
	if a.BasicHeader {
		where = "Basic header"
	}
	d := []string{
		"token URL: " + a.TokenURL,
		fmt.Sprintf("client id %s, client secret %s, sent in the %s", a.ClientID, Masked, where),
	}
	if len(a.Scopes) > 0 {
		d = append(d, "scopes: "+strings.Join(a.Scopes, " "))
	}
	for _, k := range sortedKeys(a.Params) {
		d = append(d, fmt.Sprintf("parameter %s=%s", k, a.Params[k]))
	}
	return append(d, fmt.Sprintf("token cached, fetched again %s before it expires and once on a 401", a.RefreshBefore))
}
