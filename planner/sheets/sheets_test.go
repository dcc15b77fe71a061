package sheets

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"paniers/planner"
)

// The expectations below are worked out by hand from testdata (scenario.json,
// plan.json, extra.json), not read back from the renderer.

func render(t *testing.T, in Input, kind, id, format string) Doc {
	t.Helper()
	d, err := Render(in, kind, id, format)
	if err != nil {
		t.Fatalf("%s %s %s: %v", kind, id, format, err)
	}
	return d
}

func TestRoundSheetPDF(t *testing.T) {
	tests := []struct {
		lang, round string
		want        []string
	}{
		{"fr", "0", []string{
			"Feuille de route", "Tournée 1/2 · collecte · camion-1", "lundi 30 novembre 2026",
			"capacité 800 kg", "Départ : Plateforme de la Base 11/19 à 13:14", "Retour : à 13:36",
			"À décharger à la plateforme au retour", "Ferme des Hirondelles", "12 chemin des",
			"13:00–18:00", "arr. 13:20", "dép. 13:30", "Carottes", "26,1 kg", "30 bottes", "Pommes Reinette", "22 kg",
			"4,2 km", "6 min", "63,1 kg", "1 arrêt · 63,1 kg · 8 caisses · 8,4 km · 22 min", "page 1/1",
		}},
		{"fr", "1", []string{
			"Tournée 2/2 · livraison · camion-1", "mardi 1er décembre 2026", "À charger à la plateforme",
			"École maternelle Pasteur", "Relais du centre", "place de la République,", "Panier moyen", "10 paniers",
			"07:00–09:00", "07:30–12:00", "arr. 06:51", "déb. 07:00", "arr. 07:24", "9,5 kg", "40 pièces",
			"Sacs de suppléments", "3 sacs", "Œufs frais", "71,1 kg", "2 arrêts · 71,1 kg · 16 colis · 11,4 km · 58 min", "À décharger",
			"Créneau", "Colis : chaque panier est un colis",
		}},
		{"en", "1", []string{
			"Round sheet", "Round 2/2 · delivery · camion-1", "Tuesday 1 December 2026", "To load at the hub",
			"Departure: Plateforme de la Base 11/19 at 06:50", "To unload", "9.5 kg", "40 pieces", "10 baskets", "3 bags",
			"2 stops · 71.1 kg · 16 packages · 11.4 km · 58 min", "Window", "Packages: each basket is a package",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.round, func(t *testing.T) {
			in := fixture(t)
			in.Lang = tt.lang
			d := render(t, in, KindRoundSheet, tt.round, FormatPDF)
			if d.ContentType != "application/pdf" {
				t.Errorf("content type %q", d.ContentType)
			}
			mustContain(t, "pdf", pdfToText(t, d.Body), tt.want...)
		})
	}
}

func TestRoundSheetText(t *testing.T) {
	in := fixture(t)
	d := render(t, in, KindRoundSheet, "1", FormatText)
	if d.ContentType != "text/plain; charset=utf-8" {
		t.Errorf("content type %q", d.ContentType)
	}
	txt := string(d.Body)
	mustContain(t, "txt", txt,
		"FEUILLE DE ROUTE · Semaine 2026-W49", "mardi 1er décembre 2026", "Départ : Plateforme de la Base 11/19 à 06:50",
		"1. École maternelle Pasteur", "École maternelle Pasteur, rue Pasteur, 62750 Loos-en-Gohelle",
		"Créneau 07:00–09:00 · arrivée 06:51 · début 07:00 · départ 07:15", "Trajet : 0,4 km · 1 min",
		"2. Relais du centre", "☐ Panier moyen 10 paniers 10 colis", "☐ Sacs de suppléments (un par foyer) 3 sacs 3 colis", "☐ Œufs frais 40 pièces 1 caisse",
		"Retour à Plateforme de la Base 11/19 à 07:48 · Trajet : 5,3 km · 8 min",
		"Totaux : 2 arrêts · 71,1 kg · 16 colis · 11,4 km · 58 min")
	for i, l := range strings.Split(txt, "\n") {
		if n := len([]rune(l)); n > 110 {
			t.Errorf("line %d is %d characters wide: %q", i+1, n, l)
		}
	}
	// The hub's load is what the stops unload, package for package: the
	// canteen's crates (15 kg at most), the relay point's baskets and bags.
	mustContain(t, "txt", txt, "☐ Carottes 9,5 kg 1 caisse", "☐ Œufs frais 40 pièces 1 caisse", "☐ Panier moyen 10 paniers 10 colis", "☐ Sacs de suppléments (un par foyer) 3 sacs 3 colis")
	mustNotContain(t, "txt", txt, "Poireaux")
}

func TestTextSummary(t *testing.T) {
	in := fixture(t)
	txt, err := Text(in)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "summary", txt, "Semaine 2026-W49 · 2 tournées · 19,8 km", "cantine 100 % · paniers 100 % · suppléments 75 %",
		"Manques : 1", "Tournée 1/2 · collecte", "Tournée 2/2 · livraison", "Ferme des Hirondelles", "Relais du centre")
	in.Lang = "en"
	txt, err = Text(in)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "summary en", txt, "Week 2026-W49 · 2 rounds", "Fill rate: canteen 100% · baskets 100% · extras 75%", "Round 1/2 · collection")
}

func TestRoundSheetCSV(t *testing.T) {
	for _, sep := range []rune{',', ';', '\t'} {
		t.Run(string(sep), func(t *testing.T) {
			in := fixture(t)
			in.Sep = sep
			d := render(t, in, KindRoundSheet, "1", FormatCSV)
			if d.ContentType != "text/csv; charset=utf-8" {
				t.Errorf("content type %q", d.ContentType)
			}
			rows := readCSV(t, d.Body, sep)
			h := rows[0]
			num := func(s string) float64 {
				t.Helper()
				if sep == ';' {
					if strings.Contains(s, ".") {
						t.Errorf("%q: a point in a ';' CSV", s)
					}
					s = strings.Replace(s, ",", ".", 1)
				}
				x, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("number %q: %v", s, err)
				}
				return x
			}
			stop, name, prod, qty, kg, crates, legKm := col(t, h, "Arrêt"), col(t, h, "Nom"), col(t, h, "Produit"),
				col(t, h, "Quantité"), col(t, h, "Poids (kg)"), col(t, h, "Colis"), col(t, h, "Trajet (km)")
			// Hub, 3 crate lines at the canteen, baskets and bags at the relay, hub, total.
			if len(rows) != 1+1+3+2+1+1 {
				t.Fatalf("%d rows:\n%s", len(rows), d.Body)
			}
			var sumKg, sumLeg float64
			sumCrates := 0
			got := map[string]float64{}
			for _, r := range rows[1 : len(rows)-1] {
				if r[prod] != "" {
					sumKg += num(r[kg])
					n, _ := strconv.Atoi(r[crates])
					sumCrates += n
					got[r[name]+"/"+r[prod]] += num(r[qty])
				}
				if r[legKm] != "" {
					sumLeg += num(r[legKm])
				}
			}
			want := map[string]float64{
				"École maternelle Pasteur/Carottes": 9.5, "École maternelle Pasteur/Pommes Reinette": 12, "École maternelle Pasteur/Œufs frais": 40,
				"Relais du centre/Panier moyen": 10, "Relais du centre/Sacs de suppléments (un par foyer)": 3,
			}
			for k, q := range want {
				if math.Abs(got[k]-q) > 1e-9 {
					t.Errorf("%s: %v, want %v", k, got[k], q)
				}
			}
			total := rows[len(rows)-1]
			if total[stop] != "TOTAL" {
				t.Fatalf("last row %q is not the total", total)
			}
			if math.Abs(num(total[kg])-71.1) > 1e-9 || math.Abs(sumKg-71.1) > 1e-9 {
				t.Errorf("weight: total %s, rows %v, want 71.1", total[kg], sumKg)
			}
			if total[crates] != "16" || sumCrates != 16 {
				t.Errorf("packages: total %s, rows %d, want 16", total[crates], sumCrates)
			}
			if math.Abs(sumLeg-11.4) > 0.05+1e-9 || math.Abs(num(total[legKm])-11.4) > 1e-9 {
				t.Errorf("legs: total %s, rows %v, want 11.4", total[legKm], sumLeg)
			}
			if rows[1][stop] != "0" || rows[1][col(t, h, "Départ")] != "06:50" || rows[len(rows)-2][col(t, h, "Arrivée")] != "07:48" {
				t.Errorf("hub rows: %q, %q", rows[1], rows[len(rows)-2])
			}
		})
	}
}

func TestRoundSheetGeoJSON(t *testing.T) {
	in := fixture(t)
	for i, rd := range in.Plan.Rounds {
		d := render(t, in, KindRoundSheet, strconv.Itoa(i), FormatGeoJSON)
		if d.ContentType != "application/geo+json" {
			t.Errorf("content type %q", d.ContentType)
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Type     string `json:"type"`
				Geometry struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(d.Body, &fc); err != nil {
			t.Fatal(err)
		}
		if fc.Type != "FeatureCollection" || len(fc.Features) != len(rd.Stops)+2 {
			t.Fatalf("round %d: %s with %d features, want %d", i, fc.Type, len(fc.Features), len(rd.Stops)+2)
		}
		where := map[string][2]float64{"hub": {in.Scenario.Hub.Lon, in.Scenario.Hub.Lat}}
		for _, p := range in.Scenario.Producers {
			where[p.ID] = [2]float64{p.Lon, p.Lat}
		}
		for _, s := range in.Scenario.Sites {
			where[s.ID] = [2]float64{s.Lon, s.Lat}
		}
		var line [][2]float64
		points := 0
		for _, f := range fc.Features {
			if f.Type != "Feature" {
				t.Errorf("feature type %q", f.Type)
			}
			switch f.Geometry.Type {
			case "Point":
				var c [2]float64
				if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
					t.Fatal(err)
				}
				id, _ := f.Properties["id"].(string)
				if c != where[id] {
					t.Errorf("point %q at %v, want [lon, lat] %v", id, c, where[id])
				}
				if order, _ := f.Properties["order"].(float64); int(order) != points {
					t.Errorf("point %q: order %v, want %d", id, f.Properties["order"], points)
				}
				if points > 0 {
					s := rd.Stops[points-1]
					if f.Properties["arrive"] != s.Arrive || f.Properties["name"] == "" || f.Properties["window"] == nil {
						t.Errorf("stop %d properties: %v", points, f.Properties)
					}
				}
				points++
			case "LineString":
				if err := json.Unmarshal(f.Geometry.Coordinates, &line); err != nil {
					t.Fatal(err)
				}
			default:
				t.Errorf("geometry %q", f.Geometry.Type)
			}
		}
		if len(line) != len(rd.Stops)+2 || line[0] != where["hub"] || line[len(line)-1] != where["hub"] {
			t.Fatalf("route %v: want hub, %d stops, hub", line, len(rd.Stops))
		}
		for k, s := range rd.Stops {
			id := s.Site + s.Producer
			if line[k+1] != where[id] {
				t.Errorf("route point %d: %v, want %v (%s)", k+1, line[k+1], where[id], id)
			}
		}
	}
}

func TestPickupList(t *testing.T) {
	in := fixture(t)
	for i := range in.Plan.Baskets {
		if in.Plan.Baskets[i].Basket == "moyen" {
			in.Plan.Baskets[i].ValueCents, in.Plan.Baskets[i].PriceCents = 1480, 1500
		}
	}
	d := render(t, in, KindPickupList, "relais-centre", FormatPDF)
	mustContain(t, "pdf", pdfToText(t, d.Body),
		"Liste de retrait — Relais du centre", "mardi 1er décembre 2026", "Livraison : mardi 1er décembre 2026 vers 07:30 (camion-1)",
		"Contenu des paniers", "Panier moyen", "1,5 kg", "3 bottes", "Valeur / prix", "14,80 € / 15,00 €", "Foyers (4)", "Signature",
		"Amélie Caron", "Famille Lefèvre", "Łukasz Nowak", "Zoé Dubœuf", "Œufs frais 18 pièces", "Carottes 2 kg",
		"10 paniers", "30 pièces", "20 pièces", "Manques", "commandé 30 pièces, livré 20 pièces — offre insuffisante")

	in.Lang = "en"
	d = render(t, in, KindPickupList, "relais-centre", FormatPDF)
	mustContain(t, "pdf en", pdfToText(t, d.Body), "Pick-up list — Relais du centre", "Tuesday 1 December 2026",
		"Basket contents", "Value / price", "€14.80 / €15.00", "Households (4)", "10 baskets", "Delivered", "ordered 30 pieces, delivered 20 pieces")
	if d.FileName != "2026-W49_pickup-list_relais-centre.pdf" {
		t.Errorf("file name %q", d.FileName)
	}
}

func TestPickupListCSV(t *testing.T) {
	for _, sep := range []rune{',', ';'} {
		in := fixture(t)
		in.Sep = sep
		rows := readCSV(t, render(t, in, KindPickupList, "relais-centre", FormatCSV).Body, sep)
		h := rows[0]
		sec, who, basket, prod, qty := col(t, h, "Section"), col(t, h, "Foyer"), col(t, h, "Panier"), col(t, h, "Produit"), col(t, h, "Quantité")
		ordered, delivered := col(t, h, "Commandé"), col(t, h, "Livré")
		col(t, h, "Signature")
		parse := func(s string) float64 {
			x, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
			if err != nil {
				t.Fatalf("number %q", s)
			}
			return x
		}
		households := map[string]float64{}
		totals := map[string][3]float64{}
		names := map[string]bool{}
		for _, r := range rows[1:] {
			item := r[basket] + r[prod]
			switch r[sec] {
			case "foyer":
				names[r[who]] = true
				households[item] += parse(r[qty])
			case "total":
				totals[item] = [3]float64{parse(r[qty]), parse(r[ordered]), parse(r[delivered])}
			case "contenu":
			default:
				t.Errorf("section %q", r[sec])
			}
		}
		if len(names) != 4 {
			t.Errorf("households %v", names)
		}
		want := map[string][3]float64{"Panier moyen": {10, 10, 10}, "Carottes": {6, 6, 6}, "Œufs frais": {30, 30, 20}}
		for item, w := range want {
			if totals[item] != w || households[item] != w[0] {
				t.Errorf("%s: total %v, households sum %v, want %v", item, totals[item], households[item], w)
			}
		}
	}
}

// TestPickupListUnassigned orders baskets and extras for the relay point as
// a whole (no household): they are rows of section a-attribuer, the totals
// are the sums of the rows, and the PDF shows them under their own heading.
func TestPickupListUnassigned(t *testing.T) {
	in := fixture(t)
	for i := range in.Scenario.Orders {
		if in.Scenario.Orders[i].ID == "o3" {
			in.Scenario.Orders[i].Count = 13 // households hold 10
		}
	}
	in.Scenario.Orders = append(in.Scenario.Orders, planner.Order{ID: "o7", Site: "relais-centre", Class: planner.ClassExtra, Product: "pomme", Quantity: 5})
	rows := readCSV(t, render(t, in, KindPickupList, "relais-centre", FormatCSV).Body, ',')
	var got []string
	sums := map[string]float64{}
	for _, r := range rows[1:] {
		q, _ := strconv.ParseFloat(r[4], 64)
		switch r[0] {
		case "a-attribuer":
			got = append(got, strings.Join(r, ","))
			fallthrough
		case "foyer":
			sums[r[2]+r[3]] += q
		case "total":
			if math.Abs(sums[r[2]+r[3]]-q) > 1e-9 {
				t.Errorf("total %q: the rows sum to %v", r, sums[r[2]+r[3]])
			}
		}
	}
	want := []string{"a-attribuer,,Panier moyen,,3,panier,,,", "a-attribuer,,,Pommes Reinette,5,kg,,,"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("a-attribuer rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	mustContain(t, "pdf", pdfToText(t, render(t, in, KindPickupList, "relais-centre", FormatPDF).Body),
		"À attribuer (commandé par le relais, sans foyer)", "Relais (à attribuer) Panier moyen 3", "Pommes Reinette 5 kg",
		"Sur la liste", "13 paniers", "Sur la liste : somme des lignes des foyers et des lignes à attribuer.")
	// The relay point's extras travel in one bag more: 3 households and its own.
	mustContain(t, "txt", string(render(t, in, KindRoundSheet, "1", FormatText).Body), "☐ Sacs de suppléments (un par foyer) 4 sacs 4 colis")
}

// TestPackingList checks the hub's packing list on the fixture's week: the
// relay point's baskets with what one holds, each household's bag, the
// canteen's crates, and what to set aside per product.
func TestPackingList(t *testing.T) {
	in := fixture(t)
	txt := pdfToText(t, render(t, in, KindPackingList, PackingFor, FormatPDF).Body)
	mustContain(t, "pdf", txt, "Liste de colisage — Semaine 2026-W49", "Tournée 2/2 · camion-1 · arrêt 1 — École maternelle Pasteur",
		"Tournée 2/2 · camion-1 · arrêt 2 — Relais du centre", "Panier moyen", "10 paniers", "Sac — Amélie Caron", "Œufs frais 18 pièces",
		"Sac — Zoé Dubœuf", "À mettre de côté par produit", "Totaux : 71,1 kg · 16 colis")
	if strings.Index(txt, "École maternelle Pasteur") > strings.Index(txt, "Relais du centre") {
		t.Error("stops out of the round's order")
	}
	rows := readCSV(t, render(t, in, KindPackingList, PackingFor, FormatCSV).Body, ',')
	units := 0
	for _, r := range rows[1 : len(rows)-1] {
		n, _ := strconv.Atoi(r[10])
		units += n
	}
	if last := rows[len(rows)-1]; units != 16 || last[10] != "16" {
		t.Errorf("packages: rows %d, total %q; want 16", units, last)
	}
	if _, err := Render(in, KindPackingList, "relais-centre", FormatPDF); !errors.Is(err, ErrNotFound) {
		t.Errorf("packing list for a relay point: %v", err)
	}
	in.Lang = "en"
	mustContain(t, "pdf en", pdfToText(t, render(t, in, KindPackingList, PackingFor, FormatPDF).Body), "Packing list — Week 2026-W49", "To set aside per product", "Bag — Amélie Caron")
}

func TestPreparationList(t *testing.T) {
	in := fixture(t)
	txt := string(render(t, in, KindPreparationList, "ferme-a", FormatText).Body)
	mustContain(t, "txt", txt, "LISTE DE PRÉPARATION · Semaine 2026-W49", "Ferme des Hirondelles",
		"Passage du camion : lundi 30 novembre 2026 vers 13:20 (créneau 13:00–18:00) · camion-1 · Tournée 1",
		"☐ Carottes — 26,1 kg · 3 caisses", "→ École maternelle Pasteur — cantine 8,1 kg",
		"→ Relais du centre — 10 × Panier moyen 12,9 kg", "→ Relais du centre — suppléments 5,1 kg",
		"☐ Poireaux — 30 bottes · 2 caisses", "Invendu (reste chez vous)", "93,9 kg", "Totaux : 63,1 kg · 8 caisses")

	pdf := pdfToText(t, render(t, in, KindPreparationList, "jardin-b", FormatPDF).Body)
	mustContain(t, "pdf", pdf, "Liste de préparation — Jardin Wiśniewski", "3 rue Émile Zola",
		"À apporter à la plateforme : Plateforme de la Base 11/19", "lundi 30 novembre 2026",
		"À récolter et emballer", "Carottes", "4,4 kg", "1,4 kg", "2,1 kg", "0,9 kg", "60 pièces", "40 pièces", "15,6 kg")
	mustNotContain(t, "pdf", pdf, "Passage du camion")

	in.Lang = "en"
	txt = string(render(t, in, KindPreparationList, "jardin-b", FormatText).Body)
	mustContain(t, "txt en", txt, "PREPARATION LIST · Week 2026-W49", "Bring to the hub: Plateforme de la Base 11/19",
		"Monday 30 November 2026", "60 pieces", "Unsold (stays with you)")

	for _, sep := range []rune{',', ';'} {
		in.Lang, in.Sep = "", sep
		rows := readCSV(t, render(t, in, KindPreparationList, "ferme-a", FormatCSV).Body, sep)
		h := rows[0]
		sec, prod, q, site := col(t, h, "Section"), col(t, h, "Produit"), col(t, h, "Quantité"), col(t, h, "Site")
		dest := map[string]float64{}
		total := map[string]float64{}
		for _, r := range rows[1:] {
			x, _ := strconv.ParseFloat(strings.Replace(r[q], ",", ".", 1), 64)
			switch r[sec] {
			case "destination":
				dest[r[prod]] += x
				if r[site] == "" {
					t.Errorf("destination without site: %q", r)
				}
			case "total":
				if r[prod] != "" {
					total[r[prod]] = x
				}
			}
		}
		for p, w := range map[string]float64{"Carottes": 26.1, "Pommes Reinette": 22, "Poireaux": 30} {
			if math.Abs(dest[p]-w) > 1e-9 || math.Abs(total[p]-w) > 1e-9 {
				t.Errorf("%s: destinations %v, total %v, want %v", p, dest[p], total[p], w)
			}
		}
	}
}

func TestDeliveryNote(t *testing.T) {
	in := fixture(t)
	pdf := pdfToText(t, render(t, in, KindDeliveryNote, "cantine-a", FormatPDF).Body)
	// 8.1 × 1.90 + 1.4 × 1.80 + 12 × 2.50 + 40 × 0.35 = 15.39 + 2.52 + 30 + 14 = 61.91 €;
	// organic: carrots and eggs, 31.91 € = 51.5 %.
	want := []string{"Bon de livraison — École maternelle Pasteur", "Ferme des Hirondelles", "Jardin Wiśniewski",
		"8,1 kg", "1,90 € / kg", "15,39 €", "1,4 kg", "2,52 €", "12 kg", "30,00 €", "40 pièces", "0,35 € / pièce", "14,00 €",
		"61,91 €", "Part bio en valeur : 51,5 % (31,91 € / 61,91 €)", "Reçu par", "Bon n° : 2026-W49-cantine-a"}
	mustContain(t, "pdf", pdf, want...)
	mustContain(t, "txt", string(render(t, in, KindDeliveryNote, "cantine-a", FormatText).Body), append(want[1:], "BON DE LIVRAISON")...)

	in.Lang = "en"
	mustContain(t, "txt en", string(render(t, in, KindDeliveryNote, "cantine-a", FormatText).Body),
		"DELIVERY NOTE · Week 2026-W49", "€1.90 / kg", "€61.91", "Organic share by value: 51.5% (€31.91 / €61.91)", "Received by")

	for _, sep := range []rune{',', ';'} {
		in.Lang, in.Sep = "", sep
		rows := readCSV(t, render(t, in, KindDeliveryNote, "cantine-a", FormatCSV).Body, sep)
		h := rows[0]
		sec, amount := col(t, h, "Section"), col(t, h, "Montant (€)")
		var lines, total int64
		var share string
		for _, r := range rows[1:] {
			cents, _ := strconv.ParseInt(strings.NewReplacer(".", "", ",", "").Replace(r[amount]), 10, 64)
			switch {
			case r[sec] == "ligne":
				lines += cents
			case r[sec] == "total" && total == 0:
				total = cents
			case r[sec] == "part bio (%)":
				share = r[amount]
			}
		}
		if lines != 6191 || total != 6191 {
			t.Errorf("sep %q: lines %d, total %d, want 6191 cents", sep, lines, total)
		}
		if want := map[rune]string{',': "51.5", ';': "51,5"}[sep]; share != want {
			t.Errorf("sep %q: organic share %q, want %q", sep, share, want)
		}
	}
}

func TestDeliveryNoteShortfallsAndUnrouted(t *testing.T) {
	in := fixture(t)
	two := 2.0
	ten := 12.0
	in.Plan.Shortfalls = append(in.Plan.Shortfalls, shortfallFor("o2", "pomme", ten, two, "gel sur les vergers"))
	in.Plan.Unrouted = append(in.Plan.Unrouted, unroutedSite("relais-centre", "créneau hors d'atteinte"))
	txt := string(render(t, in, KindDeliveryNote, "cantine-a", FormatText).Body)
	mustContain(t, "txt", txt, "Manques :", "Pommes Reinette : commandé 12 kg, livré 2 kg — gel sur les vergers")
	rows := readCSV(t, render(t, in, KindDeliveryNote, "cantine-a", FormatCSV).Body, ',')
	found := false
	for _, r := range rows {
		if r[0] == "manque" && r[1] == "Pommes Reinette" && r[4] == "10" && r[8] == "gel sur les vergers" {
			found = true
		}
	}
	if !found {
		t.Errorf("no shortfall row in %q", rows)
	}
	pl := pdfToText(t, render(t, in, KindPickupList, "relais-centre", FormatPDF).Body)
	mustContain(t, "pickup", pl, "Non desservi : créneau hors d'atteinte", "0 panier")
}

func TestErrors(t *testing.T) {
	in := fixture(t)
	tests := []struct {
		name             string
		lang             string
		sep              rune
		kind, id, format string
		want             error
	}{
		{"round -1", "", 0, KindRoundSheet, "-1", FormatPDF, ErrNotFound},
		{"round past end", "", 0, KindRoundSheet, "2", FormatPDF, ErrNotFound},
		{"round not a number", "", 0, KindRoundSheet, "camion-1", FormatPDF, ErrNotFound},
		{"round with a zero", "", 0, KindRoundSheet, "01", FormatPDF, ErrNotFound},
		{"unknown site", "", 0, KindPickupList, "relais-x", FormatPDF, ErrNotFound},
		{"canteen has no pickup list", "", 0, KindPickupList, "cantine-a", FormatPDF, ErrNotFound},
		{"relay has no delivery note", "", 0, KindDeliveryNote, "relais-centre", FormatPDF, ErrNotFound},
		{"unknown producer", "", 0, KindPreparationList, "ferme-z", FormatText, ErrNotFound},
		{"site is not a producer", "", 0, KindPreparationList, "cantine-a", FormatText, ErrNotFound},
		{"pickup list as text", "", 0, KindPickupList, "relais-centre", FormatText, ErrFormat},
		{"delivery note as geojson", "", 0, KindDeliveryNote, "cantine-a", FormatGeoJSON, ErrFormat},
		{"unknown format", "", 0, KindRoundSheet, "0", "docx", ErrFormat},
		{"unknown kind", "", 0, "invoice", "cantine-a", FormatPDF, ErrFormat},
		{"unknown lang", "de", 0, KindRoundSheet, "0", FormatText, ErrInvalid},
		{"unknown sep", "", '|', KindRoundSheet, "0", FormatCSV, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := in
			in.Lang, in.Sep = tt.lang, tt.sep
			_, err := Render(in, tt.kind, tt.id, tt.format)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "sheets: ") {
				t.Errorf("error %q does not start with its origin", err)
			}
		})
	}
	for _, lang := range []string{"", "fr", "fr-FR", "FR", "en", "en_GB", "en-US"} {
		in.Lang = lang
		if _, err := Render(in, KindRoundSheet, "0", FormatText); err != nil {
			t.Errorf("lang %q: %v", lang, err)
		}
	}
}

func TestCatalog(t *testing.T) {
	in := fixture(t)
	refs, err := Catalog(in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	names := map[string]bool{}
	safe := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	for _, r := range refs {
		got = append(got, r.Kind+" "+r.For+" "+r.Format)
		if names[r.FileName] || !safe.MatchString(r.FileName) {
			t.Errorf("file name %q: repeated or unsafe", r.FileName)
		}
		names[r.FileName] = true
		d := render(t, in, r.Kind, r.For, r.Format)
		if d.FileName != r.FileName || d.Kind != r.Kind || d.For != r.For || d.Format != r.Format || len(d.Body) == 0 {
			t.Errorf("%v rendered as %s %s %s %s (%d bytes)", r, d.Kind, d.For, d.Format, d.FileName, len(d.Body))
		}
	}
	want := []string{
		"round-sheet 0 txt", "round-sheet 0 pdf", "round-sheet 0 csv", "round-sheet 0 geojson",
		"round-sheet 1 txt", "round-sheet 1 pdf", "round-sheet 1 csv", "round-sheet 1 geojson",
		"pickup-list relais-centre pdf", "pickup-list relais-centre csv",
		"preparation-list ferme-a txt", "preparation-list ferme-a pdf", "preparation-list ferme-a csv",
		"preparation-list jardin-b txt", "preparation-list jardin-b pdf", "preparation-list jardin-b csv",
		"delivery-note cantine-a txt", "delivery-note cantine-a pdf", "delivery-note cantine-a csv",
		"packing-list hub pdf", "packing-list hub csv",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("catalog:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, n := range []string{"2026-W49_feuille-de-route_02_camion-1_livraison.pdf", "2026-W49_bon-de-livraison_cantine-a.csv",
		"2026-W49_liste-de-preparation_jardin-b.txt", "2026-W49_liste-de-retrait_relais-centre.pdf"} {
		if !names[n] {
			t.Errorf("no file %q", n)
		}
	}
	docs, err := All(in)
	if err != nil || len(docs) != len(refs) {
		t.Fatalf("All: %d documents, %v; catalog has %d", len(docs), err, len(refs))
	}
	for i, d := range docs {
		if d.FileName != refs[i].FileName {
			t.Errorf("All[%d] is %s, catalog says %s", i, d.FileName, refs[i].FileName)
		}
	}
	// A change in the plan changes exactly the documents that show it.
	changed := fixture(t)
	changed.Plan.Rounds[1].Stops[0].Arrive = "06:52"
	after, _ := All(changed)
	var diff []string
	for i := range docs {
		if !bytes.Equal(docs[i].Body, after[i].Body) {
			diff = append(diff, docs[i].Kind+" "+docs[i].For+" "+docs[i].Format)
		}
	}
	if want := "round-sheet 1 txt,round-sheet 1 pdf,round-sheet 1 csv,round-sheet 1 geojson"; strings.Join(diff, ",") != want {
		t.Errorf("changed documents %q, want %q", diff, want)
	}

	in.Lang = "en"
	refs, _ = Catalog(in)
	if refs[5].FileName != "2026-W49_round-sheet_02_camion-1_delivery.pdf" {
		t.Errorf("english name %q", refs[5].FileName)
	}
}

// TestDeterministic renders every document twice, in both languages, and
// wants the same bytes: PDFs carry the plan's date, not the clock's.
func TestDeterministic(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		in := fixture(t)
		in.Lang = lang
		refs, _ := Catalog(in)
		for _, r := range refs {
			a := render(t, in, r.Kind, r.For, r.Format)
			b := render(t, fixture(t), r.Kind, r.For, r.Format)
			if lang == "fr" && !bytes.Equal(a.Body, b.Body) {
				t.Errorf("%s: two renderings differ", a.FileName)
			}
			c := render(t, in, r.Kind, r.For, r.Format)
			if !bytes.Equal(a.Body, c.Body) {
				t.Errorf("%s: two renderings differ", a.FileName)
			}
			if r.Format == FormatPDF && !bytes.Contains(a.Body, []byte("D:20261201")) {
				t.Errorf("%s: creation date is not the delivery date", a.FileName)
			}
		}
	}
}
