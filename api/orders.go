package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// orderStore is what the order and meal order routes need; *models.Store
// satisfies it.
type orderStore interface {
	ListOrders(ctx context.Context, week string, f models.OrderFilter, page models.Page) ([]models.Order, error)
	GetOrder(ctx context.Context, week, id string) (models.Order, error)
	CreateOrder(ctx context.Context, o *models.Order) error
	DeleteOrder(ctx context.Context, week, id string) error
	ListMealOrders(ctx context.Context, week string, f models.MealOrderFilter, page models.Page) ([]models.MealOrder, error)
	GetMealOrder(ctx context.Context, week, id string) (models.MealOrder, error)
	CreateMealOrder(ctx context.Context, m *models.MealOrder) error
	DeleteMealOrder(ctx context.Context, week, id string) error
}

var _ orderStore = (*models.Store)(nil)

// Orders of relay points (baskets and extras) and meal orders of canteens.
// A relay manager reads and writes its own relay point's orders, a cook its
// own canteen's meal orders; the coordinator all of them.

func (s *Server) registerOrders(v1 *gin.RouterGroup) {
	relay := s.requireRole(models.RoleRelay)
	v1.GET("/weeks/:week/orders", relay, s.handle(s.listOrders))
	v1.POST("/weeks/:week/orders", relay, s.handle(s.postOrder))
	v1.GET("/weeks/:week/orders/:order", relay, s.handle(s.getOrder))
	v1.DELETE("/weeks/:week/orders/:order", relay, s.handle(s.deleteOrder))
}

func (s *Server) registerMealOrders(v1 *gin.RouterGroup) {
	cook := s.requireRole(models.RoleCook)
	v1.GET("/weeks/:week/meal-orders", cook, s.handle(s.listMealOrders))
	v1.POST("/weeks/:week/meal-orders", cook, s.handle(s.postMealOrder))
	v1.GET("/weeks/:week/meal-orders/:order", cook, s.handle(s.getMealOrder))
	v1.DELETE("/weeks/:week/meal-orders/:order", cook, s.handle(s.deleteMealOrder))
}

// errOtherSite is the 403 of a relay manager or cook reaching for another
// site.
func errOtherSite(field string) *Error {
	e := forbidden(text{FR: "Ce jeton n'agit que pour son propre site.", EN: "This token only acts for its own site."})
	e.Fields = []FieldError{{Field: field, Reason: text{FR: "site hors du périmètre du jeton", EN: "site outside the token's scope"}}}
	return e
}

// siteFilter returns the ?site= filter of a list: the caller's own site for
// a relay manager or cook (403 when it asks for another), any for the
// coordinator.
func siteFilter(c *gin.Context) (string, error) {
	site, err := optionalID(c.Query, "site")
	if err != nil {
		return "", err
	}
	if p := mustPrincipal(c); !p.IsCoordinator() {
		if site != "" && site != p.Scope {
			return "", errOtherSite("site")
		}
		site = p.Scope
	}
	return site, nil
}

// bodySite returns the site of a posted order: the caller's own when left
// out by a relay manager or cook; 403 when it names another.
func bodySite(c *gin.Context, site *string) (*string, error) {
	p := mustPrincipal(c)
	if site == nil && !p.IsCoordinator() {
		return &p.Scope, nil
	}
	if site != nil && !p.OwnsSite(*site) {
		return nil, errOtherSite("site")
	}
	return site, nil
}

func (s *Server) listOrders(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	var f models.OrderFilter
	if f.SiteID, err = siteFilter(c); err != nil {
		return err
	}
	if f.HouseholdID, err = optionalID(c.Query, "household"); err != nil {
		return err
	}
	switch f.Class = c.Query("class"); f.Class {
	case "", "basket", "extra":
	default:
		return errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: "class", Reason: text{FR: "basket ou extra attendu", EN: "basket or extra expected"}})
	}
	return listOf(c, func(pg models.Page) ([]models.Order, error) {
		rows, err := s.store.ListOrders(c.Request.Context(), week, f, pg)
		return rows, notFoundAs(err, "week", nameWeek, week)
	}, s.toOrder)
}

func (s *Server) getOrder(c *gin.Context) error {
	return siteOrder(c, nameOrder, s.store.GetOrder, func(o models.Order) string { return o.SiteID }, s.toOrder)
}

// deleteOrder cancels an order of the caller's relay point until the
// week's order cutoff.
func (s *Server) deleteOrder(c *gin.Context) error {
	return cancelSiteOrder(c, nameOrder, s.store.GetOrder, func(o models.Order) string { return o.SiteID }, s.store.DeleteOrder)
}

// deleteMealOrder cancels a meal order of the caller's canteen until the
// week's order cutoff.
func (s *Server) deleteMealOrder(c *gin.Context) error {
	return cancelSiteOrder(c, nameMealOrder, s.store.GetMealOrder, func(m models.MealOrder) string { return m.SiteID }, s.store.DeleteMealOrder)
}

// cancelSiteOrder deletes one order of a week named by {order}, if it
// belongs to the caller's site: 204, or 409 after the cutoff.
func cancelSiteOrder[R any](c *gin.Context, what text, fetch func(context.Context, string, string) (R, error), site func(R) string, del func(context.Context, string, string) error) error {
	week, id, _, err := ownOrder(c, what, fetch, site)
	if err != nil {
		return err
	}
	if err := del(c.Request.Context(), week, id); err != nil {
		return notFoundAs(err, "order", what, id)
	}
	c.Status(http.StatusNoContent)
	return nil
}

// siteOrder serves one order of a week named by {order}, if it belongs to
// the caller's site.
func siteOrder[R, T any](c *gin.Context, what text, fetch func(context.Context, string, string) (R, error), site func(R) string, conv func(R) T) error {
	_, _, o, err := ownOrder(c, what, fetch, site)
	if err != nil {
		return err
	}
	ok(c, conv(o))
	return nil
}

// ownOrder reads the order of {week} named by {order} with fetch. Three
// things might happen: the order belongs to the caller's site (site names
// it) and is returned with its week and id; it does not exist (404 naming
// it as what); it belongs to another site (403).
func ownOrder[R any](c *gin.Context, what text, fetch func(context.Context, string, string) (R, error), site func(R) string) (week, id string, o R, err error) {
	if week, err = weekParam(c); err != nil {
		return "", "", o, err
	}
	if id, err = idParam(c, "order"); err != nil {
		return "", "", o, err
	}
	if o, err = fetch(c.Request.Context(), week, id); err != nil {
		return "", "", o, notFoundAs(err, "order", what, id)
	}
	if !mustPrincipal(c).OwnsSite(site(o)) {
		return "", "", o, errOtherSite("order")
	}
	return week, id, o, nil
}

// orderRequest is the body of POST /weeks/{week}/orders, in the planning
// contract's field names: a basket order names a basket type and a count,
// an extra order a product and a quantity. id is assigned when left out; a
// relay manager may leave site out (it is its own).
type orderRequest struct {
	ID        *string  `json:"id"`
	Site      *string  `json:"site"`
	Class     *string  `json:"class"`
	Product   *string  `json:"product"`
	Quantity  *float64 `json:"quantity"`
	Basket    *string  `json:"basket"`
	Count     *int64   `json:"count"`
	Household *string  `json:"household"`
}

func (s *Server) postOrder(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	var req orderRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Site, err = bodySite(c, req.Site); err != nil {
		return err
	}
	var v checker
	required(&v, "site", req.Site)
	required(&v, "class", req.Class)
	if req.Class != nil {
		switch *req.Class {
		case "basket":
			required(&v, "basket", req.Basket)
			required(&v, "count", req.Count)
		case "extra":
			required(&v, "product", req.Product)
			required(&v, "quantity", req.Quantity)
		}
	}
	if req.Count != nil && (*req.Count < 1 || *req.Count > models.MaxCount) {
		v.add("count", textf("doit être entre 1 et %d", "must be between 1 and %d", models.MaxCount))
	}
	if err := v.err(); err != nil {
		return err
	}
	return s.idempotentWrite(c, "POST /api/v1/weeks/{week}/orders", req, func(ctx context.Context, st weekWriter) (written, error) {
		o := models.Order{WeekID: week, SiteID: *req.Site, Class: *req.Class, ProductID: req.Product,
			BasketTypeID: req.Basket, HouseholdID: req.Household}
		if req.ID != nil {
			o.ID = *req.ID
		}
		if req.Quantity != nil {
			o.Quantity = *req.Quantity
		}
		if req.Count != nil {
			o.Count = int(*req.Count)
		}
		if err := st.CreateOrder(ctx, &o); err != nil {
			return written{}, conflictAs(notFoundAs(err, "week", nameWeek, week), "id", nameOrder, o.ID)
		}
		return newWritten(201, "/api/v1/weeks/"+week+"/orders/"+o.ID, s.toOrder(o))
	})
}

func (s *Server) listMealOrders(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	var f models.MealOrderFilter
	if f.SiteID, err = siteFilter(c); err != nil {
		return err
	}
	if d, ok := c.GetQuery("date"); ok {
		var v checker
		if _, perr := models.ParseDate(d); perr != nil {
			v.add("date", textf("date AAAA-MM-JJ attendue (reçu %q)", "date YYYY-MM-DD expected (got %q)", truncate(d, 40)))
			return v.queryErr()
		}
		f.Date = d
	}
	return listOf(c, func(pg models.Page) ([]models.MealOrder, error) {
		rows, err := s.store.ListMealOrders(c.Request.Context(), week, f, pg)
		return rows, notFoundAs(err, "week", nameWeek, week)
	}, s.toMealOrder)
}

func (s *Server) getMealOrder(c *gin.Context) error {
	return siteOrder(c, nameMealOrder, s.store.GetMealOrder, func(m models.MealOrder) string { return m.SiteID }, s.toMealOrder)
}

// mealOrderRequest is the body of POST /weeks/{week}/meal-orders: the meals
// of one date, covers per age group and the dishes' products (with an
// optional portion in grams per cover replacing the portion table).
type mealOrderRequest struct {
	ID     *string `json:"id"`
	Site   *string `json:"site"`
	Date   *string `json:"date"`
	Note   string  `json:"note"`
	Covers []struct {
		AgeGroup *string `json:"age_group"`
		Covers   *int64  `json:"covers"`
	} `json:"covers" maxItems:"10"`
	Dishes []struct {
		Product  *string  `json:"product"`
		PortionG *float64 `json:"portion_g"`
	} `json:"dishes" maxItems:"50"`
}

func (s *Server) postMealOrder(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	var req mealOrderRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Site, err = bodySite(c, req.Site); err != nil {
		return err
	}
	var v checker
	required(&v, "site", req.Site)
	required(&v, "date", req.Date)
	if req.Covers == nil {
		v.add("covers", reasonRequired)
	}
	if req.Dishes == nil {
		v.add("dishes", reasonRequired)
	}
	for i, cv := range req.Covers {
		f := "covers[" + itoa(i) + "]"
		required(&v, f+".age_group", cv.AgeGroup)
		required(&v, f+".covers", cv.Covers)
		if cv.Covers != nil && (*cv.Covers < 1 || *cv.Covers > models.MaxCount) {
			v.add(f+".covers", textf("doit être entre 1 et %d", "must be between 1 and %d", models.MaxCount))
		}
	}
	for i, d := range req.Dishes {
		required(&v, "dishes["+itoa(i)+"].product", d.Product)
	}
	if err := v.err(); err != nil {
		return err
	}
	return s.idempotentWrite(c, "POST /api/v1/weeks/{week}/meal-orders", req, func(ctx context.Context, st weekWriter) (written, error) {
		m := models.MealOrder{WeekID: week, SiteID: *req.Site, Date: *req.Date, Note: req.Note}
		if req.ID != nil {
			m.ID = *req.ID
		}
		for _, cv := range req.Covers {
			m.Covers = append(m.Covers, models.MealCover{AgeGroup: *cv.AgeGroup, Covers: int(*cv.Covers)})
		}
		for _, d := range req.Dishes {
			m.Dishes = append(m.Dishes, models.MealDish{ProductID: *d.Product, PortionG: d.PortionG})
		}
		if err := st.CreateMealOrder(ctx, &m); err != nil {
			return written{}, conflictAs(notFoundAs(err, "week", nameWeek, week), "id", nameMealOrder, m.ID)
		}
		return newWritten(201, "/api/v1/weeks/"+week+"/meal-orders/"+m.ID, s.toMealOrder(m))
	})
}
