// The integrate command is a thin cobra layer over dsl and engine: it parses flags,
// loads and builds definitions, starts a built-in mock when asked, and renders
// diagnostics, plans and summaries. Exit codes are named in exitcodes.go.
package main
