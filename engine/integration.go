package engine

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"time"
)

// Integration is a compiled definition: everything the engine needs to run it.
type Integration struct {
	Name    string
	Title   string
	HTTP    HTTP
	Auth    Authenticator // nil means no authentication
	Check   *Request      // nil when the definition has no check block
	Streams []*Stream
	// ErrorMessage pulls the vendor's own message out of an error body. When nil, the
	// engine tries the common shapes (message, error.message, errors[0].message, ...).
	ErrorMessage Extractor
	// AuthChoice says, for plan, which of several auth blocks applies and why.
	AuthChoice []string
	// Secrets are values the definition computed from its secrets (upper(token), a
	// header built from a password), to be masked wherever the secrets are.
	Secrets []string
}

// HTTP is the transport policy shared by every request of an integration.
type HTTP struct {
	BaseURL *url.URL
	Headers map[string]string
	// ConnectTimeout bounds dialing and the TLS handshake, HeaderTimeout the wait for the
	// response headers, and BodyIdleTimeout the longest pause while a body arrives, so
	// a large response that keeps arriving is never cut off.
	ConnectTimeout  time.Duration
	HeaderTimeout   time.Duration
	BodyIdleTimeout time.Duration
	MaxBodyBytes    int64
	Retry           RetryPolicy
	RateLimit       RateLimit
}

// WaitFormat says how a header carries a wait.
type WaitFormat string

// Header formats a vendor can use to say how long to wait.
const (
	WaitSeconds      WaitFormat = "seconds"       // delta in seconds (Qualys X-RateLimit-ToWait-Sec)
	WaitEpochSeconds WaitFormat = "epoch_seconds" // absolute Unix time (CrowdStrike, GitHub, Okta)
	WaitEpochMillis  WaitFormat = "epoch_millis"  // absolute Unix time in milliseconds
	WaitRetryAfter   WaitFormat = "retry_after"   // RFC 9110: delta seconds or an HTTP date
)

// WaitFormats lists the formats in documentation order.
var WaitFormats = []string{string(WaitRetryAfter), string(WaitSeconds), string(WaitEpochSeconds), string(WaitEpochMillis)}

// WaitHeader is a vendor header that says when to try again.
type WaitHeader struct {
	Name   string
	Format WaitFormat
}

// RetryPolicy says which failures are retried and how long to wait.
type RetryPolicy struct {
	Attempts        int // total attempts per request, first included
	OnStatus        []int
	InitialInterval time.Duration
	MaxInterval     time.Duration
	// MaxWait caps every single wait, whether it came from backoff or from a header.
	MaxWait     time.Duration
	WaitHeaders []WaitHeader // Retry-After is always honoured, these come first
}

// RateLimit is the client-side limit: a token bucket plus slowing down when a
// remaining-quota header runs low.
type RateLimit struct {
	Requests        int
	Per             time.Duration
	Burst           int
	RemainingHeader string
	ResetHeader     string
	ResetFormat     WaitFormat
	LowWater        int // slow down when remaining <= LowWater
}

// Request is one HTTP request template.
type Request struct {
	Method  string
	Path    string // absolute URL, or a path joined to the base URL
	Query   map[string]string
	Headers map[string]string
	// Exactly one of JSON, Form and Body is set for a request with a body.
	JSON map[string]any
	Form map[string]string
	// Idempotent marks a POST as safe to retry (a search, a GraphQL query).
	Idempotent bool
}

// Stream is one paginated collection that yields records of one kind.
type Stream struct {
	Name      string
	Kind      Kind
	Request   Request
	Paginator Paginator
	MaxPages  int
	// Records selects the records from a decoded page. When RecordsPath is non-nil the
	// engine streams the array at that path instead and Records is not used.
	Records     Selector
	RecordsPath []string
	// RecordFields, when non-nil, are the only members of a record object the mapping
	// can read (found by analysing it): a streamed record is decoded with just these,
	// and the rest is checked as JSON and skipped. nil decodes every member.
	RecordFields []string
	Map          Mapper
	Filter       Predicate // nil keeps every record
}

// Extractor evaluates an expression against a decoded value and returns its first
// result, or nil when it yields nothing.
type Extractor interface {
	Extract(ctx context.Context, v any) (any, error)
}

// Selector yields the records of a page.
type Selector interface {
	Select(ctx context.Context, page any, emit func(record any) error) error
}

// Mapper maps one vendor record to one normalized object (a map[string]any).
type Mapper interface {
	Map(ctx context.Context, record any) (any, error)
}

// Predicate decides whether a mapped record is kept.
type Predicate interface {
	Keep(ctx context.Context, mapped any) (bool, error)
}

// Page is what a paginator sees of a fetched page.
type Page struct {
	Number  int // 1-based
	URL     *url.URL
	Header  http.Header
	Body    any // decoded envelope (without the records array when it was streamed)
	Records int
}

// PageRequest is how one page's request differs from the stream's request.
type PageRequest struct {
	URL        string            // absolute URL replacing the stream's URL and query
	Query      map[string]string // query parameters to set
	BodyFields map[string]any    // JSON body fields to set
	Header     map[string]string // headers to set
}

// fingerprint identifies a page request for the no-progress check.
func (pr PageRequest) fingerprint() string {
	s := pr.URL + "?"
	for _, k := range sortedKeys(pr.Query) {
		s += k + "=" + pr.Query[k] + "&"
	}
	for _, k := range sortedKeys(pr.BodyFields) {
		s += "#" + k + "=" + stringify(pr.BodyFields[k])
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
