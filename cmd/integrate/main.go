// Command integrate runs declarative security integrations: see README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Ctrl-C and SIGTERM cancel the run: what was fetched is kept and the run is
	// recorded as partial, rather than the process dying mid-page.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := newCLI(os.Stdin, os.Stdout, os.Stderr, os.Environ()).RunContext(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
