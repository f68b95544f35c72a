package dsl_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/integrate-dev/integrate/dsl"
)

// withStream is a valid definition around the body of stream "hosts", whose first
// line is line 15.
func withStream(body string) string {
	return `integration "acme" {
  config "token" {
    sensitive = true
  }
  http {
    base_url = "https://api.acme.example"
  }
  auth "bearer" {
    token = config.token
  }
  stream "hosts" {
    request {
      path = "/hosts"
    }
` + body + `
  }
}
`
}

// TestDiagnosticPositions pins the exact line, column and covered text of
// diagnostics, above all jq errors mapped back from the program into the file.
func TestDiagnosticPositions(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		summary string
		line    int
		col     int
		text    string // the source text the Subject covers
	}{
		{
			name: "jq unknown function in a heredoc",
			src: withStream(`    records = ".items[]"
    asset = <<-JQ
      {
        key:  .id,
        name: .name | asciidowncase
      }
    JQ`),
			summary: "Invalid jq expression", line: 19, col: 23, text: "asciidowncase",
		},
		{
			name: "jq syntax error in a heredoc",
			src: withStream(`    records = ".items[]"
    asset = <<-JQ
      {
        key:  .id,
        name: .name | | ascii_downcase
      }
    JQ`),
			summary: "Invalid jq expression", line: 19, col: 23, text: "|",
		},
		{
			name: "jq unknown variable in a quoted string",
			src: withStream(`    records = ".items[] | select(.org == $confg.org)"
    asset   = "."`),
			summary: "Invalid jq expression", line: 15, col: 42, text: "$confg",
		},
		{
			name: "jq error after \\u escapes of non-ASCII characters",
			src: withStream(`    records = ".items[]"
    asset   = "{name: \"\u00e9t\u00e9\", key: foo}"`),
			summary: "Invalid jq expression", line: 16, col: 47, text: "foo",
		},
		{
			name: "jq error after a \\n escape stays on the string's line",
			src: withStream(`    records = ".items[] |\n foo"
    asset   = "."`),
			summary: "Invalid jq expression", line: 15, col: 29, text: "foo",
		},
		{
			name: "jq error before a $${ escape in a heredoc",
			src: withStream(`    records = ".items[]"
    asset = <<-JQ
      {b: foo, a: "$${x}"}
    JQ`),
			summary: "Invalid jq expression", line: 17, col: 11, text: "foo",
		},
		{
			name: "jq error after non-ASCII text in a heredoc",
			src: withStream(`    records = ".items[]"
    asset = <<-JQ
      {name: ("héllo" | foo)}
    JQ`),
			summary: "Invalid jq expression", line: 17, col: 25, text: "foo",
		},
		{
			name: "jq error in a heredoc with CRLF line endings",
			src: strings.ReplaceAll(withStream(`    records = ".items[]"
    asset = <<-JQ
      {b: foo}
    JQ`), "\n", "\r\n"),
			summary: "Invalid jq expression", line: 17, col: 11, text: "foo",
		},
		{
			name: "jq program that ends too early points at its end",
			src: withStream(`    records = ".items[]"
    asset   = "{a: .b"`),
			summary: "Invalid jq expression", line: 16, col: 22, text: "",
		},
		{
			name: "interpolation in a jq program points at the ${...}",
			src: withStream(`    records = ".sites[\"${config.token}\"][]"
    asset   = "."`),
			summary: "jq program must be a literal string", line: 15, col: 27, text: "config.token",
		},
		{
			name: "HCL: misspelt argument",
			src: withStream(`    recrods = ".items[]"
    records = ".items[]"
    asset   = "."`),
			summary: "Unsupported argument", line: 15, col: 5, text: "recrods",
		},
		{
			name: "HCL: unsupported pagination kind",
			src: withStream(`    paginate "cursr" {}
    records = ".items[]"
    asset   = "."`),
			summary: "Unsupported pagination kind", line: 15, col: 14, text: `"cursr"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			def, diags := dsl.LoadSource("pos.hcl", src)
			if !diags.HasErrors() {
				diags = append(diags, dsl.Validate(def)...)
			}
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %d:\n%s", len(diags), rendered(diags, "pos.hcl", src))
			}
			d := diags[0]
			if d.Summary != tt.summary {
				t.Errorf("summary %q, want %q", d.Summary, tt.summary)
			}
			s := d.Subject
			if s.Start.Line != tt.line || s.Start.Column != tt.col {
				t.Errorf("at %d:%d, want %d:%d\n%s", s.Start.Line, s.Start.Column, tt.line, tt.col, rendered(diags, "pos.hcl", src))
			}
			if got := string(src[s.Start.Byte:max(s.End.Byte, s.Start.Byte)]); got != tt.text {
				t.Errorf("covers %q, want %q", got, tt.text)
			}
			checkSnippet(t, d, src)
		})
	}
}

// checkSnippet checks that WriteDiagnostics shows the source line and a ^ marker
// under the offending text.
func checkSnippet(t *testing.T, d *hcl.Diagnostic, src []byte) {
	t.Helper()
	var buf bytes.Buffer
	dsl.WriteDiagnostics(&buf, hcl.Diagnostics{d}, map[string][]byte{"pos.hcl": src})
	out := buf.String()
	s := d.Subject
	line := strings.TrimRight(strings.Split(string(src), "\n")[s.Start.Line-1], "\r")
	num := fmt.Sprint(s.Start.Line)
	carets := max(utf8.RuneCountInString(string(src[s.Start.Byte:max(s.End.Byte, s.Start.Byte)])), 1)
	want := fmt.Sprintf("pos.hcl:%d:%d: error: %s\n  %s | %s\n  %s | %s%s\n",
		s.Start.Line, s.Start.Column, d.Summary, num, line,
		strings.Repeat(" ", len(num)), strings.Repeat(" ", s.Start.Column-1), strings.Repeat("^", carets))
	if !strings.HasPrefix(out, want) {
		t.Errorf("WriteDiagnostics wrote\n%s\nwant it to begin with\n%s", out, want)
	}
}
