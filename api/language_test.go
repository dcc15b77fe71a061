package api

import (
	"net/http/httptest"
	"testing"
)

// TestNegotiateLanguage checks the choice of language beyond TestLanguage's
// requests: weights, ties, regions, refusals (q=0) and the query parameter.
func TestNegotiateLanguage(t *testing.T) {
	for _, tc := range []struct{ query, accept, want string }{
		{"", "", langFR},
		{"", "*", langFR},
		{"", "de, es;q=0.9", langFR},
		{"", "en-US", langEN},
		{"", "EN", langEN},
		{"", "fr-BE", langFR},
		{"", "fr-CA, en;q=0.5", langFR},
		{"", "da, en-gb;q=0.8, en;q=0.7", langEN},
		{"", "de-CH, de;q=0.9, en;q=0.8", langEN},
		{"", "en;q=0.5, fr;q=0.6", langFR},
		{"", "fr;q=0.5, en;q=0.5", langFR}, // a tie goes to the first
		{"", "en;q=0.5, fr;q=0.5", langEN},
		{"", "en;q=0", langFR},
		{"", "en;q=0, fr;q=0.1", langFR},
		{"", "en; q=0.5", langEN},
		{"", "br", langFR},
		{"?lang=EN", "fr", langEN},
		{"?lang=de", "en", langEN}, // an unknown lang leaves it to the header
		{"?lang=", "en", langEN},
		{"?lang=fr", "en", langFR},
	} {
		r := httptest.NewRequest("GET", "/api/v1/weeks"+tc.query, nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		if got := negotiateLanguage(r); got != tc.want {
			t.Errorf("query %q, Accept-Language %q: %s, want %s", tc.query, tc.accept, got, tc.want)
		}
	}
}

func BenchmarkNegotiateLanguage(b *testing.B) {
	r := httptest.NewRequest("GET", "/api/v1/weeks", nil)
	r.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7")
	b.ReportAllocs()
	for b.Loop() {
		negotiateLanguage(r)
	}
}
