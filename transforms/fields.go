package transforms

import (
	"slices"

	"github.com/itchyny/gojq"
)

// InputFields returns the members of an input object that the program can read, when
// its text shows them all: every use of the input is `.name`, `."name"` or `.["name"]`
// (followed by anything), and nothing hands the input itself on. ok is false when the
// program may read the input some other way (`.`, `..`, `keys`, `to_entries`,
// `with_entries`, `del`, `.[$k]`, a `def`, ...); then the whole input is needed.
//
// The engine uses it to decode only those members of each record: a mapping that
// reads twenty of sixty vendor fields then allocates twenty. The analysis errs towards
// ok=false; a false ok costs speed, a wrong field list would change output, so every
// construct not known to be safe gives up.
//
// The rule it follows: while `.` is the input (the "record" context), the only uses
// allowed are constant-key indexes; every other jq construct is either checked
// recursively in the same context (object and array construction, string
// interpolation, arithmetic, comparisons, `,`, `//`, `and`/`or`, if-then-else with an
// else, try, `as` bindings of non-input values) or starts a new context whose `.` can
// no longer reach the input (the right side of a pipe whose left side never outputs
// the input, a reduce's update, a catch). In such a "derived" context anything goes:
// a value taken out of a field cannot reach back to its parent.
func (p *Program) InputFields() (fields []string, ok bool) {
	q, err := gojq.Parse(p.src)
	if err != nil {
		return nil, false
	}
	a := fieldAnalysis{ok: true}
	a.query(q, true)
	if !a.ok {
		return nil, false
	}
	slices.Sort(a.fields)
	return slices.Compact(a.fields), true
}

type fieldAnalysis struct {
	fields []string
	ok     bool
}

func (a *fieldAnalysis) fail() { a.ok = false }

func (a *fieldAnalysis) field(name string) { a.fields = append(a.fields, name) }

// query checks q; rec says whether its input is the record.
func (a *fieldAnalysis) query(q *gojq.Query, rec bool) {
	if q == nil || !a.ok {
		return
	}
	if len(q.FuncDefs) > 0 || len(q.Imports) > 0 || q.Meta != nil {
		a.fail() // a def can hand its input anywhere; not worth following
		return
	}
	if q.Term != nil {
		a.term(q.Term, rec)
		return
	}
	switch q.Op {
	case gojq.OpPipe:
		a.query(q.Left, rec)
		if len(q.Patterns) > 0 {
			// `L as $x | R`: R runs on the same input as L; $x holds L's outputs,
			// which are never the record (see term).
			a.patterns(q.Patterns, rec)
			a.query(q.Right, rec)
		} else {
			a.query(q.Right, false)
		}
	case gojq.OpComma, gojq.OpAdd, gojq.OpSub, gojq.OpMul, gojq.OpDiv, gojq.OpMod,
		gojq.OpEq, gojq.OpNe, gojq.OpGt, gojq.OpLt, gojq.OpGe, gojq.OpLe,
		gojq.OpAnd, gojq.OpOr, gojq.OpAlt:
		a.query(q.Left, rec)
		a.query(q.Right, rec)
	default:
		// Assignments and updates (=, |=, +=, //=, ...) output their modified input.
		if rec {
			a.fail()
			return
		}
		a.query(q.Left, rec)
		a.query(q.Right, rec)
	}
}

func (a *fieldAnalysis) patterns(ps []*gojq.Pattern, rec bool) {
	for _, p := range ps {
		a.pattern(p, rec)
	}
}

func (a *fieldAnalysis) pattern(p *gojq.Pattern, rec bool) {
	if p == nil {
		return
	}
	a.patterns(p.Array, rec)
	for _, o := range p.Object {
		if o.KeyQuery != nil || (o.KeyString != nil && len(o.KeyString.Queries) > 0) {
			if rec {
				// gojq runs a computed key on the value destructured, not on the
				// record; refusing is only slower, and keeps the rule simple.
				a.fail()
				return
			}
			a.query(o.KeyQuery, rec)
		}
		a.pattern(o.Val, rec)
	}
}

// inputFree are the functions that may be called on the record because they ignore
// their input (their arguments are checked in the caller's context).
var inputFree = map[string]int{"empty": 0, "error": 1, "now": 0}

// term checks t. In the record context, no term outputs the record itself: every
// construct that could (., .., if without else, updates, functions of the input) fails
// the analysis, which is what lets the right side of a pipe run in a derived context.
func (a *fieldAnalysis) term(t *gojq.Term, rec bool) {
	if t == nil || !a.ok {
		return
	}
	suffixes := t.SuffixList
	switch t.Type {
	case gojq.TermTypeIdentity:
		if rec {
			// `.["name"]...` parses as . with an index suffix; anything else is the record.
			if len(suffixes) == 0 || !a.constIndex(suffixes[0].Index) {
				a.fail()
				return
			}
			suffixes = suffixes[1:]
		}
	case gojq.TermTypeRecurse:
		if rec {
			a.fail()
		}
	case gojq.TermTypeNull, gojq.TermTypeTrue, gojq.TermTypeFalse, gojq.TermTypeNumber, gojq.TermTypeBreak:
	case gojq.TermTypeIndex:
		if rec {
			if !a.constIndex(t.Index) {
				a.fail()
			}
		} else {
			a.index(t.Index, rec)
		}
	case gojq.TermTypeFunc:
		a.function(t.Func, rec)
	case gojq.TermTypeObject:
		a.object(t.Object, rec)
	case gojq.TermTypeArray:
		if t.Array != nil {
			a.query(t.Array.Query, rec)
		}
	case gojq.TermTypeUnary:
		a.term(t.Unary.Term, rec)
	case gojq.TermTypeFormat:
		if t.Str == nil {
			if rec {
				a.fail() // @base64 and friends format their input
			}
		} else {
			a.str(t.Str, rec)
		}
	case gojq.TermTypeString:
		a.str(t.Str, rec)
	case gojq.TermTypeIf:
		if rec && t.If.Else == nil {
			a.fail() // a missing else outputs the input
			return
		}
		a.query(t.If.Cond, rec)
		a.query(t.If.Then, rec)
		for _, e := range t.If.Elif {
			a.query(e.Cond, rec)
			a.query(e.Then, rec)
		}
		a.query(t.If.Else, rec)
	case gojq.TermTypeTry:
		a.query(t.Try.Body, rec)
		a.query(t.Try.Catch, false) // the catch's input is the error
	case gojq.TermTypeReduce:
		a.query(t.Reduce.Query, rec)
		a.patterns(t.Reduce.Patterns, rec)
		a.query(t.Reduce.Start, rec)
		a.query(t.Reduce.Update, false) // its input is the accumulator
	case gojq.TermTypeForeach:
		a.query(t.Foreach.Query, rec)
		a.patterns(t.Foreach.Patterns, rec)
		a.query(t.Foreach.Start, rec)
		a.query(t.Foreach.Update, false)
		a.query(t.Foreach.Extract, false)
	case gojq.TermTypeLabel:
		a.query(t.Label.Body, rec)
	case gojq.TermTypeQuery:
		a.query(t.Query, rec)
	default:
		a.fail() // a construct this analysis does not know
	}
	// Suffixes index the term's output, which is not the record; but a computed
	// index (.a[.b]) runs on the term's input.
	for _, s := range suffixes {
		if s.Index != nil {
			a.index(s.Index, rec)
		}
	}
}

// constIndex records a constant object key; false for anything else (slices, computed
// or numeric indexes).
func (a *fieldAnalysis) constIndex(ix *gojq.Index) bool {
	if ix == nil || ix.IsSlice {
		return false
	}
	switch {
	case ix.Name != "":
		a.field(ix.Name)
		return true
	case ix.Str != nil && len(ix.Str.Queries) == 0:
		a.field(ix.Str.Str)
		return true
	case ix.Start != nil && ix.End == nil:
		if t := ix.Start.Term; t != nil && ix.Start.Right == nil && len(ix.Start.FuncDefs) == 0 &&
			t.Type == gojq.TermTypeString && len(t.Str.Queries) == 0 && len(t.SuffixList) == 0 {
			a.field(t.Str.Str)
			return true
		}
	}
	return false
}

// index checks the expressions inside an index of a non-record value.
func (a *fieldAnalysis) index(ix *gojq.Index, rec bool) {
	if ix == nil {
		return
	}
	if ix.Str != nil {
		a.str(ix.Str, rec)
	}
	a.query(ix.Start, rec)
	a.query(ix.End, rec)
}

func (a *fieldAnalysis) function(f *gojq.Func, rec bool) {
	if len(f.Name) > 0 && f.Name[0] == '$' {
		return // a variable: never bound to the record (binding it needs .)
	}
	if rec {
		if n, ok := inputFree[f.Name]; !ok || n != len(f.Args) {
			a.fail() // the function reads its input, which here is the whole record
			return
		}
	}
	for _, arg := range f.Args {
		a.query(arg, rec)
	}
}

func (a *fieldAnalysis) object(o *gojq.Object, rec bool) {
	for _, kv := range o.KeyVals {
		if kv.Val == nil { // shorthand: {name}, {"name"}, {$var}
			switch {
			case kv.Key != "" && kv.Key[0] == '$':
			case kv.Key != "":
				if rec {
					a.field(kv.Key)
				}
			case kv.KeyString != nil && len(kv.KeyString.Queries) == 0:
				if rec {
					a.field(kv.KeyString.Str)
				}
			default:
				if rec {
					a.fail()
					return
				}
				a.str(kv.KeyString, rec)
			}
			continue
		}
		if kv.KeyString != nil {
			a.str(kv.KeyString, rec)
		}
		a.query(kv.KeyQuery, rec)
		a.query(kv.Val, rec)
	}
}

func (a *fieldAnalysis) str(s *gojq.String, rec bool) {
	if s == nil {
		return
	}
	for _, q := range s.Queries {
		a.query(q, rec)
	}
}
