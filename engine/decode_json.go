package engine

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// decodeJSON decodes one JSON page with exact numbers (json.Number), so an ID above
// 2^53 comes out as it went in.
//
// With stream=false the whole body is decoded and returned as the envelope. With
// stream=true the array at path is not held: each element goes to emit as it is
// decoded, and the envelope returned holds everything else (for pagination).
func decodeJSON(r io.Reader, path []string, stream bool, emit func(any) error) (env any, n int, err error) {
	return decodeBody(r, path, stream, nil, false, emit)
}

// decodePage decodes a page of a stream: decodeJSON where, when streaming, a record
// that is an object keeps only the members named in fields (nil keeps every member),
// and where a key given twice at the top of a page decoded whole is an error, as it is
// on the way to streamed records: which copy holds the records would be a guess.
func decodePage(r io.Reader, path []string, stream bool, fields map[string]bool, emit func(any) error) (env any, n int, err error) {
	return decodeBody(r, path, stream, fields, true, emit)
}

func decodeBody(r io.Reader, path []string, stream bool, fields map[string]bool, uniqueTop bool, emit func(any) error) (env any, n int, err error) {
	j := newJSONReader(r)
	j.uniqueTop = uniqueTop && !stream
	if _, ok := j.peek(); !ok {
		if j.err != nil && !errors.Is(j.err, io.EOF) {
			return nil, 0, j.err // a read error before any byte (size cap, dropped connection)
		}
		return nil, 0, nil // an empty body (204 No Content) is a page without records
	}
	if !stream {
		env, err = j.value()
	} else {
		w := &walker{j: j, emit: emit, fields: fields}
		env, err = w.value(path)
		n = w.n
		if _, top := env.(recordsSentinel); top {
			env = nil // the records were the whole body: there is no envelope for extractors
		}
	}
	if err != nil {
		return nil, n, err
	}
	if err := j.atEnd(); err != nil {
		return nil, n, err
	}
	return env, n, nil
}

type walker struct {
	j      *jsonReader
	emit   func(any) error
	fields map[string]bool // the record members the mapping reads; nil: all
	n      int
	at     []string
}

// recordsSentinel marks where the streamed records array stood.
type recordsSentinel struct{}

func (w *walker) value(path []string) (any, error) {
	c, ok := w.j.peek()
	if !ok {
		return nil, w.j.eofError()
	}
	want := byte('{')
	if len(path) == 0 {
		want = '['
	}
	if c != want {
		v, err := w.j.value()
		if err != nil {
			return nil, err
		}
		if len(path) > 0 {
			return nil, w.shapeWant(describeValue(v), "an object")
		}
		return nil, w.shape(describeValue(v))
	}
	w.j.pos++
	if err := w.j.enter(); err != nil {
		return nil, err
	}
	defer func() { w.j.depth-- }()
	if len(path) == 0 {
		return recordsSentinel{}, w.records()
	}
	return w.object(path)
}

// records emits each element of the records array whose '[' was consumed, decoding
// only the members the mapping reads.
func (w *walker) records() error {
	return w.j.elements(w.fields, func(rec any) error {
		w.n++
		return w.emit(rec)
	})
}

// object walks an object whose '{' was consumed, descending into path[0].
func (w *walker) object(path []string) (any, error) {
	m := map[string]any{}
	found := false
	if c, ok := w.j.peek(); ok && c == '}' {
		w.j.pos++
	} else {
		for {
			key, err := w.j.key()
			if err != nil {
				return nil, err
			}
			var v any
			if key == path[0] && found {
				// Decoding whole keeps the last of duplicate keys; streaming has already
				// sent the first one's records on. Neither guess is safe for data. (w.at
				// already ends with the key, from its first occurrence.)
				return nil, fmt.Errorf("records path .%s: the page has the key %q twice, so which value holds the records is ambiguous",
					strings.Join(w.at, "."), key)
			}
			if key == path[0] {
				found = true
				w.at = append(w.at, key)
				v, err = w.value(path[1:])
			} else {
				v, err = w.j.value()
			}
			if err != nil {
				return nil, err
			}
			if _, ok := v.(recordsSentinel); !ok {
				m[key] = v
			}
			if done, err := w.j.more('}'); err != nil {
				return nil, err
			} else if done {
				break
			}
		}
	}
	if !found {
		w.at = append(w.at, path[0])
		return nil, w.shape("missing")
	}
	return m, nil
}

// RecordsShapeError is a page whose records are not where the definition says.
type RecordsShapeError struct {
	Path string
	Got  string
	Want string // "" means an array (the records themselves); "an object" on the way there
}

func (e *RecordsShapeError) Error() string {
	want := e.Want
	if want == "" {
		want = "an array"
	}
	return fmt.Sprintf("records path %s is %s, not %s; check the records selector (append ? to make missing records an empty page)", e.Path, e.Got, want)
}

func (w *walker) shape(got string) error {
	return &RecordsShapeError{Path: "." + strings.Join(w.at, "."), Got: got}
}

func (w *walker) shapeWant(got, want string) error {
	return &RecordsShapeError{Path: "." + strings.Join(w.at, "."), Got: got, Want: want}
}

func describeValue(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array" // JSON's word, as in "not an array"
	}
	return typeName(v)
}
