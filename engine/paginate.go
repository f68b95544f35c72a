package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Paginator walks a stream's pages. Paginators are stateless: the state of a walk
// travels in the PageRequest, so one Paginator serves any number of runs.
type Paginator interface {
	Kind() string
	// First returns the changes to the stream's request for page 1.
	First() PageRequest
	// Next inspects the page just fetched with cur and returns the next page's request,
	// or more=false when this kind's end signal says the stream is done.
	Next(ctx context.Context, p *Page, cur PageRequest) (next PageRequest, more bool, err error)
	// Describe says, for plan, how the kind advances and when it stops, quoting the
	// definition's expressions (see Expr).
	Describe() []string
}

// NoPagination fetches one page.
type NoPagination struct{}

// Kind implements Paginator.
func (NoPagination) Kind() string { return "none" }

// First implements Paginator.
func (NoPagination) First() PageRequest { return PageRequest{} }

// Next implements Paginator.
func (NoPagination) Next(context.Context, *Page, PageRequest) (PageRequest, bool, error) {
	return PageRequest{}, false, nil
}

// Describe implements Paginator.
func (NoPagination) Describe() []string { return []string{"one request, no pagination"} }

// extractString runs an extractor and turns a scalar result into a string token; a
// missing, null or empty result is "".
func extractString(ctx context.Context, e Extractor, v any) (string, error) {
	if e == nil {
		return "", nil
	}
	out, err := e.Extract(ctx, v)
	if err != nil {
		return "", err
	}
	return scalarString(out)
}

func scalarString(v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	case bool:
		return strconv.FormatBool(s), nil
	case json.Number, int, int64, float64, *big.Int:
		return stringify(s), nil
	}
	return "", fmt.Errorf("expected a string or number, got %s", typeName(v))
}

// extractInt runs an extractor expected to give a whole number; ok=false when it yields
// nothing.
func extractInt(ctx context.Context, e Extractor, v any) (n int64, ok bool, err error) {
	if e == nil {
		return 0, false, nil
	}
	out, err := e.Extract(ctx, v)
	if err != nil || out == nil {
		return 0, false, err
	}
	s, err := scalarString(out)
	if err != nil {
		return 0, false, err
	}
	n, err = strconv.ParseInt(s, 10, 64)
	if err != nil {
		// 250.0 and 2.5e2 are whole numbers too (some vendors' JSON writes counts so).
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false, fmt.Errorf("expected a whole number, got %q", s)
		}
		n = int64(f)
	}
	return n, true, nil
}

// extractBool runs an extractor expected to give true or false; ok=false when it yields
// nothing.
func extractBool(ctx context.Context, e Extractor, v any) (b, ok bool, err error) {
	if e == nil {
		return false, false, nil
	}
	out, err := e.Extract(ctx, v)
	if err != nil || out == nil {
		return false, false, err
	}
	switch x := out.(type) {
	case bool:
		return x, true, nil
	case string:
		if p, perr := strconv.ParseBool(x); perr == nil {
			return p, true, nil
		}
	}
	return false, false, fmt.Errorf("expected true or false, got %s", typeName(out))
}

func stringify(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

func withQuery(pr PageRequest, k, v string) PageRequest {
	q := make(map[string]string, len(pr.Query)+1)
	for kk, vv := range pr.Query {
		q[kk] = vv
	}
	q[k] = v
	pr.Query = q
	return pr
}

func withBodyField(pr PageRequest, k string, v any) PageRequest {
	b := make(map[string]any, len(pr.BodyFields)+1)
	for kk, vv := range pr.BodyFields {
		b[kk] = vv
	}
	b[k] = v
	pr.BodyFields = b
	return pr
}

// Expr is how plan quotes an expression of the definition in one line: its jq text
// (ShortExpr), or what it is for when it has no text (a Go test double).
func Expr(e any, what string) string {
	src, ok := e.(interface{ Source() string })
	if !ok {
		return "the " + what + " expression"
	}
	return ShortExpr(src.Source())
}

// ShortExpr shows a jq program in one line: as written when it is one short line;
// else its first line, cut, and "...". Whitespace is kept (inside a string literal it
// is meaningful), and a control character is escaped, never sent to a terminal.
func ShortExpr(src string) string {
	text := strings.TrimSpace(src)
	cut := false
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text, cut = strings.TrimSpace(text[:i]), true
	}
	if r := []rune(text); len(r) > 60 {
		text, cut = string(r[:57]), true
	}
	if strings.IndexFunc(text, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		q := strconv.Quote(text)
		text = q[1 : len(q)-1]
	}
	if cut {
		text += " ..."
	}
	return text
}
