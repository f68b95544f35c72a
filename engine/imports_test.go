package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineImports keeps the runtime free of the definition language: the dsl package
// compiles HCL and jq into engine values, never the other way round. -test includes
// the imports of the engine's own tests.
func TestEngineImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-test", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps -test: %v", err)
	}
	deps := strings.Fields(string(out))
	if !contains(deps, "github.com/integrate-dev/integrate/engine") {
		t.Fatalf("go list output does not include the engine itself; got %d packages", len(deps))
	}
	forbidden := []string{
		"github.com/hashicorp/hcl",
		"github.com/zclconf/go-cty",
		"github.com/itchyny/gojq",
		"github.com/integrate-dev/integrate/dsl",
		"github.com/integrate-dev/integrate/transforms",
	}
	for _, dep := range deps {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("engine depends on %s (forbidden prefix %s)", dep, f)
			}
		}
	}
}
