package engine

import (
	"context"
	"runtime"
	"sync"
)

// pipeline maps a page's records on every core while the page is still being decoded,
// and hands them back in page order, so output stays deterministic. Decoding is
// sequential by nature; mapping, validation and filtering are not.
type pipeline struct {
	r      *streamRun
	jobs   chan *chunk
	wg     sync.WaitGroup
	cur    *chunk
	chunks []*chunk
	next   int // index in the page of the next record
}

// chunk is a run of consecutive records mapped by one worker.
type chunk struct {
	ctx      context.Context
	page     int
	start    int
	raws     []any
	out      []Record
	skipped  int
	filtered int
	err      error
	done     chan struct{}
}

// chunkSize trades scheduling overhead against how much of a page waits in flight.
const chunkSize = 64

func newPipeline(r *streamRun) *pipeline {
	workers := max(runtime.GOMAXPROCS(0), 1)
	p := &pipeline{r: r, jobs: make(chan *chunk, 2*workers)}
	p.wg.Add(workers)
	for range workers {
		go p.work()
	}
	return p
}

func (p *pipeline) work() {
	defer p.wg.Done()
	var enc *lineEncoder
	if _, ok := p.r.sink.(LineEncoder); ok {
		enc = newLineEncoder()
	}
	for c := range p.jobs {
		for i, raw := range c.raws {
			if c.err != nil {
				break
			}
			p.r.mapOne(c, raw, c.start+i, enc)
		}
		c.raws = nil
		close(c.done)
	}
}

// stop ends the workers once every dispatched chunk is done.
func (p *pipeline) stop() {
	close(p.jobs)
	p.wg.Wait()
}

// reset starts a page (or a retry of one): chunks of an abandoned attempt finish on
// their own and are dropped.
func (p *pipeline) reset() {
	p.cur, p.chunks, p.next = nil, p.chunks[:0], 0
}

// add queues one record of page for mapping.
func (p *pipeline) add(ctx context.Context, page int, raw any) {
	if p.cur == nil {
		p.cur = &chunk{ctx: ctx, page: page, start: p.next, raws: make([]any, 0, chunkSize), done: make(chan struct{})}
	}
	p.cur.raws = append(p.cur.raws, raw)
	p.next++
	if len(p.cur.raws) == chunkSize {
		p.dispatch()
	}
}

func (p *pipeline) dispatch() {
	if p.cur == nil {
		return
	}
	p.chunks = append(p.chunks, p.cur)
	p.jobs <- p.cur
	p.cur = nil
}

// finish waits for the page's records and appends them, in order, to the batch.
func (p *pipeline) finish() error {
	p.dispatch()
	var first error
	for _, c := range p.chunks {
		<-c.done
		p.r.batch = append(p.r.batch, c.out...)
		p.r.stats.Skipped += c.skipped
		p.r.stats.Filtered += c.filtered
		if c.err != nil && first == nil {
			first = c.err
		}
	}
	return first
}
