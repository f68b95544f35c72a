package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader is a JSON parser over a stream that builds the same values as
// encoding/json with UseNumber (map[string]any, []any, json.Number, string, bool,
// nil), in one pass. encoding/json's Decoder scans each value twice (once to find its
// end, once to decode it); on a vendor page that is most of the engine's decoding time.
// Object keys are interned per page: vendors repeat the same keys on every record.
type jsonReader struct {
	r      io.Reader
	buf    []byte
	pos    int
	off    int64 // bytes consumed before buf
	err    error // the read error that ended the input, io.EOF at a clean end
	keys   map[string]string
	depth  int
	strBuf []byte
	// sizes remembers how many members the last object and array at each depth had:
	// vendor records repeat their shape, so the next one is made the right size at once
	// instead of growing (and reallocating) member by member.
	objSizes []int
	arrSizes []int
	// uniqueTop makes a key given twice in the top-level object an error.
	uniqueTop bool
}

func sizeHint(sizes []int, depth int) int {
	if depth < len(sizes) {
		return sizes[depth]
	}
	return 0
}

func remember(sizes []int, depth, n int) []int {
	for len(sizes) <= depth {
		sizes = append(sizes, 0)
	}
	sizes[depth] = n
	return sizes
}

// JSONSyntaxError is a response body that is not valid JSON.
type JSONSyntaxError struct {
	Offset int64 // byte offset of the error in the body
	Msg    string
}

func (e *JSONSyntaxError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset) }

// maxJSONDepth bounds nesting, as encoding/json does, so hostile input cannot exhaust
// the stack.
const maxJSONDepth = 10000

func newJSONReader(r io.Reader) *jsonReader {
	return &jsonReader{r: r, buf: make([]byte, 0, 32<<10), keys: map[string]string{}}
}

// fill reads more input; it reports false at the end of input or on a read error.
func (j *jsonReader) fill() bool {
	if j.err != nil {
		return false
	}
	if j.pos > 0 {
		j.off += int64(j.pos)
		n := copy(j.buf, j.buf[j.pos:])
		j.buf, j.pos = j.buf[:n], 0
	}
	if len(j.buf) == cap(j.buf) {
		j.buf = append(j.buf, make([]byte, len(j.buf))...)[:len(j.buf)]
	}
	for {
		n, err := j.r.Read(j.buf[len(j.buf):cap(j.buf)])
		j.buf = j.buf[:len(j.buf)+n]
		if err != nil {
			j.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// eofError is what running out of input means in the middle of a value.
func (j *jsonReader) eofError() error {
	if j.err == nil || errors.Is(j.err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return j.err
}

func (j *jsonReader) syntax(format string, args ...any) error {
	return &JSONSyntaxError{Offset: j.off + int64(j.pos), Msg: fmt.Sprintf(format, args...)}
}

// peek skips white space and returns the next byte without consuming it; ok=false at
// the end of input.
func (j *jsonReader) peek() (byte, bool) {
	for {
		for j.pos < len(j.buf) {
			switch c := j.buf[j.pos]; c {
			case ' ', '\t', '\n', '\r':
				j.pos++
			default:
				return c, true
			}
		}
		if !j.fill() {
			return 0, false
		}
	}
}

// next consumes and returns the next non-space byte.
func (j *jsonReader) next() (byte, error) {
	c, ok := j.peek()
	if !ok {
		return 0, j.eofError()
	}
	j.pos++
	return c, nil
}

func (j *jsonReader) expect(want byte) error {
	c, err := j.next()
	if err != nil {
		return err
	}
	if c != want {
		j.pos--
		return j.syntax("invalid character %s, expected %q", quoteChar(c), want)
	}
	return nil
}

// value parses one complete value.
func (j *jsonReader) value() (any, error) {
	c, ok := j.peek()
	if !ok {
		return nil, j.eofError()
	}
	switch {
	case c == '{':
		return j.object()
	case c == '[':
		return j.array()
	case c == '"':
		j.pos++
		return j.str(false)
	case c == '-' || (c >= '0' && c <= '9'):
		return j.number()
	case c == 't':
		return true, j.literal("true")
	case c == 'f':
		return false, j.literal("false")
	case c == 'n':
		return nil, j.literal("null")
	}
	return nil, j.syntax("invalid character %s looking for beginning of value", quoteChar(c))
}

func (j *jsonReader) enter() error {
	j.depth++
	if j.depth > maxJSONDepth {
		return j.syntax("exceeded max depth of %d", maxJSONDepth)
	}
	return nil
}

func (j *jsonReader) object() (any, error) { return j.projected(nil) }

// key parses `"name":` and returns the interned name.
func (j *jsonReader) key() (string, error) {
	if err := j.expect('"'); err != nil {
		return "", err
	}
	s, err := j.str(true)
	if err != nil {
		return "", err
	}
	return s, j.expect(':')
}

// more consumes a separator: done=true after the closing byte.
func (j *jsonReader) more(closing byte) (done bool, err error) {
	c, err := j.next()
	switch {
	case err != nil:
		return false, err
	case c == ',':
		return false, nil
	case c == closing:
		return true, nil
	}
	j.pos--
	return false, j.syntax("invalid character %s after a value, expected ',' or %q", quoteChar(c), closing)
}

func (j *jsonReader) array() (any, error) {
	j.pos++ // [
	if err := j.enter(); err != nil {
		return nil, err
	}
	defer func() { j.depth-- }()
	out := make([]any, 0, sizeHint(j.arrSizes, j.depth))
	if c, ok := j.peek(); ok && c == ']' {
		j.pos++
		return out, nil
	}
	for {
		v, err := j.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if done, err := j.more(']'); err != nil || done {
			j.arrSizes = remember(j.arrSizes, j.depth, len(out))
			return out, err
		}
	}
}

// elements calls fn for each element of the array whose '[' was just consumed.
// elements calls fn with each element of the array whose '[' was consumed. An element
// that is an object keeps only the members in want (nil keeps every member).
func (j *jsonReader) elements(want map[string]bool, fn func(any) error) error {
	if c, ok := j.peek(); ok && c == ']' {
		j.pos++
		return nil
	}
	for {
		var v any
		var err error
		if c, ok := j.peek(); ok && c == '{' && want != nil {
			v, err = j.projected(want)
		} else {
			v, err = j.value()
		}
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
		if done, err := j.more(']'); err != nil || done {
			return err
		}
	}
}

func (j *jsonReader) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if j.pos >= len(j.buf) && !j.fill() {
			return j.eofError()
		}
		if j.buf[j.pos] != word[i] {
			return j.syntax("invalid character %s in literal %s", quoteChar(j.buf[j.pos]), word)
		}
		j.pos++
	}
	return nil
}

// number reads a number and keeps its text exactly (json.Number).
func (j *jsonReader) number() (any, error) {
	start := j.pos
	for {
		for j.pos < len(j.buf) && isNumberByte(j.buf[j.pos]) {
			j.pos++
		}
		if j.pos < len(j.buf) || !j.fill2(&start) {
			break
		}
	}
	text := string(j.buf[start:j.pos])
	if !validNumber(text) {
		return nil, j.syntax("invalid number %q", text)
	}
	return json.Number(text), nil
}

// fill2 is fill that keeps buf[*start:] in the buffer, adjusting *start.
func (j *jsonReader) fill2(start *int) bool {
	keep := j.pos - *start
	j.pos = *start
	ok := j.fill()
	*start = j.pos
	j.pos += keep
	return ok
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber checks the JSON number grammar.
func validNumber[T string | []byte](s T) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}

// str reads a string whose opening quote was consumed. Keys are interned.
func (j *jsonReader) str(intern bool) (string, error) {
	start := j.pos
	for {
		for j.pos < len(j.buf) {
			c := j.buf[j.pos]
			switch {
			case c == '"':
				raw := j.buf[start:j.pos]
				j.pos++
				return j.finish(raw, intern), nil
			case c == '\\' || c >= utf8.RuneSelf:
				return j.slowStr(start, intern)
			case c < 0x20:
				return "", j.syntax("invalid control character %s in string", quoteChar(c))
			}
			j.pos++
		}
		if !j.fill2(&start) {
			return "", j.eofError()
		}
	}
}

func (j *jsonReader) finish(raw []byte, intern bool) string {
	if !intern {
		return string(raw)
	}
	if s, ok := j.keys[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if len(j.keys) < 4096 {
		j.keys[s] = s
	}
	return s
}

// slowStr handles escapes and non-ASCII text: invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func (j *jsonReader) slowStr(start int, intern bool) (string, error) {
	out := append(j.strBuf[:0], j.buf[start:j.pos]...)
	for {
		if j.pos >= len(j.buf) && !j.fill() {
			return "", j.eofError()
		}
		c := j.buf[j.pos]
		switch {
		case c == '"':
			j.pos++
			j.strBuf = out
			return j.finish(out, intern), nil
		case c == '\\':
			var err error
			if out, err = j.escape(out); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", j.syntax("invalid control character %s in string", quoteChar(c))
		case c < utf8.RuneSelf:
			out = append(out, c)
			j.pos++
		default:
			out = j.appendRune(out)
		}
	}
}

// appendRune copies one UTF-8 sequence, reading more input if it is split.
func (j *jsonReader) appendRune(out []byte) []byte {
	for !utf8.FullRune(j.buf[j.pos:]) && j.fill() {
	}
	r, size := utf8.DecodeRune(j.buf[j.pos:])
	j.pos += size
	if r == utf8.RuneError && size <= 1 {
		return utf8.AppendRune(out, utf8.RuneError)
	}
	return append(out, j.buf[j.pos-size:j.pos]...)
}

var escapes = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func (j *jsonReader) escape(out []byte) ([]byte, error) {
	j.pos++ // backslash
	if j.pos >= len(j.buf) && !j.fill() {
		return nil, j.eofError()
	}
	c := j.buf[j.pos]
	if e, ok := escapes[c]; ok {
		j.pos++
		return append(out, e), nil
	}
	if c != 'u' {
		return nil, j.syntax("invalid escape \\%s in string", string(rune(c)))
	}
	j.pos++
	r, err := j.hex4()
	if err != nil {
		return nil, err
	}
	if utf16.IsSurrogate(r) {
		r = j.lowSurrogate(r)
	}
	return utf8.AppendRune(out, r), nil
}

// lowSurrogate completes a UTF-16 surrogate pair, or gives U+FFFD for a lone half.
func (j *jsonReader) lowSurrogate(high rune) rune {
	for len(j.buf)-j.pos < 6 && j.fill() {
	}
	if len(j.buf)-j.pos < 6 || j.buf[j.pos] != '\\' || j.buf[j.pos+1] != 'u' {
		return utf8.RuneError
	}
	save := j.pos
	j.pos += 2
	low, err := j.hex4()
	if err != nil {
		j.pos = save
		return utf8.RuneError
	}
	if r := utf16.DecodeRune(high, low); r != utf8.RuneError {
		return r
	}
	j.pos = save
	return utf8.RuneError
}

func (j *jsonReader) hex4() (rune, error) {
	for len(j.buf)-j.pos < 4 && j.fill() {
	}
	if len(j.buf)-j.pos < 4 {
		return 0, j.eofError()
	}
	n, err := strconv.ParseUint(string(j.buf[j.pos:j.pos+4]), 16, 16)
	if err != nil {
		return 0, j.syntax("invalid \\u escape %q in string", j.buf[j.pos:j.pos+4])
	}
	j.pos += 4
	return rune(n), nil
}

// atEnd reports whether only white space is left.
func (j *jsonReader) atEnd() error {
	if c, ok := j.peek(); ok {
		return j.syntax("invalid character %s after the top-level value", quoteChar(c))
	}
	if j.err != nil && !errors.Is(j.err, io.EOF) {
		return j.err
	}
	return nil
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// projected parses an object whose '{' is next, keeping only the members whose keys
// are in want and skipping the others without building them. A record mapping that
// reads twenty of a vendor's sixty fields decodes twenty: the rest (nested policies,
// group lists) are checked as JSON and dropped, never allocated. Duplicate keys keep
// the last. object is projected with want nil, which keeps every member.
func (j *jsonReader) projected(want map[string]bool) (any, error) {
	j.pos++ // {
	if err := j.enter(); err != nil {
		return nil, err
	}
	defer func() { j.depth-- }()
	m := make(map[string]any, sizeHint(j.objSizes, j.depth))
	if c, ok := j.peek(); ok && c == '}' {
		j.pos++
		return m, nil
	}
	for {
		key, err := j.key()
		if err != nil {
			return nil, err
		}
		if want == nil || want[key] {
			if _, dup := m[key]; dup && j.uniqueTop && j.depth == 1 {
				return nil, fmt.Errorf("the page has the key %q twice at its top level, so which value holds the records is ambiguous", key)
			}
			v, err := j.value()
			if err != nil {
				return nil, err
			}
			m[key] = v
		} else if err := j.skip(); err != nil {
			return nil, err
		}
		if done, err := j.more('}'); err != nil || done {
			j.objSizes = remember(j.objSizes, j.depth, len(m))
			return m, err
		}
	}
}

// skip consumes one value, checking it as value would, without building it.
func (j *jsonReader) skip() error {
	c, ok := j.peek()
	if !ok {
		return j.eofError()
	}
	switch {
	case c == '{' || c == '[':
		return j.skipContainer(c)
	case c == '"':
		j.pos++
		return j.skipStr()
	case c == '-' || (c >= '0' && c <= '9'):
		return j.skipNumber()
	case c == 't':
		return j.literal("true")
	case c == 'f':
		return j.literal("false")
	case c == 'n':
		return j.literal("null")
	}
	return j.syntax("invalid character %s looking for beginning of value", quoteChar(c))
}

func (j *jsonReader) skipContainer(open byte) error {
	j.pos++
	if err := j.enter(); err != nil {
		return err
	}
	defer func() { j.depth-- }()
	closing := byte(']')
	if open == '{' {
		closing = '}'
	}
	if c, ok := j.peek(); ok && c == closing {
		j.pos++
		return nil
	}
	for {
		if open == '{' {
			if err := j.expect('"'); err != nil {
				return err
			}
			if err := j.skipStr(); err != nil {
				return err
			}
			if err := j.expect(':'); err != nil {
				return err
			}
		}
		if err := j.skip(); err != nil {
			return err
		}
		if done, err := j.more(closing); err != nil || done {
			return err
		}
	}
}

// skipStr consumes a string whose opening quote was consumed, checking its escapes and
// control characters as str does. Invalid UTF-8 is not an error there either.
func (j *jsonReader) skipStr() error {
	for {
		for j.pos < len(j.buf) {
			switch c := j.buf[j.pos]; {
			case c == '"':
				j.pos++
				return nil
			case c == '\\':
				var err error
				if j.strBuf, err = j.escape(j.strBuf[:0]); err != nil { // reused: a skipped string allocates nothing
					return err
				}
				continue
			case c < 0x20:
				return j.syntax("invalid control character %s in string", quoteChar(c))
			}
			j.pos++
		}
		if !j.fill() {
			return j.eofError()
		}
	}
}

// skipNumber consumes a number, checking its grammar as number does.
func (j *jsonReader) skipNumber() error {
	start := j.pos
	for {
		for j.pos < len(j.buf) && isNumberByte(j.buf[j.pos]) {
			j.pos++
		}
		if j.pos < len(j.buf) || !j.fill2(&start) {
			break
		}
	}
	if text := j.buf[start:j.pos]; !validNumber(text) {
		return j.syntax("invalid number %q", text)
	}
	return nil
}
