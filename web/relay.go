package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner"
	"paniers/planner/sheets"
)

// The relay manager's page: after publication, the pick-up list (on screen
// as the counter's checklist, and as PDF and CSV); the week's extras as a
// form; the households and their subscriptions (add, change, pause).

const (
	pathRelay  = "/relais"
	pathPickup = "/relais/retrait"
)

func (s *Site) registerRelay() {
	s.engine.GET(pathRelay, s.signedIn(s.relayPage))
	s.engine.POST(pathRelay+"/extras", s.signedIn(s.postExtra))
	s.engine.POST(pathRelay+"/extras/:order/annuler", s.signedIn(s.cancelExtra))
	s.engine.POST(pathRelay+"/foyers", s.signedIn(s.postHousehold))
	s.engine.GET(pathRelay+"/foyers/:household", s.signedIn(s.householdPage))
	s.engine.POST(pathRelay+"/foyers/:household", s.signedIn(s.putHousehold))
	s.engine.POST(pathRelay+"/foyers/:household/pause", s.signedIn(s.pauseHousehold))
	s.engine.GET(pathPickup, s.signedIn(s.pickupPage))
	s.engine.POST(pathPickup, s.signedIn(s.postPickup))
	s.engine.POST(pathManne, s.signedIn(s.postPayment))
}

func ownsRelay(p access.Principal, id string) bool { return p.Is(models.RoleRelay) && p.OwnsSite(id) }

// relayData is the relay manager's page.
type relayData struct {
	*page
	Site       models.Site
	Week       models.Week
	HasWeek    bool
	Deadline   deadline
	Products   []models.Product
	Baskets    []models.BasketType
	Households []householdRow
	Extras     []extraRow
	Usual      []extraRow // last week's extras, not ordered yet: one tap each
	Pickup     document
	HasPickup  bool
	PickupURL  string
	// New is the "add a household" form's values.
	Edit householdRow
}

// householdRow is a household with its subscription in words.
type householdRow struct {
	models.Household
	Subscription string
	Basket       string
	Count        string
}

// extraRow is one extra order in words.
type extraRow struct {
	ID, Product, Household string
	Quantity               float64
	Words                  string
}

func (s *Site) relayPage(c *gin.Context, p access.Principal) error {
	return s.renderRelay(c, p, http.StatusOK, nil)
}

// relayBase reads what every relay page shows.
func (s *Site) relayBase(c *gin.Context, p access.Principal, title text, errs *formErrors) (*relayData, weekChoice, error) {
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return nil, weekChoice{}, err
	}
	ctx := c.Request.Context()
	st, err := s.store.GetSite(ctx, site)
	if err != nil {
		return nil, weekChoice{}, err
	}
	if st.Kind != planner.KindRelay {
		return nil, weekChoice{}, errForbidden
	}
	pg := s.newPage(c, p, title)
	pg.Who = st.Name
	if p.IsCoordinator() {
		pg.For = site
	}
	if errs != nil {
		pg.Errors = errs
	}
	d := &relayData{page: pg, Site: st}
	if d.Products, err = all(func(pp models.Page) ([]models.Product, error) { return s.store.ListProducts(ctx, pp) }); err != nil {
		return nil, weekChoice{}, err
	}
	if d.Baskets, err = all(func(pp models.Page) ([]models.BasketType, error) { return s.store.ListBasketTypes(ctx, pp) }); err != nil {
		return nil, weekChoice{}, err
	}
	wc, err := s.chooseWeek(c, orderCutoff)
	if err != nil {
		return nil, weekChoice{}, err
	}
	d.Week, d.HasWeek = wc.Week, wc.Exists
	if wc.Exists {
		d.Deadline = s.deadline(pg.Lang, wc.Week, wc.Week.OrderCutoff)
	}
	return d, wc, nil
}

func (s *Site) renderRelay(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	d, wc, err := s.relayBase(c, p, text{FR: "Mon point relais", EN: "My relay point"}, errs)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	homes, err := all(func(pp models.Page) ([]models.Household, error) { return s.store.ListHouseholds(ctx, d.Site.ID, pp) })
	if err != nil {
		return err
	}
	slices.SortStableFunc(homes, func(a, b models.Household) int { return strings.Compare(foldName(a.Name), foldName(b.Name)) })
	names := map[string]string{}
	for _, h := range homes {
		d.Households = append(d.Households, s.householdRow(d.page, d.Baskets, h))
		names[h.ID] = h.Name
	}
	if wc.Exists {
		if d.Extras, err = s.extras(c, d.page, wc.Week.ID, d.Site.ID, d.Products, names); err != nil {
			return err
		}
		if prev, ok := wc.Previous(); ok {
			last, err := s.extras(c, d.page, prev.ID, d.Site.ID, d.Products, names)
			if err != nil {
				return err
			}
			for _, x := range last {
				if !slices.ContainsFunc(d.Extras, func(y extraRow) bool { return y.Product == x.Product && y.Household == x.Household }) {
					d.Usual = append(d.Usual, x)
				}
			}
		}
		switch c.Query("fait") {
		case "extra":
			if o, err := s.store.GetOrder(ctx, wc.Week.ID, c.Query("id")); err == nil && o.SiteID == d.Site.ID {
				d.Notice = append(d.Notice, d.T("Extra enregistré : ", "Extra saved: ")+s.extraWords(ctx, d.page, o, d.Products, names)+".")
			}
		case "annule":
			d.Notice = append(d.Notice, d.T("Extra annulé.", "Extra cancelled."))
		}
	}
	if c.Query("fait") == "foyer" {
		if h, err := s.store.GetHousehold(ctx, c.Query("id")); err == nil && h.SiteID == d.Site.ID {
			r := s.householdRow(d.page, d.Baskets, h)
			d.Notice = append(d.Notice, d.T("Foyer enregistré : ", "Household saved: ")+h.Name+" – "+r.Subscription+".")
		}
	}
	upTo := wc.Weeks
	if wc.Exists {
		upTo = wc.Weeks[:wc.Index+1]
	}
	if d.Pickup, d.HasPickup, err = s.latestDocument(ctx, d.Lang, p, upTo, sheets.KindPickupList, d.Site.ID, false); err != nil {
		return err
	}
	if d.HasPickup {
		d.PickupURL = d.URL(pathPickup, "semaine", d.Pickup.Week)
	}
	d.Edit = householdRow{Basket: d.Input("basket", ""), Count: d.Input("basket_count", "1")}
	d.Edit.Name, d.Edit.Contact = d.Input("name", ""), d.Input("contact", "")
	return s.render(c, status, "relay", d)
}

// householdRow puts a household's subscription in words.
func (s *Site) householdRow(pg *page, baskets []models.BasketType, h models.Household) householdRow {
	r := householdRow{Household: h, Count: "1"}
	switch {
	case h.BasketTypeID == nil || h.BasketCount == 0:
		r.Subscription = pg.T("sans abonnement (extras seulement)", "no subscription (extras only)")
	default:
		r.Basket, r.Count = *h.BasketTypeID, itoa(h.BasketCount)
		name := *h.BasketTypeID
		for _, b := range baskets {
			if b.ID == name {
				name = b.Name
			}
		}
		r.Subscription = name + " × " + itoa(h.BasketCount)
		if h.Paused {
			r.Subscription += pg.T(", en pause", ", paused")
		}
	}
	return r
}

// extras lists a site's extra orders of a week in words.
func (s *Site) extras(c *gin.Context, pg *page, week, site string, products []models.Product, names map[string]string) ([]extraRow, error) {
	rows, err := all(func(pp models.Page) ([]models.Order, error) {
		return s.store.ListOrders(c.Request.Context(), week, models.OrderFilter{SiteID: site, Class: planner.ClassExtra}, pp)
	})
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []extraRow
	for _, o := range rows {
		if o.ProductID == nil {
			continue
		}
		x := extraRow{ID: o.ID, Product: *o.ProductID, Quantity: o.Quantity, Words: s.extraWords(c.Request.Context(), pg, o, products, names)}
		if o.HouseholdID != nil {
			x.Household = *o.HouseholdID
		}
		out = append(out, x)
	}
	return out, nil
}

// extraWords says "60 pièces d'œufs pour Famille Martin".
func (s *Site) extraWords(ctx context.Context, pg *page, o models.Order, products []models.Product, names map[string]string) string {
	name, unit := "", ""
	if o.ProductID != nil {
		name = *o.ProductID
		for _, p := range products {
			if p.ID == *o.ProductID {
				name, unit = strings.ToLower(p.Name), p.Unit
			}
		}
	}
	w := pg.Qty(o.Quantity, unit) + pg.Of(name)
	if o.HouseholdID != nil {
		if n, ok := names[*o.HouseholdID]; ok {
			w += pg.T(" pour ", " for ") + n
		} else if h, err := s.store.GetHousehold(ctx, *o.HouseholdID); err == nil {
			w += pg.T(" pour ", " for ") + h.Name
		}
	} else {
		w += pg.T(" pour le point relais", " for the relay point")
	}
	return w
}

// postExtra orders an extra product for the week, for the relay point or
// one of its households.
func (s *Site) postExtra(c *gin.Context, p access.Principal) error {
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return err
	}
	week := c.PostForm("week")
	if _, _, err := models.ParseWeekID(week); err != nil {
		return models.ErrNotFound
	}
	c.Request.URL.RawQuery = "semaine=" + week
	errs := newFormErrors(c)
	product, qs, household := strings.TrimSpace(c.PostForm("product")), strings.TrimSpace(c.PostForm("quantity")), strings.TrimSpace(c.PostForm("household"))
	label := map[string]text{"product": {FR: "Produit", EN: "Product"}, "quantity": {FR: "Quantité", EN: "Quantity"}, "household": {FR: "Foyer", EN: "Household"}}
	lbl := func(f string) string { return label[f].In(errs.lang) }
	req := models.ReasonRequired
	if product == "" {
		errs.AddLabelled("product", lbl("product"), req)
	}
	q, ok := parseDecimal(qs)
	switch {
	case qs == "":
		errs.AddLabelled("quantity", lbl("quantity"), req)
	case !ok:
		errs.AddLabelled("quantity", lbl("quantity"), text{FR: "Indiquez une quantité, par exemple 2,5", EN: "Enter a quantity, for example 2.5"})
	}
	if errs.Any() {
		return s.renderRelay(c, p, http.StatusUnprocessableEntity, errs)
	}
	o := models.Order{WeekID: week, SiteID: site, Class: planner.ClassExtra, ProductID: &product, Quantity: q}
	if household != "" {
		o.HouseholdID = &household
	}
	if err := s.store.CreateOrder(c.Request.Context(), &o); err != nil {
		field := func(f string) string {
			switch f {
			case "quantity", "household":
				return f
			}
			return "product"
		}
		if err := errs.fromStore(err, field, lbl, s.loc); err != nil {
			return err
		}
		return s.renderRelay(c, p, http.StatusUnprocessableEntity, errs)
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, s.forURL(p, site, pathRelay, "semaine", week, "fait", "extra", "id", o.ID)))
	return nil
}

// cancelExtra cancels one of the relay point's extra orders.
func (s *Site) cancelExtra(c *gin.Context, p access.Principal) error {
	return s.cancelOwnOrder(c, p, ownsRelay, pathRelay, func(ctx context.Context, week, id string) (string, error) {
		o, err := s.store.GetOrder(ctx, week, id)
		return o.SiteID, err
	}, s.store.DeleteOrder)
}

// cancelOwnOrder cancels an order of the page's site (an extra, a meal
// order): the form's week and the path's order id name it, siteOf reads
// whose it is (another site's is refused as forbidden, before anything is
// deleted), del withdraws it, and the person goes back to page with the
// cancellation said.
func (s *Site) cancelOwnOrder(c *gin.Context, p access.Principal, owns func(access.Principal, string) bool, page string,
	siteOf func(ctx context.Context, week, id string) (string, error), del func(ctx context.Context, week, id string) error) error {
	site, err := scope(c, p, owns)
	if err != nil {
		return err
	}
	week, id := c.PostForm("week"), c.Param("order")
	ctx := c.Request.Context()
	owner, err := siteOf(ctx, week, id)
	if err != nil {
		return err
	}
	if owner != site {
		return errForbidden
	}
	if err := del(ctx, week, id); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, s.forURL(p, site, page, "semaine", week, "fait", "annule")))
	return nil
}

// forURL is a page's address, with ?pour= for a coordinator.
func (s *Site) forURL(p access.Principal, scope, base string, kv ...string) string {
	pg := &page{}
	if p.IsCoordinator() {
		pg.For = scope
	}
	return pg.URL(base, kv...)
}

// householdForm reads the household form into h (site and id already
// set); problems go to errs.
func householdForm(c *gin.Context, errs *formErrors, h *models.Household) {
	h.Name = strings.TrimSpace(c.PostForm("name"))
	h.Contact = strings.TrimSpace(c.PostForm("contact"))
	h.BasketTypeID, h.BasketCount = nil, 0
	if b := c.PostForm("basket"); b != "" {
		h.BasketTypeID = &b
		n, present, ok := parseCount(c.PostForm("basket_count"))
		switch {
		case !ok:
			errs.AddLabelled("basket_count", householdLabel("basket_count", errs.lang), text{FR: "Indiquez un nombre entier de paniers, par exemple 1", EN: "Enter a whole number of baskets, for example 1"})
		case !present:
			n = 1 // as the API: a subscription without a count is one basket
		}
		h.BasketCount = n
	}
	if h.Name == "" {
		errs.AddLabelled("name", householdLabel("name", errs.lang), models.ReasonRequired)
	}
}

func householdLabel(field, lang string) string {
	return map[string]text{
		"name": {FR: "Nom", EN: "Name"}, "contact": {FR: "Contact", EN: "Contact"},
		"basket": {FR: "Panier", EN: "Basket"}, "basket_count": {FR: "Nombre de paniers", EN: "Number of baskets"},
	}[field].In(lang)
}

// householdField maps the store's field names of a household to the form's.
func householdField(f string) string {
	switch f {
	case "name", "contact", "basket", "basket_count":
		return f
	}
	return "name"
}

// postHousehold adds a household to the relay point.
func (s *Site) postHousehold(c *gin.Context, p access.Principal) error {
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return err
	}
	errs := newFormErrors(c)
	h := models.Household{SiteID: site}
	householdForm(c, errs, &h)
	if !errs.Any() {
		err = s.store.CreateHousehold(c.Request.Context(), &h)
		if err == nil {
			c.Redirect(http.StatusSeeOther, s.withLang(c, s.forURL(p, site, pathRelay, "fait", "foyer", "id", h.ID)+"#foyers"))
			return nil
		}
		if err := errs.fromStore(err, householdField, func(f string) string { return householdLabel(f, errs.lang) }, s.loc); err != nil {
			return err
		}
	}
	return s.renderRelay(c, p, http.StatusUnprocessableEntity, errs)
}

// ownHousehold reads a household of the relay point (ErrNotFound for
// another's: the manager cannot tell it exists).
func (s *Site) ownHousehold(c *gin.Context, site string) (models.Household, error) {
	id := c.Param("household")
	if !models.ValidID(id) {
		return models.Household{}, models.ErrNotFound
	}
	h, err := s.store.GetHousehold(c.Request.Context(), id)
	if err == nil && h.SiteID != site {
		err = models.ErrNotFound
	}
	return h, err
}

// householdData is the page changing one household.
type householdData struct {
	*relayData
	Edit householdRow
}

func (s *Site) householdPage(c *gin.Context, p access.Principal) error {
	return s.renderHousehold(c, p, http.StatusOK, nil)
}

func (s *Site) renderHousehold(c *gin.Context, p access.Principal, status int, errs *formErrors) error {
	d, _, err := s.relayBase(c, p, text{FR: "Modifier un foyer", EN: "Change a household"}, errs)
	if err != nil {
		return err
	}
	h, err := s.ownHousehold(c, d.Site.ID)
	if err != nil {
		return err
	}
	r := s.householdRow(d.page, d.Baskets, h)
	r.Name, r.Contact = d.Input("name", h.Name), d.Input("contact", h.Contact)
	r.Basket, r.Count = d.Input("basket", r.Basket), d.Input("basket_count", r.Count)
	r.Paused = d.Checked("paused", "1", h.Paused)
	return s.render(c, status, "household", &householdData{relayData: d, Edit: r})
}

// putHousehold changes a household's name, contact, subscription and
// pause.
func (s *Site) putHousehold(c *gin.Context, p access.Principal) error {
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return err
	}
	h, err := s.ownHousehold(c, site)
	if err != nil {
		return err
	}
	errs := newFormErrors(c)
	householdForm(c, errs, &h)
	h.Paused = c.PostForm("paused") == "1"
	if !errs.Any() {
		err = s.store.UpdateHousehold(c.Request.Context(), &h)
		if err == nil {
			c.Redirect(http.StatusSeeOther, s.withLang(c, s.forURL(p, site, pathRelay, "fait", "foyer", "id", h.ID)+"#foyers"))
			return nil
		}
		if err := errs.fromStore(err, householdField, func(f string) string { return householdLabel(f, errs.lang) }, s.loc); err != nil {
			return err
		}
	}
	return s.renderHousehold(c, p, http.StatusUnprocessableEntity, errs)
}

// pauseHousehold pauses or resumes a subscription in one tap.
func (s *Site) pauseHousehold(c *gin.Context, p access.Principal) error {
	site, err := scope(c, p, ownsRelay)
	if err != nil {
		return err
	}
	h, err := s.ownHousehold(c, site)
	if err != nil {
		return err
	}
	h.Paused = c.PostForm("paused") == "1"
	if err := s.store.UpdateHousehold(c.Request.Context(), &h); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, s.withLang(c, s.forURL(p, site, pathRelay, "fait", "foyer", "id", h.ID)+"#foyers"))
	return nil
}

// foldName is a name for sorting and searching: lower case, without
// accents ("Élodie" sorts and matches as "elodie").
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
