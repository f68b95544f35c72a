// Command integrate runs declarative security integrations: see README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	// Ctrl-C and SIGTERM cancel the run: what was fetched is kept and the run is
	// recorded as partial, rather than the process dying mid-page.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// Commands that do not watch ctx (validate, fmt) must still stop: after a grace
		// period for a run to write its summary, or at a second signal, exit.
		<-ctx.Done()
		stop()
		time.Sleep(5 * time.Second)
		os.Exit(130)
	}()
	code := newCLI(os.Stdin, os.Stdout, os.Stderr, os.Environ()).RunContext(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
