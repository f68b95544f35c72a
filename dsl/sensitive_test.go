package dsl

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/integrate-dev/integrate/engine"
)

// Values computed from a secret are secrets too: before, upper(config.token) went into
// a header, the plan and recordings in clear, and a failing function call quoted it.
func TestDerivedSecrets(t *testing.T) {
	src := `integration "x" {
  config "token" {
    sensitive = true
  }
  config "region" {
    default = "eu-1"
  }
  locals {
    up     = upper(config.token)
    header = "Basic ${local.up}"
    plain  = upper(config.region)
    set    = config.token != ""
  }
  http {
    base_url = "https://api.example.com"
    headers  = { X-Up = local.header, X-Region = local.plain }
  }
  stream "s" {
    request {
      path  = "/items"
      query = { sig = format("%s-sig", lower(config.token)) }
    }
    records = ".[]"
    asset   = "{key: .id, class: \"host\"}"
  }
}
`
	ig, diags := loadBuild(t, src, "token=Sup3r-secret")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, want := range []string{"SUP3R-SECRET", "Basic SUP3R-SECRET"} {
		if !slices.Contains(ig.Secrets, want) {
			t.Errorf("Secrets %q lacks %q", ig.Secrets, want)
		}
	}
	if !slices.Contains(ig.Secrets, "sup3r-secret-sig") || len(ig.Secrets) != 3 {
		t.Errorf("Secrets %q, want the two locals, the header and the query value", ig.Secrets)
	}
	for _, s := range ig.Secrets {
		if s == "EU-1" || s == "true" {
			t.Errorf("%q is not computed from a secret (or too short to mask)", s)
		}
	}
	if got := ig.HTTP.Headers["X-Up"]; got != "Basic SUP3R-SECRET" {
		t.Errorf("the header is %q: marks must not change values", got)
	}
}

// An error in an expression that uses a secret does not quote it.
func TestDerivedSecretErrorsHidden(t *testing.T) {
	src := `integration "x" {
  config "token" {
    sensitive = true
  }
  config "page" {
    default = "ten"
  }
  locals {
    n = parseint(upper(config.token), 10)
  }
  http { base_url = "https://api.example.com" }
  stream "s" {
    request {
      path  = "/items"
      query = { p = parseint(config.page, 10) }
    }
    records = ".[]"
    asset   = "{key: .id, class: \"host\"}"
  }
}
`
	_, diags := loadBuild(t, src, "token=hunter-secret-abc")
	var all []string
	for _, d := range diags {
		all = append(all, d.Summary+": "+d.Detail)
	}
	text := strings.Join(all, "\n")
	if strings.Contains(strings.ToLower(text), "hunter-secret-abc") {
		t.Errorf("a diagnostic quotes the secret: %s", text)
	}
	if !strings.Contains(text, "The details are hidden because the expression uses the sensitive value config.token") {
		t.Errorf("diagnostics %s: want the hidden-details note", text)
	}
	if !strings.Contains(text, `"ten"`) { // a non-secret value is still quoted
		t.Errorf("diagnostics %s: want the non-secret error in full", text)
	}
}

// A validation rule on a secret that fails in a function does not quote the value.
func TestValidationOnSecretHidesDetails(t *testing.T) {
	src := `integration "x" {
  config "token" {
    sensitive = true
    validation {
      condition     = parseint(upper(config.token), 10) > 0
      error_message = "token must be a number"
    }
  }
  http { base_url = "https://api.example.com" }
  stream "s" {
    request { path = "/items" }
    records = ".[]"
    asset   = "{key: .id, class: \"host\"}"
  }
}
`
	d, diags := LoadSource("x.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = ResolveConfig(d, ConfigSources{Vars: []string{"token=hunter-secret-abc"}})
	if len(diags) != 1 || strings.Contains(strings.ToLower(diags[0].Detail), "hunter") ||
		!strings.Contains(diags[0].Detail, "uses the sensitive value config.token") {
		t.Errorf("diagnostics %v", diags)
	}
}

// An offset walk advances by the records the selector gives: one that drops records is
// warned about at validate (it made pages overlap, or ended the walk on a page it emptied).
func TestOffsetSelectorThatDropsRecordsWarns(t *testing.T) {
	for _, tt := range []struct {
		records, paginate string
		warn              bool
	}{
		{`.items[] | select(.id >= 100)`, `paginate "offset" { limit = 100 }`, true},
		{`.items[] | first(.hosts[])`, `paginate "offset" { limit = 100 }`, true},
		{`.items[]`, `paginate "offset" { limit = 100 }`, false},
		{`.items[] | .host`, `paginate "offset" { limit = 100 }`, false},
		{`.items[] | select(.id >= 100)`, `paginate "link_header" {}`, false}, // the link decides the next page
	} {
		src := `integration "x" {
  http { base_url = "https://api.example.com" }
  stream "s" {
    request { path = "/items" }
    ` + tt.paginate + `
    records = "` + strings.ReplaceAll(tt.records, `"`, `\"`) + `"
    asset   = "{key: .id, class: \"host\"}"
  }
}
`
		_, diags := LoadSourceAndValidate("x.hcl", []byte(src))
		got := false
		for _, d := range diags {
			if d.Summary == "Records selector drops records under offset pagination" && d.Subject.Start.Line == 6 {
				got = true
			}
		}
		if got != tt.warn || diags.HasErrors() {
			t.Errorf("%s with %s: warned %v, want %v (%v)", tt.records, tt.paginate, got, tt.warn, diags)
		}
	}
}

// loadBuild loads src, resolves vars and builds it, failing on load errors only.
func loadBuild(t *testing.T, src string, vars ...string) (*engine.Integration, hcl.Diagnostics) {
	t.Helper()
	d, diags := LoadSource("x.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	vals, diags := ResolveConfig(d, ConfigSources{Vars: vars})
	if diags.HasErrors() {
		return nil, diags
	}
	return Build(d, vals, BuildOptions{Now: time.Unix(0, 0)})
}
