package engine

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestLimiterObserve(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	policy := RateLimit{RemainingHeader: "X-RateLimit-Remaining", ResetHeader: "X-RateLimit-Reset", ResetFormat: WaitEpochSeconds, LowWater: 5}
	reset := func(d time.Duration) string { return strconv.FormatInt(clock.Now().Add(d).Unix(), 10) }
	tests := []struct {
		name    string
		policy  RateLimit
		header  http.Header
		maxWait time.Duration
		want    time.Duration
	}{
		{"plenty left", policy, http.Header{"X-Ratelimit-Remaining": {"100"}, "X-Ratelimit-Reset": {reset(time.Minute)}}, 0, 0},
		{"no header", policy, http.Header{}, 0, 0},
		{"not a number", policy, http.Header{"X-Ratelimit-Remaining": {"lots"}}, 0, 0},
		{"low: spread the rest until the reset", policy,
			http.Header{"X-Ratelimit-Remaining": {"4"}, "X-Ratelimit-Reset": {reset(50 * time.Second)}}, 0, 10 * time.Second},
		{"exhausted: wait for the reset", policy,
			http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset(30 * time.Second)}}, 0, 30 * time.Second},
		{"capped by the max wait", policy,
			http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset(time.Hour)}}, time.Minute, time.Minute},
		{"low without a reset header", RateLimit{RemainingHeader: "X-Remaining", LowWater: 1},
			http.Header{"X-Remaining": {"1"}}, 0, time.Second},
		{"no remaining header configured", RateLimit{},
			http.Header{"X-Ratelimit-Remaining": {"0"}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(tt.policy, clock.Now)
			if got := l.Observe(tt.header, tt.maxWait); got != tt.want {
				t.Errorf("Observe = %v, want %v", got, tt.want)
			}
			if tt.want > 0 && !l.pauseUntil.Equal(clock.Now().Add(tt.want)) {
				t.Errorf("pauseUntil = %v, want now+%v", l.pauseUntil, tt.want)
			}
		})
	}
}

func TestLimiterWaitHonoursContext(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	l := newLimiter(RateLimit{RemainingHeader: "R"}, clock.Now)
	l.Observe(http.Header{"R": {"0"}}, 0) // pause 1s
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want context.Canceled without waiting out the pause", err)
	}
	// The pause only lengthens: an earlier end never shortens it.
	before := l.pauseUntil
	l.policy.LowWater = 0
	l.Observe(http.Header{"R": {"0"}}, time.Millisecond)
	if !l.pauseUntil.Equal(before) {
		t.Errorf("pauseUntil moved from %v to %v", before, l.pauseUntil)
	}
}

func TestLimiterUnlimitedByDefault(t *testing.T) {
	l := newLimiter(RateLimit{}, time.Now)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for i := range 1000 {
		if err := l.Wait(ctx); err != nil {
			t.Fatalf("request %d waited: %v", i, err)
		}
	}
}

func TestLimiterBucket(t *testing.T) {
	l := newLimiter(RateLimit{Requests: 10, Per: time.Second, Burst: 3}, time.Now)
	if l.bucket.Burst() != 3 || l.bucket.Limit() != 10 {
		t.Errorf("bucket = %v/s burst %d, want 10/s burst 3", l.bucket.Limit(), l.bucket.Burst())
	}
	// The burst goes at once; the fourth request has to wait for a token.
	for i := range 3 {
		if !l.bucket.Allow() {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.bucket.Allow() {
		t.Error("a request beyond the burst was allowed at once")
	}
}

// TestNegativeRemainingDoesNotPanic: GitHub-style headers with remaining -1 once
// divided by zero.
func TestNegativeRemainingDoesNotPanic(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLimiter(RateLimit{RemainingHeader: "X-Remaining", ResetHeader: "X-Reset", ResetFormat: WaitSeconds, LowWater: 10}, func() time.Time { return now })
	h := http.Header{"X-Remaining": {"-1"}, "X-Reset": {"10"}}
	if got := l.Observe(h, time.Minute); got != 10*time.Second {
		t.Errorf("pause %v, want 10s (all of the window, as if none were left)", got)
	}
}
