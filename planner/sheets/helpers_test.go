package sheets

import (
	"strings"
	"testing"

	"paniers/internal/testdoc"
)

// pdfToText extracts a PDF's text (testdoc.PDFText).
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	return testdoc.PDFText(t, pdf)
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

// readCSV parses a CSV document (testdoc.ReadCSV).
func readCSV(t *testing.T, body []byte, sep rune) [][]string {
	t.Helper()
	return testdoc.ReadCSV(t, body, sep)
}

// col finds a header's index.
func col(t *testing.T, header []string, name string) int {
	t.Helper()
	return testdoc.Col(t, header, name)
}

// pages counts a pdftotext output's pages (one form feed after each).
func pages(text string) int {
	return strings.Count(text, "\f")
}
