// Package testdoc reads documents back as their readers would, for tests
// of several packages: a PDF's text through pdftotext -layout, a CSV with
// its byte order mark and separator, a CSV column by its header.
package testdoc

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"testing"
)

// PDFText extracts a PDF's text with pdftotext -layout (UTF-8). Without the
// tool the test is skipped, except in CI (CI=true) where .ci/run installs
// it, so a missing tool there is a failure rather than a silent pass.
func PDFText(t testing.TB, pdf []byte) string {
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
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return string(out)
}

// ReadCSV parses a CSV document with its separator, checking the byte
// order mark and that every row has the header's width (at least a header
// and one row).
func ReadCSV(t testing.TB, body []byte, sep rune) [][]string {
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

// Col finds a header's column; the test fails when there is none.
func Col(t testing.TB, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("csv: no column %q in %q", name, header)
	return -1
}
