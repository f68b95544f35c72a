package engine

import (
	"context"
	"fmt"
	"strconv"
)

// PageNumberPagination sends a page number (0- or 1-based) and stops after the last
// page the TotalPages expression reports, or on an empty or short page.
type PageNumberPagination struct {
	Param      string
	Start      int
	SizeParam  string // "" sends no size
	Size       int
	TotalPages Extractor // optional
}

// Kind implements Paginator.
func (pn *PageNumberPagination) Kind() string { return "page_number" }

// First implements Paginator.
func (pn *PageNumberPagination) First() PageRequest {
	pr := withQuery(PageRequest{}, pn.Param, strconv.Itoa(pn.Start))
	if pn.SizeParam != "" {
		pr = withQuery(pr, pn.SizeParam, strconv.Itoa(pn.Size))
	}
	return pr
}

// Next implements Paginator.
func (pn *PageNumberPagination) Next(ctx context.Context, p *Page, cur PageRequest) (PageRequest, bool, error) {
	if p.Records == 0 || (pn.Size > 0 && p.Records < pn.Size) {
		return PageRequest{}, false, nil
	}
	n, err := strconv.Atoi(cur.Query[pn.Param])
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("page parameter %q is %q, not a number", pn.Param, cur.Query[pn.Param])
	}
	total, ok, err := extractInt(ctx, pn.TotalPages, p.Body)
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("total_pages: %w", err)
	}
	// Pages fetched so far, whatever the base: the walk is done once it equals the total.
	if ok && int64(n-pn.Start+1) >= total {
		return PageRequest{}, false, nil
	}
	return withQuery(cur, pn.Param, strconv.Itoa(n+1)), true, nil
}

// Describe implements Paginator.
func (pn *PageNumberPagination) Describe() []string {
	d := []string{fmt.Sprintf("query %s=%d, then the next page number", pn.Param, pn.Start)}
	if pn.SizeParam != "" {
		d = append(d, fmt.Sprintf("query %s=%d on every page", pn.SizeParam, pn.Size))
	}
	stop := "stops on an empty page"
	if pn.Size > 0 {
		stop += fmt.Sprintf(" or one with fewer than %d records", pn.Size)
	}
	if pn.TotalPages != nil {
		stop += ", or after the last page the body reports"
	}
	return append(d, stop)
}
