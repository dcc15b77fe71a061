package accept

import "testing"

func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "fr"},
		{"en", "en"},
		{"en-GB,en;q=0.9", "en"},
		{"fr-BE", "fr"},
		{"fr;q=0.4,en;q=0.8", "en"},
		{"en;q=0.4,fr;q=0.8", "fr"},
		{"de-DE", "fr"},
		{"br", "fr"},
		{"de,en;q=0.5", "en"},
		{"*", "fr"},
		{";;;", "fr"},
	} {
		if got := Language(tc.header); got != tc.want {
			t.Errorf("Language(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
