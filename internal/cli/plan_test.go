package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paniers/planner"
)

const smallScenario = "../../planner/testdata/small.json"

// TestPlanCommand runs "paniers plan" through run, as the binary would.
func TestPlanCommand(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"week": "w", "orders": [{"id": "o1", "site": "nulle-part", "class": "vip"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.json")
	if err := os.WriteFile(garbage, []byte(`{"week": `), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string
		stderr     []string
		jsonOutput bool
	}{
		{"json without rounds", []string{"plan", "--scenario", smallScenario, "--no-rounds"}, 0,
			[]string{`"week": "2026-W49"`, `"rounds": []`, "offre insuffisante : 40 kg offerts, 45 kg demandés par les cantines"}, nil, true},
		{"json with rounds", []string{"plan", "--scenario", smallScenario, "--seed", "3"}, 0,
			[]string{`"kind": "delivery"`, `"vehicles_used": 1`}, nil, true},
		{"text in French", []string{"plan", "--scenario", smallScenario, "--format", "text", "--no-rounds"}, 0,
			[]string{"Taux de service", "cantines", "Manques", "Invendus", "Contenu des paniers"}, nil, false},
		{"text in English", []string{"plan", "--scenario", smallScenario, "--format", "text", "--lang", "en"}, 0,
			[]string{"Fill rate", "Shortfalls", "short supply: 40 kg offered", "Rounds"}, nil, false},
		{"invalid scenario", []string{"plan", "--scenario", broken}, 1, nil,
			[]string{"scénario invalide", "orders[0].site", "orders[0].class"}, false},
		{"invalid scenario in English", []string{"plan", "--scenario", broken, "--lang", "en"}, 1, nil,
			[]string{"invalid scenario", `unknown site "nulle-part"`}, false},
		{"malformed JSON", []string{"plan", "--scenario", garbage}, 1, nil, []string{"truncated JSON"}, false},
		{"missing file", []string{"plan", "--scenario", filepath.Join(dir, "absent.json")}, 1, nil, []string{"absent.json"}, false},
		{"no scenario", []string{"plan"}, 2, nil, []string{"--scenario FILE is required"}, false},
		{"bad format", []string{"plan", "--scenario", smallScenario, "--format", "pdf"}, 2, nil, []string{"--format must be json or text"}, false},
		{"bad language", []string{"plan", "--scenario", smallScenario, "--lang", "de"}, 2, nil, []string{"--lang must be fr or en"}, false},
		{"scenario and week", []string{"plan", "--scenario", smallScenario, "--week", "2026-W49"}, 2, nil, []string{"not both"}, false},
		{"effort", []string{"plan", "--scenario", smallScenario, "--effort", "2"}, 0,
			[]string{`"kind": "delivery"`}, nil, true},
		{"effort zero", []string{"plan", "--scenario", smallScenario, "--effort", "0"}, 2, nil, []string{`--effort "0": want a whole number from 1 to 64`}, false},
		{"effort not a number", []string{"plan", "--scenario", smallScenario, "--effort", "beaucoup"}, 2, nil, []string{`--effort "beaucoup"`}, false},
		{"stray argument", []string{"plan", "--scenario", smallScenario, "extra"}, 2, nil, []string{"unexpected argument"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, errOut.String())
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
				}
			}
			if tt.jsonOutput {
				var p planner.Plan
				if err := json.Unmarshal(out.Bytes(), &p); err != nil {
					t.Fatalf("stdout is not a plan: %v", err)
				}
				if len(p.Allocations) == 0 || p.Summary.FillRate[planner.ClassCanteen] == 0 {
					t.Errorf("plan has no allocations or canteen fill rate: %+v", p.Summary)
				}
			}
		})
	}
}

// TestPlanCommandDeterministic checks that two runs print the same bytes
// (rule 9), rounds included, and that the output file written from them
// parses back.
func TestPlanCommandDeterministic(t *testing.T) {
	var a, b, errOut bytes.Buffer
	args := []string{"plan", "--scenario", smallScenario}
	if run(context.Background(), args, &a, &errOut) != 0 || run(context.Background(), args, &b, &errOut) != 0 {
		t.Fatalf("plan failed: %s", errOut.String())
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs with the same seed print different plans")
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, a.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p planner.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.Week != "2026-W49" {
		t.Errorf("week %q", p.Week)
	}
}

// TestPlanCommandStdin reads the scenario from standard input ("-").
func TestPlanCommandStdin(t *testing.T) {
	f, err := os.Open(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"plan", "--scenario", "-", "--no-rounds", "--format", "text"}, &out, &errOut); code != 0 {
		t.Fatalf("exit code %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "Plan de la semaine 2026-W49") {
		t.Errorf("unexpected output:\n%s", out.String())
	}
}
