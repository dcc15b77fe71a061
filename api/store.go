package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/i18n"
	"paniers/models"
)

// Store is what the handlers need from the database: the union of the
// interfaces each group of handlers declares beside itself. *models.Store
// satisfies it, checked when compiling; the methods are documented there.
type Store interface {
	healthStore
	tokenLookup
	tokenStore
	referenceStore
	householdStore
	pickupStore
	deliveryStore
	weekStore
	offerStore
	orderStore
	portionStore
	idempotencyStore
	planStore
	gdprStore
	egalimStore
	metricsStore
}

var _ Store = (*models.Store)(nil)

// storeError translates the store's sentinel errors into API errors, nil
// for anything else.
func (s *Server) storeError(err error) *Error {
	var closed *models.ClosedError
	var invalid *models.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &invalid):
		e := &Error{Kind: kindValidation, Detail: text{FR: "La requête contient des valeurs refusées.", EN: "The request contains rejected values."}}
		for _, p := range invalid.Problems {
			e.Fields = append(e.Fields, FieldError{Field: p.Field, Reason: p.Reason})
		}
		return e
	case errors.As(err, &closed):
		return closedError(closed, s.loc)
	case errors.Is(err, models.ErrNotFound):
		return errKind(kindNotFound, text{FR: "Ressource introuvable.", EN: "Resource not found."})
	case errors.Is(err, models.ErrConflict):
		return errKind(kindConflict, text{FR: "Cette ressource existe déjà.", EN: "This resource already exists."})
	}
	return nil
}

// closedKinds names each kind of week-scoped write in both languages.
var closedKinds = map[string]text{
	models.KindOffers:     {FR: "les offres", EN: "offers"},
	models.KindOrders:     {FR: "les commandes", EN: "orders"},
	models.KindMealOrders: {FR: "les commandes de repas", EN: "meal orders"},
	models.KindCalendar:   {FR: "de changement de dates ni d'heures limites (rouvrez-la d'abord)", EN: "changes to its dates and cutoffs (reopen it first)"},
}

// closedError is the 409 answer to a write after its week's cutoff, or to a
// week that is no longer open: it says what closed, when, and the cutoff as
// an RFC 3339 time in the "cutoff" member.
func closedError(c *models.ClosedError, loc *time.Location) *Error {
	what, ok := closedKinds[c.Kind]
	if !ok {
		what = text{FR: c.Kind, EN: c.Kind}
	}
	extra := map[string]any{"week": c.Week, "week_status": c.Status}
	if c.Status != models.WeekOpen {
		e := errKind(kindWeekClosed, text{
			FR: fmt.Sprintf("La semaine %s n'accepte plus %s : son statut est « %s ».", c.Week, what.FR, c.Status),
			EN: fmt.Sprintf("Week %s no longer accepts %s: its status is %q.", c.Week, what.EN, c.Status)},
			FieldError{Field: "week", Reason: textf("semaine au statut « %s »", "week with status %q", c.Status)})
		e.Extra = extra
		return e
	}
	cutoff := c.Cutoff.In(loc)
	local := cutoff.Format(time.RFC3339)
	extra["cutoff"] = local
	e := errKind(kindCutoffPassed, text{
		FR: fmt.Sprintf("La date limite pour %s de la semaine %s est passée : %s (%s).", what.FR, c.Week, frenchInstant(cutoff), loc),
		EN: fmt.Sprintf("The cutoff for %s of week %s has passed: %s (%s).", what.EN, c.Week, cutoff.Format("Monday 2 January 2006 15:04"), loc)},
		FieldError{Field: "week", Reason: textf("date limite dépassée (%s)", "cutoff passed (%s)", local)})
	e.Extra = extra
	return e
}

// frenchInstant prints "mercredi 25 novembre 2026 à 20:00".
func frenchInstant(t time.Time) string {
	return fmt.Sprintf("%s %d %s %d à %s", i18n.Weekday(i18n.FR, t.Weekday()), t.Day(), i18n.Month(i18n.FR, t.Month()), t.Year(), t.Format("15:04"))
}

// notFoundAs turns the store's ErrNotFound for a resource named by a path
// parameter into a 404 naming that parameter; other errors pass through.
func notFoundAs(err error, field string, what text, id string) error {
	if errors.Is(err, models.ErrNotFound) {
		return &Error{
			Kind:   kindNotFound,
			Detail: text{FR: fmt.Sprintf("%s %q introuvable.", what.FR, id), EN: fmt.Sprintf("%s %q not found.", what.EN, id)},
			Fields: []FieldError{{Field: field, Reason: textf("%q n'existe pas", "%q does not exist", id)}},
		}
	}
	return err
}

// Names of resources, for not-found details.
var (
	nameWeek       = text{FR: "Semaine", EN: "Week"}
	nameProducer   = text{FR: "Producteur", EN: "Producer"}
	nameProduct    = text{FR: "Produit", EN: "Product"}
	nameSite       = text{FR: "Site", EN: "Site"}
	nameVehicle    = text{FR: "Véhicule", EN: "Vehicle"}
	nameBasketType = text{FR: "Type de panier", EN: "Basket type"}
	nameHousehold  = text{FR: "Foyer", EN: "Household"}
	nameOrder      = text{FR: "Commande", EN: "Order"}
	nameMealOrder  = text{FR: "Commande de repas", EN: "Meal order"}
	nameOffer      = text{FR: "Offre", EN: "Offer"}
	nameToken      = text{FR: "Jeton", EN: "Token"}
	nameAccount    = text{FR: "Compte MANNE", EN: "MANNE account"}
	nameTransfer   = text{FR: "Virement", EN: "Transfer"}
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
	writeJSON(c, http.StatusOK, "application/json", pageOf(c, p, rows, conv))
}

// pageOf builds the list envelope of a page of rows converted by conv (see
// writeList), and sets the Link header of the next page.
func pageOf[R, T any](c *gin.Context, p pageReq, rows []R, conv func(R) T) listBody[T] {
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
	return out
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
			Detail: text{FR: fmt.Sprintf("%s %q existe déjà.", what.FR, id), EN: fmt.Sprintf("%s %q already exists.", what.EN, id)},
			Fields: []FieldError{{Field: field, Reason: textf("%q est déjà utilisé", "%q is already taken", id)}},
		}
	}
	return err
}

// itoa formats an index for a field path.
func itoa(i int) string { return strconv.Itoa(i) }
