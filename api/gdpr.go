package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// Personal data (GDPR): the coordinator exports everything stored about a
// household (right of access) and erases it (right to erasure). Both live
// under the household's relay point, like the household itself:
//
//	GET  /api/v1/sites/{site}/households/{household}/export
//	POST /api/v1/sites/{site}/households/{household}/erase
//
// Only the coordinator may call them: a relay manager manages its
// households day to day, but exporting or erasing someone's data is the
// collective's decision, made and recorded by its coordinator.

// gdprStore is what the GDPR handlers need; *models.Store satisfies it.
type gdprStore interface {
	ExportHousehold(ctx context.Context, id string) (models.HouseholdExport, error)
	EraseHousehold(ctx context.Context, id string) (models.Household, error)
	FrozenWeeks(ctx context.Context, id string) ([]string, error)
}

// publishedRefresher rewrites a week's published folder (*jobs.Service).
type publishedRefresher interface {
	RefreshPublished(ctx context.Context, week string) error
}

var _ gdprStore = (*models.Store)(nil)

func (s *Server) registerGDPR(v1 *gin.RouterGroup) {
	coord := s.requireRole()
	v1.GET("/sites/:site/households/:household/export", coord, s.handle(s.exportHousehold))
	v1.POST("/sites/:site/households/:household/erase", coord, s.handle(s.eraseHousehold))
}

// gdprHousehold reads the {site} and {household} path parameters and checks
// that the household belongs to that relay point (404 otherwise, as for
// GET .../households/{household}).
func (s *Server) gdprHousehold(c *gin.Context) (gdprStore, string, error) {
	st := s.store
	site, err := idParam(c, "site")
	if err != nil {
		return nil, "", err
	}
	id, err := idParam(c, "household")
	if err != nil {
		return nil, "", err
	}
	h, err := s.store.GetHousehold(c.Request.Context(), id)
	if err == nil && h.SiteID != site {
		err = models.ErrNotFound
	}
	if err != nil {
		return nil, "", notFoundAs(err, "household", nameHousehold, id)
	}
	return st, id, nil
}

// householdExportBody is the export of a household: the household as the
// API shows it, and every order placed on its behalf.
type householdExportBody struct {
	Household  householdBody   `json:"household"`
	Orders     []orderBody     `json:"orders"`
	Manne      manneExportBody `json:"manne"`
	ExportedAt string          `json:"exported_at"`
}

// manneExportBody is the household's MANNE account in its export: the
// balance and every entry, oldest first.
type manneExportBody struct {
	BalanceCents int64       `json:"balance_cents"`
	Entries      []entryBody `json:"entries"`
}

func (s *Server) exportHousehold(c *gin.Context) error {
	st, id, err := s.gdprHousehold(c)
	if err != nil {
		return err
	}
	x, err := st.ExportHousehold(c.Request.Context(), id)
	if err != nil {
		return notFoundAs(err, "household", nameHousehold, id)
	}
	out := householdExportBody{Household: toHousehold(x.Household), Orders: make([]orderBody, 0, len(x.Orders)),
		ExportedAt: s.formatInstant(x.ExportedAt)}
	for _, o := range x.Orders {
		out.Orders = append(out.Orders, s.toOrder(o))
	}
	out.Manne = manneExportBody{BalanceCents: x.Manne.BalanceCents, Entries: make([]entryBody, 0, len(x.ManneEntries))}
	for _, e := range x.ManneEntries {
		out.Manne.Entries = append(out.Manne.Entries, s.toEntry(e))
	}
	// The export is meant to be handed over as a file.
	c.Header("Content-Disposition", `attachment; filename="foyer-`+id+`.json"`)
	ok(c, out)
	return nil
}

// householdErasureBody answers an erasure: the household's new anonymous
// id and what remains of it, and how many orders were kept under it.
type householdErasureBody struct {
	Erased    string        `json:"erased"`
	Household householdBody `json:"household"`
	Orders    int           `json:"orders"`
}

func (s *Server) eraseHousehold(c *gin.Context) error {
	st, id, err := s.gdprHousehold(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	weeks, err := st.FrozenWeeks(ctx, id)
	if err != nil {
		return err
	}
	h, err := st.EraseHousehold(ctx, id)
	if err != nil {
		return notFoundAs(err, "household", nameHousehold, id)
	}
	// The stored lists no longer name it; the files already published
	// are written again from them.
	if r, ok := s.opts.Jobs.(publishedRefresher); ok {
		for _, w := range weeks {
			if err := r.RefreshPublished(ctx, w); err != nil {
				s.log.ErrorContext(ctx, "api: published documents not refreshed after an erasure", "week", w, "household", h.ID, "err", err)
			}
		}
	}
	x, err := st.ExportHousehold(c.Request.Context(), h.ID)
	if err != nil {
		return err
	}
	s.log.InfoContext(c.Request.Context(), "api: household erased", "site", h.SiteID, "household", h.ID,
		"orders", len(x.Orders), "by_token", mustPrincipal(c).TokenID)
	ok(c, householdErasureBody{Erased: id, Household: toHousehold(h), Orders: len(x.Orders)})
	return nil
}
