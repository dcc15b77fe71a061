package egalim

import (
	"math"
	"slices"
	"testing"
)

func TestCheckSiret(t *testing.T) {
	for _, tc := range []struct {
		siret string
		ok    bool
	}{
		{"49463556926130", false}, // ma-cantine's example: its SIREN fails Luhn
		{"73282932000074", true},  // a real company's head office
		{"35600000000048", true},  // La Poste's head office: passes Luhn too
		{"35600000040007", true},  // a La Poste establishment: digit sum 25, not Luhn
		{"35600000000001", true},  // La Poste: digit sum 15, not Luhn
		{"35600000000002", false}, // La Poste: digit sum 16
		{"73282932000075", false}, // check digit changed
		{"73282932001074", false}, // a digit changed in the NIC
		{"73282933000074", false}, // a digit changed in the SIREN
		{"4946355692613", false},
		{"494635569261300", false},
		{"4946355692613a", false},
		{"", false},
		{"４9463556926130", false},
	} {
		fr, en := CheckSiret(tc.siret)
		if (fr == "") != tc.ok || (en == "") != tc.ok {
			t.Errorf("CheckSiret(%q) = %q, %q; want ok %v", tc.siret, fr, en, tc.ok)
		}
	}
}

func TestLuhnCatchesEverySingleDigitChange(t *testing.T) {
	const siret = "73282932000074"
	for i := range len(siret) {
		for d := byte('0'); d <= '9'; d++ {
			if d == siret[i] {
				continue
			}
			b := []byte(siret)
			b[i] = d
			if fr, _ := CheckSiret(string(b)); fr == "" {
				t.Errorf("%s (digit %d changed) accepted", b, i)
			}
		}
	}
}

func TestNormalizeLabels(t *testing.T) {
	out, bad, bio := NormalizeLabels([]string{"IGP", "LABEL_ROUGE", "IGP"}, true)
	if !slices.Equal(out, []string{"BIO", "LABEL_ROUGE", "IGP"}) || bad != "" || bio {
		t.Errorf("got %v %q %v", out, bad, bio)
	}
	out, bad, bio = NormalizeLabels([]string{"BIO", "bio", "HVE"}, false)
	if !slices.Equal(out, []string{"HVE"}) || bad != "bio" || !bio {
		t.Errorf("got %v %q %v", out, bad, bio)
	}
	if out, _, _ := NormalizeLabels(nil, false); out == nil || len(out) != 0 {
		t.Errorf("no labels: %#v, want an empty list", out)
	}
	if got := SplitLabels(JoinLabels([]string{"BIO", "HVE"})); !slices.Equal(got, []string{"BIO", "HVE"}) {
		t.Errorf("round trip: %v", got)
	}
	if got := SplitLabels(""); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestDefaultFamily(t *testing.T) {
	for cat, want := range map[string]string{"legume": FamilyFruitsLeg, "fruit": FamilyFruitsLeg, "oeuf": FamilyLaitiers, "viande": FamilyViandes, "savon": FamilyAutres} {
		if got := DefaultFamily(cat); got != want {
			t.Errorf("DefaultFamily(%q) = %q, want %q", cat, got, want)
		}
		if !slices.Contains(Families, DefaultFamily(cat)) {
			t.Errorf("%q: not a family", cat)
		}
	}
	for _, f := range Families {
		if FamilyName(f, "fr") == f || FamilyName(f, "en") == f {
			t.Errorf("family %s has no name", f)
		}
	}
}

func TestDistanceAndShare(t *testing.T) {
	// Loos-en-Gohelle to Lille: about 32 km as the crow flies.
	if d := DistanceKm(50.4578, 2.7917, 50.6290, 3.0890); d < 28 || d > 34 {
		t.Errorf("Loos to Lille %.1f km", d)
	}
	if !math.IsNaN(Share(1, 0)) || Share(1, 4) != 0.25 {
		t.Error("Share")
	}
}
