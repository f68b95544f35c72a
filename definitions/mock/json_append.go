package mock

import (
	"bytes"
	"encoding/json"
	"time"
)

// obj appends the members of a JSON object to a byte slice without reflection. It exists
// for the page bodies that benchmarks serve by the hundred thousand; everything else goes
// through encoding/json. Keys are literals written in this package and never need
// escaping.
type obj struct {
	b []byte
	n int
}

func (o *obj) key(k string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *obj) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

// raw appends v, which must already be valid JSON.
func (o *obj) raw(k, v string) {
	o.key(k)
	o.b = append(o.b, v...)
}

func (o *obj) time(k string, t time.Time) {
	o.key(k)
	o.b = append(o.b, '"')
	o.b = t.AppendFormat(o.b, time.RFC3339)
	o.b = append(o.b, '"')
}

func (o *obj) strs(k string, vs ...string) {
	o.key(k)
	o.b = append(o.b, '[')
	for i, v := range vs {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendJSONString(o.b, v)
	}
	o.b = append(o.b, ']')
}

// appendJSONString quotes s as a JSON string. Non-ASCII text passes through as UTF-8,
// which JSON allows; only quotes, backslashes and control characters are escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// mustJSON encodes v, which is always one of this package's own types; a failure is a
// bug in the mock. HTML escaping is off because the vendors write "&" in URLs verbatim.
func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("mock: encode response: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
