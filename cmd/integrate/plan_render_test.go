package main

import (
	"strings"
	"testing"
)

// Field names are listed as they are: before, they were joined and split on spaces, so
// "a b" read as two fields, "" as a stray comma and a terminal escape went out raw.
func TestPlanFieldList(t *testing.T) {
	var sb strings.Builder
	wrapped(&sb, "  ", quoteOdd([]string{"", "a b", "c, d", "line\nbreak", "\x1b[31mred", "os.name", "hostName", "ünï"}), 40)
	want := `  "", "a b", "c, d", "line\nbreak",
  "\x1b[31mred", os.name, hostName, ünï
`
	if sb.String() != want {
		t.Errorf("got\n%s\nwant\n%s", sb.String(), want)
	}
}
