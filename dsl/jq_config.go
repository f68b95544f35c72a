package dsl

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// jqConfigRef finds $config.name and $config["name"] in a jq program.
var jqConfigRef = regexp.MustCompile(`\$config\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"\\]*)"\s*\])`)

// checkJQConfig checks every $config.name a jq program of b (or a block inside it)
// reads: jq gives null for a name that is not there, so a typo ($config.regoin) or a
// sensitive config (never in $config) would quietly map to nothing.
func (d *Definition) checkJQConfig(b *block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range sortedNames(b.jq) {
		diags = append(diags, d.checkJQProgram(b.jq[name])...)
	}
	for _, c := range b.children {
		diags = append(diags, d.checkJQConfig(c)...)
	}
	return diags
}

func (d *Definition) checkJQProgram(j *jqAttr) hcl.Diagnostics {
	var diags hcl.Diagnostics
	src := j.Program.Source()
	for _, m := range jqConfigRef.FindAllStringSubmatchIndex(src, -1) {
		if inComment(src, m[0]) {
			continue
		}
		name := submatch(src, m, 1)
		if name == "" {
			name = submatch(src, m, 2)
		}
		rng := j.Range
		if j.lit != nil && d.Source != nil {
			rng = mapOffset(j.lit.SrcRange, src, m[0], m[1]-m[0], d.Source)
		}
		switch c := d.Config(name); {
		case c == nil:
			detail := fmt.Sprintf("The jq program in %s reads $config.%s, but there is no config %q, so it would always be null.", j.name, name, name)
			if s := suggest(name, d.configNames()); s != "" {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			} else {
				detail += fmt.Sprintf(" Declare it with config %q { ... }.", name)
			}
			diags = append(diags, errorf(&rng, "Reference to undeclared config", "%s", detail))
		case c.Sensitive:
			diags = append(diags, errorf(&rng, "Sensitive config in jq",
				"config %q is sensitive, and $config never holds sensitive values (mappings never see secrets), so $config.%s is always null. "+
					"Use it in an HCL expression (a header, the auth block) instead.", name, name))
		}
	}
	return diags
}

func submatch(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// inComment says whether offset at lies after a # comment on its line: a # outside a
// string literal (an even number of unescaped quotes before it on the line).
func inComment(src string, at int) bool {
	start := strings.LastIndexByte(src[:at], '\n') + 1
	quotes := 0
	for i := start; i < at; i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			quotes++
		case '#':
			if quotes%2 == 0 {
				return true
			}
		}
	}
	return false
}

func (d *Definition) configNames() []string {
	names := make([]string, len(d.Configs))
	for i, c := range d.Configs {
		names[i] = c.Name
	}
	return names
}
