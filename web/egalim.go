package web

import (
	"math"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"paniers/internal/period"
	"paniers/jobs"
	"paniers/models"
	"paniers/planner/egalim"
)

// The cook's EGalim summary: the canteen's purchases over a period (the
// current civil year unless ?du=&au= say otherwise), from the same
// jobs.EgalimReport as the API's route, with the links to the API's
// purchase file and one-page summary (which take the session cookie).

// egalimView is the EGalim section of the cook's page.
type egalimView struct {
	From, To     string // the period's fields, as typed
	FromErr      string
	ToErr        string
	Shown        bool // the period is valid and the figures below are its
	Weeks        int
	Total        string
	Egalim, Bio  string // amounts
	Local        string
	EgalimShare  string
	BioShare     string
	LocalShare   string
	EgalimMet    bool
	BioMet       bool
	HasPurchases bool
	LocalKm      string
	Siret        string
	CSVURL       string
	PDFURL       string
}

// egalimSection reads the period and builds the section; bad is true when
// the period was refused (the fields then keep what was typed).
func (s *Site) egalimSection(c *gin.Context, pg *page, site models.Site) (v egalimView, bad bool, err error) {
	year := s.now().In(s.loc).Year()
	v.From, v.To = c.DefaultQuery("du", strconv.Itoa(year)+"-01-01"), c.DefaultQuery("au", strconv.Itoa(year)+"-12-31")
	per, probs := period.Parse(v.From, v.To, period.Options{Required: true, MaxDays: egalim.MaxPeriodDays})
	from, to := per.From, per.To
	for _, p := range probs {
		if p.Field == "from" {
			v.FromErr = p.Reason.In(pg.Lang)
		} else {
			v.ToErr = p.Reason.In(pg.Lang)
		}
	}
	if len(probs) > 0 {
		return v, true, nil
	}
	rep, err := jobs.EgalimReport(c.Request.Context(), s.store, site.ID, from, to, s.opts.LocalKm)
	if err != nil {
		return v, false, err
	}
	share := func(x float64) string {
		if math.IsNaN(x) {
			return "—"
		}
		return pg.w.Percent(x)
	}
	v.Shown, v.Weeks, v.HasPurchases = true, rep.Weeks, len(rep.Lines) > 0
	v.Total, v.Egalim, v.Bio, v.Local = pg.Money(rep.TotalCents), pg.Money(rep.EgalimCents), pg.Money(rep.BioCents), pg.Money(rep.LocalCents)
	v.EgalimShare, v.BioShare, v.LocalShare = share(rep.EgalimShare()), share(rep.BioShare()), share(rep.LocalShare())
	v.EgalimMet, v.BioMet = rep.EgalimMet(), rep.BioMet()
	v.LocalKm, v.Siret = pg.Num(rep.LocalKm), site.Siret
	q := url.Values{"from": {from}, "to": {to}}
	if pg.Lang == langEN {
		q.Set("lang", langEN)
	}
	base := "/api/v1/sites/" + url.PathEscape(site.ID) + "/egalim/"
	v.CSVURL, v.PDFURL = base+"purchases.csv?"+q.Encode(), base+"report.pdf?"+q.Encode()
	return v, false, nil
}
