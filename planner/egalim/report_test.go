package egalim

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"testing"
)

func TestEuros(t *testing.T) {
	for c, want := range map[int64]string{0: "0.00", 5: "0.05", 123456: "1234.56", -5: "-0.05", 100: "1.00"} {
		if got := Euros(c); got != want {
			t.Errorf("Euros(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestBuild(t *testing.T) {
	line := func(date, family string, cents int64, labels []string, local bool) Line {
		return Line{Date: date, Description: "x", Supplier: "Ferme", Family: family, AmountCents: cents, Labels: labels, Local: local, Priced: true}
	}
	weeks := []Week{
		{ID: "2026-W05", DeliveryDate: "2026-01-27", Lines: []Line{
			line("2026-01-27", FamilyFruitsLeg, 1000, []string{LabelBio}, true),
			line("2026-01-27", FamilyLaitiers, 500, []string{LabelFermier}, false),
		}},
		{ID: "2026-W06", DeliveryDate: "2026-02-03"},
		{ID: "2026-W10", DeliveryDate: "2026-03-03", Lines: []Line{line("2026-03-03", FamilyFruitsLeg, 1500, nil, true)}},
	}
	r := Build(Canteen{ID: "c", Siret: "21620999900012"}, "2026-01-01", "2026-03-31", 50, weeks)
	if r.TotalCents != 3000 || r.BioCents != 1000 || r.EgalimCents != 1500 || r.LocalCents != 2500 || r.Weeks != 3 || len(r.Lines) != 3 {
		t.Fatalf("totals %+v", r)
	}
	if !r.EgalimMet() || r.BioMet() == false || r.EgalimShare() != 0.5 {
		t.Errorf("targets: egalim %v bio %v", r.EgalimMet(), r.BioMet())
	}
	if len(r.ByMonth) != 3 || r.ByMonth[0].TotalCents != 1500 || r.ByMonth[1].TotalCents != 0 || r.ByMonth[2].TotalCents != 1500 {
		t.Errorf("months %+v", r.ByMonth)
	}
	if len(r.ByWeek) != 3 || r.ByWeek[1].TotalCents != 0 || r.ByWeek[2].Key != "2026-W10" {
		t.Errorf("weeks %+v", r.ByWeek)
	}
	if len(r.ByFamily) != 2 || r.ByFamily[0].Key != FamilyFruitsLeg || r.ByFamily[0].TotalCents != 2500 || r.ByFamily[1].EgalimCents != 500 {
		t.Errorf("families %+v", r.ByFamily)
	}
	// Just under the targets: 49.99 % and 19.99 % are not met.
	under := Totals{TotalCents: 10000, EgalimCents: 4999, BioCents: 1999}
	if under.EgalimMet() || under.BioMet() {
		t.Error("targets met under 50 % / 20 %")
	}
	if empty := Build(Canteen{}, "2026-01-01", "2026-01-31", 50, nil); empty.EgalimMet() || !math.IsNaN(empty.BioShare()) || len(empty.ByMonth) != 1 {
		t.Errorf("empty %+v", empty)
	}
	rows, err := csv.NewReader(bytes.NewReader(PurchasesCSV(r))).ReadAll()
	if err != nil || len(rows) != 4 || !slices.Equal(rows[0], PurchaseColumns) {
		t.Fatalf("csv %q %v", rows, err)
	}
	if got := rows[1]; got[0] != "21620999900012" || got[4] != "10.00" || got[6] != "BIO" || got[9] != "OUI" || got[10] != "KM" || got[11] != "50" {
		t.Errorf("row %q", got)
	}
	if got := rows[2]; got[9] != "NON" || got[10] != "" || got[11] != "" || got[8] != "OUI" {
		t.Errorf("row %q", got)
	}
}

func TestMonthsAcrossYears(t *testing.T) {
	m := months("2025-11-15", "2026-02-01")
	var keys []string
	for _, g := range m {
		keys = append(keys, g.Key)
	}
	if !slices.Equal(keys, []string{"2025-11", "2025-12", "2026-01", "2026-02"}) {
		t.Errorf("months %v", keys)
	}
}
