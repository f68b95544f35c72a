package dsl_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/integrate-dev/integrate/dsl"
)

const (
	invalidDir = "../testdata/invalid"
	validDir   = "../testdata/valid"
	shippedDir = "../definitions"
)

// expectation is one expected error diagnostic: a summary on a line.
type expectation struct {
	line    int
	summary string
}

func (e expectation) String() string { return fmt.Sprintf("line %d: %q", e.line, e.summary) }

// markerRe finds "# ERROR: <summary>"; a line may carry several markers.
var markerRe = regexp.MustCompile(`# ERROR: ([^#]*)`)

// markers reads the "# ERROR: <summary>" markers of a fixture, counted per line.
func markers(src []byte) map[expectation]int {
	out := map[expectation]int{}
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range markerRe.FindAllStringSubmatch(line, -1) {
			out[expectation{i + 1, strings.TrimSpace(m[1])}]++
		}
	}
	return out
}

// reported counts the error diagnostics per start line and summary.
func reported(diags hcl.Diagnostics) map[expectation]int {
	out := map[expectation]int{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		out[expectation{line, d.Summary}]++
	}
	return out
}

// loadAndValidate does what integrate validate does with one file.
func loadAndValidate(path string) (*dsl.Definition, hcl.Diagnostics) {
	return dsl.LoadAndValidate(path)
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.hcl"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s: %v", dir, err)
	}
	sort.Strings(paths)
	return paths
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func rendered(diags hcl.Diagnostics, path string, src []byte) string {
	var buf bytes.Buffer
	dsl.WriteDiagnostics(&buf, diags, map[string][]byte{path: src})
	return buf.String()
}

// TestInvalidFixtures checks that every invalid fixture gets exactly the errors its
// markers announce, each on its line, and no other error.
func TestInvalidFixtures(t *testing.T) {
	for _, path := range fixtures(t, invalidDir) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			src := readFile(t, path)
			want := markers(src)
			if len(want) == 0 {
				t.Fatal("no # ERROR: marker: an invalid fixture says which errors it expects")
			}
			_, diags := loadAndValidate(path)
			checkSubjects(t, diags, path, src)
			got := reported(diags)
			for _, e := range sortedExpectations(want, got) {
				switch w, g := want[e], got[e]; {
				case g < w:
					t.Errorf("%s: expected %d, reported %d", e, w, g)
				case g > w:
					t.Errorf("%s: reported %d, expected %d (no marker)", e, g, w)
				}
			}
			if t.Failed() {
				t.Logf("diagnostics:\n%s", rendered(diags, path, src))
			}
		})
	}
}

func sortedExpectations(sets ...map[expectation]int) []expectation {
	seen := map[expectation]bool{}
	var out []expectation
	for _, s := range sets {
		for e := range s {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].line != out[j].line {
			return out[i].line < out[j].line
		}
		return out[i].summary < out[j].summary
	})
	return out
}

// checkSubjects checks that every diagnostic points into the file: a Subject in this
// file, its start on a real line and column, its byte offset agreeing with both, and
// an end not before its start.
func checkSubjects(t *testing.T, diags hcl.Diagnostics, path string, src []byte) {
	t.Helper()
	lines := strings.Split(string(src), "\n")
	for _, d := range diags {
		s := d.Subject
		if s == nil {
			t.Errorf("%q has no Subject", d.Summary)
			continue
		}
		if s.Filename != path {
			t.Errorf("%q: Subject in %q, want %q", d.Summary, s.Filename, path)
		}
		if s.Start.Line < 1 || s.Start.Line > len(lines) {
			t.Errorf("%q: line %d is not in the file (%d lines)", d.Summary, s.Start.Line, len(lines))
			continue
		}
		line := strings.TrimRight(lines[s.Start.Line-1], "\r")
		if s.Start.Column < 1 || s.Start.Column > utf8.RuneCountInString(line)+1 {
			t.Errorf("%q: column %d is not within line %d %q", d.Summary, s.Start.Column, s.Start.Line, line)
			continue
		}
		if want := byteOffset(lines, s.Start.Line, s.Start.Column); s.Start.Byte != want {
			t.Errorf("%q: %d:%d is byte %d, but Subject says byte %d", d.Summary, s.Start.Line, s.Start.Column, want, s.Start.Byte)
		}
		if s.End.Byte < s.Start.Byte || s.End.Line < s.Start.Line || s.End.Byte > len(src) {
			t.Errorf("%q: range %s ends before it starts or after the file", d.Summary, s)
		}
	}
}

// byteOffset turns a 1-based line and column (in characters) into a byte offset.
func byteOffset(lines []string, line, col int) int {
	off := 0
	for _, l := range lines[:line-1] {
		off += len(l) + 1
	}
	l := lines[line-1]
	for i := 1; i < col && l != ""; i++ {
		_, n := utf8.DecodeRuneInString(l)
		off, l = off+n, l[n:]
	}
	return off
}

// TestValidFixtures checks that the valid fixtures and the shipped definitions
// validate with no diagnostic at all.
func TestValidFixtures(t *testing.T) {
	paths := append(fixtures(t, validDir), fixtures(t, shippedDir)...)
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			src := readFile(t, path)
			if m := markers(src); len(m) > 0 {
				t.Errorf("a valid fixture has # ERROR: markers: %v", m)
			}
			_, diags := loadAndValidate(path)
			if len(diags) > 0 {
				t.Errorf("want no diagnostics, got:\n%s", rendered(diags, path, src))
			}
		})
	}
}

// TestKindConformance makes a new auth or pagination kind come with fixtures: each
// kind of the tables is used by a valid fixture, and an invalid fixture has an error
// marker inside a block of that kind.
func TestKindConformance(t *testing.T) {
	valid := kindBlocks(t, fixtures(t, validDir), false)
	invalid := kindBlocks(t, fixtures(t, invalidDir), true)
	for typ, names := range map[string][]string{"auth": dsl.AuthKindNames, "paginate": dsl.PageKindNames} {
		if len(names) == 0 {
			t.Fatalf("the %s kind table is empty", typ)
		}
		for _, name := range names {
			k := fmt.Sprintf("%s %q", typ, name)
			if !valid[k] {
				t.Errorf("no valid fixture in %s uses %s", validDir, k)
			}
			if !invalid[k] {
				t.Errorf("no invalid fixture in %s has an # ERROR: marker inside a %s block", invalidDir, k)
			}
		}
	}
}

// kindBlocks returns the auth and paginate blocks of the files, as `auth "basic"`;
// withMarker keeps only the blocks with an error marker between their first and
// last line.
func kindBlocks(t *testing.T, paths []string, withMarker bool) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, path := range paths {
		src := readFile(t, path)
		marked := map[int]bool{}
		for e := range markers(src) {
			marked[e.line] = true
		}
		file, _ := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		walkBlocks(body, func(b *hclsyntax.Block) {
			if (b.Type != "auth" && b.Type != "paginate") || len(b.Labels) != 1 {
				return
			}
			if withMarker && !anyLine(marked, b.DefRange().Start.Line, b.Range().End.Line) {
				return
			}
			out[fmt.Sprintf("%s %q", b.Type, b.Labels[0])] = true
		})
	}
	return out
}

func walkBlocks(body *hclsyntax.Body, fn func(*hclsyntax.Block)) {
	for _, b := range body.Blocks {
		fn(b)
		walkBlocks(b.Body, fn)
	}
}

func anyLine(lines map[int]bool, from, to int) bool {
	for l := from; l <= to; l++ {
		if lines[l] {
			return true
		}
	}
	return false
}
