package engine

import (
	"context"
	"fmt"
	"strconv"
)

// OffsetPagination sends offset and limit parameters and advances the offset by the
// number of records received. It stops on a short or empty page, or when the offset
// reaches the total the Total expression reads from the body.
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
	if p.Records == 0 || (o.Limit > 0 && p.Records < o.Limit) {
		return PageRequest{}, false, nil
	}
	offset, err := strconv.Atoi(cur.Query[o.OffsetParam])
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("offset parameter %q is %q, not a number", o.OffsetParam, cur.Query[o.OffsetParam])
	}
	next := offset + p.Records
	total, ok, err := extractInt(ctx, o.Total, p.Body)
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("total: %w", err)
	}
	if ok && int64(next) >= total {
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
	if o.Limit > 0 {
		stop += fmt.Sprintf(" or one with fewer than %d records", o.Limit)
	}
	if o.Total != nil {
		stop += ", or when the offset reaches the total"
	}
	return append(d, stop)
}
