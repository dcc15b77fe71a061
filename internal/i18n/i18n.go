// Package i18n holds the one way paniers keeps user-facing text in its two
// languages: French, the default, and English. It is a leaf of the
// standard library only, so that the planner (which must stay pure), the
// store, the API and the pages all use it.
package i18n

import (
	"fmt"
	"strings"
	"time"
)

// The two languages, as the lang values (query parameters, flags, options)
// name them.
const (
	FR = "fr"
	EN = "en"
)

// Text is one user-facing message in both languages.
type Text struct {
	FR, EN string
}

// In returns the message in lang: English when lang is "en" (in any case),
// French otherwise. When the message lacks the language asked, the other
// one is returned rather than nothing.
func (t Text) In(lang string) string {
	if strings.EqualFold(lang, EN) {
		if t.EN != "" {
			return t.EN
		}
		return t.FR
	}
	if t.FR != "" {
		return t.FR
	}
	return t.EN
}

// Textf formats both languages of a message with the same arguments.
func Textf(fr, en string, args ...any) Text {
	return Text{FR: fmt.Sprintf(fr, args...), EN: fmt.Sprintf(en, args...)}
}

var (
	frenchWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths   = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// Weekday names a day of the week in lang (as In chooses it), in lower
// case in French ("mercredi") and capitalised in English ("Wednesday"), as
// each language writes it within a sentence.
func Weekday(lang string, d time.Weekday) string {
	if strings.EqualFold(lang, EN) {
		return d.String()
	}
	return frenchWeekdays[d]
}

// Month names a month in lang (as In chooses it), "novembre" or "November".
func Month(lang string, m time.Month) string {
	if strings.EqualFold(lang, EN) {
		return m.String()
	}
	return frenchMonths[m-1]
}

// Unit names a product's unit in lang, singular or plural as the quantity q
// asks: in French the plural from 2 on ("1,5 pièce", "2 pièces"), in
// English for anything but 1 ("1.5 pieces"). Spellings of either language
// are known ("pièce", "piece", "pc", "botte", "bunch", ...); a unit it does
// not know prints as it is.
func Unit(lang, unit string, q float64) string {
	u, ok := units[strings.ToLower(strings.TrimSpace(unit))]
	if !ok {
		return unit
	}
	plural := q != 1
	if !strings.EqualFold(lang, EN) {
		plural = q >= 2
	}
	if plural {
		return u.many.In(lang)
	}
	return u.one.In(lang)
}

// unitWords is a unit's singular (one) and plural (many), in both
// languages.
type unitWords struct{ one, many Text }

// units maps unit spellings to their names.
var units = func() map[string]unitWords {
	m := map[string]unitWords{}
	add := func(one, many Text, names ...string) {
		for _, n := range names {
			m[n] = unitWords{one, many}
		}
	}
	add(Text{FR: "kg", EN: "kg"}, Text{FR: "kg", EN: "kg"}, "kg", "kilo", "kilogramme", "kilogram")
	add(Text{FR: "g", EN: "g"}, Text{FR: "g", EN: "g"}, "g", "gramme", "gram")
	add(Text{FR: "L", EN: "L"}, Text{FR: "L", EN: "L"}, "l", "litre", "liter")
	add(Text{FR: "pièce", EN: "piece"}, Text{FR: "pièces", EN: "pieces"}, "piece", "pièce", "pc", "pcs", "unit", "unité", "u")
	add(Text{FR: "botte", EN: "bunch"}, Text{FR: "bottes", EN: "bunches"}, "bunch", "botte")
	add(Text{FR: "douzaine", EN: "dozen"}, Text{FR: "douzaines", EN: "dozen"}, "dozen", "douzaine")
	add(Text{FR: "pot", EN: "jar"}, Text{FR: "pots", EN: "jars"}, "jar", "pot")
	add(Text{FR: "tête", EN: "head"}, Text{FR: "têtes", EN: "heads"}, "head", "tête")
	add(Text{FR: "barquette", EN: "punnet"}, Text{FR: "barquettes", EN: "punnets"}, "punnet", "barquette")
	return m
}()
