package sheets

import (
	"fmt"

	"paniers/planner"
)

// RoundPage is round i of a plan as its sheet prints it, every figure in
// the Input's language, for a page that shows the sheet on screen (the
// driver's page, package web): the same stops, windows, times and the same
// count of what the driver carries (a relay point's baskets one package
// each and its extras one bag per household, a canteen's products in
// crates of CanteenCrateKg, a farm's in crates of Input.CrateKg).
type RoundPage struct {
	Index int
	// Title is "Tournée 1/4 · livraison · camion-1".
	Title string
	Round planner.Round
	// Vehicle is the scenario's vehicle of the round (its id only when the
	// scenario does not know it).
	Vehicle planner.Vehicle
	// Collection is true on a collection round: the driver loads at each
	// stop and unloads at the hub.
	Collection bool
	// LongDate is "mardi 1er décembre 2026".
	LongDate string
	Hub      RoundPlace
	Stops    []RoundStop
	// Load is what the hub loads (delivery) or unloads (collection).
	Load []RoundPack
	// Totals is "3 arrêts · 123,4 kg · 15 colis · 38,2 km · 4 h 25 min".
	Totals string
	// BackLeg is the drive from the last stop to the hub: "4,2 km · 9 min".
	BackLeg string
}

// RoundPlace is a hub, farm or site with its address and position
// (Located false when the scenario has none).
type RoundPlace struct {
	ID, Name, Address string
	Lat, Lon          float64
	Located           bool
}

// RoundStop is one stop of a round, numbered from 1 as the sheet does.
type RoundStop struct {
	N     int
	Place RoundPlace
	// Producer is true for a farm or garden (a collection), false for a
	// relay point or a canteen (a delivery).
	Producer bool
	Window   planner.Window
	// WindowText is "07:00–09:00", "—" when unset.
	WindowText           string
	Arrive, Start, Leave string
	Packs                []RoundPack
	// Weight is "12,5 kg"; Units counts the stop's packages: "4 colis",
	// "3 caisses".
	Weight, Units string
	// Leg is the drive from the previous place: "4,2 km · 9 min", "—".
	Leg string
}

// RoundPack is one line of what the driver carries: Label is the basket
// type, "Sacs d'extras" or the product; Quantity is "9 paniers", "3 sacs"
// or "12,5 kg"; Units is "9 colis" or "2 caisses", Count its number.
// Crate is true for a product in crates (Quantity is then its weight or
// count, Units its crates), false for baskets and bags (one package each).
type RoundPack struct {
	Label, Quantity, Units string
	Count                  int
	Crate                  bool
}

// RoundView returns round i (its index in Plan.Rounds) as its sheet
// prints it. ErrNotFound when the plan has no round i; ErrInvalid for a bad
// Lang.
func RoundView(in Input, i int) (RoundPage, error) {
	r, err := newRenderer(in)
	if err != nil {
		return RoundPage{}, err
	}
	if i < 0 || i >= len(in.Plan.Rounds) {
		return RoundPage{}, fmt.Errorf("sheets: round %d: %w (the plan has %d rounds)", i, ErrNotFound, len(in.Plan.Rounds))
	}
	v := r.roundView(i)
	rd := v.Round
	out := RoundPage{Index: i, Title: r.roundTitle(v), Round: rd, Vehicle: v.Vehicle, Collection: rd.Kind == planner.RoundCollection,
		LongDate: r.longDate(rd.Date), Hub: roundPlace(v.Hub), Load: r.roundPacks(v.Load), Totals: r.roundTotals(v), BackLeg: r.legText(v.Back)}
	for _, s := range v.Stops {
		out.Stops = append(out.Stops, RoundStop{N: s.N, Place: roundPlace(s.Place), Producer: s.IsProducer, Window: s.Window, WindowText: window(s.Window),
			Arrive: s.Arrive, Start: s.Start, Leave: s.Leave, Packs: r.roundPacks(s.Packs), Weight: r.kgText(s.Kg),
			Units: r.roundUnits(rd, s.Crates), Leg: r.legText(s.Leg)})
	}
	return out, nil
}

func roundPlace(p place) RoundPlace {
	return RoundPlace{ID: p.ID, Name: p.Name, Address: p.Address, Lat: p.Pos.Lat, Lon: p.Pos.Lon, Located: p.Pos.Known}
}

func (r *renderer) roundPacks(ps []pack) []RoundPack {
	out := make([]RoundPack, 0, len(ps))
	for _, p := range ps {
		out = append(out, RoundPack{Label: p.Label, Quantity: r.packQty(p), Units: r.packUnits(p), Count: p.Units, Crate: p.Kind == packCrate})
	}
	return out
}
