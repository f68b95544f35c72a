package dsl

import (
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
}

// compileJQ compiles an attribute that holds a jq program. The program must be a
// literal string (a heredoc preferred): jq sees config through $config, never through
// HCL interpolation, so what runs is what the reviewer reads.
func compileJQ(attr *hcl.Attribute, src []byte) (*jqAttr, hcl.Diagnostics) {
	lit, ok := literalTemplate(attr.Expr)
	if !ok {
		return nil, hcl.Diagnostics{errorf(ptr(attr.Expr.Range()), "jq program must be a literal string",
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
	return &jqAttr{Program: prog, Range: attr.Expr.Range()}, nil
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
// value is its source with the escapes resolved.
func mapOffset(litRange hcl.Range, value string, offset, length int, src []byte) hcl.Range {
	offset = min(max(offset, 0), len(value))
	end := min(offset+length, len(value))
	if litRange.Start.Line != litRange.End.Line || strings.Contains(value, "\n") {
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
	indent := max(len(fileLine)-len(valueLine), 0)
	byteInLine := indent + (offset - lineStart)
	return hcl.Pos{Line: fileLineNo, Column: utf8.RuneCountInString(fileLine[:min(byteInLine, len(fileLine))]) + 1,
		Byte: fileLineByte + byteInLine}
}

func quotedPos(litRange hcl.Range, value string, offset int, src []byte) hcl.Pos {
	j := litRange.Start.Byte
	for i := 0; i < offset && j < len(src); i++ {
		switch {
		case src[j] == '\\' && j+1 < len(src) && src[j+1] == 'u':
			j += 6
		case src[j] == '\\' && j+1 < len(src) && src[j+1] == 'U':
			j += 10
		case src[j] == '\\':
			j += 2
		case (src[j] == '$' || src[j] == '%') && j+2 < len(src) && src[j+1] == src[j] && src[j+2] == '{':
			j += 2
		default:
			j++
		}
	}
	j = min(j, len(src))
	line, lineByte := sourceLine(src, litRange.Start.Line)
	col := utf8.RuneCountInString(line[:min(max(j-lineByte, 0), len(line))]) + 1
	return hcl.Pos{Line: litRange.Start.Line, Column: col, Byte: j}
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
