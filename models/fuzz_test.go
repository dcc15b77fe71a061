package models_test

import (
	"testing"

	"paniers/models"
)

// FuzzWeekID checks that any text either is refused as a week id or names a
// week whose calendar gives back the same id, and that nothing panics.
//
//	go test -run XXX -fuzz FuzzWeekID -fuzztime 30s ./models/
func FuzzWeekID(f *testing.F) {
	for _, s := range []string{"2026-W49", "2026-W53", "2025-W53", "2027-W01", "0000-W00", "2026-W4", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		y, w, err := models.ParseWeekID(id)
		if err != nil {
			if _, err := models.DefaultCalendar(id, paris); err == nil {
				t.Fatalf("DefaultCalendar accepts %q that ParseWeekID refuses", id)
			}
			return
		}
		mon := models.WeekMonday(y, w, paris)
		if got := models.WeekID(mon); got != id {
			t.Fatalf("WeekID(WeekMonday(%q)) = %q", id, got)
		}
		cal, err := models.DefaultCalendar(id, paris)
		if err != nil {
			t.Fatalf("DefaultCalendar(%q): %v", id, err)
		}
		if !cal.OfferCutoff.Before(cal.OrderCutoff) || cal.OrderCutoff.After(mon) {
			t.Fatalf("calendar of %q out of order: %+v", id, cal)
		}
	})
}
