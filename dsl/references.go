package dsl

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// checkReferences finds every variable an HCL expression uses and checks that it
// names a declared config or local, with "Did you mean" for the near misses. It runs
// before any evaluation, so a misspelt name gets one clear diagnostic, not a cascade.
func (d *Definition) checkReferences() hcl.Diagnostics {
	configs := d.configNames()
	locals := make([]string, 0, len(d.locals))
	for _, l := range d.locals {
		locals = append(locals, l.Name)
	}
	funcs := sortedNames(Functions())
	var diags hcl.Diagnostics
	for _, l := range d.locals {
		diags = append(diags, checkExpr(l.Expr, configs, locals)...)
		diags = append(diags, checkCalls(l.Expr, funcs)...)
	}
	d.walk(d.root, func(b *block, a *hcl.Attribute) {
		diags = append(diags, checkExpr(a.Expr, configs, locals)...)
		diags = append(diags, checkCalls(a.Expr, funcs)...)
	})
	return diags
}

// checkCalls reports calls to unknown functions. HCL reports them too, but its "Did
// you mean" takes the first close name in map order, which changes from run to run.
func checkCalls(expr hcl.Expression, funcs []string) hcl.Diagnostics {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		call, ok := n.(*hclsyntax.FunctionCallExpr)
		if !ok || contains(funcs, call.Name) {
			return nil
		}
		detail := fmt.Sprintf("There is no function named %q.", call.Name)
		if s := suggest(call.Name, funcs); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		diags = append(diags, errorf(ptr(call.NameRange), "Call to unknown function", "%s", detail))
		return nil
	})
	return diags
}

// walk calls fn for every attribute that is an HCL expression (not jq, not a config's
// own literal settings) in b and its descendants.
func (d *Definition) walk(b *block, fn func(*block, *hcl.Attribute)) {
	for _, c := range b.children {
		switch c.typ {
		case "locals":
			continue
		case "config":
			for _, v := range c.all("validation") {
				if a, ok := v.content.Attributes["condition"]; ok {
					fn(v, a)
				}
			}
			continue
		}
		for _, name := range sortedNames(c.content.Attributes) {
			if s, ok := c.spec.attr(name); ok && s.Kind == aJQ {
				continue
			}
			fn(c, c.content.Attributes[name])
		}
		d.walk(c, fn)
	}
}

func checkExpr(expr hcl.Expression, configs, locals []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		switch root {
		case "config":
			diags = append(diags, checkName(tr, "config", configs)...)
		case "local":
			diags = append(diags, checkName(tr, "local", locals)...)
		default:
			detail := fmt.Sprintf("There is no variable named %q. Expressions can use config.<name>, local.<name> and functions.", root)
			if s := suggest(root, []string{"config", "local"}); s != "" {
				detail = fmt.Sprintf("There is no variable named %q. Did you mean %q? Expressions can use config.<name>, local.<name> and functions.", root, s)
			}
			diags = append(diags, errorf(ptr(tr.SourceRange()), "Unknown variable", "%s", detail))
		}
	}
	return diags
}

func checkName(tr hcl.Traversal, root string, declared []string) hcl.Diagnostics {
	if len(tr) < 2 {
		return hcl.Diagnostics{errorf(ptr(tr.SourceRange()), "Invalid reference",
			"%q alone is not a value: write %s.<name>.", root, root)}
	}
	step, ok := tr[1].(hcl.TraverseAttr)
	if !ok {
		return hcl.Diagnostics{errorf(ptr(tr[1].SourceRange()), "Invalid reference", "Write %s.<name>, with the name after a dot.", root)}
	}
	if contains(declared, step.Name) {
		return nil
	}
	noun := map[string]string{"config": "config", "local": "local value"}[root]
	detail := fmt.Sprintf("There is no %s named %q in this integration.", noun, step.Name)
	if s := suggest(step.Name, declared); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else if root == "config" {
		detail += fmt.Sprintf(" Declare it with config %q { ... }.", step.Name)
	} else {
		detail += " Declare it in a locals block."
	}
	summary := map[string]string{"config": "Reference to undeclared config", "local": "Reference to undeclared local value"}[root]
	return hcl.Diagnostics{errorf(ptr(hcl.RangeBetween(tr[0].SourceRange(), step.SrcRange)), summary, "%s", detail)}
}
