package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// The cook's page: after publication, the delivery note (organic share
// included) with its PDF; the meal order of a date as one form (covers per
// age group and the dishes' products), prefilled with the canteen's usual
// covers; the week's meal orders with the produce each turns into.

const pathCook = "/cantine"

func (s *Site) registerCook() {
	s.engine.GET(pathCook, s.signedIn(s.cookPage))
	s.engine.POST(pathCook+"/repas", s.signedIn(s.postMealOrder))
	s.engine.POST(pathCook+"/repas/:order/annuler", s.signedIn(s.cancelMealOrder))
}

func ownsCanteen(p access.Principal, id string) bool { return p.Is(models.RoleCook) && p.OwnsSite(id) }

// cookData is the cook's page.
type cookData struct {
	*page
	Site      models.Site
	Week      models.Week
	HasWeek   bool
	Deadline  deadline
	Products  []models.Product
	Groups    []coverField
	Dishes    []dishField
	DateValue string
	MinDate   string
	MaxDate   string
	Orders    []mealRow
	Note      document
	HasNote   bool
	// Organic is the delivery note's organic share in words.
	Organic string
	Egalim  egalimView
}

// coverField is one age group's covers field.
type coverField struct {
	Group, Field, Label, Value string
}

// dishField is one product that may be a dish, with its portion field.
type dishField struct {
	Product      models.Product
	Checked      bool
	PortionField string
	Portion      string
}

// mealRow is one stored meal order in words.
type mealRow struct {
	ID, Date, Covers, Dishes, Produce string
}

// ageLabels name the age groups.
var ageLabels = map[string]text{
	models.AgeMaternelle:  {FR: "Maternelle (3 à 6 ans)", EN: "Nursery school (3 to 6)"},
	models.AgeElementaire: {FR: "Élémentaire (6 à 11 ans)", EN: "Primary school (6 to 11)"},
	models.AgeAdulte:      {FR: "Adultes", EN: "Adults"},
	models.AgeSenior:      {FR: "Seniors", EN: "Seniors"},
}

func (s *Site) cookPage(c *gin.Context, p access.Principal) error {
	return s.renderCook(c, p, http.StatusOK, nil)
}

func (s *Site) renderCook(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	site, err := scope(c, p, ownsCanteen)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	st, err := s.store.GetSite(ctx, site)
	if err != nil {
		return err
	}
	if st.Kind != planner.KindCanteen {
		return errForbidden
	}
	pg := s.newPage(c, p, text{FR: "Mes commandes de repas", EN: "My meal orders"})
	pg.Who = st.Name
	if p.IsCoordinator() {
		pg.For = site
	}
	if errs != nil {
		pg.Errors = errs
	}
	d := &cookData{page: pg, Site: st}
	if d.Products, err = all(func(pp models.Page) ([]models.Product, error) { return s.store.ListProducts(ctx, pp) }); err != nil {
		return err
	}
	wc, err := s.chooseWeek(c, orderCutoff)
	if err != nil {
		return err
	}
	d.Week, d.HasWeek = wc.Week, wc.Exists
	usual := map[string]int{}
	if wc.Exists {
		d.Deadline = s.deadline(pg.Lang, wc.Week, wc.Week.OrderCutoff)
		if del, err := models.ParseDate(wc.Week.DeliveryDate); err == nil {
			d.MinDate, d.MaxDate = del.Format(time.DateOnly), del.AddDate(0, 0, 6).Format(time.DateOnly)
		}
		orders, err := s.mealOrders(c, wc.Week.ID, site)
		if err != nil {
			return err
		}
		for _, m := range orders {
			r, err := s.mealRow(c, pg, d.Products, m)
			if err != nil {
				return err
			}
			d.Orders = append(d.Orders, r)
		}
		// The usual covers: those of the canteen's latest meal order, this
		// week or the one before.
		latest := orders
		if prev, ok := wc.Previous(); ok && len(latest) == 0 {
			if latest, err = s.mealOrders(c, prev.ID, site); err != nil {
				return err
			}
		}
		if len(latest) > 0 {
			for _, cv := range latest[len(latest)-1].Covers {
				usual[cv.AgeGroup] = cv.Covers
			}
		}
		switch c.Query("fait") {
		case "repas":
			if m, err := s.store.GetMealOrder(ctx, wc.Week.ID, c.Query("id")); err == nil && m.SiteID == site {
				r, err := s.mealRow(c, pg, d.Products, m)
				if err != nil {
					return err
				}
				d.Notice = append(d.Notice, pg.T("Commande de repas enregistrée : ", "Meal order saved: ")+r.Date+", "+r.Covers+" ; "+r.Dishes+pg.T(". Produits à livrer : ", ". Produce to deliver: ")+r.Produce+".")
			}
		case "annule":
			d.Notice = append(d.Notice, pg.T("Commande de repas annulée.", "Meal order cancelled."))
		}
	}
	d.DateValue = pg.Input("date", d.MinDate)
	for _, g := range models.AgeGroups {
		v := ""
		if n := usual[g]; n > 0 {
			v = itoa(n)
		}
		f := "covers." + g
		d.Groups = append(d.Groups, coverField{Group: g, Field: f, Label: ageLabels[g].In(pg.Lang), Value: pg.Input(f, v)})
	}
	for _, pr := range d.Products {
		f := "portion_g." + pr.ID
		d.Dishes = append(d.Dishes, dishField{Product: pr, Checked: pg.Checked("dish", pr.ID, false), PortionField: f, Portion: pg.Input(f, "")})
	}
	upTo := wc.Weeks
	if wc.Exists {
		upTo = wc.Weeks[:wc.Index+1]
	}
	if d.Note, d.HasNote, err = s.latestDocument(ctx, pg.Lang, p, upTo, sheets.KindDeliveryNote, site, true); err != nil {
		return err
	}
	if d.HasNote {
		total, organic, err := sheets.DeliveryTotals(d.Note.in, site)
		if err != nil {
			return err
		}
		if total > 0 {
			d.Organic = pg.T("Part bio en valeur : ", "Organic share by value: ") + pg.w.Percent(float64(organic)/float64(total)) +
				" (" + pg.Money(organic) + pg.T(" sur ", " of ") + pg.Money(total) + pg.T(" HT)", " excl. VAT)")
		}
	}
	var badPeriod bool
	if d.Egalim, badPeriod, err = s.egalimSection(c, pg, st); err != nil {
		return err
	}
	if badPeriod && status == http.StatusOK {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "cook", d)
}

func (s *Site) mealOrders(c *gin.Context, week, site string) ([]models.MealOrder, error) {
	rows, err := all(func(pp models.Page) ([]models.MealOrder, error) {
		return s.store.ListMealOrders(c.Request.Context(), week, models.MealOrderFilter{SiteID: site}, pp)
	})
	slices.SortStableFunc(rows, func(a, b models.MealOrder) int { return strings.Compare(a.Date, b.Date) })
	return rows, err
}

// mealRow puts a meal order in words, with the produce it turns into.
func (s *Site) mealRow(c *gin.Context, pg *page, products []models.Product, m models.MealOrder) (mealRow, error) {
	byID := map[string]models.Product{}
	for _, p := range products {
		byID[p.ID] = p
	}
	r := mealRow{ID: m.ID, Date: pg.Date(m.Date)}
	var covers []string
	for _, g := range models.AgeGroups {
		for _, cv := range m.Covers {
			if cv.AgeGroup == g {
				covers = append(covers, itoa(cv.Covers)+" "+strings.ToLower(ageLabels[g].In(pg.Lang)))
			}
		}
	}
	r.Covers = strings.Join(covers, ", ")
	var dishes []string
	for _, d := range m.Dishes {
		name := strings.ToLower(byID[d.ProductID].Name)
		if name == "" {
			name = d.ProductID
		}
		if d.PortionG != nil {
			name += " (" + pg.Num(*d.PortionG) + pg.T(" g par couvert)", " g per cover)")
		}
		dishes = append(dishes, name)
	}
	r.Dishes = strings.Join(dishes, ", ")
	produce, err := s.store.MealProduce(c.Request.Context(), m)
	if err != nil {
		return r, err
	}
	var parts []string
	for _, q := range produce {
		p := byID[q.Product]
		parts = append(parts, pg.Qty(roundTo(q.Quantity, p.Step), p.Unit)+pg.Of(p.Name))
	}
	r.Produce = strings.Join(parts, ", ")
	return r, nil
}

// roundTo rounds a quantity up to its product's step, as the week's order
// will be.
func roundTo(q, step float64) float64 { return models.CeilStep(q, step) }

// postMealOrder stores the meal order of one date.
func (s *Site) postMealOrder(c *gin.Context, p access.Principal) error {
	site, err := scope(c, p, ownsCanteen)
	if err != nil {
		return err
	}
	week := c.PostForm("week")
	if _, _, err := models.ParseWeekID(week); err != nil {
		return models.ErrNotFound
	}
	c.Request.URL.RawQuery = "semaine=" + week
	errs := newFormErrors(c)
	lbl := func(f string) string {
		if g, ok := strings.CutPrefix(f, "covers."); ok {
			return text{FR: "Couverts ", EN: "Covers "}.In(errs.lang) + strings.ToLower(ageLabels[g].In(errs.lang))
		}
		if strings.HasPrefix(f, "portion_g.") {
			return text{FR: "Portion", EN: "Portion"}.In(errs.lang)
		}
		return map[string]text{"date": {FR: "Date", EN: "Date"}, "dish": {FR: "Plats", EN: "Dishes"}}[f].In(errs.lang)
	}
	req := models.ReasonRequired
	m := models.MealOrder{WeekID: week, SiteID: site, Date: strings.TrimSpace(c.PostForm("date"))}
	if m.Date == "" {
		errs.AddLabelled("date", lbl("date"), req)
	}
	for _, g := range models.AgeGroups {
		f := "covers." + g
		n, present, ok := parseCount(c.PostForm(f))
		switch {
		case !ok:
			errs.AddLabelled(f, lbl(f), text{FR: "Indiquez un nombre entier de couverts, par exemple 112", EN: "Enter a whole number of covers, for example 112"})
		case present && n != 0:
			m.Covers = append(m.Covers, models.MealCover{AgeGroup: g, Covers: n})
		}
	}
	for _, id := range c.PostFormArray("dish") {
		d := models.MealDish{ProductID: id}
		f := "portion_g." + id
		if ps := strings.TrimSpace(c.PostForm(f)); ps != "" {
			g, ok := parseDecimal(ps)
			if !ok {
				errs.AddLabelled(f, lbl(f), text{FR: "Indiquez une portion en grammes, par exemple 80", EN: "Enter a portion in grams, for example 80"})
			}
			d.PortionG = &g
		}
		m.Dishes = append(m.Dishes, d)
	}
	field := func(f string) string {
		switch {
		case f == "date":
			return "date"
		case f == "covers":
			return "covers." + models.AgeMaternelle
		case strings.HasPrefix(f, "covers["):
			if i := indexOf(f); i >= 0 && i < len(m.Covers) {
				return "covers." + m.Covers[i].AgeGroup
			}
			return "covers." + models.AgeMaternelle
		case strings.HasPrefix(f, "dishes[") && strings.HasSuffix(f, ".portion_g"):
			if i := indexOf(f); i >= 0 && i < len(m.Dishes) {
				return "portion_g." + m.Dishes[i].ProductID
			}
		}
		return "dish"
	}
	if errs.Any() {
		// Name every other failing field too (the store's checks; nothing
		// is stored), so one answer shows all the mistakes.
		if err := errs.fromStore(s.store.CheckMealOrder(c.Request.Context(), m), field, lbl, s.loc); err != nil {
			return err
		}
		return s.renderCook(c, p, http.StatusUnprocessableEntity, errs)
	}
	if err := s.store.CreateMealOrder(c.Request.Context(), &m); err != nil {
		if err := errs.fromStore(err, field, lbl, s.loc); err != nil {
			return err
		}
		return s.renderCook(c, p, http.StatusUnprocessableEntity, errs)
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, s.forURL(p, site, pathCook, "semaine", week, "fait", "repas", "id", m.ID)))
	return nil
}

// indexOf reads i in "covers[i].covers".
func indexOf(f string) int {
	_, rest, ok := strings.Cut(f, "[")
	if !ok {
		return -1
	}
	n, _, _ := strings.Cut(rest, "]")
	i, _, ok := parseCount(n)
	if !ok {
		return -1
	}
	return i
}

// cancelMealOrder cancels one of the canteen's meal orders.
func (s *Site) cancelMealOrder(c *gin.Context, p access.Principal) error {
	return s.cancelOwnOrder(c, p, ownsCanteen, pathCook, func(ctx context.Context, week, id string) (string, error) {
		m, err := s.store.GetMealOrder(ctx, week, id)
		return m.SiteID, err
	}, s.store.DeleteMealOrder)
}
