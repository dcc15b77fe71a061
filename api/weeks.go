package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/models"
	"paniers/planner"
)

// weekStore is what the week routes need; *models.Store satisfies it.
type weekStore interface {
	ListWeeks(ctx context.Context, page models.Page) ([]models.Week, error)
	ListWeeksByStatus(ctx context.Context, status string, page models.Page) ([]models.Week, error)
	GetWeek(ctx context.Context, id string) (models.Week, error)
	CreateWeek(ctx context.Context, w *models.Week) error
	PatchWeek(ctx context.Context, id string, ch models.WeekChange) (models.Week, error)
	Scenario(ctx context.Context, week string) (planner.Scenario, error)
}

var _ weekStore = (*models.Store)(nil)

// Weeks: every role reads the calendar (cutoffs, dates, status); the
// coordinator creates weeks and moves their status. The planner's scenario
// of a week is the coordinator's too.

func (s *Server) registerWeeks(v1 *gin.RouterGroup) {
	coord := s.requireRole()
	v1.GET("/weeks", s.handle(s.listWeeks))
	v1.POST("/weeks", coord, s.handle(s.createWeek))
	v1.GET("/weeks/:week", s.handle(s.getWeek))
	v1.PATCH("/weeks/:week", coord, s.handle(s.patchWeek))
	v1.GET("/weeks/:week/scenario", coord, s.handle(s.getScenario))
}

// listWeeks lists the weeks, oldest first; ?status= keeps those of one
// status (open, closed, planned, published).
func (s *Server) listWeeks(c *gin.Context) error {
	status, filtered := c.GetQuery("status")
	if filtered && !slices.Contains(models.WeekStatuses, status) {
		return errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: "status", Reason: text{FR: "open, closed, planned ou published attendu", EN: "open, closed, planned or published expected"}})
	}
	return listOf(c, func(p models.Page) ([]models.Week, error) {
		if filtered {
			return s.store.ListWeeksByStatus(c.Request.Context(), status, p)
		}
		return s.store.ListWeeks(c.Request.Context(), p)
	}, s.toWeek)
}

func (s *Server) getWeek(c *gin.Context) error {
	id, err := weekParam(c)
	if err != nil {
		return err
	}
	w, err := s.store.GetWeek(c.Request.Context(), id)
	if err != nil {
		return notFoundAs(err, "week", nameWeek, id)
	}
	ok(c, s.toWeek(w))
	return nil
}

// weekRequest is the body of POST /weeks. Only id is required: the other
// fields default to the collective's usual calendar (models.DefaultCalendar).
type weekRequest struct {
	ID             *string `json:"id"`
	OfferCutoff    *string `json:"offer_cutoff"`
	OrderCutoff    *string `json:"order_cutoff"`
	CollectionDate string  `json:"collection_date"`
	DeliveryDate   string  `json:"delivery_date"`
	Status         string  `json:"status"`
}

func (s *Server) createWeek(c *gin.Context) error {
	var req weekRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	var v checker
	required(&v, "id", req.ID) // the store checks it is an ISO week
	w := models.Week{CollectionDate: req.CollectionDate, DeliveryDate: req.DeliveryDate, Status: req.Status}
	w.OfferCutoff = s.parseInstant(&v, "offer_cutoff", req.OfferCutoff)
	w.OrderCutoff = s.parseInstant(&v, "order_cutoff", req.OrderCutoff)
	if err := v.err(); err != nil {
		return err
	}
	w.ID = *req.ID
	if err := s.store.CreateWeek(c.Request.Context(), &w); err != nil {
		return conflictAs(err, "id", nameWeek, w.ID)
	}
	writeCreated(c, "/api/v1/weeks/"+w.ID, s.toWeek(w))
	return nil
}

// parseInstant reads an optional date and time (models.ParseInstant: RFC
// 3339, or without offset in the configured time zone); nil and "" give the
// zero time.
func (s *Server) parseInstant(v *checker, field string, in *string) time.Time {
	if in == nil || *in == "" {
		return time.Time{}
	}
	t, fe := models.ParseInstant(*in, s.loc)
	if fe != nil {
		v.add(field, fe.Reason)
	}
	return t
}

// weekPatch is the body of PATCH /weeks/{week}: the status, which the
// coordinator moves by hand (reopening a week, or closing it early), and
// the calendar (dates and cutoffs), which moves only while the week is open
// or closed (models.PatchWeek). Fields left out stay as they are.
type weekPatch struct {
	Status         *string `json:"status"`
	OfferCutoff    *string `json:"offer_cutoff"`
	OrderCutoff    *string `json:"order_cutoff"`
	CollectionDate *string `json:"collection_date"`
	DeliveryDate   *string `json:"delivery_date"`
}

func (s *Server) patchWeek(c *gin.Context) error {
	id, err := weekParam(c)
	if err != nil {
		return err
	}
	var req weekPatch
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	ch := models.WeekChange{Status: req.Status, CollectionDate: req.CollectionDate, DeliveryDate: req.DeliveryDate}
	var v checker
	if ch.Status == nil && !ch.Calendar() && req.OfferCutoff == nil && req.OrderCutoff == nil {
		v.add("status", text{FR: "rien à changer : status, offer_cutoff, order_cutoff, collection_date ou delivery_date attendu",
			EN: "nothing to change: status, offer_cutoff, order_cutoff, collection_date or delivery_date expected"})
	}
	ch.OfferCutoff = s.patchInstant(&v, "offer_cutoff", req.OfferCutoff)
	ch.OrderCutoff = s.patchInstant(&v, "order_cutoff", req.OrderCutoff)
	if err := v.err(); err != nil {
		return err
	}
	w, err := s.store.PatchWeek(c.Request.Context(), id, ch)
	if err != nil {
		return notFoundAs(err, "week", nameWeek, id)
	}
	ok(c, s.toWeek(w))
	return nil
}

// patchInstant reads a cutoff of a PATCH: nil stays nil (unchanged), ""
// becomes the zero time, which the store refuses as required.
func (s *Server) patchInstant(v *checker, field string, in *string) *time.Time {
	if in == nil {
		return nil
	}
	t := s.parseInstant(v, field, in)
	return &t
}

// getScenario answers the week's scenario exactly in the planning contract's
// JSON, as the store builds it.
func (s *Server) getScenario(c *gin.Context) error {
	id, err := weekParam(c)
	if err != nil {
		return err
	}
	sc, err := s.store.Scenario(c.Request.Context(), id)
	if err != nil {
		return notFoundAs(err, "week", nameWeek, id)
	}
	writeJSON(c, http.StatusOK, "application/json", sc)
	return nil
}
