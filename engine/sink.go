package engine

import (
	"bufio"
	"bytes"
	"context"
	"io"
)

// Record is one output line.
type Record struct {
	Kind        Kind   `json:"kind"`
	Integration string `json:"integration"`
	Stream      string `json:"stream"`
	Data        any    `json:"data"` // *Asset or *Finding
	Key         string `json:"-"`
	// line is the record already encoded as one JSON line, when the sink takes lines
	// (LineEncoder): the pipeline encodes on every core, not on the sink's goroutine.
	line []byte
}

// LineEncoder is a sink that writes records as JSON lines; the engine then encodes
// them in parallel, ahead of WritePage.
type LineEncoder interface {
	EncodesLines()
}

// lineEncoder encodes records as JSON lines (appendRecord), reusing its buffer.
type lineEncoder struct {
	buf []byte
}

func newLineEncoder() *lineEncoder { return &lineEncoder{buf: make([]byte, 0, 4096)} }

func (e *lineEncoder) encode(r *Record) ([]byte, error) {
	b, err := appendRecord(e.buf[:0], r)
	if err != nil {
		return nil, err
	}
	e.buf = b
	return bytes.Clone(b), nil
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
	enc *lineEncoder
}

// NewJSONLSink writes to w.
func NewJSONLSink(w io.Writer) *JSONLSink {
	return &JSONLSink{w: bufio.NewWriterSize(w, 64<<10), enc: newLineEncoder()}
}

// EncodesLines implements LineEncoder.
func (s *JSONLSink) EncodesLines() {}

// WritePage implements Sink.
func (s *JSONLSink) WritePage(_ context.Context, records []Record) error {
	for i := range records {
		line := records[i].line
		if line == nil {
			var err error
			if line, err = s.enc.encode(&records[i]); err != nil {
				return err
			}
		}
		if _, err := s.w.Write(line); err != nil {
			return err
		}
	}
	return s.w.Flush()
}

// Close implements Sink.
func (s *JSONLSink) Close() error { return s.w.Flush() }

// MultiSink writes every page to each of its sinks in turn (JSON Lines and the
// inventory, say). It encodes lines ahead when any of its sinks takes them.
type MultiSink []Sink

// WritePage implements Sink.
func (m MultiSink) WritePage(ctx context.Context, records []Record) error {
	for _, s := range m {
		if err := s.WritePage(ctx, records); err != nil {
			return err
		}
	}
	return nil
}

// Close implements Sink.
func (m MultiSink) Close() error {
	var first error
	for _, s := range m {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// EncodesLines implements LineEncoder. The engine checks for it by type, so the
// multi-sink always claims it; lines are cheap and the JSON Lines sink usually comes along.
func (m MultiSink) EncodesLines() {}
