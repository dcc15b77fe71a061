package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRunDispatch checks run's own answers: "help", "-h" and "--help"
// print the usage (every subcommand on a line of its own) on standard
// output with exit 0; an unknown command is named on standard error with the
// usage and exit 2.
func TestRunDispatch(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		code       int
		stdout     string
		stderr     string
		noStdout   bool
		noStderror bool
	}{
		{args: []string{"help"}, code: 0, stdout: "usage: paniers [command] [flags]", noStderror: true},
		{args: []string{"--help"}, code: 0, stdout: "usage: paniers [command] [flags]", noStderror: true},
		{args: []string{"-h"}, code: 0, stdout: "usage: paniers [command] [flags]", noStderror: true},
		{args: []string{"frobnicate"}, code: 2, stderr: "paniers: unknown command \"frobnicate\"\nusage: paniers", noStdout: true},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) || (tc.noStdout && stdout.Len() > 0) {
				t.Errorf("stdout %q, want it to hold %q", stdout.String(), tc.stdout)
			}
			if !strings.Contains(stderr.String(), tc.stderr) || (tc.noStderror && stderr.Len() > 0) {
				t.Errorf("stderr %q, want it to hold %q", stderr.String(), tc.stderr)
			}
			if tc.code == 0 {
				for _, cmd := range []string{"serve", "plan", "vrp"} {
					n := 0
					for _, l := range strings.Split(stdout.String(), "\n") {
						if f := strings.Fields(l); len(f) > 1 && f[0] == cmd {
							n++
						}
					}
					if n != 1 {
						t.Errorf("usage has %d lines for %s, want one:\n%s", n, cmd, stdout.String())
					}
				}
			}
		})
	}
}
