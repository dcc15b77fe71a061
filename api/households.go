package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// householdStore is what the household routes need; *models.Store
// satisfies it.
type householdStore interface {
	ListHouseholds(ctx context.Context, site string, page models.Page) ([]models.Household, error)
	GetHousehold(ctx context.Context, id string) (models.Household, error)
	CreateHousehold(ctx context.Context, h *models.Household) error
	UpdateHousehold(ctx context.Context, h *models.Household) error
}

var _ householdStore = (*models.Store)(nil)

// Households are personal data (names, contacts): only their relay point's
// manager and the coordinator read or write them.

func (s *Server) registerHouseholds(v1 *gin.RouterGroup) {
	relay := s.requireRole(models.RoleRelay)
	v1.GET("/sites/:site/households", relay, s.handle(s.listHouseholds))
	v1.POST("/sites/:site/households", relay, s.handle(s.createHousehold))
	v1.GET("/sites/:site/households/:household", relay, s.handle(s.getHousehold))
	v1.PUT("/sites/:site/households/:household", relay, s.handle(s.putHousehold))
}

// householdSite reads the {site} path parameter and checks it is the
// caller's relay point.
func householdSite(c *gin.Context) (string, error) {
	site, err := idParam(c, "site")
	if err != nil {
		return "", err
	}
	if !mustPrincipal(c).OwnsSite(site) {
		return "", errOtherSite("site")
	}
	return site, nil
}

func (s *Server) listHouseholds(c *gin.Context) error {
	site, err := householdSite(c)
	if err != nil {
		return err
	}
	return listOf(c, func(pg models.Page) ([]models.Household, error) {
		rows, err := s.store.ListHouseholds(c.Request.Context(), site, pg)
		return rows, notFoundAs(err, "site", nameSite, site)
	}, toHousehold)
}

func (s *Server) getHousehold(c *gin.Context) error {
	site, err := householdSite(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "household")
	if err != nil {
		return err
	}
	h, err := s.store.GetHousehold(c.Request.Context(), id)
	if err == nil && h.SiteID != site {
		// Another relay point's household: as if it did not exist here.
		err = models.ErrNotFound
	}
	if err != nil {
		return notFoundAs(err, "household", nameHousehold, id)
	}
	ok(c, toHousehold(h))
	return nil
}

// householdRequest is the body of POST /sites/{site}/households. basket and
// basket_count are the household's weekly basket subscription; leave them
// out for a household that only orders extras.
type householdRequest struct {
	ID          *string `json:"id"`
	Name        *string `json:"name"`
	Contact     string  `json:"contact"`
	Basket      *string `json:"basket"`
	BasketCount int     `json:"basket_count"`
	// Paused suspends the subscription (holidays) without forgetting it.
	Paused bool `json:"paused"`
}

// reasonIDAssigned refuses a relay manager's id: the service assigns it.
var reasonIDAssigned = text{FR: "attribué par le service : ne pas l'envoyer", EN: "assigned by the service: leave it out"}

// row checks the required fields and converts the body of a household of
// site; a subscription without a count is one basket. chooseID says
// whether the body may name the id (a new household's id is the
// coordinator's to choose, else the service's).
func (req householdRequest) row(site string, chooseID bool) (models.Household, error) {
	var v checker
	if req.ID != nil && !chooseID {
		v.add("id", reasonIDAssigned)
	}
	required(&v, "name", req.Name)
	if err := v.err(); err != nil {
		return models.Household{}, err
	}
	h := models.Household{SiteID: site, Name: *req.Name, Contact: req.Contact, BasketTypeID: req.Basket, BasketCount: req.BasketCount, Paused: req.Paused}
	if req.ID != nil {
		h.ID = *req.ID
	}
	if req.Basket != nil && req.BasketCount == 0 {
		h.BasketCount = 1
	}
	return h, nil
}

// putHousehold replaces a household's name, contact and subscription (the
// change counts from the next scenario); it stays at its relay point.
func (s *Server) putHousehold(c *gin.Context) error {
	site, err := householdSite(c)
	if err != nil {
		return err
	}
	var req householdRequest
	if err := decodePut(c, "household", &req, &req.ID); err != nil {
		return err
	}
	h, err := req.row(site, true)
	if err != nil {
		return err
	}
	if old, err := s.store.GetHousehold(c.Request.Context(), h.ID); err != nil || old.SiteID != site {
		if err == nil {
			err = models.ErrNotFound
		}
		return notFoundAs(err, "household", nameHousehold, h.ID)
	}
	if err := s.store.UpdateHousehold(c.Request.Context(), &h); err != nil {
		return notFoundAs(err, "household", nameHousehold, h.ID)
	}
	ok(c, toHousehold(h))
	return nil
}

// createHousehold adds a household. Ids are global, and a relay manager
// learning that an id is taken would learn that another relay point has
// that household: only the coordinator (who sees every household) may
// choose the id; a relay manager's body naming one is refused, free or
// taken alike, and the service assigns a fresh "h-..." id.
func (s *Server) createHousehold(c *gin.Context) error {
	site, err := householdSite(c)
	if err != nil {
		return err
	}
	var req householdRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	h, err := req.row(site, mustPrincipal(c).IsCoordinator())
	if err != nil {
		return err
	}
	if err := s.store.CreateHousehold(c.Request.Context(), &h); err != nil {
		return conflictAs(err, "id", nameHousehold, h.ID)
	}
	writeCreated(c, "/api/v1/sites/"+site+"/households/"+h.ID, toHousehold(h))
	return nil
}
