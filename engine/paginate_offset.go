package engine

import (
	"context"
	"fmt"
	"strconv"
)

// OffsetPagination sends offset and limit parameters and advances the offset by the
// number of records received. When the Total expression reads a total from the body,
// that total decides: the walk goes on until the offset reaches it (or a page comes
// back empty), because many vendors cap a page below the limit asked for, and taking
// such a page for the last one would drop the rest without a word. Without a total, a
// short or empty page is the last.
type OffsetPagination struct {
	OffsetParam string
	LimitParam  string // "" sends no limit
	Limit       int
	Start       int
	Total       Extractor // optional
}

// Kind implements Paginator.
func (o *OffsetPagination) Kind() string { return "offset" }

// First implements Paginator.
func (o *OffsetPagination) First() PageRequest {
	pr := withQuery(PageRequest{}, o.OffsetParam, strconv.Itoa(o.Start))
	if o.LimitParam != "" {
		pr = withQuery(pr, o.LimitParam, strconv.Itoa(o.Limit))
	}
	return pr
}

// Next implements Paginator.
func (o *OffsetPagination) Next(ctx context.Context, p *Page, cur PageRequest) (PageRequest, bool, error) {
	if p.Records == 0 {
		return PageRequest{}, false, nil
	}
	offset, err := strconv.Atoi(cur.Query[o.OffsetParam])
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("offset parameter %q is %q, not a number", o.OffsetParam, cur.Query[o.OffsetParam])
	}
	next := offset + p.Records
	total, ok, err := extractInt(ctx, o.Total, p.Body)
	switch {
	case err != nil:
		return PageRequest{}, false, fmt.Errorf("total: %w", err)
	case ok && total > int64(offset):
		if int64(next) >= total {
			return PageRequest{}, false, nil
		}
	case ok:
		// A page of records starting past the total: the total is not a count of
		// them (-1 for "unknown", 0, a count of something else). Trusting it would end
		// the walk here; the short-page rule could too, on a capped page. Only an empty
		// page is sure to be the end.
	case o.Limit > 0 && p.Records < o.Limit:
		return PageRequest{}, false, nil
	}
	return withQuery(cur, o.OffsetParam, strconv.Itoa(next)), true, nil
}

// Describe implements Paginator.
func (o *OffsetPagination) Describe() []string {
	d := []string{fmt.Sprintf("query %s=%d, then advance by the records received", o.OffsetParam, o.Start)}
	if o.LimitParam != "" {
		d = append(d, fmt.Sprintf("query %s=%d on every page", o.LimitParam, o.Limit))
	}
	stop := "stops on an empty page"
	switch {
	case o.Total != nil && o.Limit > 0:
		stop += fmt.Sprintf(", or when the offset reaches the total %s reads (without one, on a page of fewer than %d records)", Expr(o.Total, "total"), o.Limit)
	case o.Total != nil:
		stop += fmt.Sprintf(", or when the offset reaches the total %s reads", Expr(o.Total, "total"))
	case o.Limit > 0:
		stop += fmt.Sprintf(" or one with fewer than %d records", o.Limit)
	}
	return append(d, stop)
}
