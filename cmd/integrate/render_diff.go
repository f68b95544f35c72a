package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/integrate-dev/integrate/engine/recdiff"
)

// textOptions shape the text rendering of a record diff.
type textOptions struct {
	indent string
	limit  int    // records shown per stream and operation; the rest are counted
	color  bool   // ANSI colour, only on a terminal
	more   string // how to see the rest, when limit cuts the list
}

const (
	ansiRed, ansiGreen, ansiYellow, ansiReset = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"
)

func paint(on bool, color, s string) string {
	if !on {
		return s
	}
	return color + s + ansiReset
}

// isTerminal says whether w is a terminal that wants colour (NO_COLOR turns it off).
func isTerminal(w io.Writer, env []string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, "NO_COLOR=") && kv != "NO_COLOR=" {
			return false
		}
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// byStream groups changes by stream, keeping their order.
func byStream(res *recdiff.Result) ([]string, map[string][]recdiff.Change) {
	groups := map[string][]recdiff.Change{}
	var names []string
	for _, ch := range res.Changes {
		if _, ok := groups[ch.Stream]; !ok {
			names = append(names, ch.Stream)
		}
		groups[ch.Stream] = append(groups[ch.Stream], ch)
	}
	sort.Strings(names)
	return names, groups
}

// renderText writes a diff for a terminal or a log: + added, ~ changed with each field
// as old -> new, - removed.
func renderText(w io.Writer, res *recdiff.Result, o textOptions) {
	names, groups := byStream(res)
	for _, name := range names {
		fmt.Fprintf(w, "%sstream %q\n", o.indent, name)
		shown := 0
		for _, ch := range groups[name] {
			if o.limit > 0 && shown == o.limit {
				fmt.Fprintf(w, "%s  ... and %d more records%s\n", o.indent, len(groups[name])-shown, o.more)
				break
			}
			shown++
			writeChangeText(w, ch, o)
		}
	}
}

func writeChangeText(w io.Writer, ch recdiff.Change, o textOptions) {
	switch ch.Op {
	case recdiff.Added:
		fmt.Fprintf(w, "%s  %s %s%s\n", o.indent, paint(o.color, ansiGreen, "+"), ch.Key, nameSuffix(ch.Data))
	case recdiff.Removed:
		fmt.Fprintf(w, "%s  %s %s%s\n", o.indent, paint(o.color, ansiRed, "-"), ch.Key, nameSuffix(ch.Data))
	case recdiff.Changed:
		fmt.Fprintf(w, "%s  %s %s\n", o.indent, paint(o.color, ansiYellow, "~"), ch.Key)
		for _, f := range ch.Fields {
			fmt.Fprintf(w, "%s      %s: %s -> %s\n", o.indent, f.Path,
				paint(o.color, ansiRed, recdiff.Show(f.Old, f.OldSet)), paint(o.color, ansiGreen, recdiff.Show(f.New, f.NewSet)))
		}
		if ch.Unchanged > 0 {
			fmt.Fprintf(w, "%s      (%d unchanged field%s hidden)\n", o.indent, ch.Unchanged, plural(ch.Unchanged))
		}
	}
}

func nameSuffix(data map[string]any) string {
	if n, ok := data["name"].(string); ok && n != "" {
		return "  (" + n + ")"
	}
	return ""
}

// markdownLimit caps the records listed per stream and operation in a PR comment.
const markdownLimit = 50

// renderMarkdown writes a diff ready to paste as a pull request comment: one section
// per stream, long lists folded, capped with the rest counted.
func renderMarkdown(w io.Writer, title string, res *recdiff.Result) {
	fmt.Fprintf(w, "### %s\n\n**%s**", title, res.Summary())
	if res.Unchanged > 0 {
		fmt.Fprintf(w, " (%d unchanged)", res.Unchanged)
	}
	fmt.Fprintln(w)
	names, groups := byStream(res)
	for _, name := range names {
		fmt.Fprintf(w, "\n#### Stream `%s`\n", name)
		for _, op := range []recdiff.Op{recdiff.Added, recdiff.Changed, recdiff.Removed} {
			writeMarkdownOp(w, op, groups[name])
		}
	}
	if res.Empty() {
		fmt.Fprintln(w, "\nNo normalized record changes.")
	}
}

var opTitles = map[recdiff.Op]string{recdiff.Added: "Added", recdiff.Changed: "Changed", recdiff.Removed: "Removed"}

func writeMarkdownOp(w io.Writer, op recdiff.Op, changes []recdiff.Change) {
	var these []recdiff.Change
	for _, ch := range changes {
		if ch.Op == op {
			these = append(these, ch)
		}
	}
	if len(these) == 0 {
		return
	}
	open := ""
	if len(these) <= 10 {
		open = " open"
	}
	fmt.Fprintf(w, "\n<details%s><summary>%s (%d)</summary>\n\n", open, opTitles[op], len(these))
	for i, ch := range these {
		if i == markdownLimit {
			fmt.Fprintf(w, "- ... and %d more\n", len(these)-i)
			break
		}
		fmt.Fprintf(w, "- `%s`%s\n", ch.Key, mdName(ch))
		for _, f := range ch.Fields {
			fmt.Fprintf(w, "  - `%s`: `%s` → `%s`\n", f.Path, mdCode(recdiff.Show(f.Old, f.OldSet)), mdCode(recdiff.Show(f.New, f.NewSet)))
		}
	}
	fmt.Fprintln(w, "\n</details>")
}

func mdName(ch recdiff.Change) string {
	if ch.Op == recdiff.Changed {
		if ch.Unchanged > 0 {
			return fmt.Sprintf(" (%d unchanged field%s)", ch.Unchanged, plural(ch.Unchanged))
		}
		return ""
	}
	return strings.ReplaceAll(nameSuffix(ch.Data), "|", "\\|")
}

// mdCode keeps a value inside inline code: backticks would end it early.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
