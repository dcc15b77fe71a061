package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// portionStore is what the portion routes need; *models.Store satisfies it.
type portionStore interface {
	ListPortions(ctx context.Context) ([]models.Portion, error)
	SetPortion(ctx context.Context, p models.Portion) error
}

var _ portionStore = (*models.Store)(nil)

// The portion table turns a canteen's covers into produce: grams of a
// product per cover of an age group. Every role reads it (a cook checks what
// its covers will bring); the coordinator edits it. Pairs not in the table
// use the built-in defaults (models.DefaultPortionG).

func (s *Server) registerPortions(v1 *gin.RouterGroup) {
	v1.GET("/portions", s.handle(s.listPortions))
	v1.PUT("/portions/:age_group/:product", s.requireRole(), s.handle(s.putPortion))
}

// portionsBody lists the coordinator's portions and the age groups.
type portionsBody struct {
	Items     []portionBody `json:"items"`
	AgeGroups []string      `json:"age_groups"`
}

func toPortion(p models.Portion) portionBody {
	return portionBody{AgeGroup: p.AgeGroup, Product: p.ProductID, Grams: p.Grams}
}

func (s *Server) listPortions(c *gin.Context) error {
	rows, err := s.store.ListPortions(c.Request.Context())
	if err != nil {
		return err
	}
	out := portionsBody{Items: make([]portionBody, 0, len(rows)), AgeGroups: models.AgeGroups}
	for _, r := range rows {
		out.Items = append(out.Items, toPortion(r))
	}
	ok(c, out)
	return nil
}

// portionRequest is the body of PUT /portions/{age_group}/{product}.
type portionRequest struct {
	Grams *float64 `json:"grams"`
}

func (s *Server) putPortion(c *gin.Context) error {
	product, err := idParam(c, "product")
	if err != nil {
		return err
	}
	var req portionRequest
	if _, err := decodeJSON(c, &req); err != nil {
		return err
	}
	var v checker
	required(&v, "grams", req.Grams)
	if err := v.err(); err != nil {
		return err
	}
	row := models.Portion{AgeGroup: c.Param("age_group"), ProductID: product, Grams: *req.Grams}
	if err := s.store.SetPortion(c.Request.Context(), row); err != nil {
		if e := s.storeError(err); e != nil {
			// The store names the product "product_id"; the path calls it
			// "product".
			for i := range e.Fields {
				if e.Fields[i].Field == "product_id" {
					e.Fields[i].Field = "product"
				}
			}
			return e
		}
		return err
	}
	ok(c, toPortion(row))
	return nil
}
