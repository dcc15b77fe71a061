package cli

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCurve checks the best-so-far gaps of a list of found solutions at
// checkpoints: none before the first, the least cost found by each
// checkpoint after, and a solution reported past the last checkpoint
// counted at the last.
func TestCurve(t *testing.T) {
	ms := time.Millisecond
	events := []found{{15 * ms, 130}, {40 * ms, 120}, {41 * ms, 125}, {90 * ms, 110}, {260 * ms, 105}}
	got := curve(events, []time.Duration{10 * ms, 20 * ms, 50 * ms, 100 * ms, 250 * ms}, 100)
	want := []float64{math.NaN(), 30, 20, 10, 5}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("curve %v, want %v", got, want)
		}
	}
}

// TestVRPBenchAnytime runs the harness with checkpoints on generated
// instances: each instance's curve never rises, its first checkpoints may
// have no solution yet but its last equals the final result, and the
// table gives one column per checkpoint, with the CPU clock too.
func TestVRPBenchAnytime(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "cvrp/A"), 0o755); err != nil {
		t.Fatal(err)
	}
	a := writeCVRP(t, filepath.Join(root, "cvrp/A"), "T-n61", genNodes(60, 3, false), 60)
	b := writeCVRP(t, filepath.Join(root, "cvrp/A"), "T-n81", genNodes(80, 4, false), 50)
	bks := "instance,set,n_customers,capacity,best_known_cost,optimal,bks_vehicles,objective,distance_convention\n" +
		"T-n61,A,60,60,500,no,2,distance,EUC_2D nint\n" +
		"T-n81,A,80,50,600,no,2,distance,EUC_2D nint\n"
	if err := os.WriteFile(filepath.Join(root, "bks.csv"), []byte(bks), 0o644); err != nil {
		t.Fatal(err)
	}
	checks := "1us,20ms,50ms,100ms,300ms"
	for _, cpu := range []bool{false, true} {
		if cpu && !cpuClockWorks() {
			continue
		}
		args := []string{"vrp", "--bench", root, "--set", "A", "--anytime", checks, "--workers", "2"}
		if cpu {
			args = append(args, "--cpu-clock")
		}
		cfg, err := parseVRPFlags(args[1:], &strings.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.timeLimit != 300*time.Millisecond || len(cfg.anytime) != 5 {
			t.Fatalf("time limit %v, checkpoints %v", cfg.timeLimit, cfg.anytime)
		}
		bk, err := readBKS(filepath.Join(root, "bks.csv"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{a, b} {
			row := benchOne(t.Context(), path, bk, cfg)
			if row.err != nil {
				t.Fatal(row.err)
			}
			c := row.curve
			if len(c) != 5 || math.IsNaN(c[4]) {
				t.Fatalf("%s: curve %v", row.name, c)
			}
			// No solution comes within a microsecond: building the instance alone
			// takes longer.
			if !math.IsNaN(c[0]) {
				t.Errorf("%s: a solution within 1 µs: curve %v", row.name, c)
			}
			for i := 1; i < len(c); i++ {
				if !math.IsNaN(c[i-1]) && c[i] > c[i-1] {
					t.Errorf("%s: the gap rises from %v to %v at checkpoint %d: %v", row.name, c[i-1], c[i], i, c)
				}
			}
			if c[4] != row.gap {
				t.Errorf("%s: last checkpoint %v %%, final result %v %%", row.name, c[4], row.gap)
			}
		}
		code, out, errOut := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s\n%s", code, errOut, out)
		}
		for _, want := range []string{"| set | instances | 0.000001 s | 0.02 s | 0.05 s | 0.1 s | 0.3 s |", "| A | 2 | none |"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	}
}

// TestAnytimeFlags checks the rejected --anytime values.
func TestAnytimeFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--bench", "x", "--anytime", "1s,0.5s"}, "increasing order"},
		{[]string{"--bench", "x", "--anytime", "1s,soon"}, `"soon" is not a duration`},
		{[]string{"--bench", "x", "--anytime", "0s"}, "not positive"},
		{[]string{"--bench", "x", "--anytime", "1s", "--time-limit", "2s"}, "give no --time-limit"},
		{[]string{"f.vrp", "--anytime", "1s"}, "only with --bench"},
	} {
		if _, err := parseVRPFlags(tt.args, &strings.Builder{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
		}
	}
	if cfg, err := parseVRPFlags([]string{"--bench", "x", "--anytime", "100ms, 2s"}, &strings.Builder{}); err != nil ||
		!slices.Equal(cfg.anytime, []time.Duration{100 * time.Millisecond, 2 * time.Second}) || cfg.timeLimit != 2*time.Second {
		t.Errorf("100ms, 2s: %v, %v", cfg.anytime, err)
	}
}
