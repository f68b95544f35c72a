package transforms

import (
	"context"
	"fmt"
)

// Bound is a program with its variable values bound. It implements the engine's
// Extractor, Selector, Mapper and Predicate interfaces.
type Bound struct {
	P    *Program
	Vals []any
}

// Bind binds values to p's variables, in the order they were compiled with.
func Bind(p *Program, vals ...any) *Bound { return &Bound{P: p, Vals: vals} }

// Source returns the program text, for plan.
func (b *Bound) Source() string { return b.P.Source() }

// Extract implements engine.Extractor: the first output, or nil.
func (b *Bound) Extract(ctx context.Context, v any) (any, error) { return b.P.First(ctx, v, b.Vals) }

// Select implements engine.Selector: every output is a record.
func (b *Bound) Select(ctx context.Context, page any, emit func(any) error) error {
	return b.P.Each(ctx, page, b.Vals, emit)
}

// Map implements engine.Mapper: exactly one output.
func (b *Bound) Map(ctx context.Context, record any) (any, error) {
	return b.P.One(ctx, record, b.Vals)
}

// Keep implements engine.Predicate: the output must be a boolean; jq truthiness
// (anything but false and null) would hide mistakes like a filter yielding a string.
func (b *Bound) Keep(ctx context.Context, v any) (bool, error) {
	out, err := b.P.One(ctx, v, b.Vals)
	if err != nil {
		return false, err
	}
	keep, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("the filter must give true or false, got %s", jqType(out))
	}
	return keep, nil
}
