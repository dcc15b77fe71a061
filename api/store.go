package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/models"
	"paniers/planner"
)

// Store is what the handlers need from the database. *models.Store
// satisfies it; the methods are documented there.
type Store interface {
	Ping(ctx context.Context) error
	LookupToken(ctx context.Context, clear string) (models.Token, error)
	CreateToken(ctx context.Context, role, scope, name string) (string, models.Token, error)
	ListTokens(ctx context.Context, page models.Page) ([]models.Token, error)
	DeleteToken(ctx context.Context, id uint64) error
	CreateSignInLink(ctx context.Context, tokenID uint64) (string, models.SignInLink, error)
	LookupSession(ctx context.Context, clear string) (models.Token, models.Session, error)

	ListProducers(ctx context.Context, page models.Page) ([]models.Producer, error)
	GetProducer(ctx context.Context, id string) (models.Producer, error)
	CreateProducer(ctx context.Context, p *models.Producer) error
	UpdateProducer(ctx context.Context, p *models.Producer) error
	ListProducts(ctx context.Context, page models.Page) ([]models.Product, error)
	GetProduct(ctx context.Context, id string) (models.Product, error)
	CreateProduct(ctx context.Context, p *models.Product) error
	ListSites(ctx context.Context, kind string, page models.Page) ([]models.Site, error)
	GetSite(ctx context.Context, id string) (models.Site, error)
	CreateSite(ctx context.Context, s *models.Site) error
	UpdateSite(ctx context.Context, s *models.Site) error
	ListVehicles(ctx context.Context, page models.Page) ([]models.Vehicle, error)
	GetVehicle(ctx context.Context, id string) (models.Vehicle, error)
	CreateVehicle(ctx context.Context, v *models.Vehicle) error
	UpdateVehicle(ctx context.Context, v *models.Vehicle) error
	ListBasketTypes(ctx context.Context, page models.Page) ([]models.BasketType, error)
	GetBasketType(ctx context.Context, id string) (models.BasketType, error)
	CreateBasketType(ctx context.Context, b *models.BasketType) error

	ListHouseholds(ctx context.Context, site string, page models.Page) ([]models.Household, error)
	GetHousehold(ctx context.Context, id string) (models.Household, error)
	CreateHousehold(ctx context.Context, h *models.Household) error
	UpdateHousehold(ctx context.Context, h *models.Household) error

	ListWeeks(ctx context.Context, page models.Page) ([]models.Week, error)
	ListWeeksByStatus(ctx context.Context, status string, page models.Page) ([]models.Week, error)
	GetWeek(ctx context.Context, id string) (models.Week, error)
	CreateWeek(ctx context.Context, w *models.Week) error
	SetWeekStatus(ctx context.Context, id, status string) (models.Week, error)

	ListOffers(ctx context.Context, week string, f models.OfferFilter, page models.Page) ([]models.Offer, error)
	GetOffer(ctx context.Context, week, producer, product string) (models.Offer, error)
	PutOffer(ctx context.Context, o *models.Offer) (bool, error)
	DeleteOffer(ctx context.Context, week, producer, product string) error
	ListOrders(ctx context.Context, week string, f models.OrderFilter, page models.Page) ([]models.Order, error)
	GetOrder(ctx context.Context, week, id string) (models.Order, error)
	CreateOrder(ctx context.Context, o *models.Order) error
	DeleteOrder(ctx context.Context, week, id string) error
	ListMealOrders(ctx context.Context, week string, f models.MealOrderFilter, page models.Page) ([]models.MealOrder, error)
	GetMealOrder(ctx context.Context, week, id string) (models.MealOrder, error)
	CreateMealOrder(ctx context.Context, m *models.MealOrder) error
	DeleteMealOrder(ctx context.Context, week, id string) error

	Idempotent(ctx context.Context, k models.IdemKey, write func(context.Context, *models.Store) (models.IdemResponse, error)) (models.IdemResponse, bool, error)

	ListPortions(ctx context.Context) ([]models.Portion, error)
	SetPortion(ctx context.Context, p models.Portion) error

	Scenario(ctx context.Context, week string) (planner.Scenario, error)
}

// storeError translates the store's sentinel errors into API errors, nil
// for anything else.
func (s *Server) storeError(err error) *Error {
	var closed *models.ClosedError
	var invalid *models.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &invalid):
		e := &Error{Kind: kindValidation, Detail: text{"La requête contient des valeurs refusées.", "The request contains rejected values."}}
		for _, p := range invalid.Problems {
			e.Fields = append(e.Fields, FieldError{Field: p.Field, Reason: text{p.Reason, p.ReasonEn}})
		}
		return e
	case errors.As(err, &closed):
		return closedError(closed, s.loc)
	case errors.Is(err, models.ErrNotFound):
		return errKind(kindNotFound, text{"Ressource introuvable.", "Resource not found."})
	case errors.Is(err, models.ErrConflict):
		return errKind(kindConflict, text{"Cette ressource existe déjà.", "This resource already exists."})
	}
	return nil
}

// closedKinds names each kind of week-scoped write in both languages.
var closedKinds = map[string]text{
	models.KindOffers:     {"les offres", "offers"},
	models.KindOrders:     {"les commandes", "orders"},
	models.KindMealOrders: {"les commandes de repas", "meal orders"},
}

// closedError is the 409 answer to a write after its week's cutoff, or to a
// week that is no longer open: it says what closed, when, and the cutoff as
// an RFC 3339 time in the "cutoff" member.
func closedError(c *models.ClosedError, loc *time.Location) *Error {
	what, ok := closedKinds[c.Kind]
	if !ok {
		what = text{c.Kind, c.Kind}
	}
	extra := map[string]any{"week": c.Week, "week_status": c.Status}
	if c.Status != models.WeekOpen {
		e := errKind(kindWeekClosed, text{
			fmt.Sprintf("La semaine %s n'accepte plus %s : son statut est « %s ».", c.Week, what.FR, c.Status),
			fmt.Sprintf("Week %s no longer accepts %s: its status is %q.", c.Week, what.EN, c.Status)},
			FieldError{Field: "week", Reason: textf("semaine au statut « %s »", "week with status %q", c.Status)})
		e.Extra = extra
		return e
	}
	cutoff := c.Cutoff.In(loc)
	local := cutoff.Format(time.RFC3339)
	extra["cutoff"] = local
	e := errKind(kindCutoffPassed, text{
		fmt.Sprintf("La date limite pour %s de la semaine %s est passée : %s (%s).", what.FR, c.Week, frenchInstant(cutoff), loc),
		fmt.Sprintf("The cutoff for %s of week %s has passed: %s (%s).", what.EN, c.Week, cutoff.Format("Monday 2 January 2006 15:04"), loc)},
		FieldError{Field: "week", Reason: textf("date limite dépassée (%s)", "cutoff passed (%s)", local)})
	e.Extra = extra
	return e
}

// frenchDays and frenchMonths spell dates the French way.
var (
	frenchDays   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// frenchInstant prints "mercredi 25 novembre 2026 à 20:00".
func frenchInstant(t time.Time) string {
	return fmt.Sprintf("%s %d %s %d à %s", frenchDays[t.Weekday()], t.Day(), frenchMonths[t.Month()-1], t.Year(), t.Format("15:04"))
}

// notFoundAs turns the store's ErrNotFound for a resource named by a path
// parameter into a 404 naming that parameter; other errors pass through.
func notFoundAs(err error, field string, what text, id string) error {
	if errors.Is(err, models.ErrNotFound) {
		return &Error{
			Kind:   kindNotFound,
			Detail: text{fmt.Sprintf("%s %q introuvable.", what.FR, id), fmt.Sprintf("%s %q not found.", what.EN, id)},
			Fields: []FieldError{{Field: field, Reason: textf("%q n'existe pas", "%q does not exist", id)}},
		}
	}
	return err
}

// Names of resources, for not-found details.
var (
	nameWeek       = text{"Semaine", "Week"}
	nameProducer   = text{"Producteur", "Producer"}
	nameProduct    = text{"Produit", "Product"}
	nameSite       = text{"Site", "Site"}
	nameVehicle    = text{"Véhicule", "Vehicle"}
	nameBasketType = text{"Type de panier", "Basket type"}
	nameHousehold  = text{"Foyer", "Household"}
	nameOrder      = text{"Commande", "Order"}
	nameMealOrder  = text{"Commande de repas", "Meal order"}
	nameOffer      = text{"Offre", "Offer"}
	nameToken      = text{"Jeton", "Token"}
)

// Pagination of lists: ?limit= (default 50, at most 200) and ?offset=.
const (
	defaultPageLimit = 50
	maxPageLimit     = 200
	maxPageOffset    = 1000000
)

// pageReq is a validated ?limit=&offset= pair.
type pageReq struct {
	limit, offset int
}

// parsePage reads ?limit= and ?offset=, refusing anything but integers in
// range with a 400 naming the parameter.
func parsePage(c *gin.Context) (pageReq, error) {
	p := pageReq{limit: defaultPageLimit}
	var v checker
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageLimit {
			v.add("limit", textf("entier entre 1 et %d attendu (reçu %q)", "integer between 1 and %d expected (got %q)", maxPageLimit, truncate(s, 20)))
		}
		p.limit = n
	}
	if s, ok := c.GetQuery("offset"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxPageOffset {
			v.add("offset", textf("entier entre 0 et %d attendu (reçu %q)", "integer between 0 and %d expected (got %q)", maxPageOffset, truncate(s, 20)))
		}
		p.offset = n
	}
	return p, v.queryErr()
}

// store returns the store page: one item more than asked, to learn whether
// a next page exists without counting.
func (p pageReq) store() models.Page {
	return models.Page{Limit: p.limit + 1, Offset: p.offset}
}

// listBody is the envelope of every list: the items of the page, the page
// asked for, and the URL of the next page when there is one.
type listBody[T any] struct {
	Items  []T    `json:"items"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Next   string `json:"next,omitempty"`
}

// writeList answers a page of rows converted by conv. The store was asked
// for p.limit+1 rows; the extra one only says that a next page exists.
func writeList[R, T any](c *gin.Context, p pageReq, rows []R, conv func(R) T) {
	out := listBody[T]{Items: make([]T, 0, len(rows)), Limit: p.limit, Offset: p.offset}
	more := len(rows) > p.limit
	if more {
		rows = rows[:p.limit]
	}
	for _, r := range rows {
		out.Items = append(out.Items, conv(r))
	}
	if more {
		q := c.Request.URL.Query()
		q.Set("limit", strconv.Itoa(p.limit))
		q.Set("offset", strconv.Itoa(p.offset+p.limit))
		next := url.URL{Path: c.Request.URL.Path, RawQuery: q.Encode()}
		out.Next = next.String()
		c.Header("Link", "<"+out.Next+`>; rel="next"`)
	}
	writeJSON(c, http.StatusOK, "application/json", out)
}

// writeCreated answers 201 with the new resource and its Location.
func writeCreated(c *gin.Context, location string, body any) {
	c.Header("Location", location)
	writeJSON(c, http.StatusCreated, "application/json", body)
}

// ok answers 200 with a body.
func ok(c *gin.Context, body any) {
	writeJSON(c, http.StatusOK, "application/json", body)
}

// conflictAs turns the store's ErrConflict for a new resource into a 409
// naming the field holding its id; other errors pass through.
func conflictAs(err error, field string, what text, id string) error {
	if errors.Is(err, models.ErrConflict) {
		return &Error{
			Kind:   kindConflict,
			Detail: text{fmt.Sprintf("%s %q existe déjà.", what.FR, id), fmt.Sprintf("%s %q already exists.", what.EN, id)},
			Fields: []FieldError{{Field: field, Reason: textf("%q est déjà utilisé", "%q is already taken", id)}},
		}
	}
	return err
}

// itoa formats an index for a field path.
func itoa(i int) string { return strconv.Itoa(i) }
