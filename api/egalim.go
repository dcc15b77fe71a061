package api

import (
	"fmt"
	"math"
	"net/url"

	"github.com/gin-gonic/gin"

	"paniers/internal/period"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner/egalim"
	"paniers/planner/sheets"
)

// EGalim reporting: a canteen's purchases over a period, from the delivery
// notes of its published weeks (drafts never count), as figures, as
// ma-cantine's purchase import file and as a one-page summary for the town
// council. The coordinator reads every canteen's, a cook its own; another
// canteen's cook gets 403 like on the other scoped routes.

// egalimStore is what the EGalim routes read; *models.Store satisfies it.
type egalimStore interface {
	jobs.EgalimSource
}

var _ egalimStore = (*models.Store)(nil)

func (s *Server) registerEgalim(v1 *gin.RouterGroup) {
	cook := s.requireRole(models.RoleCook)
	v1.GET("/sites/:site/egalim", cook, s.handle(s.getEgalim))
	v1.GET("/sites/:site/egalim/purchases.csv", cook, s.handle(s.getEgalimPurchases))
	v1.GET("/sites/:site/egalim/report.pdf", cook, s.handle(s.getEgalimReport))
}

// egalimPeriod reads ?from= and ?to=, both required, a year at most: 400
// naming the parameter when refused.
func egalimPeriod(c *gin.Context) (from, to string, err error) {
	p, err := readPeriod(c, period.Options{Required: true, MaxDays: egalim.MaxPeriodDays})
	return p.From, p.To, err
}

// egalimReport checks the caller's scope and the period, and builds the
// report of the {site} canteen (404 when it is not a canteen).
func (s *Server) egalimReport(c *gin.Context) (egalim.Report, error) {
	site, err := idParam(c, "site")
	if err != nil {
		return egalim.Report{}, err
	}
	if !mustPrincipal(c).OwnsSite(site) {
		return egalim.Report{}, errOtherSite("site")
	}
	from, to, err := egalimPeriod(c)
	if err != nil {
		return egalim.Report{}, err
	}
	rep, err := jobs.EgalimReport(c.Request.Context(), s.store, site, from, to, s.opts.LocalKm)
	if err != nil {
		return egalim.Report{}, notFoundAs(err, "site", text{FR: "la cantine", EN: "the canteen"}, site)
	}
	return rep, nil
}

// egalimTotalsBody is a set of purchases' totals: cents excluding VAT, and
// shares of the total between 0 and 1 rounded to 4 decimals (null when the
// total is 0).
type egalimTotalsBody struct {
	TotalHTCents int64    `json:"total_ht_cents"`
	BioCents     int64    `json:"bio_cents"`
	EgalimCents  int64    `json:"egalim_cents"`
	LocalCents   int64    `json:"local_cents"`
	BioShare     *float64 `json:"bio_share"`
	EgalimShare  *float64 `json:"egalim_share"`
	LocalShare   *float64 `json:"local_share"`
}

func toEgalimTotals(t egalim.Totals) egalimTotalsBody {
	return egalimTotalsBody{TotalHTCents: t.TotalCents, BioCents: t.BioCents, EgalimCents: t.EgalimCents, LocalCents: t.LocalCents,
		BioShare: shareOf(t.BioShare()), EgalimShare: shareOf(t.EgalimShare()), LocalShare: shareOf(t.LocalShare())}
}

func shareOf(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	x = egalim.RoundShare(x)
	return &x
}

type egalimFamilyBody struct {
	Family string `json:"family"`
	Name   string `json:"name"`
	egalimTotalsBody
}

type egalimWeekBody struct {
	Week         string `json:"week"`
	DeliveryDate string `json:"delivery_date"`
	egalimTotalsBody
}

type egalimMonthBody struct {
	Month string `json:"month"`
	egalimTotalsBody
}

type egalimTargetsBody struct {
	EgalimShare float64 `json:"egalim_share"`
	BioShare    float64 `json:"bio_share"`
}

// egalimBody is a canteen's EGalim report.
type egalimBody struct {
	Canteen        string  `json:"canteen"`
	Name           string  `json:"name"`
	Siret          string  `json:"siret,omitempty"`
	From           string  `json:"from"`
	To             string  `json:"to"`
	LocalKm        float64 `json:"local_km"`
	PublishedWeeks int     `json:"published_weeks"`
	Lines          int     `json:"lines"`
	UnpricedLines  int     `json:"unpriced_lines"`
	egalimTotalsBody
	Targets      egalimTargetsBody  `json:"targets"`
	EgalimMet    bool               `json:"egalim_target_met"`
	BioMet       bool               `json:"bio_target_met"`
	ByFamily     []egalimFamilyBody `json:"by_family"`
	ByWeek       []egalimWeekBody   `json:"by_week"`
	ByMonth      []egalimMonthBody  `json:"by_month"`
	PurchasesURL string             `json:"purchases_url"`
	ReportURL    string             `json:"report_url"`
}

func (s *Server) getEgalim(c *gin.Context) error {
	rep, err := s.egalimReport(c)
	if err != nil {
		return err
	}
	lang := language(c)
	q := url.Values{"from": {rep.From}, "to": {rep.To}}.Encode()
	base := "/api/v1/sites/" + rep.Canteen.ID + "/egalim"
	out := egalimBody{Canteen: rep.Canteen.ID, Name: rep.Canteen.Name, Siret: rep.Canteen.Siret, From: rep.From, To: rep.To,
		LocalKm: rep.LocalKm, PublishedWeeks: rep.Weeks, Lines: len(rep.Lines), UnpricedLines: rep.Unpriced,
		egalimTotalsBody: toEgalimTotals(rep.Totals),
		Targets:          egalimTargetsBody{EgalimShare: egalim.TargetEgalim, BioShare: egalim.TargetBio},
		EgalimMet:        rep.EgalimMet(), BioMet: rep.BioMet(),
		ByFamily: []egalimFamilyBody{}, ByWeek: []egalimWeekBody{}, ByMonth: []egalimMonthBody{},
		PurchasesURL: base + "/purchases.csv?" + q, ReportURL: base + "/report.pdf?" + q}
	for _, g := range rep.ByFamily {
		out.ByFamily = append(out.ByFamily, egalimFamilyBody{Family: g.Key, Name: egalim.FamilyName(g.Key, lang), egalimTotalsBody: toEgalimTotals(g.Totals)})
	}
	for _, g := range rep.ByWeek {
		out.ByWeek = append(out.ByWeek, egalimWeekBody{Week: g.Key, DeliveryDate: g.DeliveryDate, egalimTotalsBody: toEgalimTotals(g.Totals)})
	}
	for _, g := range rep.ByMonth {
		out.ByMonth = append(out.ByMonth, egalimMonthBody{Month: g.Key, egalimTotalsBody: toEgalimTotals(g.Totals)})
	}
	ok(c, out)
	return nil
}

// getEgalimPurchases serves ma-cantine's purchase import file; 409 naming
// siret while the canteen has none (the file names the canteen by it).
func (s *Server) getEgalimPurchases(c *gin.Context) error {
	rep, err := s.egalimReport(c)
	if err != nil {
		return err
	}
	if rep.Canteen.Siret == "" {
		return errKind(kindConflict, text{FR: "La cantine n'a pas de SIRET : ma-cantine en a besoin pour importer ses achats.", EN: "The canteen has no SIRET: ma-cantine needs it to import its purchases."},
			FieldError{Field: "siret", Reason: textf("à renseigner par la coordination (PUT /api/v1/sites/%s)", "to be set by the coordinator (PUT /api/v1/sites/%s)", rep.Canteen.ID)})
	}
	sendDoc(c, sheets.Doc{FileName: fmt.Sprintf("egalim-achats-%s-%s-%s.csv", rep.Canteen.ID, rep.From, rep.To), ContentType: "text/csv; charset=utf-8", Body: egalim.PurchasesCSV(rep)})
	return nil
}

// getEgalimReport serves the one-page summary for the town council.
func (s *Server) getEgalimReport(c *gin.Context) error {
	rep, err := s.egalimReport(c)
	if err != nil {
		return err
	}
	body, err := sheets.EgalimPDF(rep, language(c))
	if err != nil {
		return err
	}
	sendDoc(c, sheets.Doc{FileName: fmt.Sprintf("bilan-egalim-%s-%s-%s.pdf", rep.Canteen.ID, rep.From, rep.To), ContentType: "application/pdf", Body: body})
	return nil
}
