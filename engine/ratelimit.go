package engine

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter paces requests: a token bucket from the definition, plus a pause when the
// vendor's remaining-quota header runs low. golang.org/x/time/rate is the bucket.
type limiter struct {
	policy RateLimit
	bucket *rate.Limiter
	now    func() time.Time

	mu         sync.Mutex
	pauseUntil time.Time
}

func newLimiter(p RateLimit, now func() time.Time) *limiter {
	l := &limiter{policy: p, bucket: rate.NewLimiter(rate.Inf, 1), now: now}
	if p.Requests > 0 && p.Per > 0 {
		l.bucket = rate.NewLimiter(rate.Every(p.Per/time.Duration(p.Requests)), max(p.Burst, 1))
	}
	return l
}

// Wait blocks until a request may go, or ctx ends.
func (l *limiter) Wait(ctx context.Context) error {
	l.mu.Lock()
	pause := l.pauseUntil.Sub(l.now())
	l.mu.Unlock()
	if pause > 0 {
		t := time.NewTimer(pause)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	if err := l.bucket.Wait(ctx); err != nil {
		if ctx.Err() == nil {
			// x/time/rate refuses a wait that would pass the deadline: say it in our words.
			return fmt.Errorf("the rate limit's next free slot is after the run's deadline (--timeout): %w", context.DeadlineExceeded)
		}
		return ctx.Err()
	}
	return nil
}

// Observe reads the remaining-quota headers of a response and, when the quota is low,
// spreads the requests left over the time until the quota resets. It returns the pause
// it set, for the logs.
func (l *limiter) Observe(h http.Header, maxWait time.Duration) time.Duration {
	if l.policy.RemainingHeader == "" {
		return 0
	}
	remaining, err := strconv.Atoi(strings.TrimSpace(h.Get(l.policy.RemainingHeader)))
	if err != nil || remaining > l.policy.LowWater {
		return 0
	}
	remaining = max(remaining, 0) // a vendor that says -1 means none left
	now := l.now()
	pause := time.Second // no reset header: a gentle fixed slowdown
	if l.policy.ResetHeader != "" {
		if untilReset, ok := ParseWait(h.Get(l.policy.ResetHeader), l.policy.ResetFormat, now); ok {
			pause = untilReset / time.Duration(remaining+1)
		}
	}
	if maxWait > 0 && pause > maxWait {
		pause = maxWait
	}
	l.mu.Lock()
	if t := now.Add(pause); t.After(l.pauseUntil) {
		l.pauseUntil = t
	}
	l.mu.Unlock()
	return pause
}
