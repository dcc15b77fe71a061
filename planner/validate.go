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

// add records a problem; its reason comes English first, as the planner's
// checks are written.
func (c *checker) add(field, en, fr string) {
	c.list = append(c.list, Problem{Field: field, Reason: i18n.Text{FR: fr, EN: en}})
}

// missing records a required text field left empty.
func (c *checker) required(field, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.add(field, "is required", "est obligatoire")
		return false
	}
	return true
}

// finite records a number that is NaN or infinite.
func (c *checker) finite(field string, v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.add(field, "must be a finite number", "doit être un nombre fini")
		return false
	}
	return true
}

func (c *checker) positive(field string, v float64) {
	if c.finite(field, v) && v <= 0 {
		c.add(field, "must be greater than 0", "doit être supérieur à 0")
	}
}

func (c *checker) nonNegative(field string, v float64) {
	if c.finite(field, v) && v < 0 {
		c.add(field, "must not be negative", "ne doit pas être négatif")
	}
}

// within records a positive number outside the sensible range [lo, hi]
// (zero and negative numbers are reported by positive).
func (c *checker) within(field string, v, lo, hi float64) {
	if v > 0 && !math.IsInf(v, 0) && (v < lo || v > hi) {
		c.add(field, fmt.Sprintf("must be between %g and %g", lo, hi),
			fmt.Sprintf("doit être entre %g et %g", lo, hi))
	}
}

func (c *checker) latLon(field string, lat, lon float64) {
	if c.finite(field+".lat", lat) && (lat < -90 || lat > 90) {
		c.add(field+".lat", "must be between -90 and 90", "doit être entre -90 et 90")
	}
	if c.finite(field+".lon", lon) && (lon < -180 || lon > 180) {
		c.add(field+".lon", "must be between -180 and 180", "doit être entre -180 et 180")
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
		c.add(field+"[0]", fmt.Sprintf("%q is not a time of day HH:MM", w[0]),
			fmt.Sprintf("%q n'est pas une heure HH:MM", w[0]))
	}
	if !okB {
		c.add(field+"[1]", fmt.Sprintf("%q is not a time of day HH:MM", w[1]),
			fmt.Sprintf("%q n'est pas une heure HH:MM", w[1]))
	}
	if okA && okB && a > b {
		c.add(field, fmt.Sprintf("starts (%s) after it ends (%s)", w[0], w[1]),
			fmt.Sprintf("commence (%s) après sa fin (%s)", w[0], w[1]))
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
			c.add(f, fmt.Sprintf("duplicate id %q", v), fmt.Sprintf("identifiant %q en double", v))
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
		c.add(field, fmt.Sprintf("unknown %s %q", what, v), fmt.Sprintf("%s %q inconnu", quoi, v))
		return false
	}
	return true
}

// tooFine records a quantity that counts more steps than the planner accepts.
func (c *checker) tooFine(field string, q, step float64) {
	if step > 0 && q/step > maxSteps {
		c.add(field, fmt.Sprintf("is more than %g steps of the product", float64(maxSteps)),
			fmt.Sprintf("dépasse %g pas du produit", float64(maxSteps)))
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
// step or weight), duplicate ids, empty basket types, bad classes, kinds and
// windows. It never panics, whatever the input.
func Validate(s Scenario) error {
	c := &checker{}
	c.latLon("hub", s.Hub.Lat, s.Hub.Lon)
	c.positive("travel.detour_factor", s.Travel.DetourFactor)
	c.positive("travel.speed_kmh", s.Travel.SpeedKmh)

	prodIDs := c.ids("products", len(s.Products), func(i int) string { return s.Products[i].ID })
	prods := make(map[string]*Product, len(s.Products))
	minStep := map[string]float64{}
	for i := range s.Products {
		p := &s.Products[i]
		f := at("products", i)
		c.positive(f+".kg_per_unit", p.KgPerUnit)
		c.positive(f+".step", p.Step)
		c.within(f+".kg_per_unit", p.KgPerUnit, 1e-6, 1e4)
		c.within(f+".step", p.Step, 1e-6, 1e6)
		if w := p.Step * p.KgPerUnit; p.Step >= 1e-6 && p.KgPerUnit >= 1e-6 && w < 1e-6 {
			c.add(f+".step", "one step weighs less than 1 mg (step x kg_per_unit)",
				"un pas pèse moins d'1 mg (step x kg_per_unit)")
		}
		c.required(f+".unit", p.Unit)
		c.required(f+".category", p.Category)
		if _, dup := prods[p.ID]; !dup {
			prods[p.ID] = p
		}
		if w := p.Step * p.KgPerUnit; w > 0 && !math.IsInf(w, 0) && (minStep[p.Category] == 0 || w < minStep[p.Category]) {
			minStep[p.Category] = w
		}
	}
	stepOf := func(id string) float64 {
		if p := prods[id]; p != nil && p.Step > 0 && !math.IsInf(p.Step, 0) {
			return p.Step
		}
		return 0
	}

	producerIDs := c.ids("producers", len(s.Producers), func(i int) string { return s.Producers[i].ID })
	for i, p := range s.Producers {
		f := at("producers", i)
		c.latLon(f, p.Lat, p.Lon)
		if p.Collect || p.Window != (Window{}) {
			c.window(f+".window", p.Window)
		}
		c.nonNegative(f+".service_min", p.ServiceMin)
	}

	seenOffer := map[[2]string]int{}
	for i, o := range s.Offers {
		f := at("offers", i)
		okP := c.known(f+".producer", "producer", o.Producer, producerIDs, "producteur")
		okQ := c.known(f+".product", "product", o.Product, prodIDs, "produit")
		c.nonNegative(f+".quantity", o.Quantity)
		c.tooFine(f+".quantity", o.Quantity, stepOf(o.Product))
		if o.PriceCents < 0 {
			c.add(f+".price_cents", "must not be negative", "ne doit pas être négatif")
		}
		if okP && okQ {
			k := [2]string{o.Producer, o.Product}
			if j, dup := seenOffer[k]; dup {
				c.add(f, fmt.Sprintf("duplicate offer of %q by %q (also offers[%d])", o.Product, o.Producer, j),
					fmt.Sprintf("offre de %q par %q en double (déjà offers[%d])", o.Product, o.Producer, j))
			} else {
				seenOffer[k] = i
			}
		}
	}

	siteIDs := c.ids("sites", len(s.Sites), func(i int) string { return s.Sites[i].ID })
	for i, st := range s.Sites {
		f := at("sites", i)
		if st.Kind != KindRelay && st.Kind != KindCanteen {
			c.add(f+".kind", fmt.Sprintf("%q is not a site kind (relay or canteen)", st.Kind),
				fmt.Sprintf("%q n'est pas un type de site (relay ou canteen)", st.Kind))
		}
		c.latLon(f, st.Lat, st.Lon)
		c.window(f+".window", st.Window)
		c.nonNegative(f+".service_min", st.ServiceMin)
	}

	basketIDs := c.ids("basket_types", len(s.BasketTypes), func(i int) string { return s.BasketTypes[i].ID })
	for i, bt := range s.BasketTypes {
		f := at("basket_types", i)
		if len(bt.Contents) == 0 {
			c.add(f+".contents", "a basket type needs at least one category",
				"un type de panier doit avoir au moins une catégorie")
		}
		cats := map[string]bool{}
		for j, cc := range bt.Contents {
			g := at(f+".contents", j)
			if c.required(g+".category", cc.Category) {
				if cats[cc.Category] {
					c.add(g+".category", fmt.Sprintf("category %q listed twice", cc.Category),
						fmt.Sprintf("catégorie %q en double", cc.Category))
				}
				cats[cc.Category] = true
			}
			c.positive(g+".kg", cc.Kg)
			c.within(g+".kg", cc.Kg, 0, 1e4)
			if ms := minStep[cc.Category]; ms > 0 && cc.Kg/ms > maxBasketSteps {
				c.add(g+".kg", fmt.Sprintf("holds more than %d steps of the category's lightest product", maxBasketSteps),
					fmt.Sprintf("contient plus de %d pas du produit le plus léger de la catégorie", maxBasketSteps))
			}
			if cc.MinProducts < 0 {
				c.add(g+".min_products", "must not be negative", "ne doit pas être négatif")
			}
		}
	}

	c.ids("orders", len(s.Orders), func(i int) string { return s.Orders[i].ID })
	for i, o := range s.Orders {
		f := at("orders", i)
		c.known(f+".site", "site", o.Site, siteIDs, "site")
		switch o.Class {
		case ClassCanteen, ClassExtra:
			c.known(f+".product", "product", o.Product, prodIDs, "produit")
			c.positive(f+".quantity", o.Quantity)
			c.tooFine(f+".quantity", o.Quantity, stepOf(o.Product))
			if o.Basket != "" {
				c.add(f+".basket", "only a basket order names a basket type",
					"seule une commande de paniers nomme un type de panier")
			}
			if o.Count != 0 {
				c.add(f+".count", "only a basket order has a count",
					"seule une commande de paniers a un nombre de paniers")
			}
		case ClassBasket:
			c.known(f+".basket", "basket type", o.Basket, basketIDs, "type de panier")
			if o.Count <= 0 {
				c.add(f+".count", "must be at least 1", "doit être au moins 1")
			} else if o.Count > 1000000 {
				c.add(f+".count", "must be at most 1000000", "doit être au plus 1000000")
			}
			if o.Product != "" {
				c.add(f+".product", "a basket order names a basket type, not a product",
					"une commande de paniers nomme un type de panier, pas un produit")
			}
			if o.Quantity != 0 {
				c.add(f+".quantity", "a basket order has a count, not a quantity",
					"une commande de paniers a un nombre de paniers, pas une quantité")
			}
		default:
			c.add(f+".class", fmt.Sprintf("%q is not an order class (canteen, basket or extra)", o.Class),
				fmt.Sprintf("%q n'est pas une classe de commande (canteen, basket ou extra)", o.Class))
		}
	}

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
