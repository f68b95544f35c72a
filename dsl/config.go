package dsl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// EnvPrefix prefixes the environment variables that set config values.
const EnvPrefix = "INTEGRATE_VAR_"

// ConfigSources are where config values come from. Later sources win: defaults, then
// environment, then var files in order, then --var flags in order (as Terraform does).
type ConfigSources struct {
	Vars     []string // name=value, from --var
	VarFiles []string // .hcl or .json files, from --var-file
	Env      []string // os.Environ()
	// Recorded are name=value pairs a recorded scenario was made with; a replay runs
	// with them (and plan says they came from the recording).
	Recorded []string
	// Mock are name=value pairs a built-in mock sets (its placeholder credentials).
	// They beat the environment and var files, so real credentials lying around never
	// go to a mock; --var still beats them, to try a wrong secret against the mock.
	Mock []string
	// Placeholders stands a placeholder in for every sensitive value, skipping its
	// allowed values and validation rules: a replay never has the real secrets, and
	// the recorded exchanges were redacted anyway.
	Placeholders bool
}

// Values are resolved config values by name.
type Values map[string]cty.Value

// Origins say where each resolved value came from, for plan: "--var region",
// "vars.hcl:3", "environment variable INTEGRATE_VAR_org", "--mock" or "a placeholder".
// A value left at its default has no entry.
type Origins map[string]string

type origin struct {
	value cty.Value // cty.NilVal: the source gave a value that could not be read
	where string    // for messages: "--var client_id", "vars.hcl:3", "INTEGRATE_VAR_region"
	rng   *hcl.Range
	diags hcl.Diagnostics // why the value could not be read, when reported only if it wins
}

// ResolveConfig resolves every declared config value from its sources and reports,
// all at once, every value that is missing, mistyped, not allowed or failing its rule.
func ResolveConfig(d *Definition, src ConfigSources) (Values, hcl.Diagnostics) {
	vals, _, diags := ResolveConfigOrigins(d, src)
	return vals, diags
}

// ResolveConfigOrigins is ResolveConfig that also says where each value came from.
func ResolveConfigOrigins(d *Definition, src ConfigSources) (Values, Origins, hcl.Diagnostics) {
	raw := map[string]origin{}
	var diags hcl.Diagnostics
	diags = append(diags, d.fromEnv(raw, src.Env)...)
	for _, f := range src.VarFiles {
		diags = append(diags, d.fromFile(raw, f)...)
	}
	diags = append(diags, d.fromFlags(raw, src.Recorded, "the recording")...)
	diags = append(diags, d.fromFlags(raw, src.Mock, "--mock")...)
	diags = append(diags, d.fromFlags(raw, src.Vars, "--var")...)
	vals, origins := Values{}, Origins{}
	for _, c := range d.Configs {
		if src.Placeholders && c.Sensitive {
			vals[c.Name], origins[c.Name] = placeholder(c), "a placeholder"
			continue
		}
		v, cdiags := c.resolve(raw)
		diags = append(diags, cdiags...)
		vals[c.Name] = v
		if o, ok := raw[c.Name]; ok {
			origins[c.Name] = o.where
		}
	}
	// Rules run even when other values are wrong, so every problem is reported at once:
	// a value that failed is unknown by now, and a rule reading it is skipped.
	return vals, origins, append(diags, d.runValidations(vals, src.Placeholders)...)
}

func (d *Definition) fromEnv(raw map[string]origin, env []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvPrefix) {
			continue
		}
		name := strings.TrimPrefix(k, EnvPrefix)
		c := d.Config(name)
		if c == nil {
			continue // the environment is shared by every integration; others may use it
		}
		val, vdiags := parseRawValue(v, c, k)
		// Reported only if no later source overrides it: the environment is shared by
		// every integration and every run, and --var is how to correct it for one.
		raw[name] = origin{value: val, where: "environment variable " + k, diags: vdiags}
	}
	return diags
}

// fromFlags reads name=value pairs given by flag (--var, or --mock's placeholders).
func (d *Definition) fromFlags(raw map[string]origin, vars []string, flag string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, kv := range vars {
		name, v, ok := strings.Cut(kv, "=")
		if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid " + flag,
				Detail: fmt.Sprintf("%s %q must be name=value.", flag, kv)})
			continue
		}
		where := flag + " " + name
		if flag != "--var" {
			where = flag // --mock, the recording: one source for every value
		}
		c := d.Config(name)
		if c == nil {
			diags = append(diags, d.undeclared(name, where, nil))
			continue
		}
		val, vdiags := parseRawValue(v, c, where)
		diags = append(diags, vdiags...)
		raw[name] = origin{value: val, where: where}
	}
	return diags
}

func (d *Definition) undeclared(name, where string, rng *hcl.Range) *hcl.Diagnostic {
	names := d.configNames()
	detail := fmt.Sprintf("%s sets %q, but %s declares no config of that name.", where, name, d.File)
	if s := suggest(name, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	detail += " Declared: " + strings.Join(names, ", ") + "."
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Undeclared config", Detail: detail, Subject: rng}
}

// parseRawValue reads a flag or environment value: text for a string, else an HCL
// expression ("100", "true", "[\"a\"]") as Terraform reads -var.
func parseRawValue(s string, c *ConfigDecl, where string) (cty.Value, hcl.Diagnostics) {
	if c.Type == cty.String {
		return cty.StringVal(s), nil
	}
	shown := fmt.Sprintf("%q", s)
	if c.Sensitive {
		shown = "the value given" // a secret is never echoed, even a mistyped one
	}
	bad := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid config value",
		Detail: fmt.Sprintf("%s: %s is not a %s: config %q (declared at %s) has type %s.",
			where, shown, typeexpr.TypeString(c.Type), c.Name, posString(c.Range), typeexpr.TypeString(c.Type))}}
	if CheckNesting(where, []byte(s)) != nil {
		return cty.NilVal, bad
	}
	expr, diags := hclsyntax.ParseExpression([]byte(s), where, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return cty.NilVal, bad
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, bad
	}
	return v, nil
}

func (d *Definition) fromFile(raw map[string]origin, path string) hcl.Diagnostics {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read var file", Detail: fmt.Sprintf("--var-file %s: %v", path, err)}}
	case st.IsDir():
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read var file", Detail: fmt.Sprintf("--var-file %s is a directory; give a .vars.hcl or .json file", path)}}
	case st.Size() > MaxSourceBytes:
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "File too large", Detail: fmt.Sprintf("--var-file %s is over %d MiB; is it the right file?", path, MaxSourceBytes>>20)}}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read var file", Detail: fmt.Sprintf("--var-file %s: %v", path, err)}}
	}
	if diag := CheckNesting(path, src); diag != nil {
		return hcl.Diagnostics{diag}
	}
	p := hclparse.NewParser()
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.EqualFold(filepath.Ext(path), ".json") {
		f, diags = p.ParseJSON(src, path)
	} else {
		f, diags = p.ParseHCL(src, path)
	}
	if diags.HasErrors() {
		return diags
	}
	attrs, adiags := f.Body.JustAttributes()
	diags = append(diags, adiags...)
	for _, name := range sortedNames(attrs) {
		a := attrs[name]
		if d.Config(name) == nil {
			w := d.undeclared(name, path, ptr(a.NameRange))
			w.Severity = hcl.DiagWarning // a var file may be shared by several definitions
			diags = append(diags, w)
			continue
		}
		v, vdiags := a.Expr.Value(nil)
		diags = append(diags, vdiags...)
		if vdiags.HasErrors() {
			v = cty.NilVal // reported here; not "missing" later
		}
		raw[name] = origin{value: v, where: fmt.Sprintf("%s:%d", path, a.Range.Start.Line), rng: ptr(a.Expr.Range())}
	}
	return diags
}

// resolve picks the value for c and checks its type and allowed values.
func (c *ConfigDecl) resolve(raw map[string]origin) (cty.Value, hcl.Diagnostics) {
	o, given := raw[c.Name]
	if given && o.value != cty.NilVal && o.value.IsNull() {
		// null is no value: the default, or missing. Taking it for a value let a
		// required config through, to fail later in a request path.
		if !c.Required() {
			return c.Default, nil
		}
		return cty.UnknownVal(c.Type), hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing config value", Subject: o.rng,
			Detail: fmt.Sprintf("%s sets required config %q (declared at %s) to null; give it a value.", o.where, c.Name, posString(c.Range))}}
	}
	if !given {
		if c.Required() {
			return cty.UnknownVal(c.Type), hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing config value",
				Detail: fmt.Sprintf("No value for required config %q (declared at %s). Set it with --var %s=..., in a --var-file, or with %s%s.",
					c.Name, posString(c.Range), c.Name, EnvPrefix, c.Name)}}
		}
		return c.Default, nil
	}
	if o.value == cty.NilVal {
		return cty.UnknownVal(c.Type), o.diags // reported while parsing, or now if it was deferred
	}
	v, err := convert.Convert(o.value, c.Type)
	if err != nil {
		return cty.UnknownVal(c.Type), hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid config value", Subject: o.rng,
			Detail: fmt.Sprintf("%s: config %q (declared at %s) must be %s: %s.", o.where, c.Name, posString(c.Range), typeexpr.TypeString(c.Type), err)}}
	}
	if len(c.Allowed) > 0 && !v.IsNull() && !allowedHas(c.Allowed, v) {
		return cty.UnknownVal(c.Type), hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Config value not allowed", Subject: o.rng,
			Detail: fmt.Sprintf("%s: config %q (declared at %s) must be one of %s.%s", o.where, c.Name, posString(c.Range), showValues(c.Allowed), allowedHint(v, c.Allowed))}}
	}
	return v, nil
}

func showValues(vs []cty.Value) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		if v.Type() == cty.String {
			parts[i] = fmt.Sprintf("%q", v.AsString())
		} else {
			parts[i] = stringify(v)
		}
	}
	return strings.Join(parts, ", ")
}

func allowedHint(v cty.Value, allowed []cty.Value) string {
	if v.Type() != cty.String {
		return ""
	}
	var names []string
	for _, a := range allowed {
		if a.Type() == cty.String {
			names = append(names, a.AsString())
		}
	}
	if s := suggest(v.AsString(), names); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// runValidations evaluates every validation rule with the resolved values.
func (d *Definition) runValidations(vals Values, skipSensitive bool) hcl.Diagnostics {
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"config": cty.ObjectVal(markConfig(d, vals))}, Functions: Functions()}
	sens := newSensitivity(d, true) // unknown values give no details to hide; known ones may quote a secret
	var diags hcl.Diagnostics
	for _, c := range d.Configs {
		if skipSensitive && c.Sensitive {
			continue
		}
		for _, vb := range c.validations {
			diags = append(diags, validate(c, vb, ctx, sens)...)
		}
	}
	return diags
}

func validate(c *ConfigDecl, vb *block, ctx *hcl.EvalContext, sens *sensitivity) hcl.Diagnostics {
	cond, ok := vb.content.Attributes["condition"]
	if !ok {
		return nil
	}
	v, diags := sens.eval(cond.Expr, ctx)
	if diags.HasErrors() || !v.IsKnown() {
		return diags
	}
	if v.Type() != cty.Bool || v.IsNull() {
		return hcl.Diagnostics{errorf(ptr(cond.Expr.Range()), "Invalid validation condition", "condition must be true or false.")}
	}
	if v.True() {
		return nil
	}
	msg := "the value is not valid"
	if m, ok := vb.content.Attributes["error_message"]; ok {
		if mv, md := m.Expr.Value(nil); !md.HasErrors() && mv.Type() == cty.String && !mv.IsNull() {
			msg = mv.AsString()
		}
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid config value",
		Detail: fmt.Sprintf("config %q (declared at %s): %s", c.Name, posString(c.Range), msg), Subject: ptr(cond.Expr.Range())}}
}

// UnknownValues are unknown values of every declared type, for validate: every
// expression is type-checked without any value being needed.
func UnknownValues(d *Definition) Values {
	vals := Values{}
	for _, c := range d.Configs {
		vals[c.Name] = cty.UnknownVal(c.Type)
	}
	return vals
}

// Secrets returns the values of sensitive configs as text, for the redactor.
func Secrets(d *Definition, vals Values) []string {
	var out []string
	for _, c := range d.Configs {
		v, ok := vals[c.Name]
		if !c.Sensitive || !ok || !v.IsWhollyKnown() || v.IsNull() {
			continue
		}
		out = append(out, secretStrings(v)...)
	}
	return out
}

// secretStrings is every scalar inside a sensitive value, as text: a number, a map of
// API keys or a list of tokens is as secret as a string.
func secretStrings(v cty.Value) []string {
	switch {
	case v.IsNull() || !v.IsKnown():
		return nil
	case v.Type() == cty.String:
		return []string{v.AsString()}
	case v.Type() == cty.Number || v.Type() == cty.Bool:
		return []string{stringify(v)}
	case v.CanIterateElements():
		var out []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, secretStrings(e)...)
		}
		return out
	}
	return nil
}

// ValueString writes a config value the way --var reads it back: a string as it is,
// anything else as its JSON text (which is also an HCL literal).
func ValueString(v cty.Value) string {
	if v.Type() == cty.String {
		return v.AsString()
	}
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return ""
	}
	return string(b)
}

// PlaceholderPrefix starts the text placeholder of a sensitive value in replays.
const PlaceholderPrefix = "replayed-secret-"

// placeholder is a stand-in of the right type for a sensitive value.
func placeholder(c *ConfigDecl) cty.Value {
	switch {
	case c.Type == cty.String || c.Type == cty.DynamicPseudoType:
		return cty.StringVal(PlaceholderPrefix + c.Name)
	case c.Type == cty.Number:
		return cty.NumberIntVal(0)
	case c.Type == cty.Bool:
		return cty.False
	}
	return cty.NullVal(c.Type)
}
