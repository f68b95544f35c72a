package engine

import (
	"context"
	"fmt"
	"strconv"
)

// PageNumberPagination sends a page number (0- or 1-based). When the TotalPages
// expression reads a page count from the body, the walk ends after that many pages (or
// on an empty page); a short page ends it only when the body gives no count, since a
// vendor may cap the size below the one asked for.
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
	if p.Records == 0 {
		return PageRequest{}, false, nil
	}
	n, err := strconv.Atoi(cur.Query[pn.Param])
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("page parameter %q is %q, not a number", pn.Param, cur.Query[pn.Param])
	}
	total, ok, err := extractInt(ctx, pn.TotalPages, p.Body)
	fetched := int64(n - pn.Start + 1) // pages fetched so far, whatever the base
	switch {
	case err != nil:
		return PageRequest{}, false, fmt.Errorf("total_pages: %w", err)
	case ok && total >= fetched:
		if fetched == total {
			return PageRequest{}, false, nil
		}
	case ok:
		// More pages with records than the count says (-1, 0, or a count of something
		// else): it is no page count, and only an empty page is sure to be the end.
	case pn.Size > 0 && p.Records < pn.Size:
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
	switch {
	case pn.TotalPages != nil && pn.Size > 0:
		stop += fmt.Sprintf(", or after the last page %s reads (without a count, on a page of fewer than %d records)", Expr(pn.TotalPages, "total_pages"), pn.Size)
	case pn.TotalPages != nil:
		stop += fmt.Sprintf(", or after the last page %s reads", Expr(pn.TotalPages, "total_pages"))
	case pn.Size > 0:
		stop += fmt.Sprintf(" or one with fewer than %d records", pn.Size)
	}
	return append(d, stop)
}
