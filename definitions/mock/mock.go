package mock

import (
	"net/http"
	"time"
)

// Faults injects one-shot failures. Each fault fires once, on the data request (any
// request that is not a token request) whose 1-based ordinal across the whole server
// equals the number given; 0 turns it off. Data requests are counted whether or not they
// are authorised, so a test can predict the ordinal from the requests it sends.
type Faults struct {
	// RateLimitAt answers 429 with the vendor's wait header: CrowdStrike sends
	// X-RateLimit-RetryAfter as epoch seconds now+1 (and no Retry-After), the others send
	// Retry-After: 1.
	RateLimitAt int
	// ServerErrorAt answers 500 with the vendor's error body. InsightVM answers 503 with
	// Retry-After: 1 instead, the failure its console actually shows during maintenance.
	ServerErrorAt int
	// DropAt sends status 200, the headers and half of the body, then closes the TCP
	// connection, so the client sees an unexpected EOF while reading the body.
	DropAt int
	// ExpireTokenAt revokes every token issued so far just before this request, which
	// therefore answers 401 with the vendor's invalid-token body; a token issued afterwards
	// works. Only OAuth vendors (CrowdStrike) issue tokens; the others ignore it.
	ExpireTokenAt int
}

// DefaultFaults is the fault set tests use: 429 at request 2, 500 at 3, drop at 4, expire at 5.
func DefaultFaults() Faults {
	return Faults{RateLimitAt: 2, ServerErrorAt: 3, DropAt: 4, ExpireTokenAt: 5}
}

// Options configures one mock handler.
type Options struct {
	// Records is the number of primary records (hosts, repos, assets); 0 means the
	// vendor's default and a negative number means none, for empty-collection tests.
	Records int
	// Faults are the one-shot failures to inject.
	Faults Faults
	// Now is the clock for epoch headers, token expiry and scroll expiry; nil means
	// time.Now. Record contents never depend on it.
	Now func() time.Time
	// Variant changes the data as if time had passed: with Variant n, every tenth
	// CrowdStrike host (index 3, 13, 23, ...) was last seen n days later. Together with
	// Records it lets a test grow, shrink and change the vendor's data between runs.
	Variant int
}

// Vendor describes one built-in mock.
type Vendor struct {
	// Name is the vendor's short name: "crowdstrike", "github", "bitbucket" or "insightvm".
	Name string
	// Hosts are the real host names this mock answers for (e.g. "api.crowdstrike.com");
	// the transport routes only these.
	Hosts []string
	// Vars are placeholder config values that make the shipped definition run against
	// the mock: credentials, org or workspace names, region, console URL.
	Vars map[string]string
	// Variants says whether Options.Variant changes this mock's data; a variant asked
	// of a mock without them is refused rather than silently ignored.
	Variants bool
	// New builds the vendor's handler. Every call returns an independent mock with its
	// own tokens and counters.
	New func(Options) http.Handler
}

// Vendors returns every built-in mock, sorted by name. The slice and its maps are fresh
// on each call, so callers may modify them.
func Vendors() []Vendor {
	return []Vendor{bitbucketVendor(), crowdStrikeVendor(), gitHubVendor(), insightVMVendor()}
}

// Lookup returns the built-in mock called name.
func Lookup(name string) (Vendor, bool) {
	for _, v := range Vendors() {
		if v.Name == name {
			return v, true
		}
	}
	return Vendor{}, false
}

// recordCount resolves Options.Records against a vendor default.
func recordCount(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return 0
	}
	return n
}

// clock resolves Options.Now.
func clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}
