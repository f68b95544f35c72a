package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/dsl"
)

func (c *cli) validateCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check definitions for every error they can have, before any request",
		Long: `validate loads each definition (a file, or every .hcl file in a directory; the current
directory by default) and reports every error at once: file:line:col, the source line
with the offending part marked, what is wrong and what to write instead. No config
values are needed and no request is made.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := expandPaths(args)
			if err != nil {
				return exitWith(exitUsage, err.Error())
			}
			return c.validate(files, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the diagnostics as JSON, for editors and CI")
	return cmd
}

// validateResult is the JSON form of validate's outcome.
type validateResult struct {
	Valid bool                 `json:"valid"`
	Files []validateFileResult `json:"files"`
}

type validateFileResult struct {
	Path        string               `json:"path"`
	Valid       bool                 `json:"valid"`
	Diagnostics []dsl.JSONDiagnostic `json:"diagnostics"`
}

func (c *cli) validate(files []string, asJSON bool) error {
	res := validateResult{Valid: true}
	for _, f := range files {
		def, diags := dsl.LoadAndValidate(f)
		dsl.SortDiagnostics(diags)
		ok := !diags.HasErrors()
		res.Valid = res.Valid && ok
		res.Files = append(res.Files, validateFileResult{Path: f, Valid: ok, Diagnostics: dsl.ToJSON(diags)})
		if !asJSON {
			c.reportValidate(f, def, diags)
		}
	}
	if asJSON {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintln(c.stdout, string(b))
	}
	if !res.Valid {
		return exitWith(exitInvalid, "")
	}
	return nil
}

func (c *cli) reportValidate(path string, def *dsl.Definition, diags hcl.Diagnostics) {
	if len(diags) > 0 {
		var w = c.stderr
		dsl.WriteDiagnostics(w, diags, sources(def))
	}
	errs := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
		}
	}
	if errs == 0 {
		fmt.Fprintf(c.stdout, "%s: valid\n", path)
		return
	}
	fmt.Fprintf(c.stdout, "%s: %d error%s\n", path, errs, plural(errs))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// expandPaths turns files and directories into definition files, sorted. A directory
// must hold at least one .hcl file.
func expandPaths(args []string) ([]string, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	var files []string
	for _, a := range args {
		found, err := hclFiles(a, false)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .hcl definitions in this directory", a)
		}
		files = append(files, found...)
	}
	sort.Strings(files)
	return files, nil
}

// varFileSuffix marks var files, which directory commands pass over: they hold config
// values, not definitions.
const varFileSuffix = ".vars.hcl"

// hclFiles lists path itself when it is a file, else the .hcl files in it (and below
// it when recursive, skipping hidden directories).
func hclFiles(path string, recursive bool) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: no such file or directory", path)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != path && (!recursive || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".hcl") && !strings.HasSuffix(p, varFileSuffix) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}
