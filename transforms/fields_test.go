package transforms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestInputFields(t *testing.T) {
	tests := []struct {
		src  string
		want []string // nil: the analysis must give up (the whole record is needed)
	}{
		// Plain field reads, in every spelling.
		{`.a`, []string{"a"}},
		{`."a-b"`, []string{"a-b"}},
		{`.["a b"]`, []string{"a b"}},
		{`."caf\u00e9"`, []string{"café"}},
		{`.a.b.c`, []string{"a"}},
		{`.a[0].b[]?`, []string{"a"}},
		{`.a | .b`, []string{"a"}},
		{`{a, "b", c: .d, "e": .f}`, []string{"a", "b", "d", "f"}},
		{`{(.k): .v}`, []string{"k", "v"}},
		{`{"x\(.k)": 1}`, []string{"k"}},
		{`"\(.a)-\(.b | ascii_downcase)"`, []string{"a", "b"}},
		{`@base64 "\(.a)"`, []string{"a"}},
		{`[.a, .b] | map(select(. != null)) | join(" ")`, []string{"a", "b"}},
		{`.a // .b // error("none")`, []string{"a", "b"}},
		{`if .a then .b elif .c then .d else .e end`, []string{"a", "b", "c", "d", "e"}},
		{`.a as $x | .b + $x`, []string{"a", "b"}},
		{`.a as [$x, {k: $y}] | {$x, $y, z: .c}`, []string{"a", "c"}},
		{`.a as {("k" + .b): $v} | $v`, nil}, // a computed key in a pattern runs on the record
		{`reduce .a[] as $x (.b; . + $x)`, []string{"a", "b"}},
		{`foreach .a[] as $x (0; . + $x; [$x, .])`, []string{"a"}},
		{`try .a catch .`, []string{"a"}},
		{`.a[.b]`, []string{"a", "b"}},
		{`.a[.b:.c]`, []string{"a", "b", "c"}},
		{`label $out | .a, break $out`, []string{"a"}},
		{`-.a * 2 > .b and (.c | not)`, []string{"a", "b", "c"}},
		{`{a: .a, n: now, s: $stream, e: empty}`, []string{"a"}},
		{`1, "x", null, true, [], {}`, []string{}},
		{`.a | .. | numbers`, []string{"a"}},
		{`.a | keys`, []string{"a"}},
		{`.a | to_entries | map(.key)`, []string{"a"}},
		{`.a | . as $r | $r`, []string{"a"}},
		// Everything that may read the record other than by a constant key.
		{`.`, nil},
		{`..`, nil},
		{`.[]`, nil},
		{`.[0]`, nil},
		{`.[1:]`, nil},
		{`.[.k]`, nil},
		{`.["a\(.b)"]`, nil},
		{`{"a\(.b)"}`, nil},
		{`keys`, nil},
		{`to_entries`, nil},
		{`with_entries(.value |= tostring)`, nil},
		{`del(.a)`, nil},
		{`.a = 1`, nil},
		{`.a |= 1`, nil},
		{`.a += 1`, nil},
		{`tojson`, nil},
		{`length`, nil},
		{`has("a")`, nil},
		{`getpath(["a"])`, nil},
		{`paths`, nil},
		{`@json`, nil},
		{`. as $r | $r.a`, nil},
		{`.a // .`, nil},
		{`if .a then .b end`, nil}, // no else: the record itself is an output
		{`.a, .`, nil},
		{`[.]`, nil},
		{`{r: .}`, nil},
		{`"\(.)"`, nil},
		{`error(.)`, nil},
		{`def f: .a; f`, nil},
		{`reduce .a[] as $x (.; . + $x)`, nil},
		{`to_rfc3339`, nil},
		{`select(.a)`, nil},
		{`first(.a)`, nil},
		{`$config.a`, []string{}}, // a variable is never bound to the record
		{`$config | .a`, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := Compile(tt.src, fieldVars)
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			got, ok := p.InputFields()
			if tt.want == nil {
				if ok {
					t.Fatalf("InputFields() = %q, true; want the analysis to give up", got)
				}
				return
			}
			if !ok {
				t.Fatalf("InputFields() gave up; want %q", tt.want)
			}
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Fatalf("InputFields() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestInputFieldsShippedMapping pins the CrowdStrike mapping's fields: the engine
// decodes just these of each host, so a change in the analysis that loses one would
// change output silently (the goldens would catch it too, later and less clearly).
func TestInputFieldsShippedMapping(t *testing.T) {
	src := `{
	  key: "crowdstrike:host:\(.device_id // error("the host has no device_id"))",
	  hostnames: [.hostname, (if .machine_domain then "\(.hostname).\(.machine_domain)" else empty end)],
	  os: ([.os_product_name // .os_version, .os_build] | map(select(. != null and . != "")) | join(" build ")),
	  cloud: (if .instance_id then {provider: (.service_provider // "" | ascii_downcase | split("_")[0])} else null end),
	  first_seen: (.first_seen | to_rfc3339),
	  tags: .tags
	}`
	p, err := Compile(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := p.InputFields()
	want := []string{"device_id", "first_seen", "hostname", "instance_id", "machine_domain", "os_build", "os_product_name", "os_version", "service_provider", "tags"}
	if !ok || !slices.Equal(got, want) {
		t.Fatalf("InputFields() = %q, %v; want %q", got, ok, want)
	}
}

var fieldVars = []string{"$config", "$stream", "$now"}

// The records the equivalence checks run on: nested values, arrays, nulls, numbers,
// a key with an escape, and a member every program below could reach only by a
// whole-record read.
var fieldRecords = []any{
	map[string]any{"a": 1.0, "b": "x", "c": []any{1.0, "two", nil}, "d": map[string]any{"e": true}, "k": "a", "v": 3.0, "café": "é", "hidden": "only for whole reads"},
	map[string]any{"a": []any{map[string]any{"b": 2.0}}, "b": 0.0, "c": 1.0, "k": "c", "hidden": nil},
	map[string]any{"a": nil, "hidden": map[string]any{"deep": []any{1.0}}},
	map[string]any{},
	map[string]any{"a": "string", "b": map[string]any{}, "e": "E", "f": false},
}

// projectRecord keeps the members of rec named in fields, as the engine's decoder does.
func projectRecord(rec any, fields []string) any {
	m, ok := rec.(map[string]any)
	if !ok {
		return rec
	}
	out := map[string]any{}
	for _, f := range fields {
		if v, ok := m[f]; ok {
			out[f] = v
		}
	}
	return out
}

// outputs runs p on input and returns its outputs and error as one comparable string.
// It stops after a few outputs or a short deadline: fuzzed programs may not end.
func outputs(p *Program, input any) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var out []string
	errEnough := errors.New("enough")
	err := p.Each(ctx, input, []any{map[string]any{"site": "s"}, "hosts", "2024-01-01T00:00:00Z"}, func(v any) error {
		out = append(out, fmt.Sprintf("%#v", v))
		if len(out) == 8 {
			return errEnough
		}
		return nil
	})
	if ctx.Err() != nil {
		return "", false
	}
	if err != nil && !errors.Is(err, errEnough) {
		out = append(out, "error: "+err.Error())
	}
	return strings.Join(out, "\n"), true
}

// checkProjection asserts the property the engine relies on: when InputFields says a
// program reads only some members, running it on a record with only those members
// gives the same outputs and the same errors as running it on the whole record.
func checkProjection(t *testing.T, src string) {
	p, err := Compile(src, fieldVars)
	if err != nil {
		return
	}
	fields, ok := p.InputFields()
	if !ok {
		return
	}
	for i, rec := range fieldRecords {
		whole, ok1 := outputs(p, rec)
		projected, ok2 := outputs(p, projectRecord(rec, fields))
		if !ok1 || !ok2 {
			continue
		}
		if whole != projected {
			t.Fatalf("%q reads only %q, but on record %d the whole record gives\n%s\nand the projected one\n%s", src, fields, i, whole, projected)
		}
	}
}

var projectionSeeds = []string{
	`.a`, `.a.b`, `{a, b: .c[1], d: (.d | keys)}`, `[.a, .b] | map(select(. != null))`,
	`.a // .b // error("none")`, `if .a then .b else .c end`, `.a as $x | .b + $x`,
	`reduce .c[] as $x (0; . + 1)`, `try .a.b catch .`, `.c[.b]`, `.k as $k | .v`,
	`"\(.a)-\(.b)"`, `{(.k): .v}`, `.a | tojson`, `.d | to_entries`, `[.c[]?]`, `.café`,
	`."café"`, `.["café"]`, `{"x\(.k)": .a}`, `.a as [$x] | $x`, `.e // "none" | ascii_downcase`,
	`label $f | .a, break $f`, `foreach .c[] as $x (0; . + 1; [$x, .])`, `.hidden`, `.["hidden"]`,
	`.a | .. `, `.b | length`, `error(.a)`, `$stream + .b`, `$config.site as $s | .a`,
	// Whole-record reads, which the analysis must refuse.
	`if .a then .b end`, `.x // .`, `[.]`, `keys`, `.[.k]`, `del(.a)`, `.a, .`, `tojson`,
}

func TestInputFieldsProjectionEquivalent(t *testing.T) {
	for _, src := range projectionSeeds {
		checkProjection(t, src)
	}
}

// FuzzInputFields looks for a program the analysis gets wrong: one it says reads only
// some members but that gives another answer on a record cut down to them.
func FuzzInputFields(f *testing.F) {
	for _, s := range projectionSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4<<10 || strings.Contains(src, "now") || strings.Contains(src, "input") {
			t.Skip() // the clock and the input stream differ between two runs on their own
		}
		checkProjection(t, src)
	})
}
