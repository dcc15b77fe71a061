package i18n

import (
	"testing"
	"time"
)

func TestTextIn(t *testing.T) {
	both := Text{FR: "bonjour", EN: "hello"}
	for _, c := range []struct {
		t    Text
		lang string
		want string
	}{
		{both, "fr", "bonjour"},
		{both, "en", "hello"},
		{both, "EN", "hello"},
		{both, "", "bonjour"},
		{both, "de", "bonjour"},
		{both, "en-GB", "bonjour"}, // only "en" asks for English
		{Text{FR: "seul"}, "en", "seul"},
		{Text{EN: "only"}, "fr", "only"},
		{Text{}, "en", ""},
	} {
		if got := c.t.In(c.lang); got != c.want {
			t.Errorf("%+v.In(%q) = %q, want %q", c.t, c.lang, got, c.want)
		}
	}
	if got := Textf("%d pommes", "%d apples", 3); got != (Text{"3 pommes", "3 apples"}) {
		t.Errorf("Textf = %+v", got)
	}
}

func TestNames(t *testing.T) {
	d := time.Date(2026, time.November, 25, 20, 0, 0, 0, time.UTC) // a Wednesday
	for _, c := range []struct{ lang, day, month string }{
		{FR, "mercredi", "novembre"},
		{EN, "Wednesday", "November"},
	} {
		if got := Weekday(c.lang, d.Weekday()); got != c.day {
			t.Errorf("Weekday(%s) = %q, want %q", c.lang, got, c.day)
		}
		if got := Month(c.lang, d.Month()); got != c.month {
			t.Errorf("Month(%s) = %q, want %q", c.lang, got, c.month)
		}
	}
	if Weekday(FR, time.Sunday) != "dimanche" || Month(FR, time.January) != "janvier" || Month(FR, time.December) != "décembre" {
		t.Errorf("French ends of the tables: %s, %s, %s", Weekday(FR, time.Sunday), Month(FR, time.January), Month(FR, time.December))
	}
}

func TestUnit(t *testing.T) {
	for _, tc := range []struct {
		lang, unit string
		q          float64
		want       string
	}{
		{"fr", "pièce", 6, "pièces"}, {"fr", "pièce", 1, "pièce"}, {"fr", "pièce", 1.5, "pièce"}, {"fr", "pièce", 0, "pièce"},
		{"en", "pièce", 6, "pieces"}, {"en", "pièce", 1, "piece"}, {"en", "pièce", 1.5, "pieces"}, {"en", "pièce", 0, "pieces"},
		{"en", "botte", 30, "bunches"}, {"fr", "bunch", 30, "bottes"}, {"EN", "kg", 2, "kg"}, {"fr", "Pièce ", 2, "pièces"},
		{"en", "caisson", 3, "caisson"}, {"fr", "", 3, ""},
	} {
		if got := Unit(tc.lang, tc.unit, tc.q); got != tc.want {
			t.Errorf("Unit(%q, %q, %v) = %q, want %q", tc.lang, tc.unit, tc.q, got, tc.want)
		}
	}
}
