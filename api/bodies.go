package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"paniers/models"
	"paniers/planner"
	"paniers/planner/egalim"
)

// The API's own response bodies, converted from the store's rows so that the
// wire format and the schema can change apart. Field names follow the
// planning contract where the contract has them.

type producerBody struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Place      string    `json:"place"`
	Address    string    `json:"address"`
	Lat        float64   `json:"lat"`
	Lon        float64   `json:"lon"`
	Collect    bool      `json:"collect"`
	Window     [2]string `json:"window"`
	ServiceMin float64   `json:"service_min"`
	// Lender is the household lending a garden: a household id is
	// personal data, shown to the coordinator only (see producerFor).
	Lender string `json:"lender,omitempty"`
}

func toProducer(p models.Producer) producerBody {
	b := producerBody{
		ID: p.ID, Name: p.Name, Kind: p.Kind, Place: p.Place, Address: p.Address,
		Lat: p.Lat, Lon: p.Lon, Collect: p.Collect,
		Window: [2]string{p.WindowStart, p.WindowEnd}, ServiceMin: p.ServiceMin,
	}
	if p.LenderID != nil {
		b.Lender = *p.LenderID
	}
	return b
}

// producerFor converts producers for the caller: without the lender of a
// garden unless the caller is the coordinator.
func producerFor(c *gin.Context) func(models.Producer) producerBody {
	coordinator := mustPrincipal(c).IsCoordinator()
	return func(p models.Producer) producerBody {
		b := toProducer(p)
		if !coordinator {
			b.Lender = ""
		}
		return b
	}
}

// productBody is a product in the planning contract's shape (portions
// included), with its EGalim labels and family.
type productBody struct {
	planner.Product
	EgalimLabels []string `json:"egalim_labels"`
	Family       string   `json:"family"`
}

// toProduct answers a product.
func toProduct(p models.Product) productBody {
	return productBody{Product: planner.Product{ID: p.ID, Name: p.Name, Unit: p.Unit, KgPerUnit: p.KgPerUnit,
		Category: p.Category, Step: p.Step, Organic: p.Organic, BasketMin: p.BasketMin, BasketMax: p.BasketMax},
		EgalimLabels: egalim.SplitLabels(p.EgalimLabels), Family: p.Family}
}

type siteBody struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Place      string    `json:"place"`
	Address    string    `json:"address"`
	Lat        float64   `json:"lat"`
	Lon        float64   `json:"lon"`
	Window     [2]string `json:"window"`
	ServiceMin float64   `json:"service_min"`
	Siret      string    `json:"siret,omitempty"`
}

func toSite(s models.Site) siteBody {
	return siteBody{ID: s.ID, Name: s.Name, Kind: s.Kind, Place: s.Place, Address: s.Address,
		Lat: s.Lat, Lon: s.Lon, Window: [2]string{s.WindowStart, s.WindowEnd}, ServiceMin: s.ServiceMin, Siret: s.Siret}
}

type vehicleBody struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	CapacityKg float64   `json:"capacity_kg"`
	Shift      [2]string `json:"shift"`
}

func toVehicle(v models.Vehicle) vehicleBody {
	return vehicleBody{ID: v.ID, Name: v.Name, CapacityKg: v.CapacityKg, Shift: [2]string{v.ShiftStart, v.ShiftEnd}}
}

type basketContentBody struct {
	Category    string  `json:"category"`
	Kg          float64 `json:"kg"`
	MinProducts int     `json:"min_products"`
	MaxProducts int     `json:"max_products,omitempty"`
}

type basketTypeBody struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	PriceCents int64               `json:"price_cents"`
	Contents   []basketContentBody `json:"contents"`
}

func toBasketType(b models.BasketType) basketTypeBody {
	out := basketTypeBody{ID: b.ID, Name: b.Name, PriceCents: b.PriceCents, Contents: []basketContentBody{}}
	for _, c := range b.Contents {
		out.Contents = append(out.Contents, basketContentBody{Category: c.Category, Kg: c.Kg, MinProducts: c.MinProducts, MaxProducts: c.MaxProducts})
	}
	return out
}

// householdBody holds personal data (name, contact): only the relay point's
// manager and the coordinator ever get it.
type householdBody struct {
	ID          string  `json:"id"`
	Site        string  `json:"site"`
	Name        string  `json:"name"`
	Contact     string  `json:"contact"`
	Basket      *string `json:"basket"`
	BasketCount int     `json:"basket_count"`
	// Paused is true while the subscription is suspended.
	Paused bool `json:"paused"`
}

func toHousehold(h models.Household) householdBody {
	return householdBody{ID: h.ID, Site: h.SiteID, Name: h.Name, Contact: h.Contact,
		Basket: h.BasketTypeID, BasketCount: h.BasketCount, Paused: h.Paused}
}

// weekBody shows a week's calendar in the configured time zone, and whether
// it still takes offers and orders at the server's clock.
type weekBody struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	OfferCutoff    string `json:"offer_cutoff"`
	OrderCutoff    string `json:"order_cutoff"`
	CollectionDate string `json:"collection_date"`
	DeliveryDate   string `json:"delivery_date"`
	Timezone       string `json:"timezone"`
	AcceptsOffers  bool   `json:"accepts_offers"`
	AcceptsOrders  bool   `json:"accepts_orders"`
}

func (s *Server) toWeek(w models.Week) weekBody {
	now := s.now()
	open := w.Status == models.WeekOpen
	return weekBody{
		ID: w.ID, Status: w.Status,
		OfferCutoff:    s.formatInstant(w.OfferCutoff),
		OrderCutoff:    s.formatInstant(w.OrderCutoff),
		CollectionDate: w.CollectionDate, DeliveryDate: w.DeliveryDate,
		Timezone:      s.loc.String(),
		AcceptsOffers: open && now.Before(w.OfferCutoff),
		AcceptsOrders: open && now.Before(w.OrderCutoff),
	}
}

// formatInstant prints an instant in RFC 3339 in the configured time zone
// ("2026-11-25T20:00:00+01:00"), as people of the collective read it.
func (s *Server) formatInstant(t time.Time) string {
	return t.In(s.loc).Format(time.RFC3339)
}

type offerBody struct {
	Week       string  `json:"week"`
	Producer   string  `json:"producer"`
	Product    string  `json:"product"`
	Quantity   float64 `json:"quantity"`
	PriceCents int64   `json:"price_cents"`
	UpdatedAt  string  `json:"updated_at"`
}

func (s *Server) toOffer(o models.Offer) offerBody {
	return offerBody{Week: o.WeekID, Producer: o.ProducerID, Product: o.ProductID,
		Quantity: o.Quantity, PriceCents: o.PriceCents, UpdatedAt: s.formatInstant(o.UpdatedAt)}
}

type orderBody struct {
	ID        string  `json:"id"`
	Week      string  `json:"week"`
	Site      string  `json:"site"`
	Class     string  `json:"class"`
	Product   string  `json:"product,omitempty"`
	Quantity  float64 `json:"quantity,omitempty"`
	Basket    string  `json:"basket,omitempty"`
	Count     int     `json:"count,omitempty"`
	Household string  `json:"household,omitempty"`
	CreatedAt string  `json:"created_at"`
}

func (s *Server) toOrder(o models.Order) orderBody {
	return orderBody{ID: o.ID, Week: o.WeekID, Site: o.SiteID, Class: o.Class,
		Product: deref(o.ProductID), Quantity: o.Quantity, Basket: deref(o.BasketTypeID), Count: o.Count,
		Household: deref(o.HouseholdID), CreatedAt: s.formatInstant(o.CreatedAt)}
}

type mealCoverBody struct {
	AgeGroup string `json:"age_group"`
	Covers   int    `json:"covers"`
}

type mealDishBody struct {
	Product  string   `json:"product"`
	PortionG *float64 `json:"portion_g,omitempty"`
}

type mealOrderBody struct {
	ID        string          `json:"id"`
	Week      string          `json:"week"`
	Site      string          `json:"site"`
	Date      string          `json:"date"`
	Note      string          `json:"note,omitempty"`
	Covers    []mealCoverBody `json:"covers"`
	Dishes    []mealDishBody  `json:"dishes"`
	CreatedAt string          `json:"created_at"`
}

func (s *Server) toMealOrder(m models.MealOrder) mealOrderBody {
	out := mealOrderBody{ID: m.ID, Week: m.WeekID, Site: m.SiteID, Date: m.Date, Note: m.Note,
		Covers: []mealCoverBody{}, Dishes: []mealDishBody{}, CreatedAt: s.formatInstant(m.CreatedAt)}
	for _, c := range m.Covers {
		out.Covers = append(out.Covers, mealCoverBody{AgeGroup: c.AgeGroup, Covers: c.Covers})
	}
	for _, d := range m.Dishes {
		out.Dishes = append(out.Dishes, mealDishBody{Product: d.ProductID, PortionG: d.PortionG})
	}
	return out
}

type portionBody struct {
	AgeGroup string  `json:"age_group"`
	Product  string  `json:"product"`
	Grams    float64 `json:"grams"`
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
