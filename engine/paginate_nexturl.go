package engine

import (
	"context"
	"fmt"
	"net/url"
)

// NextURLPagination follows a URL read from the body, absolute or relative to the
// page's URL. It stops when the URL is missing or empty, or on an empty page (Bitbucket
// sometimes sends a next link on its last page).
type NextURLPagination struct {
	URL Extractor
}

// Kind implements Paginator.
func (n *NextURLPagination) Kind() string { return "next_url" }

// First implements Paginator.
func (n *NextURLPagination) First() PageRequest { return PageRequest{} }

// Next implements Paginator.
func (n *NextURLPagination) Next(ctx context.Context, p *Page, cur PageRequest) (PageRequest, bool, error) {
	if p.Records == 0 {
		return PageRequest{}, false, nil
	}
	raw, err := extractString(ctx, n.URL, p.Body)
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("url: %w", err)
	}
	if raw == "" {
		return PageRequest{}, false, nil
	}
	return followURL(p.URL, raw, cur)
}

func followURL(base *url.URL, raw string, cur PageRequest) (PageRequest, bool, error) {
	ref, err := url.Parse(raw)
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("next URL %q: %w", raw, err)
	}
	// The next URL carries the whole query; body fields and headers carry over.
	return PageRequest{URL: base.ResolveReference(ref).String(), BodyFields: cur.BodyFields, Header: cur.Header}, true, nil
}

// Describe implements Paginator.
func (n *NextURLPagination) Describe() []string {
	return []string{"follows the URL " + Expr(n.URL, "url") + " reads from the body (absolute or relative)",
		"stops when it is missing or empty, or on an empty page"}
}
