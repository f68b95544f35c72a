package engine

import (
	"net"
	"net/http"
	"time"
)

// DefaultTransport is the network transport a run uses when Options.Transport is nil.
func DefaultTransport(h HTTP) http.RoundTripper { return newTransport(h) }

// newTransport is the network transport: the connect timeout bounds dialing and the
// TLS handshake. Header and body deadlines are enforced by the watchdog, above any
// transport, so they hold for injected transports too.
func newTransport(h HTTP) *http.Transport {
	connect := h.ConnectTimeout
	if connect <= 0 {
		connect = 30 * time.Second
	}
	d := &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   connect,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}
