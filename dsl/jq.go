package dsl

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/integrate-dev/integrate/transforms"
)

// JQVariables are the variables every jq program of a definition can use, in the order
// Build binds them.
var JQVariables = []string{"$config", "$stream", "$now"}

// jqAttr is a compiled jq program and where it came from.
type jqAttr struct {
	Program *transforms.Program
	Range   hcl.Range
	name    string                      // the attribute: asset, records, token, ...
	lit     *hclsyntax.LiteralValueExpr // its literal, to map offsets in the program to the file
}

// compileJQ compiles an attribute that holds a jq program. The program must be a
// literal string (a heredoc preferred): jq sees config through $config, never through
// HCL interpolation, so what runs is what the reviewer reads.
func compileJQ(attr *hcl.Attribute, src []byte) (*jqAttr, hcl.Diagnostics) {
	lit, ok := literalTemplate(attr.Expr)
	if !ok {
		return nil, hcl.Diagnostics{errorf(ptr(nonLiteralRange(attr.Expr)), "jq program must be a literal string",
			"The %q attribute holds a jq program, which must be a literal string or heredoc with no ${...} interpolation. "+
				"Use $config.name inside jq to read a config value.", attr.Name)}
	}
	text := ""
	if lit != nil {
		text = lit.Val.AsString()
	}
	if strings.TrimSpace(text) == "" {
		return nil, hcl.Diagnostics{errorf(ptr(attr.Expr.Range()), "Empty jq program",
			"The %q attribute is empty. Write a jq program, for example \".\" for the whole value.", attr.Name)}
	}
	prog, err := transforms.Compile(text, JQVariables)
	if err != nil {
		return nil, hcl.Diagnostics{jqDiagnostic(attr, lit, text, err.(*transforms.Error), src)}
	}
	return &jqAttr{Program: prog, Range: attr.Expr.Range(), name: attr.Name, lit: lit}, nil
}

// literalTemplate returns the single literal of a template with no interpolation;
// nil with ok=true for an empty string.
func literalTemplate(expr hcl.Expression) (*hclsyntax.LiteralValueExpr, bool) {
	te, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return nil, false
	}
	if len(te.Parts) == 0 {
		return nil, true
	}
	if len(te.Parts) != 1 {
		return nil, false
	}
	lit, ok := te.Parts[0].(*hclsyntax.LiteralValueExpr)
	return lit, ok
}

// nonLiteralRange is the first ${...} or %{...} of a template, else the expression.
func nonLiteralRange(expr hcl.Expression) hcl.Range {
	if te, ok := expr.(*hclsyntax.TemplateExpr); ok {
		for _, p := range te.Parts {
			if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
				return p.Range()
			}
		}
	}
	return expr.Range()
}

func jqDiagnostic(attr *hcl.Attribute, lit *hclsyntax.LiteralValueExpr, text string, e *transforms.Error, src []byte) *hcl.Diagnostic {
	rng := attr.Expr.Range()
	if lit != nil && src != nil {
		rng = mapOffset(lit.SrcRange, text, e.Offset, max(e.Length, 1), src)
	}
	detail := "The jq program in " + attr.Name + " does not compile: " + e.Message + "."
	if e.Hint != "" {
		detail += " " + e.Hint
	}
	return errorf(&rng, "Invalid jq expression", "%s", detail)
}

// mapOffset turns a byte offset in a literal's value into a range in the file.
// A heredoc value is the file's lines less a common indentation; a quoted string's
// value is its source with the escapes resolved. A heredoc's literal spans lines; a
// quoted string stays on one line even when an escape (\n) puts a newline in its value.
func mapOffset(litRange hcl.Range, value string, offset, length int, src []byte) hcl.Range {
	offset = min(max(offset, 0), len(value))
	end := min(offset+length, len(value))
	if litRange.Start.Line != litRange.End.Line {
		return hcl.Range{Filename: litRange.Filename,
			Start: heredocPos(litRange, value, offset, src), End: heredocPos(litRange, value, end, src)}
	}
	return hcl.Range{Filename: litRange.Filename,
		Start: quotedPos(litRange, value, offset, src), End: quotedPos(litRange, value, end, src)}
}

func heredocPos(litRange hcl.Range, value string, offset int, src []byte) hcl.Pos {
	before := value[:offset]
	lineIdx := strings.Count(before, "\n")
	lineStart := strings.LastIndexByte(before, '\n') + 1
	valueLine := value[lineStart:]
	if nl := strings.IndexByte(valueLine, '\n'); nl >= 0 {
		valueLine = valueLine[:nl]
	}
	fileLineNo := litRange.Start.Line + lineIdx
	fileLine, fileLineByte := sourceLine(src, fileLineNo)
	// <<- strips leading whitespace only, so the indentation is the difference of the
	// leading whitespace; the rest of the line may differ by escapes ($${) and a \r.
	indent := min(max(leadingSpace(fileLine)-leadingSpace(valueLine), 0), len(fileLine))
	byteInLine := indent + sourceLen(fileLine[indent:], offset-lineStart, false)
	return hcl.Pos{Line: fileLineNo, Column: utf8.RuneCountInString(fileLine[:byteInLine]) + 1,
		Byte: fileLineByte + byteInLine}
}

func quotedPos(litRange hcl.Range, value string, offset int, src []byte) hcl.Pos {
	line, lineByte := sourceLine(src, litRange.Start.Line)
	rel := min(max(litRange.Start.Byte-lineByte, 0), len(line))
	j := rel + sourceLen(line[rel:], offset, true)
	return hcl.Pos{Line: litRange.Start.Line, Column: utf8.RuneCountInString(line[:j]) + 1, Byte: lineByte + j}
}

func leadingSpace(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// sourceLen returns how many bytes of a literal's source make the first n bytes of its
// value: an escape is longer in the source than in the value.
func sourceLen(src string, n int, quoted bool) int {
	j := 0
	for i := 0; i < n && j < len(src); {
		srcN, valN := escapeAt(src[j:], quoted)
		if i+valN > n {
			break
		}
		i, j = i+valN, j+srcN
	}
	return min(j, len(src))
}

// escapeAt returns the source and value lengths of the character or escape that
// starts s: $${ and %%{ anywhere, and the backslash escapes of quoted strings.
func escapeAt(s string, quoted bool) (srcN, valN int) {
	switch {
	case len(s) >= 3 && (s[0] == '$' || s[0] == '%') && s[1] == s[0] && s[2] == '{':
		return 3, 2
	case !quoted || s[0] != '\\' || len(s) < 2:
		return 1, 1
	case s[1] == 'u' && len(s) >= 6:
		return 6, escapedRuneLen(s[2:6])
	case s[1] == 'U' && len(s) >= 10:
		return 10, escapedRuneLen(s[2:10])
	}
	return 2, 1
}

// escapedRuneLen is the UTF-8 length of the rune a \u or \U escape writes.
func escapedRuneLen(hex string) int {
	n, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || utf8.RuneLen(rune(n)) < 0 {
		return utf8.RuneLen(utf8.RuneError)
	}
	return utf8.RuneLen(rune(n))
}

// sourceLine returns line n (1-based) of src without its newline, and its byte offset.
func sourceLine(src []byte, n int) (string, int) {
	off := 0
	for line := 1; line < n; line++ {
		nl := strings.IndexByte(string(src[off:]), '\n')
		if nl < 0 {
			return "", len(src)
		}
		off += nl + 1
	}
	rest := string(src[off:])
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	return strings.TrimRight(rest, "\r"), off
}
