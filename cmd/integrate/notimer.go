package main

import (
	"time"

	"github.com/cenkalti/backoff/v4"
)

// noWaitTimer is the backoff timer of offline replays: a recorded 429 or 500 is
// replayed as it happened, but waiting for it would only slow the tests down.
func noWaitTimer() backoff.Timer { return &instantTimer{c: make(chan time.Time, 1)} }

type instantTimer struct{ c chan time.Time }

func (t *instantTimer) Start(time.Duration) { t.c <- time.Time{} }
func (t *instantTimer) Stop()               {}
func (t *instantTimer) C() <-chan time.Time { return t.c }
