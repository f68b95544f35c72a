package main

import (
	"fmt"
	"strings"
)

// unifiedDiff renders a line diff of a and b with three lines of context, in the
// unified format reviewers know from git. Definitions are small, so the quadratic
// longest-common-subsequence table is fine.
func unifiedDiff(name string, a, b string) string {
	al, bl := splitLines(a), splitLines(b)
	ops := diffOps(al, bl)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s (formatted)\n", name, name)
	for _, h := range hunks(ops, 3) {
		writeHunk(&out, h)
	}
	return out.String()
}

func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

type diffOp struct {
	kind   byte // ' ', '-', '+'
	line   string
	ai, bi int // 1-based line numbers in a and b before this op
}

func diffOps(a, b []string) []diffOp {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i], i + 1, j + 1})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', a[i], i + 1, j + 1}) // removals first, as diff -u prints them
			i++
		default:
			ops = append(ops, diffOp{'+', b[j], i + 1, j + 1})
			j++
		}
	}
	return ops
}

// hunks groups changes with ctx lines of context around them.
func hunks(ops []diffOp, ctx int) [][]diffOp {
	var out [][]diffOp
	start, end := -1, -1
	for k, op := range ops {
		if op.kind == ' ' {
			continue
		}
		lo, hi := max(k-ctx, 0), min(k+ctx+1, len(ops))
		if start >= 0 && lo <= end {
			end = hi
			continue
		}
		if start >= 0 {
			out = append(out, ops[start:end])
		}
		start, end = lo, hi
	}
	if start >= 0 {
		out = append(out, ops[start:end])
	}
	return out
}

func writeHunk(out *strings.Builder, h []diffOp) {
	var an, bn int
	for _, op := range h {
		if op.kind != '+' {
			an++
		}
		if op.kind != '-' {
			bn++
		}
	}
	fmt.Fprintf(out, "@@ -%d,%d +%d,%d @@\n", h[0].ai, an, h[0].bi, bn)
	for _, op := range h {
		line := op.line
		if !strings.HasSuffix(line, "\n") {
			line += "\n\\ No newline at end of file\n"
		}
		out.WriteString(string(op.kind) + line)
	}
}
