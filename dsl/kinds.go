package dsl

import (
	"fmt"
	"net/url"
	"time"

	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/transforms"
)

// authKind is one row of the auth kind table.
type authKind struct {
	kindSpec
	build func(r *reader) engine.Authenticator
}

// pageKind is one row of the pagination kind table.
type pageKind struct {
	kindSpec
	build func(r *reader) engine.Paginator
}

var whenAttr = attr{Name: "when", Kind: aBool, Doc: "Use this auth block only when the condition holds (for a choice of credentials); the first that holds wins."}

var maxPagesAttr = attr{Name: "max_pages", Kind: aNumber, Default: "10000", Doc: "Stop after this many pages (a warning says so)."}

// authKinds is the closed set of auth kinds.
var authKinds = []*authKind{
	{kindSpec: kindSpec{Name: "api_key",
		Doc: "Static keys in headers or query parameters. Either header or query with value (and an optional prefix), or headers for several.",
		Attrs: []attr{
			{Name: "header", Kind: aString, Doc: "The header that carries the key."},
			{Name: "query", Kind: aString, Doc: "The query parameter that carries the key."},
			{Name: "value", Kind: aString, Doc: "The key."},
			{Name: "prefix", Kind: aString, Doc: `Written before the key, such as "SSWS ".`},
			{Name: "headers", Kind: aStringMap, Doc: "Several key headers at once (Axonius api-key and api-secret)."},
			whenAttr,
		},
		Example: `auth "api_key" {
  header = "Authorization"
  prefix = "SSWS "
  value  = config.api_token
}`}, build: buildAPIKey},
	{kindSpec: kindSpec{Name: "basic",
		Doc:   "HTTP Basic authentication.",
		Attrs: []attr{{Name: "username", Kind: aString, Required: true}, {Name: "password", Kind: aString, Required: true}, whenAttr},
		Example: `auth "basic" {
  username = config.username
  password = config.password
}`}, build: func(r *reader) engine.Authenticator {
		return &engine.BasicAuth{Username: r.str("username", ""), Password: r.str("password", "")}
	}},
	{kindSpec: kindSpec{Name: "bearer",
		Doc: "A static bearer token in the Authorization header.",
		Attrs: []attr{{Name: "token", Kind: aString, Required: true},
			{Name: "scheme", Kind: aString, Default: `"Bearer"`, Doc: `The word before the token ("token" for old GitHub tokens).`}, whenAttr},
		Example: `auth "bearer" {
  token = config.token
}`}, build: func(r *reader) engine.Authenticator {
		return &engine.BearerAuth{Token: r.str("token", ""), Scheme: r.str("scheme", "Bearer")}
	}},
	{kindSpec: kindSpec{Name: "oauth2_client_credentials",
		Doc: "OAuth 2.0 client credentials: the token is cached, fetched again before it expires, and once more when the API answers 401. A failed token request reports the vendor's message.",
		Attrs: []attr{
			{Name: "token_url", Kind: aString, Required: true, Doc: "The token endpoint."},
			{Name: "client_id", Kind: aString, Required: true},
			{Name: "client_secret", Kind: aString, Required: true},
			{Name: "scopes", Kind: aStringList, Doc: "Scopes to ask for."},
			{Name: "params", Kind: aStringMap, Doc: "Extra form fields, such as audience or resource."},
			{Name: "client_auth", Kind: aString, Default: `"body"`, Doc: `"body" sends client_id and client_secret in the form; "basic" in a Basic header.`},
			{Name: "refresh_before", Kind: aDuration, Default: `"60s"`, Doc: "Fetch a new token this long before the old one expires."},
			whenAttr,
		},
		Example: `auth "oauth2_client_credentials" {
  token_url     = "${local.base_url}/oauth2/token"
  client_id     = config.client_id
  client_secret = config.client_secret
}`}, build: buildOAuth2},
}

func buildAPIKey(r *reader) engine.Authenticator {
	a := &engine.APIKeyAuth{}
	prefix, value := r.str("prefix", ""), r.str("value", "")
	single := r.has("header") || r.has("query")
	switch {
	case single && r.has("headers"):
		r.add(errorf(ptr(r.attrRange("headers")), "Conflicting attributes", "Set either header or query with value, or headers, not both."))
	case r.has("header") && r.has("query"):
		r.add(errorf(ptr(r.attrRange("query")), "Conflicting attributes", "Set header or query, not both: the key goes in one place."))
	case single && !r.has("value"):
		r.add(errorf(ptr(r.b.rng), "Missing required argument", "The api_key auth needs value = <the key> with header or query."))
	case !single && !r.has("headers"):
		r.add(errorf(ptr(r.b.rng), "Missing required argument", "The api_key auth needs header (or query) and value, or headers = { name = value }."))
	}
	if h := r.str("header", ""); h != "" {
		a.Headers = append(a.Headers, engine.KeyValue{Name: h, Prefix: prefix, Value: value})
	}
	if q := r.str("query", ""); q != "" {
		a.Query = append(a.Query, engine.KeyValue{Name: q, Prefix: prefix, Value: value})
	}
	hs := r.stringMap("headers")
	for _, k := range sortedNames(hs) {
		a.Headers = append(a.Headers, engine.KeyValue{Name: k, Value: hs[k]})
	}
	return a
}

func buildOAuth2(r *reader) engine.Authenticator {
	tokenURL := r.str("token_url", "")
	if u, err := url.Parse(tokenURL); tokenURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		r.add(errorf(ptr(r.attrRange("token_url")), "Invalid token URL",
			"token_url must be an absolute http or https URL such as \"https://api.example.com/oauth2/token\"."))
	}
	return &engine.OAuth2ClientCredentials{
		TokenURL: tokenURL, ClientID: r.str("client_id", ""), ClientSecret: r.str("client_secret", ""),
		Scopes: r.stringList("scopes"), Params: r.stringMap("params"),
		BasicHeader:   r.oneOf("client_auth", "body", []string{"body", "basic"}) == "basic",
		RefreshBefore: r.duration("refresh_before", 60*time.Second),
	}
}

// pageKinds is the closed set of pagination kinds.
var pageKinds = []*pageKind{
	{kindSpec: kindSpec{Name: "none", Doc: "One request, no pagination.", Attrs: []attr{maxPagesAttr},
		Example: `paginate "none" {}`}, build: func(*reader) engine.Paginator { return engine.NoPagination{} }},
	{kindSpec: kindSpec{Name: "offset",
		Doc: "Offset and limit parameters; the offset advances by the records received. Stops on an empty page, or when the offset reaches total; without total, on a short page.",
		Attrs: []attr{
			{Name: "limit", Kind: aNumber, Required: true, Doc: "Records per page."},
			{Name: "offset_param", Kind: aString, Default: `"offset"`},
			{Name: "limit_param", Kind: aString, Default: `"limit"`},
			{Name: "start", Kind: aNumber, Default: "0", Doc: "The first offset."},
			{Name: "total", Kind: aJQ, Doc: "jq reading the total number of records from the body; when given, a page shorter than limit does not end the walk."},
			maxPagesAttr,
		},
		Example: `paginate "offset" {
  limit = 100
  total = ".meta.total"
}`}, build: func(r *reader) engine.Paginator {
		return &engine.OffsetPagination{OffsetParam: r.str("offset_param", "offset"), LimitParam: r.str("limit_param", "limit"),
			Limit: r.integer("limit", 100, 1, 1<<30), Start: r.integer("start", 0, 0, 1<<30), Total: r.extractor("total")}
	}},
	{kindSpec: kindSpec{Name: "page_number",
		Doc: "A page number parameter (0- or 1-based). Stops after total_pages, or on an empty page; without total_pages, on a short page.",
		Attrs: []attr{
			{Name: "param", Kind: aString, Default: `"page"`},
			{Name: "start", Kind: aNumber, Default: "1", Doc: "The first page number: 0 or 1."},
			{Name: "size_param", Kind: aString, Doc: "The page size parameter."},
			{Name: "size", Kind: aNumber, Doc: "Records per page; without total_pages, a shorter page is the last."},
			{Name: "total_pages", Kind: aJQ, Doc: "jq reading the number of pages from the body."},
			maxPagesAttr,
		},
		Example: `paginate "page_number" {
  start       = 0
  size_param  = "size"
  size        = 500
  total_pages = ".page.totalPages"
}`}, build: buildPageNumber},
	{kindSpec: kindSpec{Name: "cursor",
		Doc: "A cursor read from the body (token) or a header (token_header), sent back as a query parameter (param) or a JSON body field (body_field). Stops on an empty token, or when has_more is false.",
		Attrs: []attr{
			{Name: "token", Kind: aJQ, Doc: "jq reading the next cursor from the body."},
			{Name: "token_header", Kind: aString, Doc: "The header carrying the next cursor."},
			{Name: "param", Kind: aString, Doc: "The query parameter the cursor is sent in."},
			{Name: "body_field", Kind: aString, Doc: "The JSON body field the cursor is sent in."},
			{Name: "has_more", Kind: aJQ, Doc: "jq reading whether more pages exist."},
			maxPagesAttr,
		},
		Example: `paginate "cursor" {
  token = ".meta.pagination.after"
  param = "after"
}`}, build: buildCursor},
	{kindSpec: kindSpec{Name: "next_url",
		Doc:   "Follows a URL read from the body, absolute or relative. Stops when it is missing or empty, or on an empty page.",
		Attrs: []attr{{Name: "url", Kind: aJQ, Required: true, Doc: "jq reading the next page's URL."}, maxPagesAttr},
		Example: `paginate "next_url" {
  url = ".next"
}`}, build: func(r *reader) engine.Paginator { return &engine.NextURLPagination{URL: r.extractor("url")} }},
	{kindSpec: kindSpec{Name: "link_header",
		Doc:     "Follows the RFC 8288 Link header (every Link line merged). Stops when there is no next link.",
		Attrs:   []attr{{Name: "rel", Kind: aString, Default: `"next"`}, maxPagesAttr},
		Example: `paginate "link_header" {}`}, build: func(r *reader) engine.Paginator {
		return &engine.LinkHeaderPagination{Rel: r.str("rel", "next")}
	}},
}

func buildPageNumber(r *reader) engine.Paginator {
	p := &engine.PageNumberPagination{Param: r.str("param", "page"), Start: r.integer("start", 1, 0, 1),
		SizeParam: r.str("size_param", ""), Size: r.integer("size", 0, 0, 1<<30), TotalPages: r.extractor("total_pages")}
	if r.has("size_param") != r.has("size") {
		r.add(errorf(ptr(r.b.rng), "Incomplete page size", "Set both size_param and size, or neither."))
	}
	return p
}

func buildCursor(r *reader) engine.Paginator {
	c := &engine.CursorPagination{Token: r.extractor("token"), TokenHeader: r.str("token_header", ""),
		Param: r.str("param", ""), BodyField: r.str("body_field", ""), HasMore: r.extractor("has_more")}
	switch {
	case r.has("token") && r.has("token_header"):
		r.add(errorf(ptr(r.attrRange("token_header")), "Conflicting attributes", "Set token (jq on the body) or token_header (a header name), not both: the cursor comes from one place."))
	case !r.has("token") && !r.has("token_header"):
		r.add(errorf(ptr(r.b.rng), "Cursor source required", "Set token (jq on the body) or token_header (a header name)."))
	}
	switch {
	case r.has("param") && r.has("body_field"):
		r.add(errorf(ptr(r.attrRange("body_field")), "Conflicting attributes", "Set param (a query parameter) or body_field (a JSON body field), not both: the cursor goes to one place."))
	case !r.has("param") && !r.has("body_field"):
		r.add(errorf(ptr(r.b.rng), "Cursor destination required", "Set param (a query parameter) or body_field (a JSON body field)."))
	}
	return c
}

// extractor binds a compiled jq attribute to the run's variables, or nil when absent.
func (r *reader) extractor(name string) engine.Extractor {
	j := r.jq(name)
	if j == nil || r.vals == nil {
		return nil
	}
	return transforms.Bind(j.Program, r.vals...)
}

func kindNamesOf[K interface{ spec() *kindSpec }](kinds []K) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.spec().Name
	}
	return out
}

func (k *authKind) spec() *kindSpec { return &k.kindSpec }
func (k *pageKind) spec() *kindSpec { return &k.kindSpec }

func lookupKind[K interface{ spec() *kindSpec }](kinds []K, name string) (K, bool) {
	for _, k := range kinds {
		if k.spec().Name == name {
			return k, true
		}
	}
	var zero K
	return zero, false
}

func unsupportedKind(what, name string, names []string) string {
	d := fmt.Sprintf("The %s kind %q does not exist.", what, name)
	if s := suggest(name, names); s != "" {
		d += fmt.Sprintf(" Did you mean %q?", s)
	}
	return d + " Supported kinds: " + joinQuoted(names) + "."
}
