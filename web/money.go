package web

import (
	"strings"
)

// maxEuroDigits bounds the euros typed before the decimal separator: twelve
// digits are far beyond any price (the store refuses more than 100,000 €)
// and far from overflowing an int64 of cents.
const maxEuroDigits = 12

// parseEurosCents reads an amount of euros as people type it and returns it
// in cents, with integer arithmetic only (no float on the way, so "0,29" is
// 29 cents and never 28.999…): "22", "22,00", "22.5", "1 234,50" (spaces,
// no-break spaces as thousands separators), with "€" before or after.
// ok is false for anything that is not plainly an amount (see
// amountCents), or more than maxEuroDigits digits of euros. A leading
// minus ("-5", "−5") reads as negative cents, so that the store refuses it
// with its own reason, as it does for the API.
func parseEurosCents(s string) (cents int64, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "€"))
	s = strings.TrimSpace(strings.TrimPrefix(s, "€"))
	neg := false
	for _, minus := range []string{"-", "\u2212"} {
		if rest, found := strings.CutPrefix(s, minus); found {
			neg, s = true, rest
			break
		}
	}
	cents, ok = amountCents(s, maxEuroDigits)
	if neg {
		cents = -cents
	}
	return cents, ok
}

// amountCents reads an unsigned amount with at most two decimals ("12",
// "12,5", ".5", "1 200,00") into cents, exactly; false for more than two
// decimals ("22,001"), a separator without digits after it ("22,"), both
// separators or two of one ("1.234,50", "1,2,3"), any sign, exponents,
// hexadecimal, letters, digits of other scripts, or more than maxDigits
// digits before the separator.
func amountCents(s string, maxDigits int) (cents int64, ok bool) {
	if len(s) > 64 {
		return 0, false
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return 0, false
	}
	whole, frac, hasSep := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if (whole == "" && frac == "") || len(whole) > maxDigits || len(frac) > 2 || (hasSep && frac == "") {
		return 0, false
	}
	digits := whole + (frac + "00")[:2]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
		cents = cents*10 + int64(digits[i]-'0')
	}
	return cents, true
}
