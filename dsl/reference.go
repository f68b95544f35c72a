package dsl

import (
	"fmt"
	"strings"

	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/transforms"
)

// Reference renders the language reference in Markdown from the same tables that
// decode definitions, so the docs cannot drift from what the decoder accepts.
func Reference() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("### Blocks\n\n")
	for _, spec := range []*blockSpec{integrationSpec, configSpec, validationSpec, localsSpec, httpSpec, retrySpec,
		waitHeaderSpec, rateLimitSpec, authSpec, checkSpec, streamSpec, requestSpec, paginateSpec} {
		writeBlock(&b, spec)
	}
	w("### Auth kinds\n\n")
	for _, k := range authKinds {
		writeKind(&b, "auth", &k.kindSpec)
	}
	w("### Pagination kinds\n\n")
	w("Every kind also stops on `max_pages`, and no kind can loop: a page of records the same as an earlier one ends the stream with an error.\n\n")
	for _, k := range pageKinds {
		writeKind(&b, "paginate", &k.kindSpec)
	}
	writeFunctions(&b)
	writeJQ(&b)
	writeModel(&b)
	return b.String()
}

func writeBlock(b *strings.Builder, s *blockSpec) {
	header := "`" + s.Type
	for _, l := range s.Labels {
		header += ` "` + l + `"`
	}
	header += "`"
	fmt.Fprintf(b, "#### %s\n\n%s", header, s.Doc)
	switch {
	case s.Required && s.Repeat:
		b.WriteString(" Required, repeatable.")
	case s.Required:
		b.WriteString(" Required.")
	case s.Repeat:
		b.WriteString(" Repeatable.")
	}
	b.WriteString("\n\n")
	writeAttrs(b, s.Attrs)
	if len(s.Blocks) > 0 {
		names := make([]string, len(s.Blocks))
		for i, nb := range s.Blocks {
			names[i] = "`" + nb.Type + "`"
		}
		fmt.Fprintf(b, "Blocks inside: %s.\n\n", strings.Join(names, ", "))
	}
	if s.Example != "" {
		fmt.Fprintf(b, "```hcl\n%s\n```\n\n", s.Example)
	}
}

func writeAttrs(b *strings.Builder, attrs []attr) {
	if len(attrs) == 0 {
		return
	}
	b.WriteString("| attribute | type | default | meaning |\n| --- | --- | --- | --- |\n")
	for _, a := range attrs {
		def := a.Default
		if a.Required {
			def = "required"
		}
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", a.Name, kindNames[a.Kind], strings.ReplaceAll(def, "|", "\\|"), a.Doc)
	}
	b.WriteString("\n")
}

func writeKind(b *strings.Builder, block string, k *kindSpec) {
	fmt.Fprintf(b, "#### `%s \"%s\"`\n\n%s\n\n", block, k.Name, k.Doc)
	writeAttrs(b, k.Attrs)
	fmt.Fprintf(b, "```hcl\n%s\n```\n\n", k.Example)
}

func writeFunctions(b *strings.Builder) {
	b.WriteString("### HCL functions\n\n")
	b.WriteString("Expressions outside jq (requests, locals, config rules) can call go-cty's standard functions, under Terraform's names: ")
	names := sortedNames(Functions())
	for i, n := range names {
		names[i] = "`" + n + "`"
	}
	b.WriteString(strings.Join(names, ", ") + ". `strlen` measures a string; `length` a list or map.\n\n")
}

func writeJQ(b *strings.Builder) {
	b.WriteString("### jq\n\n")
	b.WriteString("`records`, `asset`, `finding`, `filter`, `error_message` and the pagination expressions are jq programs, " +
		"compiled when the definition loads. They are literal strings (heredocs preferred), so a reviewer reads exactly what runs. " +
		"They see these variables:\n\n")
	b.WriteString("| variable | value |\n| --- | --- |\n")
	b.WriteString("| `$config` | every config value that is not sensitive, as an object |\n")
	b.WriteString("| `$stream` | the stream's name |\n")
	b.WriteString("| `$now` | the run's start time, RFC 3339 UTC |\n\n")
	b.WriteString("Besides jq's builtins, mappings can call:\n\n| function | what it does | example |\n| --- | --- | --- |\n")
	for _, f := range transforms.Functions() {
		fmt.Fprintf(b, "| `%s` | %s | `%s` |\n", f.Name, f.Doc, strings.ReplaceAll(f.Example, "|", "\\|"))
	}
	b.WriteString("\n")
}

func writeModel(b *strings.Builder) {
	b.WriteString("### The normalized model\n\n")
	b.WriteString("A mapping produces one object per record. It is checked against the model: a record that fails is reported " +
		"(stream, page, record index, field, reason) and skipped, or fails the run with `--strict`.\n\n")
	b.WriteString("Asset fields: `key` (required, unique per integration), `class` (required: " + strings.Join(engine.AssetClasses, ", ") +
		"), `name`, `hostnames`, `ips`, `macs` (normalized to lowercase colon form), `os`, `cloud` {`provider`, `account`, `region`, `resource_id`}, " +
		"`status` (" + strings.Join(engine.AssetStatuses, ", ") + "), `first_seen`, `last_seen` (RFC 3339, written in UTC), `attributes` (any object), " +
		"`source` {`vendor_id`}.\n\n")
	b.WriteString("Finding fields: `key`, `asset_key`, `name`, `severity` (" + strings.Join(engine.Severities, ", ") + "), `status` (" +
		strings.Join(engine.FindingStatuses, ", ") + ") are required; `cves`, `cvss` (0 to 10), `first_found`, `last_found`, `remote` (bool), " +
		"`evidence`, `remediation`, `attributes`, `source` {`vendor_id`}.\n\n")
	b.WriteString("The engine fills `source.integration` and `source.stream`. Each output line is " +
		"`{\"kind\":\"asset\",\"integration\":\"...\",\"stream\":\"...\",\"data\":{...}}`; a key is written once per run.\n")
}
