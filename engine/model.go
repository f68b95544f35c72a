package engine

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"sort"
	"strings"
	"time"
)

// Kind says whether a stream emits assets or findings.
type Kind string

// The record kinds of the normalized model.
const (
	KindAsset   Kind = "asset"
	KindFinding Kind = "finding"
)

// Cloud places an asset in a cloud provider.
type Cloud struct {
	Provider   string `json:"provider,omitempty"`
	Account    string `json:"account,omitempty"`
	Region     string `json:"region,omitempty"`
	ResourceID string `json:"resource_id,omitempty"`
}

// Source says where a record came from. The engine fills Integration and Stream.
type Source struct {
	Integration string `json:"integration"`
	Stream      string `json:"stream"`
	VendorID    string `json:"vendor_id,omitempty"`
}

// Asset is the normalized asset. Field order here is the output order.
type Asset struct {
	Key        string         `json:"key"`
	Class      string         `json:"class"`
	Name       string         `json:"name,omitempty"`
	Hostnames  []string       `json:"hostnames,omitempty"`
	IPs        []string       `json:"ips,omitempty"`
	MACs       []string       `json:"macs,omitempty"`
	OS         string         `json:"os,omitempty"`
	Cloud      *Cloud         `json:"cloud,omitempty"`
	Status     string         `json:"status,omitempty"`
	FirstSeen  string         `json:"first_seen,omitempty"`
	LastSeen   string         `json:"last_seen,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Source     Source         `json:"source"`
}

// Finding is the normalized finding (a vulnerability or misconfiguration on an asset).
type Finding struct {
	Key         string         `json:"key"`
	AssetKey    string         `json:"asset_key"`
	Name        string         `json:"name"`
	CVEs        []string       `json:"cves,omitempty"`
	Severity    string         `json:"severity"`
	CVSS        any            `json:"cvss,omitempty"`
	Status      string         `json:"status"`
	FirstFound  string         `json:"first_found,omitempty"`
	LastFound   string         `json:"last_found,omitempty"`
	Remote      *bool          `json:"remote,omitempty"`
	Evidence    string         `json:"evidence,omitempty"`
	Remediation string         `json:"remediation,omitempty"`
	Attributes  map[string]any `json:"attributes,omitempty"`
	Source      Source         `json:"source"`
}

// Allowed values of the model's enumerations, shared with the docs and the dsl.
var (
	AssetClasses     = []string{"application", "cloud_resource", "container_image", "domain", "host", "ip", "repository", "user"}
	AssetStatuses    = []string{"active", "deleted", "inactive"}
	Severities       = []string{"info", "low", "medium", "high", "critical"}
	FindingStatuses  = []string{"accepted", "fixed", "open"}
	assetFieldNames  = []string{"key", "class", "name", "hostnames", "ips", "macs", "os", "cloud", "status", "first_seen", "last_seen", "attributes", "source"}
	findingFieldName = []string{"key", "asset_key", "name", "cves", "severity", "cvss", "status", "first_found", "last_found", "remote", "evidence", "remediation", "attributes", "source"}
)

// FieldError says which field of a mapped record is wrong and why.
type FieldError struct {
	Field  string
	Reason string
}

func (e FieldError) Error() string { return fmt.Sprintf("field %q: %s", e.Field, e.Reason) }

// fieldReader decodes one mapped object field by field, collecting every error.
type fieldReader struct {
	m    map[string]any
	errs []FieldError
}

func (r *fieldReader) fail(field, format string, args ...any) {
	r.errs = append(r.errs, FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
}

func (r *fieldReader) str(field string, required bool) string {
	v, ok := r.m[field]
	if !ok || v == nil {
		if required {
			r.fail(field, "is required")
		}
		return ""
	}
	switch s := v.(type) {
	case string:
		if required && s == "" {
			r.fail(field, "must not be empty")
		}
		return s
	case json.Number, int, float64, *big.Int:
		return fmt.Sprint(s)
	}
	r.fail(field, "must be a string, got %s", typeName(v))
	return ""
}

// key reads a record key. A key whose last colon-separated part is "null" is what jq
// makes of "acme:host:\(.id)" when the record has no id: every such record would
// collapse into one key and the rest be dropped as duplicates, so it is refused. Only
// the colon counts: "dev-null" or "a/null" may be real names, and keys are written
// "vendor:kind:id" (the README's convention).
func (r *fieldReader) key(field string) string {
	s := r.str(field, true)
	if strings.HasSuffix(s, ":null") {
		r.fail(field, "%q ends in null: the mapping put a missing value in the key; guard it, e.g. \\(.id // error(\"no id\"))", s)
	}
	return s
}

func (r *fieldReader) oneOf(field string, required bool, allowed []string) string {
	s := r.str(field, required)
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	r.fail(field, "%q is not one of %s", s, strings.Join(allowed, ", "))
	return ""
}

func (r *fieldReader) strings(field string, check func(string) (string, bool), what string) []string {
	v, ok := r.m[field]
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		r.fail(field, "must be a list of strings, got %s", typeName(v))
		return nil
	}
	out := make([]string, 0, len(list))
	var index map[string]bool
	for i, e := range list {
		if e == nil {
			continue
		}
		s, ok := e.(string)
		if !ok {
			r.fail(fmt.Sprintf("%s[%d]", field, i), "must be a string, got %s", typeName(e))
			continue
		}
		if s == "" {
			continue
		}
		if check != nil {
			norm, ok := check(s)
			if !ok {
				r.fail(fmt.Sprintf("%s[%d]", field, i), "%q is not %s", s, what)
				continue
			}
			s = norm
		}
		if !seen(out, s, &index) {
			out = append(out, s)
		}
	}
	return out
}

func (r *fieldReader) time(field string) string {
	s := r.str(field, false)
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if _, isString := r.m[field].(string); !isString {
			r.fail(field, "%s is a number, not an RFC 3339 time: pass it through to_rfc3339 in the mapping", s)
			return ""
		}
		r.fail(field, "%q is not an RFC 3339 time (use to_rfc3339 in the mapping)", s)
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (r *fieldReader) object(field string) map[string]any {
	v, ok := r.m[field]
	if !ok || v == nil {
		return nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		r.fail(field, "must be an object, got %s", typeName(v))
		return nil
	}
	return compactObject(o)
}

// compactObject drops empty values (null, "", [] and {}) from attributes: they say
// nothing, and dropping them keeps records small and diffs quiet. Mappings need not.
func compactObject(o map[string]any) map[string]any {
	for k, v := range o {
		if IsEmpty(v) {
			delete(o, k)
		}
	}
	if len(o) == 0 {
		return nil
	}
	return o
}

// IsEmpty says whether a decoded JSON value carries nothing: null, "", [] or {}.
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func (r *fieldReader) unknown(known []string) {
	var extra []string
	for k := range r.m {
		if !contains(known, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		reason := "is not a field of the model"
		if s := suggest(k, known); s != "" {
			reason += fmt.Sprintf("; did you mean %q?", s)
		} else {
			reason += "; put vendor-specific values under attributes"
		}
		r.fail(k, "%s", reason)
	}
}

func (r *fieldReader) source(src Source) Source {
	o := r.object("source")
	if o == nil {
		return src
	}
	for _, k := range sortedKeys(o) { // sorted, so errors come in a stable order
		if k != "vendor_id" {
			r.fail("source."+k, "only source.vendor_id may be set by a mapping")
			continue
		}
		sub := &fieldReader{m: o}
		src.VendorID = sub.str(k, false)
		for _, e := range sub.errs {
			r.fail("source."+e.Field, "%s", e.Reason)
		}
	}
	return src
}

// NewAsset validates a mapped object against the asset model.
func NewAsset(m map[string]any, src Source) (*Asset, []FieldError) {
	r := &fieldReader{m: m}
	a := &Asset{
		Key:        r.key("key"),
		Class:      r.oneOf("class", true, AssetClasses),
		Name:       r.str("name", false),
		Hostnames:  r.strings("hostnames", normalizeHostname, "a host name"),
		IPs:        r.strings("ips", normalizeIP, "an IP address"),
		MACs:       r.strings("macs", NormalizeMAC, "a MAC address"),
		OS:         r.str("os", false),
		Cloud:      r.cloud(),
		Status:     r.oneOf("status", false, AssetStatuses),
		FirstSeen:  r.time("first_seen"),
		LastSeen:   r.time("last_seen"),
		Attributes: r.object("attributes"),
	}
	a.Source = r.source(src)
	r.unknown(assetFieldNames)
	return a, r.errs
}

func (r *fieldReader) cloud() *Cloud {
	o := r.object("cloud")
	if o == nil {
		return nil
	}
	sub := &fieldReader{m: o}
	c := &Cloud{
		Provider:   sub.str("provider", false),
		Account:    sub.str("account", false),
		Region:     sub.str("region", false),
		ResourceID: sub.str("resource_id", false),
	}
	sub.unknown([]string{"provider", "account", "region", "resource_id"})
	for _, e := range sub.errs {
		r.errs = append(r.errs, FieldError{Field: "cloud." + e.Field, Reason: e.Reason})
	}
	if *c == (Cloud{}) {
		return nil
	}
	return c
}

// NewFinding validates a mapped object against the finding model.
func NewFinding(m map[string]any, src Source) (*Finding, []FieldError) {
	r := &fieldReader{m: m}
	f := &Finding{
		Key:         r.key("key"),
		AssetKey:    r.key("asset_key"),
		Name:        r.str("name", true),
		CVEs:        r.strings("cves", normalizeCVE, "a CVE id (CVE-YYYY-NNNN)"),
		Severity:    r.oneOf("severity", true, Severities),
		CVSS:        r.cvss(),
		Status:      r.oneOf("status", true, FindingStatuses),
		FirstFound:  r.time("first_found"),
		LastFound:   r.time("last_found"),
		Remote:      r.boolean("remote"),
		Evidence:    r.str("evidence", false),
		Remediation: r.str("remediation", false),
		Attributes:  r.object("attributes"),
	}
	f.Source = r.source(src)
	r.unknown(findingFieldName)
	return f, r.errs
}

func (r *fieldReader) boolean(field string) *bool {
	v, ok := r.m[field]
	if !ok || v == nil {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(field, "must be true or false, got %s", typeName(v))
		return nil
	}
	return &b
}

func (r *fieldReader) cvss() any {
	v, ok := r.m["cvss"]
	if !ok || v == nil {
		return nil
	}
	f, ok := toFloat(v)
	if !ok || f < 0 || f > 10 {
		r.fail("cvss", "must be a number from 0 to 10, got %v", v)
		return nil
	}
	return v
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func normalizeIP(s string) (string, bool) {
	ip := net.ParseIP(strings.TrimSpace(s))
	if ip == nil {
		return "", false
	}
	return ip.String(), true
}

func normalizeHostname(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" || strings.ContainsAny(s, " /\\@") {
		return "", false
	}
	return strings.ToLower(s), true
}

// normalizeCVE accepts CVE-YYYY-NNNN with four or more sequence digits, any case.
func normalizeCVE(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	year, seq, ok := strings.Cut(strings.TrimPrefix(s, "CVE-"), "-")
	if !strings.HasPrefix(s, "CVE-") || !ok || len(year) != 4 || len(seq) < 4 || !allDigits(year) || !allDigits(seq) {
		return "", false
	}
	return s, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeMAC turns any common MAC spelling (08-00-27-51-56-D8, 0800.2751.56d8,
// 08002751 56d8, 080027:5156d8) into lowercase colon-separated form.
func NormalizeMAC(s string) (string, bool) {
	hex := make([]byte, 0, 12)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
			hex = append(hex, c)
		case c >= 'A' && c <= 'F':
			hex = append(hex, c+'a'-'A')
		case c == ':' || c == '-' || c == '.' || c == ' ':
		default:
			return "", false
		}
	}
	if len(hex) != 12 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.Write(hex[i : i+2])
	}
	return b.String(), true
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number, int, float64, *big.Int:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// seen says whether s is already in out. Lists of IPs or names are short, where a scan
// beats a map; past 32 entries a map keeps long lists linear.
func seen(out []string, s string, index *map[string]bool) bool {
	if len(out) < 32 {
		return contains(out, s)
	}
	if *index == nil {
		*index = make(map[string]bool, 2*len(out))
		for _, o := range out {
			(*index)[o] = true
		}
	}
	if (*index)[s] {
		return true
	}
	(*index)[s] = true
	return false
}
