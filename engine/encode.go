package engine

import (
	"encoding/json"
	"math"
	"math/big"
	"sort"
	"strconv"
	"unicode/utf8"
)

// appendRecord writes r as one JSON line, byte for byte what encoding/json (with HTML
// escaping off) writes for it, without reflection: encoding every record is on the hot
// path of a run, and reflection over the attributes map was a tenth of its time.
// Values of a kind it does not know fall back to encoding/json.
func appendRecord(b []byte, r *Record) ([]byte, error) {
	b = append(b, `{"kind":`...)
	b = appendString(b, string(r.Kind))
	b = append(b, `,"integration":`...)
	b = appendString(b, r.Integration)
	b = append(b, `,"stream":`...)
	b = appendString(b, r.Stream)
	b = append(b, `,"data":`...)
	var err error
	switch d := r.Data.(type) {
	case *Asset:
		b, err = appendAsset(b, d)
	case *Finding:
		b, err = appendFinding(b, d)
	default:
		b, err = appendValue(b, d)
	}
	if err != nil {
		return nil, err
	}
	return append(b, '}', '\n'), nil
}

func appendAsset(b []byte, a *Asset) ([]byte, error) {
	b = append(b, `{"key":`...)
	b = appendString(b, a.Key)
	b = append(b, `,"class":`...)
	b = appendString(b, a.Class)
	b = optString(b, "name", a.Name)
	b = optStrings(b, "hostnames", a.Hostnames)
	b = optStrings(b, "ips", a.IPs)
	b = optStrings(b, "macs", a.MACs)
	b = optString(b, "os", a.OS)
	if c := a.Cloud; c != nil {
		b = append(b, `,"cloud":{`...)
		start := len(b)
		b = optString(b, "provider", c.Provider)
		b = optString(b, "account", c.Account)
		b = optString(b, "region", c.Region)
		b = optString(b, "resource_id", c.ResourceID)
		if len(b) > start {
			b = append(b[:start], b[start+1:]...) // drop the first field's comma
		}
		b = append(b, '}')
	}
	b = optString(b, "status", a.Status)
	b = optString(b, "first_seen", a.FirstSeen)
	b = optString(b, "last_seen", a.LastSeen)
	b, err := optObject(b, "attributes", a.Attributes)
	if err != nil {
		return nil, err
	}
	return append(appendSource(b, a.Source), '}'), nil
}

func appendFinding(b []byte, f *Finding) ([]byte, error) {
	b = append(b, `{"key":`...)
	b = appendString(b, f.Key)
	b = append(b, `,"asset_key":`...)
	b = appendString(b, f.AssetKey)
	b = append(b, `,"name":`...)
	b = appendString(b, f.Name)
	b = optStrings(b, "cves", f.CVEs)
	b = append(b, `,"severity":`...)
	b = appendString(b, f.Severity)
	var err error
	if f.CVSS != nil {
		b = append(b, `,"cvss":`...)
		if b, err = appendValue(b, f.CVSS); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"status":`...)
	b = appendString(b, f.Status)
	b = optString(b, "first_found", f.FirstFound)
	b = optString(b, "last_found", f.LastFound)
	if f.Remote != nil {
		b = append(b, `,"remote":`...)
		b = strconv.AppendBool(b, *f.Remote)
	}
	b = optString(b, "evidence", f.Evidence)
	b = optString(b, "remediation", f.Remediation)
	if b, err = optObject(b, "attributes", f.Attributes); err != nil {
		return nil, err
	}
	return append(appendSource(b, f.Source), '}'), nil
}

func appendSource(b []byte, s Source) []byte {
	b = append(b, `,"source":{"integration":`...)
	b = appendString(b, s.Integration)
	b = append(b, `,"stream":`...)
	b = appendString(b, s.Stream)
	b = optString(b, "vendor_id", s.VendorID)
	return append(b, '}')
}

func optString(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':')
	return appendString(b, v)
}

func optStrings(b []byte, name string, vs []string) []byte {
	if len(vs) == 0 {
		return b
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':', '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, v)
	}
	return append(b, ']')
}

func optObject(b []byte, name string, m map[string]any) ([]byte, error) {
	if len(m) == 0 {
		return b, nil
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':')
	return appendValue(b, m)
}

// appendValue writes a decoded JSON or jq value: maps with sorted keys, as
// encoding/json does.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case json.Number:
		if x == "" || !validNumber(string(x)) {
			return appendFallback(b, v)
		}
		return append(b, x...), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case float64:
		return appendFloat(b, x)
	case *big.Int:
		return append(b, x.String()...), nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		return appendMap(b, x)
	}
	return appendFallback(b, v)
}

func appendMap(b []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		var err error
		if b, err = appendValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendFallback(b []byte, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, raw...), nil
}

// appendFloat formats as encoding/json does: shortest repr, exponent form outside
// [1e-6, 1e21), and an error for NaN and infinities.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendFallback(b, f) // encoding/json's own error
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b) - start
		if n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does with HTML
// escaping off: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029 are escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
