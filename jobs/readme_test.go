package jobs_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"paniers/jobs"
	"paniers/planner"
	"paniers/planner/sheets"
)

var updateREADME = flag.Bool("update", false, "rewrite the samples of the top README.md")

// readmeInput is where TestREADME keeps the documents' input of the demo
// week, so the samples follow the renderer but not every change of the
// planner.
const readmeInput = "testdata/readme-input.json"

// readmeFile is the top README, whose "Printed documents" section shows the
// samples to a newcomer.
const readmeFile = "../README.md"

// TestREADME keeps the samples of README.md equal to the documents of the
// demo week: the first delivery round's sheet and a relay point's pick-up
// list. With -update it plans the demo (at the fixture's clock, seed 1)
// through the jobs, stores that input in testdata and rewrites the samples;
// without, it renders the stored input and compares.
func TestREADME(t *testing.T) {
	var in sheets.Input
	if *updateREADME {
		f := newFixture(t, "sqlite")
		ctx := context.Background()
		f.clock.Set(afterOrders)
		if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
			t.Fatal(err)
		}
		var err error
		if in, _, err = jobs.DocumentInput(ctx, f.st, f.week, 0); err != nil {
			t.Fatal(err)
		}
		b, err := json.MarshalIndent(in, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmeInput, b, 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		b, err := os.ReadFile(readmeInput)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &in); err != nil {
			t.Fatal(err)
		}
	}
	round := -1
	for i, r := range in.Plan.Rounds {
		if r.Kind == planner.RoundDelivery {
			round = i
			break
		}
	}
	if round < 0 {
		t.Fatal("the demo plan has no delivery round")
	}
	sheet, err := sheets.RoundSheet(in, round, sheets.FormatText)
	if err != nil {
		t.Fatal(err)
	}
	in.Sep = ';'
	pickup, err := sheets.PickupList(in, "relais-grenay", sheets.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	samples := map[string]string{
		"round-sheet": "```text\n" + string(sheet.Body) + "```",
		"pickup-csv":  "```csv\n" + strings.ReplaceAll(strings.TrimPrefix(string(pickup.Body), "\ufeff"), "\r\n", "\n") + "```",
	}
	b, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for name, want := range samples {
		re := regexp.MustCompile(`(?s)(<!-- sample:` + name + ` -->\n).*?(\n<!-- /sample -->)`)
		if !re.MatchString(readme) {
			t.Fatalf("%s has no sample:%s block", readmeFile, name)
		}
		readme = re.ReplaceAllLiteralString(readme, "<!-- sample:"+name+" -->\n"+want+"\n<!-- /sample -->")
	}
	if *updateREADME {
		if err := os.WriteFile(readmeFile, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if readme != string(b) {
		t.Errorf("%s samples are stale: go test ./jobs -run TestREADME -update", readmeFile)
	}
}
