package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const badPagination = `integration "x" {
  http { base_url = "https://api.example.com" }
  stream "s" {
    request { path = "/items" }
    paginate "cursr" {}
    records = ".[]"
    asset   = "{key: .id, class: \"host\"}"
  }
}
`

// TestExitCodes pins the documented exit codes and the first words of each message.
func TestExitCodes(t *testing.T) {
	bad := writeFile(t, "bad.hcl", badPagination)
	cs := repoPath("definitions", "crowdstrike.hcl")
	gh := repoPath("definitions", "github.hcl")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"version", []string{"version"}, exitOK, "integrate ", ""},
		{"validate ok", []string{"validate", repoPath("definitions")}, exitOK, "crowdstrike.hcl: valid", ""},
		{"validate bad", []string{"validate", bad}, exitInvalid, "1 error", `bad.hcl:5:14: error: Unsupported pagination kind`},
		{"validate bad shows the line", []string{"validate", bad}, exitInvalid, "", `5 |     paginate "cursr" {}`},
		{"validate suggests", []string{"validate", bad}, exitInvalid, "", `Did you mean "cursor"?`},
		{"validate missing file", []string{"validate", "nope.hcl"}, exitUsage, "", "nope.hcl: no such file"},
		{"unknown flag", []string{"run", "--frobnicate", cs}, exitUsage, "", "unknown flag: --frobnicate"},
		{"missing arg", []string{"run"}, exitUsage, "", "accepts 1 arg"},
		{"missing config, all reported", []string{"run", gh}, exitInvalid, "", `required config "token"`},
		{"missing config, all reported 2", []string{"run", gh}, exitInvalid, "", `required config "org"`},
		{"undeclared var", []string{"plan", cs, "--mock", "--var", "clientid=x"}, exitInvalid, "", `Did you mean "client_id"?`},
		{"not allowed", []string{"plan", cs, "--mock", "--var", "region=us-3"}, exitInvalid, "", `must be one of "us-1"`},
		{"validation rule", []string{"plan", cs, "--mock", "--var", "page_size=0"}, exitInvalid, "", "page_size must be between 1 and 10000"},
		{"mistyped number", []string{"plan", cs, "--mock", "--var", "page_size=lots"}, exitInvalid, "", `"lots" is not a number: config "page_size" (declared at`},
		{"plan ok", []string{"plan", cs, "--mock"}, exitOK, "No request was made", ""},
		{"check pass", []string{"check", cs, "--mock"}, exitOK, "PASS  crowdstrike", ""},
		{"check wrong secret", []string{"check", cs, "--mock", "--var", "client_secret=wrong-secret-123"}, exitFailed, "Failed to issue access token - Not Authorized", ""},
		{"check missing scope", []string{"check", cs, "--mock", "--var", "client_id=mock-client-id-noscope"}, exitFailed, "lack a permission or scope", ""},
		{"bad fault spec", []string{"run", cs, "--mock", "--mock-faults", "boom=1"}, exitUsage, "", "--mock-faults"},
		{"unknown stream", []string{"run", gh, "--mock", "--stream", "repositores"}, exitUsage, "", `did you mean "repositories"?`},
		{"bad log level", []string{"run", cs, "--mock", "--log-level", "loud"}, exitUsage, "", "--log-level"},
		{"run missing file", []string{"run", "nope.hcl"}, exitUsage, "", "nope.hcl: no such file"},
		{"mock flags need --mock", []string{"run", cs, "--mock-records", "5"}, exitUsage, "", "need --mock"},
		{"negative mock records", []string{"run", cs, "--mock", "--mock-records", "-3"}, exitUsage, "", "--mock-records must be"},
		{"fault twice", []string{"run", cs, "--mock", "--mock-faults", "drop=2,drop=3"}, exitUsage, "", "drop is given twice"},
		{"negative timeout", []string{"run", cs, "--mock", "--timeout", "-5s"}, exitUsage, "", "--timeout must be"},
		{"diff bad format is 1, not 2", []string{"diff", cs, cs, "--format", "html"}, exitFailed, "", `--format "html"`},
		{"diff unknown flag is 1, not 2", []string{"diff", cs, cs, "--frobnicate"}, exitFailed, "", "unknown flag"},
		{"diff no change", []string{"diff", cs, cs}, exitOK, "0 added, 0 changed, 0 removed", ""},
		{"plan replay needs no credentials", []string{"plan", cs, "--replay", repoPath("definitions", "testdata", "crowdstrike", "mock"), "--inventory", "/nonexistent/inv.db"}, exitOK, "Plan: 230 to add, 0 to change, 0 to remove.", ""},
		{"plan mock uses no real inventory", []string{"plan", cs, "--mock", "--changes"}, exitOK, "Changes against an empty inventory", ""},
		{"check says mock", []string{"check", cs, "--mock"}, exitOK, "(the built-in mock)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

// TestNoSecretInAnyOutput runs every command on every shipped definition with debug
// logs in both formats and searches all output for the secrets used.
func TestNoSecretInAnyOutput(t *testing.T) {
	secrets := []string{
		"mock-client-secret-do-not-use-0123456789", "ghp_mockTokenDoNotUse0123456789abcdefABCD",
		"ATATTmockApiTokenDoNotUse0123456789", "mock-password-do-not-use-0123", "wrong-secret-123",
	}
	for _, def := range shippedDefinitions(t) {
		for _, cmd := range [][]string{
			{"plan"}, {"plan", "--json"}, {"check", "--log-level", "debug"},
			{"run", "--log-level", "debug", "--mock-faults", "default"},
			{"run", "--log-level", "debug", "--log-format", "json"},
		} {
			args := append([]string{cmd[0], def, "--mock"}, cmd[1:]...)
			t.Run(vendorOf(def)+"/"+strings.Join(cmd, "_"), func(t *testing.T) {
				t.Parallel()
				stdout, stderr, _ := runCLI(t, nil, args...)
				for _, s := range secrets {
					if strings.Contains(stdout, s) || strings.Contains(stderr, s) {
						t.Errorf("secret %q leaked", s)
					}
				}
				if strings.Contains(stderr, "Bearer ey") || strings.Contains(stderr, "Basic ") && !strings.Contains(stderr, "(sensitive)") {
					t.Errorf("a credential header reached the logs:\n%s", stderr)
				}
			})
		}
	}
	// A wrong secret given by the user must not be echoed by a failing check either.
	stdout, stderr, _ := runCLI(t, nil, "check", repoPath("definitions", "crowdstrike.hcl"), "--mock", "--var", "client_secret=wrong-secret-123", "--log-level", "debug")
	if strings.Contains(stdout+stderr, "wrong-secret-123") {
		t.Errorf("the wrong secret leaked:\n%s\n%s", stdout, stderr)
	}
}

// TestNoSecretInScenarios records every shipped definition from its mock, with the
// secrets given, and searches every file written for them.
func TestNoSecretInScenarios(t *testing.T) {
	secrets := []string{"mock-client-secret-do-not-use-0123456789", "ghp_mockTokenDoNotUse0123456789abcdefABCD",
		"ATATTmockApiTokenDoNotUse0123456789", "mock-password-do-not-use-0123"}
	for _, def := range shippedDefinitions(t) {
		dir := t.TempDir()
		stdout, stderr, code := runCLI(t, nil, "record", def, "--mock", "--out", dir, "--log-level", "debug")
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s", def, code, stderr)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 2 {
			t.Errorf("%s: wrote %d files, want scenario.json and golden.jsonl", def, len(entries))
		}
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			for _, s := range secrets {
				if strings.Contains(string(b), s) || strings.Contains(stdout+stderr, s) {
					t.Errorf("%s: secret %q in %s or the output", def, s, e.Name())
				}
			}
			if strings.Contains(string(b), "Basic ") || strings.Contains(string(b), "Bearer ") {
				t.Errorf("%s: a credential header value in %s", def, e.Name())
			}
		}
	}
}
