package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/sheets"
)

// The counter's checklist: the published pick-up list of a week on
// screen, households in alphabetical order, a search box, a big box to
// tick per household (each tick a small form post, so it works without
// JavaScript) and the count left to collect at the top. It prints cleanly.

// pickupData is the checklist page.
type pickupData struct {
	*page
	Site     models.Site
	Week     models.Week
	Rows     []pickupRow
	Shown    int
	Left     int
	Total    int
	Q        string
	Document document
	// Manne is set when the store keeps the MANNE: rows then show their
	// balances and a payment form.
	HasManne bool
}

// pickupRow is one household at the counter. HasAccount says it has a
// MANNE account, with Balance in cents; Key is its payment form's
// idempotency key.
type pickupRow struct {
	ID, Name, What string
	Done           bool
	Hidden         bool
	HasAccount     bool
	Balance        int64
	Key            string
}

// PayField names a row's payment amount field.
func (r pickupRow) PayField() string { return "amount-" + r.ID }

func (s *Site) pickupPage(c *gin.Context, p access.Principal) error {
	return s.renderPickup(c, p, http.StatusOK, nil)
}

// renderPickup renders the checklist, with a posted form's errors.
func (s *Site) renderPickup(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	d, _, err := s.relayBase(c, p, text{FR: "Liste de retrait", EN: "Pick-up list"}, errs)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	week := c.Request.URL.Query().Get("semaine")
	wc, err := s.chooseWeek(c, orderCutoff)
	if err != nil {
		return err
	}
	doc, ok, err := s.latestDocument(ctx, d.Lang, p, wc.Weeks[:wc.Index+1], sheets.KindPickupList, d.Site.ID, true)
	if err != nil {
		return err
	}
	if ok && week == "" {
		// The counter's bookmark: the latest published list.
		c.Redirect(http.StatusFound, s.withLang(c, s.forURL(p, d.Site.ID, pathPickup, "semaine", doc.Week)))
		return nil
	}
	if !ok || doc.Week != week {
		s.problemPage(c, http.StatusNotFound, text{FR: "La liste de retrait de cette semaine n'est pas encore publiée.", EN: "This week's pick-up list is not published yet."})
		return nil
	}
	in := doc.in
	done, err := s.store.Collected(ctx, week, d.Site.ID)
	if err != nil {
		return err
	}
	pd := &pickupData{page: d.page, Site: d.Site, Week: wc.Week, Document: doc, Q: strings.TrimSpace(c.Request.URL.Query().Get("q"))}
	pd.Title = d.T("Retrait du ", "Pick-up on ") + d.Date(wc.Week.DeliveryDate)
	pd.Rows = pickupRows(d.page, in, d.Site.ID)
	balances, err := s.balances(ctx, d.Site.ID)
	if err != nil {
		return err
	}
	pd.HasManne = s.manne() != nil
	names := map[string]string{}
	q := foldName(pd.Q)
	for i := range pd.Rows {
		r := &pd.Rows[i]
		names[r.ID] = r.Name
		r.Balance, r.HasAccount = balances[r.ID]
		r.Key = newPaymentKey()
		_, r.Done = done[r.ID]
		if !r.Done {
			pd.Left++
		}
		r.Hidden = q != "" && !strings.Contains(foldName(r.Name), q)
		if !r.Hidden {
			pd.Shown++
		}
	}
	pd.Total = len(pd.Rows)
	if c.Query("fait") == "manne" {
		if n := s.paymentNotice(ctx, d.page, d.Site.ID, c.Query("id"), names); n != "" {
			pd.Notice = append(pd.Notice, n)
		}
	}
	return s.render(c, status, "pickup", pd)
}

// pickupRows turns the week's households of a relay point into checklist
// rows, one per household (its lines merged), in alphabetical order.
func pickupRows(pg *page, in sheets.Input, site string) []pickupRow {
	baskets := map[string]string{}
	for _, b := range in.Scenario.BasketTypes {
		baskets[b.ID] = b.Name
	}
	var rows []pickupRow
	at := map[string]int{}
	for _, h := range in.Households[site] {
		var parts []string
		if h.Basket != "" && h.Count > 0 {
			name := baskets[h.Basket]
			if name == "" {
				name = h.Basket
			}
			parts = append(parts, name+" × "+itoa(h.Count))
		}
		for _, x := range h.Extras {
			name, unit := x.Product, ""
			for _, p := range in.Scenario.Products {
				if p.ID == x.Product {
					name, unit = strings.ToLower(p.Name), p.Unit
				}
			}
			parts = append(parts, pg.Qty(x.Quantity, unit)+pg.Of(name))
		}
		key := h.ID
		if key == "" {
			key = h.Name
		}
		if i, ok := at[key]; ok {
			rows[i].What += ", " + strings.Join(parts, ", ")
			continue
		}
		at[key] = len(rows)
		rows = append(rows, pickupRow{ID: h.ID, Name: h.Name, What: strings.Join(parts, ", ")})
	}
	slices.SortStableFunc(rows, func(a, b pickupRow) int { return strings.Compare(foldName(a.Name), foldName(b.Name)) })
	return rows
}

// postPickup ticks or unticks one household, then goes back to the list
// where it was.
func (s *Site) postPickup(c *gin.Context, p access.Principal) error {
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return err
	}
	week, household := c.PostForm("week"), c.PostForm("household")
	if _, _, err := models.ParseWeekID(week); err != nil || !models.ValidID(household) {
		return models.ErrNotFound
	}
	err = s.store.SetCollected(c.Request.Context(), week, site, household, c.PostForm("collected") == "1")
	if errors.Is(err, models.ErrNotFound) {
		return err
	}
	if err != nil {
		return err
	}
	to := s.forURL(p, site, pathPickup, "semaine", week, "q", strings.TrimSpace(c.PostForm("q")))
	c.Redirect(http.StatusSeeOther, s.withLang(c, to)+"#h-"+household)
	return nil
}
