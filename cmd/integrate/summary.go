package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/integrate-dev/integrate/engine"
)

// summary writes the per-stream table and the verdict to stderr.
func (c *cli) summary(l *loaded, r *engine.Result, ctxErr error) {
	if r == nil {
		return
	}
	tw := tabwriter.NewWriter(c.stderr, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stream\trecords\tskipped\tfiltered\tduplicates\tpages\trequests\tretries\ttime\t")
	total := 0
	for _, s := range r.Streams {
		total += s.Records
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", s.Name, s.Records, s.Skipped, s.Filtered, s.Duplicates,
			s.Pages, s.Requests, s.Retries, s.Duration.Round(time.Millisecond))
	}
	tw.Flush()
	var failed []string
	for _, s := range r.Streams {
		if s.Err != nil {
			failed = append(failed, "  "+streamError(s.Name, l.redact.String(s.Err.Error())))
		}
		if s.Skipped > 0 {
			fmt.Fprintf(c.stderr, "warning: stream %q skipped %d record%s that failed mapping or validation (see the warnings; --strict makes this fatal)\n", s.Name, s.Skipped, plural(s.Skipped))
		}
		if s.Duplicates > 0 {
			fmt.Fprintf(c.stderr, "note: stream %q dropped %d record%s whose key was already written in this run (a page that shifted, or a key mapping that gives many records one key)\n",
				s.Name, s.Duplicates, plural(s.Duplicates))
		}
		if s.Truncated {
			fmt.Fprintf(c.stderr, "warning: stream %q stopped at its max_pages cap; there may be more records\n", s.Name)
		}
	}
	switch {
	case len(failed) > 0:
		fmt.Fprintf(c.stderr, "run partial: %d record%s written; failed:\n%s\n", total, plural(total), strings.Join(failed, "\n"))
	case ctxErr != nil:
		fmt.Fprintf(c.stderr, "run partial: %d record%s written before the run was stopped (%v)\n", total, plural(total), ctxErr)
	default:
		fmt.Fprintf(c.stderr, "run complete: %d record%s from %d stream%s%s\n", total, plural(total), len(r.Streams), plural(len(r.Streams)), mockNote(l))
	}
}

// mockNote reminds, on the verdict, that the data came from a built-in mock.
func mockNote(l *loaded) string {
	if l.server == nil {
		return ""
	}
	return fmt.Sprintf(" (the built-in %s mock; no request left this machine)", l.server.Vendor().Name)
}

// streamError says which stream failed and why, naming the stream once: most errors
// name it already ("fetch stream "hosts" page 3: ...").
func streamError(name, msg string) string {
	if strings.Contains(msg, fmt.Sprintf("stream %q", name)) {
		return msg
	}
	return fmt.Sprintf("stream %q: %s", name, msg)
}
