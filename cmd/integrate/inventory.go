package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/engine/inventory"
	"github.com/integrate-dev/integrate/engine/recdiff"
	"github.com/integrate-dev/integrate/engine/scenario"
)

// invFlags choose the inventory.
type invFlags struct {
	path string
	none bool
}

func (f *invFlags) register(cmd *cobra.Command, withNone bool) {
	cmd.Flags().StringVar(&f.path, "inventory", "", "the SQLite inventory (default $"+inventory.EnvPath+", else ~/.local/share/integrate/inventory.db)")
	if withNone {
		cmd.Flags().BoolVar(&f.none, "no-inventory", false, "do not write the inventory")
	}
}

func (c *cli) getenv(name string) string {
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// inventoryPath says which inventory to use, if any. Runs against a mock stay out of
// the real inventory unless --inventory names one: mock hosts are not your hosts.
func (c *cli) inventoryPath(f *invFlags, mocked bool) (string, bool) {
	switch {
	case f.none:
		return "", false
	case f.path != "":
		return f.path, true
	case mocked:
		return "", false
	}
	return inventory.DefaultPath(c.getenv), true
}

// inventoryRun is a run that also writes the inventory.
type inventoryRun struct {
	path  string
	store *inventory.Store
	run   *inventory.Run
}

func (c *cli) beginInventory(ctx context.Context, l *loaded, path string) (*inventoryRun, error) {
	st, err := inventory.Open(path, nil)
	if err != nil {
		return nil, exitWith(exitFailed, err.Error())
	}
	run, err := st.BeginRun(ctx, l.def.Name)
	if err != nil {
		st.Close()
		return nil, exitWith(exitFailed, err.Error())
	}
	run.Redact = l.redact
	return &inventoryRun{path: path, store: st, run: run}, nil
}

// finish records the outcome and prints what the run changed in the inventory.
func (ir *inventoryRun) finish(ctx context.Context, c *cli, res *engine.Result, complete bool) error {
	defer ir.store.Close()
	var streams []string
	for _, s := range res.Streams {
		streams = append(streams, s.Name)
	}
	removed, err := ir.run.Finish(context.WithoutCancel(ctx), complete, streams)
	if err != nil {
		return err
	}
	status := "complete"
	switch {
	case complete:
	case res.Truncated() && !res.Partial():
		status = "stopped at max_pages: nothing marked gone"
	default:
		status = "partial: nothing marked gone"
	}
	fmt.Fprintf(c.stderr, "Inventory: %d added, %d changed, %d removed (run %d %s, %s)\n",
		ir.run.Added, ir.run.Changed, removed, ir.run.ID(), status, ir.path)
	return nil
}

// changeSet is plan's view of what a run would do to the inventory.
type changeSet struct {
	Inventory string          `json:"inventory"`
	Complete  bool            `json:"complete"`
	Failed    []string        `json:"failed,omitempty"` // streams whose fetch failed, with why
	Result    *recdiff.Result `json:"changes"`
}

// planChanges fetches the records (live, from the mock, or from a scenario) and
// compares them with the inventory, writing nothing.
func (c *cli) planChanges(ctx context.Context, l *loaded, f *invFlags, replayDir string, mocked bool) (*changeSet, error) {
	recs, res, err := c.fetchForPlan(ctx, l, replayDir)
	if err != nil {
		return nil, err
	}
	path, use := c.inventoryPath(&invFlags{path: f.path}, mocked)
	var st *inventory.Store
	if use {
		if st, err = inventory.OpenReadOnly(path); err != nil {
			return nil, exitWith(exitFailed, err.Error())
		}
	}
	var prev []*recdiff.Record
	if st != nil {
		defer st.Close()
		if prev, err = st.Current(ctx, l.def.Name); err != nil {
			return nil, exitWith(exitFailed, fmt.Sprintf("inventory %s: %v", path, err))
		}
	}
	prev = inStreams(prev, res)
	if !use {
		path = ""
	}
	cs := &changeSet{Inventory: path, Complete: !res.Partial() && !res.Truncated(), Result: recdiff.Compare(prev, recs)}
	for _, s := range res.Streams {
		if s.Err != nil {
			cs.Failed = append(cs.Failed, streamError(s.Name, l.redact.String(s.Err.Error())))
		}
	}
	if !cs.Complete {
		dropRemovals(cs.Result) // a partial fetch proves nothing is gone
	}
	return cs, nil
}

func (c *cli) fetchForPlan(ctx context.Context, l *loaded, replayDir string) ([]*recdiff.Record, *engine.Result, error) {
	if replayDir != "" {
		sc, err := scenario.Load(filepath.Join(replayDir, scenario.FileName))
		if err != nil {
			return nil, nil, exitWith(exitUsage, fmt.Sprintf("--replay: %v", err))
		}
		rp, err := c.replay(ctx, l.def, sc)
		if err != nil {
			return nil, nil, exitWith(exitFailed, err.Error())
		}
		return rp.records, rp.result, nil
	}
	var buf bytes.Buffer
	res, err := engine.Run(ctx, l.ig, engine.NewJSONLSink(&buf), l.opts)
	if err != nil {
		return nil, nil, exitWith(exitFailed, l.redact.String(err.Error()))
	}
	recs, err := recdiff.ReadJSONL(&buf)
	return recs, res, err
}

// inStreams keeps the inventory records of the streams that were fetched.
func inStreams(prev []*recdiff.Record, res *engine.Result) []*recdiff.Record {
	ran := map[string]bool{}
	for _, s := range res.Streams {
		ran[s.Name] = true
	}
	out := prev[:0]
	for _, r := range prev {
		if ran[r.Stream] {
			out = append(out, r)
		}
	}
	return out
}

func dropRemovals(r *recdiff.Result) {
	kept := r.Changes[:0]
	for _, ch := range r.Changes {
		if ch.Op != recdiff.Removed {
			kept = append(kept, ch)
		}
	}
	r.Changes, r.Removed = kept, 0
}

// renderChangeSet writes the change set as terraform plan does: + new, ~ changed with
// fields old -> new, - would be marked gone, then the Plan: line.
func renderChangeSet(w io.Writer, cs *changeSet, asJSON bool, color bool) {
	if asJSON {
		b, _ := json.MarshalIndent(cs, "", "  ")
		fmt.Fprintln(w, string(b))
		return
	}
	if cs.Inventory == "" {
		fmt.Fprintln(w, "\nChanges against an empty inventory (runs with --mock use none unless --inventory names one):")
	} else {
		fmt.Fprintf(w, "\nChanges against the inventory %s:\n", cs.Inventory)
	}
	renderText(w, cs.Result, textOptions{indent: "  ", color: color, limit: textLimit, more: " (--json lists them all)"})
	if !cs.Complete {
		fmt.Fprintln(w, "  (the fetch was partial or stopped at max_pages: nothing would be marked gone)")
	}
	for _, f := range cs.Failed {
		fmt.Fprintf(w, "  failed: %s\n", f)
	}
	r := cs.Result
	fmt.Fprintf(w, "\nPlan: %d to add, %d to change, %d to remove.\n", r.Added, r.Changed, r.Removed)
}
