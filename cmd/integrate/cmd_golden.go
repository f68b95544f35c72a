package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/dsl"
	"github.com/integrate-dev/integrate/engine/recdiff"
	"github.com/integrate-dev/integrate/engine/scenario"
)

func (c *cli) testCmd() *cobra.Command {
	var update bool
	cmd := &cobra.Command{
		Use:   "test [DEF...]",
		Short: "Replay each definition's recorded scenarios and compare with their goldens",
		Long: `test replays every scenario recorded for each definition (testdata/<file>/*/
beside it, named for the file), offline, and compares the normalized output with the scenario's golden.jsonl.
It prints one line per definition and scenario and, on failure, the records and fields
that differ. -update rewrites the goldens. Directories stand for their .hcl files; the
default is definitions/ if it exists, else the current directory.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
				if st, err := os.Stat("definitions"); err == nil && st.IsDir() {
					args = []string{"definitions"}
				}
			}
			files, err := expandPaths(args)
			if err != nil {
				return exitWith(exitUsage, err.Error())
			}
			return c.test(cmd.Context(), files, update)
		},
	}
	cmd.Flags().BoolVar(&update, "update", false, "rewrite the goldens with the current output")
	return cmd
}

type testTally struct{ passed, failed, skipped int }

func (c *cli) test(ctx context.Context, files []string, update bool) error {
	var t testTally
	for _, f := range files {
		c.testDefinition(ctx, f, update, &t)
	}
	fmt.Fprintf(c.stdout, "\n%d passed, %d failed", t.passed, t.failed)
	if t.skipped > 0 {
		fmt.Fprintf(c.stdout, ", %d skipped", t.skipped)
	}
	fmt.Fprintln(c.stdout)
	if t.failed > 0 {
		return exitWith(exitFailed, "")
	}
	return nil
}

func (c *cli) testDefinition(ctx context.Context, path string, update bool, t *testTally) {
	def, diags := dsl.LoadAndValidate(path)
	if c.printDiags(diags, def) {
		fmt.Fprintf(c.stdout, "FAIL  %s: the definition is not valid\n", path)
		t.failed++
		return
	}
	dirs, err := scenario.Dirs(path)
	if orphans := scenario.Orphans(path); len(orphans) > 0 {
		for _, o := range orphans {
			fmt.Fprintf(c.stdout, "FAIL  %s/%s: %s has a golden but no %s (deleted by mistake? record it again)\n",
				scenario.Base(path), filepath.Base(o), o, scenario.FileName)
		}
		t.failed += len(orphans)
	}
	if err != nil || len(dirs) == 0 {
		fmt.Fprintf(c.stdout, "SKIP  %s: no recorded scenario in %s (record one: integrate record %s)\n",
			scenario.Base(path), filepath.Join(filepath.Dir(path), "testdata", scenario.Base(path)), path)
		t.skipped++
		return
	}
	for _, dir := range dirs {
		if c.testScenario(ctx, def, path, dir, update) {
			t.passed++
		} else {
			t.failed++
		}
	}
}

// testScenario replays one scenario and compares it with its golden.
func (c *cli) testScenario(ctx context.Context, def *dsl.Definition, path, dir string, update bool) bool {
	label := scenario.Base(path) + "/" + filepath.Base(dir)
	sc, err := scenario.Load(filepath.Join(dir, scenario.FileName))
	if err != nil {
		fmt.Fprintf(c.stdout, "FAIL  %s: %v\n", label, err)
		return false
	}
	rp, err := c.replay(ctx, def, sc)
	if err == nil && rp.failure() != "" {
		err = fmt.Errorf("%s", rp.failure())
	}
	if err != nil {
		fmt.Fprintf(c.stdout, "FAIL  %s: %v\n", label, err)
		return false
	}
	golden := filepath.Join(dir, scenario.GoldenName)
	if update {
		if err := os.WriteFile(golden, rp.raw, 0o644); err != nil {
			fmt.Fprintf(c.stdout, "FAIL  %s: %v\n", label, err)
			return false
		}
		fmt.Fprintf(c.stdout, "ok    %s: golden updated (%d records)\n", label, len(rp.records))
		return true
	}
	return c.compareGolden(label, path, golden, rp, len(sc.Exchanges))
}

func (c *cli) compareGolden(label, path, golden string, rp *replayed, exchanges int) bool {
	raw, err := os.ReadFile(golden)
	if err != nil {
		fmt.Fprintf(c.stdout, "FAIL  %s: %v (write it with integrate test -update)\n", label, err)
		return false
	}
	want, err := recdiff.ReadJSONL(bytes.NewReader(raw))
	if err != nil {
		fmt.Fprintf(c.stdout, "FAIL  %s: %s: %v\n", label, golden, err)
		return false
	}
	res := recdiff.Compare(want, rp.records)
	if res.Empty() && bytes.Equal(raw, rp.raw) {
		fmt.Fprintf(c.stdout, "ok    %s: %d records, %d exchanges replayed\n", label, len(rp.records), exchanges)
		return true
	}
	if res.Empty() {
		fmt.Fprintf(c.stdout, "FAIL  %s: the same records in another order or layout than %s\n", label, golden)
		return false
	}
	fmt.Fprintf(c.stdout, "FAIL  %s: %s against %s\n", label, res.Summary(), golden)
	var sb strings.Builder
	renderText(&sb, res, textOptions{indent: "      ", limit: 20})
	fmt.Fprint(c.stdout, sb.String())
	fmt.Fprintf(c.stdout, "      (if the change is intended, rewrite the golden: integrate test -update %s)\n", path)
	return false
}
