// Package engine is the runtime of integrate: it runs a plain Go description of an
// integration (an Integration with its Streams) through small interfaces — Authenticator,
// Paginator, Selector, Mapper, Sink — and turns it into authenticated, rate-limited,
// retried, paginated HTTP fetches that emit validated normalized records.
//
// engine imports only the standard library, golang.org/x/time/rate,
// golang.org/x/oauth2 and github.com/cenkalti/backoff/v4. It never imports HCL, cty,
// gojq or the dsl package (a test enforces it): the dsl package compiles definitions
// into engine values, and jq programs reach the engine as Extractor and Mapper values.
package engine
