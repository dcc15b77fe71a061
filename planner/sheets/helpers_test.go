package sheets

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pdfToText extracts a PDF's text with pdftotext -layout. Without the tool
// the test is skipped, except in CI (CI=true) where .ci/run installs it, so a
// missing tool there is a failure rather than a silent pass.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing in CI: .ci/run should have installed poppler-utils")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils): PDF text checks skipped")
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

// squeeze collapses runs of spaces, so a check does not depend on how
// pdftotext lays out columns.
func squeeze(s string) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		if c == ' ' || c == '\u00a0' {
			if !space {
				b.WriteRune(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(c)
	}
	return b.String()
}

// mustContain fails for each wanted string the text lacks.
func mustContain(t *testing.T, what, text string, want ...string) {
	t.Helper()
	sq := squeeze(text)
	for _, w := range want {
		if !strings.Contains(sq, squeeze(w)) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
	if t.Failed() {
		t.Logf("%s was:\n%s", what, text)
	}
}

// mustNotContain fails for each string the text has but should not.
func mustNotContain(t *testing.T, what, text string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(text, b) {
			t.Errorf("%s: should not contain %q", what, b)
		}
	}
}

// readCSV parses a CSV document with its separator, checking the byte order
// mark and that every row has the header's width.
func readCSV(t *testing.T, body []byte, sep rune) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatalf("csv: no byte order mark")
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	cr.Comma = sep
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, body)
	}
	if len(rows) < 2 {
		t.Fatalf("csv: %d rows", len(rows))
	}
	return rows
}

// col finds a header's index.
func col(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("csv: no column %q in %q", name, header)
	return -1
}

// pages counts a pdftotext output's pages (one form feed after each).
func pages(text string) int {
	return strings.Count(text, "\f")
}
