package sheets

import (
	"fmt"
	"math"
	"strings"

	"paniers/internal/i18n"
	"paniers/planner"
	"paniers/planner/egalim"
)

// egalimText holds the EGalim summary's text in both languages, by key.
var egalimText = map[string]i18n.Text{
	"title":      {FR: "Bilan EGalim — %s", EN: "EGalim summary — %s"},
	"period":     {FR: "Achats livrés du %s au %s", EN: "Purchases delivered from %s to %s"},
	"siret":      {FR: "SIRET %s", EN: "SIRET %s"},
	"nosiret":    {FR: "SIRET non renseigné", EN: "SIRET not set"},
	"source":     {FR: "D'après les bons de livraison de %d semaine(s) publiée(s) ; montants hors taxes.", EN: "From the delivery notes of %d published week(s); amounts excluding VAT."},
	"measure":    {FR: "Indicateur", EN: "Measure"},
	"value":      {FR: "Montant HT", EN: "Amount excl. VAT"},
	"share":      {FR: "Part", EN: "Share"},
	"target":     {FR: "Objectif", EN: "Target"},
	"met":        {FR: "Atteint", EN: "Met"},
	"yes":        {FR: "oui", EN: "yes"},
	"no":         {FR: "non", EN: "no"},
	"total":      {FR: "Total des achats", EN: "All purchases"},
	"egalim":     {FR: "Produits durables et de qualité (bio compris)", EN: "Sustainable and quality products (organic included)"},
	"bio":        {FR: "dont produits bio", EN: "of which organic"},
	"local":      {FR: "Producteurs à moins de %s km", EN: "Producers within %s km"},
	"bymonth":    {FR: "Par mois", EN: "By month"},
	"byfamily":   {FR: "Par famille de produits", EN: "By product family"},
	"month":      {FR: "Mois", EN: "Month"},
	"family":     {FR: "Famille", EN: "Family"},
	"egalimcol":  {FR: "EGalim", EN: "EGalim"},
	"biocol":     {FR: "Bio", EN: "Organic"},
	"localcol":   {FR: "Local", EN: "Local"},
	"notes":      {FR: "Objectifs de la loi EGalim (art. L230-5-1 du Code rural) : au moins 50 %% des achats en valeur hors taxes en produits durables et de qualité, dont au moins 20 %% de produits bio. Chaque achat est un circuit court (un seul intermédiaire : la plateforme) ; local : producteur à moins de %s km de la plateforme, à vol d'oiseau. Le fichier d'import ma-cantine de la même période reprend ces achats ligne à ligne.", EN: "EGalim law targets (art. L230-5-1 of the French Code rural): at least 50 %% of purchases by value excluding VAT in sustainable and quality products, of which at least 20 %% organic. Every purchase is a short circuit (one intermediary: the hub); local: a producer within %s km of the hub, as the crow flies. The ma-cantine import file of the same period lists these purchases line by line."},
	"unpriced":   {FR: "%d ligne(s) sans prix d'offre comptée(s) %s.", EN: "%d line(s) without an offer price counted as %s."},
	"nopurchase": {FR: "Aucun achat livré sur la période.", EN: "No purchase delivered in the period."},
}

// EgalimPDF renders a canteen's EGalim report as a one-page A4 summary for
// the town council: the shares against the law's targets, then by month and
// by product family, in lang ("fr", the default, or "en"). Its dates come
// from the report's period, so the same report gives the same bytes.
func EgalimPDF(rep egalim.Report, lang string) ([]byte, error) {
	r, err := newRenderer(Input{Lang: lang, Scenario: planner.Scenario{DeliveryDate: rep.To}})
	if err != nil {
		return nil, err
	}
	w := func(key string, args ...any) string {
		s := egalimText[key].In(r.lang)
		if len(args) > 0 {
			s = fmt.Sprintf(s, args...)
		}
		return s
	}
	km := r.num(rep.LocalKm)
	title := w("title", rep.Canteen.Name)
	return r.pdf(title, func(d *pdfDoc) {
		siret := w("nosiret")
		if rep.Canteen.Siret != "" {
			siret = w("siret", spacedSiret(rep.Canteen.Siret))
		}
		d.title(title, w("period", r.dayMonthYear(rep.From), r.dayMonthYear(rep.To))+" · "+siret, w("source", rep.Weeks))
		share := func(x float64) string {
			if math.IsNaN(x) {
				return "—"
			}
			return r.percent(x)
		}
		met := func(ok bool) string {
			if ok {
				return w("yes")
			}
			return w("no")
		}
		d.table([]column{
			{Head: w("measure"), W: 70, Align: "L"}, {Head: w("value"), W: 30, Align: "R", Whole: true},
			{Head: w("share"), W: 18, Align: "R", Whole: true}, {Head: w("target"), W: 18, Align: "R", Whole: true},
			{Head: w("met"), W: 16, Align: "C", Whole: true},
		}, []row{
			{Cells: []string{w("total"), r.money(rep.TotalCents), share(egalim.Share(rep.TotalCents, rep.TotalCents)), "", ""}, Strong: true},
			{Cells: []string{w("egalim"), r.money(rep.EgalimCents), share(rep.EgalimShare()), "≥ " + r.percent(egalim.TargetEgalim), met(rep.EgalimMet())}},
			{Cells: []string{w("bio"), r.money(rep.BioCents), share(rep.BioShare()), "≥ " + r.percent(egalim.TargetBio), met(rep.BioMet())}},
			{Cells: []string{w("local", km), r.money(rep.LocalCents), share(rep.LocalShare()), "", ""}},
		})
		if rep.TotalCents == 0 && len(rep.Lines) == 0 {
			d.para(w("nopurchase"))
		}
		cols := func(first string) []column {
			return []column{
				{Head: first, W: 44, Align: "L"}, {Head: w("value"), W: 26, Align: "R", Whole: true},
				{Head: w("egalimcol"), W: 24, Align: "R", Whole: true}, {Head: w("share"), W: 14, Align: "R", Whole: true},
				{Head: w("biocol"), W: 24, Align: "R", Whole: true}, {Head: w("share"), W: 14, Align: "R", Whole: true},
				{Head: w("localcol"), W: 24, Align: "R", Whole: true},
			}
		}
		line := func(name string, t egalim.Totals, strong bool) row {
			return row{Strong: strong, Cells: []string{name, r.money(t.TotalCents), r.money(t.EgalimCents), share(t.EgalimShare()),
				r.money(t.BioCents), share(t.BioShare()), r.money(t.LocalCents)}}
		}
		d.heading(w("bymonth"))
		var months []row
		for _, m := range rep.ByMonth {
			months = append(months, line(r.monthName(m.Key), m.Totals, false))
		}
		d.table(cols(w("month")), append(months, line(w("total"), rep.Totals, true)))
		if len(rep.ByFamily) > 0 {
			d.heading(w("byfamily"))
			var fams []row
			for _, f := range rep.ByFamily {
				fams = append(fams, line(egalim.FamilyName(f.Key, r.lang), f.Totals, false))
			}
			d.table(cols(w("family")), fams)
		}
		d.f.Ln(1)
		if rep.Unpriced > 0 {
			d.small(w("unpriced", rep.Unpriced, r.money(0)))
		}
		d.small(w("notes", km))
	})
}

// small writes wrapped notes at 8 pt, so a summary keeps to one page.
func (d *pdfDoc) small(s string) { d.wrapped(s, 8, 3.6) }

// spacedSiret groups a SIRET as it is usually printed: "216 209 999 00012".
func spacedSiret(s string) string {
	if len(s) != 14 {
		return s
	}
	return strings.Join([]string{s[:3], s[3:6], s[6:9], s[9:]}, " ")
}

// monthName prints "2026-03" as "mars 2026" or "March 2026".
func (r *renderer) monthName(key string) string {
	t, ok := parseDate(key + "-01")
	if !ok {
		return key
	}
	return fmt.Sprintf("%s %d", i18n.Month(r.lang, t.Month()), t.Year())
}

// dayMonthYear prints a YYYY-MM-DD date as "1er janvier 2026",
// "16 décembre 2025" or "16 December 2025".
func (r *renderer) dayMonthYear(s string) string {
	t, ok := parseDate(s)
	if !ok {
		return s
	}
	day := fmt.Sprint(t.Day())
	if day == "1" && r.lang == i18n.FR {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, i18n.Month(r.lang, t.Month()), t.Year())
}
