package dsl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// errorf builds an error diagnostic on a range.
func errorf(rng *hcl.Range, summary, detail string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(detail, args...), Subject: rng}
}

func ptr(r hcl.Range) *hcl.Range { return &r }

// SortDiagnostics orders diagnostics by file, line and column, so output is stable.
func SortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
}

// WriteDiagnostics renders diagnostics the way compilers do:
//
//	crowdstrike.hcl:12:14: error: Unsupported pagination kind
//	   12 |     paginate "cursr" {
//	      |              ^^^^^^^
//	  The pagination kind "cursr" does not exist. Did you mean "cursor"?
//
// sources maps file names to their bytes, for the source lines.
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, sources map[string][]byte) {
	for i, d := range diags {
		if i == maxShown {
			fmt.Fprintf(w, "... and %d more (--json lists them all)\n\n", len(diags)-i)
			return
		}
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		if d.Subject == nil {
			fmt.Fprintf(w, "%s: %s\n", sev, d.Summary)
		} else {
			fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, sev, d.Summary)
			writeSnippet(w, d.Subject, sources[d.Subject.Filename])
		}
		if d.Detail != "" {
			for _, line := range strings.Split(d.Detail, "\n") {
				fmt.Fprintf(w, "  %s\n", line)
			}
		}
		fmt.Fprintln(w)
	}
}

// maxShown caps the diagnostics printed as text: a binary file passed by mistake
// would otherwise print one error per byte, each with its line.
const maxShown = 50

// snippetWidth caps the source shown around a diagnostic's column.
const snippetWidth = 120

func writeSnippet(w io.Writer, rng *hcl.Range, src []byte) {
	line, ok := sourceLineAt(src, rng.Start.Line)
	if !ok {
		return
	}
	line = strings.TrimRight(line, "\r")
	if runes := []rune(line); len(runes) > snippetWidth {
		// Show a window around the column, not a megabyte of one line.
		from := max(min(rng.Start.Column-1-snippetWidth/2, len(runes)-snippetWidth), 0)
		line = string(runes[from : from+snippetWidth])
		shifted := *rng
		shifted.Start.Column -= from
		shifted.End = hcl.Pos{Line: shifted.Start.Line, Column: shifted.Start.Column + 1}
		rng = &shifted
	}
	num := fmt.Sprint(rng.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(w, "  %s | %s\n", num, expandTabs(line))
	start := columnWidth(line, rng.Start.Column)
	end := len([]rune(line)) + 1
	if rng.End.Line == rng.Start.Line && rng.End.Column > rng.Start.Column {
		end = columnWidth(line, rng.End.Column)
	}
	width := max(end-start, 1)
	fmt.Fprintf(w, "  %s | %s%s\n", pad, strings.Repeat(" ", start-1), strings.Repeat("^", width))
}

// columnWidth turns an HCL column (1-based, in characters) into a display column,
// counting a tab as one space as expandTabs prints it.
func columnWidth(line string, col int) int {
	return min(col, len([]rune(line))+1)
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", " ") }

// JSONDiagnostic is the machine-readable form of a diagnostic, for editors and CI.
type JSONDiagnostic struct {
	Severity string   `json:"severity"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
	Range    *JSONPos `json:"range,omitempty"`
}

// JSONPos is a diagnostic's place: 1-based lines and columns, end exclusive.
type JSONPos struct {
	Filename    string `json:"filename"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
	StartOffset int    `json:"start_offset"`
}

// ToJSON converts diagnostics for --json output.
func ToJSON(diags hcl.Diagnostics) []JSONDiagnostic {
	out := make([]JSONDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := JSONDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if s := d.Subject; s != nil {
			jd.Range = &JSONPos{Filename: s.Filename, Line: s.Start.Line, Column: s.Start.Column,
				EndLine: s.End.Line, EndColumn: s.End.Column, StartOffset: s.Start.Byte}
		}
		out = append(out, jd)
	}
	return out
}

// MarshalDiagnostics is ToJSON as indented JSON.
func MarshalDiagnostics(diags hcl.Diagnostics) []byte {
	b, _ := json.MarshalIndent(ToJSON(diags), "", "  ")
	return b
}

// sourceLineAt returns line n (1-based) of src, without splitting the whole file.
func sourceLineAt(src []byte, n int) (string, bool) {
	if n < 1 || src == nil {
		// No source, as for a var file (whose lines may hold secrets): no snippet,
		// rather than an empty line 1 under any position.
		return "", false
	}
	for i := 1; i < n; i++ {
		nl := bytes.IndexByte(src, '\n')
		if nl < 0 {
			return "", false
		}
		src = src[nl+1:]
	}
	if nl := bytes.IndexByte(src, '\n'); nl >= 0 {
		src = src[:nl]
	}
	return string(src), true
}
