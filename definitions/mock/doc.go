// Package mock serves built-in imitations of the vendor APIs that integrate ships
// definitions for (CrowdStrike Falcon, GitHub, Bitbucket Cloud and Rapid7 InsightVM) on
// loopback.
//
// It exists so that a new user can run every shipped definition end to end with
// `integrate run DEF --mock`, with no credentials and no network, and so that tests and
// benchmarks exercise the real auth, pagination, rate-limit and error behaviour of each
// vendor instead of an idealised one. The behaviour follows the vendor notes in
// shared/vendors: status codes, header names and error bodies are the ones the real APIs
// send, including their quirks (CrowdStrike's 201 token answer and epoch-second
// X-RateLimit-RetryAfter, GitHub's Link header in the numeric organizations form,
// Bitbucket's opaque page cursor and absent "next" key, InsightVM's 404 past the last page).
//
// The package owns:
//
//   - the vendor table ([Vendors], [Lookup]): the real host names each mock answers for and
//     the placeholder configuration values that make a shipped definition run against it;
//   - one handler per vendor ([Vendor].New), whose records are a pure function of their
//     index so that every run, golden file and benchmark sees the same bytes;
//   - one-shot fault injection ([Faults]): a rate limit, a server error, a connection
//     dropped mid-body and a revoked token, each at a chosen request ordinal;
//   - a running loopback server ([Start]) with a request log and an [http.RoundTripper]
//     that routes the vendor's real host names to it and refuses every other host, so a
//     test proves that no request escapes to the network.
//
// The mock never sleeps: waiting out a rate limit is the client's business.
//
// It imports only the standard library, so that any package, test or command can use it
// without pulling the engine's dependencies along.
package mock
