package dsl

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// sensitiveMark is the cty mark on sensitive config values. cty carries a mark through
// every function and operator, as Terraform relies on, so upper(config.token),
// base64encode("${config.user}:${config.pass}") and a local built from a secret are
// marked too, and can be masked like the secret itself.
type sensitiveMark struct{}

// minDerivedSecret is the shortest value computed from a secret that is masked as one.
// Shorter ones are mostly flags and words ("true", "Basic") whose masking would garble
// plans and records; the secrets themselves are masked at any length.
const minDerivedSecret = 6

// sensitivity tracks, while a definition is built, which names hold sensitive values and
// which strings were computed from them.
type sensitivity struct {
	names   map[string]bool // "config.token", "local.auth_header"
	derived []string        // values computed from secrets, to mask like them
	hide    bool            // hide diagnostic details that may show a secret (not in validate)
}

func newSensitivity(d *Definition, hide bool) *sensitivity {
	s := &sensitivity{names: map[string]bool{}, hide: hide}
	for _, c := range d.Configs {
		if c.Sensitive {
			s.names["config."+c.Name] = true
		}
	}
	return s
}

// markConfig is vals with the sensitive ones marked.
func markConfig(d *Definition, vals Values) map[string]cty.Value {
	out := make(map[string]cty.Value, len(vals))
	for k, v := range vals {
		out[k] = v
		if c := d.Config(k); c != nil && c.Sensitive && v != cty.NilVal {
			out[k] = v.Mark(sensitiveMark{})
		}
	}
	return out
}

// eval evaluates expr and returns its value unmarked; a value computed from a secret is
// remembered for masking, and the details of errors in an expression that uses one
// are hidden, since cty's messages quote the values ("cannot parse "HUNTER2"").
func (s *sensitivity) eval(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := s.evalMarked(expr, ctx)
	v, _ = v.UnmarkDeep()
	return v, diags
}

// evalMarked is eval keeping the marks, for locals: what is built from them stays marked.
func (s *sensitivity) evalMarked(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := expr.Value(ctx)
	if uv, marks := v.UnmarkDeep(); len(marks) > 0 {
		for _, str := range secretStrings(uv) {
			if len(str) >= minDerivedSecret {
				s.derived = append(s.derived, str)
			}
		}
	}
	if name := s.uses(expr); name != "" && s.hide {
		diags = hideDetails(diags, name)
	}
	return v, diags
}

// uses names a sensitive config or local that expr refers to, or "".
func (s *sensitivity) uses(expr hcl.Expression) string {
	for _, tr := range expr.Variables() {
		if len(tr) < 2 {
			continue
		}
		if step, ok := tr[1].(hcl.TraverseAttr); ok && s.names[tr.RootName()+"."+step.Name] {
			return tr.RootName() + "." + step.Name
		}
	}
	return ""
}

func hideDetails(diags hcl.Diagnostics, name string) hcl.Diagnostics {
	for i, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		cp := *d
		cp.Detail = fmt.Sprintf("The details are hidden because the expression uses the sensitive value %s; "+
			"check it with a non-secret value to see them.", name)
		cp.EvalContext = nil // it holds the values
		diags[i] = &cp
	}
	return diags
}
