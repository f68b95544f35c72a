package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// decodeBoth decodes body at path streaming and whole, and returns what each saw.
type decoded struct {
	env     any
	records []any
	n       int
	err     error
}

func decodeStreaming(body string, p []string) decoded {
	var d decoded
	d.env, d.n, d.err = decodeJSON(strings.NewReader(body), p, true, func(rec any) error {
		d.records = append(d.records, rec)
		return nil
	})
	return d
}

func decodeWhole(body string, p []string) decoded {
	var d decoded
	d.env, d.n, d.err = decodeJSON(strings.NewReader(body), p, false, func(any) error {
		panic("emit called without streaming")
	})
	return d
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeJSONStreaming(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		path    string
		records string // JSON of the streamed records
		env     string // JSON of the envelope without them
	}{
		{"records then meta", `{"resources":[{"id":1},{"id":"b"}],"meta":{"next":"x"}}`, "resources",
			`[{"id":1},{"id":"b"}]`, `{"meta":{"next":"x"}}`},
		{"meta then records", `{"meta":{"next":"x"},"resources":[{"id":1}],"total":3}`, "resources",
			`[{"id":1}]`, `{"meta":{"next":"x"},"total":3}`},
		{"nested path", `{"data":{"items":[1,2,3],"cursor":"c"},"ok":true}`, "data.items",
			`[1,2,3]`, `{"data":{"cursor":"c"},"ok":true}`},
		{"top-level array has no envelope", `[{"a":1},{"a":2}]`, "", `[{"a":1},{"a":2}]`, `null`},
		{"empty array", `{"items":[],"next":null}`, "items", `null`, `{"next":null}`},
		{"big numbers stay exact", `{"items":[{"id":12345678901234567890,"aid":9007199254740993,"f":1.5e300,"neg":-0.0}]}`, "items",
			`[{"aid":9007199254740993,"f":1.5e300,"id":12345678901234567890,"neg":-0.0}]`, `{}`},
		{"whitespace everywhere", " \n{ \"items\" : [ 1 , 2 ] }\n\t ", "items", `[1,2]`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decodeStreaming(tt.body, path(tt.path))
			if d.err != nil {
				t.Fatal(d.err)
			}
			if got := mustJSON(t, d.records); got != tt.records {
				t.Errorf("records = %s, want %s", got, tt.records)
			}
			if got := mustJSON(t, d.env); got != tt.env {
				t.Errorf("envelope = %s, want %s", got, tt.env)
			}
			if d.n != len(d.records) {
				t.Errorf("n = %d, emitted %d", d.n, len(d.records))
			}
		})
	}
}

func TestDecodeJSONWholeKeepsNumbersExact(t *testing.T) {
	d := decodeWhole(`{"items":[{"id":12345678901234567890}],"total":9007199254740993}`, nil)
	if d.err != nil || d.n != 0 {
		t.Fatalf("decode: n = %d, err = %v", d.n, d.err)
	}
	m := d.env.(map[string]any)
	id := m["items"].([]any)[0].(map[string]any)["id"]
	if id != json.Number("12345678901234567890") || m["total"] != json.Number("9007199254740993") {
		t.Errorf("id = %#v, total = %#v; want exact json.Numbers", id, m["total"])
	}
}

func TestDecodeJSONRecordsShape(t *testing.T) {
	tests := []struct {
		name, body, path string
		want             RecordsShapeError
	}{
		{"missing", `{"meta":{}}`, "resources", RecordsShapeError{Path: ".resources", Got: "missing"}},
		{"null", `{"resources":null}`, "resources", RecordsShapeError{Path: ".resources", Got: "null"}},
		{"object", `{"resources":{"a":1}}`, "resources", RecordsShapeError{Path: ".resources", Got: "an object"}},
		{"string", `{"resources":"none"}`, "resources", RecordsShapeError{Path: ".resources", Got: "a string"}},
		{"number", `{"resources":0}`, "resources", RecordsShapeError{Path: ".resources", Got: "a number"}},
		{"boolean", `{"resources":false}`, "resources", RecordsShapeError{Path: ".resources", Got: "a boolean"}},
		{"nested missing", `{"data":{"other":[]}}`, "data.items", RecordsShapeError{Path: ".data.items", Got: "missing"}},
		{"parent null", `{"data":null}`, "data.items", RecordsShapeError{Path: ".data", Got: "null", Want: "an object"}},
		{"parent an array", `{"data":[{"items":[]}]}`, "data.items", RecordsShapeError{Path: ".data", Got: "an array", Want: "an object"}},
		{"body an array", `[1,2]`, "items", RecordsShapeError{Path: ".", Got: "an array", Want: "an object"}},
		{"body null", `null`, "items", RecordsShapeError{Path: ".", Got: "null", Want: "an object"}},
		{"body an object, records at the top", `{"a":1}`, "", RecordsShapeError{Path: ".", Got: "an object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decodeStreaming(tt.body, path(tt.path))
			var se *RecordsShapeError
			if !errors.As(d.err, &se) {
				t.Fatalf("error = %v, want a RecordsShapeError", d.err)
			}
			if *se != tt.want {
				t.Errorf("error = %+v, want %+v", *se, tt.want)
			}
			want := "records path " + tt.want.Path + " is " + tt.want.Got + ", not an array; check the records selector (append ? to make missing records an empty page)"
			if tt.want.Path == "."+strings.Join(path(tt.path), ".") && se.Error() != want {
				t.Errorf("message = %q\nwant      %q", se.Error(), want)
			}
		})
	}
}

func TestDecodeJSONBadBodies(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		path    string
		records int   // records emitted before the error
		is      error // nil: a syntax error
	}{
		{"trailing garbage", `{"items":[1]} x`, "items", 1, nil},
		{"second value", `{"items":[1]}{"items":[2]}`, "items", 1, nil},
		{"trailing bracket", `{"items":[1]}]`, "items", 1, nil},
		{"truncated in a record", `{"items":[{"a":1},{"a":`, "items", 1, io.ErrUnexpectedEOF},
		{"truncated after the records", `{"items":[{"a":1}],"meta":`, "items", 1, io.ErrUnexpectedEOF},
		{"truncated in a literal", `{"items":[tru`, "items", 0, io.ErrUnexpectedEOF},
		{"not JSON", `<html>`, "items", 0, nil},
		{"bad number", `{"items":[01]}`, "items", 0, nil},
		{"bad literal", `{"items":[nul]}`, "items", 0, nil},
		{"bad escape", `{"items":["\x"]}`, "items", 0, nil},
		{"control character in a string", "{\"items\":[\"a\nb\"]}", "items", 0, nil},
		{"missing comma", `{"items":[1 2]}`, "items", 1, nil},
		{"missing colon", `{"items" [1]}`, "items", 0, nil},
		{"unquoted key", `{items:[1]}`, "items", 0, nil},
		{"trailing comma", `{"items":[1,]}`, "items", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, stream := range []bool{true, false} {
				var d decoded
				if stream {
					d = decodeStreaming(tt.body, path(tt.path))
				} else {
					d = decodeWhole(tt.body, path(tt.path))
				}
				if d.err == nil {
					t.Fatalf("stream=%v: no error for %q", stream, tt.body)
				}
				var se *RecordsShapeError
				if errors.As(d.err, &se) {
					t.Errorf("stream=%v: a bad body reported as a records shape error: %v", stream, d.err)
				}
				if tt.is != nil && !errors.Is(d.err, tt.is) {
					t.Errorf("stream=%v: error %v is not %v", stream, d.err, tt.is)
				}
				if tt.is == nil && (errors.Is(d.err, io.ErrUnexpectedEOF) || errors.Is(d.err, io.EOF)) {
					t.Errorf("stream=%v: a syntax error reported as %v (it would be retried)", stream, d.err)
				}
				if stream && len(d.records) != tt.records {
					t.Errorf("emitted %d records before the error, want %d", len(d.records), tt.records)
				}
				if d.env != nil {
					t.Errorf("stream=%v: envelope = %v with an error", stream, d.env)
				}
			}
		})
	}
}

// TestDecodeJSONMatchesEncodingJSON: valid bodies decode to what encoding/json with
// UseNumber gives, strings and numbers byte for byte.
func TestDecodeJSONMatchesEncodingJSON(t *testing.T) {
	bodies := []string{
		`{"s":"plain","e":"\"\\\/\b\f\n\r\t","u":"\u00e9\u4e2d\ud83d\ude00","lone":"\ud83d x","raw":"é中😀"}`,
		`{"n":[0,-0,1.5,-2e10,1E+2,3e-7,12345678901234567890123,0.000001]}`,
		`{"nested":{"a":[[],[{}],{"b":null}],"t":true,"f":false}}`,
		"\"bad utf8 \xff\xfe\"",
		`[1,"two",{"three":3}]`,
	}
	for _, body := range bodies {
		want, werr := stdDecode([]byte(body))
		d := decodeWhole(body, nil)
		if werr != nil || d.err != nil {
			t.Fatalf("%q: encoding/json %v, decodeJSON %v", body, werr, d.err)
		}
		if !reflect.DeepEqual(d.env, want) {
			t.Errorf("%q:\n got %#v\nwant %#v", body, d.env, want)
		}
	}
}

// TestDecodeJSONAcrossReads: values split across reads and larger than the read
// buffer decode as encoding/json decodes them.
func TestDecodeJSONAcrossReads(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	bodies := map[string]string{
		"escapes and surrogates": `{"items":[{"s":"a\u00e9\ud83d\ude00\n\"q\"","raw":"é中😀"}]}`,
		"numbers":                `{"items":[12345678901234567890,-1.5e-300,0]}`,
		"large string":           `{"items":["` + big + `"],"next":"n"}`,
		"large escaped string":   `{"items":["` + strings.Repeat(`\u00e9`, 20000) + `"]}`,
		"large number":           `{"items":[` + strings.Repeat("9", 50000) + `]}`,
		"many records":           `{"items":[` + strings.TrimSuffix(strings.Repeat(`{"key":"k","n":1},`, 5000), ",") + `]}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			want, err := stdDecode([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			env, _, err := decodeJSON(strings.NewReader(body), nil, false, nil)
			if err != nil || !reflect.DeepEqual(env, want) {
				t.Fatalf("at once: err %v, equal %v", err, reflect.DeepEqual(env, want))
			}
			env, _, err = decodeJSON(iotest.OneByteReader(strings.NewReader(body)), nil, false, nil)
			if err != nil || !reflect.DeepEqual(env, want) {
				t.Fatalf("one byte at a time: err %v, equal %v", err, reflect.DeepEqual(env, want))
			}
			var recs []any
			senv, n, err := decodeJSON(iotest.HalfReader(strings.NewReader(body)), []string{"items"}, true, func(r any) error {
				recs = append(recs, r)
				return nil
			})
			wantRecs := want.(map[string]any)["items"]
			if err != nil || n != len(recs) || !reflect.DeepEqual(recs, wantRecs) {
				t.Fatalf("streamed: err %v, %d records", err, n)
			}
			delete(want.(map[string]any), "items")
			if !reflect.DeepEqual(senv, want) {
				t.Errorf("streamed envelope %#v, want %#v", senv, want)
			}
		})
	}
}

func stdDecode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func TestDecodeJSONEmptyBody(t *testing.T) {
	for _, body := range []string{"", " ", "\r\n\t "} {
		for _, stream := range []bool{true, false} {
			var d decoded
			if stream {
				d = decodeStreaming(body, path("items"))
			} else {
				d = decodeWhole(body, nil)
			}
			if d.err != nil || d.env != nil || d.n != 0 || len(d.records) != 0 {
				t.Errorf("body %q stream=%v: %+v, want an empty page", body, stream, d)
			}
		}
	}
}

// errReader fails after its data, as a body over the size cap or a dropped
// connection does.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	if len(r.data) == 0 {
		return n, r.err // data and the error together, as capReader returns them
	}
	return n, nil
}

// TestDecodeJSONReadErrorAfterValue: a read error after a complete value is that
// error, not "unexpected data" (which would call a body over the cap invalid JSON).
func TestDecodeJSONReadErrorAfterValue(t *testing.T) {
	for _, stream := range []bool{true, false} {
		r := &errReader{data: []byte(`{"items":[1,2]}`), err: ErrBodyTooLarge}
		_, _, err := decodeJSON(r, []string{"items"}, stream, func(any) error { return nil })
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("stream=%v: error = %v, want ErrBodyTooLarge", stream, err)
		}
		r = &errReader{data: []byte(`{"items":[1,2]}`), err: io.ErrUnexpectedEOF}
		_, _, err = decodeJSON(r, []string{"items"}, stream, func(any) error { return nil })
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("stream=%v: error = %v, want io.ErrUnexpectedEOF", stream, err)
		}
	}
}

func TestDecodeJSONEmitErrorStops(t *testing.T) {
	stop := errors.New("stop")
	seen := 0
	_, n, err := decodeJSON(strings.NewReader(`{"items":[1,2,3]}`), []string{"items"}, true, func(any) error {
		seen++
		if seen == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 2 || n != 2 {
		t.Errorf("err = %v, seen = %d, n = %d; want stop after 2", err, seen, n)
	}
}

// recordsAt walks a decoded value the way a records path does.
func recordsAt(v any, p []string) ([]any, bool) {
	for _, k := range p {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	list, ok := v.([]any)
	return list, ok
}

// withoutRecords removes the records array from a decoded envelope.
func withoutRecords(v any, p []string) any {
	if len(p) == 0 {
		return nil
	}
	m := v.(map[string]any)
	if len(p) == 1 {
		delete(m, p[0])
	} else {
		m[p[0]] = withoutRecords(m[p[0]], p[1:])
	}
	return m
}

// hasDuplicateKeys says whether any object in a JSON text repeats a key: streaming
// keeps the first records array, a whole decode the last, so they may differ there.
func hasDuplicateKeys(body []byte) bool {
	dup, _ := dupInValue(json.NewDecoder(bytes.NewReader(body)))
	return dup
}

func dupInValue(dec *json.Decoder) (bool, error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			k, ok := kt.(string)
			if err != nil || !ok {
				return false, errors.New("bad key")
			}
			if seen[k] {
				return true, nil
			}
			seen[k] = true
			if dup, err := dupInValue(dec); dup || err != nil {
				return dup, err
			}
		}
		_, err = dec.Token() // }
	case json.Delim('['):
		for dec.More() {
			if dup, err := dupInValue(dec); dup || err != nil {
				return dup, err
			}
		}
		_, err = dec.Token() // ]
	}
	return false, err
}

func FuzzDecodeJSON(f *testing.F) {
	seeds := []struct{ body, path string }{
		{`{"resources":[{"id":1},{"id":"b"}],"meta":{"next":"x"}}`, "resources"},
		{`{"data":{"items":[1,2,3],"cursor":"c"},"ok":true}`, "data.items"},
		{`[{"a":1},{"a":2}]`, ""},
		{`{"items":[{"id":12345678901234567890}]}`, "items"},
		{`{"items":null}`, "items"},
		{`{"items":{}}`, "items"},
		{`{"meta":{}}`, "items"},
		{`{"items":[1]} x`, "items"},
		{`{"items":[1],"items":[2]}`, "items"},
		{`{"items":[{"a":`, "items"},
		{``, "items"},
		{`null`, ""},
		{`"text"`, "a.b"},
		{`{"a":{"b":{"c":[[],{},null,true,1e9,"x"]}}}`, "a.b.c"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.path)
	}
	f.Fuzz(func(t *testing.T, body []byte, dotted string) {
		if len(body) > 64<<10 || len(dotted) > 64 {
			return
		}
		p := path(dotted)
		if len(p) > 4 {
			return
		}
		// A decoder that loops must fail with its input, not stall the fuzzer.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("decodeJSON hangs on %q at %q", body, dotted))
			}
		}()
		var streamed []any
		senv, sn, serr := decodeJSON(bytes.NewReader(body), p, true, func(rec any) error {
			streamed = append(streamed, rec)
			return nil
		})
		if sn != len(streamed) {
			t.Fatalf("n = %d, emitted %d", sn, len(streamed))
		}
		// Decoding only some members of each record finds the same errors, at the same
		// byte, and the same records less the other members, even a byte at a time.
		var projected []any
		penv, pn, perr := decodePage(iotest.OneByteReader(bytes.NewReader(body)), p, true, fuzzFields, func(rec any) error {
			projected = append(projected, rec)
			return nil
		})
		if fmt.Sprint(perr) != fmt.Sprint(serr) || pn != sn || !reflect.DeepEqual(penv, senv) {
			t.Fatalf("projected: %v, %d records, env %#v; whole records: %v, %d, %#v", perr, pn, penv, serr, sn, senv)
		}
		if serr == nil {
			for i := range streamed {
				if want := project(streamed[i], fuzzFields); !reflect.DeepEqual(projected[i], want) {
					t.Fatalf("record %d projected to %#v, want %#v", i, projected[i], want)
				}
			}
		}
		wenv, _, werr := decodeJSON(bytes.NewReader(body), p, false, nil)
		// A body that arrives a byte at a time decodes the same.
		oenv, _, oerr := decodeJSON(iotest.OneByteReader(bytes.NewReader(body)), p, false, nil)
		if (oerr == nil) != (werr == nil) || !reflect.DeepEqual(oenv, wenv) {
			t.Fatalf("one byte at a time: %#v, %v; at once: %#v, %v", oenv, oerr, wenv, werr)
		}
		if werr != nil {
			if serr == nil {
				t.Fatalf("the whole decode failed (%v) but streaming succeeded", werr)
			}
			return
		}
		if std, err := stdDecode(body); len(bytes.TrimSpace(body)) > 0 && (err != nil || !reflect.DeepEqual(std, wenv)) {
			t.Fatalf("decodeJSON accepted %q as %#v; encoding/json: %#v, %v", body, wenv, std, err)
		}
		if len(bytes.TrimSpace(body)) == 0 {
			if serr != nil || senv != nil || sn != 0 {
				t.Fatalf("empty body streamed as %v, %d, %v", senv, sn, serr)
			}
			return
		}
		if hasDuplicateKeys(body) {
			return
		}
		want, ok := recordsAt(wenv, p)
		if !ok {
			var se *RecordsShapeError
			if !errors.As(serr, &se) {
				t.Fatalf("records path %q is not an array, but streaming gave %v", dotted, serr)
			}
			return
		}
		if serr != nil {
			t.Fatalf("streaming failed where the whole decode found %d records: %v", len(want), serr)
		}
		if sn != len(want) || !reflect.DeepEqual(streamed, want) && len(want) > 0 {
			t.Fatalf("streamed %d records %v, whole decode %d %v", sn, streamed, len(want), want)
		}
		if wantEnv := withoutRecords(wenv, p); !reflect.DeepEqual(senv, wantEnv) {
			t.Fatalf("streamed envelope %#v, want %#v", senv, wantEnv)
		}
	})
}

var fuzzFields = map[string]bool{"id": true, "a": true, "name": true}

// project is rec with only the members in fields, when it is an object.
func project(rec any, fields map[string]bool) any {
	m, ok := rec.(map[string]any)
	if !ok {
		return rec
	}
	out := map[string]any{}
	for k, v := range m {
		if fields[k] {
			out[k] = v
		}
	}
	return out
}

// TestDecodePageProjected: only the named members of each record are built; the others
// are checked as JSON and skipped, with errors at the same byte as a whole decode.
func TestDecodePageProjected(t *testing.T) {
	fields := map[string]bool{"id": true, "name": true, "caf\u00e9": true}
	tests := []struct {
		name, body string
		records    string // JSON of the records emitted, or the error wanted
		err        string
	}{
		{"skips nested members", `{"r":[{"id":1,"policies":[{"a":{"b":[1,2,{"c":null}]}}],"name":"x","tags":["t"]}]}`,
			`[{"id":1,"name":"x"}]`, ""},
		{"keeps a big id exact", `{"r":[{"id":123456789012345678901,"x":1.5e300}]}`, `[{"id":123456789012345678901}]`, ""},
		{"escaped key matches", `{"r":[{"caf\u00e9":"\u00e9\n","other":"\"quoted\\\""}]}`, `[{"café":"é\n"}]`, ""},
		{"empty record and empty array", `{"r":[{},{"skip":{}},{"skip":[]}]}`, `[{},{},{}]`, ""},
		{"non-object records whole", `{"r":[1,"s",[{"x":1}],null]}`, `[1,"s",[{"x":1}],null]`, ""},
		{"duplicate key keeps the last", `{"r":[{"id":1,"id":2}]}`, `[{"id":2}]`, ""},
		{"bad number in a skipped member", `{"r":[{"id":1,"n":01}]}`, "", `invalid number "01" (at byte 20)`},
		{"bad escape in a skipped member", `{"r":[{"s":"\x"}]}`, "", `invalid escape \x in string (at byte 13)`},
		{"control character in a skipped string", "{\"r\":[{\"s\":\"a\tb\"}]}", "", `invalid control character '\t' in string`},
		{"unclosed skipped object", `{"r":[{"s":{"a":1`, "", "unexpected EOF"},
		{"bad literal in a skipped member", `{"r":[{"s":nul}]}`, "", "invalid character '}' in literal null (at byte 14)"},
		{"missing colon in a skipped object", `{"r":[{"s":{"a" 1}}]}`, "", "invalid character '1', expected ':' (at byte 16)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []any
			_, n, err := decodePage(iotest.OneByteReader(strings.NewReader(tt.body)), []string{"r"}, true, fields, func(rec any) error {
				got = append(got, rec)
				return nil
			})
			_, _, whole := decodeJSON(strings.NewReader(tt.body), []string{"r"}, true, func(any) error { return nil })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.err)
				}
				if fmt.Sprint(err) != fmt.Sprint(whole) {
					t.Fatalf("projected err %v, whole-record decode err %v: they must be the same", err, whole)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != len(got) || mustJSON(t, got) != tt.records {
				t.Fatalf("records %s (n=%d), want %s", mustJSON(t, got), n, tt.records)
			}
		})
	}
}

// A records key given twice is an error when streaming: the first array's records were
// already sent on, and decoding whole would have kept the second. Before, the stream
// took the first and the page's envelope the second.
func TestDecodeJSONDuplicateRecordsKey(t *testing.T) {
	for _, body := range []string{
		`{"r":[{"id":1}],"r":[{"id":2}]}`,
		`{"r":[{"id":1}],"meta":{},"r":5}`,
		`{"page":{"r":[1],"r":[2]}}`,
	} {
		path := []string{"r"}
		if strings.HasPrefix(body, `{"page"`) {
			path = []string{"page", "r"}
		}
		d := decodeStreaming(body, path)
		want := `the page has the key "r" twice, so which value holds the records is ambiguous`
		if d.err == nil || !strings.Contains(d.err.Error(), want) || !strings.Contains(d.err.Error(), "records path ."+strings.Join(path, ".")) {
			t.Errorf("%s: err = %v, want %q", body, d.err, want)
		}
	}
	// Duplicates elsewhere in the page, or inside a record, are not ambiguous about the records.
	d := decodeStreaming(`{"meta":1,"meta":2,"r":[{"id":1,"id":2}]}`, []string{"r"})
	if d.err != nil || mustJSON(t, d.records) != `[{"id":2}]` || mustJSON(t, d.env) != `{"meta":2}` {
		t.Errorf("got %v %s %s", d.err, mustJSON(t, d.records), mustJSON(t, d.env))
	}
}

// A skipped member is checked, not built: escapes in it cost no allocation (they cost
// one each before).
func TestSkippedMembersDoNotAllocate(t *testing.T) {
	allocs := func(skipped string) float64 {
		body := []byte(`{"r":[{"id":1,"skip":"` + skipped + `"}]}`)
		return testing.AllocsPerRun(20, func() {
			if _, _, err := decodePage(bytes.NewReader(body), []string{"r"}, true, map[string]bool{"id": true}, func(any) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
	plain, escaped := allocs(strings.Repeat("a", 2000)), allocs(strings.Repeat(`\n`, 1000))
	if escaped > plain+1 {
		t.Errorf("a skipped string of 1000 escapes costs %v allocations, one without escapes %v", escaped, plain)
	}
}

// A page decoded whole (its pagination reads the records) with a top-level key given
// twice is an error too: jq would have taken the last copy, without a word.
func TestDecodePageWholeDuplicateTopKey(t *testing.T) {
	_, _, err := decodePage(strings.NewReader(`{"items":[{"id":1}],"items":[{"id":2}]}`), nil, false, nil, nil)
	if err == nil || err.Error() != `the page has the key "items" twice at its top level, so which value holds the records is ambiguous` {
		t.Errorf("err = %v", err)
	}
	// Deeper duplicates keep the last, as encoding/json does; decodeJSON (check, tokens) too.
	env, _, err := decodePage(strings.NewReader(`{"items":[{"id":1,"id":2}],"meta":{"n":1,"n":2}}`), nil, false, nil, nil)
	if err != nil || mustJSON(t, env) != `{"items":[{"id":2}],"meta":{"n":2}}` {
		t.Errorf("env %s, err %v", mustJSON(t, env), err)
	}
	if _, _, err := decodeJSON(strings.NewReader(`{"a":1,"a":2}`), nil, false, nil); err != nil {
		t.Errorf("decodeJSON: %v", err)
	}
}
