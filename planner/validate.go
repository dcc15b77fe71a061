package planner

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"paniers/internal/i18n"
)

// Problem is one thing wrong with a scenario: the path of the field
// ("orders[3].product") and why, in French and English.
type Problem struct {
	Field  string
	Reason i18n.Text
}

// ValidationError lists every problem found in a scenario, in the order of
// the scenario's fields, so that a caller can show them all at once (the API
// turns them into problem+json).
type ValidationError struct {
	Problems []Problem
}

// Error names every problem on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("planner: invalid scenario: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteString(": ")
		b.WriteString(p.Reason.EN)
	}
	return b.String()
}

// checker collects problems.
type checker struct{ list []Problem }

// add records a problem and its reason, in French and English.
func (c *checker) add(field, fr, en string) {
	c.list = append(c.list, Problem{Field: field, Reason: i18n.Text{FR: fr, EN: en}})
}

// missing records a required text field left empty.
func (c *checker) required(field, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.add(field, "est obligatoire", "is required")
		return false
	}
	return true
}

// finite records a number that is NaN or infinite.
func (c *checker) finite(field string, v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.add(field, "doit être un nombre fini", "must be a finite number")
		return false
	}
	return true
}

func (c *checker) positive(field string, v float64) {
	if c.finite(field, v) && v <= 0 {
		c.add(field, "doit être supérieur à 0", "must be greater than 0")
	}
}

func (c *checker) nonNegative(field string, v float64) {
	if c.finite(field, v) && v < 0 {
		c.add(field, "ne doit pas être négatif", "must not be negative")
	}
}

// within records a positive number outside the sensible range [lo, hi]
// (zero and negative numbers are reported by positive).
func (c *checker) within(field string, v, lo, hi float64) {
	if v > 0 && !math.IsInf(v, 0) && (v < lo || v > hi) {
		c.add(field, fmt.Sprintf("doit être entre %g et %g", lo, hi),
			fmt.Sprintf("must be between %g and %g", lo, hi))
	}
}

func (c *checker) latLon(field string, lat, lon float64) {
	if c.finite(field+".lat", lat) && (lat < -90 || lat > 90) {
		c.add(field+".lat", "doit être entre -90 et 90", "must be between -90 and 90")
	}
	if c.finite(field+".lon", lon) && (lon < -180 || lon > 180) {
		c.add(field+".lon", "doit être entre -180 et 180", "must be between -180 and 180")
	}
}

// ParseClock reads "HH:MM" (00:00 to 23:59, or 24:00) into minutes after
// midnight.
func ParseClock(v string) (int, bool) {
	if len(v) != 5 || v[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	h := int(v[0]-'0')*10 + int(v[1]-'0')
	m := int(v[3]-'0')*10 + int(v[4]-'0')
	if m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, false
	}
	return h*60 + m, true
}

func (c *checker) window(field string, w Window) {
	a, okA := ParseClock(w[0])
	b, okB := ParseClock(w[1])
	if !okA {
		c.add(field+"[0]", fmt.Sprintf("%q n'est pas une heure HH:MM", w[0]),
			fmt.Sprintf("%q is not a time of day HH:MM", w[0]))
	}
	if !okB {
		c.add(field+"[1]", fmt.Sprintf("%q n'est pas une heure HH:MM", w[1]),
			fmt.Sprintf("%q is not a time of day HH:MM", w[1]))
	}
	if okA && okB && a > b {
		c.add(field, fmt.Sprintf("commence (%s) après sa fin (%s)", w[0], w[1]),
			fmt.Sprintf("starts (%s) after it ends (%s)", w[0], w[1]))
	}
}

// ids records duplicate and empty ids and returns the set of ids.
func (c *checker) ids(list string, n int, id func(int) string) map[string]bool {
	seen := make(map[string]bool, n)
	for i := range n {
		f := at(list, i) + ".id"
		v := id(i)
		if !c.required(f, v) {
			continue
		}
		if seen[v] {
			c.add(f, fmt.Sprintf("identifiant %q en double", v), fmt.Sprintf("duplicate id %q", v))
		}
		seen[v] = true
	}
	return seen
}

func (c *checker) known(field, what, v string, set map[string]bool, quoi string) bool {
	if !c.required(field, v) {
		return false
	}
	if !set[v] {
		c.add(field, fmt.Sprintf("%s %q inconnu", quoi, v), fmt.Sprintf("unknown %s %q", what, v))
		return false
	}
	return true
}

// tooFine records a quantity that counts more steps than the planner accepts.
func (c *checker) tooFine(field string, q, step float64) {
	if step > 0 && q/step > maxSteps {
		c.add(field, fmt.Sprintf("dépasse %g pas du produit", float64(maxSteps)),
			fmt.Sprintf("is more than %g steps of the product", float64(maxSteps)))
	}
}

// at names element i of a list field ("orders[3]"); cheaper than Sprintf,
// which matters when a regional week is validated on every plan.
func at(list string, i int) string {
	return list + "[" + strconv.Itoa(i) + "]"
}

// maxBasketSteps bounds the steps one basket category can hold, so that the
// basket fill, which adds one step at a time, stays short.
const maxBasketSteps = 10000

// Validate checks a scenario against the contract before planning. It
// returns nil or a *ValidationError naming every problem: unknown references,
// missing fields per order class, bad numbers (negative, NaN, infinite, zero
// step or weight), portions that are not multiples of the step or whose
// basket_min exceeds basket_max, min_products above max_products, duplicate
// ids, empty basket types, bad classes, kinds and windows. It never panics,
// whatever the input.
func Validate(s Scenario) error {
	c := &checker{}
	c.latLon("hub", s.Hub.Lat, s.Hub.Lon)
	c.positive("travel.detour_factor", s.Travel.DetourFactor)
	c.positive("travel.speed_kmh", s.Travel.SpeedKmh)
	pc := c.products(s.Products)
	producerIDs := c.producers(s.Producers)
	c.offers(s.Offers, producerIDs, pc)
	siteIDs := c.sites(s.Sites)
	basketIDs := c.basketTypes(s.BasketTypes, pc.minStep)
	c.orders(s.Orders, siteIDs, basketIDs, pc)
	c.ids("vehicles", len(s.Vehicles), func(i int) string { return s.Vehicles[i].ID })
	for i, v := range s.Vehicles {
		f := at("vehicles", i)
		c.positive(f+".capacity_kg", v.CapacityKg)
		c.window(f+".shift", v.Shift)
	}
	if len(c.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: c.list}
}

// productCatalog is what the checks of offers, basket types and orders need
// to know of the products.
type productCatalog struct {
	ids     map[string]bool
	prods   map[string]*Product
	minStep map[string]float64 // lightest step per category, kg
}

// stepOf is a known product's step, or 0.
func (pc productCatalog) stepOf(id string) float64 {
	if p := pc.prods[id]; p != nil && p.Step > 0 && !math.IsInf(p.Step, 0) {
		return p.Step
	}
	return 0
}

func (c *checker) products(list []Product) productCatalog {
	pc := productCatalog{
		ids:     c.ids("products", len(list), func(i int) string { return list[i].ID }),
		prods:   make(map[string]*Product, len(list)),
		minStep: map[string]float64{},
	}
	for i := range list {
		p := &list[i]
		f := at("products", i)
		c.positive(f+".kg_per_unit", p.KgPerUnit)
		c.positive(f+".step", p.Step)
		c.within(f+".kg_per_unit", p.KgPerUnit, 1e-6, 1e4)
		c.within(f+".step", p.Step, 1e-6, 1e6)
		if w := p.Step * p.KgPerUnit; p.Step >= 1e-6 && p.KgPerUnit >= 1e-6 && w < 1e-6 {
			c.add(f+".step", "un pas pèse moins d'1 mg (step x kg_per_unit)",
				"one step weighs less than 1 mg (step x kg_per_unit)")
		}
		c.required(f+".unit", p.Unit)
		c.required(f+".category", p.Category)
		c.portions(f, p)
		if _, dup := pc.prods[p.ID]; !dup {
			pc.prods[p.ID] = p
		}
		if w := p.Step * p.KgPerUnit; w > 0 && !math.IsInf(w, 0) && (pc.minStep[p.Category] == 0 || w < pc.minStep[p.Category]) {
			pc.minStep[p.Category] = w
		}
	}
	return pc
}

// portions checks a product's basket_min and basket_max: optional (0), else
// positive multiples of the step, at most 10^9 steps, min <= max.
func (c *checker) portions(f string, p *Product) {
	okStep := p.Step >= 1e-6 && !math.IsInf(p.Step, 0) && !math.IsNaN(p.Step)
	ok := true
	for _, q := range []struct {
		name string
		v    float64
	}{{"basket_min", p.BasketMin}, {"basket_max", p.BasketMax}} {
		g := f + "." + q.name
		if !c.finite(g, q.v) {
			ok = false
			continue
		}
		if q.v < 0 {
			c.add(g, "ne doit pas être négatif (0 ou absent : la valeur par défaut)", "must not be negative (0 or absent: the default)")
			ok = false
			continue
		}
		if q.v == 0 || !okStep {
			continue
		}
		c.tooFine(g, q.v, p.Step)
		if k := math.Round(q.v / p.Step); math.Abs(q.v-k*p.Step) > max(1e-6, 1e-9*q.v) {
			c.add(g, fmt.Sprintf("%g n'est pas un multiple du pas %g", q.v, p.Step),
				fmt.Sprintf("%g is not a multiple of the step %g", q.v, p.Step))
			ok = false
		}
	}
	if ok && p.BasketMin > 0 && p.BasketMax > 0 && p.BasketMin > p.BasketMax+1e-9 {
		c.add(f+".basket_min", fmt.Sprintf("%g dépasse basket_max %g", p.BasketMin, p.BasketMax),
			fmt.Sprintf("%g is more than basket_max %g", p.BasketMin, p.BasketMax))
	}
}

func (c *checker) producers(list []Producer) map[string]bool {
	ids := c.ids("producers", len(list), func(i int) string { return list[i].ID })
	for i, p := range list {
		f := at("producers", i)
		c.latLon(f, p.Lat, p.Lon)
		if p.Collect || p.Window != (Window{}) {
			c.window(f+".window", p.Window)
		}
		c.nonNegative(f+".service_min", p.ServiceMin)
	}
	return ids
}

func (c *checker) offers(list []Offer, producerIDs map[string]bool, pc productCatalog) {
	seenOffer := map[[2]string]int{}
	for i, o := range list {
		f := at("offers", i)
		okP := c.known(f+".producer", "producer", o.Producer, producerIDs, "producteur")
		okQ := c.known(f+".product", "product", o.Product, pc.ids, "produit")
		c.nonNegative(f+".quantity", o.Quantity)
		c.tooFine(f+".quantity", o.Quantity, pc.stepOf(o.Product))
		if o.PriceCents < 0 {
			c.add(f+".price_cents", "ne doit pas être négatif", "must not be negative")
		}
		if okP && okQ {
			k := [2]string{o.Producer, o.Product}
			if j, dup := seenOffer[k]; dup {
				c.add(f, fmt.Sprintf("offre de %q par %q en double (déjà offers[%d])", o.Product, o.Producer, j),
					fmt.Sprintf("duplicate offer of %q by %q (also offers[%d])", o.Product, o.Producer, j))
			} else {
				seenOffer[k] = i
			}
		}
	}
}

func (c *checker) sites(list []Site) map[string]bool {
	ids := c.ids("sites", len(list), func(i int) string { return list[i].ID })
	for i, st := range list {
		f := at("sites", i)
		if st.Kind != KindRelay && st.Kind != KindCanteen {
			c.add(f+".kind", fmt.Sprintf("%q n'est pas un type de site (relay ou canteen)", st.Kind),
				fmt.Sprintf("%q is not a site kind (relay or canteen)", st.Kind))
		}
		c.latLon(f, st.Lat, st.Lon)
		c.window(f+".window", st.Window)
		c.nonNegative(f+".service_min", st.ServiceMin)
	}
	return ids
}

func (c *checker) basketTypes(list []BasketType, minStep map[string]float64) map[string]bool {
	ids := c.ids("basket_types", len(list), func(i int) string { return list[i].ID })
	for i, bt := range list {
		f := at("basket_types", i)
		if len(bt.Contents) == 0 {
			c.add(f+".contents", "un type de panier doit avoir au moins une catégorie",
				"a basket type needs at least one category")
		}
		if bt.PriceCents < 0 {
			c.add(f+".price_cents", "ne doit pas être négatif", "must not be negative")
		}
		cats := map[string]bool{}
		for j, cc := range bt.Contents {
			g := at(f+".contents", j)
			if c.required(g+".category", cc.Category) {
				if cats[cc.Category] {
					c.add(g+".category", fmt.Sprintf("catégorie %q en double", cc.Category),
						fmt.Sprintf("category %q listed twice", cc.Category))
				}
				cats[cc.Category] = true
			}
			c.positive(g+".kg", cc.Kg)
			c.within(g+".kg", cc.Kg, 0, 1e4)
			if ms := minStep[cc.Category]; ms > 0 && cc.Kg/ms > maxBasketSteps {
				c.add(g+".kg", fmt.Sprintf("contient plus de %d pas du produit le plus léger de la catégorie", maxBasketSteps),
					fmt.Sprintf("holds more than %d steps of the category's lightest product", maxBasketSteps))
			}
			if cc.MinProducts < 0 {
				c.add(g+".min_products", "ne doit pas être négatif", "must not be negative")
			}
			if cc.MaxProducts < 0 {
				c.add(g+".max_products", "ne doit pas être négatif (0 ou absent : sans limite)", "must not be negative (0 or absent: no bound)")
			} else if cc.MaxProducts > 0 && cc.MinProducts > cc.MaxProducts {
				c.add(g+".min_products", fmt.Sprintf("%d dépasse max_products %d", cc.MinProducts, cc.MaxProducts),
					fmt.Sprintf("%d is more than max_products %d", cc.MinProducts, cc.MaxProducts))
			}
		}
	}
	return ids
}

func (c *checker) orders(list []Order, siteIDs, basketIDs map[string]bool, pc productCatalog) {
	c.ids("orders", len(list), func(i int) string { return list[i].ID })
	for i, o := range list {
		f := at("orders", i)
		c.known(f+".site", "site", o.Site, siteIDs, "site")
		switch o.Class {
		case ClassCanteen, ClassExtra:
			c.known(f+".product", "product", o.Product, pc.ids, "produit")
			c.positive(f+".quantity", o.Quantity)
			c.tooFine(f+".quantity", o.Quantity, pc.stepOf(o.Product))
			if o.Basket != "" {
				c.add(f+".basket", "seule une commande de paniers nomme un type de panier",
					"only a basket order names a basket type")
			}
			if o.Count != 0 {
				c.add(f+".count", "seule une commande de paniers a un nombre de paniers",
					"only a basket order has a count")
			}
		case ClassBasket:
			c.known(f+".basket", "basket type", o.Basket, basketIDs, "type de panier")
			if o.Count <= 0 {
				c.add(f+".count", "doit être au moins 1", "must be at least 1")
			} else if o.Count > 1000000 {
				c.add(f+".count", "doit être au plus 1000000", "must be at most 1000000")
			}
			if o.Product != "" {
				c.add(f+".product", "une commande de paniers nomme un type de panier, pas un produit",
					"a basket order names a basket type, not a product")
			}
			if o.Quantity != 0 {
				c.add(f+".quantity", "une commande de paniers a un nombre de paniers, pas une quantité",
					"a basket order has a count, not a quantity")
			}
		default:
			c.add(f+".class", fmt.Sprintf("%q n'est pas une classe de commande (canteen, basket ou extra)", o.Class),
				fmt.Sprintf("%q is not an order class (canteen, basket or extra)", o.Class))
		}
	}
}
