package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run this test binary as the real `integrate` command, in
// its own process, with its real exit code and streams.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"integrate": func() { os.Exit(newCLI(os.Stdin, os.Stdout, os.Stderr, os.Environ()).Run(os.Args[1:])) },
	})
}

// TestScripts runs testdata/script/*.txtar, named <subcommand>_<what>.txtar.
// TESTSCRIPT_UPDATE=1 rewrites cmp golden sections.
func TestScripts(t *testing.T) {
	defs, err := filepath.Abs(repoPath("definitions"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("testdata", "script"),
		UpdateScripts: os.Getenv("TESTSCRIPT_UPDATE") != "",
		Setup: func(env *testscript.Env) error {
			env.Setenv("DEFS", defs)
			env.Setenv("INTEGRATE_NOW", "2026-01-01T00:00:00Z")
			return nil
		},
	})
}
