package jobs_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"paniers/internal/testdoc"
	"paniers/jobs"
	"paniers/planner"
	"paniers/planner/sheets"
)

// TestDemoWeekDocuments renders the demo week's documents as the service
// does and reads them back as their readers would: the longest round's PDF
// through pdftotext (every stop number, time and drive whole, every page
// of the stops table starting with a stop's number and name), every
// pick-up list's rows against its totals, and the packing list against the
// round sheets and the plan.
func TestDemoWeekDocuments(t *testing.T) {
	f := newFixture(t, testdbBackend())
	ctx := context.Background()
	f.clock.Set(afterOrders)
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 0); err != nil {
		t.Fatal(err)
	}
	in, _, err := jobs.DocumentInput(ctx, f.st, f.week, 0)
	if err != nil {
		t.Fatal(err)
	}
	render := func(kind, id, format string) sheets.Doc {
		t.Helper()
		d, err := sheets.Render(in, kind, id, format)
		if err != nil {
			t.Fatalf("%s %s %s: %v", kind, id, format, err)
		}
		return d
	}

	t.Run("longest round", func(t *testing.T) {
		longest := 0
		for i, rd := range in.Plan.Rounds {
			if len(rd.Stops) > len(in.Plan.Rounds[longest].Stops) {
				longest = i
			}
		}
		rd := in.Plan.Rounds[longest]
		if len(rd.Stops) < 10 {
			t.Fatalf("the longest round has %d stops: the demo should have one of 10 or more", len(rd.Stops))
		}
		for _, lang := range []string{"fr", "en"} {
			in := in
			in.Lang = lang
			d, err := sheets.RoundSheet(in, longest, sheets.FormatPDF)
			if err != nil {
				t.Fatal(err)
			}
			csvDoc, err := sheets.RoundSheet(in, longest, sheets.FormatCSV)
			if err != nil {
				t.Fatal(err)
			}
			checkRoundPDF(t, lang, testdoc.PDFText(t, d.Body), rd, in, legMinutes(t, csvDoc.Body))
		}
	})

	t.Run("pick-up lists", func(t *testing.T) {
		lists := 0
		for _, s := range in.Scenario.Sites {
			if s.Kind != planner.KindRelay {
				continue
			}
			lists++
			rows := testdoc.ReadCSV(t, render(sheets.KindPickupList, s.ID, sheets.FormatCSV).Body, ',')
			checkPickupSums(t, s.ID, rows)
		}
		if lists == 0 {
			t.Fatal("no relay point")
		}
		// The Lille stand's 4 baskets belong to no household: they are on
		// a row to hand out, and the PDF says so.
		rows := testdoc.ReadCSV(t, render(sheets.KindPickupList, "relais-lille", sheets.FormatCSV).Body, ',')
		found := false
		for _, r := range rows {
			if r[0] == "a-attribuer" && r[2] == "Petit panier" && r[4] == "4" {
				found = true
			}
		}
		if !found {
			t.Errorf("relais-lille: no a-attribuer row for the stand's 4 baskets:\n%q", rows)
		}
		text := squeeze(testdoc.PDFText(t, render(sheets.KindPickupList, "relais-lille", sheets.FormatPDF).Body))
		for _, want := range []string{"À attribuer (commandé par le relais, sans foyer)", "Relais (à attribuer) Petit panier 4", "Sur la liste", "Commandé", "Livré"} {
			if !strings.Contains(text, want) {
				t.Errorf("relais-lille PDF: missing %q", want)
			}
		}
	})

	t.Run("packing list", func(t *testing.T) {
		pdf := testdoc.PDFText(t, render(sheets.KindPackingList, sheets.PackingFor, sheets.FormatPDF).Body)
		rows := testdoc.ReadCSV(t, render(sheets.KindPackingList, sheets.PackingFor, sheets.FormatCSV).Body, ',')
		h := rows[0]
		packs, qty, prod := testdoc.Col(t, h, "Colis"), testdoc.Col(t, h, "Quantité"), testdoc.Col(t, h, "Produit")
		// Its packages are the delivery rounds' packages, and its totals
		// per product what the delivery rounds carry.
		units, wantUnits := 0, 0
		got := map[string]float64{}
		for _, r := range rows[1:] {
			switch {
			case r[0] == "total" && r[prod] != "":
				x, _ := strconv.ParseFloat(r[qty], 64)
				got[r[prod]] += x
			case r[0] != "total":
				n, _ := strconv.Atoi(r[packs])
				units += n
			}
		}
		names := map[string]string{}
		for _, p := range in.Scenario.Products {
			names[p.ID] = p.Name
		}
		want := map[string]float64{}
		order := []string{}
		for i, rd := range in.Plan.Rounds {
			if rd.Kind != planner.RoundDelivery {
				continue
			}
			sheet := testdoc.ReadCSV(t, render(sheets.KindRoundSheet, strconv.Itoa(i), sheets.FormatCSV).Body, ',')
			n, _ := strconv.Atoi(sheet[len(sheet)-1][testdoc.Col(t, sheet[0], "Colis")])
			wantUnits += n
			for _, s := range rd.Stops {
				order = append(order, s.Site)
				for _, d := range s.Deliver {
					want[names[d.Product]] += d.Quantity
				}
			}
		}
		if units != wantUnits || units == 0 {
			t.Errorf("packing list: %d packages, the delivery round sheets %d", units, wantUnits)
		}
		for k, w := range want {
			if math.Abs(got[k]-w) > 1e-6 {
				t.Errorf("packing list: %s %v set aside, the rounds carry %v", k, got[k], w)
			}
		}
		// Stops come in delivery-round order.
		last := -1
		for _, site := range order {
			var name string
			for _, s := range in.Scenario.Sites {
				if s.ID == site {
					name = s.Name
				}
			}
			at := strings.Index(pdf, name)
			if at < 0 || at < last {
				t.Errorf("packing list PDF: %q missing or out of the rounds' order", name)
			}
			last = at
		}
	})
}

// testdbBackend names the fixture's backend for the test.
func testdbBackend() string { return backends()[0] }

// checkRoundPDF checks a round sheet's text, as pdftotext lays it out:
// every stop's number starts a line with its name, every arrival time and
// every drive time prints whole, and every page the stops table runs onto
// starts with a stop's number and its name, marked as continued ("suite")
// unless the stop starts there.
func checkRoundPDF(t *testing.T, lang, text string, rd planner.Round, in sheets.Input, legs []int) {
	t.Helper()
	names := map[string]string{}
	for _, s := range in.Scenario.Sites {
		names[s.ID] = s.Name
	}
	for _, p := range in.Scenario.Producers {
		names[p.ID] = p.Name
	}
	lines := strings.Split(text, "\n")
	hasLine := func(re *regexp.Regexp) bool {
		for _, l := range lines {
			if re.MatchString(squeeze(l)) {
				return true
			}
		}
		return false
	}
	for k, s := range rd.Stops {
		name := names[s.Site+s.Producer]
		first := strings.Fields(name)[0]
		re := regexp.MustCompile(fmt.Sprintf(`^ ?%d %s\b`, k+1, regexp.QuoteMeta(first)))
		if !hasLine(re) {
			t.Errorf("%s: stop %d (%s) does not start a line with its number whole", lang, k+1, name)
		}
		if !hasLine(regexp.MustCompile(`\b` + regexp.QuoteMeta("arr. "+s.Arrive) + `\b`)) {
			t.Errorf("%s: stop %d: arrival %s not whole", lang, k+1, s.Arrive)
		}
	}
	for i, m := range legs {
		d := fmt.Sprintf("%d min", m)
		if m >= 60 {
			d = fmt.Sprintf("%d h %02d min", m/60, m%60)
		}
		if !hasLine(regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(d) + `(\s|$)`)) {
			t.Errorf("%s: drive %d (%s) is not on one line", lang, i+1, d)
		}
	}
	header := "Horaires"
	if lang == "en" {
		header = "Times"
	}
	window := regexp.MustCompile(`\d\d:\d\d–\d\d:\d\d`)
	startRow := regexp.MustCompile(`^\s*(\d+)\s+\S`)
	pages := strings.Split(text, "\f")
	tablePages := 0
	for p, page := range pages {
		pl := strings.Split(page, "\n")
		h := -1
		for i, l := range pl {
			if strings.Contains(l, header) && strings.Contains(l, "#") {
				h = i
				break
			}
		}
		if h < 0 {
			continue
		}
		tablePages++
		var row []string
		for _, l := range pl[h+1:] {
			if strings.TrimSpace(l) != "" {
				row = append(row, l)
			}
			if len(row) == 2 {
				break
			}
		}
		if len(row) == 0 {
			t.Errorf("%s: page %d: an empty stops table", lang, p+1)
			continue
		}
		m := startRow.FindStringSubmatch(row[0])
		if m == nil {
			t.Errorf("%s: page %d: the stops table starts with a row naming no stop: %q", lang, p+1, row[0])
			continue
		}
		if !window.MatchString(row[0]) && !strings.Contains(strings.Join(row, " "), "(suite)") && !strings.Contains(strings.Join(row, " "), "(continued)") {
			n, _ := strconv.Atoi(m[1])
			if n >= 1 && n <= len(rd.Stops) {
				t.Errorf("%s: page %d continues stop %d without saying so: %q", lang, p+1, n, row)
			}
		}
	}
	if tablePages < 2 {
		t.Errorf("%s: the longest round's stops fit %d page: the test checks nothing about pages", lang, tablePages)
	}
}

// legMinutes reads the drive minutes of each stop and of the return from a
// round sheet's CSV.
func legMinutes(t *testing.T, body []byte) []int {
	t.Helper()
	rows := testdoc.ReadCSV(t, body, ',')
	c := slices.Index(rows[0], "Trajet (min)")
	if c < 0 {
		c = testdoc.Col(t, rows[0], "Drive (min)")
	}
	var out []int
	for _, r := range rows[1 : len(rows)-1] {
		if r[c] != "" {
			n, err := strconv.Atoi(r[c])
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
	}
	return out
}

// checkPickupSums checks a pick-up list's CSV: per basket type and per
// product, the total row's quantity is the sum of the foyer and a-attribuer
// rows, and it covers what the relay point ordered.
func checkPickupSums(t *testing.T, site string, rows [][]string) {
	t.Helper()
	h := rows[0]
	basket, prod, qty, ordered := testdoc.Col(t, h, "Panier"), testdoc.Col(t, h, "Produit"), testdoc.Col(t, h, "Quantité"), testdoc.Col(t, h, "Commandé")
	num := func(s string) float64 {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: number %q", site, s)
		}
		return x
	}
	sum := map[string]float64{}
	for _, r := range rows[1:] {
		if r[0] == "foyer" || r[0] == "a-attribuer" {
			if r[qty] != "" {
				sum[r[basket]+"/"+r[prod]] += num(r[qty])
			}
		}
	}
	totals := 0
	for _, r := range rows[1:] {
		if r[0] != "total" {
			continue
		}
		totals++
		k := r[basket] + "/" + r[prod]
		if math.Abs(sum[k]-num(r[qty])) > 1e-6 {
			t.Errorf("%s: %s: rows sum to %v, the total says %s", site, k, sum[k], r[qty])
		}
		if num(r[qty]) < num(r[ordered])-1e-6 {
			t.Errorf("%s: %s: %s on the rows, %s ordered: some is on no row", site, k, r[qty], r[ordered])
		}
		delete(sum, k)
	}
	for k, x := range sum {
		t.Errorf("%s: rows for %s (%v) have no total", site, k, x)
	}
	if totals == 0 {
		t.Errorf("%s: no totals", site)
	}
}

// squeeze collapses runs of spaces.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
