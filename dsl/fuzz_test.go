package dsl_test

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/integrate-dev/integrate/dsl"
)

// maxFuzzDefinition bounds a fuzzed definition: the largest shipped one is a few KiB.
const maxFuzzDefinition = 64 << 10

// FuzzLoad checks that no definition makes the compiler panic, whatever its bytes:
// loading, validating and rendering the diagnostics only ever report.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{invalidDir, validDir, shippedDir} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
		for _, p := range paths {
			f.Add(readFile(f, p))
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > maxFuzzDefinition {
			t.Skip()
		}
		// Validation runs on definitions that failed to load too, so it must hold up
		// on half-decoded blocks.
		_, diags := dsl.LoadSourceAndValidate("fuzz.hcl", src)
		dsl.WriteDiagnostics(io.Discard, diags, map[string][]byte{"fuzz.hcl": src})
		for _, d := range diags {
			if s := d.Subject; s != nil && (s.Start.Byte < 0 || s.Start.Byte > len(src) || s.End.Byte < s.Start.Byte) {
				t.Errorf("%q: range %s is not within the %d bytes of the source", d.Summary, s, len(src))
			}
		}
	})
}
