package main

// Exit codes, documented in the README and in `integrate --help`.
const (
	exitOK      = 0 // success; plan and check passed
	exitFailed  = 1 // the run failed or was partial, or the check failed
	exitUsage   = 2 // bad flags or arguments
	exitInvalid = 3 // the definition or its config is invalid
)

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func exitWith(code int, msg string) error { return &exitError{code: code, msg: msg} }
