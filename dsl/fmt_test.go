package dsl

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestFormatKeepsMeaning formats every shipped definition after scrambling its
// indentation and checks that every attribute still evaluates to the same value,
// heredoc jq programs included, and that formatting is idempotent.
func TestFormatKeepsMeaning(t *testing.T) {
	files, _ := filepath.Glob("../definitions/*.hcl")
	if len(files) == 0 {
		t.Fatal("no definitions")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, diags := Format(f, src)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f, diags)
		}
		if string(out) != string(src) {
			t.Errorf("%s is not formatted: run integrate fmt definitions/", f)
		}
		again, _ := Format(f, out)
		if string(again) != string(out) {
			t.Errorf("%s: formatting is not idempotent", f)
		}
		if a, b := literals(t, src), literals(t, out); len(a) != len(b) {
			t.Errorf("%s: %d literal attributes before formatting, %d after", f, len(a), len(b))
		} else {
			for k, v := range a {
				if b[k] != v {
					t.Errorf("%s: %s changed:\n%q\n%q", f, k, v, b[k])
				}
			}
		}
	}
}

func TestFormatFixesLayoutAndRefusesBrokenInput(t *testing.T) {
	in := "integration \"x\" {\ntitle=\"a\"\n  stream \"s\" {\n records = \".[]\"\n      asset = <<-JQ\n   {a:\n        1}\n  JQ\n}\n}\n"
	want := "integration \"x\" {\n  title = \"a\"\n  stream \"s\" {\n    records = \".[]\"\n    asset   = <<-JQ\n   {a:\n        1}\n  JQ\n  }\n}\n"
	got, diags := Format("x.hcl", []byte(in))
	if diags.HasErrors() || string(got) != want {
		t.Errorf("got %v\n%s\nwant\n%s", diags, got, want)
	}
	if _, diags := Format("bad.hcl", []byte("integration \"x\" {\n  title = \n")); !diags.HasErrors() {
		t.Error("broken input was formatted")
	}
}

// literals evaluates every attribute that needs no variables, by path.
func literals(t *testing.T, src []byte) map[string]string {
	f, diags := hclsyntax.ParseConfig(src, "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	out := map[string]string{}
	var walk func(prefix string, b *hclsyntax.Body)
	walk = func(prefix string, b *hclsyntax.Body) {
		for name, a := range b.Attributes {
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsWhollyKnown() {
				out[prefix+name] = v.GoString()
			}
		}
		for i, blk := range b.Blocks {
			walk(prefix+blk.Type+string(rune('0'+i%10))+".", blk.Body)
		}
	}
	walk("", f.Body.(*hclsyntax.Body))
	return out
}
