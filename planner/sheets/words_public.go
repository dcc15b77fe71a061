package sheets

import (
	"strconv"
	"strings"
	"time"

	"paniers/internal/i18n"
)

// Words prints numbers, money, dates and quantities in one language exactly
// as the documents do, so that a figure reads the same on a page and on
// paper. The pages (package web) use it.
type Words struct{ r *renderer }

// WordsFor returns the Words of lang ("fr", the default, or "en"; a region
// suffix is accepted, anything else is French).
func WordsFor(lang string) Words {
	r, err := newRenderer(Input{Lang: lang})
	if err != nil {
		r, _ = newRenderer(Input{})
	}
	return Words{r}
}

// Lang is "fr" or "en".
func (w Words) Lang() string { return w.r.lang }

// Num prints "9,5" (French) or "9.5", at most three decimals, thousands
// grouped: "1 200" (French) or "1,200".
func (w Words) Num(x float64) string {
	s := w.r.num(x)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, w.r.w.DecimalMark)
	if len(whole) <= 3 {
		return sign + s
	}
	sep := w.r.w.Thousands
	if w.r.lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	out := sign + b.String()
	if hasFrac {
		out += w.r.w.DecimalMark + frac
	}
	return out
}

// Money prints cents as "1 234,56 €" or "€1,234.56".
func (w Words) Money(cents int64) string { return w.r.money(cents) }

// Percent prints a share (0.42) as "42 %" or "42%".
func (w Words) Percent(x float64) string { return w.r.percent(x) }

// Unit prints a unit for quantity q: "kg", "pièces", "pieces".
func (w Words) Unit(unit string, q float64) string { return w.r.unitName(unit, q) }

// Quantity prints "9,5 kg", "12 pièces".
func (w Words) Quantity(q float64, unit string) string {
	if u := w.Unit(unit, q); u != "" {
		return w.Num(q) + " " + u
	}
	return w.Num(q)
}

// Date prints a "YYYY-MM-DD" date as "mardi 8 décembre 2026" or "Tuesday 8
// December 2026"; DayMonth leaves the year out ("mardi 8 décembre"). A date
// that does not parse prints as it is.
func (w Words) Date(s string) string { return w.r.longDate(s) }

// DayMonth prints "mardi 8 décembre" or "Tuesday 8 December".
func (w Words) DayMonth(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return w.DayMonthOf(t)
}

// DayMonthOf is DayMonth of a time.
func (w Words) DayMonthOf(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if w.r.lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return strings.Join([]string{i18n.Weekday(w.r.lang, t.Weekday()), day, i18n.Month(w.r.lang, t.Month())}, " ")
}

// Category names a product category ("legume": "légumes").
func (w Words) Category(c string) string {
	if n, ok := w.r.w.Categories[c]; ok {
		return n
	}
	return c
}
