package dsl

import (
	"strings"
	"testing"
	"time"
)

// TestStreamingOnlyWhenPaginationDoesNotReadRecords: a cursor taken from the last
// record's id needs the records array, which a streamed page never holds; such a
// stream is decoded whole, so it does not stop after page one.
func TestStreamingOnlyWhenPaginationDoesNotReadRecords(t *testing.T) {
	for _, tt := range []struct {
		name, paginate string
		streamed       bool
	}{
		{"cursor from meta", `paginate "cursor" {
      token = ".meta.next"
      param = "after"
    }`, true},
		{"cursor from the last record", `paginate "cursor" {
      token = ".data[-1].id"
      param = "after"
    }`, false},
		{"has_more from the length", `paginate "cursor" {
      token    = ".meta.next"
      param    = "after"
      has_more = "(.data | length) > 0"
    }`, false},
		{"link header", `paginate "link_header" {}`, true},
	} {
		src := `integration "x" {
  http { base_url = "https://api.example.com" }
  stream "s" {
    request { path = "/items" }
    ` + tt.paginate + `
    records = ".data[]"
    asset   = "{key: .id, class: \"host\"}"
  }
}
`
		d, diags := LoadSource("x.hcl", []byte(src))
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.name, diags)
		}
		ig, diags := Build(d, Values{}, BuildOptions{Now: time.Unix(0, 0)})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.name, diags)
		}
		if got := ig.Streams[0].RecordsPath != nil; got != tt.streamed {
			t.Errorf("%s: streamed %v, want %v", tt.name, got, tt.streamed)
		}
	}
}

func TestSecretsOfEveryType(t *testing.T) {
	src := `integration "x" {
  config "pin" {
    type      = number
    sensitive = true
  }
  config "keys" {
    type      = map(string)
    sensitive = true
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
	vals, diags := ResolveConfig(d, ConfigSources{Vars: []string{"pin=987654", `keys={"api-key" = "MapSecretValue1"}`}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got := strings.Join(Secrets(d, vals), ",")
	if !strings.Contains(got, "987654") || !strings.Contains(got, "MapSecretValue1") {
		t.Errorf("secrets %q", got)
	}
}
