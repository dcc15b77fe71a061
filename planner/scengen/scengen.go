// Package scengen generates valid planning scenarios of any size for tests
// and benchmarks: the same configuration and seed always give the same
// scenario. Families shape the supply against the demand (ample, mild or
// severe shortage, a single producer, no supply at all, products nobody
// orders, orders nobody can serve). Coordinates lie around Lens
// (Pas-de-Calais), where paniers runs.
package scengen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"paniers/planner"
)

// Family shapes a scenario's supply against its demand.
type Family string

// The families of scenarios.
const (
	Ample          Family = "ample"           // supply 1.5 to 2.5 times the demand
	MildShortage   Family = "mild"            // supply 80 to 95 % of the demand
	SevereShortage Family = "severe"          // supply 20 to 50 % of the demand
	SingleProducer Family = "single-producer" // one producer offers everything
	ZeroSupply     Family = "zero"            // no offer at all
	Unordered      Family = "unordered"       // a third of the products nobody orders, in no basket
	Unservable     Family = "unservable"      // a third of the ordered products nobody offers
)

// Families lists every family, for tests that run them all.
var Families = []Family{Ample, MildShortage, SevereShortage, SingleProducer, ZeroSupply, Unordered, Unservable}

// Config sizes a scenario. Zero counts take small defaults.
type Config struct {
	Seed        int64
	Family      Family
	Producers   int
	Products    int
	Sites       int
	Orders      int
	BasketTypes int // 0 means 2 when there are relay sites
	Vehicles    int
	// Extras and Canteens are the shares of product orders among the
	// orders (the rest are basket orders); negative means the default.
	Canteens float64
	Extras   float64
}

// Regional is the size of a whole region's week: 300 producers, 120
// products, 600 sites and 5,000 orders.
func Regional(seed int64, f Family) planner.Scenario {
	return Generate(Config{Seed: seed, Family: f, Producers: 300, Products: 120, Sites: 600, Orders: 5000, BasketTypes: 3, Vehicles: 12})
}

// Around Lens.
const (
	lensLat = 50.43
	lensLon = 2.83
)

var vegetables = []string{"carotte", "poireau", "chou", "salade", "pomme-de-terre", "oignon", "betterave", "courge", "navet", "radis", "epinard", "celeri", "endive", "panais", "echalote", "ail", "brocoli", "haricot", "tomate", "concombre"}
var fruits = []string{"pomme", "poire", "fraise", "prune", "cerise", "rhubarbe", "framboise", "coing"}
var others = []string{"oeufs", "fromage", "miel", "pain", "jus"}

// Generate makes a valid scenario from a configuration.
func Generate(c Config) planner.Scenario {
	g := &generator{r: rand.New(rand.NewPCG(uint64(c.Seed), 0x70616e69657273)), c: c.withDefaults()}
	g.s = planner.Scenario{
		Week:           fmt.Sprintf("2026-W%02d", 1+int(uint64(c.Seed)%52)),
		DeliveryDate:   "2026-12-01",
		CollectionDate: "2026-11-30",
		Timezone:       "Europe/Paris",
		Hub:            planner.Hub{ID: "hub", Name: "Plateforme de Loos-en-Gohelle", Lat: 50.4578, Lon: 2.7917},
		Travel:         planner.Travel{DetourFactor: 1.3, SpeedKmh: 40},
	}
	// Each step draws from the one random source in turn: their order is
	// what makes a seed give the same scenario.
	g.products()
	g.producers()
	g.sites()
	g.basketTypes()
	g.chooseFamily()
	g.orders()
	g.spreadBasketDemand()
	g.offers()
	g.vehicles()
	return g.s
}

// withDefaults fills the zero counts and the family's constraints.
func (c Config) withDefaults() Config {
	if c.Producers <= 0 {
		c.Producers = 3
	}
	if c.Products <= 0 {
		c.Products = 4
	}
	if c.Sites <= 0 {
		c.Sites = 3
	}
	if c.Orders < 0 {
		c.Orders = 0
	}
	if c.Vehicles <= 0 {
		c.Vehicles = 2
	}
	if c.Family == "" {
		c.Family = MildShortage
	}
	if c.Family == SingleProducer {
		c.Producers = 1
	}
	if c.Canteens == 0 && c.Extras == 0 {
		c.Canteens, c.Extras = 0.25, 0.45
	}
	return c
}

// generator is one Generate call's state: the scenario being built and
// what its later steps need from the earlier ones.
type generator struct {
	r *rand.Rand
	c Config
	s planner.Scenario

	relays, canteens []string // site ids by kind
	ordered, offered []bool   // per product, by family
	orderable        []int    // indexes of the ordered products
	demand           []float64
	catDemand        map[string]float64 // basket demand per category (kg)
}

// products makes vegetables, fruits and a few others, by kg or by piece.
func (g *generator) products() {
	r, c := g.r, g.c
	for i := range c.Products {
		var name, cat string
		switch {
		case i%10 == 9:
			name, cat = others[i%len(others)], "epicerie"
		case i%3 == 2:
			name, cat = fruits[i%len(fruits)], "fruit"
		default:
			name, cat = vegetables[i%len(vegetables)], "legume"
		}
		if c.Family == Unordered && i%3 == 1 {
			// A category no basket holds, so that nobody wants these.
			cat = "conserve"
		}
		p := planner.Product{ID: fmt.Sprintf("%s-%d", name, i), Name: name, Category: cat, Organic: r.IntN(3) == 0}
		switch r.IntN(4) {
		case 0:
			p.Unit, p.KgPerUnit, p.Step = "piece", round(0.2+r.Float64()*1.3, 2), 1
		case 1:
			p.Unit, p.KgPerUnit, p.Step = "botte", round(0.3+r.Float64()*0.3, 2), 1
		default:
			p.Unit, p.KgPerUnit, p.Step = "kg", 1, 0.1
		}
		g.s.Products = append(g.s.Products, p)
	}
}

// producers places the farms around Lens, three in four collected.
func (g *generator) producers() {
	r := g.r
	for i := range g.c.Producers {
		lat, lon := near(r, 0.12, 0.2)
		pr := planner.Producer{ID: fmt.Sprintf("ferme-%03d", i), Name: fmt.Sprintf("Ferme %d", i),
			Lat: lat, Lon: lon, Collect: r.IntN(4) != 0, ServiceMin: float64(5 + 5*r.IntN(3))}
		if pr.Collect {
			start := 12 + r.IntN(3)
			pr.Window = planner.Window{clock(start, 0), clock(start+3+r.IntN(3), 0)}
		}
		g.s.Producers = append(g.s.Producers, pr)
	}
}

// sites places relay points and, one in five, canteens with early windows.
func (g *generator) sites() {
	r, c := g.r, g.c
	for i := range c.Sites {
		lat, lon := near(r, 0.1, 0.16)
		st := planner.Site{Lat: lat, Lon: lon, ServiceMin: float64(10 + 5*r.IntN(2))}
		if i%5 == 4 || c.Sites == 1 && r.IntN(2) == 0 {
			st.ID, st.Name, st.Kind = fmt.Sprintf("cantine-%03d", i), fmt.Sprintf("Maternelle %d", i), planner.KindCanteen
			st.Window = planner.Window{"07:00", clock(8+r.IntN(2), 30*r.IntN(2))}
			g.canteens = append(g.canteens, st.ID)
		} else {
			st.ID, st.Name, st.Kind = fmt.Sprintf("relais-%03d", i), fmt.Sprintf("Relais %d", i), planner.KindRelay
			start := 8 + r.IntN(3)
			st.Window = planner.Window{clock(start, 0), clock(start+4+r.IntN(5), 0)}
			g.relays = append(g.relays, st.ID)
		}
		g.s.Sites = append(g.s.Sites, st)
	}
}

// basketTypes makes the basket types (two by default when there are relay
// points), of vegetables and fruit.
func (g *generator) basketTypes() {
	r := g.r
	nb := g.c.BasketTypes
	if nb == 0 && len(g.relays) > 0 {
		nb = 2
	}
	sizes := []string{"petit", "moyen", "grand", "familial", "solo"}
	for i := range nb {
		scale := 1 + 0.5*float64(i%3)
		bt := planner.BasketType{ID: fmt.Sprintf("%s-%d", sizes[i%len(sizes)], i), Name: "Panier " + sizes[i%len(sizes)]}
		bt.Contents = append(bt.Contents,
			planner.CategoryContent{Category: "legume", Kg: round(2*scale, 1), MinProducts: 2 + r.IntN(3)},
			planner.CategoryContent{Category: "fruit", Kg: round(0.8*scale, 1), MinProducts: r.IntN(3)})
		g.s.BasketTypes = append(g.s.BasketTypes, bt)
	}
}

// chooseFamily says which products are ordered and offered, by family.
func (g *generator) chooseFamily() {
	n := g.c.Products
	g.ordered = make([]bool, n)
	g.offered = make([]bool, n)
	for i := range n {
		g.ordered[i], g.offered[i] = true, true
		switch g.c.Family {
		case Unordered:
			g.ordered[i] = i%3 != 1
		case Unservable:
			g.offered[i] = i%3 != 2
		case ZeroSupply:
			g.offered[i] = false
		}
	}
	for i, ok := range g.ordered {
		if ok {
			g.orderable = append(g.orderable, i)
		}
	}
}

// orders makes the orders, and the demand they put on each product (kg)
// and, for baskets, on each category.
func (g *generator) orders() {
	r, c, s := g.r, g.c, &g.s
	relays, canteens, orderable := g.relays, g.canteens, g.orderable
	g.demand = make([]float64, c.Products)
	g.catDemand = map[string]float64{}
	for i := range c.Orders {
		o := planner.Order{ID: fmt.Sprintf("o%05d", i)}
		x := r.Float64()
		switch {
		case x < c.Canteens && len(canteens) > 0 && len(orderable) > 0:
			o.Class, o.Site = planner.ClassCanteen, canteens[r.IntN(len(canteens))]
		case x < c.Canteens+c.Extras && len(relays) > 0 && len(orderable) > 0 || len(s.BasketTypes) == 0 || len(relays) == 0:
			o.Class = planner.ClassExtra
			if len(relays) > 0 {
				o.Site = relays[r.IntN(len(relays))]
			} else {
				o.Site = canteens[r.IntN(len(canteens))]
			}
		default:
			o.Class, o.Site = planner.ClassBasket, relays[r.IntN(len(relays))]
		}
		if o.Class == planner.ClassBasket {
			bt := s.BasketTypes[r.IntN(len(s.BasketTypes))]
			o.Basket, o.Count = bt.ID, 1+r.IntN(30)
			for _, cc := range bt.Contents {
				g.catDemand[cc.Category] += float64(o.Count) * cc.Kg
			}
		} else {
			if len(orderable) == 0 {
				continue
			}
			pi := orderable[r.IntN(len(orderable))]
			o.Product, o.Quantity = g.productQuantity(pi, o.Class)
			g.demand[pi] += o.Quantity * s.Products[pi].KgPerUnit
		}
		s.Orders = append(s.Orders, o)
	}
}

// productQuantity draws the quantity of an order of product pi in class.
func (g *generator) productQuantity(pi int, class string) (string, float64) {
	r := g.r
	p := g.s.Products[pi]
	units := 1 + r.IntN(12)
	if class == planner.ClassCanteen {
		units = 5 + r.IntN(40)
	}
	var q float64
	switch {
	case p.Unit == "kg" && class == planner.ClassCanteen:
		// covers x portion, as canteen meal orders are converted
		q = round(float64(10+r.IntN(60))*(0.04+0.01*float64(r.IntN(10))), 3)
	case p.Unit == "kg":
		q = round(float64(units)*(0.5+r.Float64()), 1)
	default:
		q = float64(units)
	}
	if q <= 0 {
		q = p.Step
	}
	return p.ID, q
}

// spreadBasketDemand spreads the basket demand over the category's ordered
// products, mostly on loose (kg) produce: a product sold by the piece fills
// a basket type only when there is one piece for each of its baskets.
func (g *generator) spreadBasketDemand() {
	share := func(p planner.Product) float64 {
		if p.Unit == "kg" {
			return 4
		}
		return 1
	}
	perCat := map[string]float64{}
	for _, i := range g.orderable {
		perCat[g.s.Products[i].Category] += share(g.s.Products[i])
	}
	for _, i := range g.orderable {
		cat := g.s.Products[i].Category
		g.demand[i] += g.catDemand[cat] * share(g.s.Products[i]) / perCat[cat]
	}
}

// offers offers each offered product by one to four producers, totalling
// the family's share of the demand (or some supply for products nobody
// orders).
func (g *generator) offers() {
	r, s := g.r, &g.s
	lo, hi := 0.8, 0.95
	switch g.c.Family {
	case Ample, Unordered, Unservable:
		lo, hi = 1.5, 2.5
	case SevereShortage:
		lo, hi = 0.2, 0.5
	case SingleProducer:
		lo, hi = 0.5, 1.5
	}
	used := map[[2]int]bool{}
	for i, p := range s.Products {
		if !g.offered[i] {
			continue
		}
		total := g.demand[i] * (lo + r.Float64()*(hi-lo))
		if !g.ordered[i] || total == 0 {
			total = 5 + r.Float64()*40
		}
		n := 1 + r.IntN(4)
		for range n {
			pr := r.IntN(g.c.Producers)
			if used[[2]int{pr, i}] {
				continue
			}
			used[[2]int{pr, i}] = true
			share := total / float64(n) * (0.5 + r.Float64())
			q := share / p.KgPerUnit
			if p.Unit == "kg" {
				q = round(q, 1)
			} else {
				q = math.Round(q)
			}
			s.Offers = append(s.Offers, planner.Offer{Producer: s.Producers[pr].ID, Product: p.ID,
				Quantity: q, PriceCents: int64(100 + r.IntN(400))})
		}
	}
}

// vehicles makes the vans, 600 to 1,200 kg, on a 06:00-18:00 shift.
func (g *generator) vehicles() {
	for i := range g.c.Vehicles {
		g.s.Vehicles = append(g.s.Vehicles, planner.Vehicle{ID: fmt.Sprintf("camion-%d", i+1),
			CapacityKg: float64(600 + 200*g.r.IntN(4)), Shift: planner.Window{"06:00", "18:00"}})
	}
}

func near(r *rand.Rand, dlat, dlon float64) (float64, float64) {
	return round(lensLat+(r.Float64()*2-1)*dlat, 5), round(lensLon+(r.Float64()*2-1)*dlon, 5)
}

func clock(h, m int) string {
	if h > 23 {
		h, m = 23, 59
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

func round(x float64, d int) float64 {
	f := math.Pow(10, float64(d))
	return math.Round(x*f) / f
}
