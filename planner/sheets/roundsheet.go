package sheets

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"paniers/planner"
)

// RoundSheet renders the sheet of round i (its index in Plan.Rounds) for its
// driver: departure, each stop in order with its address, window, planned
// arrival, what to load or unload and a box to tick, the legs, totals and
// return. Formats: txt, pdf, csv, geojson.
func RoundSheet(in Input, i int, format string) (Doc, error) {
	return renderDoc(in, KindRoundSheet, strconv.Itoa(i), format, func(r *renderer) (string, bodies, error) {
		if i < 0 || i >= len(in.Plan.Rounds) {
			return "", nil, fmt.Errorf("sheets: round sheet: round %d: %w (the plan has %d rounds)", i, ErrNotFound, len(in.Plan.Rounds))
		}
		v := r.roundView(i)
		return r.roundFileStem(i), bodies{
			FormatText:    func() ([]byte, error) { return r.roundText(v), nil },
			FormatPDF:     func() ([]byte, error) { return r.roundPDF(v) },
			FormatCSV:     func() ([]byte, error) { return r.roundCSV(v) },
			FormatGeoJSON: func() ([]byte, error) { return r.roundGeoJSON(v) },
		}, nil
	})
}

// Text renders every round sheet of the week as one text, headed by the
// plan's summary: what the weekly job prints to its log.
func Text(in Input) (string, error) {
	r, err := newRenderer(in)
	if err != nil {
		return "", err
	}
	var t text
	p := in.Plan
	t.line("%s %s · %d %s · %s · %s %d", r.w.Week, oneLine(p.Week), len(p.Rounds), r.w.RoundsWord, r.km(p.Summary.DistanceKm), r.w.VehiclesUsed, p.Summary.VehiclesUsed)
	var rates []string
	for _, c := range []string{planner.ClassCanteen, planner.ClassBasket, planner.ClassExtra} {
		if x, ok := p.Summary.FillRate[c]; ok {
			rates = append(rates, r.w.Classes[c]+" "+r.percent(x))
		}
	}
	if len(rates) > 0 {
		t.line("%s", r.kv(r.w.FillRate, strings.Join(rates, " · ")))
	}
	if len(p.Shortfalls) > 0 {
		t.line("%s", r.kv(r.w.Shortfalls, strconv.Itoa(len(p.Shortfalls))))
	}
	for _, u := range p.Unrouted {
		name := r.siteName(u.Site)
		if u.Producer != "" {
			name = r.producerName(u.Producer)
		}
		t.line("%s", r.kv(r.w.Unrouted, oneLine(name)+" — "+oneLine(u.Reason)))
	}
	for i := range p.Rounds {
		t.WriteByte('\n')
		t.Write(r.roundText(r.roundView(i)))
	}
	return t.String(), nil
}

// roundText is the fixed-width sheet, readable in a terminal or a log.
func (r *renderer) roundText(v roundView) []byte {
	var t text
	rd := v.Round
	t.rule("=")
	t.line("%s · %s %s", strings.ToUpper(r.w.RoundSheet), r.w.Week, oneLine(r.in.Plan.Week))
	t.line("%s", oneLine(r.roundTitle(v)))
	t.line("%s", r.longDate(rd.Date))
	t.rule("=")
	t.line("%s", r.kv(r.w.Vehicle, oneLine(r.vehicleText(v.Vehicle))))
	t.line("%s", r.kv(r.w.Departure, oneLine(v.Hub.Name)+" "+r.w.At+" "+rd.Depart+addrSuffix(v.Hub.Address)))
	t.line("%s", r.kv(r.w.Return, r.w.At+" "+rd.Return))
	t.line("%s", r.kv(r.w.Totals, r.roundTotals(v)))
	t.WriteByte('\n')
	loadTitle, stopVerb := r.w.LoadAtHub, r.w.Unload
	if rd.Kind == planner.RoundCollection {
		loadTitle, stopVerb = r.w.UnloadAtHub, r.w.Load
	}
	t.line("%s", r.label(loadTitle))
	r.packsText(&t, "  ", v.Load)
	for _, s := range v.Stops {
		t.WriteByte('\n')
		t.rule("-")
		t.line("%d. %s", s.N, oneLine(s.Place.Name))
		if s.Place.Address != "" {
			t.line("   %s", oneLine(s.Place.Address))
		}
		t.line("   %s %s · %s %s · %s %s · %s %s", capFirst(r.w.Window), window(s.Window), r.w.Arrive, s.Arrive, r.w.Start, s.Start, r.w.Leave, s.Leave)
		t.line("   %s", r.kv(r.w.Leg, r.legText(s.Leg)))
		t.line("   %s", r.label(stopVerb))
		r.packsText(&t, "     ", s.Packs)
	}
	t.WriteByte('\n')
	t.rule("-")
	t.line("%s %s %s %s · %s", r.w.BackTo, oneLine(v.Hub.Name), r.w.At, rd.Return, r.kv(r.w.Leg, r.legText(v.Back)))
	t.rule("=")
	return t.Bytes()
}

// packsText lists packages with a box to tick.
func (r *renderer) packsText(t *text, indent string, ps []pack) {
	if len(ps) == 0 {
		t.line("%s%s", indent, r.w.Nothing)
		return
	}
	rows := make([][]string, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, []string{"☐ " + oneLine(p.Label), r.packQty(p), r.packUnits(p)})
	}
	tableText(t, indent, []bool{false, true, true}, rows)
}

// packQty is what a package line holds: "9,5 kg", "9 paniers", "3 sacs".
func (r *renderer) packQty(p pack) string {
	switch p.Kind {
	case packBasket:
		return r.basketsWord(p.Quantity)
	case packBag:
		return r.counted(p.Units, r.w.BagOne, r.w.BagMany)
	}
	return r.qty(p.Quantity, p.Product)
}

// packUnits counts a package line: "2 caisses" for crates, "9 colis"
// otherwise.
func (r *renderer) packUnits(p pack) string {
	if p.Kind == packCrate {
		return r.cratesText(p.Units)
	}
	return r.counted(p.Units, r.w.PackOne, r.w.PackMany)
}

// roundUnits counts a round's or a stop's packages: crates on a collection
// round (producers pack per product), packages on a delivery round.
func (r *renderer) roundUnits(rd planner.Round, n int) string {
	if rd.Kind == planner.RoundCollection {
		return r.cratesText(n)
	}
	return r.counted(n, r.w.PackOne, r.w.PackMany)
}

// counted is "1 sac", "3 sacs"; zero is singular in French.
func (r *renderer) counted(n int, one, many string) string {
	if n == 1 || (r.lang == "fr" && n == 0) {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func addrSuffix(a string) string {
	if a == "" {
		return ""
	}
	return " — " + oneLine(a)
}

// vehicleText is "camion-1 (800 kg)".
func (r *renderer) vehicleText(v planner.Vehicle) string {
	if v.CapacityKg > 0 {
		return fmt.Sprintf("%s (%s %s)", v.ID, r.w.Capacity, r.kgText(v.CapacityKg))
	}
	return v.ID
}

// roundTotals is "3 arrêts · 123,4 kg · 15 caisses · 38,2 km · 4 h 25 min".
func (r *renderer) roundTotals(v roundView) string {
	stops := r.w.StopsWord
	if len(v.Stops) == 1 {
		stops = r.w.StopOne
	}
	parts := []string{fmt.Sprintf("%d %s", len(v.Stops), stops), r.kgText(v.TotalKg), r.roundUnits(v.Round, v.Packs), r.km(v.Round.DistanceKm)}
	if m, ok := roundMinutes(v.Round); ok {
		parts = append(parts, duration(float64(m)))
	}
	return strings.Join(parts, " · ")
}

// roundCSV has one row per product line of each stop, a row for the
// departure from the hub and one for the return, then a total row.
func (r *renderer) roundCSV(v roundView) ([]byte, error) {
	w := r.w
	c := r.newCSV(w.ColRound, w.ColVehicle, w.ColDate, w.ColKind, w.ColStop, w.ColID, w.ColName, w.ColAddress,
		w.ColWindowStart, w.ColWindowEnd, w.ColArrive, w.ColStart, w.ColLeave, w.ColProduct, w.ColQuantity,
		w.ColUnit, w.ColKg, w.ColPacks, w.ColLegKm, w.ColLegMin, w.ColDone)
	rd := v.Round
	head := []string{strconv.Itoa(v.Index + 1), cell(rd.Vehicle), rd.Date, r.roundKind(rd.Kind)}
	legCells := func(l leg) []string {
		if !l.Known {
			return []string{"", ""}
		}
		m := ""
		if l.TimeKnown {
			m = strconv.Itoa(int(math.Round(l.Min)))
		}
		return []string{r.csvNum(math.Round(l.Km*10) / 10), m}
	}
	row := func(cells ...string) { c.row(append(append([]string(nil), head...), cells...)...) }
	hub := []string{cell(v.Hub.ID), cell(v.Hub.Name), cell(v.Hub.Address), "", ""}
	row(append(append([]string{"0"}, hub...), "", "", rd.Depart, "", "", "", "", "", "", "", "")...)
	for _, s := range v.Stops {
		stop := []string{strconv.Itoa(s.N), cell(s.Place.ID), cell(s.Place.Name), cell(s.Place.Address), s.Window[0], s.Window[1], s.Arrive, s.Start, s.Leave}
		ps := s.Packs
		if len(ps) == 0 {
			ps = []pack{{Kind: -1}}
		}
		for k, p := range ps {
			cells := append([]string(nil), stop...)
			switch p.Kind {
			case -1:
				cells = append(cells, "", "", "", "", "")
			case packBasket:
				cells = append(cells, cell(p.Label), strconv.Itoa(p.Units), w.BasketOne, r.csvNum(p.Kg), strconv.Itoa(p.Units))
			case packBag:
				cells = append(cells, cell(p.Label), strconv.Itoa(p.Units), w.BagOne, r.csvNum(p.Kg), strconv.Itoa(p.Units))
			default:
				cells = append(cells, cell(p.Label), r.csvNum(p.Quantity), cell(r.unitName(p.Product.Unit, 1)), r.csvNum(p.Kg), strconv.Itoa(p.Units))
			}
			if k == 0 {
				cells = append(cells, legCells(s.Leg)...)
			} else {
				cells = append(cells, "", "")
			}
			row(append(cells, "")...)
		}
	}
	back := append(append([]string{strconv.Itoa(len(v.Stops) + 1)}, hub...), rd.Return, "", "", "", "", "", "", "")
	row(append(back, append(legCells(v.Back), "")...)...)
	total := []string{w.Total, "", "", "", "", "", "", "", "", "", "", "", r.csvNum(v.TotalKg), strconv.Itoa(v.Packs)}
	if v.LegsKnow {
		total = append(total, r.csvNum(math.Round(v.LegKm*10)/10))
	} else {
		total = append(total, "")
	}
	if m, ok := roundMinutes(rd); ok {
		total = append(total, strconv.Itoa(m))
	} else {
		total = append(total, "")
	}
	row(append(total, "")...)
	return c.bytes()
}

// GeoJSON types, kept small and ordered for reproducible output.
type featureCollection struct {
	Type     string         `json:"type"`
	Name     string         `json:"name,omitempty"`
	Features []feature      `json:"features"`
	Props    map[string]any `json:"properties,omitempty"`
}

type feature struct {
	Type       string         `json:"type"`
	Geometry   geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// roundGeoJSON is the round as a map layer: a Point for the hub, a Point per
// stop, and the route as a LineString from the hub through the stops back to
// the hub. Properties "name" and "description" are what uMap shows.
func (r *renderer) roundGeoJSON(v roundView) ([]byte, error) {
	pos := func(p place) ([]float64, error) {
		if !p.Pos.Known {
			return nil, fmt.Errorf("geojson: %q has no position in the scenario", p.ID)
		}
		if math.IsNaN(p.Pos.Lat+p.Pos.Lon) || math.IsInf(p.Pos.Lat+p.Pos.Lon, 0) {
			return nil, fmt.Errorf("geojson: %q: position is not a number", p.ID)
		}
		return []float64{p.Pos.Lon, p.Pos.Lat}, nil
	}
	rd := v.Round
	hubPos, err := pos(v.Hub)
	if err != nil {
		return nil, err
	}
	fc := featureCollection{Type: "FeatureCollection", Name: r.roundTitle(v)}
	fc.Features = append(fc.Features, feature{Type: "Feature", Geometry: geometry{"Point", hubPos}, Properties: map[string]any{
		"role": "hub", "id": v.Hub.ID, "name": v.Hub.Name, "address": v.Hub.Address, "order": 0,
		"depart": rd.Depart, "return": rd.Return,
		"description": fmt.Sprintf("%s %s · %s %s", r.w.Departure, rd.Depart, r.w.Return, rd.Return),
	}})
	line := [][]float64{hubPos}
	for _, s := range v.Stops {
		p, err := pos(s.Place)
		if err != nil {
			return nil, err
		}
		line = append(line, p)
		var items []string
		for _, p := range s.Packs {
			items = append(items, p.Label+" "+r.packQty(p))
		}
		props := map[string]any{
			"role": "stop", "id": s.Place.ID, "name": s.Place.Name, "address": s.Place.Address, "order": s.N,
			"window": window(s.Window), "arrive": s.Arrive, "start": s.Start, "leave": s.Leave,
			"kg": math.Round(s.Kg*1000) / 1000, "crates": s.Crates, "load": strings.Join(items, ", "),
			"description": fmt.Sprintf("%d. %s %s (%s %s) · %s", s.N, r.w.Arrive, s.Arrive, r.w.Window, window(s.Window), strings.Join(items, ", ")),
		}
		if s.IsProducer {
			props["kind"] = "producer"
		} else {
			props["kind"] = "site"
		}
		if s.Leg.Known {
			props["leg_km"] = math.Round(s.Leg.Km*10) / 10
		}
		if s.Leg.TimeKnown {
			props["leg_min"] = math.Round(s.Leg.Min)
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", Geometry: geometry{"Point", p}, Properties: props})
	}
	line = append(line, hubPos)
	fc.Features = append(fc.Features, feature{Type: "Feature", Geometry: geometry{"LineString", line}, Properties: map[string]any{
		"role": "route", "name": r.roundTitle(v), "vehicle": rd.Vehicle, "kind": rd.Kind, "date": rd.Date,
		"depart": rd.Depart, "return": rd.Return, "distance_km": rd.DistanceKm, "stops": len(v.Stops),
		"description": r.roundTotals(v),
	}})
	b, err := json.MarshalIndent(fc, "", " ")
	if err != nil {
		return nil, fmt.Errorf("geojson: %w", err)
	}
	return append(b, '\n'), nil
}

// capFirst puts the first letter in upper case, for a word starting a line.
func capFirst(s string) string {
	for i, c := range s {
		return strings.ToUpper(string(c)) + s[i+len(string(c)):]
	}
	return s
}
