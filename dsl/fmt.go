package dsl

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns the canonical layout of a definition or var file, as terraform fmt
// does: hclwrite aligns and indents. Heredoc bodies (jq programs) are left exactly as
// written, so formatting never changes what a program means. Input that does not parse
// is refused with its diagnostics rather than reshuffled.
func Format(filename string, src []byte) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}
