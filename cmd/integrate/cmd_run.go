package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/engine"
)

func (c *cli) runCmd() *cobra.Command {
	var f defFlags
	var lf logFlags
	var inv invFlags
	var out string
	var strict bool
	var timeout time.Duration
	var streams []string
	cmd := &cobra.Command{
		Use:   "run DEF",
		Short: "Fetch, map and write every stream's records as JSON Lines",
		Long: `run authenticates, pages through every stream (retrying, rate limiting), maps each
record with the definition's jq and writes normalized records, one JSON object per line,
to stdout or --out. A summary per stream goes to stderr. Records fetched before a
failure are written; the exit code is 1 when the run failed or was partial.

Records are also upserted into the SQLite inventory (--inventory, $INTEGRATE_INVENTORY,
else ~/.local/share/integrate/inventory.db), a transaction per page: first and last seen
per record, a row per run, and records missing from a complete run marked gone. Runs
with --mock write no inventory unless --inventory names one.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if timeout < 0 {
				return exitWith(exitUsage, "--timeout must be a positive duration such as 10m (or 0 for none)")
			}
			l, err := c.load(args[0], &f)
			if err != nil {
				return err
			}
			defer l.close()
			if l.opts.Logger, err = c.logger(&lf, l.redact); err != nil {
				return err
			}
			l.announceMock()
			l.opts.Strict, l.opts.Streams = strict, streams
			if err := checkStreams(l, streams); err != nil {
				return err
			}
			invPath, useInv := c.inventoryPath(&inv, f.mock)
			if !useInv {
				invPath = ""
			}
			return c.run(cmd.Context(), l, out, timeout, invPath)
		},
	}
	f.register(cmd)
	lf.register(cmd)
	inv.register(cmd, true)
	fl := cmd.Flags()
	fl.StringVarP(&out, "out", "o", "", "write the records to this file instead of stdout")
	fl.BoolVar(&strict, "strict", false, "fail the stream on the first record that fails mapping or validation")
	fl.DurationVar(&timeout, "timeout", 0, "bound the whole run, e.g. 10m (0: no bound)")
	fl.StringSliceVar(&streams, "stream", nil, "run only these streams (repeatable)")
	return cmd
}

func checkStreams(l *loaded, names []string) error {
	var all []string
	for _, s := range l.ig.Streams {
		all = append(all, s.Name)
	}
	for _, n := range names {
		if !contains(all, n) {
			msg := fmt.Sprintf("--stream %q: the definition has no such stream (streams: %s)", n, strings.Join(all, ", "))
			if s := engine.Suggest(n, all); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return exitWith(exitUsage, msg)
		}
	}
	return nil
}

func (c *cli) run(ctx context.Context, l *loaded, out string, timeout time.Duration, invPath string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var inv *inventoryRun
	var err error
	if invPath != "" { // before the output file: a bad inventory path must not cost it
		if inv, err = c.beginInventory(ctx, l, invPath); err != nil {
			return err
		}
	}
	w, closeOut, err := c.output(out)
	if err != nil {
		return err
	}
	var sink engine.Sink = engine.NewJSONLSink(w)
	if inv != nil {
		sink = engine.MultiSink{sink, inv.run}
	}
	res, runErr := engine.Run(ctx, l.ig, sink, l.opts)
	if cerr := closeOut(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	c.summary(l, res, ctx.Err())
	if inv != nil && res != nil {
		complete := runErr == nil && !res.Partial() && !res.Truncated() && ctx.Err() == nil
		if err := inv.finish(ctx, c, res, complete); err != nil && runErr == nil {
			runErr = err
		}
	}
	switch {
	case runErr != nil:
		return exitWith(exitFailed, l.redact.String(runErr.Error()))
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return exitWith(exitFailed, fmt.Sprintf("run partial: --timeout %s reached", timeout))
	case res.Partial():
		return exitWith(exitFailed, "")
	}
	return nil
}

// output opens --out. Records go to a temporary file beside it, renamed over it when
// the run ends (partial or not): a run that cannot start leaves the old file alone.
func (c *cli) output(path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return c.stdout, func() error { return nil }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, nil, exitWith(exitUsage, fmt.Sprintf("--out: %v", err))
	}
	done := func() error {
		if err := f.Close(); err != nil {
			return err
		}
		return os.Rename(f.Name(), path)
	}
	return f, done, nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
