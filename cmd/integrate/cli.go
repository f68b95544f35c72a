package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/engine"
)

// cli is the command line with its streams injected, so tests run it in-process.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	env    []string

	scenarioDirs []string // diff --scenario
}

func newCLI(stdin io.Reader, stdout, stderr io.Writer, env []string) *cli {
	return &cli{stdin: stdin, stdout: stdout, stderr: stderr, env: env}
}

// Run executes the command line and returns the exit code.
func (c *cli) Run(args []string) int { return c.RunContext(context.Background(), args) }

// RunContext executes the command line under ctx, which a signal cancels.
func (c *cli) RunContext(ctx context.Context, args []string) int {
	root := c.root()
	root.SetArgs(terraformFlags(root, args))
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(c.stderr, "integrate: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(c.stderr, "integrate: %v\nRun 'integrate --help' for usage.\n", err)
	return exitUsage
}

func (c *cli) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "integrate",
		Short: "Declarative security integrations: one HCL file per vendor, one well-tested engine",
		Long: `integrate runs vendor integrations written as HCL definitions: auth, pagination,
retries, rate limits and jq mappings to normalized assets and findings.

Exit codes:
  0  success (plan made, run complete, check passed)
  1  the run failed or was partial, or the check failed
  2  bad flags or arguments
  3  the definition or its config is invalid
  diff exits 2 when records change, as terraform plan -detailed-exitcode does`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetIn(c.stdin)
	root.AddCommand(c.validateCmd(), c.fmtCmd(), c.planCmd(), c.runCmd(), c.checkCmd(), c.recordCmd(), c.testCmd(), c.diffCmd(), c.versionCmd())
	return root
}

func (c *cli) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(c.stdout, "integrate %s\n", engine.Version)
			return nil
		},
	}
}

// logFlags are the logging flags of the commands that make requests.
type logFlags struct {
	format string
	level  string
}

func (f *logFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "log-format", "text", "log format: text or json")
	cmd.Flags().StringVar(&f.level, "log-level", "warn", "log level: debug, info, warn or error")
}

// logger builds the run's logger on stderr; every record passes the redactor.
func (c *cli) logger(f *logFlags, redact *engine.Redactor) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.level)); err != nil {
		return nil, exitWith(exitUsage, fmt.Sprintf("--log-level %q: use debug, info, warn or error", f.level))
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch strings.ToLower(f.format) {
	case "text":
		h = slog.NewTextHandler(c.stderr, opts)
	case "json":
		h = slog.NewJSONHandler(c.stderr, opts)
	default:
		return nil, exitWith(exitUsage, fmt.Sprintf("--log-format %q: use text or json", f.format))
	}
	return slog.New(redact.Handler(h)), nil
}

// terraformFlags lets long flags take one dash, as Terraform's do (fmt -check, plan
// -detailed-exitcode): "-check" becomes "--check" when the command has such a flag.
// Real shorthand flags (-o) are left alone.
func terraformFlags(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if cmd.Flags().Lookup(name) != nil || cmd.InheritedFlags().Lookup(name) != nil {
			out[i] = "-" + a
		}
	}
	return out
}
