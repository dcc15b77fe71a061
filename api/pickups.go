package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// pickupStore is what the pick-up routes need; *models.Store satisfies it.
type pickupStore interface {
	SetCollected(ctx context.Context, week, site, household string, collected bool) error
	Collected(ctx context.Context, week, site string) (map[string]time.Time, error)
}

var _ pickupStore = (*models.Store)(nil)

// Pick-ups: the counter's ticks of the households that collected their
// week's basket, the pages' checklist (web/pickup.go) by the API's door.
// Only the relay point's manager and the coordinator read or tick them.

func (s *Server) registerPickups(v1 *gin.RouterGroup) {
	relay := s.requireRole(models.RoleRelay)
	v1.GET("/sites/:site/pickups/:week", relay, s.handle(s.listPickups))
	v1.PUT("/sites/:site/pickups/:week/:household", relay, s.handle(s.putPickup))
	v1.DELETE("/sites/:site/pickups/:week/:household", relay, s.handle(s.deletePickup))
}

// pickupBody is one household's pick-up.
type pickupBody struct {
	Household   string `json:"household"`
	CollectedAt string `json:"collected_at"`
}

// pickupsBody lists a relay point's pick-ups of a week, by household id.
type pickupsBody struct {
	Week  string       `json:"week"`
	Site  string       `json:"site"`
	Items []pickupBody `json:"items"`
}

func (s *Server) listPickups(c *gin.Context) error {
	site, err := householdSite(c)
	if err != nil {
		return err
	}
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	done, err := s.store.Collected(c.Request.Context(), week, site)
	if err != nil {
		return err
	}
	out := pickupsBody{Week: week, Site: site, Items: []pickupBody{}}
	for h, at := range done {
		out.Items = append(out.Items, pickupBody{Household: h, CollectedAt: s.formatInstant(at)})
	}
	slices.SortFunc(out.Items, func(a, b pickupBody) int {
		switch {
		case a.Household < b.Household:
			return -1
		case a.Household > b.Household:
			return 1
		}
		return 0
	})
	ok(c, out)
	return nil
}

// setPickup ticks or unticks a household of the caller's relay point: 204,
// or 404 when the week or the household (here) does not exist.
func (s *Server) setPickup(c *gin.Context, collected bool) error {
	site, err := householdSite(c)
	if err != nil {
		return err
	}
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "household")
	if err != nil {
		return err
	}
	if err := s.store.SetCollected(c.Request.Context(), week, site, id, collected); err != nil {
		return notFoundAs(err, "household", nameHousehold, id)
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) putPickup(c *gin.Context) error    { return s.setPickup(c, true) }
func (s *Server) deletePickup(c *gin.Context) error { return s.setPickup(c, false) }
