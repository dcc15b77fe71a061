package models

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"paniers/internal/i18n"
	"paniers/planner/sheets"
)

// Kinds of producers.
const (
	ProducerFarm   = "farm"   // a farm or a market garden
	ProducerGarden = "garden" // a resident's garden: small offers, brought to the hub
)

// Week statuses, in the order a week goes through them.
const (
	WeekOpen      = "open"      // offers and orders accepted until their cutoffs
	WeekClosed    = "closed"    // no more offers nor orders; waiting for the plan
	WeekPlanned   = "planned"   // a plan is stored, not yet published
	WeekPublished = "published" // the plan is published: documents are out
)

// WeekStatuses lists the valid week statuses in their order.
var WeekStatuses = []string{WeekOpen, WeekClosed, WeekPlanned, WeekPublished}

// Roles of access tokens.
const (
	RoleCoordinator = "coordinator" // everything
	RoleFarmer      = "farmer"      // the offers and preparation lists of one producer
	RoleRelay       = "relay"       // the orders, households and pick-up lists of one relay point
	RoleCook        = "cook"        // the meal orders and delivery notes of one canteen
	RoleDriver      = "driver"      // the published round sheets of one vehicle, or of every vehicle (no scope)
)

// Job run outcomes.
const (
	JobRunning = "running"
	JobOK      = "ok"
	JobFailed  = "failed"
	JobSkipped = "skipped"
)

// Limits on quantities: anything above is a typing error, not a harvest.
const (
	MaxQuantity   = 100000   // units of a product in one offer or order
	MaxPriceCents = 10000000 // 100,000 euros for one unit
	MaxCount      = 10000    // baskets in one order, covers of one age group
	MaxServiceMin = 240
	MaxCapacityKg = 40000
)

// PriceCentsValid says whether a price in cents is within 0 and
// MaxPriceCents: the check behind every price_cents reason, shared by the
// pages that word the limit in euros.
func PriceCentsValid(cents int64) bool { return cents >= 0 && cents <= MaxPriceCents }

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidID says whether id can name a record: 1 to 64 lower-case ASCII letters,
// digits, '-' and '_', starting with a letter or digit. The scenario export
// builds ids with ':' for the orders it derives, so they never collide with
// these.
func ValidID(id string) bool { return idPattern.MatchString(id) }

func (p *problems) id(field, id string) {
	if !ValidID(id) {
		p.add(field, "identifiant invalide : 1 à 64 caractères parmi a-z, 0-9, - et _", "invalid id: 1 to 64 characters among a-z, 0-9, - and _")
	}
}

// text checks a text field: present when required, at most max characters
// (not bytes: "é" is one), and free of invisible characters (see
// InvisibleRune), which would reach the printed lists unseen.
func (p *problems) text(field, s string, required bool, max int) {
	switch {
	case required && s == "":
		p.add(field, "obligatoire", "required")
	case !utf8.ValidString(s):
		p.add(field, "texte UTF-8 invalide", "invalid UTF-8 text")
	case utf8.RuneCountInString(s) > max:
		p.add(field, fmt.Sprintf("trop long (%d caractères au plus)", max), fmt.Sprintf("too long (at most %d characters)", max))
	default:
		if i := strings.IndexFunc(s, InvisibleRune); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			p.add(field, fmt.Sprintf("caractère invisible ou de contrôle %U refusé (position %d)", r, utf8.RuneCountInString(s[:i])+1),
				fmt.Sprintf("invisible or control character %U refused (position %d)", r, utf8.RuneCountInString(s[:i])+1))
		}
	}
}

// InvisibleRune reports whether r has no place in a name or a note: control
// characters (C0, DEL, C1, including line breaks and tabs), format
// characters (bidirectional embeddings, overrides and isolates U+202A to
// U+202E and U+2066 to U+2069, zero-width space, joiners and no-break
// U+200B to U+200D, U+2060, U+FEFF, soft hyphen...), line and paragraph
// separators, and unassigned or private-use code points. They could reorder
// or hide what a printed pick-up list shows.
func InvisibleRune(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp) ||
		!unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (p *problems) coords(lat, lon float64) {
	if !finite(lat) || lat < -90 || lat > 90 {
		p.add("lat", "latitude hors de [-90, 90]", "latitude out of [-90, 90]")
	}
	if !finite(lon) || lon < -180 || lon > 180 {
		p.add("lon", "longitude hors de [-180, 180]", "longitude out of [-180, 180]")
	}
}

// stop checks what makes a producer or a site a place where a van stops:
// town, address, coordinates, time window and service time, with the same
// limits for both.
func (p *problems) stop(place, address string, lat, lon float64, windowStart, windowEnd string, serviceMin float64) {
	p.text("place", place, false, 100)
	p.text("address", address, false, 300)
	p.coords(lat, lon)
	p.window("window", windowStart, windowEnd)
	p.rangeF("service_min", serviceMin, 0, MaxServiceMin, false)
}

// rangeF checks lo <= x <= hi (lo < x when open is true).
func (p *problems) rangeF(field string, x, lo, hi float64, open bool) {
	if !finite(x) || x > hi || x < lo || (open && x == lo) {
		if open {
			p.add(field, "doit être > "+frNum.Num(lo)+" et <= "+frNum.Num(hi), "must be > "+enNum.Num(lo)+" and <= "+enNum.Num(hi))
		} else {
			p.add(field, "doit être entre "+frNum.Num(lo)+" et "+frNum.Num(hi), "must be between "+enNum.Num(lo)+" and "+enNum.Num(hi))
		}
	}
}

// frNum and enNum print the numbers of a reason as the reader writes them
// ("0,1 kg", "6 pièces"; "0.1 kg", "6 pieces"), as the pages and documents do.
var frNum, enNum = sheets.WordsFor("fr"), sheets.WordsFor("en")

// offStep adds "must be a multiple of" a step in a unit ("kg", "pièce",
// "g").
func (p *problems) offStep(field string, step float64, unit string) {
	fr, en := frNum.Quantity(step, unit), enNum.Quantity(step, unit)
	if unit == "g" {
		fr, en = frNum.Num(step)+" g", enNum.Num(step)+" g"
	}
	p.add(field, "doit être un multiple de "+fr, "must be a multiple of "+en)
}

// ParseClock parses an "HH:MM" time of day into minutes after midnight.
func ParseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("models: time of day %q: want HH:MM", s)
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("models: time of day %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// window checks an "HH:MM"-"HH:MM" window with start before end.
func (p *problems) window(field, start, end string) {
	a, errA := ParseClock(start)
	b, errB := ParseClock(end)
	switch {
	case errA != nil:
		p.add(field+"[0]", "heure invalide, format HH:MM", "invalid time, want HH:MM")
	case errB != nil:
		p.add(field+"[1]", "heure invalide, format HH:MM", "invalid time, want HH:MM")
	case a >= b:
		p.add(field, "le début doit précéder la fin", "start must be before end")
	}
}

// stepTolerance is how far, relative to the quantity, a quantity may be
// from a multiple of its step: room for the decimal writing of binary
// floats (0.1 * 3), not for a quantity of its own.
const stepTolerance = 1e-9

// onStep says whether a positive q is a whole multiple of step (one step
// at least), within stepTolerance relative to q; a step of 0 or less
// accepts any q. A speck far below the step (1e-7 or 5e-324 for a step of
// 0.1) is a multiple of zero steps, and refused. A q that is not positive
// is left to the range check, which reports it.
func onStep(q, step float64) bool {
	if !finite(q) || q <= 0 || step <= 0 {
		return true
	}
	n := math.Round(q / step)
	return n >= 1 && math.Abs(n*step-q) <= stepTolerance*q
}

// PortionStep is the step of a portion in grams per cover (a dish's
// portion_g, a portion's grams).
const PortionStep = 0.1

// grams checks a portion in grams per cover: more than 0, at most 2 kg,
// on PortionStep.
func (p *problems) grams(field string, grams float64) {
	p.rangeF(field, grams, 0, 2000, true)
	if grams <= 2000 && !onStep(grams, PortionStep) {
		p.offStep(field, PortionStep, "g")
	}
}

// ParseDate parses a "YYYY-MM-DD" date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("models: date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// isNotFoundDB says whether a raw gorm error is a missing record.
func isNotFoundDB(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// ReasonRequired is the reason given for a required field left out, by the
// API and the pages alike.
var ReasonRequired = i18n.Text{FR: "champ obligatoire", EN: "required field"}

// truncate cuts s to at most n runes, with an ellipsis when it was cut, so
// a reason quoting what the client sent stays short.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
