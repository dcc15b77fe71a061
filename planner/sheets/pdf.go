package sheets

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
)

// A document whose text fits cp1252 (French, English, most of Western
// Europe: é, œ, €, —) is drawn with fpdf's core font Helvetica, which costs
// nothing to load and is not embedded. A document with a character cp1252
// lacks (Polish names of the area such as Łukasz or Wiśniewski, arrows) is
// drawn again with DejaVu Sans Condensed (fonts/LICENSE: free to
// redistribute), embedded. Only those pay for it: fpdf parses the whole
// 680 kB TTF for every document it is added to (about 17 MB and 25 ms) and
// has no way to reuse a parsed font, though it embeds only the glyphs used.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

const (
	pdfCore    = "helvetica" // fpdf's core font, cp1252
	pdfUnicode = "dejavu"    // the embedded TTF, the rest of Unicode
	pdfMargin  = 15.0        // mm on every side
	pdfFooter  = 12.0        // mm kept at the bottom for the footer
	pdfLineH   = 4.6         // mm per line of table text at pdfSize
	pdfSize    = 9.0         // pt, table text
	pdfPad     = 1.2         // mm of padding inside a table cell
	pdfTickBox = 3.6         // mm, side of a box to tick
)

// pdfDoc is an A4 document being written.
type pdfDoc struct {
	f     *fpdf.Fpdf
	r     *renderer
	font  string  // family of every SetFont: pdfCore or pdfUnicode
	width float64 // usable width
	limit float64 // lowest y a line may end at
	// wide is set when a text given to a core-font document had a
	// character cp1252 lacks: the document is drawn again with DejaVu.
	wide bool
}

// pdf draws a document titled title with draw, first with the core font,
// again with DejaVu when some text needed it (see pdfCore), and returns its
// bytes. draw must only draw: it may run twice.
func (r *renderer) pdf(title string, draw func(d *pdfDoc)) ([]byte, error) {
	d := r.newPDF(title, pdfCore)
	if !d.wide {
		draw(d)
	}
	if d.wide {
		d = r.newPDF(title, pdfUnicode)
		draw(d)
	}
	return d.bytes()
}

// newPDF starts an A4 portrait document in the font family font, whose
// metadata and dates come from the week, so the same input gives the same
// bytes.
func (r *renderer) newPDF(title, font string) *pdfDoc {
	f := fpdf.New("P", "mm", "A4", "")
	doc := &pdfDoc{f: f, r: r, font: font}
	d := r.docDate()
	f.SetCreationDate(d)
	f.SetModificationDate(d)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.AliasNbPages("{nb}")
	if font == pdfUnicode {
		f.AddUTF8FontFromBytes(pdfUnicode, "", fontRegular)
		f.AddUTF8FontFromBytes(pdfUnicode, "B", fontBold)
	}
	f.SetTitle(pdfText(title), true)
	f.SetAuthor("paniers", true)
	f.SetCreator("paniers", true)
	f.SetProducer("paniers", true)
	f.SetLang(r.w.PDFLang)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetCellMargin(0) // Tables pad their cells themselves.
	f.SetAutoPageBreak(false, pdfFooter+pdfMargin/2)
	footer := doc.text(title)
	pageWord := doc.text(r.w.Page)
	f.SetFooterFunc(func() {
		f.SetY(-pdfFooter)
		f.SetFont(font, "", 7.5)
		f.SetTextColor(90, 90, 90)
		w, _ := f.GetPageSize()
		f.CellFormat((w-2*pdfMargin)*0.75, 5, doc.out(doc.fit(footer, (w-2*pdfMargin)*0.75)), "T", 0, "L", false, 0, "")
		f.CellFormat((w-2*pdfMargin)*0.25, 5, doc.out(fmt.Sprintf("%s %d/{nb}", pageWord, f.PageNo())), "T", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	w, h := f.GetPageSize()
	doc.width, doc.limit = w-2*pdfMargin, h-pdfFooter-3
	return doc
}

// pdfText makes a string printable with the embedded fonts: fpdf indexes
// glyph widths by rune up to U+FFFF only, so runes beyond (emoji) become '?',
// and control characters become spaces. Line breaks are kept for wrap.
func pdfText(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n':
			return c
		case c > 0xFFFF || c == unicode.ReplacementChar || (c >= 0xD800 && c <= 0xDFFF):
			return '?'
		case unicode.IsControl(c):
			return ' '
		}
		return c
	}, strings.ToValidUTF8(s, "?"))
}

// text makes s printable in the document's font (pdfText). For the core
// font each character becomes the rune numbered as its cp1252 byte, since
// fpdf's SplitText and width tables index core fonts that way; out gives the
// bytes to print. A character cp1252 lacks becomes '?' and sets d.wide.
func (d *pdfDoc) text(s string) string {
	s = pdfText(s)
	if d.font != pdfCore {
		return s
	}
	return strings.Map(func(c rune) rune {
		b, ok := charmap.Windows1252.EncodeRune(c)
		if !ok {
			d.wide = true
			return '?'
		}
		return rune(b)
	}, s)
}

// out turns text made by d.text into the string fpdf prints and measures:
// itself with DejaVu, its cp1252 bytes with the core font.
func (d *pdfDoc) out(s string) string {
	if d.font != pdfCore {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, c := range s {
		b = append(b, byte(c))
	}
	return string(b)
}

// fit cuts s, made by d.text, with an ellipsis to fit width w in the
// current font.
func (d *pdfDoc) fit(s string, w float64) string {
	if d.f.GetStringWidth(d.out(s)) <= w-2 {
		return s
	}
	dots := d.text("…")
	rs := []rune(s)
	for len(rs) > 0 && d.f.GetStringWidth(d.out(string(rs)+dots)) > w-2 {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + dots
}

// ensure starts a new page unless h mm still fit on this one.
func (d *pdfDoc) ensure(h float64) {
	if d.f.GetY()+h > d.limit {
		d.f.AddPage()
	}
}

// title writes the document's title block: a big title and lines under it.
func (d *pdfDoc) title(title string, lines ...string) {
	f := d.f
	f.SetFont(d.font, "B", 15)
	for _, l := range f.SplitText(d.text(title), d.width) {
		f.CellFormat(d.width, 7, d.out(l), "", 1, "L", false, 0, "")
	}
	f.SetFont(d.font, "", 10)
	for _, l := range lines {
		d.para(l)
	}
	f.Ln(2)
}

// para writes wrapped text at 10 pt.
func (d *pdfDoc) para(s string) { d.wrapped(s, 10, 5) }

// wrapped writes s wrapped to the page's width at size pt, lineH mm a line.
func (d *pdfDoc) wrapped(s string, size, lineH float64) {
	f := d.f
	f.SetFont(d.font, "", size)
	for _, l := range wrap(f, d.text(s), d.width) {
		d.ensure(lineH)
		f.CellFormat(d.width, lineH, d.out(l), "", 1, "L", false, 0, "")
	}
}

// heading writes a section heading, kept with at least a few lines after it.
func (d *pdfDoc) heading(s string) {
	f := d.f
	f.Ln(2)
	d.ensure(7 + 4*pdfLineH)
	f.SetFont(d.font, "B", 11.5)
	f.CellFormat(d.width, 7, d.out(d.fit(d.text(s), d.width)), "", 1, "L", false, 0, "")
}

// wrap splits text into lines that fit w mm in the current font, keeping
// explicit line breaks.
func wrap(f *fpdf.Fpdf, s string, w float64) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		ls := f.SplitText(p, w)
		if len(ls) == 0 {
			ls = []string{""}
		}
		out = append(out, ls...)
	}
	return out
}

// column of a table: a header, a share of the width, an alignment ("L",
// "R", "C"); a tick column draws a box to tick instead of text; a lead
// column prints the first line of a shaded row's cell in bold (a stop's name
// above its address). A whole column never wraps a line of its cells (a
// number, a time, a duration): a line too wide for it is printed in a
// smaller size instead, so "11" or "2 h 12 min" is never cut in two.
type column struct {
	Head  string
	W     float64
	Align string
	Tick  bool
	Lead  bool
	Whole bool
}

// row of a table: its cells; Strong prints it bold on a tinted background
// (a group's first row or a total); NoTick leaves tick columns empty; MinH is
// a height in mm the row keeps at least (room to sign). Keep moves a row
// that does not fit what is left of the page to the next one whole (when it
// fits a page). Cont, when set, replaces the row's cells where it has text
// if the row is the first of a page: a group's later row then names its
// group ("11. Relais de Lens (suite)").
type row struct {
	Cells  []string
	Strong bool
	Shade  bool
	NoTick bool
	MinH   float64
	Keep   bool
	Cont   []string
}

// table draws rows under a header repeated at the top of every page. A row
// taller than what is left of a page continues on the next one.
func (d *pdfDoc) table(cols []column, rows []row) {
	f := d.f
	total := 0.0
	for _, c := range cols {
		total += c.W
	}
	ws := make([]float64, len(cols))
	for i, c := range cols {
		ws[i] = c.W / total * d.width
	}
	header := func() {
		f.SetFont(d.font, "B", pdfSize)
		f.SetFillColor(225, 225, 225)
		n := 1
		heads := make([][]string, len(cols))
		for i, c := range cols {
			if c.Whole || c.Tick {
				heads[i] = []string{d.text(capFirst(c.Head))} // shrunk to fit, never cut
			} else {
				heads[i] = wrap(f, d.text(capFirst(c.Head)), ws[i]-2*pdfPad)
			}
			n = max(n, len(heads[i]))
		}
		h := float64(n)*pdfLineH + 2*pdfPad
		x, y := f.GetX(), f.GetY()
		for i := range cols {
			f.Rect(x, y, ws[i], h, "FD")
			for k, l := range heads[i] {
				f.SetXY(x+pdfPad, y+pdfPad+float64(k)*pdfLineH)
				d.cellLine(l, ws[i]-2*pdfPad, cols[i].Align, cols[i].Whole || cols[i].Tick)
			}
			x += ws[i]
		}
		f.SetXY(pdfMargin, y+h)
	}
	d.ensure(3 * pdfLineH)
	header()
	pageTop := true // no row drawn yet under this page's header
	for _, rw := range rows {
		style := ""
		if rw.Strong {
			style = "B"
		}
		cells, bold, n := d.layoutRow(cols, ws, rw, rw.Cells, style)
		room := int((d.limit - f.GetY() - 2*pdfPad) / pdfLineH)
		pageLines := int((d.limit - d.tableTop() - 2*pdfPad) / pdfLineH)
		if room < min(n, 2) || (rw.Keep && room < n && n <= pageLines) {
			f.AddPage()
			header()
			pageTop = true
		}
		if pageTop && rw.Cont != nil {
			merged := append([]string(nil), rw.Cells...)
			for i, c := range rw.Cont {
				for len(merged) <= i {
					merged = append(merged, "")
				}
				if c != "" {
					merged[i] = c
				}
			}
			cells, bold, n = d.layoutRow(cols, ws, rw, merged, style)
		}
		pageTop = false
		for done := 0; done < n; {
			room := int((d.limit - f.GetY() - 2*pdfPad) / pdfLineH)
			if room < min(n-done, 2) {
				f.AddPage()
				header()
				continue
			}
			f.SetFont(d.font, style, pdfSize)
			k := min(room, n-done)
			h := float64(k)*pdfLineH + 2*pdfPad
			x, y := pdfMargin, f.GetY()
			for i, c := range cols {
				st := "D"
				if rw.Strong || rw.Shade {
					f.SetFillColor(242, 242, 242)
					st = "FD"
				}
				f.Rect(x, y, ws[i], h, st)
				if c.Tick {
					if done == 0 && !rw.NoTick {
						f.Rect(x+(ws[i]-pdfTickBox)/2, y+pdfPad+(pdfLineH-pdfTickBox)/2, pdfTickBox, pdfTickBox, "D")
					}
				} else {
					for j := done; j < done+k && j < len(cells[i]); j++ {
						f.SetXY(x+pdfPad, y+pdfPad+float64(j-done)*pdfLineH)
						if j < bold[i] {
							f.SetFont(d.font, "B", pdfSize)
						}
						d.cellLine(cells[i][j], ws[i]-2*pdfPad, c.Align, c.Whole)
						f.SetFont(d.font, style, pdfSize)
					}
				}
				x += ws[i]
			}
			f.SetXY(pdfMargin, y+h)
			done += k
		}
	}
	f.SetFont(d.font, "", 10)
	f.Ln(1)
}

// layoutRow splits a row's cells into the lines they print on, in the
// row's style: the lines of each cell, how many of them are bold at its top,
// and the row's height in lines.
func (d *pdfDoc) layoutRow(cols []column, ws []float64, rw row, texts []string, style string) ([][]string, []int, int) {
	f := d.f
	f.SetFont(d.font, style, pdfSize)
	cells := make([][]string, len(cols))
	bold := make([]int, len(cols)) // lines printed bold at the top of each cell
	n := 1
	for i := range cols {
		if cols[i].Tick || i >= len(texts) {
			continue
		}
		text := d.text(texts[i])
		switch {
		case cols[i].Whole:
			cells[i] = strings.Split(text, "\n")
		case cols[i].Lead && rw.Shade && !rw.Strong:
			head, tail, more := strings.Cut(text, "\n")
			f.SetFont(d.font, "B", pdfSize)
			cells[i] = wrap(f, head, ws[i]-2*pdfPad)
			bold[i] = len(cells[i])
			f.SetFont(d.font, style, pdfSize)
			if more {
				cells[i] = append(cells[i], wrap(f, tail, ws[i]-2*pdfPad)...)
			}
		default:
			cells[i] = wrap(f, text, ws[i]-2*pdfPad)
		}
		n = max(n, len(cells[i]))
	}
	if rw.MinH > 0 {
		n = max(n, int((rw.MinH-2*pdfPad)/pdfLineH+0.999))
	}
	return cells, bold, n
}

// tableTop is where a table's first row starts on a new page: under the
// top margin and a one-line header.
func (d *pdfDoc) tableTop() float64 {
	return pdfMargin + pdfLineH + 2*pdfPad
}

// cellLine prints one line of a cell at the current position, w mm wide.
// A line of a whole column that is too wide is printed smaller, never cut.
func (d *pdfDoc) cellLine(s string, w float64, align string, whole bool) {
	f := d.f
	size, _ := f.GetFontSize()
	if whole {
		if sw := f.GetStringWidth(d.out(s)); sw > w {
			f.SetFontSize(size * w / sw * 0.98)
		}
	}
	f.CellFormat(w, pdfLineH, d.out(s), "", 0, align, false, 0, "")
	f.SetFontSize(size)
}

// bytes ends the document.
func (d *pdfDoc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return b.Bytes(), nil
}
