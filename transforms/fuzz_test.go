package transforms_test

import (
	"errors"
	"testing"

	"github.com/integrate-dev/integrate/transforms"
)

// maxFuzzProgram bounds a fuzzed program: mappings are a few hundred bytes.
const maxFuzzProgram = 4 << 10

var fuzzVars = []string{"$config", "$stream", "$now"}

// FuzzJQCompile checks that Compile never panics and that every error it returns is an
// *Error whose offending text lies within the program, so the dsl can point at it.
func FuzzJQCompile(f *testing.F) {
	for _, seed := range []string{
		".", ".items[]", ".resources[] | select(.status == \"active\")",
		`{ key: "acme:host:\(.id)", class: "host", name: .name | ascii_downcase }`,
		".name | asciidowncase", "$confg.site", "$config.site", ".a | | .b", "{a: .b", "(.a",
		`"unterminated`, `if .a then .b else .c`, `.[] as $x | $x + $stream`, `def f: .; f`,
		`.a as [$x, {b: $y}] | $x`, `reduce .[] as $x (0; . + $x)`, `.a // empty`, `"\(.a | foo)"`,
		"# a comment\n.a", ".a # trailing comment", `@base64d`, `.[1:2]`, `label $out | 1, break $out`,
		`try error("x") catch .`, `to_rfc3339`, `.a?.b?`, `..`, `"é" | foo`, "\x00", "\xf9", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > maxFuzzProgram {
			t.Skip()
		}
		_, err := transforms.Compile(src, fuzzVars)
		if err == nil {
			return
		}
		var e *transforms.Error
		if !errors.As(err, &e) {
			t.Fatalf("Compile(%q) returned %T, want *transforms.Error", src, err)
		}
		if e.Offset < 0 || e.Offset > len(src) {
			t.Errorf("Compile(%q): Offset %d is outside the %d bytes of the program", src, e.Offset, len(src))
		}
		// Length may run past the end (an invalid byte is reported as the 3-byte
		// U+FFFD token); the dsl clamps the range, so only its sign is checked here.
		if e.Length < 0 {
			t.Errorf("Compile(%q): negative Length %d", src, e.Length)
		}
	})
}
