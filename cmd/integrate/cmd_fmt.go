package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/dsl"
)

func (c *cli) fmtCmd() *cobra.Command {
	var check, diff, recursive bool
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite definitions in the canonical layout",
		Long: `fmt rewrites definitions (.hcl files; the current directory by default) in the canonical
layout, as terraform fmt does, and lists the files it changed. The text inside jq heredocs
is left as written. "-" reads standard input and writes standard output.

With -check nothing is written: it lists the files that would change and exits 1 if
there are any (3 if a file does not parse).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && args[0] == "-" {
				return c.fmtStdin()
			}
			files, err := fmtFiles(args, recursive)
			if err != nil {
				return exitWith(exitUsage, err.Error())
			}
			return c.fmtFiles(files, check, diff)
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; exit 1 if any file would change")
	cmd.Flags().BoolVar(&diff, "diff", false, "print the changes as a unified diff")
	cmd.Flags().BoolVar(&recursive, "recursive", false, "also format the .hcl files in subdirectories")
	return cmd
}

func (c *cli) fmtStdin() error {
	src, diags := dsl.ReadSource(c.stdin, "<stdin>")
	if c.printDiags(diags, nil) {
		return exitWith(exitInvalid, "")
	}
	out, diags := dsl.Format("<stdin>", src)
	if c.printDiags(diags, &dsl.Definition{File: "<stdin>", Source: src}) {
		return exitWith(exitInvalid, "")
	}
	_, err := c.stdout.Write(out)
	return err
}

func (c *cli) fmtFiles(files []string, check, diff bool) error {
	changed, broken := 0, 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return exitWith(exitUsage, err.Error())
		}
		src, diags := dsl.ReadSource(fh, f)
		fh.Close()
		if c.printDiags(diags, nil) {
			broken++
			continue
		}
		out, diags := dsl.Format(f, src)
		if c.printDiags(diags, &dsl.Definition{File: f, Source: src}) {
			broken++
			continue
		}
		if string(out) == string(src) {
			continue
		}
		changed++
		fmt.Fprintln(c.stdout, f)
		if diff {
			fmt.Fprint(c.stdout, unifiedDiff(f, string(src), string(out)))
		}
		if !check {
			if err := os.WriteFile(f, out, 0o644); err != nil {
				return exitWith(exitFailed, err.Error())
			}
		}
	}
	switch {
	case broken > 0:
		return exitWith(exitInvalid, fmt.Sprintf("%d file%s could not be parsed", broken, plural(broken)))
	case check && changed > 0:
		return exitWith(exitFailed, fmt.Sprintf("%d file%s would be reformatted; run integrate fmt", changed, plural(changed)))
	}
	return nil
}

// fmtFiles collects the .hcl files under the given paths.
func fmtFiles(args []string, recursive bool) ([]string, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	var files []string
	for _, a := range args {
		found, err := hclFiles(a, recursive)
		if err != nil {
			return nil, err
		}
		files = append(files, found...)
	}
	sort.Strings(files)
	return files, nil
}
