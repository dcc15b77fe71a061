package web

import (
	"strings"
	"testing"
)

// TestParseEurosCents reads amounts as people type them, in integer cents, and
// refuses what is not plainly an amount, hostile input included.
func TestParseEurosCents(t *testing.T) {
	good := []struct {
		in   string
		want int64
	}{
		{"22", 2200}, {"22,00", 2200}, {"22.00", 2200}, {"22,5", 2250}, {"22.5", 2250},
		{"0,29", 29}, {"0.07", 7}, {",50", 50}, {"0", 0}, {"00,00", 0},
		{" 22,00 ", 2200}, {"22,00 €", 2200}, {"22€", 2200}, {"€22.00", 2200}, {"€ 22", 2200},
		{"1 234,50", 123450}, {"1\u00a0234,50", 123450}, {"1\u202f234,50", 123450},
		{"100000", 10000000}, {"999999999999,99", 99999999999999},
		// A minus parses: the store refuses it with its own reason.
		{"-5", -500}, {"-5,50", -550}, {"\u22125", -500}, {"-0", 0},
	}
	for _, tc := range good {
		if got, ok := parseEurosCents(tc.in); !ok || got != tc.want {
			t.Errorf("parseEurosCents(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
		}
	}
	bad := []string{
		"", " ", "€", "-", ",", ".", "22,", "22.", "22,001", "22.001", "0,005",
		"1.234,50", "1,234.50", "1,2,3", "1..2", "+22", "--5", "-+5", "5-",
		"1e3", "1E3", "2e-2", "0x10", "0b11", "NaN", "nan", "Inf", "-Inf", "infinity",
		"vingt", "22 euros", "22 EUR", "22$", "$22", "22,0a", "a22", "١٢", "２２", "22\x00", "22\n5",
		"1/2", "(22)", "22%", "9999999999999", "9999999999999,00", strings.Repeat("9", 400),
		"99999999999999999999", "'22'", "22'000",
	}
	for _, in := range bad {
		if got, ok := parseEurosCents(in); ok {
			t.Errorf("parseEurosCents(%q) = %d, accepted", in, got)
		}
	}
}

// FuzzParseEurosCents: whatever is typed, parseEurosCents does not panic, and what it
// accepts prints back (inputEuros) to an amount it reads the same.
func FuzzParseEurosCents(f *testing.F) {
	for _, s := range []string{"22,00", "1 234,5", "-0,07", "€3", "1e3", "22,001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseEurosCents(s)
		if !ok {
			return
		}
		for _, lang := range []string{langFR, langEN} {
			if back, ok := parseEurosCents(inputEuros(lang, c)); !ok || back != c {
				t.Fatalf("%q: %d cents prints as %q, which reads %d, %v", s, c, inputEuros(lang, c), back, ok)
			}
		}
	})
}

// TestParseEuros: the farmer's price field takes the unit after the amount.
func TestParseEuros(t *testing.T) {
	for in, want := range map[string]int64{"1,90": 190, "1,90 € / kg HT": 190, "1.90€/kg": 190, "2 € HT": 200, "0,29": 29} {
		if got, ok := parseEuros(in); !ok || got != want {
			t.Errorf("parseEuros(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"1e2", "1,905", "deux", "/kg", "1,90 £"} {
		if got, ok := parseEuros(in); ok {
			t.Errorf("parseEuros(%q) = %d, accepted", in, got)
		}
	}
}
