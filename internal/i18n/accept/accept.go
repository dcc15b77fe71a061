// Package accept reads an Accept-Language header for the API and the pages
// alike: one matcher, so that both doors answer a browser in the same
// language. It is apart from package i18n, which the planner imports and
// which therefore keeps to the standard library.
package accept

import (
	"golang.org/x/text/language"

	"paniers/internal/i18n"
)

// languages are the languages paniers speaks, French first: the matcher's
// answer when nothing in the header matches.
var languages = language.NewMatcher([]language.Tag{language.French, language.English})

// Language returns i18n.EN when the best match of header (its weights, then
// its order) among French and English is English, as golang.org/x/text
// judges it (fr-BE is French, en-GB English, Breton reads French), and
// i18n.FR otherwise, an empty or malformed header included.
func Language(header string) string {
	if header == "" {
		return i18n.FR
	}
	if _, i := language.MatchStrings(languages, header); i == 1 {
		return i18n.EN
	}
	return i18n.FR
}
