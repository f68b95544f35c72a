package dsl_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/integrate-dev/integrate/dsl"
)

var (
	configDef = filepath.Join(validDir, "config_types.hcl")
	varsDir   = filepath.Join(validDir, "vars")
)

func varFile(name string) string { return filepath.Join(varsDir, name) }

func mustLoad(t *testing.T, path string) *dsl.Definition {
	t.Helper()
	def, diags := loadAndValidate(path)
	if diags.HasErrors() {
		t.Fatalf("%s does not load: %s", path, diags.Error())
	}
	return def
}

func strs(ss ...string) cty.Value {
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	if len(vs) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	return cty.ListVal(vs)
}

func sameValue(a, b cty.Value) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull() && a.Type().Equals(b.Type())
	}
	return a.Type().Equals(b.Type()) && a.IsWhollyKnown() && a.Equals(b).True()
}

// TestResolveConfig checks where values come from and which source wins: --var over
// --var-file (the last file first) over INTEGRATE_VAR_ over the default.
func TestResolveConfig(t *testing.T) {
	def := mustLoad(t, configDef)
	tests := []struct {
		name string
		src  dsl.ConfigSources
		want map[string]cty.Value // the values checked; others may be anything
		warn string               // a part of the one warning's detail, if one is expected
	}{
		{
			name: "defaults",
			src:  dsl.ConfigSources{Vars: creds()},
			want: map[string]cty.Value{"org": cty.StringVal("acme"), "token": cty.StringVal("s3cret"),
				"region": cty.StringVal("us-1"), "page_size": cty.NumberIntVal(100), "verbose": cty.False,
				"tags": strs(), "filter": cty.NullVal(cty.String)},
		},
		{
			name: "--var of every type",
			src: dsl.ConfigSources{Vars: append(creds(), "page_size=250", "verbose=true", `tags=["a", "b"]`,
				"region=eu-1", "filter=name:web*")},
			want: map[string]cty.Value{"page_size": cty.NumberIntVal(250), "verbose": cty.True,
				"tags": strs("a", "b"), "region": cty.StringVal("eu-1"), "filter": cty.StringVal("name:web*")},
		},
		{
			name: "environment",
			src: dsl.ConfigSources{Env: []string{"HOME=/root", "INTEGRATE_VAR_org=env-org", "INTEGRATE_VAR_token=t",
				"INTEGRATE_VAR_page_size=42", "INTEGRATE_VAR_verbose=true", "INTEGRATE_VAR_other_integration=x"}},
			want: map[string]cty.Value{"org": cty.StringVal("env-org"), "page_size": cty.NumberIntVal(42), "verbose": cty.True},
		},
		{
			name: "HCL var file",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("basic.hcl")}, Vars: []string{"token=t"}},
			want: map[string]cty.Value{"org": cty.StringVal("file-org"), "page_size": cty.NumberIntVal(200), "tags": strs("prod", "eu")},
		},
		{
			name: "JSON var file",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("basic.json")}, Vars: []string{"token=t"}},
			want: map[string]cty.Value{"org": cty.StringVal("json-org"), "page_size": cty.NumberIntVal(300),
				"verbose": cty.True, "tags": strs("a", "b")},
		},
		{
			name: "the later var file wins",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("basic.hcl"), varFile("override.hcl")}, Vars: []string{"token=t"}},
			want: map[string]cty.Value{"org": cty.StringVal("override-org"), "region": cty.StringVal("eu-1"), "page_size": cty.NumberIntVal(200)},
		},
		{
			name: "the later --var wins",
			src:  dsl.ConfigSources{Vars: append(creds(), "org=first", "org=second")},
			want: map[string]cty.Value{"org": cty.StringVal("second")},
		},
		{
			name: "flag over file over environment over default",
			src: dsl.ConfigSources{
				Env:      []string{"INTEGRATE_VAR_org=env-org", "INTEGRATE_VAR_region=us-2", "INTEGRATE_VAR_page_size=42", "INTEGRATE_VAR_token=t"},
				VarFiles: []string{varFile("basic.hcl")},
				Vars:     []string{"org=flag-org"},
			},
			want: map[string]cty.Value{"org": cty.StringVal("flag-org"), "page_size": cty.NumberIntVal(200),
				"region": cty.StringVal("us-2"), "verbose": cty.False},
		},
		{
			name: "an undeclared name in a var file is a warning: the file may serve several definitions",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("unknown.hcl")}, Vars: []string{"token=t"}},
			want: map[string]cty.Value{"org": cty.StringVal("file-org")},
			warn: `Did you mean "page_size"?`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, diags := dsl.ResolveConfig(def, tt.src)
			if diags.HasErrors() {
				t.Fatalf("unexpected errors: %s", diags.Error())
			}
			for name, want := range tt.want {
				if got := vals[name]; !sameValue(got, want) {
					t.Errorf("%s = %#v, want %#v", name, got, want)
				}
			}
			switch {
			case tt.warn == "" && len(diags) > 0:
				t.Errorf("unexpected warnings: %s", diags.Error())
			case tt.warn != "" && (len(diags) != 1 || !strings.Contains(diags[0].Detail, tt.warn)):
				t.Errorf("want one warning saying %q, got %s", tt.warn, diags.Error())
			}
		})
	}
}

// wantDiag is an expected ResolveConfig error: its summary, parts of its detail,
// and where its Subject is (file:line), when it has one.
type wantDiag struct {
	summary string
	detail  []string
	at      string
}

// TestResolveConfigErrors checks that every wrong value is reported at once, with the
// source of the value and the declaration of the config.
func TestResolveConfigErrors(t *testing.T) {
	def := mustLoad(t, configDef)
	decl := func(line string) string { return "(declared at " + configDef + ":" + line + ")" }
	tests := []struct {
		name string
		src  dsl.ConfigSources
		want []wantDiag
	}{
		{
			name: "every missing value",
			src:  dsl.ConfigSources{},
			want: []wantDiag{
				{summary: "Missing config value", detail: []string{`config "org" ` + decl("6"), "--var org=...", "INTEGRATE_VAR_org"}},
				{summary: "Missing config value", detail: []string{`config "token" ` + decl("10")}},
			},
		},
		{
			name: "every mistyped --var, and the missing value",
			src:  dsl.ConfigSources{Vars: []string{"org=acme", "page_size=lots", "verbose=maybe", "tags=prod"}},
			want: []wantDiag{
				{summary: "Invalid config value", detail: []string{"--var page_size", `"lots"`, `config "page_size" ` + decl("19")}},
				{summary: "Invalid config value", detail: []string{"--var verbose", `"maybe"`, `config "verbose" ` + decl("29")}},
				{summary: "Invalid config value", detail: []string{"--var tags", `"prod"`, `config "tags" ` + decl("34")}},
				{summary: "Missing config value", detail: []string{`config "token" ` + decl("10")}},
			},
		},
		{
			name: "every mistyped value of a var file, at its line",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("mistyped.hcl")}, Vars: []string{"token=t"}},
			want: []wantDiag{
				{summary: "Invalid config value", detail: []string{varFile("mistyped.hcl") + ":2", `config "page_size" ` + decl("19")}, at: varFile("mistyped.hcl") + ":2"},
				{summary: "Invalid config value", detail: []string{varFile("mistyped.hcl") + ":3", `config "verbose" ` + decl("29")}, at: varFile("mistyped.hcl") + ":3"},
				{summary: "Invalid config value", detail: []string{varFile("mistyped.hcl") + ":4", `config "tags" ` + decl("34")}, at: varFile("mistyped.hcl") + ":4"},
			},
		},
		{
			name: "a mistyped environment variable",
			src:  dsl.ConfigSources{Env: []string{"INTEGRATE_VAR_page_size=lots"}, Vars: creds()},
			want: []wantDiag{{summary: "Invalid config value", detail: []string{"INTEGRATE_VAR_page_size", `config "page_size" ` + decl("19")}}},
		},
		{
			name: "an undeclared --var",
			src:  dsl.ConfigSources{Vars: append(creds(), "orgg=acme")},
			want: []wantDiag{{summary: "Undeclared config", detail: []string{`--var orgg sets "orgg"`, `Did you mean "org"?`}}},
		},
		{
			name: "a --var without a value",
			src:  dsl.ConfigSources{Vars: append(creds(), "verbose")},
			want: []wantDiag{{summary: "Invalid --var", detail: []string{`"verbose" must be name=value`}}},
		},
		{
			name: "a value not allowed",
			src:  dsl.ConfigSources{Vars: append(creds(), "region=us-3")},
			want: []wantDiag{{summary: "Config value not allowed", detail: []string{`must be one of "us-1", "us-2", "eu-1".`, `Did you mean "us-1"?`, decl("14")}}},
		},
		{
			name: "a value failing its validation, at the condition",
			src:  dsl.ConfigSources{Vars: append(creds(), "page_size=0")},
			want: []wantDiag{{summary: "Invalid config value", detail: []string{"page_size must be between 1 and 500.", decl("19")}, at: configDef + ":24"}},
		},
		{
			// Before, a rule ran only once every other value was right, so fixing one
			// problem revealed the next.
			name: "a failing rule is reported with the other problems",
			src:  dsl.ConfigSources{Vars: []string{"page_size=0", "token=t", "region=eu-9"}},
			want: []wantDiag{
				{summary: "Missing config value", detail: []string{`config "org"`}},
				{summary: "Config value not allowed", detail: []string{`must be one of "us-1", "us-2", "eu-1".`}},
				{summary: "Invalid config value", detail: []string{"page_size must be between 1 and 500."}, at: configDef + ":24"},
			},
		},
		{
			// null let a required value through, to fail in a request path later.
			name: "null is no value: required is missing, the rest take their default",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("nulls.hcl")}, Vars: []string{"token=t"}},
			want: []wantDiag{{summary: "Missing config value", detail: []string{varFile("nulls.hcl") + `:1 sets required config "org"`, "to null"}, at: varFile("nulls.hcl") + ":1"}},
		},
		{
			// The environment is shared; --var is how to correct it for one run.
			name: "a mistyped environment value that --var overrides is not an error",
			src:  dsl.ConfigSources{Env: []string{"INTEGRATE_VAR_page_size=lots"}, Vars: append(creds(), "page_size=100")},
			want: nil,
		},
		{
			name: "a var file value that cannot be read is one error, not also a missing one",
			src:  dsl.ConfigSources{VarFiles: []string{varFile("reference.hcl")}, Vars: []string{"token=t"}},
			want: []wantDiag{{summary: "Variables not allowed"}},
		},
		{
			name: "a rule on a mistyped value is not run",
			src:  dsl.ConfigSources{Vars: append(creds(), "page_size=lots")},
			want: []wantDiag{{summary: "Invalid config value", detail: []string{"--var page_size", `"lots"`}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := dsl.ResolveConfig(def, tt.src)
			checkDiags(t, diags, tt.want)
		})
	}
}

func creds() []string { return []string{"org=acme", "token=s3cret"} }

func checkDiags(t *testing.T, diags hcl.Diagnostics, want []wantDiag) {
	t.Helper()
	var errs hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, d)
		}
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(errs), len(want), errs.Error())
	}
	for i, w := range want {
		d := errs[i]
		if d.Summary != w.summary {
			t.Errorf("error %d: summary %q, want %q", i, d.Summary, w.summary)
		}
		for _, part := range w.detail {
			if !strings.Contains(d.Detail, part) {
				t.Errorf("error %d: detail %q lacks %q", i, d.Detail, part)
			}
		}
		if w.at == "" {
			continue
		}
		if d.Subject == nil {
			t.Errorf("error %d: no Subject, want %s", i, w.at)
		} else if at := posOf(d.Subject); at != w.at {
			t.Errorf("error %d: at %s, want %s", i, at, w.at)
		}
	}
}

func posOf(r *hcl.Range) string { return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line) }

// TestResolveConfigOrigins: plan says where every value came from, and a value given
// equal to its default is still "given" (before, plan called it "(default)").
func TestResolveConfigOrigins(t *testing.T) {
	def := mustLoad(t, configDef)
	src := dsl.ConfigSources{
		Env:      []string{"INTEGRATE_VAR_token=t0ken", "INTEGRATE_VAR_verbose=true"},
		VarFiles: []string{varFile("basic.hcl")},
		Mock:     []string{"token=mock-token", "org=mock-org"},
		Vars:     []string{"org=acme", "region=us-1"}, // us-1 is the default
	}
	_, origins, diags := dsl.ResolveConfigOrigins(def, src)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := dsl.Origins{
		"token":     "--mock", // the mock beats the environment
		"verbose":   "environment variable INTEGRATE_VAR_verbose",
		"page_size": varFile("basic.hcl") + ":2",
		"tags":      varFile("basic.hcl") + ":3",
		"org":       "--var org", // --var beats the mock
		"region":    "--var region",
	}
	if fmt.Sprint(origins) != fmt.Sprint(want) {
		t.Errorf("origins\n  %v\nwant\n  %v", origins, want)
	}
	_, origins, _ = dsl.ResolveConfigOrigins(def, dsl.ConfigSources{Vars: []string{"org=acme"}, Placeholders: true})
	if origins["token"] != "a placeholder" || origins["org"] != "--var org" || len(origins) != 2 {
		t.Errorf("with placeholders: %v", origins)
	}
}
