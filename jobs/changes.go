package jobs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"paniers/models"
	"paniers/planner"
)

// What a re-plan changed: PlanChanges compares two versions of a week's
// plan, each with the scenario it was made from, and says per product what
// the allocation became, per basket type how its contents moved, the fill
// rates by class, which shortfalls appeared or went away, the rounds' count
// and distance, and which orders and offers were added, removed or changed
// in between. It is pure (plans in, changes out); VersionChanges reads the
// versions from the store for the API and the week page.

// PlanState is one plan version as compared: the plan and the scenario it
// was made from. HasScenario is false for a version stored without its
// input (before inputs were kept): its orders and offers are then unknown.
type PlanState struct {
	Plan        planner.Plan
	Scenario    planner.Scenario
	HasScenario bool
}

// Changes is what a plan version changed against the one before it. Lists
// hold only what changed, ordered by id; Rounds and FillRates always say
// before and after.
type Changes struct {
	Version int `json:"version"`
	// Base is the version compared with: Version-1, or 0 for a first
	// version (then every list is empty).
	Base int `json:"base_version"`
	// Allocated is, per product, the quantity allocated to orders in all.
	Allocated []QuantityChange `json:"allocated"`
	Baskets   []BasketChange   `json:"baskets"`
	FillRates []RateChange     `json:"fill_rates"`
	// ShortfallsAppeared are the new version's shortfalls the base did
	// not have; ShortfallsResolved the base's that the new one has not (a
	// shortfall is one order's product, or one basket order's category).
	ShortfallsAppeared []ShortfallChange `json:"shortfalls_appeared"`
	ShortfallsResolved []ShortfallChange `json:"shortfalls_resolved"`
	Rounds             RoundsChange      `json:"rounds"`
	// InputsCompared is false when either version has no stored scenario:
	// orders and offers are then not compared.
	InputsCompared bool `json:"inputs_compared"`
	// OrdersAdded and OrdersRemoved are orders of one version only; a
	// basket order is a relay point's households' subscriptions and orders
	// of one basket type, so its count is how many baskets they take.
	OrdersAdded   []planner.Order `json:"orders_added"`
	OrdersRemoved []planner.Order `json:"orders_removed"`
	OrdersChanged []OrderChange   `json:"orders_changed"`
	OffersChanged []OfferChange   `json:"offers_changed"`
}

// QuantityChange is a product's quantity before and after, in its unit.
type QuantityChange struct {
	Product string  `json:"product"`
	Before  float64 `json:"before"`
	After   float64 `json:"after"`
}

// BasketChange is a basket type whose contents or value changed: the
// products whose quantity per basket moved, and one basket's value in
// euro cents.
type BasketChange struct {
	Basket      string           `json:"basket"`
	Contents    []QuantityChange `json:"contents"`
	ValueBefore int64            `json:"value_before_cents"`
	ValueAfter  int64            `json:"value_after_cents"`
}

// ShortfallChange is a shortfall of one version only, with the site of
// its order (from that version's scenario; empty when it is unknown).
type ShortfallChange struct {
	planner.Shortfall
	Site string `json:"site,omitempty"`
}

// RateChange is the fill rate of one class of orders (0 to 1); nil when
// the version has no order of the class.
type RateChange struct {
	Class  string   `json:"class"`
	Before *float64 `json:"before,omitempty"`
	After  *float64 `json:"after,omitempty"`
}

// Changed says whether the rate moved.
func (r RateChange) Changed() bool {
	if (r.Before == nil) != (r.After == nil) {
		return true
	}
	return r.Before != nil && !same(*r.Before, *r.After)
}

// RoundsChange is the number of rounds and their total distance, before
// and after.
type RoundsChange struct {
	Before   int     `json:"before"`
	After    int     `json:"after"`
	KmBefore float64 `json:"km_before"`
	KmAfter  float64 `json:"km_after"`
}

// OrderChange is an order of both versions whose quantity (or basket
// count) changed.
type OrderChange struct {
	Order   string  `json:"order"`
	Site    string  `json:"site"`
	Class   string  `json:"class"`
	Product string  `json:"product,omitempty"`
	Basket  string  `json:"basket,omitempty"`
	Before  float64 `json:"before"`
	After   float64 `json:"after"`
}

// OfferChange is a farm's offer of a product before and after (0: no
// offer).
type OfferChange struct {
	Producer string  `json:"producer"`
	Product  string  `json:"product"`
	Before   float64 `json:"before"`
	After    float64 `json:"after"`
}

// Empty says whether nothing changed at all (besides the version number).
func (c Changes) Empty() bool {
	rates := false
	for _, r := range c.FillRates {
		rates = rates || r.Changed()
	}
	return !rates && len(c.Allocated) == 0 && len(c.Baskets) == 0 && len(c.ShortfallsAppeared) == 0 &&
		len(c.ShortfallsResolved) == 0 && c.Rounds.Before == c.Rounds.After && same(c.Rounds.KmBefore, c.Rounds.KmAfter) &&
		len(c.OrdersAdded) == 0 && len(c.OrdersRemoved) == 0 && len(c.OrdersChanged) == 0 && len(c.OffersChanged) == 0
}

// same compares quantities, which are sums of decimal steps.
func same(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// PlanChanges says what cur (version) changed against base (version-1).
func PlanChanges(version int, base, cur PlanState) Changes {
	c := Changes{Version: version, Base: version - 1,
		Allocated: []QuantityChange{}, Baskets: []BasketChange{}, FillRates: []RateChange{},
		ShortfallsAppeared: []ShortfallChange{}, ShortfallsResolved: []ShortfallChange{},
		OrdersAdded: []planner.Order{}, OrdersRemoved: []planner.Order{}, OrdersChanged: []OrderChange{}, OffersChanged: []OfferChange{}}
	c.Allocated = quantityChanges(allocatedByProduct(base.Plan), allocatedByProduct(cur.Plan))
	c.Baskets = basketChanges(base.Plan, cur.Plan)
	c.FillRates = rateChanges(base.Plan.Summary.FillRate, cur.Plan.Summary.FillRate)
	c.ShortfallsAppeared, c.ShortfallsResolved = shortfallChanges(base, cur)
	c.Rounds = RoundsChange{Before: len(base.Plan.Rounds), After: len(cur.Plan.Rounds),
		KmBefore: roundsKm(base.Plan), KmAfter: roundsKm(cur.Plan)}
	if base.HasScenario && cur.HasScenario {
		c.InputsCompared = true
		c.OrdersAdded, c.OrdersRemoved, c.OrdersChanged = orderChanges(base.Scenario.Orders, cur.Scenario.Orders)
		c.OffersChanged = offerChanges(base.Scenario.Offers, cur.Scenario.Offers)
	}
	return c
}

// FirstVersion is the changes of a week's first plan: nothing to compare.
func FirstVersion(version int) Changes {
	c := PlanChanges(version, PlanState{}, PlanState{})
	c.Base = 0
	return c
}

func allocatedByProduct(p planner.Plan) map[string]float64 {
	m := map[string]float64{}
	for _, a := range p.Allocations {
		m[a.Product] += a.Quantity
	}
	return m
}

// quantityChanges lists the keys whose value differs, by key.
func quantityChanges(before, after map[string]float64) []QuantityChange {
	out := []QuantityChange{}
	for _, k := range unionKeys(before, after) {
		if !same(before[k], after[k]) {
			out = append(out, QuantityChange{Product: k, Before: round6(before[k]), After: round6(after[k])})
		}
	}
	return out
}

// round6 drops the float noise of sums (0.30000000000000004).
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func basketChanges(base, cur planner.Plan) []BasketChange {
	index := func(p planner.Plan) map[string]planner.BasketContents {
		m := map[string]planner.BasketContents{}
		for _, b := range p.Baskets {
			m[b.Basket] = b
		}
		return m
	}
	bb, cb := index(base), index(cur)
	contents := func(b planner.BasketContents) map[string]float64 {
		m := map[string]float64{}
		for _, q := range b.Contents {
			m[q.Product] += q.Quantity
		}
		return m
	}
	out := []BasketChange{}
	for _, id := range unionKeys(bb, cb) {
		ch := BasketChange{Basket: id, Contents: quantityChanges(contents(bb[id]), contents(cb[id])),
			ValueBefore: bb[id].ValueCents, ValueAfter: cb[id].ValueCents}
		if len(ch.Contents) > 0 || ch.ValueBefore != ch.ValueAfter {
			out = append(out, ch)
		}
	}
	return out
}

// classOrder is the order fill rates are listed in; other classes follow
// by name.
var classOrder = map[string]int{planner.ClassCanteen: 0, planner.ClassBasket: 1, planner.ClassExtra: 2}

func rateChanges(before, after map[string]float64) []RateChange {
	classes := unionKeys(before, after)
	sort.SliceStable(classes, func(i, j int) bool {
		oi, iok := classOrder[classes[i]]
		oj, jok := classOrder[classes[j]]
		if iok != jok {
			return iok
		}
		return iok && oi < oj
	})
	out := []RateChange{}
	for _, k := range classes {
		r := RateChange{Class: k}
		if v, ok := before[k]; ok {
			r.Before = &v
		}
		if v, ok := after[k]; ok {
			r.After = &v
		}
		out = append(out, r)
	}
	return out
}

func shortfallKey(s planner.Shortfall) string {
	return s.Order + "\x00" + s.Product + "\x00" + s.Basket + "\x00" + s.Category
}

// shortfallChanges are the shortfalls of cur only (appeared) and of base
// only (resolved), by key, each with its order's site. A shortfall of
// both whose amount moved is in neither: it is still there, and the
// allocation lists say by how much.
func shortfallChanges(base, cur PlanState) (appeared, resolved []ShortfallChange) {
	only := func(a, b PlanState) []ShortfallChange {
		in := map[string]bool{}
		for _, s := range b.Plan.Shortfalls {
			in[shortfallKey(s)] = true
		}
		site := map[string]string{}
		for _, o := range a.Scenario.Orders {
			site[o.ID] = o.Site
		}
		out := []ShortfallChange{}
		for _, s := range a.Plan.Shortfalls {
			if !in[shortfallKey(s)] {
				out = append(out, ShortfallChange{Shortfall: s, Site: site[s.Order]})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return shortfallKey(out[i].Shortfall) < shortfallKey(out[j].Shortfall) })
		return out
	}
	return only(cur, base), only(base, cur)
}

// roundsKm is the rounds' total distance, to the metre.
func roundsKm(p planner.Plan) float64 {
	km := 0.0
	for _, r := range p.Rounds {
		km += r.DistanceKm
	}
	return math.Round(km*1000) / 1000
}

// orderAmount is an order's quantity, or a basket order's count.
func orderAmount(o planner.Order) float64 {
	if o.Class == planner.ClassBasket {
		return float64(o.Count)
	}
	return o.Quantity
}

func orderChanges(base, cur []planner.Order) (added, removed []planner.Order, changed []OrderChange) {
	index := func(os []planner.Order) map[string]planner.Order {
		m := make(map[string]planner.Order, len(os))
		for _, o := range os {
			m[o.ID] = o
		}
		return m
	}
	bo, co := index(base), index(cur)
	added, removed, changed = []planner.Order{}, []planner.Order{}, []OrderChange{}
	for _, id := range unionKeys(bo, co) {
		b, inB := bo[id]
		c, inC := co[id]
		switch {
		case !inB:
			added = append(added, c)
		case !inC:
			removed = append(removed, b)
		case !same(orderAmount(b), orderAmount(c)) || b.Product != c.Product || b.Basket != c.Basket:
			changed = append(changed, OrderChange{Order: id, Site: c.Site, Class: c.Class, Product: c.Product, Basket: c.Basket,
				Before: orderAmount(b), After: orderAmount(c)})
		}
	}
	return added, removed, changed
}

func offerChanges(base, cur []planner.Offer) []OfferChange {
	sum := func(os []planner.Offer) map[string]float64 {
		m := map[string]float64{}
		for _, o := range os {
			m[o.Producer+"\x00"+o.Product] += o.Quantity
		}
		return m
	}
	bo, co := sum(base), sum(cur)
	out := []OfferChange{}
	for _, k := range unionKeys(bo, co) {
		if same(bo[k], co[k]) {
			continue
		}
		producer, product, _ := strings.Cut(k, "\x00")
		out = append(out, OfferChange{Producer: producer, Product: product, Before: round6(bo[k]), After: round6(co[k])})
	}
	return out
}

// ChangeSource is what VersionChanges reads; *models.Store satisfies it.
type ChangeSource interface {
	GetPlanVersion(ctx context.Context, week string, version int) (models.StoredPlan, error)
	GetPlanInput(ctx context.Context, week string, version int) (models.PlanInput, error)
}

// VersionChanges reads versions of a week's plan and the ones before them,
// each once, and returns what each of versions changed against the one
// before it (FirstVersion for version 1). ErrNotFound when a version asked
// for does not exist.
func VersionChanges(ctx context.Context, st ChangeSource, week string, versions []int) (map[int]Changes, error) {
	states := map[int]PlanState{}
	load := func(v int) (PlanState, error) {
		if s, ok := states[v]; ok {
			return s, nil
		}
		sp, err := st.GetPlanVersion(ctx, week, v)
		if err != nil {
			return PlanState{}, err
		}
		var s PlanState
		if s.Plan, err = sp.Plan(); err != nil {
			return PlanState{}, err
		}
		in, err := st.GetPlanInput(ctx, week, v)
		switch {
		case err == nil:
			if s.Scenario, err = in.ScenarioOf(); err != nil {
				return PlanState{}, err
			}
			s.HasScenario = true
		case !errors.Is(err, models.ErrNotFound):
			return PlanState{}, err
		}
		states[v] = s
		return s, nil
	}
	out := make(map[int]Changes, len(versions))
	for _, v := range versions {
		cur, err := load(v)
		if err != nil {
			return nil, err
		}
		if v <= 1 {
			out[v] = FirstVersion(v)
			continue
		}
		base, err := load(v - 1)
		if err != nil {
			return nil, fmt.Errorf("jobs: changes of %s v%d: %w", week, v, err)
		}
		out[v] = PlanChanges(v, base, cur)
	}
	return out, nil
}
