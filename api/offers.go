package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// offerStore is what the offer routes need; *models.Store satisfies it.
type offerStore interface {
	ListOffers(ctx context.Context, week string, f models.OfferFilter, page models.Page) ([]models.Offer, error)
	GetOffer(ctx context.Context, week, producer, product string) (models.Offer, error)
	PutOffer(ctx context.Context, o *models.Offer) (bool, error)
	DeleteOffer(ctx context.Context, week, producer, product string) error
}

var _ offerStore = (*models.Store)(nil)

// Offers: a farmer reads and writes the offers of its own producer; the
// coordinator those of every producer. Relay managers and cooks do not see
// offers (they carry the farmers' prices).

func (s *Server) registerOffers(v1 *gin.RouterGroup) {
	farmer := s.requireRole(models.RoleFarmer)
	v1.GET("/weeks/:week/offers", farmer, s.handle(s.listOffers))
	v1.POST("/weeks/:week/offers", farmer, s.handle(s.postOffer))
	v1.GET("/weeks/:week/offers/:producer/:product", farmer, s.handle(s.getOffer))
	v1.DELETE("/weeks/:week/offers/:producer/:product", farmer, s.handle(s.deleteOffer))
}

// errOtherProducer is the 403 of a farmer reaching for another producer.
func errOtherProducer(field string) *Error {
	e := forbidden(text{FR: "Ce jeton n'agit que pour son propre producteur.", EN: "This token only acts for its own producer."})
	e.Fields = []FieldError{{Field: field, Reason: text{FR: "producteur hors du périmètre du jeton", EN: "producer outside the token's scope"}}}
	return e
}

func (s *Server) listOffers(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	var f models.OfferFilter
	if f.ProducerID, err = optionalID(c.Query, "producer"); err != nil {
		return err
	}
	if f.ProductID, err = optionalID(c.Query, "product"); err != nil {
		return err
	}
	if p := mustPrincipal(c); !p.IsCoordinator() {
		if f.ProducerID != "" && f.ProducerID != p.Scope {
			return errOtherProducer("producer")
		}
		f.ProducerID = p.Scope
	}
	return listOf(c, func(pg models.Page) ([]models.Offer, error) {
		rows, err := s.store.ListOffers(c.Request.Context(), week, f, pg)
		return rows, notFoundAs(err, "week", nameWeek, week)
	}, s.toOffer)
}

// offerParams reads the week, producer and product of an offer's path, and
// checks the producer is the caller's.
func offerParams(c *gin.Context) (week, producer, product string, err error) {
	if week, err = weekParam(c); err != nil {
		return
	}
	if producer, err = idParam(c, "producer"); err != nil {
		return
	}
	if product, err = idParam(c, "product"); err != nil {
		return
	}
	if !mustPrincipal(c).OwnsProducer(producer) {
		err = errOtherProducer("producer")
	}
	return
}

func (s *Server) getOffer(c *gin.Context) error {
	week, producer, product, err := offerParams(c)
	if err != nil {
		return err
	}
	o, err := s.store.GetOffer(c.Request.Context(), week, producer, product)
	if err != nil {
		return notFoundAs(err, "product", nameOffer, week+"/"+producer+"/"+product)
	}
	ok(c, s.toOffer(o))
	return nil
}

func (s *Server) deleteOffer(c *gin.Context) error {
	week, producer, product, err := offerParams(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteOffer(c.Request.Context(), week, producer, product); err != nil {
		return notFoundAs(err, "product", nameOffer, week+"/"+producer+"/"+product)
	}
	c.Status(http.StatusNoContent)
	return nil
}

// offerRequest is the body of POST /weeks/{week}/offers, in the planning
// contract's field names. A farmer may leave producer out: it is its own.
type offerRequest struct {
	Producer   *string  `json:"producer"`
	Product    *string  `json:"product"`
	Quantity   *float64 `json:"quantity"`
	PriceCents *int64   `json:"price_cents"`
}

// postOffer creates or replaces (201 or 200) the offer of a producer for a
// product in a week.
func (s *Server) postOffer(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	var req offerRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	p := mustPrincipal(c)
	if req.Producer == nil && p.Role == models.RoleFarmer {
		req.Producer = &p.Scope
	}
	var v checker
	required(&v, "producer", req.Producer)
	required(&v, "product", req.Product)
	required(&v, "quantity", req.Quantity)
	required(&v, "price_cents", req.PriceCents)
	if err := v.err(); err != nil {
		return err
	}
	if !p.OwnsProducer(*req.Producer) {
		return errOtherProducer("producer")
	}
	return s.idempotentWrite(c, "POST /api/v1/weeks/{week}/offers", req, func(ctx context.Context, st weekWriter) (written, error) {
		o := models.Offer{WeekID: week, ProducerID: *req.Producer, ProductID: *req.Product,
			Quantity: *req.Quantity, PriceCents: *req.PriceCents}
		created, err := st.PutOffer(ctx, &o)
		if err != nil {
			return written{}, notFoundAs(err, "week", nameWeek, week)
		}
		return newWritten(statusOf(created), "/api/v1/weeks/"+week+"/offers/"+o.ProducerID+"/"+o.ProductID, s.toOffer(o))
	})
}
