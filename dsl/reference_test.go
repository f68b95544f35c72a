package dsl

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// updateReference is the package's one -update flag: tests in dsl that rewrite goldens share it.
var updateReference = flag.Bool("update", false, "rewrite the generated files (README reference, goldens)")

const (
	refStart = "<!-- reference:start -->\n"
	refEnd   = "<!-- reference:end -->"
)

// TestReadmeReference keeps the README's reference equal to what the decoder accepts.
func TestReadmeReference(t *testing.T) {
	const path = "../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	i, j := strings.Index(readme, refStart), strings.Index(readme, refEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", refStart, refEnd)
	}
	want := readme[:i+len(refStart)] + Reference() + readme[j:]
	if *updateReference {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if readme != want {
		t.Error("README.md's reference is out of date: run go test ./dsl -run TestReadmeReference -update")
	}
	for _, must := range []string{"`paginate \"cursor\"`", "`auth \"oauth2_client_credentials\"`", "`to_rfc3339`", "| `max_wait` |"} {
		if !strings.Contains(want, must) {
			t.Errorf("the reference lacks %s", must)
		}
	}
}
