package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/engine/scenario"
)

func (c *cli) planCmd() *cobra.Command {
	var f defFlags
	var lf logFlags
	var inv invFlags
	var asJSON, changes, detailed bool
	var replayDir string
	cmd := &cobra.Command{
		Use:   "plan DEF",
		Short: "Show what a run would do; with --changes, what it would change in the inventory",
		Long: `plan is read-only. By default it makes no request: it shows the resolved config (secrets
as (sensitive)), the auth kind and token URL, each stream's first request with its headers
masked, the pagination and its stop rules, and the retry and rate-limit policy.

With --changes (live, or with --mock) or --replay DIR it also fetches the data and shows
the change set against the inventory, writing nothing: + new records, ~ changed records
with their fields old -> new, - records that would be marked gone, and
"Plan: N to add, M to change, K to remove." -detailed-exitcode exits 2 when there are
changes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if replayDir != "" && f.mock {
				return exitWith(exitUsage, "--replay and --mock both say where the data comes from: give one")
			}
			if replayDir != "" {
				sc, err := scenario.Load(filepath.Join(replayDir, scenario.FileName))
				if err != nil {
					return exitWith(exitUsage, "--replay: "+err.Error())
				}
				f.replay = sc
			}
			l, err := c.load(args[0], &f)
			if err != nil {
				return err
			}
			defer l.close()
			if l.opts.Logger, err = c.logger(&lf, l.redact); err != nil {
				return err
			}
			p := &planView{Definition: args[0], Config: configView(l), Plan: engine.Describe(l.ig, l.redact)}
			if l.server != nil {
				v := l.server.Vendor()
				p.Mock = &mockView{Vendor: v.Name, Hosts: v.Hosts}
			}
			if changes || replayDir != "" {
				if p.Changes, err = c.planChanges(cmd.Context(), l, &inv, replayDir, f.mock); err != nil {
					return err
				}
			}
			var sb strings.Builder
			if asJSON {
				b, _ := json.MarshalIndent(p, "", "  ")
				sb.Write(append(b, '\n'))
			} else {
				renderPlan(&sb, p)
				if p.Changes != nil {
					renderChangeSet(&sb, p.Changes, false, isTerminal(c.stdout, c.env))
				}
			}
			fmt.Fprint(c.stdout, l.redact.String(sb.String()))
			if p.Changes != nil && len(p.Changes.Failed) > 0 {
				// A fetch that failed is no plan: the change set above is what was
				// fetched before it, and a CI gate must not read it as "no changes".
				return exitWith(exitFailed, "the fetch failed, so the change set is incomplete:\n  "+strings.Join(p.Changes.Failed, "\n  "))
			}
			if detailed && p.Changes != nil && !p.Changes.Result.Empty() {
				return exitWith(2, "")
			}
			return nil
		},
	}
	f.register(cmd)
	lf.register(cmd)
	inv.register(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	cmd.Flags().BoolVar(&changes, "changes", false, "fetch the data (live, or with --mock) and show what a run would change in the inventory; writes nothing")
	cmd.Flags().StringVar(&replayDir, "replay", "", "take the data from this recorded scenario directory, offline, and show the change set")
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "with a change set, exit 2 when there are changes (0 when none)")
	return cmd
}

// planView is the plan with the definition's config, rendered as text or JSON.
type planView struct {
	Definition string        `json:"definition"`
	Mock       *mockView     `json:"mock,omitempty"`
	Config     []configEntry `json:"config"`
	*engine.Plan
	Changes *changeSet `json:"change_set,omitempty"`
}

// mockView says that --mock answers in the vendor's place, so nobody reading the real
// host names in the plan thinks the vendor is being called.
type mockView struct {
	Vendor string   `json:"vendor"`
	Hosts  []string `json:"hosts"` // the vendor hosts the mock answers for, on loopback
}

type configEntry struct {
	Name      string          `json:"name"`
	Type      string          `json:"type"`
	Value     json.RawMessage `json:"value"`
	Source    string          `json:"source"`         // "default" or "set"
	From      string          `json:"from,omitempty"` // where a set value came from: "--var org", "vars.hcl:3", ...
	Sensitive bool            `json:"sensitive,omitempty"`
}

func configView(l *loaded) []configEntry {
	var out []configEntry
	for _, cd := range l.def.Configs {
		v := l.vals[cd.Name]
		e := configEntry{Name: cd.Name, Type: typeexpr.TypeString(cd.Type), Source: "default", Sensitive: cd.Sensitive}
		if from, ok := l.origins[cd.Name]; ok {
			e.Source, e.From = "set", from // even when it equals the default: it was given
		}
		switch {
		case cd.Sensitive && v != cty.NilVal && v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() == "":
			// An empty secret gives nothing away, and explains which auth block applies.
			e.Value = json.RawMessage(`""`)
		case cd.Sensitive:
			e.Value = json.RawMessage(`"` + engine.Masked + `"`)
		case v == cty.NilVal || v.IsNull() || !v.IsWhollyKnown():
			e.Value = json.RawMessage("null")
		default:
			b, _ := ctyjson.Marshal(v, v.Type())
			e.Value = b
		}
		out = append(out, e)
	}
	return out
}

func renderPlan(w io.Writer, p *planView) {
	title := p.Integration
	if p.Title != "" {
		title += " (" + p.Title + ")"
	}
	fmt.Fprintf(w, "Integration %s\n  definition: %s\n", title, p.Definition)
	if p.Mock != nil {
		fmt.Fprintf(w, "  mock: the built-in %s mock, on loopback; no request leaves this machine. It answers for\n", p.Mock.Vendor)
		wrapped(w, "    ", p.Mock.Hosts, 88)
	}
	fmt.Fprint(w, "\nConfig:\n")
	width := 0
	for _, e := range p.Config {
		width = max(width, len(e.Name))
	}
	for _, e := range p.Config {
		val := string(e.Value)
		if e.Sensitive && val != `""` {
			val = engine.Masked
		}
		fmt.Fprintf(w, "  %-*s = %s", width, e.Name, val)
		switch {
		case e.Source == "default":
			fmt.Fprint(w, "  (default)")
		case e.From != "":
			fmt.Fprintf(w, "  (%s)", e.From)
		}
		fmt.Fprintln(w)
	}
	if p.Auth != nil {
		fmt.Fprintf(w, "\nAuth: %s\n", p.Auth.Kind)
		bullets(w, p.Auth.Details)
		bullets(w, p.Auth.Choice)
	} else {
		fmt.Fprintln(w, "\nAuth: none")
	}
	fmt.Fprintf(w, "\nHTTP: %s\n  retry:\n", p.HTTP.BaseURL)
	indented(w, "    ", p.HTTP.Retry)
	fmt.Fprintln(w, "  rate limit:")
	indented(w, "    ", p.HTTP.RateLimit)
	fmt.Fprintln(w, "  timeouts:")
	indented(w, "    ", p.HTTP.Timeouts)
	if p.Check != nil {
		fmt.Fprintln(w, "\nCheck:")
		renderRequest(w, p.Check)
	}
	for _, s := range p.Streams {
		fmt.Fprintf(w, "\nStream %q -> %ss\n  first request:\n", s.Name, s.Kind)
		renderRequest(w, &s.First)
		if s.Pagination == "none" {
			fmt.Fprintln(w, "  pagination: none")
		} else {
			fmt.Fprintf(w, "  pagination: %s (at most %d pages)\n", s.Pagination, s.MaxPages)
		}
		indented(w, "    ", s.Rules)
		renderRecords(w, s)
	}
	if p.Changes == nil {
		run := "integrate run " + p.Definition
		if p.Mock != nil {
			run += " --mock"
		}
		fmt.Fprintf(w, "\nNo request was made. Run: %s\n", run)
	}
}

func renderRequest(w io.Writer, r *engine.RequestPlan) {
	if r.Error != "" {
		fmt.Fprintf(w, "    error: %s\n", r.Error)
		return
	}
	fmt.Fprintf(w, "    %s %s\n", r.Method, r.URL)
	for _, k := range sortedKeys(r.Headers) {
		fmt.Fprintf(w, "    %s: %s\n", k, r.Headers[k])
	}
	if r.Body != "" {
		fmt.Fprintf(w, "    body: %s\n", r.Body)
	}
}

func bullets(w io.Writer, lines []string) { indented(w, "  ", lines) }

func indented(w io.Writer, pad string, lines []string) {
	for _, l := range lines {
		fmt.Fprintf(w, "%s%s\n", pad, l)
	}
}

// renderRecords says how a stream's records are found, decoded and filtered.
func renderRecords(w io.Writer, s *engine.StreamPlan) {
	how := "the page is decoded whole, then selected"
	if s.Streamed {
		how = "streamed from the page, one at a time"
	}
	fmt.Fprintf(w, "  records: %s (%s)\n", engine.ShortExpr(s.Records), how)
	if len(s.Fields) > 0 {
		fmt.Fprintf(w, "  record fields the mapping reads (%d; the others are skipped, not decoded):\n", len(s.Fields))
		wrapped(w, "    ", quoteOdd(s.Fields), 88)
	} else {
		fmt.Fprintln(w, "  record fields: the mapping gets whole records")
	}
	if s.Filter != "" {
		fmt.Fprintf(w, "  filter: %s\n", engine.ShortExpr(s.Filter))
	}
}

// wrapped writes items separated by commas, indented, broken between items before
// width columns.
func wrapped(w io.Writer, indent string, items []string, width int) {
	line := ""
	for i, item := range items {
		if i < len(items)-1 {
			item += ","
		}
		if line != "" && utf8.RuneCountInString(indent+line+" "+item) > width {
			fmt.Fprintln(w, indent+line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += item
	}
	if line != "" {
		fmt.Fprintln(w, indent+line)
	}
}

// quoteOdd quotes the names that are not plain words, so that "a b", "c, d", "" and
// names with control characters (a terminal escape, say) read as what they are.
func quoteOdd(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if n == "" || strings.IndexFunc(n, func(r rune) bool {
			return !(r == '_' || r == '-' || r == '.' || r == '@' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r))
		}) >= 0 {
			out[i] = strconv.Quote(n)
		}
	}
	return out
}
