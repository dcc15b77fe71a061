package period

import (
	"strings"
	"testing"
	"time"
)

// TestParse reads periods with the EGalim options (both ends required, a
// year at most) and the MANNE statements' (each end optional, local days).
func TestParse(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	report := Options{Required: true, MaxDays: 366}
	statement := Options{Location: paris}
	for _, tc := range []struct {
		name     string
		from, to string
		o        Options
		fields   string // fields refused, in order
		reason   string // part of the first reason, in French
	}{
		{"a year", "2026-01-01", "2026-12-31", report, "", ""},
		{"a leap year", "2024-01-01", "2024-12-31", report, "", ""},
		{"366 days and one", "2024-01-01", "2025-01-01", report, "to", "366 jours au plus"},
		{"one day", "2026-05-04", "2026-05-04", report, "", ""},
		{"to before from", "2026-05-04", "2026-05-03", report, "to", "le même jour que le début ou après"},
		{"both missing", "", "", report, "from,to", "obligatoire"},
		{"to missing", "2026-01-01", "", report, "to", "obligatoire"},
		{"not a date", "2026-13-01", "2026-02-30", report, "from,to", "date AAAA-MM-JJ attendue"},
		{"year 1999", "1999-12-31", "2026-01-01", report, "from", "date AAAA-MM-JJ attendue"},
		{"year 3000", "2026-01-01", "3000-01-01", statement, "to", "date AAAA-MM-JJ attendue"},
		{"open start", "", "2026-12-01", statement, "", ""},
		{"open end", "2026-12-01", "", statement, "", ""},
		{"everything", "", "", statement, "", ""},
		{"long and open", "2000-01-01", "2999-12-31", statement, "", ""},
		{"statement backwards", "2026-12-02", "2026-12-01", statement, "to", "le même jour"},
		{"a long value clipped", strings.Repeat("é", 40), "", statement, "from", strings.Repeat("é", 20) + "…"},
	} {
		p, probs := Parse(tc.from, tc.to, tc.o)
		var fields []string
		for _, pr := range probs {
			fields = append(fields, pr.Field)
			if pr.Reason.FR == "" || pr.Reason.EN == "" {
				t.Errorf("%s: %s refused without a reason in both languages", tc.name, pr.Field)
			}
		}
		if got := strings.Join(fields, ","); got != tc.fields {
			t.Errorf("%s: refused %q, want %q (%v)", tc.name, got, tc.fields, probs)
			continue
		}
		if len(probs) > 0 {
			if !strings.Contains(probs[0].Reason.FR, tc.reason) {
				t.Errorf("%s: reason %q, want it to hold %q", tc.name, probs[0].Reason.FR, tc.reason)
			}
			continue
		}
		if p.From != tc.from || p.To != tc.to {
			t.Errorf("%s: dates %q %q, want them as given", tc.name, p.From, p.To)
		}
	}
}

// TestParseTimes: a period is [from 00:00, the day after to 00:00) in its
// time zone, a local day long across a change of time.
func TestParseTimes(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	p, probs := Parse("2026-03-29", "2026-03-29", Options{Location: paris})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if want := time.Date(2026, 3, 29, 0, 0, 0, 0, paris); !p.Start.Equal(want) {
		t.Errorf("start %v, want %v", p.Start, want)
	}
	if want := time.Date(2026, 3, 30, 0, 0, 0, 0, paris); !p.End.Equal(want) || p.End.Sub(p.Start) != 23*time.Hour {
		t.Errorf("end %v (%v after the start), want %v, 23 h later", p.End, p.End.Sub(p.Start), want)
	}
	if p, _ := Parse("", "", Options{}); !p.Start.IsZero() || !p.End.IsZero() {
		t.Errorf("an open period has times %v %v", p.Start, p.End)
	}
	if p, _ := Parse("2026-01-01", "2026-01-01", Options{}); p.Start.Location() != time.UTC {
		t.Errorf("without a location the days are UTC's, got %v", p.Start.Location())
	}
}
