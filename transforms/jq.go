package transforms

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/itchyny/gojq"
)

// Program is a compiled jq program. It is safe for concurrent use.
type Program struct {
	src  string
	code *gojq.Code
	vars []string
}

// Error is a jq parse or compile error with its place in the program text.
type Error struct {
	Offset  int // byte offset of the offending text in the program
	Length  int // bytes of offending text; 0 when only a point is known
	Message string
	Hint    string // what to write instead, when known
}

func (e *Error) Error() string { return e.Message }

// Compile parses and compiles src. vars are the variables the program may use (with
// their $), bound in that order by Run.
func Compile(src string, vars []string) (*Program, error) {
	q, err := gojq.Parse(src)
	if err != nil {
		return nil, parseError(src, err)
	}
	opts := append(libraryOptions(), gojq.WithVariables(vars))
	code, err := gojq.Compile(q, opts...)
	if err != nil {
		return nil, compileError(src, vars, err)
	}
	return &Program{src: src, code: code, vars: vars}, nil
}

func parseError(src string, err error) *Error {
	var pe *gojq.ParseError
	if !errors.As(err, &pe) {
		return &Error{Message: err.Error()}
	}
	start := pe.Offset - len(pe.Token)
	if start < 0 || start > len(src) {
		start = min(max(pe.Offset, 0), len(src))
	}
	msg := "syntax error: " + pe.Error()
	hint := ""
	if pe.Token == "" || strings.Contains(pe.Error(), "EOF") {
		hint = "the program ends too early: check for an unclosed bracket, string or if/then/else/end"
		start = len(strings.TrimRight(src, " \t\r\n"))
	}
	return &Error{Offset: start, Length: len(pe.Token), Message: msg, Hint: hint}
}

var (
	reFuncNotDefined = regexp.MustCompile(`^function not defined: ([A-Za-z_][A-Za-z0-9_:]*)/(\d+)$`)
	reVarNotDefined  = regexp.MustCompile(`^variable not defined: (\$[A-Za-z_][A-Za-z0-9_]*)$`)
)

func compileError(src string, vars []string, err error) *Error {
	msg := err.Error()
	e := &Error{Message: msg, Offset: -1}
	if m := reFuncNotDefined.FindStringSubmatch(msg); m != nil {
		e.Offset, e.Length = findName(src, m[1], false), len(m[1])
		if m[1] == "keys_unsorted" {
			e.Hint = "mappings run on gojq, which always keeps object keys sorted: use keys"
		} else if s := suggest(m[1], functionNames()); s != "" {
			e.Hint = fmt.Sprintf("Did you mean %q?", s)
		}
	}
	if m := reVarNotDefined.FindStringSubmatch(msg); m != nil {
		e.Offset, e.Length = findName(src, m[1], true), len(m[1])
		e.Hint = "Variables available here: " + strings.Join(vars, ", ") + "."
		if s := suggest(m[1], vars); s != "" {
			e.Hint = fmt.Sprintf("Did you mean %q? ", s) + e.Hint
		}
	}
	if e.Offset < 0 {
		e.Offset = 0
	}
	return e
}

// findName finds the first use of a function or variable name outside string literals.
func findName(src, name string, variable bool) int {
	inString := false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString:
			i++
		case !inString && strings.HasPrefix(src[i:], name) && boundary(src, i, len(name), variable):
			return i
		}
	}
	return 0
}

func boundary(src string, at, n int, variable bool) bool {
	word := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	if at > 0 && (word(src[at-1]) || (!variable && (src[at-1] == '$' || src[at-1] == '.'))) {
		return false
	}
	return at+n >= len(src) || !word(src[at+n])
}

// recoverJQ turns a panic inside gojq into an error on this record: one odd vendor
// value must not take down a run that has already fetched thousands of records.
func recoverJQ(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("jq failed on this value: %v", r)
	}
}

// Each runs the program and calls fn with every output.
func (p *Program) Each(ctx context.Context, input any, vals []any, fn func(any) error) (err error) {
	defer recoverJQ(&err)
	iter := p.code.RunWithContext(ctx, input, vals...)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := v.(error); isErr {
			return runError(err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
}

// First returns the program's first output, or nil when it yields none.
func (p *Program) First(ctx context.Context, input any, vals []any) (_ any, err error) {
	defer recoverJQ(&err)
	iter := p.code.RunWithContext(ctx, input, vals...)
	v, ok := iter.Next()
	if !ok {
		return nil, nil
	}
	if err, isErr := v.(error); isErr {
		return nil, runError(err)
	}
	return v, nil
}

// One returns the program's only output: a mapping must give exactly one value.
func (p *Program) One(ctx context.Context, input any, vals []any) (_ any, err error) {
	defer recoverJQ(&err)
	iter := p.code.RunWithContext(ctx, input, vals...)
	v, ok := iter.Next()
	if !ok {
		return nil, errors.New("the program produced no output (use // to give a default)")
	}
	if err, isErr := v.(error); isErr {
		return nil, runError(err)
	}
	if extra, more := iter.Next(); more {
		if err, isErr := extra.(error); isErr {
			return nil, runError(err)
		}
		return nil, errors.New("the program produced more than one output; wrap it in [...] or use first(...)")
	}
	return v, nil
}

func runError(err error) error {
	var he *gojq.HaltError
	if errors.As(err, &he) {
		return errors.New(haltMessage(he.Value()))
	}
	return err
}

// haltMessage says what halt or halt_error gave: a string as written (as jq prints it),
// anything else as JSON, never Go's map syntax.
func haltMessage(v any) string {
	switch v := v.(type) {
	case nil:
		return "halted"
	case string:
		return "halted: " + strings.TrimRight(v, "\n")
	}
	b, err := gojq.Marshal(v)
	if err != nil {
		return fmt.Sprintf("halted: %v", v)
	}
	return "halted: " + string(b)
}

// Source returns the program text.
func (p *Program) Source() string { return p.src }
