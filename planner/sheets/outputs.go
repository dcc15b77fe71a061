package sheets

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// oneLine makes a name safe for a line of text: control characters (line
// breaks, tabs) become spaces, so a hostile name cannot forge lines.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, c := range strings.ToValidUTF8(s, "?") {
		if unicode.IsControl(c) {
			c = ' '
		}
		b.WriteRune(c)
	}
	return b.String()
}

// padRight pads s with spaces to n characters.
func padRight(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

// padLeft right-aligns s in n characters.
func padLeft(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return strings.Repeat(" ", n-k) + s
	}
	return s
}

// text builds a plain text document.
type text struct {
	bytes.Buffer
}

// line writes one line, its values cleaned of line breaks by the caller.
func (t *text) line(format string, args ...any) {
	fmt.Fprintf(t, format, args...)
	t.WriteByte('\n')
}

// rule writes a horizontal rule.
func (t *text) rule(c string) {
	t.line("%s", strings.Repeat(c, 72))
}

// tableText lays out rows of cells in columns, cells right-aligned where
// right[i] is set, each row indented.
func tableText(t *text, indent string, right []bool, rows [][]string) {
	widths := make([]int, len(right))
	for _, row := range rows {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], min(utf8.RuneCountInString(c), 40))
			}
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			switch {
			case i < len(right) && right[i]:
				b.WriteString(padLeft(c, widths[i]))
			case i == len(row)-1 || i >= len(widths):
				b.WriteString(c)
			default:
				b.WriteString(padRight(c, widths[i]))
			}
		}
		t.line("%s", strings.TrimRight(b.String(), " "))
	}
}

// csvOut builds a CSV document.
type csvOut struct {
	buf bytes.Buffer
	w   *csv.Writer
}

// newCSV starts a CSV with a byte order mark and its header row.
func (r *renderer) newCSV(header ...string) *csvOut {
	c := &csvOut{}
	c.buf.WriteString("\ufeff")
	c.w = csv.NewWriter(&c.buf)
	c.w.Comma = r.sep
	c.w.UseCRLF = true
	c.row(header...)
	return c
}

// row writes a row; text from users must go through cell first.
func (c *csvOut) row(cells ...string) {
	_ = c.w.Write(cells) // Errors stick in the writer and come out of bytes.
}

func (c *csvOut) bytes() ([]byte, error) {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return nil, fmt.Errorf("sheets: csv: %w", err)
	}
	return c.buf.Bytes(), nil
}

// cell makes text from users safe in a spreadsheet: a cell that starts like a
// formula ('=', '+', '-', '@', tab, carriage return) is prefixed with a quote
// mark, so the program shows it instead of running it.
func cell(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
