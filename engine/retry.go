package engine

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// DefaultRetryStatuses are retried when a definition does not list its own.
var DefaultRetryStatuses = []int{429, 500, 502, 503, 504}

// ParseWait reads a wait from a header value in the given format, relative to now.
// ok=false when the value is not in that format. A time in the past waits 0.
func ParseWait(v string, f WaitFormat, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	switch f {
	case WaitRetryAfter:
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			return secondsDuration(float64(n))
		}
		if errors.Is(err, strconv.ErrRange) { // all digits, just too many: a very long wait
			secs, _ := strconv.ParseFloat(v, 64)
			return secondsDuration(secs)
		}
		t, err := http.ParseTime(v) // IMF-fixdate, RFC 850 and asctime, as RFC 9110 requires
		if err != nil {
			return 0, false
		}
		return nonNegative(t.Sub(now)), true
	case WaitSeconds:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, false
		}
		return secondsDuration(f)
	case WaitEpochSeconds, WaitEpochMillis:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n < 0 || n > 1e15 {
			return 0, false
		}
		if f == WaitEpochMillis {
			n /= 1000
		}
		sec, frac := math.Modf(n)
		return nonNegative(time.Unix(int64(sec), int64(frac*1e9)).Sub(now)), true
	}
	return 0, false
}

func secondsDuration(s float64) (time.Duration, bool) {
	if math.IsNaN(s) || s < 0 {
		return 0, false
	}
	if s > 1e9 { // longer than any cap; avoid overflowing Duration
		return time.Duration(math.MaxInt64), true
	}
	return time.Duration(s * float64(time.Second)), true
}

func nonNegative(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}

// serverWait reads how long the server asked us to wait: the definition's vendor
// headers first, then the standard Retry-After.
func (p RetryPolicy) serverWait(h http.Header, now time.Time) (time.Duration, bool) {
	for _, wh := range p.WaitHeaders {
		if d, ok := ParseWait(h.Get(wh.Name), wh.Format, now); ok {
			return d, true
		}
	}
	return ParseWait(h.Get("Retry-After"), WaitRetryAfter, now)
}

func (p RetryPolicy) retriesStatus(status int) bool {
	statuses := p.OnStatus
	if statuses == nil {
		statuses = DefaultRetryStatuses
	}
	for _, s := range statuses {
		if s == status {
			return true
		}
	}
	return false
}

// newBackOff builds the exponential backoff with jitter for one request.
func (p RetryPolicy) newBackOff() *waitBackOff {
	exp := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(p.InitialInterval),
		backoff.WithMaxInterval(p.MaxInterval),
		backoff.WithMaxElapsedTime(0), // attempts bound the retries, not elapsed time
		backoff.WithRandomizationFactor(0.5),
	)
	attempts := max(p.Attempts, 1)
	return &waitBackOff{inner: backoff.WithMaxRetries(exp, uint64(attempts-1)), maxWait: p.MaxWait, override: -1}
}

// waitBackOff lets one attempt replace the next backoff interval with the wait the
// server asked for, and caps every wait.
type waitBackOff struct {
	inner    backoff.BackOff
	maxWait  time.Duration
	override time.Duration // -1: none
	capped   bool          // the last wait was cut to maxWait
}

func (b *waitBackOff) Reset() { b.inner.Reset(); b.override = -1 }

func (b *waitBackOff) NextBackOff() time.Duration {
	d := b.inner.NextBackOff()
	if d == backoff.Stop {
		return d
	}
	if b.override >= 0 {
		d, b.override = b.override, -1
	}
	b.capped = b.maxWait > 0 && d > b.maxWait
	if b.capped {
		d = b.maxWait
	}
	return d
}
