package dsl

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Definition is a loaded integration definition: decoded, jq compiled, references
// checked. Build turns it and a resolved config into an engine.Integration.
type Definition struct {
	File        string
	Source      []byte
	Name        string
	Title       string
	Description string
	Configs     []*ConfigDecl
	root        *block
	locals      []*hcl.Attribute
}

// ConfigDecl is one declared config value.
type ConfigDecl struct {
	Name        string
	Description string
	Type        cty.Type
	Default     cty.Value // cty.NilVal when there is none
	Sensitive   bool
	Allowed     []cty.Value
	Range       hcl.Range
	validations []*block
}

// Required says whether a value must be supplied.
func (c *ConfigDecl) Required() bool { return c.Default == cty.NilVal }

// Config returns the declaration of name, or nil.
func (d *Definition) Config(name string) *ConfigDecl {
	for _, c := range d.Configs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// block is one decoded block with its compiled jq programs and nested blocks.
type block struct {
	typ      string
	label    string
	labelRng hcl.Range
	rng      hcl.Range
	spec     *blockSpec
	content  *hcl.BodyContent
	jq       map[string]*jqAttr
	children []*block
	parent   *block
}

func (b *block) what() string {
	if b.typ == "" {
		return "the file" // the top level, which holds the integration
	}
	s := b.typ
	if b.label != "" {
		s += fmt.Sprintf(" %q", b.label)
	}
	if b.parent != nil && b.parent.typ != "integration" && b.parent.typ != "" {
		s += " in " + b.parent.what()
	}
	return s
}

func (b *block) child(typ string) *block {
	for _, c := range b.children {
		if c.typ == typ {
			return c
		}
	}
	return nil
}

func (b *block) all(typ string) []*block {
	var out []*block
	for _, c := range b.children {
		if c.typ == typ {
			out = append(out, c)
		}
	}
	return out
}

var (
	streamSpec = &blockSpec{
		Type: "stream", Labels: []string{"name"}, Repeat: true, Required: true,
		Doc: "One paginated collection: its request, pagination, records selector and mapping. Exactly one of asset and finding.",
		Attrs: []attr{
			{Name: "records", Kind: aJQ, Required: true, Doc: "jq selecting the records of a page. A plain path such as .resources[] is streamed: the page is never held whole."},
			{Name: "asset", Kind: aJQ, Doc: "jq mapping one record to a normalized asset."},
			{Name: "finding", Kind: aJQ, Doc: "jq mapping one record to a normalized finding."},
			{Name: "filter", Kind: aJQ, Doc: "jq over the mapped record; false drops it."},
		},
		Blocks: []*blockSpec{requestSpec, paginateSpec},
		Example: `stream "repositories" {
  request { path = "/orgs/${config.org}/repos" }
  paginate "link_header" {}
  records = ".[]"
  asset   = <<-JQ
    { key: "github:repo:\(.id)", class: "repository", name: .full_name }
  JQ
}`,
	}
	paginateSpec = &blockSpec{Type: "paginate", Labels: []string{"kind"},
		Doc: "How the stream walks its pages; without it, one request."}
	authSpec = &blockSpec{Type: "auth", Labels: []string{"kind"}, Repeat: true,
		Doc: "How requests are authenticated. Several auth blocks may offer a choice, each with a when condition."}
	integrationSpec = &blockSpec{
		Type: "integration", Labels: []string{"name"}, Required: true,
		Doc: "The whole definition. The label is the integration's name, written into every record.",
		Attrs: []attr{
			{Name: "title", Kind: aString, Doc: "The vendor and product, for people."},
			{Name: "description", Kind: aString, Doc: "What the integration fetches."},
		},
		Blocks: []*blockSpec{configSpec, localsSpec, httpSpec, authSpec, checkSpec, streamSpec},
	}
	fileSpec = &blockSpec{Blocks: []*blockSpec{integrationSpec}}
)

// MaxSourceBytes bounds a definition or var file. The largest real definitions are a
// few kilobytes; a file of many megabytes is a mistake (a data file passed by accident),
// and HCL's parser would hold several times its size in memory.
const MaxSourceBytes = 4 << 20

// maxNesting bounds bracket nesting. HCL's parser recurses once per level and a few
// hundred thousand levels overflow the stack, which no recover can catch; real
// definitions nest a dozen deep.
const maxNesting = 256

// CheckNesting refuses input nested deeper than any definition or value needs, before
// the parser sees it. Brackets inside quoted strings are counted too: erring on the
// side of refusing costs nothing at this depth.
func CheckNesting(filename string, src []byte) *hcl.Diagnostic {
	depth, line, col := 0, 1, 1
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > maxNesting {
				pos := hcl.Pos{Line: line, Column: col}
				return errorf(&hcl.Range{Filename: filename, Start: pos, End: hcl.Pos{Line: line, Column: col + 1}},
					"Nesting too deep", "Brackets here are nested more than %d deep; no definition or value needs that. Is this the right file?", maxNesting)
			}
		case ')', ']', '}':
			depth = max(depth-1, 0)
		case '\n':
			line, col = line+1, 0
		}
		col++
	}
	return nil
}

// ReadSource reads a definition-sized file, refusing one over MaxSourceBytes.
func ReadSource(r io.Reader, name string) ([]byte, hcl.Diagnostics) {
	src, err := io.ReadAll(io.LimitReader(r, MaxSourceBytes+1))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read definition", Detail: fmt.Sprintf("%s: %v", name, err)}}
	}
	if len(src) > MaxSourceBytes {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "File too large",
			Detail: fmt.Sprintf("%s is over %d MiB, far more than any definition; is it the right file?", name, MaxSourceBytes>>20)}}
	}
	return src, nil
}

// Load reads and decodes a definition file.
func Load(path string) (*Definition, hcl.Diagnostics) {
	f, err := os.Open(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read definition", Detail: err.Error()}}
	}
	defer f.Close()
	src, diags := ReadSource(f, path)
	if diags.HasErrors() {
		return &Definition{File: path}, diags
	}
	return LoadSource(path, src)
}

// LoadSource decodes a definition from bytes; filename is used in diagnostics.
func LoadSource(filename string, src []byte) (*Definition, hcl.Diagnostics) {
	d := &Definition{File: filename, Source: src}
	if diag := CheckNesting(filename, src); diag != nil {
		return d, hcl.Diagnostics{diag}
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		return d, diags
	}
	top := &block{spec: fileSpec}
	diags = append(diags, d.decodeBody(top, file.Body)...)
	ints := top.all("integration")
	switch {
	case len(ints) == 0:
		body := file.Body.(*hclsyntax.Body)
		if len(body.Attributes) > 0 && len(body.Blocks) == 0 {
			// A var file given as a definition: one clear error, not one per value.
			return d, hcl.Diagnostics{errorf(ptr(body.SrcRange), "Missing integration block",
				"A definition holds one integration \"name\" { ... } block. This file holds only name = value lines, like a var file: pass it to run or plan with --var-file.")}
		}
		diags = append(diags, errorf(ptr(body.SrcRange), "Missing integration block",
			"A definition holds one integration \"name\" { ... } block."))
		return d, diags
	case len(ints) > 1:
		diags = append(diags, errorf(&ints[1].rng, "Duplicate integration block",
			"A definition holds one integration; another was already declared at %s.", posString(ints[0].rng)))
	}
	d.root = ints[0]
	d.Name = d.root.label
	diags = append(diags, d.decodeIntegration()...)
	return d, diags
}

func posString(r hcl.Range) string { return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line) }

// decodeBody decodes a body against b.spec, recursing into nested blocks.
func (d *Definition) decodeBody(b *block, body hcl.Body) hcl.Diagnostics {
	if b.spec == localsSpec {
		attrs, diags := body.JustAttributes()
		b.content = &hcl.BodyContent{Attributes: attrs}
		return diags
	}
	content, diags := body.Content(b.spec.schema())
	b.content = content
	b.jq = map[string]*jqAttr{}
	diags = append(diags, d.checkAttrs(b)...)
	firsts := map[string]*block{}
	for _, hb := range content.Blocks {
		child, cdiags := d.decodeChild(b, hb, firsts)
		diags = append(diags, cdiags...)
		if child != nil {
			b.children = append(b.children, child)
		}
	}
	for _, ns := range b.spec.Blocks {
		if ns.Required && firsts[ns.Type] == nil && b.spec != fileSpec && !writesBlock(body, ns.Type) && !misspelt(diags, ns.Type) {
			diags = append(diags, errorf(ptr(b.rng), "Missing "+ns.Type+" block",
				"%s needs a %s block.%s", capitalize(b.what()), ns.Type, exampleHint(ns)))
		}
	}
	return diags
}

// misspelt says whether diags already offer typ for a misspelt block ("htp": Did you
// mean "http"?): saying it is missing as well would be the same mistake twice.
func misspelt(diags hcl.Diagnostics, typ string) bool {
	for _, d := range diags {
		if d.Summary == "Unsupported block type" && strings.Contains(d.Detail, fmt.Sprintf("Did you mean %q?", typ)) {
			return true
		}
	}
	return false
}

// writesBlock says whether body has a block of type typ, even one that HCL dropped
// for its labels (and already reported): it is not missing, only wrong.
func writesBlock(body hcl.Body, typ string) bool {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return false
	}
	for _, blk := range sb.Blocks {
		if blk.Type == typ {
			return true
		}
	}
	return false
}

func (d *Definition) checkAttrs(b *block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, a := range b.spec.Attrs {
		at, ok := b.content.Attributes[a.Name]
		if !ok {
			if a.Required {
				diags = append(diags, errorf(ptr(b.rng), "Missing required argument",
					"The argument %q is required in %s, but no definition was found. Add %s = <%s>.", a.Name, b.what(), a.Name, kindNames[a.Kind]))
			}
			continue
		}
		if a.Kind == aJQ {
			j, jdiags := compileJQ(at, d.Source)
			diags = append(diags, jdiags...)
			if j != nil {
				b.jq[a.Name] = j
			}
		}
	}
	return diags
}

func (d *Definition) decodeChild(parent *block, hb *hcl.Block, firsts map[string]*block) (*block, hcl.Diagnostics) {
	spec := parent.spec.block(hb.Type)
	child := &block{typ: hb.Type, rng: hb.DefRange, parent: parent, spec: spec}
	if len(hb.Labels) > 0 {
		child.label, child.labelRng = hb.Labels[0], hb.LabelRanges[0]
	}
	var diags hcl.Diagnostics
	if prev := firsts[hb.Type]; prev != nil && !spec.Repeat {
		return nil, hcl.Diagnostics{errorf(&hb.DefRange, "Duplicate "+hb.Type+" block",
			"%s may have one %s block; one was already declared at %s.", capitalize(parent.what()), hb.Type, posString(prev.rng))}
	}
	if firsts[hb.Type] == nil {
		firsts[hb.Type] = child
	}
	switch spec {
	case authSpec:
		k, ok := lookupKind(authKinds, child.label)
		if !ok {
			return nil, hcl.Diagnostics{errorf(&child.labelRng, "Unsupported auth kind", "%s", unsupportedKind("auth", child.label, kindNamesOf(authKinds)))}
		}
		child.spec = k.block(child.label)
	case paginateSpec:
		k, ok := lookupKind(pageKinds, child.label)
		if !ok {
			return nil, hcl.Diagnostics{errorf(&child.labelRng, "Unsupported pagination kind", "%s", unsupportedKind("pagination", child.label, kindNamesOf(pageKinds)))}
		}
		child.spec = k.block(child.label)
	}
	diags = append(diags, d.decodeBody(child, hb.Body)...)
	return child, diags
}

// decodeIntegration reads the integration's own attributes and configs and checks
// every reference.
func (d *Definition) decodeIntegration() hcl.Diagnostics {
	var diags hcl.Diagnostics
	diags = append(diags, d.literalString("title", &d.Title)...)
	diags = append(diags, d.literalString("description", &d.Description)...)
	diags = append(diags, d.checkDuplicateLabels("config")...)
	diags = append(diags, d.checkDuplicateLabels("stream")...)
	for _, cb := range d.root.all("config") {
		c, cdiags := decodeConfig(cb)
		diags = append(diags, cdiags...)
		d.Configs = append(d.Configs, c)
	}
	diags = append(diags, d.collectLocals()...)
	diags = append(diags, d.checkStreams()...)
	diags = append(diags, d.checkAuths()...)
	diags = append(diags, d.checkReferences()...)
	diags = append(diags, d.checkJQConfig(d.root)...)
	return diags
}

func (d *Definition) literalString(name string, dst *string) hcl.Diagnostics {
	return stringAttr(d.root.content.Attributes, name, dst)
}

// stringAttr reads an optional attribute that must be a literal string into dst.
func stringAttr(attrs hcl.Attributes, name string, dst *string) hcl.Diagnostics {
	a, ok := attrs[name]
	if !ok {
		return nil
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	if v.Type() != cty.String || v.IsNull() {
		return hcl.Diagnostics{errorf(ptr(a.Expr.Range()), "Incorrect attribute value type", "%s must be a string.", name)}
	}
	*dst = v.AsString()
	return nil
}

func (d *Definition) checkDuplicateLabels(typ string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*block{}
	for _, b := range d.root.all(typ) {
		if prev, ok := seen[b.label]; ok {
			diags = append(diags, errorf(&b.labelRng, "Duplicate "+typ+" name",
				"%s %q was already declared at %s. Give each %s a distinct name.", typ, b.label, posString(prev.rng), typ))
			continue
		}
		seen[b.label] = b
	}
	return diags
}

func decodeConfig(b *block) (*ConfigDecl, hcl.Diagnostics) {
	c := &ConfigDecl{Name: b.label, Type: cty.String, Range: b.rng, validations: b.all("validation")}
	var diags hcl.Diagnostics
	if !hclsyntax.ValidIdentifier(c.Name) {
		diags = append(diags, errorf(&b.labelRng, "Invalid config name", "%q is not a valid name: use letters, digits, _ and -, starting with a letter.", c.Name))
	}
	attrs := b.content.Attributes
	if a, ok := attrs["type"]; ok {
		t, tdiags := typeexpr.TypeConstraint(a.Expr)
		diags = append(diags, tdiags...)
		c.Type = t
		if tdiags.HasErrors() {
			c.Type = cty.DynamicPseudoType // already reported: check nothing against a guess
		}
	}
	diags = append(diags, stringAttr(attrs, "description", &c.Description)...)
	for _, vb := range c.validations {
		var msg string
		diags = append(diags, stringAttr(vb.content.Attributes, "error_message", &msg)...)
	}
	if a, ok := attrs["sensitive"]; ok {
		v, vd := a.Expr.Value(nil)
		diags = append(diags, vd...)
		if !vd.HasErrors() && v.Type() == cty.Bool && !v.IsNull() {
			c.Sensitive = v.True()
		} else if !vd.HasErrors() {
			diags = append(diags, errorf(ptr(a.Expr.Range()), "Incorrect attribute value type", "sensitive must be true or false."))
		}
	}
	diags = append(diags, c.decodeDefault(attrs)...)
	diags = append(diags, c.decodeAllowed(attrs)...)
	return c, diags
}

func (c *ConfigDecl) decodeDefault(attrs hcl.Attributes) hcl.Diagnostics {
	a, ok := attrs["default"]
	if !ok {
		return nil
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	cv, err := convert.Convert(v, c.Type)
	if err != nil {
		return hcl.Diagnostics{errorf(ptr(a.Expr.Range()), "Invalid default value",
			"The default of config %q is not %s: %s.", c.Name, typeexpr.TypeString(c.Type), err)}
	}
	c.Default = cv
	return nil
}

func (c *ConfigDecl) decodeAllowed(attrs hcl.Attributes) hcl.Diagnostics {
	a, ok := attrs["allowed"]
	if !ok {
		return nil
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		return hcl.Diagnostics{errorf(ptr(a.Expr.Range()), "Invalid allowed values", "allowed must be a list of values of the config's type.")}
	}
	for _, e := range v.AsValueSlice() {
		if e.IsNull() {
			return hcl.Diagnostics{errorf(ptr(a.Expr.Range()), "Invalid allowed values",
				"An allowed value of config %q is null: a null default makes a setting optional, allowed lists the values it may take.", c.Name)}
		}
		ce, err := convert.Convert(e, c.Type)
		if err != nil {
			return hcl.Diagnostics{errorf(ptr(a.Expr.Range()), "Invalid allowed values",
				"An allowed value of config %q is not %s: %s.", c.Name, typeexpr.TypeString(c.Type), err)}
		}
		c.Allowed = append(c.Allowed, ce)
	}
	if c.Default != cty.NilVal && !c.Default.IsNull() && !allowedHas(c.Allowed, c.Default) {
		return hcl.Diagnostics{errorf(ptr(attrs["default"].Expr.Range()), "Default not allowed",
			"The default of config %q is not one of its allowed values.", c.Name)}
	}
	return nil
}

func allowedHas(allowed []cty.Value, v cty.Value) bool {
	for _, a := range allowed {
		if a.Equals(v).True() {
			return true
		}
	}
	return false
}

func (d *Definition) collectLocals() hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*hcl.Attribute{}
	for _, lb := range d.root.all("locals") {
		for _, name := range sortedNames(lb.content.Attributes) {
			a := lb.content.Attributes[name]
			if prev, ok := seen[name]; ok {
				diags = append(diags, errorf(&a.NameRange, "Duplicate local value",
					"local %q was already declared at %s.", name, posString(prev.Range)))
				continue
			}
			seen[name] = a
			d.locals = append(d.locals, a)
		}
	}
	sort.Slice(d.locals, func(i, j int) bool { return d.locals[i].Range.Start.Byte < d.locals[j].Range.Start.Byte })
	return diags
}

func (d *Definition) checkStreams() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, s := range d.root.all("stream") {
		_, asset := s.content.Attributes["asset"]
		finding, hasFinding := s.content.Attributes["finding"]
		switch {
		case !asset && !hasFinding:
			diags = append(diags, errorf(&s.rng, "Missing mapping",
				"Stream %q needs exactly one of asset = <jq> or finding = <jq>: it says what each record becomes.", s.label))
		case asset && hasFinding:
			diags = append(diags, errorf(ptr(finding.Expr.Range()), "Conflicting attributes",
				"Stream %q sets both asset and finding: its records become one or the other. Keep one, or split the stream in two.", s.label))
		}
		if !hclsyntax.ValidIdentifier(s.label) {
			diags = append(diags, errorf(&s.labelRng, "Invalid stream name", "%q is not a valid name: use letters, digits, _ and -.", s.label))
		}
	}
	return diags
}

func (d *Definition) checkAuths() hcl.Diagnostics {
	auths := d.root.all("auth")
	var diags hcl.Diagnostics
	for i, a := range auths {
		if _, hasWhen := a.content.Attributes["when"]; !hasWhen && i < len(auths)-1 {
			diags = append(diags, errorf(&a.rng, "Unreachable auth block",
				"This auth block has no when condition, so the auth blocks after it can never apply. Add when = <condition>, or put it last."))
		}
	}
	return diags
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func exampleHint(b *blockSpec) string {
	if b.Example == "" {
		return ""
	}
	return " For example:\n\n" + indentText(b.Example, "  ")
}

func indentText(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
