package models

import (
	"context"
	"fmt"
	"math"
	"sort"

	"paniers/planner"
)

// Travel defaults of every scenario: road distance is the great-circle
// distance times DetourFactor, driven at SpeedKmh.
const (
	DetourFactor = 1.3
	SpeedKmh     = 40
)

// Prefixes of the ids of the orders Scenario derives. They contain ':',
// which ValidID refuses, so they never collide with a stored order's id.
const (
	BasketOrderPrefix  = "basket:"  // "basket:<site>:<basket type>"
	CanteenOrderPrefix = "canteen:" // "canteen:<site>:<product>"
)

// Scenario builds the week's planning scenario in the contract's shape
// (../shared/contract/PLANNING.md): the catalogue (all products, producers,
// sites, basket types and vehicles, ordered by id), the week's offers
// (ordered by producer then product), the hub, the travel defaults, the time
// zone and the week's dates. Orders come in three groups, each ordered by id:
//
//   - canteen orders, one per canteen and product, id
//     "canteen:<site>:<product>": the sum over the week's meal orders of the
//     canteen, their dishes of the product and their age groups, of covers
//     times the portion (the dish's portion_g, else the coordinator's
//     Portion, else DefaultPortionG), in grams, turned into the product's unit
//     (grams / 1000 / kg_per_unit) and rounded up to the product's step once,
//     on the total;
//   - basket orders, one per relay point and basket type, id
//     "basket:<site>:<basket type>": the sum of the subscriptions of the
//     relay point's households and of the week's basket orders of the relay
//     point for that type;
//   - extra orders, as stored, with their own ids.
//
// All is read in one read transaction, so writes during the export cannot
// tear it (an order counted and its household not). The same database gives
// the same scenario, byte for byte once encoded. ErrNotFound when the week
// does not exist.
func (s *Store) Scenario(ctx context.Context, week string) (planner.Scenario, error) {
	var sc planner.Scenario
	err := s.snapshot(ctx, func(t *Store) error {
		var err error
		sc, err = t.scenario(ctx, week)
		return err
	})
	return sc, err
}

// scenario builds the scenario from reads through s.r, a snapshot: the
// week and hub, then the catalogue, then the orders of each class.
func (s *Store) scenario(ctx context.Context, week string) (planner.Scenario, error) {
	w, err := s.GetWeek(ctx, week)
	if err != nil {
		return planner.Scenario{}, err
	}
	hub, err := s.GetHub(ctx)
	if err != nil {
		return planner.Scenario{}, err
	}
	rows, err := s.scenarioRows(ctx, week)
	if err != nil {
		return planner.Scenario{}, err
	}
	sc := planner.Scenario{
		Week:           w.ID,
		DeliveryDate:   w.DeliveryDate,
		CollectionDate: w.CollectionDate,
		Timezone:       s.loc.String(),
		Hub:            planner.Hub{ID: hub.ID, Name: hub.Name, Lat: hub.Lat, Lon: hub.Lon},
		Travel:         planner.Travel{DetourFactor: DetourFactor, SpeedKmh: SpeedKmh},
		Orders:         []planner.Order{},
	}
	byID, relay := scenarioCatalogue(&sc, rows.products, rows.producers, rows.offers, rows.sites, rows.baskets, rows.vehicles)
	cOrders, err := canteenOrders(rows.meals, byID, rows.portions)
	if err != nil {
		return planner.Scenario{}, fmt.Errorf("models: scenario %s: %w", week, err)
	}
	bOrders, xOrders := basketOrders(rows.homes, rows.orders, relay)
	for _, group := range [][]planner.Order{cOrders, bOrders, xOrders} {
		sort.Slice(group, func(i, j int) bool { return group[i].ID < group[j].ID })
		sc.Orders = append(sc.Orders, group...)
	}
	return sc, nil
}

// scenarioRows are the rows a week's scenario is made from, each kind in
// the order of its id (offers by producer and product).
type scenarioRows struct {
	products  []Product
	producers []Producer
	offers    []Offer
	sites     []Site
	baskets   []BasketType
	vehicles  []Vehicle
	orders    []Order
	meals     []MealOrder
	homes     []Household // those with a subscription, not paused
	portions  portionTable
}

// scenarioRows reads the rows of week's scenario through s.r.
func (s *Store) scenarioRows(ctx context.Context, week string) (scenarioRows, error) {
	db := s.r.WithContext(ctx)
	var r scenarioRows
	steps := []struct {
		what string
		err  error
	}{
		{"products", db.Order("id").Find(&r.products).Error},
		{"producers", db.Order("id").Find(&r.producers).Error},
		{"offers", db.Where("week_id = ?", week).Order("producer_id, product_id").Find(&r.offers).Error},
		{"sites", db.Order("id").Find(&r.sites).Error},
		{"basket types", db.Scopes(preloadContents).Order("id").Find(&r.baskets).Error},
		{"vehicles", db.Order("id").Find(&r.vehicles).Error},
		{"orders", db.Where("week_id = ?", week).Order("id").Find(&r.orders).Error},
		{"meal orders", db.Scopes(preloadMeal).Where("week_id = ?", week).Order("id").Find(&r.meals).Error},
		{"households", db.Where("basket_type_id IS NOT NULL AND basket_count > 0 AND NOT paused").Order("id").Find(&r.homes).Error},
	}
	for _, st := range steps {
		if st.err != nil {
			return scenarioRows{}, fmt.Errorf("models: scenario %s: %s: %w", week, st.what, st.err)
		}
	}
	var err error
	if r.portions, err = s.portionTable(ctx); err != nil {
		return scenarioRows{}, err
	}
	return r, nil
}

// scenarioCatalogue fills the scenario's catalogue (products, producers,
// offers, sites, basket types, vehicles; empty lists rather than none) and
// returns the products by id and which sites are relay points.
func scenarioCatalogue(sc *planner.Scenario, products []Product, producers []Producer, offers []Offer, sites []Site, baskets []BasketType, vehicles []Vehicle) (map[string]Product, map[string]bool) {
	sc.Products = make([]planner.Product, 0, len(products))
	sc.Producers = make([]planner.Producer, 0, len(producers))
	sc.Offers = make([]planner.Offer, 0, len(offers))
	sc.Sites = make([]planner.Site, 0, len(sites))
	sc.BasketTypes = make([]planner.BasketType, 0, len(baskets))
	sc.Vehicles = make([]planner.Vehicle, 0, len(vehicles))
	byID := map[string]Product{}
	for _, p := range products {
		byID[p.ID] = p
		sc.Products = append(sc.Products, planner.Product{ID: p.ID, Name: p.Name, Unit: p.Unit, KgPerUnit: p.KgPerUnit, Category: p.Category, Step: p.Step, Organic: p.Organic,
			BasketMin: p.BasketMin, BasketMax: p.BasketMax})
	}
	for _, p := range producers {
		sc.Producers = append(sc.Producers, planner.Producer{ID: p.ID, Name: p.Name, Lat: p.Lat, Lon: p.Lon, Collect: p.Collect, Window: planner.Window{p.WindowStart, p.WindowEnd}, ServiceMin: p.ServiceMin})
	}
	for _, o := range offers {
		sc.Offers = append(sc.Offers, planner.Offer{Producer: o.ProducerID, Product: o.ProductID, Quantity: o.Quantity, PriceCents: o.PriceCents})
	}
	relay := map[string]bool{}
	for _, x := range sites {
		relay[x.ID] = x.Kind == planner.KindRelay
		sc.Sites = append(sc.Sites, planner.Site{ID: x.ID, Name: x.Name, Kind: x.Kind, Lat: x.Lat, Lon: x.Lon, Window: planner.Window{x.WindowStart, x.WindowEnd}, ServiceMin: x.ServiceMin})
	}
	for _, b := range baskets {
		bt := planner.BasketType{ID: b.ID, Name: b.Name, PriceCents: b.PriceCents, Contents: make([]planner.CategoryContent, 0, len(b.Contents))}
		for _, c := range b.Contents {
			bt.Contents = append(bt.Contents, planner.CategoryContent{Category: c.Category, Kg: c.Kg, MinProducts: c.MinProducts, MaxProducts: c.MaxProducts})
		}
		sc.BasketTypes = append(sc.BasketTypes, bt)
	}
	for _, v := range vehicles {
		sc.Vehicles = append(sc.Vehicles, planner.Vehicle{ID: v.ID, CapacityKg: v.CapacityKg, Shift: planner.Window{v.ShiftStart, v.ShiftEnd}})
	}
	return byID, relay
}

// canteenOrders sums covers x portion per canteen and product, rounded up
// to the product's step: one order per (canteen, product).
func canteenOrders(meals []MealOrder, byID map[string]Product, portions portionTable) ([]planner.Order, error) {
	canteen := map[[2]string]float64{} // (site, product) -> quantity in units
	for _, m := range meals {
		err := mealProduce(m, byID, portions, func(prod string, q float64) {
			canteen[[2]string{m.SiteID, prod}] += q
		})
		if err != nil {
			return nil, err
		}
	}
	var cOrders []planner.Order
	for k, q := range canteen {
		cOrders = append(cOrders, planner.Order{ID: CanteenOrderPrefix + k[0] + ":" + k[1], Site: k[0], Class: planner.ClassCanteen, Product: k[1], Quantity: CeilStep(q, byID[k[1]].Step)})
	}
	return cOrders, nil
}

// basketOrders sums the households' subscriptions and the week's basket
// orders per relay point and basket type (bOrders), and passes the extra
// orders as they are (xOrders).
func basketOrders(homes []Household, orders []Order, relay map[string]bool) (bOrders, xOrders []planner.Order) {
	count := map[[2]string]int{}
	for _, h := range homes {
		if relay[h.SiteID] {
			count[[2]string{h.SiteID, *h.BasketTypeID}] += h.BasketCount
		}
	}
	for _, o := range orders {
		switch {
		case o.Class == planner.ClassBasket && o.BasketTypeID != nil:
			count[[2]string{o.SiteID, *o.BasketTypeID}] += o.Count
		case o.Class == planner.ClassExtra && o.ProductID != nil:
			xOrders = append(xOrders, planner.Order{ID: o.ID, Site: o.SiteID, Class: planner.ClassExtra, Product: *o.ProductID, Quantity: o.Quantity})
		}
	}
	for k, n := range count {
		if n > 0 {
			bOrders = append(bOrders, planner.Order{ID: BasketOrderPrefix + k[0] + ":" + k[1], Site: k[0], Class: planner.ClassBasket, Basket: k[1], Count: n})
		}
	}
	return bOrders, xOrders
}

// CeilStep rounds q up to a whole multiple of step, ignoring float noise
// below 1e-9 of a step (9.5000000001 kg with a 0.1 step is 9.5, not 9.6),
// and returns it rounded to 1e-9 so that it prints cleanly.
func CeilStep(q, step float64) float64 {
	if step <= 0 {
		return q
	}
	n := math.Ceil(q/step - 1e-9)
	return math.Round(n*step*1e9) / 1e9
}

// mealProduce calls add with each dish's produce of a meal order: covers
// times the portion (the dish's portion_g, else the portion table), in the
// product's unit.
func mealProduce(m MealOrder, byID map[string]Product, portions portionTable, add func(product string, quantity float64)) error {
	for _, d := range m.Dishes {
		prod, ok := byID[d.ProductID]
		if !ok {
			return fmt.Errorf("meal order %s: product %q: %w", m.ID, d.ProductID, ErrNotFound)
		}
		for _, c := range m.Covers {
			g := 0.0
			if d.PortionG != nil {
				g = *d.PortionG
			} else if g, ok = portions.grams(c.AgeGroup, prod); !ok {
				return fmt.Errorf("meal order %s: no portion of %s for %s", m.ID, prod.ID, c.AgeGroup)
			}
			add(prod.ID, float64(c.Covers)*g/1000/prod.KgPerUnit)
		}
	}
	return nil
}

// MealProduce returns the produce a meal order turns into, in each
// product's unit, by product id in the order of the dishes: what the
// scenario adds to the canteen's orders for it (before rounding the week's
// sum up to the product's step).
func (s *Store) MealProduce(ctx context.Context, m MealOrder) ([]planner.ProductQuantity, error) {
	var prods []Product
	if err := s.r.WithContext(ctx).Find(&prods).Error; err != nil {
		return nil, dbErr(err, "products", "")
	}
	byID := make(map[string]Product, len(prods))
	for _, p := range prods {
		byID[p.ID] = p
	}
	portions, err := s.portionTable(ctx)
	if err != nil {
		return nil, err
	}
	var out []planner.ProductQuantity
	at := map[string]int{}
	err = mealProduce(m, byID, portions, func(prod string, q float64) {
		i, ok := at[prod]
		if !ok {
			i = len(out)
			at[prod] = i
			out = append(out, planner.ProductQuantity{Product: prod})
		}
		out[i].Quantity += q
	})
	return out, err
}
