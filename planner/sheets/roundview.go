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
	Back     leg // from the last stop to the hub
	Load     []line
	TotalKg  float64
	Crates   int
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
	Lines      []line
	Kg         float64
	Crates     int
	Leg        leg // from the previous place
	Baskets    []basketCount
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
			seen := map[string]bool{}
			for _, d := range s.Deliver {
				ls.add(d.Product, d.Quantity)
				load.add(d.Product, d.Quantity)
				o := r.ix.orders[d.Order]
				if o.Class == planner.ClassBasket && !seen[d.Order] {
					seen[d.Order] = true
					sv.Baskets = addBaskets(sv.Baskets, o.Basket, o.Count)
				}
			}
		}
		sv.Lines = r.lines(ls)
		sv.Kg, sv.Crates = totals(sv.Lines)
		sv.Leg = r.leg(prev, sv.Place.Pos)
		prev = sv.Place.Pos
		v.addLeg(sv.Leg)
		v.Stops = append(v.Stops, sv)
	}
	v.Back = r.leg(prev, v.Hub.Pos)
	v.addLeg(v.Back)
	// The load keeps the stops' crates: each stop's goods travel in their
	// own crates, so the hub loads (or unloads) the sum of them.
	crates := map[string]int{}
	for _, s := range v.Stops {
		for _, l := range s.Lines {
			crates[l.Product.ID] += l.Crates
		}
	}
	v.Load = r.lines(load)
	for k := range v.Load {
		v.Load[k].Crates = crates[v.Load[k].Product.ID]
	}
	v.TotalKg, v.Crates = totals(v.Load)
	return v
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
