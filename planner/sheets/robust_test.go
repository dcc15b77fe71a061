package sheets

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"paniers/planner"
)

// hostile are names a database may hold: separators, quotes, line breaks,
// formulas, characters the fonts lack, invalid UTF-8.
var hostile = []string{
	`Dupont, Martin`,
	`Le "Jardin" d'Émile`,
	`Ferme; du Nord`,
	"Ligne 1\nLigne 2\r\nLigne 3",
	`=HYPERLINK("http://x","clic")`,
	`+33 6 12 34 56 78`,
	`@SUM(A1:A2)`,
	"Tab\there",
	"Ça 🥕 fleurit 中文",
	"bad \xff\xfe utf8",
}

func TestHostileNamesCSV(t *testing.T) {
	for _, sep := range []rune{',', ';'} {
		in := fixture(t)
		in.Sep = sep
		var hs []Household
		for _, n := range hostile {
			hs = append(hs, Household{Name: n, Basket: "moyen", Count: 1})
		}
		in.Households["relais-centre"] = hs
		rows := readCSV(t, render(t, in, KindPickupList, "relais-centre", FormatCSV).Body, sep)
		got := map[string]bool{}
		for _, r := range rows[1:] {
			if r[0] == "foyer" {
				got[r[1]] = true
			}
		}
		for _, n := range hostile {
			// CSV reads a line break inside a cell back as "\n".
			want := strings.ReplaceAll(strings.ToValidUTF8(n, "?"), "\r\n", "\n")
			if strings.ContainsRune("=+-@\t", rune(want[0])) {
				want = "'" + want
			}
			if !got[want] {
				t.Errorf("sep %q: household %q did not come back: %v", sep, want, got)
			}
		}
		if len(got) != len(hostile) {
			t.Errorf("sep %q: %d households, want %d", sep, len(got), len(hostile))
		}
	}
}

func TestHostileNamesEverywhere(t *testing.T) {
	in := fixture(t)
	for i, n := range hostile {
		switch i % 4 {
		case 0:
			in.Scenario.Sites[0].Name = n
		case 1:
			in.Scenario.Producers[0].Name = n
		case 2:
			in.Scenario.Products[0].Name = n
		case 3:
			in.Scenario.Hub.Name = n
		}
		in.Addresses["cantine-a"] = n
		in.Households["relais-centre"] = append(in.Households["relais-centre"], Household{Name: n, Extras: []planner.ProductQuantity{{Product: "carotte", Quantity: 1}}})
		in.Plan.Shortfalls[0].Reason = n
		refs, err := Catalog(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range refs {
			d := render(t, in, r.Kind, r.For, r.Format)
			if r.Format == FormatText {
				// A name never starts a line of its own: line breaks in
				// names are flattened.
				for _, l := range strings.Split(string(d.Body), "\n") {
					if strings.HasPrefix(l, "Ligne 2") || strings.HasPrefix(l, "Ligne 3") {
						t.Errorf("%s: a name broke a line: %q", d.FileName, l)
					}
				}
			}
			if r.Format == FormatPDF && r.Kind == KindPickupList && i == 8 {
				mustContain(t, d.FileName, pdfToText(t, d.Body), "Ça ? fleurit")
			}
		}
	}
}

// TestPagination renders lists too long for a page: every row must show,
// and every page must repeat the table's header.
func TestPagination(t *testing.T) {
	in := fixture(t)
	var hs []Household
	for i := range 300 {
		hs = append(hs, Household{Name: fmt.Sprintf("Foyer n°%03d Lemaître", i), Basket: "moyen", Count: 1 + i%3,
			Extras: []planner.ProductQuantity{{Product: "carotte", Quantity: float64(i%5 + 1)}}})
	}
	// One household with so many extras that its row is taller than a page.
	var many []planner.ProductQuantity
	for i := range 150 {
		many = append(many, planner.ProductQuantity{Product: "oeuf", Quantity: 6})
		many = append(many, planner.ProductQuantity{Product: fmt.Sprintf("confiture-%03d", i), Quantity: 1})
	}
	hs = append(hs, Household{Name: "Zzz Grande Famille", Extras: many})
	in.Households["relais-centre"] = hs
	txt := pdfToText(t, render(t, in, KindPickupList, "relais-centre", FormatPDF).Body)
	n := pages(txt)
	if n < 8 {
		t.Fatalf("%d pages for 301 households", n)
	}
	for i, p := range strings.Split(txt, "\f")[:n] {
		if !strings.Contains(p, "Signature") && !strings.Contains(p, "Article") {
			t.Errorf("page %d has no table header", i+1)
		}
		if !strings.Contains(p, fmt.Sprintf("page %d/%d", i+1, n)) {
			t.Errorf("page %d has no footer 'page %d/%d'", i+1, i+1, n)
		}
	}
	for i := range 300 {
		if !strings.Contains(txt, fmt.Sprintf("Foyer n°%03d Lemaître", i)) {
			t.Errorf("household %d missing", i)
		}
	}
	for i := range 150 {
		if !strings.Contains(txt, fmt.Sprintf("confiture-%03d 1", i)) {
			t.Errorf("line %d of the tall row missing", i)
		}
	}
	if c := strings.Count(txt, "Œufs frais 900 pièces"); c != 1 {
		t.Errorf("150 extras of one product show as %d lines of 900", c)
	}

	// A round of 80 stops: the stops table runs over pages, header repeated.
	in = fixture(t)
	rd := &in.Plan.Rounds[1]
	for i := range 80 {
		id := fmt.Sprintf("site-%02d", i)
		in.Scenario.Sites = append(in.Scenario.Sites, planner.Site{ID: id, Name: "Relais " + id, Kind: planner.KindRelay,
			Lat: 50.40 + float64(i)/1000, Lon: 2.70 + float64(i)/500, Window: planner.Window{"07:00", "12:00"}, ServiceMin: 5})
		rd.Stops = append(rd.Stops, planner.Stop{Site: id, Arrive: "08:00", Start: "08:00", Leave: "08:05",
			Deliver: []planner.Delivery{{Order: "o4", Product: "carotte", Quantity: 1}, {Order: "o4", Product: "pomme", Quantity: 2}}})
	}
	txt = pdfToText(t, render(t, in, KindRoundSheet, "1", FormatPDF).Body)
	n = pages(txt)
	if n < 4 {
		t.Fatalf("%d pages for 82 stops", n)
	}
	for i, p := range strings.Split(txt, "\f")[1:n] {
		if !strings.Contains(p, "Horaires") || !strings.Contains(p, "Colis") {
			t.Errorf("page %d does not repeat the stops header", i+2)
		}
	}
	for i := range 80 {
		if !strings.Contains(txt, fmt.Sprintf("Relais site-%02d", i)) {
			t.Errorf("stop %d missing", i)
		}
	}
}

// TestInconsistentInput renders plans that refer to what the scenario does
// not have, or an empty week: documents still render, ids standing in for
// names, and nothing panics. Only the map cannot place an unknown stop.
func TestInconsistentInput(t *testing.T) {
	in := fixture(t)
	in.Plan.Rounds[1].Stops = append(in.Plan.Rounds[1].Stops, planner.Stop{Site: "ghost-site", Arrive: "xx", Deliver: []planner.Delivery{{Order: "ghost-order", Product: "ghost-product", Quantity: 3}}})
	in.Plan.Rounds[0].Stops = append(in.Plan.Rounds[0].Stops, planner.Stop{Producer: "ghost-farm", Collect: []planner.ProductQuantity{{Product: "ghost-product", Quantity: math.Inf(1)}}})
	in.Plan.Rounds[0].Vehicle = "ghost-van"
	in.Plan.Rounds[0].Date = "not a date"
	in.Plan.Allocations = append(in.Plan.Allocations, planner.Allocation{Order: "ghost-order", Producer: "ferme-a", Product: "ghost-product", Quantity: 2},
		planner.Allocation{Order: "o1", Producer: "ghost-farm", Product: "carotte", Quantity: 1})
	in.Plan.Baskets = append(in.Plan.Baskets, planner.BasketContents{Basket: "ghost-basket"})
	in.Households["relais-centre"] = append(in.Households["relais-centre"], Household{Name: "X", Basket: "ghost-basket", Count: -2})
	in.Plan.Shortfalls = append(in.Plan.Shortfalls, planner.Shortfall{Order: "o1"})
	in.Scenario.Travel = planner.Travel{}
	in.Addresses = nil
	for _, lang := range []string{"fr", "en"} {
		in.Lang = lang
		refs, err := Catalog(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range refs {
			_, err := Render(in, r.Kind, r.For, r.Format)
			if r.Format == FormatGeoJSON && r.For != "" && err != nil {
				if !strings.Contains(err.Error(), "ghost") {
					t.Errorf("%v: error %v does not name the unknown stop", r, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%v: %v", r, err)
			}
		}
	}
	if _, err := Render(in, KindRoundSheet, "1", FormatGeoJSON); err == nil {
		t.Error("geojson placed a stop it has no position for")
	}
	txt := string(render(t, in, KindRoundSheet, "1", FormatText).Body)
	mustContain(t, "txt", txt, "ghost-site", "ghost-product 3")
	in.Lang = "fr"
	txt = string(render(t, in, KindDeliveryNote, "cantine-a", FormatText).Body)
	mustContain(t, "note", txt, "ghost-farm", "Certaines lignes n'ont pas de prix")

	var empty Input
	refs, err := Catalog(empty)
	if err != nil || len(refs) != 0 {
		t.Errorf("empty week: %v, %v", refs, err)
	}
	if _, err := Text(empty); err != nil {
		t.Error(err)
	}
	empty.Plan.Rounds = []planner.Round{{}}
	for _, f := range Formats(KindRoundSheet) {
		if _, err := RoundSheet(empty, 0, f); err != nil {
			t.Errorf("empty round as %s: %v", f, err)
		}
	}
}

func TestCrates(t *testing.T) {
	tests := []struct {
		crateKg, q, kg float64
		want           int
	}{
		{0, 0, 0, 0},
		{0, 0.1, 0.1, 1},
		{0, 10, 10, 1},
		{0, 10.1, 10.1, 2},
		{0, 26.1, 26.1, 3},
		{0, 30, 30, 3},
		{0, 30.000000001, 30.000000001, 3}, // float noise is not a crate
		{0, 60, 0, 1},                      // a product without a weight still takes a crate
		{20, 26.1, 26.1, 2},
		{0, -1, -1, 0},
	}
	for _, tt := range tests {
		r, err := newRenderer(Input{CrateKg: tt.crateKg})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.crates(tt.q, tt.kg); got != tt.want {
			t.Errorf("crates(%v kg in %v kg crates) = %d, want %d", tt.kg, tt.crateKg, got, tt.want)
		}
	}
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := newRenderer(Input{CrateKg: bad}); !errors.Is(err, ErrInvalid) {
			t.Errorf("crate kg %v: %v", bad, err)
		}
	}
	in := fixture(t)
	in.CrateKg = 25
	mustContain(t, "txt", string(render(t, in, KindRoundSheet, "0", FormatText).Body), "☐ Carottes 26,1 kg 2 caisses")
}

func TestFormatting(t *testing.T) {
	fr, _ := newRenderer(Input{})
	en, _ := newRenderer(Input{Lang: "en"})
	p := func(unit string) planner.Product { return planner.Product{Unit: unit} }
	tests := []struct{ got, want string }{
		{fr.num(9.5), "9,5"}, {en.num(9.5), "9.5"}, {fr.num(0.1 + 0.2), "0,3"}, {fr.num(12), "12"}, {fr.num(-0.0001), "0"},
		{fr.qty(1, p("piece")), "1 pièce"}, {fr.qty(1.5, p("pièce")), "1,5 pièce"}, {fr.qty(2, p("piece")), "2 pièces"},
		{en.qty(1, p("bunch")), "1 bunch"}, {en.qty(2, p("botte")), "2 bunches"}, {fr.qty(3, p("cagette")), "3 cagette"},
		{fr.qty(3, p("")), "3"},
		{fr.money(123456), "1 234,56 €"}, {en.money(123456), "€1,234.56"}, {fr.money(5), "0,05 €"}, {fr.money(-250), "-2,50 €"},
		{fr.percent(0.515), "51,5 %"}, {en.percent(1), "100%"},
		{fr.longDate("2026-12-01"), "mardi 1er décembre 2026"}, {en.longDate("2026-12-01"), "Tuesday 1 December 2026"},
		{fr.longDate("2026-08-15"), "samedi 15 août 2026"}, {fr.longDate("bad"), "bad"},
		{fr.km(11.39), "11,4 km"}, {duration(58), "58 min"}, {duration(125), "2 h 05 min"},
		{fr.cratesText(1), "1 caisse"}, {fr.cratesText(0), "0 caisse"}, {en.cratesText(0), "0 crates"},
		{window(planner.Window{"07:00", "09:00"}), "07:00–09:00"}, {window(planner.Window{}), "—"},
		{cell("=1+1"), "'=1+1"}, {cell("-3"), "'-3"}, {cell("Dupont"), "Dupont"}, {cell(""), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"camion-1", "camion-1"},
		{"2026-W49", "2026-W49"},
		{"Ferme Émile", "Ferme-emile-"},
		{"../../etc/passwd", "etc-passwd-"},
		{"", "x"},
		{"中文", "x"},
		{"bœuf", "boeuf-"},
	}
	for _, tt := range tests {
		got := slug(tt.in)
		if !strings.HasPrefix(got, tt.want) || strings.ContainsAny(got, "/\\. ") {
			t.Errorf("slug(%q) = %q, want prefix %q and no separator", tt.in, got, tt.want)
		}
	}
	if slug("a b") == slug("a-b") || slug("a/b") == slug("a b") {
		t.Error("different ids share a slug")
	}
	if long := slug(strings.Repeat("abcdef ", 30)); len(long) > 60 {
		t.Errorf("slug of a long id is %d bytes", len(long))
	}
}

// TestWordsComplete wants every word in both languages, and the same keys
// in their tables.
func TestWordsComplete(t *testing.T) {
	fr, en := reflect.ValueOf(french), reflect.ValueOf(english)
	for i := range fr.NumField() {
		name := fr.Type().Field(i).Name
		for _, v := range []reflect.Value{fr.Field(i), en.Field(i)} {
			switch v.Kind() {
			case reflect.String:
				if v.String() == "" {
					t.Errorf("%s is empty", name)
				}
			case reflect.Array:
				for k := range v.Len() {
					if v.Index(k).String() == "" {
						t.Errorf("%s[%d] is empty", name, k)
					}
				}
			case reflect.Map:
				if v.Len() != fr.Field(i).Len() {
					t.Errorf("%s: %d entries, want %d", name, v.Len(), fr.Field(i).Len())
				}
				for _, k := range fr.Field(i).MapKeys() {
					if !v.MapIndex(k).IsValid() || v.MapIndex(k).String() == "" {
						t.Errorf("%s[%v] is missing", name, k)
					}
				}
			}
		}
	}
	for _, k := range kinds {
		if french.FileKinds[k] == "" || english.FileKinds[k] == "" {
			t.Errorf("no file name for %s", k)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	in := fixture(b)
	for _, f := range []string{FormatText, FormatCSV, FormatGeoJSON, FormatPDF} {
		b.Run("round-sheet/"+f, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := RoundSheet(in, 1, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("week", func(b *testing.B) {
		refs, _ := Catalog(in)
		b.ReportAllocs()
		for b.Loop() {
			for _, r := range refs {
				if _, err := Render(in, r.Kind, r.For, r.Format); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
