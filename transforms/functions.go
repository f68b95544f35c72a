package transforms

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/integrate-dev/integrate/engine"
	"github.com/itchyny/gojq"
)

// Function is one function of the library that every mapping can call.
type Function struct {
	Name     string
	MinArity int
	MaxArity int
	Doc      string
	Example  string // a jq expression and its result, for the reference
	impl     func(any, []any) any
}

// Functions returns the library, sorted by name, for the reference docs.
func Functions() []Function {
	fs := library()
	sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
	return fs
}

func library() []Function {
	return []Function{
		{Name: "to_rfc3339", Doc: "Turns a date in any common vendor format (RFC 3339 with or without fraction, RFC 1123, `YYYY-MM-DD HH:MM:SS` taken as UTC, `YYYY-MM-DD`, epoch seconds, milliseconds or nanoseconds) into RFC 3339 UTC. null and \"\" stay null.",
			Example: `"Wed, 29 May 2024 08:11:03 GMT" | to_rfc3339  # "2024-05-29T08:11:03Z"`, impl: fnRFC3339},
		{Name: "severity", Doc: "Maps a vendor severity word (CRITICAL, Severe, Moderate, important, warning, note, none, ...) or a CVSS score to info, low, medium, high or critical. Unknown words give null.",
			Example: `"Severe" | severity  # "high"`, impl: fnSeverity},
		{Name: "mac", Doc: "Normalizes a MAC address (08-00-27-51-56-D8, 0800.2751.56d8, 8CEC4B897E73) to lowercase colon form; anything else gives null.",
			Example: `"08-00-27-51-56-D8" | mac  # "08:00:27:51:56:d8"`, impl: fnMAC},
		{Name: "cve_ids", Doc: "Finds the CVE ids in a string or a list of strings: upper case, unique, in order of appearance.",
			Example: `["cve-2023-4863 and CVE-2021-44228"] | cve_ids  # ["CVE-2023-4863","CVE-2021-44228"]`, impl: fnCVEs},
		{Name: "compact", Doc: "Drops null, empty-string, empty-list and empty-object values from an object or a list (one level).",
			Example: `{a: 1, b: null, c: ""} | compact  # {"a":1}`, impl: fnCompact},
	}
}

func libraryOptions() []gojq.CompilerOption {
	var opts []gojq.CompilerOption
	for _, f := range library() {
		opts = append(opts, gojq.WithFunction(f.Name, f.MinArity, f.MaxArity, f.impl))
	}
	return opts
}

var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC, "2006-01-02",
}

func fnRFC3339(v any, _ []any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
		if n, err := strconv.ParseFloat(x, 64); err == nil {
			return epoch(n)
		}
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, x); err == nil {
				return t.UTC().Format(time.RFC3339)
			}
		}
		return fmt.Errorf("to_rfc3339: cannot parse %q as a date", x)
	}
	if n, ok := number(v); ok {
		return epoch(n)
	}
	return fmt.Errorf("to_rfc3339: expected a string or number, got %s", jqType(v))
}

// epoch reads seconds, milliseconds or nanoseconds by magnitude, as vendors mix them.
func epoch(n float64) any {
	if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > 1e20 {
		return fmt.Errorf("to_rfc3339: %v is not a time", n)
	}
	switch {
	case math.Abs(n) >= 1e17:
		n /= 1e9
	case math.Abs(n) >= 1e14:
		n /= 1e6
	case math.Abs(n) >= 1e11:
		n /= 1e3
	}
	sec, frac := math.Modf(n)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC().Format(time.RFC3339)
}

var severityWords = map[string]string{
	"critical": "critical", "urgent": "critical", "very high": "critical",
	"high": "high", "severe": "high", "important": "high", "error": "high", "serious": "high",
	"medium": "medium", "moderate": "medium", "warning": "medium",
	"low": "low", "minor": "low", "note": "low",
	"info": "info", "informational": "info", "information": "info", "none": "info", "negligible": "info",
}

func fnSeverity(v any, _ []any) any {
	if s, ok := v.(string); ok {
		if n, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return cvssBand(n)
		}
		if w, ok := severityWords[strings.ToLower(strings.TrimSpace(s))]; ok {
			return w
		}
		return nil
	}
	if n, ok := number(v); ok {
		return cvssBand(n)
	}
	return nil
}

// cvssBand is the CVSS v3 qualitative rating.
func cvssBand(n float64) any {
	switch {
	case n <= 0:
		return "info"
	case n < 4:
		return "low"
	case n < 7:
		return "medium"
	case n < 9:
		return "high"
	}
	return "critical"
}

func fnMAC(v any, _ []any) any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if m, ok := engine.NormalizeMAC(s); ok {
		return m
	}
	return nil
}

var reCVE = regexp.MustCompile(`(?i)\bCVE-\d{4}-\d{4,}\b`)

func fnCVEs(v any, _ []any) any {
	var texts []string
	switch x := v.(type) {
	case string:
		texts = []string{x}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				texts = append(texts, s)
			}
		}
	case nil:
	default:
		return fmt.Errorf("cve_ids: expected a string or a list, got %s", jqType(v))
	}
	out, seen := []any{}, map[string]bool{}
	for _, t := range texts {
		for _, m := range reCVE.FindAllString(t, -1) {
			if m = strings.ToUpper(m); !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

func fnCompact(v any, _ []any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if !engine.IsEmpty(e) {
				out[k] = e
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if !engine.IsEmpty(e) {
				out = append(out, e)
			}
		}
		return out
	}
	return v
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func jqType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	if _, ok := number(v); ok {
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// builtins are jq's own function names, for "Did you mean" suggestions.
var builtins = strings.Fields(`abs add all any arrays ascii_downcase ascii_upcase booleans capture
contains del delpaths empty endswith env error explode first flatten floor from_entries
fromdate fromjson getpath group_by gsub has implode in index indices inside isempty join keys
last length limit ltrimstr map map_values match max max_by min min_by not now
nulls numbers objects path paths pick range recurse reduce repeat reverse rtrimstr scalars scan
select setpath sort sort_by split splits sqrt startswith strftime strings strptime sub test
to_entries todate tojson tonumber tostring trim ltrim rtrim type unique unique_by until
values walk while with_entries splits toarray mktime gmtime todateiso8601 fromdateiso8601
dateadd datesub date`)

func functionNames() []string {
	names := append([]string{}, builtins...)
	for _, f := range library() {
		names = append(names, f.Name)
	}
	return names
}

func suggest(name string, options []string) string { return engine.Suggest(name, options) }
