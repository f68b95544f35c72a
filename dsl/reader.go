package dsl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/integrate-dev/integrate/engine"
)

// Functions are the functions HCL expressions may call: go-cty's standard library
// under Terraform's names, so they read the way Terraform users expect.
func Functions() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
		"coalesce": stdlib.CoalesceFunc, "compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc,
		"contains": stdlib.ContainsFunc, "csvdecode": stdlib.CSVDecodeFunc, "distinct": stdlib.DistinctFunc,
		"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "floor": stdlib.FloorFunc,
		"format": stdlib.FormatFunc, "formatdate": stdlib.FormatDateFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "index": stdlib.IndexFunc, "join": stdlib.JoinFunc,
		"jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc, "keys": stdlib.KeysFunc,
		"length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc, "lower": stdlib.LowerFunc,
		"max": stdlib.MaxFunc, "merge": stdlib.MergeFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc,
		"range": stdlib.RangeFunc, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"replace": stdlib.ReplaceFunc, "reverse": stdlib.ReverseListFunc, "slice": stdlib.SliceFunc,
		"sort": stdlib.SortFunc, "split": stdlib.SplitFunc, "strlen": stdlib.StrlenFunc,
		"substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc, "title": stdlib.TitleFunc,
		"trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"trimsuffix": stdlib.TrimSuffixFunc, "upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc,
		"zipmap": stdlib.ZipmapFunc,
		// Config values put into a URL path or query are escaped, or "a/../b" and
		// "x?admin=1" would change which resource is asked for.
		"pathescape": escapeFunc(url.PathEscape),
		"urlencode":  escapeFunc(url.QueryEscape),
	}
}

func escapeFunc(escape func(string) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(escape(args[0].AsString())), nil
		},
	})
}

// reader evaluates a decoded block's attributes for Build. In validate mode config
// values are unknown: an attribute whose value is unknown is type-checked and skipped.
type reader struct {
	b     *block
	ctx   *hcl.EvalContext
	diags *hcl.Diagnostics
	vals  []any // jq variable values; nil in validate mode
	sens  *sensitivity
}

func (r *reader) add(d *hcl.Diagnostic) { *r.diags = append(*r.diags, d) }

func (r *reader) has(name string) bool { _, ok := r.b.content.Attributes[name]; return ok }

func (r *reader) attrRange(name string) hcl.Range {
	if a, ok := r.b.content.Attributes[name]; ok {
		return a.Expr.Range()
	}
	return r.b.rng
}

// value evaluates an attribute and converts it to want. ok=false when the attribute
// is absent, null, unknown (validate mode) or wrong, the latter with a diagnostic.
func (r *reader) value(name string, want cty.Type) (cty.Value, bool) {
	a, ok := r.b.content.Attributes[name]
	if !ok {
		return cty.NilVal, false
	}
	v, diags := r.sens.eval(a.Expr, r.ctx)
	*r.diags = append(*r.diags, diags...)
	if diags.HasErrors() || v.IsNull() {
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		if _, err := convert.Convert(v, want); err != nil {
			r.add(r.typeError(a, v, want, err))
		}
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		r.add(r.typeError(a, v, want, err))
		return cty.NilVal, false
	}
	return cv, true
}

func (r *reader) typeError(a *hcl.Attribute, v cty.Value, want cty.Type, err error) *hcl.Diagnostic {
	detail := fmt.Sprintf("Inappropriate value for attribute %q in %s: %s is required", a.Name, r.b.what(), typeLabel(want))
	if got := v.Type(); got != cty.DynamicPseudoType {
		detail += ", got " + typeLabel(got)
	}
	if where := badElement(v, want); where != "" {
		detail += " (" + where + ")"
	} else if msg := err.Error(); strings.Contains(msg, ": ") {
		detail += " (" + msg + ")" // cty's words add something past the top level
	}
	return errorf(ptr(a.Expr.Range()), "Incorrect attribute value type", "%s.", detail)
}

// badElement names the first element of a list or map value that is not of want's
// element type, for an error that points at it: cty only says "a number is required".
func badElement(v cty.Value, want cty.Type) string {
	if !(want.IsListType() || want.IsMapType() || want.IsSetType()) || !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return ""
	}
	elem := want.ElementType()
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if _, err := convert.Convert(e, elem); err == nil {
			continue
		}
		got := typeLabel(e.Type())
		if k.Type() == cty.String {
			return fmt.Sprintf("%q is %s", k.AsString(), got)
		}
		bf := k.AsBigFloat()
		i, _ := bf.Int64()
		return fmt.Sprintf("element %d is %s", i, got)
	}
	return ""
}

func typeLabel(t cty.Type) string {
	switch {
	case t == cty.String:
		return "a string"
	case t == cty.Number:
		return "a number"
	case t == cty.Bool:
		return "a bool"
	case t.IsMapType():
		return "a map of " + t.ElementType().FriendlyName() + "s"
	case t.IsListType():
		return "a list of " + t.ElementType().FriendlyName() + "s"
	case t.IsObjectType():
		return "an object"
	case t.IsTupleType():
		return "a list"
	}
	return t.FriendlyName()
}

func (r *reader) str(name, def string) string {
	v, ok := r.value(name, cty.String)
	if !ok {
		return def
	}
	return v.AsString()
}

func (r *reader) oneOf(name, def string, allowed []string) string {
	s, _ := r.choice(name, def, allowed)
	return s
}

// choice is oneOf that also says whether the value is known: false when the attribute
// is set but unknown (validate mode), null or invalid, so that a check that depends on
// it stands back instead of judging the default.
func (r *reader) choice(name, def string, allowed []string) (string, bool) {
	v, ok := r.value(name, cty.String)
	if !ok {
		return def, !r.has(name)
	}
	s := v.AsString()
	if s == def || contains(allowed, s) {
		return s, true
	}
	detail := fmt.Sprintf("%q is not a valid %s. Use one of: %s.", s, name, strings.Join(allowed, ", "))
	if sug := suggest(s, allowed); sug != "" {
		detail = fmt.Sprintf("%q is not a valid %s. Did you mean %q? Use one of: %s.", s, name, sug, strings.Join(allowed, ", "))
	}
	r.add(errorf(ptr(r.attrRange(name)), "Invalid value", "%s", detail))
	return def, false
}

func (r *reader) integer(name string, def, min, max int) int {
	v, ok := r.value(name, cty.Number)
	if !ok {
		return def
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if acc != big.Exact || n < int64(min) || n > int64(max) {
		r.add(errorf(ptr(r.attrRange(name)), "Invalid value", "%s must be a whole number from %d to %d, got %s.", name, min, max, bf.Text('g', 10)))
		return def
	}
	return int(n)
}

func (r *reader) boolean(name string, def bool) bool {
	v, ok := r.value(name, cty.Bool)
	if !ok {
		return def
	}
	return v.True()
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	s := r.str(name, "")
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		r.add(errorf(ptr(r.attrRange(name)), "Invalid duration", "%s must be a duration such as \"30s\", \"2m\" or \"1h30m\", got %q.", name, s))
		return def
	}
	return d
}

var sizeRe = regexp.MustCompile(`^\s*(\d+)\s*([KMG]i?B|B)?\s*$`)

func (r *reader) size(name string, def int64) int64 {
	v, ok := r.value(name, cty.String)
	if !ok {
		return def
	}
	m := sizeRe.FindStringSubmatch(v.AsString())
	if m == nil {
		r.add(errorf(ptr(r.attrRange(name)), "Invalid size", "%s must be a number of bytes or a size such as \"64MiB\", got %q.", name, v.AsString()))
		return def
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	mult := map[string]int64{"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[m[2]]
	if err != nil || n > math.MaxInt64/mult {
		r.add(errorf(ptr(r.attrRange(name)), "Invalid size", "%s is too large, got %q.", name, v.AsString()))
		return def
	}
	return n * mult
}

func (r *reader) stringMap(name string) map[string]string {
	v, ok := r.value(name, cty.Map(cty.String))
	if !ok {
		return nil
	}
	out := map[string]string{}
	for k, e := range v.AsValueMap() {
		if !e.IsNull() {
			out[k] = e.AsString()
		}
	}
	return out
}

func (r *reader) stringList(name string) []string {
	v, ok := r.value(name, cty.List(cty.String))
	if !ok {
		return nil
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		if e.IsNull() {
			r.add(errorf(ptr(r.attrRange(name)), "Invalid value", "%s must not hold null.", name))
			return nil
		}
		out = append(out, e.AsString())
	}
	return out
}

func (r *reader) intList(name string) []int {
	v, ok := r.value(name, cty.List(cty.Number))
	if !ok {
		return nil
	}
	out := []int{}
	for _, e := range v.AsValueSlice() {
		if e.IsNull() {
			r.add(errorf(ptr(r.attrRange(name)), "Invalid value", "%s must not hold null.", name))
			return nil
		}
		n, acc := e.AsBigFloat().Int64()
		if acc != big.Exact {
			r.add(errorf(ptr(r.attrRange(name)), "Invalid value", "%s must hold whole numbers.", name))
			return nil
		}
		out = append(out, int(n))
	}
	return out
}

// object evaluates an attribute as a JSON object for a request body.
func (r *reader) object(name string) map[string]any {
	v, ok := r.value(name, cty.DynamicPseudoType)
	if !ok {
		return nil
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		r.add(errorf(ptr(r.attrRange(name)), "Incorrect attribute value type", "%s must be an object, got %s.", name, v.Type().FriendlyName()))
		return nil
	}
	out, _ := ctyToGo(v).(map[string]any)
	return out
}

func (r *reader) jq(name string) *jqAttr { return r.b.jq[name] }

// ctyToGo converts a known cty value to plain Go values with exact numbers.
func ctyToGo(v cty.Value) any {
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil
	}
	return out
}

// stringify writes a known scalar cty value as text (query parameters, headers).
func stringify(v cty.Value) string {
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		return strconv.FormatBool(v.True())
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func suggest(name string, options []string) string { return engine.Suggest(name, options) }
