package sheets

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestPDFFont checks each PDF of the fixture's week in both languages: a
// document whose text (as pdftotext reads it back) fits cp1252 uses the core
// font and embeds none; one with a character cp1252 lacks embeds DejaVu and
// shows that character. The week has documents of both sorts, and so does a
// pick-up list before and after its Polish household is renamed.
func TestPDFFont(t *testing.T) {
	core, embedded := 0, 0
	check := func(what string, d Doc) (embeds bool) {
		t.Helper()
		text := pdfToText(t, d.Body)
		var wide []rune
		for _, c := range text {
			if _, ok := charmap.Windows1252.EncodeRune(c); !ok && c != '\f' {
				wide = append(wide, c)
			}
		}
		embeds = bytes.Contains(d.Body, []byte("/FontFile2"))
		helvetica := bytes.Contains(d.Body, []byte("/BaseFont /Helvetica"))
		switch {
		case len(wide) == 0 && (embeds || !helvetica):
			t.Errorf("%s: text fits cp1252 but the document embeds a font (helvetica %v)", what, helvetica)
		case len(wide) > 0 && (!embeds || helvetica):
			t.Errorf("%s: text has %q, outside cp1252, but DejaVu is not embedded (helvetica %v)", what, string(wide), helvetica)
		case strings.ContainsRune(text, '?'):
			t.Errorf("%s: a character was replaced by '?'", what)
		}
		if embeds {
			embedded++
		} else {
			core++
		}
		return embeds
	}
	for _, lang := range []string{"fr", "en"} {
		in := fixture(t)
		in.Lang = lang
		refs, err := Catalog(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range refs {
			if ref.Format == FormatPDF {
				check(lang+" "+ref.FileName, render(t, in, ref.Kind, ref.For, ref.Format))
			}
		}
	}
	if core == 0 || embedded == 0 {
		t.Errorf("%d documents with the core font, %d with DejaVu: the fixture should have both", core, embedded)
	}

	in := fixture(t)
	if !check("pick-up list", render(t, in, KindPickupList, "relais-centre", FormatPDF)) {
		t.Fatal("the pick-up list naming Łukasz Nowak does not embed DejaVu")
	}
	renamed := false
	for _, hs := range in.Households {
		for i := range hs {
			if hs[i].Name == "Łukasz Nowak" {
				hs[i].Name, renamed = "Lucas Nowak", true
			}
		}
	}
	if !renamed {
		t.Fatal("fixture: no household Łukasz Nowak")
	}
	d := render(t, in, KindPickupList, "relais-centre", FormatPDF)
	if check("pick-up list renamed", d) {
		t.Error("the pick-up list without Łukasz still embeds DejaVu")
	}
	mustContain(t, "pick-up list renamed", pdfToText(t, d.Body),
		"Liste de retrait — Relais du centre", "Lucas Nowak", "Zoé Dubœuf", "Œufs frais 18 pièces", "commandé 30 pièces, livré 20 pièces — offre insuffisante")
}
