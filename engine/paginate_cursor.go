package engine

import (
	"context"
	"fmt"
)

// CursorPagination reads a token from the body (Token) or a header (TokenHeader) and
// sends it back as a query parameter (Param) or a JSON body field (BodyField). It stops
// on an empty token, or when HasMore reads false.
type CursorPagination struct {
	Token       Extractor
	TokenHeader string
	Param       string
	BodyField   string
	HasMore     Extractor // optional
}

// Kind implements Paginator.
func (c *CursorPagination) Kind() string { return "cursor" }

// First implements Paginator.
func (c *CursorPagination) First() PageRequest { return PageRequest{} }

// Next implements Paginator.
func (c *CursorPagination) Next(ctx context.Context, p *Page, cur PageRequest) (PageRequest, bool, error) {
	more, declared, err := extractBool(ctx, c.HasMore, p.Body)
	if err != nil {
		return PageRequest{}, false, fmt.Errorf("has_more: %w", err)
	}
	if declared && !more {
		return PageRequest{}, false, nil
	}
	if !declared && p.Records == 0 {
		return PageRequest{}, false, nil
	}
	token, err := c.token(ctx, p)
	if err != nil {
		return PageRequest{}, false, err
	}
	if token == "" {
		if declared && more {
			// Stopping here would look complete while pages are missing.
			return PageRequest{}, false, fmt.Errorf("has_more says there are more pages, but the token is empty; check the token expression")
		}
		return PageRequest{}, false, nil
	}
	if c.BodyField != "" {
		return withBodyField(cur, c.BodyField, token), true, nil
	}
	return withQuery(cur, c.Param, token), true, nil
}

func (c *CursorPagination) token(ctx context.Context, p *Page) (string, error) {
	if c.TokenHeader != "" {
		return p.Header.Get(c.TokenHeader), nil
	}
	t, err := extractString(ctx, c.Token, p.Body)
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return t, nil
}

// Describe implements Paginator.
func (c *CursorPagination) Describe() []string {
	from := Expr(c.Token, "token") + " on the body"
	if c.TokenHeader != "" {
		from = fmt.Sprintf("header %s", c.TokenHeader)
	}
	to := fmt.Sprintf("query parameter %s", c.Param)
	if c.BodyField != "" {
		to = fmt.Sprintf("JSON body field %s", c.BodyField)
	}
	stop := "stops on an empty token"
	if c.HasMore != nil {
		stop += " or when has_more (" + Expr(c.HasMore, "has_more") + ") is false"
	} else {
		stop += " or an empty page"
	}
	return []string{"first page without a cursor", fmt.Sprintf("token from %s, sent as %s", from, to), stop}
}
