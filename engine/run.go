package engine

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// Options are the run's injected dependencies. The zero value is a normal run.
type Options struct {
	// Transport replaces the network transport (the built-in mocks route through it).
	// Timeouts still apply: header and body deadlines are enforced above the transport.
	Transport http.RoundTripper
	Logger    *slog.Logger
	Redactor  *Redactor
	Strict    bool // a record that fails validation fails its stream
	Now       func() time.Time
	// NewTimer replaces the backoff timer, so tests retry without sleeping.
	NewTimer func() backoff.Timer
	// Streams limits the run to these streams; empty runs all.
	Streams []string
}

// StreamStats is the summary of one stream.
type StreamStats struct {
	Name       string
	Records    int
	Skipped    int // failed mapping or validation
	Filtered   int
	Duplicates int
	Pages      int
	Requests   int
	Retries    int
	Duration   time.Duration
	Truncated  bool  // stopped at max_pages
	Err        error // nil when the stream completed
}

// Result is the summary of a run.
type Result struct {
	Streams []StreamStats
}

// Truncated says whether any stream stopped at its page cap: the data may be incomplete
// even though nothing failed, so a store must not mark anything gone.
func (r *Result) Truncated() bool {
	for _, s := range r.Streams {
		if s.Truncated {
			return true
		}
	}
	return false
}

// Partial says whether any stream failed, so that some data may be missing.
func (r *Result) Partial() bool {
	for _, s := range r.Streams {
		if s.Err != nil {
			return true
		}
	}
	return false
}

// Run fetches every stream in declaration order and writes its records to sink, a page
// at a time. A failing stream does not stop the others; its error is in the Result and
// what it fetched before failing is written.
func Run(ctx context.Context, ig *Integration, sink Sink, opts Options) (*Result, error) {
	c := newClient(ig, opts)
	res := &Result{}
	seen := &keySet{}
	for _, s := range ig.Streams {
		if len(opts.Streams) > 0 && !contains(opts.Streams, s.Name) {
			continue
		}
		sr := &streamRun{c: c, ig: ig, s: s, sink: sink, seen: seen, strict: opts.Strict}
		res.Streams = append(res.Streams, sr.run(ctx))
		if ctx.Err() != nil {
			break
		}
	}
	if err := sink.Close(); err != nil {
		return res, fmt.Errorf("closing the output: %w", err)
	}
	return res, nil
}

func newClient(ig *Integration, opts Options) *client {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	rt := opts.Transport
	if rt == nil {
		rt = newTransport(ig.HTTP)
	}
	c := &client{ig: ig, limit: newLimiter(ig.HTTP.RateLimit, now), log: log, now: now, newTimer: opts.NewTimer}
	c.http = &http.Client{Transport: rt, CheckRedirect: sameHostRedirects}
	tokens := &http.Client{Transport: rt, CheckRedirect: sameHostRedirects}
	if ig.HTTP.HeaderTimeout > 0 {
		// Token responses are small: the header and body deadlines bound the whole exchange.
		tokens.Timeout = ig.HTTP.HeaderTimeout + ig.HTTP.BodyIdleTimeout
	}
	c.env = &authEnv{client: tokens, redact: opts.Redactor, message: c.vendorMessage}
	return c
}

// sameHostRedirects follows redirects only within one host: Go drops Authorization
// across hosts, but not API-key headers or query parameters, so we never go there.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if !sameHost(req.URL, via[0].URL) {
		if strings.EqualFold(req.URL.Hostname(), via[0].URL.Hostname()) && req.URL.Scheme != via[0].URL.Scheme {
			return fmt.Errorf("redirect from %s to %s refused: the scheme changed, and credentials are only sent where base_url says; set base_url to where the API lives",
				via[0].URL.Scheme+"://"+via[0].URL.Host, req.URL.Scheme+"://"+req.URL.Host)
		}
		return fmt.Errorf("redirect to another host (%s) refused: credentials are only sent to %s", req.URL.Host, via[0].URL.Host)
	}
	return nil
}

// streamRun is the state of one stream's walk.
type streamRun struct {
	c      *client
	ig     *Integration
	s      *Stream
	sink   Sink
	seen   *keySet // keys written in this run, across its streams
	strict bool
	stats  StreamStats
	batch  []Record
	page   int
	pipe   *pipeline
	skips  atomic.Int64    // skipped records logged so far
	fields map[string]bool // Stream.RecordFields as a set; nil keeps every member
	seed   maphash.Seed    // for the page-body hashes that detect a repeated page
}

func (r *streamRun) run(ctx context.Context) StreamStats {
	start := time.Now()
	r.stats.Name = r.s.Name
	r.pipe = newPipeline(r)
	r.seed = maphash.MakeSeed()
	if r.s.RecordFields != nil {
		r.fields = make(map[string]bool, len(r.s.RecordFields))
		for _, f := range r.s.RecordFields {
			r.fields[f] = true
		}
	}
	r.stats.Err = r.walk(ctx)
	r.pipe.stop()
	if r.stats.Err == nil && r.stats.Records == 0 && r.stats.Duplicates == 0 && r.stats.Skipped > 0 {
		// Every record failed: the mapping is broken, not the data. Saying "complete"
		// with nothing written would hide it, and a store would mark everything gone.
		r.stats.Err = fmt.Errorf("every one of its %d records failed mapping or validation (see the warnings)", r.stats.Skipped)
	}
	r.stats.Duration = time.Since(start)
	return r.stats
}

func (r *streamRun) walk(ctx context.Context) error {
	pr := r.s.Paginator.First()
	bodies := map[string]uint64{} // request fingerprint → hash of the body it last returned
	pages := map[uint64]int{}     // hash of a body with records → the first page that had it
	for r.page = 1; ; r.page++ {
		if r.s.MaxPages > 0 && r.page > r.s.MaxPages {
			r.stats.Truncated = true
			r.c.log.Warn("stream stopped at its page cap; raise paginate max_pages to fetch more",
				"stream", r.s.Name, "max_pages", r.s.MaxPages)
			return nil
		}
		page, hash, err := r.fetchPage(ctx, pr)
		if err != nil {
			return fmt.Errorf("fetch stream %q page %d: %w", r.s.Name, r.page, err)
		}
		if err := r.commit(ctx); err != nil {
			return fmt.Errorf("write stream %q page %d: %w", r.s.Name, r.page, err)
		}
		fp := pr.fingerprint()
		if prev, ok := bodies[fp]; ok && prev == hash {
			return fmt.Errorf("stream %q page %d: the request was already made and returned the same page again, "+
				"so pagination makes no progress; check the paginate block's token or url expression", r.s.Name, r.page)
		}
		bodies[fp] = hash
		if first, ok := pages[hash]; ok && page.Records > 0 {
			// Another request, the same records: a server that answers every offset past
			// its end with its last page, or a total that overstates, would otherwise
			// be walked to max_pages, every record a duplicate.
			return fmt.Errorf("stream %q page %d: the page is the same as page %d although the request differs, "+
				"so pagination makes no progress; check the paginate block (its token or url expression, or a total that overstates)", r.s.Name, r.page, first)
		} else if page.Records > 0 {
			pages[hash] = r.page
		}
		next, more, err := r.s.Paginator.Next(ctx, page, pr)
		if err != nil {
			return fmt.Errorf("stream %q page %d: paginate %q: %w", r.s.Name, r.page, r.s.Paginator.Kind(), err)
		}
		if !more {
			return nil
		}
		pr = next
	}
}

// fetchPage fetches and decodes one page, mapping its records into r.batch.
func (r *streamRun) fetchPage(ctx context.Context, pr PageRequest) (*Page, uint64, error) {
	page := &Page{Number: r.page}
	var hash uint64
	skipped, filtered := r.stats.Skipped, r.stats.Filtered
	handle := func(resp *http.Response, body io.Reader) error {
		// Every attempt starts the page afresh: a retried page counts its records once.
		r.batch = r.batch[:0]
		r.stats.Skipped, r.stats.Filtered = skipped, filtered
		page.URL, page.Header = resp.Request.URL, resp.Header
		// maphash, not FNV: FNV goes a byte at a time and cost 4% of a run's CPU; the
		// hash only has to tell this run's pages apart, so a per-run seed is right.
		var h maphash.Hash
		h.SetSeed(r.seed)
		env, n, err := r.decode(ctx, resp, io.TeeReader(body, &h))
		page.Body, page.Records, hash = env, n, h.Sum64()
		return err
	}
	st := fetchStats{}
	err := r.c.fetch(ctx, &r.s.Request, pr, handle, &st)
	r.stats.Requests += st.requests
	r.stats.Retries += st.retries
	if err == nil {
		r.stats.Pages++
		r.c.log.Debug("page fetched", "stream", r.s.Name, "page", r.page, "records", page.Records, "url", redactURL(page.URL))
	}
	return page, hash, err
}

func (r *streamRun) decode(ctx context.Context, resp *http.Response, body io.Reader) (any, int, error) {
	r.pipe.reset()
	idx := 0
	emit := func(rec any) error {
		idx++
		r.pipe.add(ctx, r.page, rec)
		return nil
	}
	stream := r.s.RecordsPath != nil
	env, n, err := decodePage(body, r.s.RecordsPath, stream, r.fields, emit)
	if err != nil {
		return nil, n, decodeError(resp, err) // the attempt's chunks finish unread and are dropped
	}
	if env == nil && n == 0 && resp.StatusCode != http.StatusNoContent {
		// Only 204 means "nothing": a 200 with an empty (or null) body is a broken answer,
		// and taking it for an empty page would end the stream early and mark everything gone.
		return nil, 0, fmt.Errorf("HTTP %d with an empty or null body, where a JSON page was expected", resp.StatusCode)
	}
	if !stream && env != nil {
		err = r.s.Records.Select(ctx, env, emit)
		if err != nil {
			return nil, idx, fmt.Errorf("records: %w", err)
		}
		n = idx
	}
	return env, n, r.pipe.finish()
}

func decodeError(resp *http.Response, err error) error {
	var se *RecordsShapeError
	if errors.As(err, &se) || errors.Is(err, ErrBodyTooLarge) || errors.Is(err, errStrict) {
		return err
	}
	var syn *JSONSyntaxError
	if errors.As(err, &syn) {
		ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		return fmt.Errorf("the response is not valid JSON (Content-Type %q): %w", ct, err)
	}
	return err
}

// mapOne maps, validates and filters one vendor record into its chunk. It runs on a
// pipeline worker, so it touches nothing but the chunk.
func (r *streamRun) mapOne(c *chunk, raw any, idx int, enc *lineEncoder) {
	rec, reason, field := r.mapRecord(c.ctx, raw)
	if reason == "" && rec.Data != nil {
		// A vendor that echoes a credential into a mapped field must not put it in the
		// output or a store. Values are masked one by one, never the encoded line: a
		// secret that happens to read like a JSON key or a common word must not break
		// the record's structure.
		rec.Key = redactRecord(rec.Data, r.c.env.redact)
	}
	if reason == "" && rec.Data != nil && enc != nil {
		line, err := enc.encode(&rec)
		if err != nil {
			reason = fmt.Sprintf("encoding failed: %v", err)
		}
		rec.line = line
	}
	switch {
	case reason == "" && rec.Data == nil:
		c.filtered++
	case reason == "":
		c.out = append(c.out, rec)
	default:
		r.logSkip(c.ctx, c.page, idx, field, reason)
		if r.strict {
			c.err = fmt.Errorf("%w: record %d: %s", errStrict, idx, reason)
			return
		}
		c.skipped++
	}
}

// mapRecord maps, validates and filters one record. A non-empty reason says why it
// was rejected; a Record with no Data was filtered out.
func (r *streamRun) mapRecord(ctx context.Context, raw any) (rec Record, reason, field string) {
	mapped, err := r.s.Map.Map(ctx, raw)
	if err != nil {
		return rec, fmt.Sprintf("mapping failed: %v", err), ""
	}
	obj, ok := mapped.(map[string]any)
	if !ok {
		return rec, fmt.Sprintf("the mapping must produce an object, got %s", typeName(mapped)), ""
	}
	src := Source{Integration: r.ig.Name, Stream: r.s.Name}
	var data any
	var key string
	var ferrs []FieldError
	if r.s.Kind == KindFinding {
		f, errs := NewFinding(obj, src)
		data, key, ferrs = f, f.Key, errs
	} else {
		a, errs := NewAsset(obj, src)
		data, key, ferrs = a, a.Key, errs
	}
	if len(ferrs) > 0 {
		return rec, joinFieldErrors(ferrs), ferrs[0].Field
	}
	if r.s.Filter != nil {
		keep, err := r.s.Filter.Keep(ctx, obj)
		if err != nil {
			return rec, fmt.Sprintf("filter failed: %v", err), ""
		}
		if !keep {
			return rec, "", ""
		}
	}
	return Record{Kind: r.s.Kind, Integration: r.ig.Name, Stream: r.s.Name, Data: data, Key: key}, "", ""
}

var errStrict = errors.New("strict mode")

// maxSkipWarnings is how many skipped records a stream logs one by one: a broken
// mapping must not bury the summary under a hundred thousand identical lines.
const maxSkipWarnings = 20

func (r *streamRun) logSkip(ctx context.Context, page, idx int, field, reason string) {
	args := []any{"stream", r.s.Name, "page", page, "record", idx, "field", field, "reason", reason}
	switch n := r.skips.Add(1); {
	case n <= maxSkipWarnings:
		r.c.log.Warn("record skipped", args...)
	case n == maxSkipWarnings+1:
		r.c.log.Warn("more records skipped; they are logged at debug level, and counted in the summary", "stream", r.s.Name)
		fallthrough
	default:
		r.c.log.Log(ctx, slog.LevelDebug, "record skipped", args...)
	}
}

func joinFieldErrors(errs []FieldError) string {
	s := ""
	for i, e := range errs {
		if i > 0 {
			s += "; "
		}
		s += e.Error()
	}
	return s
}

// commit writes the page's records, each key once per run.
func (r *streamRun) commit(ctx context.Context) error {
	out := r.batch[:0]
	for _, rec := range r.batch {
		if !r.seen.add(keyHash(rec.Kind, rec.Key)) {
			r.stats.Duplicates++
			continue
		}
		out = append(out, rec)
	}
	r.stats.Records += len(out)
	if len(out) == 0 {
		return nil
	}
	return r.sink.WritePage(ctx, out)
}

func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Redacted()
}

// keyHash is FNV-1a over kind, a zero byte and key, without allocating.
func keyHash(kind Kind, key string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(kind); i++ {
		h = (h ^ uint64(kind[i])) * prime
	}
	h *= prime // the zero separator
	for i := 0; i < len(key); i++ {
		h = (h ^ uint64(key[i])) * prime
	}
	return h
}
