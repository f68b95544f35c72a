package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/integrate-dev/integrate/dsl"
	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/engine/recdiff"
	"github.com/integrate-dev/integrate/engine/scenario"
)

// replayed is the outcome of running a definition over a recorded scenario.
type replayed struct {
	records []*recdiff.Record
	raw     []byte
	result  *engine.Result
	unused  int
}

// replayValues is the config of a replay: the scenario's recorded values, and a
// placeholder for every secret (the scenario never holds the real one; requests match
// their recordings redacted).
func replayValues(def *dsl.Definition, sc *scenario.Scenario) (dsl.Values, error) {
	vals, diags := dsl.ResolveConfig(def, dsl.ConfigSources{Recorded: scenarioVars(def, sc), Placeholders: true})
	if diags.HasErrors() {
		return nil, fmt.Errorf("the scenario's config does not fit %s: %s", def.File, diagText(diags))
	}
	return vals, nil
}

// scenarioVars are the recorded non-sensitive config values the definition declares.
func scenarioVars(def *dsl.Definition, sc *scenario.Scenario) []string {
	var vars []string
	for _, cd := range def.Configs {
		if v, ok := sc.Config[cd.Name]; ok && !cd.Sensitive {
			vars = append(vars, cd.Name+"="+v)
		}
	}
	return vars
}

// replay runs def over sc offline, with the scenario's config and $now.
func (c *cli) replay(ctx context.Context, def *dsl.Definition, sc *scenario.Scenario) (*replayed, error) {
	vals, err := replayValues(def, sc)
	if err != nil {
		return nil, err
	}
	redact := engine.NewRedactor(dsl.Secrets(def, vals)...)
	ig, diags := dsl.Build(def, vals, dsl.BuildOptions{Now: sc.Recorded})
	redact.Add(ig.Secrets...) // values computed from the placeholders were recorded masked too
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", def.File, diagText(diags))
	}
	ig.HTTP.RateLimit = engine.RateLimit{} // offline: nothing to pace
	rp := scenario.NewReplayer(sc, redact)
	var out bytes.Buffer
	res, err := engine.Run(ctx, ig, engine.NewJSONLSink(&out), engine.Options{
		Transport: rp, Redactor: redact, Now: func() time.Time { return sc.Recorded }, NewTimer: noWaitTimer,
	})
	if err != nil {
		return nil, err
	}
	recs, err := recdiff.ReadJSONL(bytes.NewReader(out.Bytes()))
	if err != nil {
		return nil, err
	}
	return &replayed{records: recs, raw: out.Bytes(), result: res, unused: rp.Unused()}, nil
}

// failure says why a replay was partial, or "".
func (r *replayed) failure() string {
	for _, s := range r.result.Streams {
		if s.Err != nil {
			return streamError(s.Name, s.Err.Error())
		}
	}
	return ""
}

// diagText is diagnostics as one line each, without positions that would mean
// nothing here.
func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			parts = append(parts, d.Summary+": "+d.Detail)
		}
	}
	return strings.Join(parts, "; ")
}
