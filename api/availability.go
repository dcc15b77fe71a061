package api

import (
	"math"
	"sort"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// Availability: what the farms offer this week, product by product, without
// who offers it nor at what price. Relay managers read it before ordering
// extras, cooks before writing their menus; every role may.

func (s *Server) registerAvailability(v1 *gin.RouterGroup) {
	v1.GET("/weeks/:week/availability", s.handle(s.getAvailability))
}

// availableProduct is the week's total offer of one product.
type availableProduct struct {
	Product  string  `json:"product"`
	Name     string  `json:"name"`
	Unit     string  `json:"unit"`
	Category string  `json:"category"`
	Organic  bool    `json:"organic"`
	Quantity float64 `json:"quantity"`
}

// availabilityBody lists the offered products by category, then id.
type availabilityBody struct {
	Week  string             `json:"week"`
	Items []availableProduct `json:"items"`
}

// availabilityPage is how many offers are read at once.
const availabilityPage = models.MaxLimit

func (s *Server) getAvailability(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	totals := map[string]float64{}
	for offset := 0; ; offset += availabilityPage {
		offers, err := s.store.ListOffers(c.Request.Context(), week, models.OfferFilter{}, models.Page{Limit: availabilityPage, Offset: offset})
		if err != nil {
			return notFoundAs(err, "week", nameWeek, week)
		}
		for _, o := range offers {
			totals[o.ProductID] += o.Quantity
		}
		if len(offers) < availabilityPage {
			break
		}
	}
	products := map[string]models.Product{}
	for offset := 0; len(products) < len(totals); offset += availabilityPage {
		page, err := s.store.ListProducts(c.Request.Context(), models.Page{Limit: availabilityPage, Offset: offset})
		if err != nil {
			return err
		}
		for _, p := range page {
			products[p.ID] = p
		}
		if len(page) < availabilityPage {
			break
		}
	}
	out := availabilityBody{Week: week, Items: []availableProduct{}}
	for id, q := range totals {
		p := products[id]
		out.Items = append(out.Items, availableProduct{Product: id, Name: p.Name, Unit: p.Unit, Category: p.Category,
			Organic: p.Organic, Quantity: roundQuantity(q, p.Step)})
	}
	sort.Slice(out.Items, func(i, j int) bool {
		a, b := out.Items[i], out.Items[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.Product < b.Product
	})
	ok(c, out)
	return nil
}

// roundQuantity removes the float noise of a sum of multiples of step
// (0.1 + 0.2 is 0.30000000000000004).
func roundQuantity(q, step float64) float64 {
	if step > 0 {
		q = math.Round(q/step) * step
	}
	return math.Round(q*1e6) / 1e6
}
