package planner

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"paniers/internal/i18n"
	"paniers/planner/routing"
)

// Priorities of the stops when the fleet cannot serve them all (rule 8):
// canteens first, then relay points with basket orders, then the rest. A
// producer ranks as the highest class it supplies.
const (
	prioExtra = iota
	prioBasket
	prioCanteen
)

// timeEps absorbs floating-point noise when times and loads are compared.
const timeEps = 1e-6

// maxDropTries bounds the routing runs spent choosing which stops to leave
// out when the fleet is too small, so that a huge week still plans quickly.
const maxDropTries = 6

// maxParts bounds the consecutive parts a shift is cut into for the first
// wave (see waves), and maxWaves the waves of second trips after it: enough
// for any week's multi-trips, bounded for hostile ones (vans of a few kg).
const (
	maxParts = 12
	maxWaves = 8
)

// engineMax caps the loads and capacities given to the engine, which
// refuses numbers its sums could overflow; every route it returns is checked
// again with the real figures (timeRoute).
const engineMax = 1e12

// bigDate is the number of visits on a date above which choosing what to
// leave out takes one batch solve instead of one solve per candidate.
const bigDate = 60

// maxVisits bounds the visits a split load may need: a site that would take
// more van loads than this in one day is beyond any fleet paniers plans for.
const maxVisits = 40

// roundItem is one line of a stop's load: a product for one order (delivery)
// or a product sold by the producer (collection).
type roundItem struct {
	order, product string
	qty            float64 // in the product's unit
	step, kgStep   float64 // the product's step, and the weight of one step
}

// group is one site or producer to visit on a date, with its whole load.
type group struct {
	idx            int // position among the groups, for a stable order
	site, producer string
	kind, date     string
	prio           int
	point          int     // index of its location in the travel matrix
	ready, due     float64 // window, minutes after midnight
	service        float64 // minutes
	items          []roundItem
	load           float64 // kg
	pieces         []*piece
}

// piece is one visit of a group: the whole load, or a part of a split load.
type piece struct {
	g     *group
	items []roundItem
	load  float64
}

// vehicleInfo is a vehicle with its shift in minutes.
type vehicleInfo struct {
	id         string
	capacity   float64
	start, end float64
}

// interval is a time span of one vehicle, minutes after midnight.
type interval struct{ from, to float64 }

// calendar holds the rounds already given to each vehicle on one date, so
// that later rounds (second trips, or collections on the delivery date) do
// not overlap them.
type calendar [][]interval

func (c calendar) clone() calendar {
	out := make(calendar, len(c))
	for v, busy := range c {
		out[v] = slices.Clone(busy)
	}
	return out
}

// builtRound is a round found by the engine, timed exactly.
type builtRound struct {
	vehicle        int
	kind, date     string
	depart, ret    float64
	distance       float64
	pieces         []*piece
	arrive, starts []float64
}

// roundBuilder holds what buildRounds needs across dates.
type roundBuilder struct {
	s        *Scenario
	opt      Options
	l        string
	dist     [][]float64 // km between points (0 is the hub)
	minutes  [][]float64
	vehicles []vehicleInfo
	maxCap   float64
}

// buildRounds plans the collection and delivery rounds for an allocated plan
// (contract rule 7) and reports what no round can serve (rule 8): a window no
// vehicle reaches, a load no vehicle carries even split, or stops the fleet
// has no room for, as few as possible and the lowest class first. PlanWeek
// takes what is unrouted out of the allocation and calls it again; so when
// something is left out the rounds are not returned (they would be planned
// for loads about to change), only what is unrouted.
//
// Each date is solved by the routing engine with an iteration budget set by
// the problem's size and opt.Effort (engineOptions), two independent
// searches seeded from the plan's seed, so the rounds depend only on the
// scenario, the seed and the effort (rule 9). Vehicles may drive several
// rounds on a date: stops left over after a solve are offered to the vehicles' free time after (or
// before) their first rounds. When the collection and delivery dates are the
// same day, deliveries are planned first and collections fit around them;
// on two days, both are planned at once (planDates).
func buildRounds(s *Scenario, p *Plan, opt Options) (rounds []Round, unrouted []Unrouted, err error) {
	b := &roundBuilder{s: s, opt: opt, l: lang(opt)}
	groups, points, err := b.groups(p)
	if err != nil {
		return nil, nil, err
	}
	rounds, unrouted = []Round{}, []Unrouted{}
	if len(groups) == 0 {
		return rounds, unrouted, nil
	}
	matrix := opt.Matrix
	if matrix == nil {
		matrix = GreatCircleMatrix
	}
	b.dist, b.minutes, err = matrix(points, s.Travel)
	if err != nil {
		return nil, nil, fmt.Errorf("planner: travel: %w", err)
	}
	if err := checkMatrix("distance", b.dist, len(points)); err != nil {
		return nil, nil, err
	}
	if err := checkMatrix("time", b.minutes, len(points)); err != nil {
		return nil, nil, err
	}
	b.fleet()

	// Stops no vehicle can serve on its own are left out first, with the
	// reason; the others go to the engine, date by date.
	var byDate [2][]*group // deliveries, then collections
	for _, g := range groups {
		if why := b.unservable(g); why != "" {
			unrouted = append(unrouted, unroutedOf(g, why))
			continue
		}
		if g.kind == RoundDelivery {
			byDate[0] = append(byDate[0], g)
		} else {
			byDate[1] = append(byDate[1], g)
		}
	}
	// Leaving a stop out changes the allocation and so the others' loads:
	// PlanWeek allocates again and calls back, so routing the rest now would
	// be wasted. The rounds come from the pass that leaves nothing new out.
	if len(unrouted) > 0 {
		return rounds, unrouted, nil
	}
	var built []builtRound
	for _, d := range b.planDates(byDate) {
		built = append(built, d.res.routes...)
		for _, g := range d.dropped {
			unrouted = append(unrouted, unroutedOf(g, b.reasonFleet(g.date)))
		}
		if len(unrouted) > 0 {
			return []Round{}, unrouted, nil
		}
	}
	b.fewerVehicles(built)
	for _, r := range built {
		rounds = append(rounds, b.round(r))
	}
	slices.SortStableFunc(rounds, func(x, y Round) int {
		return cmp.Or(cmp.Compare(x.Date, y.Date), cmp.Compare(x.Depart, y.Depart),
			cmp.Compare(x.Vehicle, y.Vehicle), cmp.Compare(x.Kind, y.Kind))
	})
	return rounds, unrouted, nil
}

// datePlan is what planDate gave for one date.
type datePlan struct {
	res     waveResult
	dropped []*group
}

// planDates plans the deliveries' date, then the collections'. On one
// date, collections fit around the deliveries' rounds. On two dates they
// share nothing, so both are planned at once: each engine solve waits for
// the slower of its two searches, and the other date's searches use the
// core left idle. The rounds are the same either way.
func (b *roundBuilder) planDates(byDate [2][]*group) [2]datePlan {
	var out [2]datePlan
	if len(byDate[0]) > 0 && len(byDate[1]) > 0 && byDate[0][0].date != byDate[1][0].date {
		var wg sync.WaitGroup
		for i, gs := range byDate {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i].res, out[i].dropped = b.planDate(gs, make(calendar, len(b.vehicles)))
			}()
		}
		wg.Wait()
		return out
	}
	var cal calendar
	for i, gs := range byDate {
		if len(gs) == 0 {
			continue
		}
		if cal == nil {
			cal = make(calendar, len(b.vehicles))
		}
		out[i].res, out[i].dropped = b.planDate(gs, cal)
		cal = out[i].res.cal
	}
	return out
}

// groups gathers the sites that receive produce and the collected producers
// that sell, with their loads and locations (the hub is point 0).
func (b *roundBuilder) groups(p *Plan) ([]*group, []LatLon, error) {
	s := b.s
	products := make(map[string]*Product, len(s.Products))
	for i := range s.Products {
		products[s.Products[i].ID] = &s.Products[i]
	}
	orders := make(map[string]*Order, len(s.Orders))
	for i := range s.Orders {
		orders[s.Orders[i].ID] = &s.Orders[i]
	}
	type key struct{ owner, order, product string }
	qty := map[key]float64{}
	prio := map[string]int{}
	for _, a := range p.Allocations {
		if !(a.Quantity > 0) {
			continue
		}
		o, pr := orders[a.Order], products[a.Product]
		if o == nil || pr == nil {
			return nil, nil, fmt.Errorf("planner: rounds: allocation to order %q of product %q: unknown order or product", a.Order, a.Product)
		}
		qty[key{"site:" + o.Site, o.ID, a.Product}] += a.Quantity
		qty[key{"producer:" + a.Producer, "", a.Product}] += a.Quantity
		c := prioOf(o.Class)
		for _, owner := range []string{"site:" + o.Site, "producer:" + a.Producer} {
			if c > prio[owner] {
				prio[owner] = c
			}
		}
	}
	keys := make([]key, 0, len(qty))
	for k := range qty {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.owner, y.owner), cmp.Compare(x.order, y.order), cmp.Compare(x.product, y.product))
	})
	items := map[string][]roundItem{}
	for _, k := range keys {
		pr := products[k.product]
		items[k.owner] = append(items[k.owner], roundItem{order: k.order, product: k.product, qty: clean(qty[k]),
			step: pr.Step, kgStep: pr.Step * pr.KgPerUnit})
	}
	points := []LatLon{{s.Hub.Lat, s.Hub.Lon}}
	var groups []*group
	add := func(g *group, owner string, at LatLon, w Window, service float64) error {
		g.items = items[owner]
		if len(g.items) == 0 {
			return nil
		}
		ready, ok1 := ParseClock(w[0])
		due, ok2 := ParseClock(w[1])
		if !ok1 || !ok2 || ready > due {
			return fmt.Errorf("planner: rounds: %s: window %q is not a valid HH:MM interval", owner, w)
		}
		for _, it := range g.items {
			g.load += it.qty * it.kgStep / it.step
		}
		g.idx, g.prio, g.point = len(groups), prio[owner], len(points)
		g.ready, g.due, g.service = float64(ready), float64(due), service
		points = append(points, at)
		groups = append(groups, g)
		return nil
	}
	for _, st := range s.Sites {
		owner := "site:" + st.ID
		if st.Kind == KindCanteen {
			prio[owner] = prioCanteen
		}
		g := &group{site: st.ID, kind: RoundDelivery, date: s.DeliveryDate}
		if err := add(g, owner, LatLon{st.Lat, st.Lon}, st.Window, st.ServiceMin); err != nil {
			return nil, nil, err
		}
	}
	for _, pr := range s.Producers {
		if !pr.Collect {
			continue // the producer brings its produce to the hub
		}
		g := &group{producer: pr.ID, kind: RoundCollection, date: s.CollectionDate}
		// A collection item names no order: what the producer sells.
		if err := add(g, "producer:"+pr.ID, LatLon{pr.Lat, pr.Lon}, pr.Window, pr.ServiceMin); err != nil {
			return nil, nil, err
		}
	}
	return groups, points, nil
}

// prioOf ranks an order class for rule 8.
func prioOf(class string) int {
	switch class {
	case ClassCanteen:
		return prioCanteen
	case ClassBasket:
		return prioBasket
	}
	return prioExtra
}

// fleet reads the vehicles; a vehicle whose shift has no length drives no
// round.
func (b *roundBuilder) fleet() {
	for _, v := range b.s.Vehicles {
		start, ok1 := ParseClock(v.Shift[0])
		end, ok2 := ParseClock(v.Shift[1])
		if !ok1 || !ok2 || end <= start || !(v.CapacityKg > 0) {
			start, end = 0, 0
		}
		b.vehicles = append(b.vehicles, vehicleInfo{id: v.ID, capacity: v.CapacityKg, start: float64(start), end: float64(end)})
		if end > start {
			b.maxCap = math.Max(b.maxCap, v.CapacityKg)
		}
	}
}

// unservable splits a group's load into pieces no heavier than the largest
// vehicle and returns why no vehicle can serve it on its own ("" when one
// can): no vehicle at all, a step heavier than the largest vehicle, or a
// window no vehicle large enough reaches within its shift.
func (b *roundBuilder) unservable(g *group) string {
	if b.maxCap == 0 {
		return b.reasonNoVehicle()
	}
	pieces, heavy := splitLoad(g.items, g.load, b.maxCap)
	switch {
	case heavy != nil:
		return b.reasonTooHeavy(heavy)
	case pieces == nil:
		return b.reasonBeyondFleet(g)
	}
	if len(pieces) > 1 && g.load > b.carryable(g)+timeEps || len(pieces) > maxVisits {
		return b.reasonBeyondFleet(g)
	}
	for _, items := range pieces {
		pc := &piece{g: g, items: items}
		for _, it := range items {
			pc.load += it.qty * it.kgStep / it.step
		}
		g.pieces = append(g.pieces, pc)
	}
	for _, pc := range g.pieces {
		// reach: a vehicle large enough gets there in time; small: only
		// vehicles too small for the piece do.
		reach, small := false, false
		for _, v := range b.vehicles {
			if v.end <= v.start {
				continue
			}
			there := v.start + b.minutes[0][g.point]
			back := math.Max(there, g.ready) + g.service + b.minutes[g.point][0]
			if there > g.due+timeEps || back > v.end+timeEps {
				continue
			}
			if v.capacity >= pc.load-timeEps {
				reach = true
				break
			}
			small = true
		}
		if !reach {
			return b.reasonWindow(g, pc.load, small)
		}
	}
	return ""
}

// carryable bounds the load the whole fleet could bring to (or from) a
// group in one day: each vehicle shuttling between the hub and the group as
// often as its shift and the group's window allow, full every time. Waiting
// for the window to open is left out, so the bound is never too low.
func (b *roundBuilder) carryable(g *group) float64 {
	there, back := b.minutes[0][g.point], b.minutes[g.point][0]
	trip := there + g.service + back
	total := 0.0
	for _, v := range b.vehicles {
		if v.end <= v.start {
			continue
		}
		trips := 0.0
		if trip <= 0 {
			trips = maxVisits
		} else {
			// Trip j (from 0) leaves at start + j*trip: it must arrive by
			// the window's end and be back by the shift's end.
			byDue := math.Floor((g.due-v.start-there)/trip) + 1
			byEnd := math.Floor((v.end - v.start) / trip)
			trips = math.Max(0, math.Min(byDue, byEnd))
		}
		total += math.Min(trips, maxVisits) * v.capacity
	}
	return total
}

// splitLoad cuts a load into as few pieces as it can, each at most maxCap
// kg, moving whole steps of each item, with the pieces about as heavy as one
// another so that smaller vehicles can take them too. It returns nil and the
// first item whose single step is heavier than maxCap when no split exists.
func splitLoad(items []roundItem, load, maxCap float64) ([][]roundItem, *roundItem) {
	if load <= maxCap+timeEps {
		return [][]roundItem{items}, nil
	}
	for i := range items {
		if items[i].kgStep > maxCap+timeEps {
			return nil, &items[i]
		}
	}
	k0 := int(math.Ceil(load/maxCap - timeEps))
	for k := k0; k <= k0+3; k++ {
		if pieces := fillPieces(items, load, maxCap, k); pieces != nil {
			return pieces, nil
		}
	}
	// Filling each piece to the brim always works when every step fits.
	return fillPieces(items, load, maxCap, 0), nil
}

// fillPieces fills k pieces in turn, each up to an equal share of what is
// left (k == 0: each up to maxCap, as many as needed), and returns nil when
// the steps do not fit in k pieces.
func fillPieces(items []roundItem, load, maxCap float64, k int) [][]roundItem {
	steps := make([]int64, len(items))
	total := make([]int64, len(items))
	for i, it := range items {
		total[i] = toSteps(it.qty, it.step)
		steps[i] = total[i]
	}
	moved := make([]int64, len(items))
	left := load
	var pieces [][]roundItem
	for j := 0; k == 0 || j < k; j++ {
		limit := maxCap
		if k > 0 && j < k-1 {
			limit = math.Min(maxCap, left/float64(k-j))
		}
		var pc []roundItem
		cur := 0.0
		for i, it := range items {
			if steps[i] == 0 {
				continue
			}
			n := steps[i]
			if it.kgStep > 0 {
				n = min(n, int64(math.Floor(math.Max(0, limit-cur)/it.kgStep+timeEps)))
			}
			if n <= 0 {
				continue
			}
			steps[i] -= n
			moved[i] += n
			q := stepsQty(n, it.step)
			if steps[i] == 0 {
				// The last piece of an item takes the exact remainder, so
				// that the pieces add up to the allocation.
				q = clean(it.qty - stepsQty(moved[i]-n, it.step))
			}
			cur += float64(n) * it.kgStep
			pc = append(pc, roundItem{order: it.order, product: it.product, qty: q, step: it.step, kgStep: it.kgStep})
		}
		if len(pc) == 0 {
			break
		}
		left -= cur
		pieces = append(pieces, pc)
	}
	for i := range steps {
		if steps[i] > 0 {
			return nil
		}
	}
	return pieces
}

// waveResult is what solving a date gave: rounds, pieces left over, and the
// vehicles' calendar with the rounds in it.
type waveResult struct {
	routes []builtRound
	left   []*piece
	cal    calendar
}

// planDate routes the groups of one date. When the fleet cannot take them
// all, it leaves out as few groups as it finds and, among equally few, the
// lowest classes: it tries leaving out a lower-class group in place of the
// ones left over, and keeps the change when fewer or lower-class groups are
// then left out. It returns the groups left out.
func (b *roundBuilder) planDate(groups []*group, cal calendar) (waveResult, []*group) {
	out := map[*group]bool{}
	res := b.waves(groups, out, cal)
	pieces := 0
	for _, g := range groups {
		pieces += len(g.pieces)
	}
	tries := 0
	for len(res.left) > 0 && tries < maxDropTries {
		left := groupsOf(res.left)
		current := dropScore(out, left)
		worst := 0
		for _, g := range left {
			worst = max(worst, g.prio)
		}
		var candidates []*group
		for _, g := range groups {
			if !out[g] && !slices.Contains(left, g) && g.prio < worst {
				candidates = append(candidates, g)
			}
		}
		slices.SortStableFunc(candidates, func(x, y *group) int {
			return cmp.Or(cmp.Compare(x.prio, y.prio), cmp.Compare(y.load, x.load), cmp.Compare(x.idx, y.idx))
		})
		if pieces > bigDate && len(candidates) > 0 {
			// A big date cannot afford one solve per candidate: leave out
			// at once as many of the lowest classes as there are groups of a
			// higher class left over, and keep that if it is better.
			higher := 0
			for _, g := range left {
				if g.prio > candidates[0].prio {
					higher++
				}
			}
			batch := candidates[:min(len(candidates), higher)]
			for _, c := range batch {
				out[c] = true
			}
			if try := b.waves(groups, out, cal); dropScore(out, groupsOf(try.left)) < current {
				res = try
			} else {
				for _, c := range batch {
					delete(out, c)
				}
			}
			break
		}
		improved := false
		for _, c := range candidates[:min(len(candidates), 4)] {
			if tries >= maxDropTries {
				break
			}
			tries++
			out[c] = true
			try := b.waves(groups, out, cal)
			if dropScore(out, groupsOf(try.left)) < current {
				res, improved = try, true
				break
			}
			delete(out, c)
		}
		if !improved {
			break
		}
	}
	// The groups still left over are left out whole: a group with some
	// pieces routed and others not is taken out of the rounds too.
	for len(res.left) > 0 {
		partial := false
		for _, g := range groupsOf(res.left) {
			out[g] = true
		}
		for _, r := range res.routes {
			for _, pc := range r.pieces {
				partial = partial || out[pc.g]
			}
		}
		if !partial {
			break
		}
		res = b.waves(groups, out, cal)
	}
	var dropped []*group
	for _, g := range groups {
		if out[g] {
			dropped = append(dropped, g)
		}
	}
	return res, dropped
}

// dropScore orders sets of left-out groups: fewer first, then fewer
// canteens, then fewer basket sites. Lower is better.
func dropScore(out map[*group]bool, left []*group) int64 {
	var n, byPrio [3]int64
	count := func(g *group) {
		n[0]++
		byPrio[g.prio]++
	}
	for g := range out {
		count(g)
	}
	for _, g := range left {
		if !out[g] {
			count(g)
		}
	}
	const base = 1 << 20
	return n[0]*base*base*base + byPrio[prioCanteen]*base*base + byPrio[prioBasket]*base + byPrio[prioExtra]
}

// groupsOf lists the groups of pieces, each once, in group order.
func groupsOf(pieces []*piece) []*group {
	var gs []*group
	for _, pc := range pieces {
		if !slices.Contains(gs, pc.g) {
			gs = append(gs, pc.g)
		}
	}
	slices.SortFunc(gs, func(x, y *group) int { return cmp.Compare(x.idx, y.idx) })
	return gs
}

// waves routes the pieces of the groups not left out. The first wave offers
// every vehicle's free time on the date to the engine; pieces left over go
// to a next wave, where the vehicles' free time before and after the rounds
// already given is offered again (second trips), until every piece has a
// round or a wave adds none.
func (b *roundBuilder) waves(groups []*group, out map[*group]bool, cal calendar) waveResult {
	res := waveResult{cal: cal.clone()}
	var remaining []*piece
	for _, g := range groups {
		if !out[g] {
			remaining = append(remaining, g.pieces...)
		}
	}
	// When the loads outweigh what the fleet carries in one round each, the
	// first wave already offers each vehicle its shift cut into as many
	// consecutive parts as rounds it will need (up to maxParts), so that one
	// solve plans most of the second trips instead of a string of waves.
	parts := 1
	load, capacity := 0.0, 0.0
	for _, pc := range remaining {
		load += pc.load
	}
	for v, vi := range b.vehicles {
		if len(free(vi, res.cal[v])) > 0 {
			capacity += vi.capacity
		}
	}
	if capacity > 0 {
		parts = int(min(maxParts, math.Ceil(load/capacity-timeEps)))
	}
	for wave := 0; len(remaining) > 0 && wave < maxWaves; wave++ {
		type slot struct {
			v  int
			iv interval
		}
		// No round of these stops need leave before lo nor come back after
		// hi: leaving earlier only waits at the first stop, and service
		// starts by the window's end. Cutting shifts to [lo, hi] keeps every
		// round possible and puts the parts where the windows are.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, pc := range remaining {
			g := pc.g
			lo = math.Min(lo, g.ready-b.minutes[0][g.point])
			hi = math.Max(hi, g.due+g.service+b.minutes[g.point][0])
		}
		var slots []slot
		for v, vi := range b.vehicles {
			for _, iv := range free(vi, res.cal[v]) {
				iv = interval{math.Max(iv.from, lo), math.Min(iv.to, hi)}
				if iv.to <= iv.from+timeEps {
					continue
				}
				k := 1
				if wave == 0 {
					k = max(parts, 1)
				}
				step := (iv.to - iv.from) / float64(k)
				for j := range k {
					slots = append(slots, slot{v, interval{iv.from + float64(j)*step, iv.from + float64(j+1)*step}})
				}
			}
		}
		if len(slots) == 0 {
			break
		}
		prob := &routing.Problem{}
		n := len(remaining) + 1
		prob.Dist, prob.Time = square(n), square(n)
		prob.Demand, prob.Service = make([]float64, n), make([]float64, n)
		prob.Ready, prob.Due = make([]float64, n), make([]float64, n)
		pt := func(i int) int {
			if i == 0 {
				return 0
			}
			return remaining[i-1].g.point
		}
		for i := range n {
			for j := range n {
				prob.Dist[i][j] = b.dist[pt(i)][pt(j)]
				prob.Time[i][j] = b.minutes[pt(i)][pt(j)]
			}
			if i > 0 {
				pc := remaining[i-1]
				prob.Demand[i], prob.Service[i] = math.Min(pc.load, engineMax), pc.g.service
				prob.Ready[i], prob.Due[i] = pc.g.ready, pc.g.due
			}
		}
		prob.Ready[0], prob.Due[0] = math.Inf(1), math.Inf(-1)
		for _, sl := range slots {
			prob.Ready[0] = math.Min(prob.Ready[0], sl.iv.from)
			prob.Due[0] = math.Max(prob.Due[0], sl.iv.to)
			prob.Vehicles = append(prob.Vehicles, routing.Vehicle{Capacity: math.Min(b.vehicles[sl.v].capacity, engineMax), Start: sl.iv.from, End: sl.iv.to})
		}
		sol, err := routing.Solve(context.Background(), prob, b.engineOptions(wave, n-1))
		if err != nil {
			break // a malformed problem is a bug; nothing more is routed
		}
		var next []*piece
		added := 0
		routed := make([]bool, n)
		for _, r := range sol.Routes {
			sl := slots[r.Vehicle]
			pieces := make([]*piece, len(r.Nodes))
			for i, c := range r.Nodes {
				pieces[i] = remaining[c-1]
			}
			br, ok := b.timeRoute(sl.v, sl.iv, pieces, r.Depart)
			if !ok {
				continue // never expected: the engine returns feasible routes
			}
			for _, c := range r.Nodes {
				routed[c] = true
			}
			res.routes = append(res.routes, br)
			res.cal[sl.v] = append(res.cal[sl.v], interval{br.depart, br.ret})
			added++
		}
		for i := 1; i < n; i++ {
			if !routed[i] {
				next = append(next, remaining[i-1])
			}
		}
		remaining = next
		if added == 0 {
			break
		}
	}
	res.left = remaining
	return res
}

// fewerVehicles gives the rounds to as few distinct vehicles as it can
// (rule 7's second aim, after distance, which does not change): the engine
// sees each vehicle's free time as separate slots and does not count
// vehicles. Greedily, the vehicle that can drive the most rounds (fitting
// capacity and shift, not overlapping on a date, earliest return first)
// takes them, then the next. The new assignment is kept only when it uses
// fewer vehicles than the engine's.
func (b *roundBuilder) fewerVehicles(built []builtRound) {
	if len(built) < 2 {
		return
	}
	load := make([]float64, len(built))
	for i, r := range built {
		for _, pc := range r.pieces {
			load[i] += pc.load
		}
	}
	order := make([]int, len(built))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(built[x].date, built[y].date), cmp.Compare(built[x].ret, built[y].ret))
	})
	// take lists the rounds vehicle v can drive among those not assigned.
	take := func(v int, done []bool) []int {
		vi := b.vehicles[v]
		var got []int
		last := map[string]float64{}
		for _, i := range order {
			r := built[i]
			end, seen := last[r.date]
			if done[i] || load[i] > vi.capacity+timeEps || r.depart < vi.start-timeEps || r.ret > vi.end+timeEps ||
				seen && r.depart < end-timeEps {
				continue
			}
			last[r.date] = r.ret
			got = append(got, i)
		}
		return got
	}
	assign := make([]int, len(built))
	done := make([]bool, len(built))
	used := map[int]bool{}
	for left := len(built); left > 0; {
		best, bestList := -1, []int(nil)
		for v := range b.vehicles {
			if used[v] {
				continue
			}
			if list := take(v, done); len(list) > len(bestList) {
				best, bestList = v, list
			}
		}
		if best < 0 {
			return // the greedy cannot place every round: keep the engine's
		}
		used[best] = true
		for _, i := range bestList {
			assign[i], done[i] = best, true
			left--
		}
	}
	before := map[int]bool{}
	for _, r := range built {
		before[r.vehicle] = true
	}
	if len(used) < len(before) {
		for i := range built {
			built[i].vehicle = assign[i]
		}
	}
}

// Workers of each engine solve: independent searches with seeds Seed and
// Seed+1, the better kept, so that both cores of a small server work and
// the rounds still depend only on the scenario and the seed (rule 9).
const engineWorkers = 2

// maxEffort bounds Options.Effort, beyond any useful search.
const maxEffort = 1000

// engineOptions is the engine's budget for a solve of n stops in a wave,
// times the effort: 2,000 iterations up to 60 stops, then 120,000/n, so
// that the work (an iteration's local search costs about n) stays that of
// 120,000 stop-iterations up to 3,000 stops, and 40 iterations above
// (longer, in proportion to n). A regional date of 600 stops gets 200
// iterations, about 8 s of a core (BENCHMARKS.md). A patience of half the
// iterations (at least 40), counted once a feasible solution is found,
// ends a search that stops improving. The initial population (an eighth
// of the iterations at effort 1, at most 48) does not depend on the
// effort, so a higher effort continues the same searches further: each
// solve's rounds are as short or shorter. Every bound counts iterations,
// never time: the same scenario, seed and effort give the same rounds on
// any machine and under any load.
func (b *roundBuilder) engineOptions(wave, n int) routing.Options {
	effort := min(max(b.opt.Effort, 1), maxEffort)
	iters := max(40, min(2000, engineWork/max(n, 1)))
	return routing.Options{
		Seed:          b.opt.Seed + int64(engineWorkers*wave),
		MaxIterations: effort * iters,
		Population:    min(48, iters/8),
		Patience:      effort * max(40, iters/2),
		Workers:       engineWorkers,
		Independent:   true,
	}
}

// engineWork is the engine's work per solve at effort 1, in stops times
// iterations.
const engineWork = 120000

// free returns the parts of a vehicle's shift not taken by its rounds.
func free(v vehicleInfo, busy []interval) []interval {
	if v.end <= v.start || !(v.capacity > 0) {
		return nil
	}
	busy = slices.Clone(busy)
	slices.SortFunc(busy, func(x, y interval) int { return cmp.Compare(x.from, y.from) })
	var out []interval
	t := v.start
	for _, iv := range busy {
		if iv.from > t+timeEps {
			out = append(out, interval{t, iv.from})
		}
		t = math.Max(t, iv.to)
	}
	if v.end > t+timeEps {
		out = append(out, interval{t, v.end})
	}
	return out
}

// timeRoute times a route exactly, leaving the hub at depart, and checks it
// against the vehicle's free interval, the windows and the capacity.
func (b *roundBuilder) timeRoute(v int, iv interval, pieces []*piece, depart float64) (builtRound, bool) {
	g0 := pieces[0].g
	r := builtRound{vehicle: v, kind: g0.kind, date: g0.date, depart: depart, pieces: pieces}
	ok := depart >= iv.from-timeEps
	t, prev, load := depart, 0, 0.0
	for _, pc := range pieces {
		p := pc.g.point
		t += b.minutes[prev][p]
		r.distance += b.dist[prev][p]
		ok = ok && t <= pc.g.due+timeEps
		r.arrive = append(r.arrive, t)
		t = math.Max(t, pc.g.ready)
		r.starts = append(r.starts, t)
		t += pc.g.service
		load += pc.load
		prev = p
	}
	t += b.minutes[prev][0]
	r.distance += b.dist[prev][0]
	r.ret = t
	ok = ok && t <= iv.to+timeEps && load <= b.vehicles[v].capacity+timeEps
	return r, ok
}

// round turns a timed route into the contract's Round, times rounded to the
// minute. Rounding to the nearest minute keeps every printed time within
// windows and shifts: their bounds are whole minutes and rounding is
// monotonic, so an exact time within a bound prints within it too.
func (b *roundBuilder) round(r builtRound) Round {
	out := Round{
		Vehicle: b.vehicles[r.vehicle].id, Kind: r.kind, Date: r.date,
		Depart: clock(r.depart), Return: clock(r.ret),
		DistanceKm: roundTo(r.distance, 1),
		Stops:      make([]Stop, 0, len(r.pieces)),
	}
	for i, pc := range r.pieces {
		st := Stop{Site: pc.g.site, Producer: pc.g.producer,
			Arrive: clock(r.arrive[i]), Start: clock(r.starts[i]), Leave: clock(r.starts[i] + pc.g.service)}
		for _, it := range pc.items {
			if r.kind == RoundDelivery {
				st.Deliver = append(st.Deliver, Delivery{Order: it.order, Product: it.product, Quantity: it.qty})
			} else {
				st.Collect = append(st.Collect, ProductQuantity{Product: it.product, Quantity: it.qty})
			}
		}
		out.Stops = append(out.Stops, st)
	}
	return out
}

// clock prints minutes after midnight as HH:MM, rounded to the nearest
// minute.
func clock(t float64) string {
	m := int(math.Floor(t + 0.5))
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// unroutedOf names a left-out group.
func unroutedOf(g *group, why string) Unrouted {
	return Unrouted{Site: g.site, Producer: g.producer, Reason: why}
}

// The reasons below follow reasons.go: both languages side by side, the
// numbers printed in the builder's language (only that one is shown).

// reasonNoVehicle explains a stop left out because no vehicle has a shift.
func (b *roundBuilder) reasonNoVehicle() string {
	return i18n.Text{
		FR: "aucun véhicule : la flotte n'a aucun véhicule avec un horaire et une capacité",
		EN: "no vehicle: the fleet has no vehicle with a shift and a capacity",
	}.In(b.l)
}

// reasonTooHeavy explains a load that no split makes fit: one step of a
// product is heavier than the largest vehicle.
func (b *roundBuilder) reasonTooHeavy(it *roundItem) string {
	return i18n.Textf("charge trop lourde : un pas de « %s » pèse %s kg, plus que ne porte le plus grand véhicule (%s kg)",
		"load too heavy: one step of %q weighs %s kg, more than the largest vehicle carries (%s kg)",
		it.product, num(b.l, it.kgStep), num(b.l, b.maxCap)).In(b.l)
}

// reasonBeyondFleet explains a load the fleet cannot bring in one day,
// even split into as many rounds as the shifts and the window allow.
func (b *roundBuilder) reasonBeyondFleet(g *group) string {
	return i18n.Textf("charge trop lourde pour la flotte : %s kg demanderaient plus de tournées que n'en permettent les horaires des véhicules et la fenêtre %s-%s",
		"load too heavy for the fleet: %s kg would take more rounds than the vehicles' shifts and the window %s-%s allow",
		num(b.l, roundTo(g.load, 1)), clock(g.ready), clock(g.due)).In(b.l)
}

// reasonWindow explains a window no vehicle reaches in time; small says
// that only vehicles too small for the load do.
func (b *roundBuilder) reasonWindow(g *group, load float64, small bool) string {
	due := clock(g.due)
	if small {
		return i18n.Textf("fenêtre hors d'atteinte : aucun véhicule assez grand pour %s kg ne peut arriver avant %s et rentrer au dépôt avant la fin de son service",
			"window out of reach: no vehicle large enough for %s kg can arrive by %s and be back at the hub before its shift ends",
			num(b.l, roundTo(load, 1)), due).In(b.l)
	}
	return i18n.Textf("fenêtre hors d'atteinte : aucun véhicule ne peut arriver avant %s et rentrer au dépôt avant la fin de son service",
		"window out of reach: no vehicle can arrive by %s and be back at the hub before its shift ends", due).In(b.l)
}

// reasonFleet explains a stop left out because the fleet's capacity and
// shifts on the date are used up by stops of higher or equal class.
func (b *roundBuilder) reasonFleet(date string) string {
	return i18n.Textf("flotte saturée : le %s, la capacité et les horaires des véhicules vont à des arrêts de priorité égale ou supérieure",
		"fleet used up: on %s the vehicles' capacity and shifts go to stops of higher or equal priority", date).In(b.l)
}
