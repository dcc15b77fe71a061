package sheets

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"unicode"

	"paniers/internal/i18n"
	"paniers/planner"
)

// num prints a quantity with at most three decimals and the language's
// decimal mark: "9,5" in French, "9.5" in English.
func (r *renderer) num(x float64) string {
	return withMark(plainNum(x), r.w.DecimalMark)
}

// csvNum prints a number for a CSV cell: a decimal comma with ';' (French
// spreadsheets), a point otherwise.
func (r *renderer) csvNum(x float64) string {
	if r.sep == ';' {
		return withMark(plainNum(x), ",")
	}
	return plainNum(x)
}

// plainNum prints x with at most three decimals, no trailing zeros.
func plainNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "?"
	}
	s := strconv.FormatFloat(math.Round(x*1000)/1000, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

func withMark(s, mark string) string {
	if mark == "." {
		return s
	}
	return strings.Replace(s, ".", mark, 1)
}

// km prints a distance with one decimal.
func (r *renderer) km(x float64) string {
	return withMark(strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64), r.w.DecimalMark) + " km"
}

// duration prints minutes as "18 min" or "3 h 05 min".
func duration(m float64) string {
	n := int(math.Round(m))
	if n < 60 {
		return fmt.Sprintf("%d min", n)
	}
	return fmt.Sprintf("%d h %02d min", n/60, n%60)
}

// legText prints a leg as "12,3 km · 18 min", "—" when unknown.
func (r *renderer) legText(l leg) string {
	if !l.Known {
		return "—"
	}
	if !l.TimeKnown {
		return r.km(l.Km)
	}
	return r.km(l.Km) + " · " + duration(l.Min)
}

// unitName prints a product's unit in the language, plural when the
// quantity asks for it (i18n.Unit). Units it does not know print as they
// are.
func (r *renderer) unitName(unit string, q float64) string {
	return i18n.Unit(r.lang, unit, q)
}

// qty prints a quantity with its unit: "9,5 kg", "12 pièces".
func (r *renderer) qty(q float64, p planner.Product) string {
	u := r.unitName(p.Unit, q)
	if u == "" {
		return r.num(q)
	}
	return r.num(q) + " " + u
}

// cratesText prints "3 caisses".
func (r *renderer) cratesText(n int) string {
	if n == 1 || (r.lang == "fr" && n == 0) {
		return fmt.Sprintf("%d %s", n, r.w.Crate)
	}
	return fmt.Sprintf("%d %s", n, r.w.Crates)
}

// kgText prints a weight.
func (r *renderer) kgText(x float64) string {
	return r.num(x) + " kg"
}

// window prints "07:00–09:00", "—" when unset.
func window(w planner.Window) string {
	if w[0] == "" && w[1] == "" {
		return "—"
	}
	return w[0] + "–" + w[1]
}

// longDate prints "mardi 1er décembre 2026" or "Tuesday 1 December 2026";
// a date that does not parse prints as it is.
func (r *renderer) longDate(s string) string {
	t, ok := parseDate(s)
	if !ok {
		return s
	}
	day := strconv.Itoa(t.Day())
	if r.lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", i18n.Weekday(r.lang, t.Weekday()), day, i18n.Month(r.lang, t.Month()), t.Year())
}

// money prints cents as "1 234,56 €" or "€1,234.56".
func (r *renderer) money(cents int64) string {
	s := r.amount(cents)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if r.lang == "fr" {
		s += " €"
	} else {
		s = "€" + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// amount prints cents as "1 234,56" or "1,234.56", without a currency.
func (r *renderer) amount(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	euros := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteString(r.w.Thousands)
		}
		b.WriteRune(c)
	}
	s := fmt.Sprintf("%s%s%02d", b.String(), r.w.DecimalMark, cents%100)
	if neg {
		s = "-" + s
	}
	return s
}

// csvMoney prints cents as a plain number of euros for a CSV cell.
func (r *renderer) csvMoney(cents int64) string {
	s := strconv.FormatFloat(float64(cents)/100, 'f', 2, 64)
	if r.sep == ';' {
		s = withMark(s, ",")
	}
	return s
}

// percent prints a share as "42 %" (French) or "42%".
func (r *renderer) percent(x float64) string {
	n := r.num(math.Round(x*1000) / 10)
	if r.lang == "fr" {
		return n + " %"
	}
	return n + "%"
}

// slug turns an id into a safe file name part: ASCII letters, digits and
// dashes. An id that had to change gets a short hash of itself so
// two ids never share a file name.
func slug(id string) string {
	var b strings.Builder
	dash := false
	for _, c := range id {
		if f, ok := fold[unicode.ToLower(c)]; ok {
			b.WriteString(f)
			dash = false
			continue
		}
		if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			b.WriteRune(c)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 48 {
		s = strings.TrimRight(s[:48], "-")
	}
	if s == id && s != "" {
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	if s == "" {
		return fmt.Sprintf("x%08x", h.Sum32())
	}
	return fmt.Sprintf("%s-%06x", s, h.Sum32()&0xffffff)
}

// fold spells accented letters in ASCII for file names.
var fold = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'ć': "c", 'č': "c",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ę': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o", 'ø': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ý': "y", 'ñ': "n", 'ń': "n", 'ł': "l", 'ś': "s", 'š': "s",
	'ź': "z", 'ż': "z", 'ž': "z", 'œ': "oe", 'æ': "ae", 'ß': "ss",
}

// fileName is "2026-W49_feuille-de-route_01_camion-1_livraison.pdf".
func (r *renderer) fileName(kind, stem, format string) string {
	week := r.in.Plan.Week
	if week == "" {
		week = r.in.Scenario.Week
	}
	return slug(week) + "_" + r.w.FileKinds[kind] + "_" + stem + "." + format
}
