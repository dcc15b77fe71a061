package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"paniers/models"
	"paniers/planner"
)

// deliveryStore is what the delivery routes need; *models.Store satisfies
// it.
type deliveryStore interface {
	SetDelivered(ctx context.Context, ref models.StopRef, delivered bool, check func(planner.Round) error) (models.StopDelivery, error)
	Deliveries(ctx context.Context, week string) ([]models.StopDelivery, error)
}

var _ deliveryStore = (*models.Store)(nil)

// Deliveries: a driver's ticks of the stops of its rounds, the driver's
// page (web/driver.go) by the API's door. A round is named by its index in
// the plan (the round sheet's {for}), a stop by its number on the sheet
// (from 1), both in one published version of the week's plan: a tick names
// the version it was read from, and is refused with 409 once a later
// version is published, since the same numbers may then name other stops.
// The coordinator and the round's drivers (its vehicle's, or every
// vehicle's) read and tick; drafts are nobody's (404).

func (s *Server) registerDeliveries(v1 *gin.RouterGroup) {
	driver := s.requireRole(models.RoleDriver)
	v1.GET("/weeks/:week/rounds/:round/deliveries", driver, s.handle(s.listDeliveries))
	v1.PUT("/weeks/:week/rounds/:round/stops/:stop/delivered", driver, s.handle(s.putDelivered))
	v1.DELETE("/weeks/:week/rounds/:round/stops/:stop/delivered", driver, s.handle(s.deleteDelivered))
}

// deliveryBody is one ticked stop.
type deliveryBody struct {
	Stop        int    `json:"stop"`
	Place       string `json:"place"`
	DeliveredAt string `json:"delivered_at"`
}

// deliveriesBody lists a round's ticked stops in one published version.
type deliveriesBody struct {
	Week    string         `json:"week"`
	Version int            `json:"version"`
	Round   int            `json:"round"`
	Vehicle string         `json:"vehicle"`
	Kind    string         `json:"kind"`
	Stops   int            `json:"stops"`
	Items   []deliveryBody `json:"items"`
}

// deliveredBody is the answer to a tick.
type deliveredBody struct {
	Week    string `json:"week"`
	Version int    `json:"version"`
	Round   int    `json:"round"`
	Vehicle string `json:"vehicle"`
	deliveryBody
}

// indexParam reads a path parameter holding a number of at least min.
func indexParam(c *gin.Context, name string, min int, what text) (int, error) {
	raw := c.Param(name)
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > 100000 || strconv.Itoa(n) != raw {
		return 0, errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
			FieldError{Field: name, Reason: textf("%s attendu, à partir de %d (reçu %q)", "%s expected, from %d (got %q)", what.FR, min, truncate(raw, 40))})
	}
	return n, nil
}

var (
	roundWhat = text{FR: "numéro de tournée (son rang dans le plan)", EN: "round number (its index in the plan)"}
	stopWhat  = text{FR: "numéro d'arrêt sur la feuille de route", EN: "stop number on the round sheet"}
)

// noPublishedRound is the 404 of a week, version or round a driver cannot
// read: no plan, a draft, or no such round.
func noPublishedRound(week string) error {
	return errKind(kindNotFound, textf("Pas de tournée publiée ainsi pour la semaine %s.", "No such published round for week %s.", week),
		FieldError{Field: "round", Reason: text{FR: "pas de version publiée de ce numéro, ou pas de tournée de ce numéro", EN: "no published version of this number, or no round of this number"}})
}

var notYourRound = forbidden(text{FR: "Ce jeton ne donne pas accès à cette tournée : elle est celle d'un autre véhicule.", EN: "This token does not give access to this round: it is another vehicle's."})

// roundParams reads the week and round of the path and ?version= (0 when
// absent).
func roundParams(c *gin.Context) (week string, round, version int, err error) {
	if week, err = weekParam(c); err != nil {
		return "", 0, 0, err
	}
	if round, err = indexParam(c, "round", 0, roundWhat); err != nil {
		return "", 0, 0, err
	}
	version, err = versionQuery(c)
	return week, round, version, err
}

// listDeliveries answers the ticks of a round in the latest published
// version, or ?version=N when that one was published.
func (s *Server) listDeliveries(c *gin.Context) error {
	week, round, version, err := roundParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	// Ticks belong to published versions only, for the coordinator too.
	version, err = s.store.VisibleVersion(ctx, week, version, false)
	if errors.Is(err, models.ErrNotFound) {
		return noPublishedRound(week)
	}
	if err != nil {
		return err
	}
	sp, err := s.store.GetPlanVersion(ctx, week, version)
	if err != nil {
		return err
	}
	plan, err := sp.Plan()
	if err != nil {
		return err
	}
	if round >= len(plan.Rounds) {
		return noPublishedRound(week)
	}
	rd := plan.Rounds[round]
	if !mustPrincipal(c).MayTick(rd) {
		return notYourRound
	}
	rows, err := s.store.Deliveries(ctx, week)
	if err != nil {
		return err
	}
	out := deliveriesBody{Week: week, Version: version, Round: round, Vehicle: rd.Vehicle, Kind: rd.Kind, Stops: len(rd.Stops), Items: []deliveryBody{}}
	for _, d := range rows {
		if d.Version == version && d.Round == round {
			out.Items = append(out.Items, deliveryBody{Stop: d.Stop, Place: d.PlaceID, DeliveredAt: s.formatInstant(d.DeliveredAt)})
		}
	}
	ok(c, out)
	return nil
}

// setDelivered ticks or unticks a stop of the version the caller read
// (?version=, required).
func (s *Server) setDelivered(c *gin.Context, delivered bool) error {
	week, round, version, err := roundParams(c)
	if err != nil {
		return err
	}
	stop, err := indexParam(c, "stop", 1, stopWhat)
	if err != nil {
		return err
	}
	if version == 0 {
		return errKind(kindBadRequest, text{FR: "Paramètre manquant.", EN: "Missing parameter."},
			FieldError{Field: "version", Reason: text{FR: "la version du plan lue (X-Plan-Version de la feuille de route, ou version de la liste des livraisons) est obligatoire",
				EN: "the plan version read (the round sheet's X-Plan-Version, or the deliveries list's version) is required"}})
	}
	p := mustPrincipal(c)
	ref := models.StopRef{Week: week, Version: version, Round: round, Stop: stop}
	d, err := s.store.SetDelivered(c.Request.Context(), ref, delivered, func(rd planner.Round) error {
		if !p.MayTick(rd) {
			return notYourRound
		}
		return nil
	})
	var stale *models.StaleVersionError
	switch {
	case errors.As(err, &stale):
		return errKind(kindConflict, textf("La version %d du plan de la semaine %s n'est plus celle publiée (la version %d l'est) : ses arrêts peuvent avoir changé, relisez la tournée.",
			"Version %d of week %s's plan is no longer the published one (version %d is): its stops may have changed, read the round again.", stale.Version, week, stale.Published),
			FieldError{Field: "version", Reason: textf("la version publiée est la %d", "the published version is %d", stale.Published)})
	case errors.Is(err, models.ErrNotFound):
		if _, werr := s.store.VisibleVersion(c.Request.Context(), week, version, false); werr == nil {
			return errKind(kindNotFound, textf("Pas d'arrêt %d dans cette tournée.", "No stop %d in this round.", stop),
				FieldError{Field: "stop", Reason: text{FR: "la tournée n'a pas d'arrêt de ce numéro, ou le plan pas de tournée de ce numéro", EN: "the round has no stop of this number, or the plan no round of this number"}})
		}
		return noPublishedRound(week)
	case err != nil:
		return err
	}
	if !delivered {
		c.Status(http.StatusNoContent)
		return nil
	}
	ok(c, deliveredBody{Week: week, Version: version, Round: round, Vehicle: d.Vehicle,
		deliveryBody: deliveryBody{Stop: d.Stop, Place: d.PlaceID, DeliveredAt: s.formatInstant(d.DeliveredAt)}})
	return nil
}

func (s *Server) putDelivered(c *gin.Context) error    { return s.setDelivered(c, true) }
func (s *Server) deleteDelivered(c *gin.Context) error { return s.setDelivered(c, false) }
