package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/engine"
)

func (c *cli) checkCmd() *cobra.Command {
	var f defFlags
	var lf logFlags
	cmd := &cobra.Command{
		Use:   "check DEF",
		Short: "Test the credentials with the definition's check request",
		Long: `check makes the definition's check request (fetching a token first for OAuth) and
says pass or fail, with the vendor's own message and the likely cause: a wrong secret,
a wrong region or base URL, or a missing permission.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := c.load(args[0], &f)
			if err != nil {
				return err
			}
			defer l.close()
			if l.opts.Logger, err = c.logger(&lf, l.redact); err != nil {
				return err
			}
			l.announceMock()
			if l.ig.Check == nil {
				return exitWith(exitInvalid, fmt.Sprintf("%s has no check block; add check { request { path = \"...\" } }", args[0]))
			}
			return c.check(cmd, l)
		},
	}
	f.register(cmd)
	lf.register(cmd)
	return cmd
}

func (c *cli) check(cmd *cobra.Command, l *loaded) error {
	res := engine.Check(cmd.Context(), l.ig, l.opts)
	red := l.redact.String
	mock := ""
	if l.server != nil {
		mock = " (the built-in mock)"
	}
	if res.OK {
		fmt.Fprintf(c.stdout, "PASS  %s: %s %s answered %d in %s%s\n", l.ig.Name, res.Method, red(res.URL), res.Status, res.Duration.Round(time.Millisecond), mock)
		return nil
	}
	fmt.Fprintf(c.stdout, "FAIL  %s\n", l.ig.Name)
	if res.URL != "" {
		status := ""
		if res.Status != 0 {
			status = fmt.Sprintf(" answered %d", res.Status)
		}
		fmt.Fprintf(c.stdout, "  request:  %s%s\n", red(res.URL), status)
	}
	if res.Message != "" {
		fmt.Fprintf(c.stdout, "  vendor:   %s\n", red(res.Message))
	}
	fmt.Fprintf(c.stdout, "  cause:    %s\n", res.Cause)
	if res.Err != nil && res.Message == "" {
		fmt.Fprintf(c.stdout, "  error:    %s\n", red(res.Err.Error()))
	}
	return exitWith(exitFailed, "")
}
