// Package planner holds the planning contract's scenario and plan types
// (../shared/contract/PLANNING.md) and the pure functions that turn a scenario
// into a plan. It imports only the standard library and its own leaf,
// paniers/internal/i18n (bilingual text): no database, no HTTP, no clock
// read behind the caller's back.
package planner

// Class names of orders, in priority order (rule 2).
const (
	ClassCanteen = "canteen"
	ClassBasket  = "basket"
	ClassExtra   = "extra"
)

// Site kinds.
const (
	KindRelay   = "relay"
	KindCanteen = "canteen"
)

// Round kinds.
const (
	RoundCollection = "collection"
	RoundDelivery   = "delivery"
)

// Window is a time-of-day interval ["HH:MM", "HH:MM"] in the scenario's time zone.
type Window [2]string

// Scenario is everything known about one week: the planner's input.
type Scenario struct {
	Week           string       `json:"week"`
	DeliveryDate   string       `json:"delivery_date"`
	CollectionDate string       `json:"collection_date"`
	Timezone       string       `json:"timezone"`
	Hub            Hub          `json:"hub"`
	Travel         Travel       `json:"travel"`
	Products       []Product    `json:"products"`
	Producers      []Producer   `json:"producers"`
	Offers         []Offer      `json:"offers"`
	Sites          []Site       `json:"sites"`
	BasketTypes    []BasketType `json:"basket_types"`
	Orders         []Order      `json:"orders"`
	Vehicles       []Vehicle    `json:"vehicles"`
}

// Hub is the depot where every round starts and ends.
type Hub struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// Travel turns great-circle distances into road distances and times.
type Travel struct {
	DetourFactor float64 `json:"detour_factor"`
	SpeedKmh     float64 `json:"speed_kmh"`
}

// Product is something producers offer and orders ask for.
type Product struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	KgPerUnit float64 `json:"kg_per_unit"`
	Category  string  `json:"category"`
	Step      float64 `json:"step"`
	Organic   bool    `json:"organic"`
	// BasketMin and BasketMax bound the quantity of the product in one
	// basket that holds it, in the product's unit, multiples of Step. Zero
	// means the default: for BasketMin the smallest multiple of Step that
	// weighs at least 0.2 kg (DefaultBasketMin), for BasketMax no bound but
	// the category's kg.
	BasketMin float64 `json:"basket_min,omitempty"`
	BasketMax float64 `json:"basket_max,omitempty"`
}

// Producer is a farm or a resident's garden.
type Producer struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Collect    bool    `json:"collect"`
	Window     Window  `json:"window"`
	ServiceMin float64 `json:"service_min"`
}

// Offer is what one producer can sell of one product this week.
type Offer struct {
	Producer   string  `json:"producer"`
	Product    string  `json:"product"`
	Quantity   float64 `json:"quantity"`
	PriceCents int64   `json:"price_cents"`
}

// Site is a relay point or a canteen that receives deliveries.
type Site struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Window     Window  `json:"window"`
	ServiceMin float64 `json:"service_min"`
}

// BasketType describes a basket by the weight of each category it holds.
type BasketType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// PriceCents is what one basket costs the household (0: not given); the
	// plan repeats it beside each basket's value.
	PriceCents int64             `json:"price_cents,omitempty"`
	Contents   []CategoryContent `json:"contents"`
}

// CategoryContent is one category's share of a basket type.
type CategoryContent struct {
	Category    string  `json:"category"`
	Kg          float64 `json:"kg"`
	MinProducts int     `json:"min_products"`
	// MaxProducts is the most different products of the category in one
	// basket; 0 means no bound.
	MaxProducts int `json:"max_products,omitempty"`
}

// Order is a canteen or extra order for a product, or a basket order for a
// number of baskets of one type.
type Order struct {
	ID       string  `json:"id"`
	Site     string  `json:"site"`
	Class    string  `json:"class"`
	Product  string  `json:"product,omitempty"`
	Quantity float64 `json:"quantity,omitempty"`
	Basket   string  `json:"basket,omitempty"`
	Count    int     `json:"count,omitempty"`
}

// Vehicle is a van of the fleet.
type Vehicle struct {
	ID         string  `json:"id"`
	CapacityKg float64 `json:"capacity_kg"`
	Shift      Window  `json:"shift"`
}

// Plan is the planner's output for one week.
type Plan struct {
	Week        string           `json:"week"`
	Baskets     []BasketContents `json:"baskets"`
	Allocations []Allocation     `json:"allocations"`
	Shortfalls  []Shortfall      `json:"shortfalls"`
	Unsold      []Unsold         `json:"unsold"`
	Rounds      []Round          `json:"rounds"`
	Unrouted    []Unrouted       `json:"unrouted"`
	Summary     Summary          `json:"summary"`
}

// BasketContents is what one basket of a type holds this week.
type BasketContents struct {
	Basket   string            `json:"basket"`
	Contents []ProductQuantity `json:"contents"`
	// ValueCents is one basket's contents at the prices of the offers they
	// are allocated from (weighted by quantity), rounded to the cent.
	ValueCents int64 `json:"value_cents"`
	// PriceCents repeats the type's price when the scenario gives one.
	PriceCents int64 `json:"price_cents,omitempty"`
}

// ProductQuantity is a quantity of one product, in the product's unit.
type ProductQuantity struct {
	Product  string  `json:"product"`
	Quantity float64 `json:"quantity"`
}

// Allocation gives an order a quantity of a product from one producer. For a
// basket order it is the quantity for all its baskets together.
type Allocation struct {
	Order    string  `json:"order"`
	Producer string  `json:"producer"`
	Product  string  `json:"product"`
	Quantity float64 `json:"quantity"`
}

// Shortfall says how much an order (or a basket order's category) lacks and why.
// A product shortfall fills Product, Ordered and Allocated; a basket shortfall
// fills Basket, Category, OrderedKg and AllocatedKg. Pointers keep a real zero
// ("allocated": 0) apart from a field that does not belong to the shape.
type Shortfall struct {
	Order       string   `json:"order"`
	Product     string   `json:"product,omitempty"`
	Ordered     *float64 `json:"ordered,omitempty"`
	Allocated   *float64 `json:"allocated,omitempty"`
	Basket      string   `json:"basket,omitempty"`
	Category    string   `json:"category,omitempty"`
	OrderedKg   *float64 `json:"ordered_kg,omitempty"`
	AllocatedKg *float64 `json:"allocated_kg,omitempty"`
	Reason      string   `json:"reason"`
}

// Unsold is what a producer offered and nobody gets.
type Unsold struct {
	Producer string  `json:"producer"`
	Product  string  `json:"product"`
	Quantity float64 `json:"quantity"`
	Reason   string  `json:"reason,omitempty"`
}

// Round is one trip of a vehicle from the hub and back on one date.
type Round struct {
	Vehicle    string  `json:"vehicle"`
	Kind       string  `json:"kind"`
	Date       string  `json:"date"`
	Depart     string  `json:"depart"`
	Return     string  `json:"return"`
	DistanceKm float64 `json:"distance_km"`
	Stops      []Stop  `json:"stops"`
}

// Stop is one visit of a round: a producer on a collection round, a site on a
// delivery round.
type Stop struct {
	Producer string            `json:"producer,omitempty"`
	Site     string            `json:"site,omitempty"`
	Arrive   string            `json:"arrive"`
	Start    string            `json:"start"`
	Leave    string            `json:"leave"`
	Collect  []ProductQuantity `json:"collect,omitempty"`
	Deliver  []Delivery        `json:"deliver,omitempty"`
}

// Delivery is what a delivery stop unloads for one order.
type Delivery struct {
	Order    string  `json:"order"`
	Product  string  `json:"product"`
	Quantity float64 `json:"quantity"`
}

// Unrouted is a site or producer no round can serve, with the reason.
type Unrouted struct {
	Site     string `json:"site,omitempty"`
	Producer string `json:"producer,omitempty"`
	Reason   string `json:"reason"`
}

// Summary gives the plan's headline figures.
type Summary struct {
	FillRate     map[string]float64 `json:"fill_rate"`
	DistanceKm   float64            `json:"distance_km"`
	VehiclesUsed int                `json:"vehicles_used"`
}
