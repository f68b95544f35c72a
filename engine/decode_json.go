package engine

import (
	"encoding/json"
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
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if !stream {
		err = dec.Decode(&env)
	} else {
		w := &walker{dec: dec, emit: emit}
		env, err = w.value(path, nil)
		n = w.n
	}
	if errors.Is(err, io.EOF) && env == nil && n == 0 {
		return nil, 0, nil // an empty body (204 No Content) is a page without records
	}
	if err != nil {
		return nil, n, err
	}
	if _, terr := dec.Token(); terr != io.EOF {
		return nil, n, errors.New("unexpected data after the JSON value")
	}
	return env, n, nil
}

type walker struct {
	dec  *json.Decoder
	emit func(any) error
	n    int
	at   []string
}

// recordsSentinel marks where the streamed records array stood.
type recordsSentinel struct{}

func (w *walker) value(path []string, tok json.Token) (any, error) {
	if tok == nil {
		var err error
		if tok, err = w.dec.Token(); err != nil {
			return nil, err
		}
	}
	if len(path) == 0 {
		return recordsSentinel{}, w.records(tok)
	}
	if tok != json.Delim('{') {
		return nil, w.shape(describeToken(tok))
	}
	return w.object(path)
}

func (w *walker) object(path []string) (any, error) {
	m := map[string]any{}
	found := false
	for w.dec.More() {
		kt, err := w.dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := kt.(string)
		if key == path[0] && !found {
			found = true
			w.at = append(w.at, key)
			v, err := w.value(path[1:], nil)
			if err != nil {
				return nil, err
			}
			if _, ok := v.(recordsSentinel); !ok {
				m[key] = v
			}
			continue
		}
		var v any
		if err := w.dec.Decode(&v); err != nil {
			return nil, err
		}
		m[key] = v
	}
	if _, err := w.dec.Token(); err != nil {
		return nil, err
	}
	if !found {
		w.at = append(w.at, path[0])
		return nil, w.shape("missing")
	}
	return m, nil
}

func (w *walker) records(tok json.Token) error {
	if tok != json.Delim('[') {
		return w.shape(describeToken(tok))
	}
	for w.dec.More() {
		var rec any
		if err := w.dec.Decode(&rec); err != nil {
			return err
		}
		w.n++
		if err := w.emit(rec); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// RecordsShapeError is a page whose records are not where the definition says.
type RecordsShapeError struct {
	Path string
	Got  string
}

func (e *RecordsShapeError) Error() string {
	return fmt.Sprintf("records path %s is %s, not an array; check the records selector (append ? to make missing records an empty page)", e.Path, e.Got)
}

func (w *walker) shape(got string) error {
	return &RecordsShapeError{Path: "." + strings.Join(w.at, "."), Got: got}
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "unexpected"
}
