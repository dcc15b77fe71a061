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
