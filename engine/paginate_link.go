package engine

import (
	"context"
	"fmt"
	"strings"
)

// LinkHeaderPagination follows the RFC 8288 Link header's rel="next" (GitHub, Okta),
// merging every Link header line. It stops when there is no next link.
type LinkHeaderPagination struct {
	Rel string // "next" unless set
}

// Kind implements Paginator.
func (l *LinkHeaderPagination) Kind() string { return "link_header" }

// First implements Paginator.
func (l *LinkHeaderPagination) First() PageRequest { return PageRequest{} }

// Next implements Paginator.
func (l *LinkHeaderPagination) Next(_ context.Context, p *Page, cur PageRequest) (PageRequest, bool, error) {
	rel := strings.ToLower(l.Rel) // relation types compare case-insensitively (RFC 8288)
	if rel == "" {
		rel = "next"
	}
	links := ParseLinkHeader(p.Header.Values("Link"))
	target, ok := links[rel]
	if !ok || target == "" {
		return PageRequest{}, false, nil
	}
	return followURL(p.URL, target, cur)
}

// Describe implements Paginator.
func (l *LinkHeaderPagination) Describe() []string {
	rel := l.Rel
	if rel == "" {
		rel = "next"
	}
	return []string{fmt.Sprintf("follows the Link header's rel=%q URL", rel), "stops when there is none"}
}

// ParseLinkHeader parses RFC 8288 Link header values into rel → URL. A link with
// several space-separated relation types is filed under each; the first link for a rel
// wins. Malformed parts are skipped rather than failing the page.
func ParseLinkHeader(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, link := range splitLinks(v) {
			target, params, ok := parseLink(link)
			if !ok {
				continue
			}
			for _, rel := range strings.Fields(params["rel"]) {
				rel = strings.ToLower(rel)
				if _, dup := out[rel]; !dup {
					out[rel] = target
				}
			}
		}
	}
	return out
}

// splitLinks splits on commas outside <...> and quoted strings.
func splitLinks(v string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"' && depth == 0:
			quoted = !quoted
		case c == '\\' && quoted:
			i++
		case c == '<' && !quoted:
			depth = 1
		case c == '>' && !quoted:
			depth = 0
		case c == ',' && !quoted && depth == 0:
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	return append(parts, v[start:])
}

func parseLink(s string) (target string, params map[string]string, ok bool) {
	s = strings.TrimSpace(s)
	end := strings.IndexByte(s, '>')
	if !strings.HasPrefix(s, "<") || end < 0 {
		return "", nil, false
	}
	target = strings.TrimSpace(s[1:end])
	params = map[string]string{}
	for _, p := range splitParams(s[end+1:]) {
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`)
		}
		params[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return target, params, true
}

// splitParams splits link-params on semicolons outside quoted strings, so a title
// such as "a; rel=prev" cannot pose as a parameter.
func splitParams(s string) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && quoted:
			i++
		case c == ';' && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
