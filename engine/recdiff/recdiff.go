// Package recdiff compares two sets of normalized records by key: which were added,
// which removed, and which changed, field by field. It is what a reviewer reads in a
// pull request (integrate diff), what integrate test prints when a golden no longer
// matches, and what plan's change set is made of. It imports only the standard library.
package recdiff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// Record is one normalized record as written to JSON Lines.
type Record struct {
	Kind        string         `json:"kind"`
	Integration string         `json:"integration"`
	Stream      string         `json:"stream"`
	Data        map[string]any `json:"data"`
}

// Key identifies a record within an integration.
func (r *Record) Key() string {
	k, _ := r.Data["key"].(string)
	return r.Kind + ":" + k
}

// ReadJSONL reads records, one JSON object per line.
func ReadJSONL(r io.Reader) ([]*Record, error) {
	var out []*Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var rec Record
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if rec.Data == nil {
			return nil, fmt.Errorf("line %d: no data object", line)
		}
		out = append(out, &rec)
	}
	return out, sc.Err()
}

// Op is what happened to a record.
type Op string

// The operations, in the order they are reported.
const (
	Added   Op = "add"
	Changed Op = "change"
	Removed Op = "remove"
)

// Field is one changed field, by dotted path ("attributes.language").
type Field struct {
	Path string `json:"path"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
	// OldSet and NewSet distinguish a field that was absent from one that was null.
	OldSet bool `json:"old_set"`
	NewSet bool `json:"new_set"`
}

// Change is one record that differs.
type Change struct {
	Op        Op             `json:"op"`
	Kind      string         `json:"kind"`
	Stream    string         `json:"stream"`
	Key       string         `json:"key"`
	Fields    []Field        `json:"fields,omitempty"`    // for Changed
	Unchanged int            `json:"unchanged,omitempty"` // fields that did not change
	Data      map[string]any `json:"data,omitempty"`      // the record, for Added and Removed
}

// Result is a whole comparison.
type Result struct {
	Changes   []Change `json:"changes"`
	Added     int      `json:"added"`
	Changed   int      `json:"changed"`
	Removed   int      `json:"removed"`
	Unchanged int      `json:"unchanged"`
}

// Empty says whether nothing changed.
func (r *Result) Empty() bool { return r.Added+r.Changed+r.Removed == 0 }

// Summary is the one-line verdict: "N added, M changed, K removed".
func (r *Result) Summary() string {
	return fmt.Sprintf("%d added, %d changed, %d removed", r.Added, r.Changed, r.Removed)
}

// Compare compares old and new by key. Changes come sorted by stream, then key.
func Compare(old, new []*Record) *Result {
	res := &Result{Changes: []Change{}} // JSON readers get [] for no change, not null
	before := index(old)
	after := index(new)
	for k, n := range after {
		o, ok := before[k]
		if !ok {
			res.Changes = append(res.Changes, Change{Op: Added, Kind: n.Kind, Stream: n.Stream, Key: keyOf(n), Data: n.Data})
			res.Added++
			continue
		}
		fields, same := diffFields("", o.Data, n.Data)
		if len(fields) == 0 {
			res.Unchanged++
			continue
		}
		res.Changes = append(res.Changes, Change{Op: Changed, Kind: n.Kind, Stream: n.Stream, Key: keyOf(n), Fields: fields, Unchanged: same})
		res.Changed++
	}
	for k, o := range before {
		if _, ok := after[k]; !ok {
			res.Changes = append(res.Changes, Change{Op: Removed, Kind: o.Kind, Stream: o.Stream, Key: keyOf(o), Data: o.Data})
			res.Removed++
		}
	}
	sort.Slice(res.Changes, func(i, j int) bool {
		a, b := res.Changes[i], res.Changes[j]
		if a.Stream != b.Stream {
			return a.Stream < b.Stream
		}
		return a.Key < b.Key
	})
	return res
}

func keyOf(r *Record) string {
	k, _ := r.Data["key"].(string)
	return k
}

func index(recs []*Record) map[string]*Record {
	m := make(map[string]*Record, len(recs))
	for _, r := range recs {
		m[r.Key()] = r
	}
	return m
}

// diffFields compares two objects field by field, descending into nested objects;
// lists and scalars compare whole. It returns the changes and the count of leaf
// fields that stayed the same.
func diffFields(prefix string, old, new map[string]any) ([]Field, int) {
	var out []Field
	same := 0
	for _, k := range unionKeys(old, new) {
		o, oOK := old[k]
		n, nOK := new[k]
		path := prefix + k
		om, oIsObj := o.(map[string]any)
		nm, nIsObj := n.(map[string]any)
		switch {
		case oIsObj && nIsObj:
			f, s := diffFields(path+".", om, nm)
			out, same = append(out, f...), same+s
		case oOK == nOK && equal(o, n):
			same++
		default:
			out = append(out, Field{Path: path, Old: o, New: n, OldSet: oOK, NewSet: nOK})
		}
	}
	return out, same
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// equal compares decoded JSON values; numbers compare by their text.
func equal(a, b any) bool {
	an, aNum := a.(json.Number)
	bn, bNum := b.(json.Number)
	if aNum && bNum {
		return an == bn || numbersEqual(an, bn)
	}
	return reflect.DeepEqual(a, b)
}

func numbersEqual(a, b json.Number) bool {
	af, err1 := a.Float64()
	bf, err2 := b.Float64()
	return err1 == nil && err2 == nil && af == bf && !strings.ContainsAny(a.String()+b.String(), "eE")
}

// Show renders a value compactly for a diff line.
func Show(v any, set bool) string {
	if !set {
		return "(absent)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
