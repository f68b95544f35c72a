package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/definitions/mock"
	"github.com/integrate-dev/integrate/dsl"
	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/engine/scenario"
)

// defFlags are the flags of every command that builds a definition.
type defFlags struct {
	vars        []string
	varFiles    []string
	mock        bool
	mockFaults  string
	mockRecords int
	mockVariant int
	mockNow     time.Time // a fixed mock clock, so recordings do not depend on the day
	replay      *scenario.Scenario
}

// check refuses flag values that would otherwise be silently ignored.
func (f *defFlags) check() error {
	switch {
	case !f.mock && (f.mockFaults != "" || f.mockRecords != 0 || f.mockVariant != 0):
		return exitWith(exitUsage, "--mock-faults, --mock-records and --mock-variant need --mock")
	case f.mockRecords < 0:
		return exitWith(exitUsage, "--mock-records must be 0 (the vendor's default) or more")
	case f.mockVariant < 0:
		return exitWith(exitUsage, "--mock-variant must be 0 or more")
	}
	return nil
}

func (f *defFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.vars, "var", nil, "set a config value: --var name=value (repeatable)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "read config values from an HCL or JSON file (repeatable)")
	fl.BoolVar(&f.mock, "mock", false, "run against the built-in mock of the vendor, with placeholder credentials")
	fl.IntVar(&f.mockVariant, "mock-variant", 0, "with --mock, serve changed data: n days later, every tenth host was seen again")
	fl.StringVar(&f.mockFaults, "mock-faults", "", `with --mock, inject faults: "default" (429, 500, dropped connection, expired token) or a list such as "rate_limit=2,server_error=3,drop=4,expire_token=5"`)
	fl.IntVar(&f.mockRecords, "mock-records", 0, "with --mock, the number of records the mock serves (0: the vendor's default)")
}

// loaded is a definition built and ready to run.
type loaded struct {
	def     *dsl.Definition
	vals    dsl.Values
	origins dsl.Origins // where each value not left at its default came from
	ig      *engine.Integration
	redact  *engine.Redactor
	opts    engine.Options
	server  *mock.Server
}

// announceMock logs that the built-in mock stands in for the vendor: the URLs in the
// logs carry the vendor's real host names, and nobody should think it was called.
func (l *loaded) announceMock() {
	if l.server != nil && l.opts.Logger != nil {
		v := l.server.Vendor()
		l.opts.Logger.Info("the built-in mock answers for the vendor on loopback; no request leaves this machine",
			"mock", v.Name, "hosts", strings.Join(v.Hosts, ","))
	}
}

func (l *loaded) close() {
	if l.server != nil {
		l.server.Close()
	}
}

// load reads, validates, configures and builds a definition, printing every
// diagnostic. It fails with exitInvalid when anything is wrong.
func (c *cli) load(path string, f *defFlags) (*loaded, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, exitWith(exitUsage, fmt.Sprintf("%s: no such file", path))
	}
	def, diags := dsl.LoadAndValidate(path)
	if c.printDiags(diags, def) {
		return nil, exitWith(exitInvalid, fmt.Sprintf("%s is not valid", path))
	}
	l := &loaded{def: def}
	src := dsl.ConfigSources{Vars: f.vars, VarFiles: f.varFiles, Env: c.env}
	if f.mock {
		mv, err := c.startMock(def, f, l)
		if err != nil {
			return nil, err
		}
		src.Mock = mv // the user's --var still wins, to try wrong credentials
	}
	if f.replay != nil {
		// A replay runs with the config it was recorded with, and placeholder secrets.
		if len(f.vars) > 0 || len(f.varFiles) > 0 {
			l.close()
			return nil, exitWith(exitUsage, "--replay runs with the config the scenario was recorded with; --var and --var-file do not apply (record again to change it)")
		}
		src = dsl.ConfigSources{Recorded: scenarioVars(def, f.replay), Placeholders: true}
	}
	vals, origins, diags := dsl.ResolveConfigOrigins(def, src)
	l.vals, l.origins = vals, origins
	l.redact = engine.NewRedactor(dsl.Secrets(def, vals)...)
	if c.printDiagsRedacted(diags, def, l.redact) {
		l.close()
		return nil, exitWith(exitInvalid, "the config is not valid")
	}
	ig, diags := dsl.Build(def, vals, dsl.BuildOptions{Now: c.now()})
	l.redact.Add(ig.Secrets...)
	if c.printDiagsRedacted(diags, def, l.redact) {
		l.close()
		return nil, exitWith(exitInvalid, "the definition cannot be built with this config")
	}
	l.ig = ig
	if ig.Auth != nil {
		l.redact.Add(engine.AuthSecrets(ig.Auth)...)
	}
	l.opts.Redactor = l.redact
	if l.server != nil {
		l.opts.Transport = l.server.Transport()
	}
	return l, nil
}

// now is the run's clock for $now; INTEGRATE_NOW (RFC 3339) pins it for goldens.
func (c *cli) now() time.Time {
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "INTEGRATE_NOW="); ok {
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				return t
			}
		}
	}
	return time.Now()
}

func (c *cli) startMock(def *dsl.Definition, f *defFlags, l *loaded) ([]string, error) {
	v, ok := mock.Lookup(def.Name)
	if !ok {
		var names []string
		for _, m := range mock.Vendors() {
			names = append(names, m.Name)
		}
		return nil, exitWith(exitUsage, fmt.Sprintf("--mock: there is no built-in mock for integration %q (mocks: %s)", def.Name, strings.Join(names, ", ")))
	}
	if f.mockVariant > 0 && !v.Variants {
		return nil, exitWith(exitUsage, fmt.Sprintf("--mock-variant: the %s mock serves one data set (mocks with variants: %s)", v.Name, strings.Join(variantMocks(), ", ")))
	}
	faults, err := parseFaults(f.mockFaults)
	if err != nil {
		return nil, exitWith(exitUsage, err.Error())
	}
	opts := mock.Options{Records: f.mockRecords, Faults: faults, Variant: f.mockVariant}
	if !f.mockNow.IsZero() {
		opts.Now = func() time.Time { return f.mockNow }
	}
	l.server = mock.Start(v, opts)
	var vars []string
	for _, k := range sortedKeys(v.Vars) {
		if def.Config(k) != nil {
			vars = append(vars, k+"="+v.Vars[k])
		}
	}
	return vars, nil
}

// variantMocks names the mocks whose data --mock-variant changes.
func variantMocks() []string {
	var names []string
	for _, m := range mock.Vendors() {
		if m.Variants {
			names = append(names, m.Name)
		}
	}
	return names
}

func parseFaults(s string) (mock.Faults, error) {
	var f mock.Faults
	if s == "" || s == "none" {
		return f, nil
	}
	if s == "default" {
		return mock.DefaultFaults(), nil
	}
	fields := map[string]*int{"rate_limit": &f.RateLimitAt, "server_error": &f.ServerErrorAt, "drop": &f.DropAt, "expire_token": &f.ExpireTokenAt}
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		dst, ok := fields[k]
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 1 {
			return f, fmt.Errorf("--mock-faults %q: use default, or name=N with names rate_limit, server_error, drop, expire_token and N the request number", part)
		}
		if *dst != 0 {
			return f, fmt.Errorf("--mock-faults: %s is given twice; each fault fires once", k)
		}
		*dst = n
	}
	return f, nil
}

// printDiags writes diagnostics to stderr and says whether any is an error.
func (c *cli) printDiags(diags hcl.Diagnostics, def *dsl.Definition) bool {
	return c.printDiagsRedacted(diags, def, nil)
}

func (c *cli) printDiagsRedacted(diags hcl.Diagnostics, def *dsl.Definition, redact *engine.Redactor) bool {
	if len(diags) == 0 {
		return false
	}
	dsl.SortDiagnostics(diags)
	var sb strings.Builder
	dsl.WriteDiagnostics(&sb, diags, sources(def))
	fmt.Fprint(c.stderr, redact.String(sb.String()))
	return diags.HasErrors()
}

func sources(def *dsl.Definition) map[string][]byte {
	if def == nil {
		return nil
	}
	return map[string][]byte{def.File: def.Source}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
