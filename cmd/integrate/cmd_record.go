package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/dsl"
	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/engine/scenario"
)

func (c *cli) recordCmd() *cobra.Command {
	var f defFlags
	var lf logFlags
	var out, name string
	cmd := &cobra.Command{
		Use:   "record DEF",
		Short: "Run a definition and save every HTTP exchange as a replayable scenario",
		Long: `record runs the definition (live, or against its mock with --mock) and saves every HTTP
exchange, in order, as a scenario that integrate test and integrate diff replay offline,
with the normalized output beside it as the golden. Every secret is redacted before
anything is written: auth headers, tokens in token responses, and sensitive config
values wherever they appear.

The scenario goes to --out, by default testdata/<file>/<name>/ next to the
definition, where integrate test finds it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.mockNow = c.fixedNow()
			l, err := c.load(args[0], &f)
			if err != nil {
				return err
			}
			defer l.close()
			if l.opts.Logger, err = c.logger(&lf, l.redact); err != nil {
				return err
			}
			l.announceMock()
			if name == "" {
				name = "live"
				if f.mock {
					name = "mock"
				}
			}
			if !validName(name) {
				return exitWith(exitUsage, fmt.Sprintf("--name %q: use letters, digits, - and _ (it names a directory)", name))
			}
			if out == "" {
				out = scenario.DefaultDir(args[0], name)
			}
			return c.record(cmd.Context(), l, out, f.mockNow, f.mock)
		},
	}
	f.register(cmd)
	lf.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "the scenario directory (default testdata/<file>/<name>/ beside DEF)")
	cmd.Flags().StringVar(&name, "name", "", `the scenario's name (default "mock" with --mock, else "live")`)
	return cmd
}

// mockEpoch is the mock's clock while recording, unless INTEGRATE_NOW says otherwise:
// a recording of the mock is then the same file every time.
var mockEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (c *cli) fixedNow() time.Time {
	for _, kv := range c.env {
		if strings.HasPrefix(kv, "INTEGRATE_NOW=") {
			return c.now().UTC().Truncate(time.Second)
		}
	}
	return mockEpoch
}

func (c *cli) record(ctx context.Context, l *loaded, dir string, mockNow time.Time, mocked bool) error {
	base := l.opts.Transport
	if base == nil {
		base = engine.DefaultTransport(l.ig.HTTP)
	}
	rec := &scenario.Recorder{Next: base, Redact: l.redact, KeepHeaders: keepHeaders(l.ig)}
	l.opts.Transport = rec
	recorded := time.Now().UTC().Truncate(time.Second)
	if mocked {
		recorded = mockNow
	}
	var out bytes.Buffer
	res, err := engine.Run(ctx, l.ig, engine.NewJSONLSink(&out), l.opts)
	if err != nil {
		return exitWith(exitFailed, l.redact.String(err.Error()))
	}
	c.summary(l, res, ctx.Err())
	if res.Partial() {
		return exitWith(exitFailed, "the run was partial; nothing was saved")
	}
	sc := &scenario.Scenario{Integration: l.def.Name, Recorded: recorded, Config: scenarioConfig(l), Exchanges: rec.Exchanges()}
	return c.saveScenario(ctx, l.def, sc, dir)
}

// saveScenario writes the scenario, replays it to prove it replays, and writes the
// replay's output as the golden.
func (c *cli) saveScenario(ctx context.Context, def *dsl.Definition, sc *scenario.Scenario, dir string) error {
	path := filepath.Join(dir, scenario.FileName)
	if err := sc.Save(path); err != nil {
		return exitWith(exitFailed, err.Error())
	}
	saved, err := scenario.Load(path)
	if err != nil {
		return exitWith(exitFailed, err.Error())
	}
	rp, err := c.replay(ctx, def, saved)
	if err != nil {
		return exitWith(exitFailed, "the saved scenario does not replay: "+err.Error())
	}
	if why := rp.failure(); why != "" {
		return exitWith(exitFailed, "the saved scenario does not replay: "+why)
	}
	golden := filepath.Join(dir, scenario.GoldenName)
	if err := os.WriteFile(golden, rp.raw, 0o644); err != nil {
		return exitWith(exitFailed, err.Error())
	}
	fmt.Fprintf(c.stdout, "recorded %d exchanges to %s\nwrote %d records to %s\n", len(sc.Exchanges), path, len(rp.records), golden)
	return nil
}

// scenarioConfig keeps the non-sensitive config values, as text, for replays.
func scenarioConfig(l *loaded) map[string]string {
	out := map[string]string{}
	for _, cd := range l.def.Configs {
		v, ok := l.vals[cd.Name]
		if cd.Sensitive || !ok || v.IsNull() || !v.IsWhollyKnown() {
			continue
		}
		out[cd.Name] = dsl.ValueString(v)
	}
	return out
}

// keepHeaders are the response headers the definition reads, kept in the scenario.
func keepHeaders(ig *engine.Integration) []string {
	var out []string
	for _, w := range ig.HTTP.Retry.WaitHeaders {
		out = append(out, w.Name)
	}
	rl := ig.HTTP.RateLimit
	out = append(out, rl.RemainingHeader, rl.ResetHeader)
	for _, s := range ig.Streams {
		if cp, ok := s.Paginator.(*engine.CursorPagination); ok && cp.TokenHeader != "" {
			out = append(out, cp.TokenHeader)
		}
	}
	return out
}

func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
