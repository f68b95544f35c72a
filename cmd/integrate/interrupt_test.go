package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/integrate-dev/integrate/engine/inventory"
)

// cancelOnWrite cancels the run as soon as the first records reach the output, as
// Ctrl-C would part way through.
type cancelOnWrite struct {
	bytes.Buffer
	once   sync.Once
	cancel context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.once.Do(w.cancel)
	return w.Buffer.Write(p)
}

func TestInterruptedRunIsPartialAndKeepsWhatItWrote(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancelOnWrite{cancel: cancel}
	var errb bytes.Buffer
	inv := filepath.Join(t.TempDir(), "inv.db")
	code := newCLI(strings.NewReader(""), out, &errb, []string{fixedNow}).RunContext(ctx,
		[]string{"run", repoPath("definitions", "crowdstrike.hcl"), "--mock", "--inventory", inv, "--var", "page_size=50"})
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\n%s", code, exitFailed, errb.String())
	}
	lines := strings.Count(out.String(), "\n")
	if lines != 50 {
		t.Errorf("%d records written, want the first page's 50", lines)
	}
	if !strings.Contains(errb.String(), "run partial: ") || !strings.Contains(errb.String(), "nothing marked gone") {
		t.Errorf("stderr:\n%s", errb.String())
	}
	st, err := inventory.Open(inv, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, _ := st.Runs(context.Background(), "crowdstrike")
	if len(runs) != 1 || runs[0].Status != "partial" || runs[0].Records != 50 {
		t.Errorf("runs: %+v", runs)
	}
}
