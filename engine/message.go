package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// vendorMessage pulls the vendor's own message out of an error body: the definition's
// error_message expression first, then the shapes vendors commonly use.
func (c *client) vendorMessage(ctx context.Context, body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return plainMessage(body)
	}
	if c.ig.ErrorMessage != nil {
		if s, err := extractString(ctx, c.ig.ErrorMessage, v); err == nil && s != "" {
			return clip(s)
		}
	}
	return clip(commonMessage(v))
}

// commonMessage knows the usual error shapes: {"message"}, {"error":{"message"}},
// {"errors":[{"message"}]}, {"error_description"}, {"errorSummary"} (Okta), {"detail"}.
func commonMessage(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	for _, k := range []string{"error_description", "message", "errorSummary", "detail", "title"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	switch e := m["error"].(type) {
	case string:
		return e
	case map[string]any:
		return commonMessage(e)
	}
	if errs, ok := m["errors"].([]any); ok && len(errs) > 0 {
		if s, ok := errs[0].(string); ok {
			return s
		}
		return commonMessage(errs[0])
	}
	return ""
}

// plainMessage keeps a short first line of a text body; HTML is not a message.
func plainMessage(body []byte) string {
	if bytes.HasPrefix(body, []byte("<")) || !utf8.Valid(body) {
		return ""
	}
	line, _, _ := strings.Cut(string(body), "\n")
	return clip(strings.TrimSpace(line))
}

func clip(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
