package sheets

import (
	"fmt"
	"math"
	"strings"
	"time"

	"paniers/planner"
)

// renderer holds one Input with its lookups and language, shared by every
// document of a call.
type renderer struct {
	in      Input
	w       *words
	lang    string
	sep     rune
	crateKg float64
	ix      index
}

// index resolves the ids a plan refers to. A plan whose ids the scenario
// does not know still renders: the id stands in for the name.
type index struct {
	products       map[string]planner.Product
	producers      map[string]planner.Producer
	sites          map[string]planner.Site
	orders         map[string]planner.Order
	basketTypes    map[string]planner.BasketType
	vehicles       map[string]planner.Vehicle
	prices         map[[2]string]int64 // by producer, product
	hasPrice       map[[2]string]bool
	baskets        map[string][]planner.ProductQuantity
	basketWorth    map[string][2]int64 // value and price of one basket, cents
	siteHasOrders  map[string]bool
	producerActive map[string]bool
	unroutedSites  map[string]string // reason by site id
	unroutedProds  map[string]string // reason by producer id
}

// newRenderer checks the options and builds the lookups.
func newRenderer(in Input) (*renderer, error) {
	r := &renderer{in: in, crateKg: in.CrateKg}
	var problems []string
	switch strings.ToLower(strings.SplitN(strings.ReplaceAll(in.Lang, "_", "-"), "-", 2)[0]) {
	case "", "fr":
		r.lang, r.w = "fr", &french
	case "en":
		r.lang, r.w = "en", &english
	default:
		problems = append(problems, fmt.Sprintf("lang %q: not supported (fr, en)", in.Lang))
	}
	switch in.Sep {
	case 0:
		r.sep = ','
	case ',', ';', '\t':
		r.sep = in.Sep
	default:
		problems = append(problems, fmt.Sprintf("sep %q: not supported (',', ';', tab)", in.Sep))
	}
	if r.crateKg == 0 {
		r.crateKg = DefaultCrateKg
	}
	if !(r.crateKg > 0) || math.IsInf(r.crateKg, 0) {
		problems = append(problems, fmt.Sprintf("crate kg %v: must be a positive number", in.CrateKg))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("sheets: %s: %w", strings.Join(problems, "; "), ErrInvalid)
	}
	r.ix = buildIndex(in)
	return r, nil
}

func buildIndex(in Input) index {
	s, p := in.Scenario, in.Plan
	ix := index{
		products:       map[string]planner.Product{},
		producers:      map[string]planner.Producer{},
		sites:          map[string]planner.Site{},
		orders:         map[string]planner.Order{},
		basketTypes:    map[string]planner.BasketType{},
		vehicles:       map[string]planner.Vehicle{},
		prices:         map[[2]string]int64{},
		hasPrice:       map[[2]string]bool{},
		baskets:        map[string][]planner.ProductQuantity{},
		basketWorth:    map[string][2]int64{},
		siteHasOrders:  map[string]bool{},
		producerActive: map[string]bool{},
		unroutedSites:  map[string]string{},
		unroutedProds:  map[string]string{},
	}
	for _, x := range s.Products {
		ix.products[x.ID] = x
	}
	for _, x := range s.Producers {
		ix.producers[x.ID] = x
	}
	for _, x := range s.Sites {
		ix.sites[x.ID] = x
	}
	for _, x := range s.Orders {
		ix.orders[x.ID] = x
		ix.siteHasOrders[x.Site] = true
	}
	for _, x := range s.BasketTypes {
		ix.basketTypes[x.ID] = x
	}
	for _, x := range s.Vehicles {
		ix.vehicles[x.ID] = x
	}
	for _, x := range s.Offers {
		k := [2]string{x.Producer, x.Product}
		ix.prices[k] = x.PriceCents
		ix.hasPrice[k] = true
		ix.producerActive[x.Producer] = true
	}
	for _, x := range p.Baskets {
		ix.baskets[x.Basket] = x.Contents
		ix.basketWorth[x.Basket] = [2]int64{x.ValueCents, x.PriceCents}
	}
	for _, x := range p.Allocations {
		ix.producerActive[x.Producer] = true
	}
	for _, x := range p.Unrouted {
		if x.Site != "" {
			ix.unroutedSites[x.Site] = x.Reason
		}
		if x.Producer != "" {
			ix.unroutedProds[x.Producer] = x.Reason
		}
	}
	return ix
}

// product returns a product by id, or a stand-in named by its id.
func (r *renderer) product(id string) planner.Product {
	if p, ok := r.ix.products[id]; ok {
		return p
	}
	return planner.Product{ID: id, Name: id}
}

func (r *renderer) producerName(id string) string {
	if p, ok := r.ix.producers[id]; ok && p.Name != "" {
		return p.Name
	}
	return id
}

func (r *renderer) siteName(id string) string {
	if s, ok := r.ix.sites[id]; ok && s.Name != "" {
		return s.Name
	}
	return id
}

func (r *renderer) hubName() string {
	if h := r.in.Scenario.Hub; h.Name != "" {
		return h.Name
	}
	if id := r.in.Scenario.Hub.ID; id != "" {
		return id
	}
	return r.w.Hub
}

func (r *renderer) basketName(id string) string {
	if b, ok := r.ix.basketTypes[id]; ok && b.Name != "" {
		return b.Name
	}
	return id
}

func (r *renderer) address(id string) string {
	return r.in.Addresses[id]
}

// line is one product with a quantity, its weight and the crates it fills.
type line struct {
	Product  planner.Product
	Quantity float64
	Kg       float64
	Crates   int
}

// newLine sizes a quantity of a product.
func (r *renderer) newLine(product string, q float64) line {
	p := r.product(product)
	kg := q * p.KgPerUnit
	return line{Product: p, Quantity: q, Kg: kg, Crates: r.crates(q, kg)}
}

// crates applies the crate rule: ceil(kg / crate), at least one for a
// positive quantity (a product without a weight still takes a crate).
func (r *renderer) crates(q, kg float64) int {
	return cratesOf(q, kg, r.crateKg)
}

// cratesOf is the crate rule for crates of crateKg.
func cratesOf(q, kg, crateKg float64) int {
	if !(q > 1e-9) {
		return 0
	}
	n := int(math.Ceil(kg/crateKg - 1e-9))
	if n < 1 || math.IsNaN(kg) {
		n = 1
	}
	return n
}

// lineSet sums quantities per product, keeping the order products first appear in.
type lineSet struct {
	order []string
	qty   map[string]float64
}

func (s *lineSet) add(product string, q float64) {
	if s.qty == nil {
		s.qty = map[string]float64{}
	}
	if _, ok := s.qty[product]; !ok {
		s.order = append(s.order, product)
	}
	s.qty[product] += q
}

func (r *renderer) lines(s lineSet) []line {
	out := make([]line, 0, len(s.order))
	for _, p := range s.order {
		out = append(out, r.newLine(p, s.qty[p]))
	}
	return out
}

func totals(ls []line) (kg float64, crates int) {
	for _, l := range ls {
		kg += l.Kg
		crates += l.Crates
	}
	return kg, crates
}

// parseDate parses a contract date, for printing and as the PDF's fixed date.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// docDate is the date a document is stamped with: the delivery date, else
// the collection date, else a fixed date, never the clock.
func (r *renderer) docDate() time.Time {
	for _, s := range []string{r.in.Scenario.DeliveryDate, r.in.Scenario.CollectionDate} {
		if t, ok := parseDate(s); ok {
			return t
		}
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}

// minutes parses "HH:MM" into minutes after midnight.
func minutes(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// point is a place on the map.
type point struct {
	Lat, Lon float64
	Known    bool
}

// legKm is the road distance between two points as the contract defines it.
func (r *renderer) legKm(a, b point) (float64, bool) {
	if !a.Known || !b.Known {
		return 0, false
	}
	const earthKm = 6371.0
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	d := 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(h)))
	f := r.in.Scenario.Travel.DetourFactor
	if f <= 0 {
		f = 1
	}
	return d * f, true
}

// legMin is the driving time of a distance, false when the speed is unknown.
func (r *renderer) legMin(km float64) (float64, bool) {
	v := r.in.Scenario.Travel.SpeedKmh
	if !(v > 0) {
		return 0, false
	}
	return km / v * 60, true
}
