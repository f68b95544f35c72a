package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// timeoutError is a request that waited too long for its headers or for more body.
type timeoutError struct{ what string }

func (e *timeoutError) Error() string { return e.what }

// watchdog bounds the wait for response headers and, separately, every pause while
// the body arrives. A body that keeps arriving is never cut off, however large.
type watchdog struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	idle   time.Duration

	mu    sync.Mutex
	timer *time.Timer
}

func newWatchdog(parent context.Context, header, idle time.Duration) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(parent)
	w := &watchdog{ctx: ctx, cancel: cancel, idle: idle}
	if header > 0 {
		w.timer = time.AfterFunc(header, func() {
			cancel(&timeoutError{what: fmt.Sprintf("no response headers within %s (http.header_timeout)", header)})
		})
	}
	return ctx, w
}

// gotHeaders switches from the header deadline to the body idle deadline.
func (w *watchdog) gotHeaders() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	if w.idle > 0 {
		idle := w.idle
		w.timer = time.AfterFunc(idle, func() {
			w.cancel(&timeoutError{what: fmt.Sprintf("the response body stalled for %s (http.body_timeout)", idle)})
		})
	}
}

func (w *watchdog) touch() {
	w.mu.Lock()
	if w.timer != nil && w.idle > 0 {
		w.timer.Reset(w.idle)
	}
	w.mu.Unlock()
}

func (w *watchdog) stop() {
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	w.cancel(nil)
}

// explain replaces a cancellation caused by the watchdog with what timed out.
func (w *watchdog) explain(err error) error {
	var te *timeoutError
	if cause := context.Cause(w.ctx); errors.As(cause, &te) {
		return te
	}
	return err
}

func (w *watchdog) wrap(r io.Reader) io.Reader { return &idleReader{r: r, w: w} }

type idleReader struct {
	r io.Reader
	w *watchdog
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.w.touch()
	}
	return n, err
}
