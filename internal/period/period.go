// Package period reads a period of days from two values, ?from= and ?to=
// of the API or the fields of a page: dates YYYY-MM-DD, both included. The
// EGalim reports (both ends required, a year at most) and the MANNE
// statements (each end optional) read theirs here, with their options, so
// the two doors and the two features answer alike.
package period

import (
	"time"

	"paniers/internal/i18n"
)

// Options say what a period must be.
type Options struct {
	// Required: both ends must be given.
	Required bool
	// MaxDays bounds the number of days, both ends counted (0: no bound).
	MaxDays int
	// Location is the time zone of the days (UTC when nil).
	Location *time.Location
}

// Period is a period read. An end left out is "" and its time zero.
type Period struct {
	// From and To are the dates as given.
	From, To string
	// Start is From at 00:00; End is the day after To at 00:00, so the
	// period is [Start, End).
	Start, End time.Time
}

// Problem is what is wrong with one end: Field is "from" or "to".
type Problem struct {
	Field  string
	Reason i18n.Text
}

// Parse reads from and to, at most one problem per end: a date that does
// not read (or before the year 2000 or after 2999), a missing end when
// required, to before from, more than MaxDays days.
func Parse(from, to string, o Options) (Period, []Problem) {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	p := Period{From: from, To: to}
	var probs []Problem
	day := func(field, raw string) time.Time {
		if raw == "" {
			if o.Required {
				probs = append(probs, Problem{field, i18n.Text{FR: "obligatoire : une date AAAA-MM-JJ", EN: "required: a YYYY-MM-DD date"}})
			}
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, raw, loc)
		if err != nil || d.Year() < 2000 || d.Year() > 2999 {
			probs = append(probs, Problem{field, i18n.Textf("date AAAA-MM-JJ attendue (reçu %q)", "YYYY-MM-DD date expected (got %q)", clip(raw, 20))})
			return time.Time{}
		}
		return d
	}
	p.Start, p.End = day("from", from), day("to", to)
	if len(probs) > 0 {
		return Period{}, probs
	}
	if !p.End.IsZero() {
		p.End = p.End.AddDate(0, 0, 1)
	}
	if p.Start.IsZero() || p.End.IsZero() {
		return p, nil
	}
	switch {
	case !p.Start.Before(p.End):
		probs = append(probs, Problem{"to", i18n.Text{FR: "doit être le même jour que le début ou après", EN: "must be on or after the start"}})
	case o.MaxDays > 0 && p.Start.AddDate(0, 0, o.MaxDays).Before(p.End):
		probs = append(probs, Problem{"to", i18n.Textf("%d jours au plus depuis le début", "at most %d days from the start", o.MaxDays)})
	}
	if len(probs) > 0 {
		return Period{}, probs
	}
	return p, nil
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
