package dsl

import (
	"github.com/hashicorp/hcl/v2"
)

// attrKind is what an attribute holds; it decides how it is checked and built.
type attrKind int

const (
	aString attrKind = iota
	aNumber
	aBool
	aDuration // "30s", "2m"
	aSize     // bytes: 1048576 or "64MiB"
	aJQ       // a literal jq program
	aStringMap
	aStringList
	aNumberList
	aObject // any object, sent as a JSON body
	aType   // a type constraint: string, number, bool, list(string), ...
	aAny    // any value (config defaults)
)

var kindNames = map[attrKind]string{
	aString: "string", aNumber: "number", aBool: "bool", aDuration: "duration", aSize: "size",
	aJQ: "jq", aStringMap: "map of strings", aStringList: "list of strings", aNumberList: "list of numbers",
	aObject: "object", aType: "type", aAny: "any",
}

// attr documents and checks one attribute of a block.
type attr struct {
	Name     string
	Kind     attrKind
	Required bool
	Default  string // the default, as the docs show it
	Doc      string
}

// blockSpec is one block type: its attributes and nested blocks. The same table
// drives decoding, "Did you mean", and the reference docs.
type blockSpec struct {
	Type   string
	Labels []string
	Doc    string
	Attrs  []attr
	Blocks []*blockSpec
	// Repeat allows the block more than once.
	Repeat bool
	// Required makes the block mandatory.
	Required bool
	Example  string
}

func (b *blockSpec) schema() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, a := range b.Attrs {
		// Required attributes are checked by the decoder, which names the block and
		// says what to write; HCL's own message is terser.
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name})
	}
	for _, nb := range b.Blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: nb.Type, LabelNames: nb.Labels})
	}
	return s
}

func (b *blockSpec) attr(name string) (attr, bool) {
	for _, a := range b.Attrs {
		if a.Name == name {
			return a, true
		}
	}
	return attr{}, false
}

func (b *blockSpec) block(name string) *blockSpec {
	for _, nb := range b.Blocks {
		if nb.Type == name {
			return nb
		}
	}
	return nil
}

// kindSpec is one kind of a closed set (auth kinds, pagination kinds): its label,
// attributes and docs. The tables below are the single source for decoding, the
// "Unsupported ... kind" diagnostics, the reference docs and the conformance tests.
type kindSpec struct {
	Name    string
	Doc     string
	Attrs   []attr
	Blocks  []*blockSpec
	Example string
}

func (k *kindSpec) block(kind string) *blockSpec {
	return &blockSpec{Type: kind, Attrs: k.Attrs, Blocks: k.Blocks}
}

var requestSpec = &blockSpec{
	Type: "request", Required: true,
	Doc: "The HTTP request. Expressions can use config.x, local.x and functions.",
	Attrs: []attr{
		{Name: "method", Kind: aString, Default: `"GET"`, Doc: "GET or POST."},
		{Name: "path", Kind: aString, Required: true, Doc: "Path under http.base_url, or an absolute URL on the same host."},
		{Name: "query", Kind: aStringMap, Doc: "Query parameters (numbers and bools are written as text)."},
		{Name: "headers", Kind: aStringMap, Doc: "Headers for this request, over http.headers."},
		{Name: "json", Kind: aObject, Doc: "A JSON body (sets Content-Type: application/json)."},
		{Name: "form", Kind: aStringMap, Doc: "A form body (application/x-www-form-urlencoded)."},
		{Name: "idempotent", Kind: aBool, Default: "false", Doc: "Marks a POST as safe to retry (a search or a GraphQL query). GET is always retried."},
	},
	Example: `request {
  path  = "/orgs/${config.org}/repos"
  query = { per_page = 100, type = "all" }
}`,
}

var retrySpec = &blockSpec{
	Type: "retry",
	Doc:  "Which failures are retried, with exponential backoff and jitter. Network errors and dropped connections are always retried (for GET and idempotent requests).",
	Attrs: []attr{
		{Name: "attempts", Kind: aNumber, Default: "5", Doc: "Attempts per request, the first included."},
		{Name: "on_status", Kind: aNumberList, Default: "[429, 500, 502, 503, 504]", Doc: "HTTP statuses that are retried."},
		{Name: "initial_interval", Kind: aDuration, Default: `"1s"`, Doc: "The first backoff wait; it doubles each time, with ±50% jitter."},
		{Name: "max_interval", Kind: aDuration, Default: `"30s"`, Doc: "The longest backoff wait."},
		{Name: "max_wait", Kind: aDuration, Default: `"5m"`, Doc: "Caps every single wait, including a Retry-After or reset header."},
	},
	Blocks: []*blockSpec{waitHeaderSpec},
	Example: `retry {
  attempts  = 5
  on_status = [429, 500, 502, 503, 504]
  wait_header "X-RateLimit-RetryAfter" { format = "epoch_seconds" }
}`,
}

var waitHeaderSpec = &blockSpec{
	Type: "wait_header", Labels: []string{"name"}, Repeat: true,
	Doc: "A vendor header that says when to retry. Retry-After (seconds or an HTTP date) is always honoured; these are read first.",
	Attrs: []attr{
		{Name: "format", Kind: aString, Required: true, Doc: "retry_after, seconds, epoch_seconds or epoch_millis."},
	},
	Example: `wait_header "X-RateLimit-RetryAfter" { format = "epoch_seconds" }`,
}

var rateLimitSpec = &blockSpec{
	Type: "rate_limit",
	Doc:  "Client-side pacing: a token bucket, and slowing down when the vendor's remaining-quota header runs low.",
	Attrs: []attr{
		{Name: "requests", Kind: aNumber, Doc: "Requests allowed per period."},
		{Name: "per", Kind: aDuration, Default: `"1s"`, Doc: "The period."},
		{Name: "burst", Kind: aNumber, Default: "1", Doc: "Requests that may go at once."},
		{Name: "remaining_header", Kind: aString, Doc: "Header with the requests left in the vendor's window."},
		{Name: "reset_header", Kind: aString, Doc: "Header with when the window resets."},
		{Name: "reset_format", Kind: aString, Default: `"epoch_seconds"`, Doc: "Format of reset_header: seconds, epoch_seconds, epoch_millis or retry_after."},
		{Name: "low_water", Kind: aNumber, Default: "10", Doc: "Slow down when remaining is at or below this: the requests left are spread until the reset."},
	},
	Example: `rate_limit {
  requests         = 100
  per              = "1m"
  remaining_header = "X-RateLimit-Remaining"
  reset_header     = "X-RateLimit-Reset"
}`,
}

var httpSpec = &blockSpec{
	Type: "http", Required: true,
	Doc: "The transport shared by every request.",
	Attrs: []attr{
		{Name: "base_url", Kind: aString, Required: true, Doc: "The API's base URL. Credentials are only ever sent to this host."},
		{Name: "headers", Kind: aStringMap, Doc: "Headers on every request."},
		{Name: "connect_timeout", Kind: aDuration, Default: `"30s"`, Doc: "Bounds dialing and the TLS handshake."},
		{Name: "header_timeout", Kind: aDuration, Default: `"60s"`, Doc: "Bounds the wait for the response headers."},
		{Name: "body_timeout", Kind: aDuration, Default: `"60s"`, Doc: "Bounds each pause while a body arrives; a large body that keeps arriving is never cut off."},
		{Name: "max_response_size", Kind: aSize, Default: `"256MiB"`, Doc: "Fails a response larger than this."},
		{Name: "error_message", Kind: aJQ, Doc: "jq that reads the vendor's message from an error body. Without it, the common shapes are tried."},
	},
	Blocks: []*blockSpec{retrySpec, rateLimitSpec},
	Example: `http {
  base_url      = "https://api.github.com"
  headers       = { Accept = "application/vnd.github+json" }
  error_message = ".message"
}`,
}

var checkSpec = &blockSpec{
	Type:   "check",
	Doc:    "A cheap request that proves the credentials work, for integrate check.",
	Blocks: []*blockSpec{requestSpec},
	Example: `check {
  request { path = "/user" }
}`,
}

var validationSpec = &blockSpec{
	Type: "validation", Repeat: true,
	Doc: "A rule the value must follow.",
	Attrs: []attr{
		{Name: "condition", Kind: aBool, Required: true, Doc: "An expression over config.<name> that must be true."},
		{Name: "error_message", Kind: aString, Required: true, Doc: "What to tell the user when it is false."},
	},
	Example: `validation {
  condition     = config.page_size >= 1 && config.page_size <= 5000
  error_message = "page_size must be between 1 and 5000."
}`,
}

var configSpec = &blockSpec{
	Type: "config", Labels: []string{"name"}, Repeat: true,
	Doc: "A setting the user supplies with --var, --var-file or INTEGRATE_VAR_<name>. Required unless it has a default.",
	Attrs: []attr{
		{Name: "type", Kind: aType, Default: "string", Doc: "string, number, bool, list(string), map(string), ..."},
		{Name: "description", Kind: aString, Doc: "What the value is, for plan and the docs."},
		{Name: "default", Kind: aAny, Doc: "The value when none is given; null makes the setting optional with no value."},
		{Name: "sensitive", Kind: aBool, Default: "false", Doc: "A secret: masked in plan, logs, errors and output, and never given to jq."},
		{Name: "allowed", Kind: aAny, Doc: "The list of values allowed."},
	},
	Blocks: []*blockSpec{validationSpec},
	Example: `config "region" {
  description = "Falcon cloud"
  default     = "us-1"
  allowed     = ["us-1", "us-2", "eu-1", "us-gov-1"]
}`,
}

var localsSpec = &blockSpec{
	Type: "locals", Repeat: true,
	Doc: "Named expressions, read as local.<name>. They may use config and other locals.",
	Example: `locals {
  clouds = {
    "us-1" = "https://api.crowdstrike.com"
    "eu-1" = "https://api.eu-1.crowdstrike.com"
  }
  base_url = local.clouds[config.region]
}`,
}
