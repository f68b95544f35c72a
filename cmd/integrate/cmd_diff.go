package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/integrate-dev/integrate/dsl"
	"github.com/integrate-dev/integrate/engine/recdiff"
	"github.com/integrate-dev/integrate/engine/scenario"
)

func (c *cli) diffCmd() *cobra.Command {
	var format, base string
	cmd := &cobra.Command{
		Use:   "diff OLD.hcl NEW.hcl | diff --base GITREF [DEF...]",
		Short: "Show which normalized records and fields a definition change alters",
		Long: `diff runs two versions of a definition over the same recorded scenarios, offline, and
compares the normalized records by key: added, removed, and changed with each field as
old -> new (unchanged fields are counted, not shown). With --base the old version is read
from git at GITREF; without DEF it takes every .hcl file changed since GITREF.

--format text (colour only on a terminal), markdown (a pull request comment) or json.
Exit code 0 when nothing changes, 2 when something does, and 1 for anything else,
usage errors included, so that a CI step can tell "changes" from "broken".`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pairs, err := diffPairs(base, args)
			if err != nil {
				return exitWith(exitFailed, err.Error())
			}
			if format != "text" && format != "markdown" && format != "json" {
				return exitWith(exitFailed, fmt.Sprintf("--format %q: use text, markdown or json", format))
			}
			return c.diff(cmd.Context(), pairs, format)
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return exitWith(exitFailed, err.Error()) })
	cmd.Flags().StringVar(&format, "format", "text", "text, markdown or json")
	cmd.Flags().StringVar(&base, "base", "", "compare with the definitions as of this git ref")
	cmd.Flags().StringArrayVar(&c.scenarioDirs, "scenario", nil, "replay this scenario directory (repeatable; default: the definition's recorded scenarios)")
	return cmd
}

// diffPair is one definition at two versions.
type diffPair struct {
	oldLabel string
	oldSrc   []byte // nil: the definition is new
	newPath  string
}

func diffPairs(base string, args []string) ([]diffPair, error) {
	if base == "" {
		if len(args) != 2 {
			return nil, fmt.Errorf("diff takes OLD.hcl NEW.hcl, or --base GITREF [DEF...]")
		}
		src, err := os.ReadFile(args[0])
		if err != nil {
			return nil, err
		}
		return []diffPair{{oldLabel: args[0], oldSrc: src, newPath: args[1]}}, nil
	}
	if strings.HasPrefix(base, "-") {
		return nil, fmt.Errorf("--base %q is not a git revision", base) // nor an option for git
	}
	if len(args) == 0 {
		changed, err := gitChanged(base)
		if err != nil {
			return nil, err
		}
		args = changed
	}
	var pairs []diffPair
	for _, a := range args {
		src, err := gitShow(base, a)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, diffPair{oldLabel: base + ":" + a, oldSrc: src, newPath: a})
	}
	return pairs, nil
}

// gitChanged lists the definitions changed since ref that still exist.
func gitChanged(ref string) ([]string, error) {
	// -z: NUL-separated and unquoted, so names with spaces or accents are not lost.
	out, err := exec.Command("git", "diff", "-z", "--name-only", "--relative", ref, "--", "*.hcl").Output()
	if err != nil {
		return nil, fmt.Errorf("git diff %s: %v", ref, gitErr(err))
	}
	// New definitions not yet added to git are changes too.
	untracked, err := exec.Command("git", "ls-files", "-z", "--others", "--exclude-standard", "--", "*.hcl").Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %v", gitErr(err))
	}
	var files []string
	for _, f := range strings.Split(string(out)+"\x00"+string(untracked), "\x00") {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err == nil && !strings.Contains(f, "testdata/") {
			files = append(files, f)
		}
	}
	return files, nil
}

// gitShow reads path as of ref; a file that did not exist then is new (nil).
func gitShow(ref, path string) ([]byte, error) {
	cmd := exec.Command("git", "show", ref+":./"+filepath.Base(path))
	cmd.Dir = filepath.Dir(path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := stderr.String()
		if strings.Contains(msg, "does not exist") || strings.Contains(msg, "exists on disk, but not in") {
			return nil, nil
		}
		return nil, fmt.Errorf("git show %s:%s: %s", ref, path, strings.TrimSpace(msg))
	}
	return out, nil
}

func gitErr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return err.Error()
}

// diffReport is one definition and scenario compared; the JSON form of diff.
type diffReport struct {
	Definition string          `json:"definition"`
	Old        string          `json:"old"`
	Scenario   string          `json:"scenario"`
	Result     *recdiff.Result `json:"result"`
}

func (c *cli) diff(ctx context.Context, pairs []diffPair, format string) error {
	var reports []diffReport
	for _, p := range pairs {
		rs, err := c.diffPair(ctx, p)
		if err != nil {
			return err
		}
		reports = append(reports, rs...)
	}
	c.renderDiff(reports, format)
	for _, r := range reports {
		if !r.Result.Empty() {
			return exitWith(2, "")
		}
	}
	return nil
}

func (c *cli) diffPair(ctx context.Context, p diffPair) ([]diffReport, error) {
	newDef, err := c.loadValid(p.newPath, nil)
	if err != nil {
		return nil, err
	}
	var oldDef *dsl.Definition
	if p.oldSrc != nil {
		if oldDef, err = c.loadValid(p.oldLabel, p.oldSrc); err != nil {
			return nil, err
		}
	}
	dirs := c.scenarioDirs
	if len(dirs) == 0 {
		dirs, _ = scenario.Dirs(p.newPath)
	}
	if len(dirs) == 0 && p.oldSrc != nil && p.oldLabel != "" && !strings.Contains(p.oldLabel, ":") {
		dirs, _ = scenario.Dirs(p.oldLabel) // a copy elsewhere uses the original's recordings
	}
	if len(dirs) == 0 {
		return nil, exitWith(exitFailed, fmt.Sprintf("%s has no recorded scenario to compare over: record one with integrate record %s --mock", p.newPath, p.newPath))
	}
	var out []diffReport
	for _, dir := range dirs {
		res, err := c.diffScenario(ctx, oldDef, newDef, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, diffReport{Definition: p.newPath, Old: p.oldLabel, Scenario: filepath.Base(dir), Result: res})
	}
	return out, nil
}

func (c *cli) diffScenario(ctx context.Context, oldDef, newDef *dsl.Definition, dir string) (*recdiff.Result, error) {
	sc, err := scenario.Load(filepath.Join(dir, scenario.FileName))
	if err != nil {
		return nil, exitWith(exitFailed, err.Error())
	}
	var before []*recdiff.Record
	if oldDef != nil {
		old, err := c.replayOK(ctx, oldDef, sc)
		if err != nil {
			return nil, err
		}
		before = old.records
	}
	now, err := c.replayOK(ctx, newDef, sc)
	if err != nil {
		return nil, err
	}
	return recdiff.Compare(before, now.records), nil
}

func (c *cli) replayOK(ctx context.Context, def *dsl.Definition, sc *scenario.Scenario) (*replayed, error) {
	rp, err := c.replay(ctx, def, sc)
	if err == nil && rp.failure() != "" {
		err = fmt.Errorf("%s", rp.failure())
	}
	if err != nil {
		return nil, exitWith(exitFailed, fmt.Sprintf("replaying %s: %v", def.File, err))
	}
	return rp, nil
}

// loadValid loads and validates a definition from a file, or from src when given.
func (c *cli) loadValid(label string, src []byte) (*dsl.Definition, error) {
	var def *dsl.Definition
	var diags hcl.Diagnostics
	if src != nil {
		def, diags = dsl.LoadSourceAndValidate(label, src)
	} else {
		def, diags = dsl.LoadAndValidate(label)
	}
	if c.printDiags(diags, def) {
		return nil, exitWith(exitInvalid, label+" is not valid")
	}
	return def, nil
}

// textLimit caps the records listed per stream in the text format; json lists all.
const textLimit = 100

func (c *cli) renderDiff(reports []diffReport, format string) {
	if reports == nil {
		reports = []diffReport{} // "diffs": [] rather than null
	}
	if len(reports) == 0 && format != "json" {
		fmt.Fprintln(c.stdout, "No definition changed: nothing to compare.")
		return
	}
	switch format {
	case "json":
		b, _ := json.MarshalIndent(map[string]any{"diffs": reports}, "", "  ")
		fmt.Fprintln(c.stdout, string(b))
	case "markdown":
		for _, r := range reports {
			renderMarkdown(c.stdout, fmt.Sprintf("integrate diff: `%s` (scenario `%s`)", r.Definition, r.Scenario), r.Result)
		}
	default:
		color := isTerminal(c.stdout, c.env)
		for _, r := range reports {
			fmt.Fprintf(c.stdout, "%s (scenario %s), against %s\n", r.Definition, r.Scenario, r.Old)
			renderText(c.stdout, r.Result, textOptions{indent: "", color: color, limit: textLimit, more: " (--format json lists them all)"})
			fmt.Fprintln(c.stdout, r.Result.Summary())
		}
	}
}
