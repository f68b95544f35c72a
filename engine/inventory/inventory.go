// Package inventory is the embedded SQLite store of everything integrations have seen:
// assets and findings keyed by integration and record key, with first and last seen,
// and a row per run. A run writes one transaction per page, so a run killed half way
// leaves the store as it was before its unfinished page; a record absent from a
// complete run is marked gone, and a partial run never marks anything gone.
//
// It uses modernc.org/sqlite, a pure-Go SQLite: no cgo, one static binary. It imports
// the standard library, engine, recdiff and the driver.
package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/engine/recdiff"
)

// EnvPath overrides the default inventory path; the --inventory flag overrides both.
const EnvPath = "INTEGRATE_INVENTORY"

// DefaultPath is $XDG_DATA_HOME/integrate/inventory.db, else
// ~/.local/share/integrate/inventory.db.
func DefaultPath(env func(string) string) string {
	if p := env(EnvPath); p != "" {
		return p
	}
	if x := env("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "integrate", "inventory.db")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "inventory.db"
	}
	return filepath.Join(home, ".local", "share", "integrate", "inventory.db")
}

// Store is an open inventory.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

const schema = `
CREATE TABLE IF NOT EXISTS runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	integration TEXT NOT NULL,
	started_at  TEXT NOT NULL,
	ended_at    TEXT,
	status      TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial')),
	records     INTEGER NOT NULL DEFAULT 0,
	added       INTEGER NOT NULL DEFAULT 0,
	changed     INTEGER NOT NULL DEFAULT 0,
	removed     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS records (
	integration TEXT NOT NULL,
	kind        TEXT NOT NULL,
	key         TEXT NOT NULL,
	stream      TEXT NOT NULL,
	data        TEXT NOT NULL,
	hash        TEXT NOT NULL,
	first_seen  TEXT NOT NULL,
	last_seen   TEXT NOT NULL,
	first_run   INTEGER NOT NULL REFERENCES runs(id),
	last_run    INTEGER NOT NULL REFERENCES runs(id),
	gone_at     TEXT,
	gone_run    INTEGER REFERENCES runs(id),
	PRIMARY KEY (integration, kind, key)
);
CREATE INDEX IF NOT EXISTS records_last_run ON records (integration, last_run);
`

// Open opens (creating if needed) the inventory at path. WAL lets readers work while a
// run writes, and the busy timeout makes concurrent runs wait for each other's page
// transactions instead of failing. Transactions begin IMMEDIATE: a page reads before it
// writes, and two readers upgrading to writers at once would otherwise deadlock, which
// SQLite reports as SQLITE_BUSY without waiting.
func Open(path string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer per process; SQLite serializes writers anyway
	if err := createSchema(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	return &Store{db: db, now: now}, nil
}

// createSchema creates the tables. Two processes creating a new inventory at once can
// meet while the file switches to WAL, which SQLite reports as busy without waiting:
// that case is retried for a few seconds.
func createSchema(db *sql.DB) error {
	var err error
	for try := 0; try < 50; try++ {
		if _, err = db.Exec(schema); err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// OpenReadOnly opens an existing inventory without writing to it (plan). A missing
// inventory is an empty one: it returns nil and no error, and creates nothing.
func OpenReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(30000)")
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339) }

// Current returns the records of an integration that are not gone, as the previous
// side of a change set.
func (s *Store) Current(ctx context.Context, integration string) ([]*recdiff.Record, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT kind, stream, data FROM records WHERE integration = ? AND gone_at IS NULL ORDER BY kind, key`, integration)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*recdiff.Record
	for rows.Next() {
		var kind, stream, data string
		if err := rows.Scan(&kind, &stream, &data); err != nil {
			return nil, err
		}
		rec := &recdiff.Record{Kind: kind, Integration: integration, Stream: stream}
		if err := decodeData(data, &rec.Data); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

func decodeData(s string, dst *map[string]any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	return dec.Decode(dst)
}

// Run is a run being written. It is an engine.Sink.
type Run struct {
	// Redact masks any secret a vendor echoed into a mapped field before it is stored.
	Redact      *engine.Redactor
	s           *Store
	id          int64
	integration string
	Added       int
	Changed     int
	Records     int
}

// BeginRun records the start of a run.
func (s *Store) BeginRun(ctx context.Context, integration string) (*Run, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs (integration, started_at, status) VALUES (?, ?, 'running')`,
		integration, s.stamp())
	if err != nil {
		return nil, fmt.Errorf("inventory: start run: %w", err)
	}
	id, err := res.LastInsertId()
	return &Run{s: s, id: id, integration: integration}, err
}

// ID is the run's number.
func (r *Run) ID() int64 { return r.id }

// WritePage implements engine.Sink: the page's records in one transaction.
func (r *Run) WritePage(ctx context.Context, records []engine.Record) error {
	// A page already fetched is kept even when the run is being cancelled: Ctrl-C stops
	// the fetching, it does not throw away what was fetched.
	ctx = context.WithoutCancel(ctx)
	tx, err := r.s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	added, changed := 0, 0
	now := r.s.stamp()
	for i := range records {
		a, c, err := r.upsert(ctx, tx, &records[i], now)
		if err != nil {
			return fmt.Errorf("inventory: record %q: %w", records[i].Key, err)
		}
		added, changed = added+a, changed+c
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	r.Added, r.Changed, r.Records = r.Added+added, r.Changed+changed, r.Records+len(records)
	return nil
}

func (r *Run) upsert(ctx context.Context, tx *sql.Tx, rec *engine.Record, now string) (added, changed int, err error) {
	data, err := json.Marshal(rec.Data)
	if err != nil {
		return 0, 0, err
	}
	data = r.Redact.Bytes(data)
	sum := hashOf(data)
	var old string
	var gone sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT hash, gone_at FROM records WHERE integration = ? AND kind = ? AND key = ?`,
		r.integration, string(rec.Kind), rec.Key).Scan(&old, &gone)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO records (integration, kind, key, stream, data, hash, first_seen, last_seen, first_run, last_run)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.integration, string(rec.Kind), rec.Key, rec.Stream, string(data), sum, now, now, r.id, r.id)
		return 1, 0, err
	case err != nil:
		return 0, 0, err
	}
	// last_run only moves forward: when two runs overlap, the older one writing a record
	// after the newer one must not make the newer one see it as unseen, and mark it gone.
	_, err = tx.ExecContext(ctx, `UPDATE records SET stream = ?, data = ?, hash = ?, last_seen = ?, last_run = MAX(last_run, ?), gone_at = NULL, gone_run = NULL
		WHERE integration = ? AND kind = ? AND key = ?`, rec.Stream, string(data), sum, now, r.id, r.integration, string(rec.Kind), rec.Key)
	switch {
	case gone.Valid:
		return 1, 0, err // back from the gone: it is new again to a reader of the change set
	case old != sum:
		return 0, 1, err
	}
	return 0, 0, err
}

func hashOf(b []byte) string {
	h := fnv.New128a()
	h.Write(b)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// Close implements engine.Sink; Finish records the outcome.
func (r *Run) Close() error { return nil }

// Finish ends the run. A complete run marks gone every record of its streams it did
// not see; a partial run marks nothing gone. It returns how many were marked gone.
func (r *Run) Finish(ctx context.Context, complete bool, streams []string) (removed int, err error) {
	tx, err := r.s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("inventory: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck
	status := "partial"
	if complete {
		status = "complete"
		if removed, err = r.markGone(ctx, tx, streams); err != nil {
			return 0, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE runs SET ended_at = ?, status = ?, records = ?, added = ?, changed = ?, removed = ? WHERE id = ?`,
		r.s.stamp(), status, r.Records, r.Added, r.Changed, removed, r.id)
	if err != nil {
		return 0, fmt.Errorf("inventory: finish run: %w", err)
	}
	return removed, tx.Commit()
}

func (r *Run) markGone(ctx context.Context, tx *sql.Tx, streams []string) (int, error) {
	total := 0
	for _, st := range streams {
		res, err := tx.ExecContext(ctx, `UPDATE records SET gone_at = ?, gone_run = ? WHERE integration = ? AND stream = ? AND last_run < ? AND gone_at IS NULL`,
			r.s.stamp(), r.id, r.integration, st, r.id)
		if err != nil {
			return 0, fmt.Errorf("inventory: mark gone: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	return total, nil
}

// RunInfo is one row of the runs table.
type RunInfo struct {
	ID                               int64
	Integration, Status              string
	StartedAt, EndedAt               string
	Records, Added, Changed, Removed int
}

// Runs lists an integration's runs, newest first.
func (s *Store) Runs(ctx context.Context, integration string) ([]RunInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, integration, status, started_at, COALESCE(ended_at, ''), records, added, changed, removed
		FROM runs WHERE integration = ? ORDER BY id DESC`, integration)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		var ri RunInfo
		if err := rows.Scan(&ri.ID, &ri.Integration, &ri.Status, &ri.StartedAt, &ri.EndedAt, &ri.Records, &ri.Added, &ri.Changed, &ri.Removed); err != nil {
			return nil, err
		}
		out = append(out, ri)
	}
	return out, rows.Err()
}

// Seen returns first and last seen of one record, and whether it is gone.
func (s *Store) Seen(ctx context.Context, integration, kind, key string) (first, last string, gone bool, err error) {
	var g sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT first_seen, last_seen, gone_at FROM records WHERE integration = ? AND kind = ? AND key = ?`,
		integration, kind, key).Scan(&first, &last, &g)
	return first, last, g.Valid, err
}
