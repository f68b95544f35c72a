package main

import "testing"

func TestUnifiedDiff(t *testing.T) {
	a := "integration \"m\" {\ntitle=\"Messy\"\n  http {}\n}\n"
	b := "integration \"m\" {\n  title = \"Messy\"\n  http {}\n}\n"
	want := "--- x.hcl\n+++ x.hcl (formatted)\n@@ -1,4 +1,4 @@\n integration \"m\" {\n-title=\"Messy\"\n+  title = \"Messy\"\n   http {}\n }\n"
	if got := unifiedDiff("x.hcl", a, b); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := unifiedDiff("x.hcl", a, a); got != "--- x.hcl\n+++ x.hcl (formatted)\n" {
		t.Errorf("no change gave\n%s", got)
	}
}
