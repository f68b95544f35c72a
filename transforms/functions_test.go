package transforms

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// run compiles and runs src on input, returning the one output.
func run(t *testing.T, src string, input any) any {
	t.Helper()
	p, err := Compile(src, nil)
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	v, err := p.One(context.Background(), input, nil)
	if err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
	return v
}

func TestLibraryFunctions(t *testing.T) {
	tests := []struct {
		src   string
		input any
		want  any
	}{
		{`to_rfc3339`, "2024-05-29T08:11:03Z", "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, "2024-05-29T10:11:03.123456789+02:00", "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, "2024-05-29T08:11:03.118227", "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, "Wed, 29 May 2024 08:11:03 GMT", "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, "2024-05-29 08:11:03", "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, "2024-05-29", "2024-05-29T00:00:00Z"},
		{`to_rfc3339`, json.Number("1716970263"), "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, json.Number("1716970263000"), "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, json.Number("1716970263000000000"), "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, "1716970263", "2024-05-29T08:11:03Z"},
		{`to_rfc3339`, nil, nil},
		{`to_rfc3339`, "", nil},
		{`severity`, "CRITICAL", "critical"},
		{`severity`, "Severe", "high"},
		{`severity`, "Moderate", "medium"},
		{`severity`, "important", "high"},
		{`severity`, "note", "low"},
		{`severity`, "NONE", "info"},
		{`severity`, "sideways", nil},
		{`severity`, json.Number("9.8"), "critical"},
		{`severity`, 7.0, "high"},
		{`severity`, 6.9, "medium"},
		{`severity`, "3.9", "low"},
		{`severity`, 0, "info"},
		{`mac`, "08-00-27-51-56-D8", "08:00:27:51:56:d8"},
		{`mac`, "8CEC4B897E73", "8c:ec:4b:89:7e:73"},
		{`mac`, "0800.2751.56d8", "08:00:27:51:56:d8"},
		{`mac`, "not a mac", nil},
		{`mac`, nil, nil},
		{`cve_ids`, "fixes cve-2023-4863 and CVE-2021-44228, again CVE-2023-4863", []any{"CVE-2023-4863", "CVE-2021-44228"}},
		{`cve_ids`, []any{"CVE-2024-0001", 7, "none"}, []any{"CVE-2024-0001"}},
		{`cve_ids`, nil, []any{}},
		{`compact`, map[string]any{"a": 1, "b": nil, "c": "", "d": []any{}, "e": map[string]any{}, "f": false}, map[string]any{"a": 1, "f": false}},
		{`compact`, []any{1, nil, "", "x"}, []any{1, "x"}},
		{`.id`, map[string]any{"id": json.Number("9007199254740993")}, json.Number("9007199254740993")},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := run(t, tt.src, tt.input); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s on %#v = %#v, want %#v", tt.src, tt.input, got, tt.want)
			}
		})
	}
}

func TestLibraryErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`"yesterday" | to_rfc3339`, `to_rfc3339: cannot parse "yesterday" as a date`},
		{`{} | to_rfc3339`, "to_rfc3339: expected a string or number, got object"},
		{`{} | cve_ids`, "cve_ids: expected a string or a list, got object"},
	} {
		p, err := Compile(tt.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.One(context.Background(), nil, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.src, err, tt.want)
		}
	}
}

func TestCompileErrorsCarryPositions(t *testing.T) {
	vars := []string{"$config", "$stream", "$now"}
	tests := []struct {
		src         string
		offset, len int
		msg, hint   string
	}{
		{"{a: .b", 6, 0, "syntax error: unexpected EOF", "the program ends too early"},
		{".a | }", 5, 1, `syntax error: unexpected token "}"`, ""},
		{".a | asciidowncase", 5, 13, "function not defined: asciidowncase/0", `Did you mean "ascii_downcase"?`},
		{`"x\(.a)" | to_rfc333`, 11, 9, "function not defined: to_rfc333/0", `Did you mean "to_rfc3339"?`},
		{"{a: $confg.x}", 4, 6, "variable not defined: $confg", `Did you mean "$config"?`},
		{`"asciidowncase" | asciidowncase`, 18, 13, "function not defined: asciidowncase/0", ""},
		// jq has it, gojq does not; suggesting it for a typo would lead nowhere.
		{`.a | keys_unsorted`, 5, 13, "function not defined: keys_unsorted/0", "always keeps object keys sorted: use keys"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.src, vars)
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("%q: error %v is not *Error", tt.src, err)
		}
		if e.Offset != tt.offset || e.Length != tt.len || e.Message != tt.msg {
			t.Errorf("%q: got offset %d len %d %q, want %d %d %q", tt.src, e.Offset, e.Length, e.Message, tt.offset, tt.len, tt.msg)
		}
		if tt.hint != "" && !contains(e.Hint, tt.hint) {
			t.Errorf("%q: hint %q lacks %q", tt.src, e.Hint, tt.hint)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestMappingMustGiveOneValue(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"empty", "the program produced no output (use // to give a default)"},
		{".[]", "the program produced more than one output; wrap it in [...] or use first(...)"},
	} {
		p, _ := Compile(tt.src, nil)
		if _, err := p.One(context.Background(), []any{1, 2}, nil); err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %q", tt.src, err, tt.want)
		}
	}
}

func TestNoEnvironmentAccess(t *testing.T) {
	t.Setenv("INTEGRATE_SECRET_PROBE", "leak")
	for _, src := range []string{"$ENV", "env"} {
		p, err := Compile(src, nil)
		if err != nil {
			continue // refusing to compile is as good
		}
		v, _ := p.One(context.Background(), nil, nil)
		if m, ok := v.(map[string]any); ok && m["INTEGRATE_SECRET_PROBE"] != nil {
			t.Errorf("%s exposes the environment", src)
		}
	}
}

func TestFilterMustBeBoolean(t *testing.T) {
	p, _ := Compile(".name", nil)
	if _, err := Bind(p).Keep(context.Background(), map[string]any{"name": "x"}); err == nil || err.Error() != "the filter must give true or false, got string" {
		t.Errorf("got %v", err)
	}
	p, _ = Compile(`.name == "x"`, nil)
	if keep, err := Bind(p).Keep(context.Background(), map[string]any{"name": "x"}); err != nil || !keep {
		t.Errorf("keep=%v err=%v", keep, err)
	}
}

// halt and halt_error say what they were given as jq would print it. Before, a map
// came out in Go's syntax ("halted: map[a:1]").
func TestHaltMessages(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{"a": [1, "x"]} | halt_error`, `halted: {"a":[1,"x"]}`},
		{`"no device id\n" | halt_error`, `halted: no device id`},
		{`"plain" | halt_error(5)`, `halted: plain`},
		{`1.5 | halt_error`, `halted: 1.5`},
		{`halt`, `halted`},
	}
	for _, tt := range tests {
		p, err := Compile(tt.src, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.One(context.Background(), nil, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: err = %v, want %q", tt.src, err, tt.want)
		}
	}
}
