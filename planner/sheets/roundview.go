package sheets

import (
	"fmt"
	"strconv"

	"paniers/planner"
)

// roundView is a round with everything its sheet prints resolved.
type roundView struct {
	Index    int
	N        int // rounds in the plan
	Round    planner.Round
	Vehicle  planner.Vehicle
	Hub      place
	Stops    []stopView
	Back     leg    // from the last stop to the hub
	Load     []pack // what the hub loads (delivery) or unloads (collection)
	TotalKg  float64
	Packs    int     // packages the driver carries: baskets, bags and crates
	LegKm    float64 // sum of the legs, when all are known
	LegsKnow bool
}

// place is a hub, producer or site with its address and position.
type place struct {
	ID, Name, Address string
	Pos               point
}

// leg is a drive between two places.
type leg struct {
	Km, Min   float64
	Known     bool
	TimeKnown bool
}

// stopView is one stop of a round.
type stopView struct {
	N          int
	Place      place
	IsProducer bool
	Window     planner.Window
	Arrive     string
	Start      string
	Leave      string
	Lines      []line // products, as the plan moves them
	Packs      []pack // what the driver hands over or takes: baskets, bags, crates
	Kg         float64
	Crates     int // packages of the stop
	Leg        leg // from the previous place
	Baskets    []basketCount
}

// Kinds of packages a driver carries.
const (
	packBasket = iota // one packed basket
	packBag           // a household's extras, packed together
	packCrate         // one product, in crates
)

// pack is one line of what a driver carries: baskets of a type, extras
// bags, or crates of a product. Units is the number of packages.
type pack struct {
	Kind     int
	Key      string // what merges packs of several stops into the hub's load
	Label    string
	Product  planner.Product // crates only
	Quantity float64         // crates: the product's quantity
	Kg       float64
	Units    int
}

// basketCount is a number of baskets of one type.
type basketCount struct {
	Type  string
	Count int
}

func (r *renderer) hubPlace() place {
	h := r.in.Scenario.Hub
	return place{ID: h.ID, Name: r.hubName(), Address: r.address(h.ID), Pos: point{h.Lat, h.Lon, true}}
}

func (r *renderer) producerPlace(id string) place {
	p, ok := r.ix.producers[id]
	return place{ID: id, Name: r.producerName(id), Address: r.address(id), Pos: point{p.Lat, p.Lon, ok}}
}

func (r *renderer) sitePlace(id string) place {
	s, ok := r.ix.sites[id]
	return place{ID: id, Name: r.siteName(id), Address: r.address(id), Pos: point{s.Lat, s.Lon, ok}}
}

func (r *renderer) leg(a, b point) leg {
	km, ok := r.legKm(a, b)
	if !ok {
		return leg{}
	}
	m, tok := r.legMin(km)
	return leg{Km: km, Min: m, Known: true, TimeKnown: tok}
}

// roundView resolves round i, which the caller has checked exists.
func (r *renderer) roundView(i int) roundView {
	rd := r.in.Plan.Rounds[i]
	v := roundView{Index: i, N: len(r.in.Plan.Rounds), Round: rd, Hub: r.hubPlace(), LegsKnow: true}
	v.Vehicle = r.ix.vehicles[rd.Vehicle]
	v.Vehicle.ID = rd.Vehicle
	var load lineSet
	prev := v.Hub.Pos
	for k, s := range rd.Stops {
		sv := stopView{N: k + 1, Arrive: s.Arrive, Start: s.Start, Leave: s.Leave}
		var ls lineSet
		if s.Producer != "" {
			sv.IsProducer = true
			sv.Place = r.producerPlace(s.Producer)
			sv.Window = r.ix.producers[s.Producer].Window
			for _, c := range s.Collect {
				ls.add(c.Product, c.Quantity)
				load.add(c.Product, c.Quantity)
			}
		} else {
			sv.Place = r.sitePlace(s.Site)
			sv.Window = r.ix.sites[s.Site].Window
			for _, d := range s.Deliver {
				ls.add(d.Product, d.Quantity)
				load.add(d.Product, d.Quantity)
			}
		}
		sv.Lines = r.lines(ls)
		if s.Producer != "" {
			sv.Packs = r.cratePacks(sv.Lines, r.crateKg)
		} else {
			sv.Packs, sv.Baskets = r.deliveryPacks(s)
		}
		sv.Kg, _ = totals(sv.Lines)
		for _, p := range sv.Packs {
			sv.Crates += p.Units
		}
		sv.Leg = r.leg(prev, sv.Place.Pos)
		prev = sv.Place.Pos
		v.addLeg(sv.Leg)
		v.Stops = append(v.Stops, sv)
	}
	v.Back = r.leg(prev, v.Hub.Pos)
	v.addLeg(v.Back)
	// The load keeps the stops' packages: each stop's goods travel in
	// their own baskets, bags and crates, so the hub loads (or unloads) the
	// sum of them.
	at := map[string]int{}
	for _, s := range v.Stops {
		for _, p := range s.Packs {
			k, ok := at[p.Key]
			if !ok {
				at[p.Key] = len(v.Load)
				v.Load = append(v.Load, p)
				continue
			}
			v.Load[k].Quantity += p.Quantity
			v.Load[k].Kg += p.Kg
			v.Load[k].Units += p.Units
		}
	}
	v.TotalKg, _ = totals(r.lines(load))
	for _, p := range v.Load {
		v.Packs += p.Units
	}
	return v
}

// cratePacks packs product lines in crates of crateKg: one product per
// crate.
func (r *renderer) cratePacks(ls []line, crateKg float64) []pack {
	out := make([]pack, 0, len(ls))
	for _, l := range ls {
		out = append(out, pack{Kind: packCrate, Key: "p:" + l.Product.ID, Label: l.Product.Name, Product: l.Product,
			Quantity: l.Quantity, Kg: l.Kg, Units: cratesOf(l.Quantity, l.Kg, crateKg)})
	}
	return out
}

// deliveryPacks is what a delivery stop receives, as the hub packs it: a
// relay point its baskets (one package each) and its extras in one bag per
// household (and one for the extras ordered by the relay point as a
// whole); a canteen (or any other order) its products in crates of
// CanteenCrateKg. It also returns the baskets by type.
func (r *renderer) deliveryPacks(s planner.Stop) ([]pack, []basketCount) {
	var baskets []basketCount
	basketKg := map[string]float64{}
	seen := map[string]bool{}
	var extras, crates lineSet
	for _, d := range s.Deliver {
		o := r.ix.orders[d.Order]
		switch o.Class {
		case planner.ClassBasket:
			if !seen[d.Order] {
				seen[d.Order] = true
				baskets = addBaskets(baskets, o.Basket, o.Count)
			}
			basketKg[o.Basket] += d.Quantity * r.product(d.Product).KgPerUnit
		case planner.ClassExtra:
			extras.add(d.Product, d.Quantity)
		default:
			crates.add(d.Product, d.Quantity)
		}
	}
	var out []pack
	for _, b := range baskets {
		out = append(out, pack{Kind: packBasket, Key: "b:" + b.Type, Label: r.basketName(b.Type), Quantity: float64(b.Count), Kg: basketKg[b.Type], Units: b.Count})
	}
	if xs := r.lines(extras); len(xs) > 0 {
		kg, _ := totals(xs)
		bags := r.pickupView(s.Site).Bags
		out = append(out, pack{Kind: packBag, Key: "x", Label: r.w.ExtrasBags, Quantity: float64(max(bags, 1)), Kg: kg, Units: max(bags, 1)})
	}
	return append(out, r.cratePacks(r.lines(crates), CanteenCrateKg)...), baskets
}

func (v *roundView) addLeg(l leg) {
	if !l.Known {
		v.LegsKnow = false
	}
	v.LegKm += l.Km
}

func addBaskets(bs []basketCount, typ string, n int) []basketCount {
	for i := range bs {
		if bs[i].Type == typ {
			bs[i].Count += n
			return bs
		}
	}
	return append(bs, basketCount{typ, n})
}

// roundKind names a round's kind in the document's language.
func (r *renderer) roundKind(kind string) string {
	switch kind {
	case planner.RoundCollection:
		return r.w.Collection
	case planner.RoundDelivery:
		return r.w.Delivery
	}
	return kind
}

// roundTitle is "Tournée 2/4 · livraison · camion-1".
func (r *renderer) roundTitle(v roundView) string {
	return fmt.Sprintf("%s %d/%d · %s · %s", r.w.Round, v.Index+1, v.N, r.roundKind(v.Round.Kind), v.Round.Vehicle)
}

// roundFileStem names round i in file names: number, vehicle, kind.
func (r *renderer) roundFileStem(i int) string {
	rd := r.in.Plan.Rounds[i]
	n := strconv.Itoa(i + 1)
	if len(n) < 2 {
		n = "0" + n
	}
	return n + "_" + slug(rd.Vehicle) + "_" + slug(r.roundKind(rd.Kind))
}

// roundMinutes is a round's time from departure to return, in minutes.
func roundMinutes(rd planner.Round) (int, bool) {
	a, ok1 := minutes(rd.Depart)
	b, ok2 := minutes(rd.Return)
	if !ok1 || !ok2 {
		return 0, false
	}
	if b < a {
		b += 24 * 60
	}
	return b - a, true
}
