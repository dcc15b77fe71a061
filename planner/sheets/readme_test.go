package sheets

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the samples in README.md (and its picture when pdftoppm is installed)")

// samples are the README's generated blocks, by marker name, rendered from
// testdata so the README shows what the code prints today.
func samples(t *testing.T) map[string]string {
	in := fixture(t)
	round := render(t, in, KindRoundSheet, "1", FormatText)
	pickup := render(t, in, KindPickupList, "relais-centre", FormatCSV)
	in.Sep = ';'
	pickupFR := render(t, in, KindPickupList, "relais-centre", FormatCSV)
	return map[string]string{
		"round-sheet":    "```text\n" + string(round.Body) + "```\n",
		"pickup-csv":     "```csv\n" + strings.TrimPrefix(string(pickup.Body), "\ufeff") + "```\n",
		"pickup-csv-sep": "```csv\n" + strings.TrimPrefix(string(pickupFR.Body), "\ufeff") + "```\n",
	}
}

var sampleRE = regexp.MustCompile(`(?s)(<!-- sample:([a-z-]+) -->\n).*?(<!-- /sample -->)`)

// TestREADME fails when the README's samples are not what the code renders;
// go test ./planner/sheets -run TestREADME -update rewrites them.
func TestREADME(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := samples(t)
	seen := map[string]bool{}
	out := sampleRE.ReplaceAllStringFunc(string(b), func(m string) string {
		g := sampleRE.FindStringSubmatch(m)
		seen[g[2]] = true
		return g[1] + strings.ReplaceAll(want[g[2]], "\r\n", "\n") + g[3]
	})
	for k := range want {
		if !seen[k] {
			t.Errorf("README.md has no sample %q", k)
		}
	}
	if *update {
		if err := os.WriteFile("README.md", []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		writePicture(t)
		return
	}
	if out != string(b) {
		t.Error("README.md samples are stale: go test ./planner/sheets -run TestREADME -update")
	}
}

// writePicture renders the pick-up list's first page as the README's picture.
func writePicture(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Log("pdftoppm not installed: picture not updated")
		return
	}
	d := render(t, fixture(t), KindPickupList, "relais-centre", FormatPDF)
	pdf := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(pdf, d.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, "testdata/pickup-list").CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
}
