package mock

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// transport sends requests for a vendor's real hosts to the mock's loopback address.
type transport struct {
	addr  string
	hosts map[string]bool
	base  *http.Transport
}

func newTransport(addr string, hosts []string) *transport {
	t := &transport{addr: addr, hosts: make(map[string]bool, len(hosts)), base: loopbackTransport()}
	for _, h := range hosts {
		t.hosts[strings.ToLower(h)] = true
	}
	return t
}

// loopbackTransport ignores proxy settings on purpose: a proxy from the environment
// would send mock traffic somewhere else.
func loopbackTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// RoundTrip rewrites a clone of req to the loopback address; req itself is untouched,
// as the RoundTripper contract requires.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if !t.hosts[strings.ToLower(host)] {
		if req.Body != nil {
			req.Body.Close() // the contract says RoundTrip closes the body, even on error
		}
		return nil, fmt.Errorf("mock: no route to host %q", host)
	}
	out := req.Clone(req.Context())
	if out.Host == "" {
		out.Host = req.URL.Host
	}
	out.URL.Scheme = "http"
	out.URL.Host = t.addr
	resp, err := t.base.RoundTrip(out)
	if resp != nil {
		// The caller sees its own request, with the vendor's real URL: relative next
		// links resolve against it and messages name the vendor's host.
		resp.Request = req
	}
	return resp, err
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the base transport.
func (t *transport) CloseIdleConnections() { t.base.CloseIdleConnections() }
