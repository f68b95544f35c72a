package engine

import (
	"maps"
	"strings"
	"testing"
	"unicode"
)

func TestParseLinkHeader(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   map[string]string
	}{
		{"none", nil, map[string]string{}},
		{"empty", []string{""}, map[string]string{}},
		{"github", []string{`<https://api.github.com/orgs/a/repos?page=2>; rel="next", <https://api.github.com/orgs/a/repos?page=5>; rel="last"`},
			map[string]string{"next": "https://api.github.com/orgs/a/repos?page=2", "last": "https://api.github.com/orgs/a/repos?page=5"}},
		{"rels in any order", []string{`<https://h/x?page=5>; rel="last", <https://h/x?page=1>; rel="first", <https://h/x?page=2>; rel="next"`},
			map[string]string{"last": "https://h/x?page=5", "first": "https://h/x?page=1", "next": "https://h/x?page=2"}},
		{"okta: one link per header line", []string{`<https://o/api/v1/users?limit=200>; rel="self"`, `<https://o/api/v1/users?after=00u1&limit=200>; rel="next"`},
			map[string]string{"self": "https://o/api/v1/users?limit=200", "next": "https://o/api/v1/users?after=00u1&limit=200"}},
		{"unquoted rel", []string{`<https://h/2>;rel=next`}, map[string]string{"next": "https://h/2"}},
		{"several relation types", []string{`<https://h/5>; rel="next last"`}, map[string]string{"next": "https://h/5", "last": "https://h/5"}},
		{"rel case-insensitive", []string{`<https://h/2>; REL="Next"`}, map[string]string{"next": "https://h/2"}},
		{"other params and spaces", []string{` <https://h/2> ; title="Page, two; of 5" ; rel = "next" ; type="application/json" `},
			map[string]string{"next": "https://h/2"}},
		{"comma inside the URL", []string{`<https://h/x?ids=1,2,3>; rel="next", <https://h/x?ids=9>; rel="last"`},
			map[string]string{"next": "https://h/x?ids=1,2,3", "last": "https://h/x?ids=9"}},
		{"first link for a rel wins", []string{`<https://h/a>; rel="next"`, `<https://h/b>; rel="next"`}, map[string]string{"next": "https://h/a"}},
		{"relative URL kept as sent", []string{`</x?page=2>; rel="next"`}, map[string]string{"next": "/x?page=2"}},
		{"escaped quote in a quoted param", []string{`<https://h/2>; title="a \"b\", c"; rel="next"`}, map[string]string{"next": "https://h/2"}},
		{"semicolon and rel inside a quoted param", []string{`<https://h/2>; rel="next"; title="see; rel=prev"`}, map[string]string{"next": "https://h/2"}},
		{"malformed parts skipped", []string{`garbage, <https://h/2>; rel="next", <broken; rel="last"`}, map[string]string{"next": "https://h/2"}},
		{"link without rel", []string{`<https://h/2>`}, map[string]string{}},
		{"empty rel", []string{`<https://h/2>; rel=""`}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseLinkHeader(tt.values); !maps.Equal(got, tt.want) {
				t.Errorf("ParseLinkHeader(%q) =\n%v\nwant\n%v", tt.values, got, tt.want)
			}
		})
	}
}

func FuzzParseLinkHeader(f *testing.F) {
	for _, s := range []string{
		`<https://api.github.com/orgs/a/repos?page=2>; rel="next", <https://api.github.com/orgs/a/repos?page=5>; rel="last"`,
		`<https://o/api/v1/users?limit=200>; rel="self"` + "\n" + `<https://o/api/v1/users?after=00u1>; rel="next"`,
		`<https://h/5>; rel="next last"`,
		`<https://h/x?ids=1,2,3>;rel=next`,
		`<https://h/2>; title="a \"b\", c"; rel="next"`,
		`<`, `>`, `"`, `\`, `<a>;rel=`, `<<>>;rel="",,;`, `<>rel="`, `<>rel=",`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		links := ParseLinkHeader(strings.Split(s, "\n"))
		for rel, target := range links {
			if rel == "" || strings.IndexFunc(rel, unicode.IsSpace) >= 0 {
				t.Fatalf("rel %q is empty or has spaces", rel)
			}
			if strings.ToLower(rel) != rel {
				t.Fatalf("rel %q is not lowercase", rel)
			}
			if !strings.Contains(s, target) {
				t.Fatalf("target %q for rel %q is not in the input", target, rel)
			}
			if strings.Contains(target, ">") {
				t.Fatalf("target %q holds the closing delimiter", target)
			}
		}
	})
}
