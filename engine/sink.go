package engine

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
)

// Record is one output line.
type Record struct {
	Kind        Kind   `json:"kind"`
	Integration string `json:"integration"`
	Stream      string `json:"stream"`
	Data        any    `json:"data"` // *Asset or *Finding
	Key         string `json:"-"`
}

// Sink receives records a page at a time, so a store can write one transaction per
// page and nothing already fetched is lost when a later page fails.
type Sink interface {
	WritePage(ctx context.Context, records []Record) error
	Close() error
}

// JSONLSink writes one JSON object per line and flushes after every page.
type JSONLSink struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

// NewJSONLSink writes to w.
func NewJSONLSink(w io.Writer) *JSONLSink {
	s := &JSONLSink{w: bufio.NewWriterSize(w, 64<<10)}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

// WritePage implements Sink.
func (s *JSONLSink) WritePage(_ context.Context, records []Record) error {
	for i := range records {
		s.buf.Reset()
		if err := s.enc.Encode(&records[i]); err != nil {
			return err
		}
		if _, err := s.w.Write(s.buf.Bytes()); err != nil {
			return err
		}
	}
	return s.w.Flush()
}

// Close implements Sink.
func (s *JSONLSink) Close() error { return s.w.Flush() }
