package dsl_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/integrate-dev/integrate/dsl"
)

// TestDiagnosticDetails checks what the markers cannot: the detail of a diagnostic,
// above all its "Did you mean".
func TestDiagnosticDetails(t *testing.T) {
	tests := []struct {
		fixture string
		line    int
		detail  string // a part of the detail
	}{
		{"unsupported_argument.hcl", 3, `Did you mean "title"?`},
		{"unsupported_argument.hcl", 22, `Did you mean "records"?`},
		{"unsupported_argument.hcl", 17, `The argument "records" is required in stream "hosts"`},
		{"unsupported_block.hcl", 21, `Did you mean "stream"?`},
		{"unsupported_block.hcl", 12, `Did you mean "retry"?`},
		{"auth_kind_unsupported.hcl", 13, `Did you mean "bearer"?`},
		{"auth_kind_unsupported.hcl", 18, `Supported kinds: "api_key", "basic", "bearer", "oauth2_client_credentials".`},
		{"paginate_kind_unsupported.hcl", 22, `Did you mean "cursor"?`},
		{"undeclared_config.hcl", 16, `Did you mean "token"?`},
		{"undeclared_config.hcl", 21, `Did you mean "organization"?`},
		{"undeclared_config.hcl", 22, `Declare it with config "region" { ... }.`},
		{"undeclared_local.hcl", 15, `Did you mean "api_root"?`},
		{"unknown_variable.hcl", 21, `Did you mean "config"?`},
		{"unknown_variable.hcl", 27, `Did you mean "local"?`},
		{"jq_undefined_function.hcl", 33, `Did you mean "ascii_downcase"?`},
		{"jq_undefined_variable.hcl", 30, `Did you mean "$config"?`},
		{"jq_undefined_variable.hcl", 35, `Variables available here: $config, $stream, $now.`},
		{"function_unknown.hcl", 17, `Did you mean "lower"?`},
		{"function_unknown.hcl", 11, `Did you mean "length"?`},
		{"oauth2_client_auth.hcl", 19, `Did you mean "basic"?`},
		{"wait_header_format.hcl", 16, `Did you mean "epoch_seconds"?`},
		{"method_invalid.hcl", 33, `Did you mean "POST"?`},
		{"duplicate_names.hcl", 9, `was already declared at ../testdata/invalid/duplicate_names.hcl:5.`},
		{"duplicate_local.hcl", 15, `was already declared at ../testdata/invalid/duplicate_local.hcl:10.`},
		{"duplicate_blocks.hcl", 13, `Integration "acme" may have one http block; one was already declared at ../testdata/invalid/duplicate_blocks.hcl:9.`},
		{"duplicate_integration.hcl", 30, `The file may have one integration block; one was already declared at ../testdata/invalid/duplicate_integration.hcl:2.`},
		{"duration_invalid.hcl", 11, `got "30 seconds"`},
		{"locals_cycle.hcl", 10, `local "api" depends on itself (api -> root -> api); break the cycle.`},
		{"var_file_as_definition.hcl", 1, `like a var file: pass it to run or plan with --var-file.`},
		// Type errors say what was given and which element is wrong, once.
		{"errors_of_every_phase.hcl", 14, `a map of strings is required, got an object ("Accept" is a list).`},
		{"errors_of_every_phase.hcl", 17, `in retry in http: a number is required, got a string.`},
		{"errors_of_every_phase.hcl", 18, `a list of numbers is required, got a list (element 1 is a string).`},
		{"errors_of_every_phase.hcl", 32, `in paginate "offset" in stream "hosts": a number is required, got a string.`},
	}
	for _, tt := range tests {
		path := filepath.Join(invalidDir, tt.fixture)
		_, diags := loadAndValidate(path)
		found := false
		var onLine []string
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Start.Line != tt.line {
				continue
			}
			onLine = append(onLine, d.Detail)
			found = found || strings.Contains(d.Detail, tt.detail)
		}
		if !found {
			t.Errorf("%s:%d: no diagnostic says %q; details on that line: %q", tt.fixture, tt.line, tt.detail, onLine)
		}
	}
}

// A diagnostic in a file whose source is not at hand (a var file, whose lines may hold
// secrets) prints its place but no snippet: before, an empty line 1 with a caret.
func TestDiagnosticWithoutSource(t *testing.T) {
	var sb strings.Builder
	dsl.WriteDiagnostics(&sb, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid config value", Detail: "bad",
		Subject: &hcl.Range{Filename: "vars.hcl", Start: hcl.Pos{Line: 1, Column: 9}, End: hcl.Pos{Line: 1, Column: 12}}}}, nil)
	if got, want := sb.String(), "vars.hcl:1:9: error: Invalid config value\n  bad\n\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
