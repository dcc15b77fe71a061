package jobs_test

import (
	"context"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"paniers/jobs"
	"paniers/planner"
	"paniers/planner/sheets"
)

var updateREADME = flag.Bool("update", false, "rewrite the samples of README.md")

// TestREADME keeps the samples of README.md equal to the documents of the
// demo week as the jobs plan it (the demo at the fixture's clock, seed 1):
// the first delivery round's sheet and a relay point's pick-up list. Run
// with -update to rewrite them.
func TestREADME(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	f.clock.set(afterOrders)
	res, err := jobs.PlanWeek(ctx, f.deps, f.week, 1)
	if err != nil {
		t.Fatal(err)
	}
	in, _, err := jobs.DocumentInput(ctx, f.st, f.week, 0)
	if err != nil {
		t.Fatal(err)
	}
	round := -1
	for i, r := range res.Plan.Rounds {
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
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for name, want := range samples {
		re := regexp.MustCompile(`(?s)(<!-- sample:` + name + ` -->\n).*?(\n<!-- /sample -->)`)
		if !re.MatchString(readme) {
			t.Fatalf("README.md has no sample:%s block", name)
		}
		readme = re.ReplaceAllLiteralString(readme, "<!-- sample:"+name+" -->\n"+want+"\n<!-- /sample -->")
	}
	if *updateREADME {
		if err := os.WriteFile("README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if readme != string(b) {
		t.Error("README.md samples are stale: go test ./jobs -run TestREADME -update")
	}
}
