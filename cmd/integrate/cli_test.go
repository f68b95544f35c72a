package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixedNow pins $now so goldens do not move.
const fixedNow = "INTEGRATE_NOW=2026-01-01T00:00:00Z"

// runCLI runs the command line in-process and returns what it printed and its exit code.
func runCLI(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = newCLI(strings.NewReader(""), &out, &errb, append([]string{fixedNow}, env...)).Run(args)
	return out.String(), errb.String(), code
}

func repoPath(parts ...string) string {
	return filepath.Join(append([]string{"..", ".."}, parts...)...)
}

func shippedDefinitions(t *testing.T) []string {
	t.Helper()
	defs, err := filepath.Glob(repoPath("definitions", "*.hcl"))
	if err != nil || len(defs) < 4 {
		t.Fatalf("shipped definitions: %v %v", defs, err)
	}
	return defs
}

func vendorOf(def string) string { return strings.TrimSuffix(filepath.Base(def), ".hcl") }

// TestMockRunsMatchGoldens runs every shipped definition against its mock, cleanly and
// with every fault injected (429 with a wait header, 500, a dropped connection, an
// expired token), and requires the same committed output from both.
func TestMockRunsMatchGoldens(t *testing.T) {
	for _, def := range shippedDefinitions(t) {
		for _, faults := range []string{"none", "default"} {
			t.Run(vendorOf(def)+"/faults="+faults, func(t *testing.T) {
				t.Parallel()
				stdout, stderr, code := runCLI(t, nil, "run", def, "--mock", "--mock-faults", faults)
				if code != exitOK {
					t.Fatalf("exit %d, stderr:\n%s", code, stderr)
				}
				golden := repoPath("testdata", "golden", vendorOf(def)+".jsonl")
				if *update && faults == "none" {
					if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/integrate -update to create it)", err)
				}
				if stdout != string(want) {
					t.Errorf("output differs from %s:\n%s", golden, firstDiff(string(want), stdout))
				}
				if !strings.Contains(stderr, "run complete:") {
					t.Errorf("summary missing from stderr:\n%s", stderr)
				}
				if faults == "default" && !strings.Contains(stderr, "retries") {
					t.Errorf("summary has no retries column:\n%s", stderr)
				}
			})
		}
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no difference found)"
}
