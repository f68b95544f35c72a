package inventory

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/integrate-dev/integrate/engine"
)

func asset(key, name string) engine.Record {
	return engine.Record{Kind: engine.KindAsset, Integration: "acme", Stream: "hosts", Key: key,
		Data: &engine.Asset{Key: key, Class: "host", Name: name, Source: engine.Source{Integration: "acme", Stream: "hosts"}}}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func open(t *testing.T, path string, c *clock) *Store {
	t.Helper()
	s, err := Open(path, c.now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// runOnce writes pages as one run and finishes it.
func runOnce(t *testing.T, s *Store, complete bool, pages ...[]engine.Record) (added, changed, removed int) {
	t.Helper()
	ctx := context.Background()
	r, err := s.BeginRun(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if err := r.WritePage(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	removed, err = r.Finish(ctx, complete, []string{"hosts"})
	if err != nil {
		t.Fatal(err)
	}
	return r.Added, r.Changed, removed
}

func TestRunsUpsertAndMarkGone(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := open(t, filepath.Join(t.TempDir(), "inv.db"), c)
	ctx := context.Background()

	if a, ch, rm := runOnce(t, s, true, []engine.Record{asset("h1", "one"), asset("h2", "two")}, []engine.Record{asset("h3", "three")}); a != 3 || ch != 0 || rm != 0 {
		t.Fatalf("first run: %d added %d changed %d removed", a, ch, rm)
	}
	c.t = c.t.Add(24 * time.Hour)
	// h1 unchanged, h2 renamed, h3 absent, h4 new: a complete run marks h3 gone.
	if a, ch, rm := runOnce(t, s, true, []engine.Record{asset("h1", "one"), asset("h2", "TWO"), asset("h4", "four")}); a != 1 || ch != 1 || rm != 1 {
		t.Fatalf("second run: %d added %d changed %d removed, want 1 1 1", a, ch, rm)
	}
	first, last, gone, err := s.Seen(ctx, "acme", "asset", "h1")
	if err != nil || first != "2026-01-01T00:00:00Z" || last != "2026-01-02T00:00:00Z" || gone {
		t.Errorf("h1: first %s last %s gone %v err %v", first, last, gone, err)
	}
	if _, _, gone, _ := s.Seen(ctx, "acme", "asset", "h3"); !gone {
		t.Error("h3 was not marked gone by a complete run")
	}
	// A partial run that misses h4 marks nothing gone.
	c.t = c.t.Add(24 * time.Hour)
	if _, _, rm := runOnce(t, s, false, []engine.Record{asset("h1", "one")}); rm != 0 {
		t.Errorf("partial run removed %d", rm)
	}
	if _, _, gone, _ := s.Seen(ctx, "acme", "asset", "h4"); gone {
		t.Error("a partial run marked h4 gone")
	}
	// h3 coming back counts as added again.
	if a, _, _ := runOnce(t, s, true, []engine.Record{asset("h1", "one"), asset("h2", "TWO"), asset("h3", "three"), asset("h4", "four")}); a != 1 {
		t.Errorf("h3 back: added %d, want 1", a)
	}
	cur, err := s.Current(ctx, "acme")
	if err != nil || len(cur) != 4 {
		t.Fatalf("current: %d records, %v", len(cur), err)
	}
	runs, _ := s.Runs(ctx, "acme")
	if len(runs) != 4 || runs[1].Status != "partial" || runs[0].Status != "complete" || runs[3].Records != 3 {
		t.Errorf("runs: %+v", runs)
	}
}

// TestPageIsAtomic: a page that fails part way leaves nothing of itself behind, and
// the pages before it stay written.
func TestPageIsAtomic(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "inv.db"), &clock{t: time.Unix(0, 0)})
	ctx := context.Background()
	r, _ := s.BeginRun(ctx, "acme")
	if err := r.WritePage(ctx, []engine.Record{asset("h1", "one")}); err != nil {
		t.Fatal(err)
	}
	bad := asset("h3", "three")
	bad.Data = map[string]any{"unencodable": make(chan int)}
	if err := r.WritePage(ctx, []engine.Record{asset("h2", "two"), bad}); err == nil {
		t.Fatal("a page with an unencodable record was written")
	}
	cur, _ := s.Current(ctx, "acme")
	if len(cur) != 1 || cur[0].Data["key"] != "h1" {
		t.Errorf("after a failed page the inventory holds %d records: %+v", len(cur), cur)
	}
}

// TestConcurrentRuns: two processes' worth of runs on one file, at once, lose nothing
// and leave a sound database.
func TestConcurrentRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inv.db")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(path, nil)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			ctx := context.Background()
			r, err := s.BeginRun(ctx, "acme")
			if err != nil {
				errs <- err
				return
			}
			for p := range 10 {
				var page []engine.Record
				for i := range 20 {
					page = append(page, asset(fmt.Sprintf("w%d-%d-%d", w, p, i), "x"))
				}
				if err := r.WritePage(ctx, page); err != nil {
					errs <- err
					return
				}
			}
			_, err = r.Finish(ctx, false, nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, path, &clock{t: time.Now()})
	cur, _ := s.Current(context.Background(), "acme")
	if len(cur) != 4*10*20 {
		t.Errorf("%d records, want 800", len(cur))
	}
	var ok string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q %v", ok, err)
	}
}

// TestKilledRunKeepsCommittedPages kills a real process in the middle of a page
// transaction: the pages it committed stay, the one in flight leaves no trace.
func TestKilledRunKeepsCommittedPages(t *testing.T) {
	if os.Getenv("INVENTORY_KILL_CHILD") != "" {
		killChild()
		return
	}
	path := filepath.Join(t.TempDir(), "inv.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRunKeepsCommittedPages$")
	cmd.Env = append(os.Environ(), "INVENTORY_KILL_CHILD="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf) // the child says when it is inside its third page
	if string(buf[:n]) != "in page 3\n" {
		t.Fatalf("child said %q", buf[:n])
	}
	cmd.Process.Kill()
	cmd.Wait() //nolint:errcheck // killed on purpose
	s := open(t, path, &clock{t: time.Now()})
	cur, err := s.Current(context.Background(), "acme")
	if err != nil || len(cur) != 20 {
		t.Errorf("after the kill the inventory holds %d records (%v), want the 20 of the two committed pages", len(cur), err)
	}
}

// killChild writes two pages, then stalls inside the third page's transaction.
func killChild() {
	s, err := Open(os.Getenv("INVENTORY_KILL_CHILD"), nil)
	if err != nil {
		os.Exit(3)
	}
	ctx := context.Background()
	r, _ := s.BeginRun(ctx, "acme")
	for p := range 2 {
		var page []engine.Record
		for i := range 10 {
			page = append(page, asset("p"+strconv.Itoa(p)+"-"+strconv.Itoa(i), "x"))
		}
		if r.WritePage(ctx, page) != nil {
			os.Exit(4)
		}
	}
	tx, _ := s.db.Begin()
	tx.Exec(`INSERT INTO records (integration, kind, key, stream, data, hash, first_seen, last_seen, first_run, last_run)
		VALUES ('acme', 'asset', 'half', 'hosts', '{}', 'x', 'now', 'now', ?, ?)`, r.ID(), r.ID())
	fmt.Println("in page 3")
	time.Sleep(time.Minute) // killed here
}

// TestOverlappingRunsMarkNothingSeenGone: two complete runs of the same records that
// overlap in time; whichever finishes last must not mark as gone what both saw.
func TestOverlappingRunsMarkNothingSeenGone(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "inv.db"), &clock{t: time.Unix(0, 0)})
	ctx := context.Background()
	page := func(from int) []engine.Record {
		var p []engine.Record
		for i := from; i < from+10; i++ {
			p = append(p, asset("h"+strconv.Itoa(i), "x"))
		}
		return p
	}
	older, _ := s.BeginRun(ctx, "acme")
	newer, _ := s.BeginRun(ctx, "acme")
	// newer writes everything, then older (still running) rewrites the same records.
	for _, from := range []int{0, 10} {
		if err := newer.WritePage(ctx, page(from)); err != nil {
			t.Fatal(err)
		}
	}
	for _, from := range []int{0, 10} {
		if err := older.WritePage(ctx, page(from)); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []*Run{newer, older} {
		if removed, err := r.Finish(ctx, true, []string{"hosts"}); err != nil || removed != 0 {
			t.Errorf("run %d: removed %d (%v), want 0", r.ID(), removed, err)
		}
	}
	if cur, _ := s.Current(ctx, "acme"); len(cur) != 20 {
		t.Errorf("%d current records, want 20", len(cur))
	}
}

// TestConcurrentCreate: several processes' worth of stores creating one new file.
func TestConcurrentCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(path, nil)
			if err == nil {
				_, err = s.BeginRun(context.Background(), "acme")
				s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
