package recdiff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func recs(t *testing.T, lines ...string) []*Record {
	t.Helper()
	out, err := ReadJSONL(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCompare(t *testing.T) {
	old := recs(t,
		`{"kind":"asset","integration":"x","stream":"hosts","data":{"key":"a","name":"alpha","ips":["10.0.0.1"],"attributes":{"os":"linux","n":1}}}`,
		`{"kind":"asset","integration":"x","stream":"hosts","data":{"key":"b","name":"beta"}}`,
		`{"kind":"asset","integration":"x","stream":"hosts","data":{"key":"c","name":"gamma","id":9007199254740993}}`,
		`{"kind":"finding","integration":"x","stream":"vulns","data":{"key":"a","name":"same key, other kind"}}`,
	)
	new := recs(t,
		`{"kind":"asset","integration":"x","stream":"hosts","data":{"key":"a","name":"alpha","ips":["10.0.0.1","10.0.0.2"],"attributes":{"os":"Linux","n":1.0}}}`,
		`{"kind":"asset","integration":"x","stream":"hosts","data":{"key":"c","name":"gamma","id":9007199254740993}}`,
		`{"kind":"asset","integration":"x","stream":"hosts","data":{"key":"d","name":"delta"}}`,
		`{"kind":"finding","integration":"x","stream":"vulns","data":{"key":"a","name":"same key, other kind","cvss":7.5}}`,
	)
	res := Compare(old, new)
	if res.Summary() != "1 added, 2 changed, 1 removed" || res.Unchanged != 1 {
		t.Fatalf("summary %q unchanged %d", res.Summary(), res.Unchanged)
	}
	got := []string{}
	for _, ch := range res.Changes {
		line := string(ch.Op) + " " + ch.Stream + " " + ch.Key
		for _, f := range ch.Fields {
			line += " | " + f.Path + ": " + Show(f.Old, f.OldSet) + " -> " + Show(f.New, f.NewSet)
		}
		got = append(got, line)
	}
	want := []string{
		`change hosts a | attributes.os: "linux" -> "Linux" | ips: ["10.0.0.1"] -> ["10.0.0.1","10.0.0.2"]`,
		`remove hosts b`,
		`add hosts d`,
		`change vulns a | cvss: (absent) -> 7.5`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Changes[0].Unchanged != 3 { // key, name, attributes.n (1 == 1.0)
		t.Errorf("unchanged fields %d, want 3", res.Changes[0].Unchanged)
	}
}

func TestNullIsNotAbsent(t *testing.T) {
	res := Compare(recs(t, `{"kind":"asset","stream":"s","data":{"key":"a","x":null}}`), recs(t, `{"kind":"asset","stream":"s","data":{"key":"a"}}`))
	if res.Changed != 1 || res.Changes[0].Fields[0].Path != "x" || Show(nil, false) != "(absent)" || Show(nil, true) != "null" {
		t.Errorf("%+v", res.Changes)
	}
}

func TestReadJSONLErrors(t *testing.T) {
	for _, in := range []string{`{"kind":"asset"`, `{"kind":"asset"}`, `not json`} {
		if _, err := ReadJSONL(strings.NewReader("\n" + in)); err == nil || !strings.HasPrefix(err.Error(), "line 2:") {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestResultJSON(t *testing.T) {
	res := Compare(nil, recs(t, `{"kind":"asset","stream":"s","data":{"key":"a"}}`))
	b, _ := json.Marshal(res)
	if !strings.Contains(string(b), `"op":"add"`) || !strings.Contains(string(b), `"added":1`) {
		t.Errorf("%s", b)
	}
}

// No change is an empty list in JSON, not null: a CI step reading .changes | length
// must not fail on the good case.
func TestNoChangesIsAnEmptyList(t *testing.T) {
	b, err := json.Marshal(Compare(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"changes":[]`) {
		t.Errorf("JSON = %s, want \"changes\":[]", b)
	}
}
