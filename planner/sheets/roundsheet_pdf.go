package sheets

import (
	"fmt"
	"strconv"
	"strings"

	"paniers/planner"
)

// roundPDF is the printable sheet: a header, what to load at the hub, then
// one table of stops with a row per product and a box to tick on each.
func (r *renderer) roundPDF(v roundView) ([]byte, error) {
	w := r.w
	rd := v.Round
	title := fmt.Sprintf("%s — %s", w.RoundSheet, r.roundTitle(v))
	return r.pdf(title+" · "+r.in.Plan.Week, func(d *pdfDoc) {
		d.title(title,
			fmt.Sprintf("%s %s · %s", w.Week, r.in.Plan.Week, r.longDate(rd.Date)),
			r.kv(w.Vehicle, r.vehicleText(v.Vehicle)),
			r.kv(w.Departure, v.Hub.Name+" "+w.At+" "+rd.Depart+addrSuffix(v.Hub.Address)),
			r.kv(w.Return, w.At+" "+rd.Return),
			r.kv(w.Totals, r.roundTotals(v)),
		)
		loadTitle, stopVerb := w.LoadAtHub, w.Unload
		if rd.Kind == planner.RoundCollection {
			loadTitle, stopVerb = w.UnloadAtHub, w.Load
		}
		d.heading(loadTitle)
		d.table(r.packColumns(), r.packRows(v.Load, true))

		d.heading(w.Stops)
		cols := []column{
			{Head: "#", W: 6, Align: "C", Whole: true},
			{Head: w.Stop, W: 40, Align: "L", Lead: true},
			{Head: w.Window, W: 19, Align: "C", Whole: true},
			{Head: w.Times, W: 17, Align: "L", Whole: true},
			{Head: w.Leg, W: 17, Align: "R", Whole: true},
			{Head: stopVerb, W: 32, Align: "L"},
			{Head: w.ColQuantity, W: 18, Align: "R", Whole: true},
			{Head: w.ColPacks, W: 12, Align: "R", Whole: true},
			{Head: w.Done, W: 8, Align: "C", Tick: true},
		}
		legCell := func(l leg) string {
			return strings.Replace(r.legText(l), " · ", "\n", 1)
		}
		rows := []row{{Cells: []string{"0", v.Hub.Name + "\n" + v.Hub.Address, "", w.LeaveShort + " " + rd.Depart}, Shade: true, NoTick: true, Keep: true}}
		for _, s := range v.Stops {
			name := s.Place.Name
			if s.Place.Address != "" {
				name += "\n" + s.Place.Address
			}
			times := fmt.Sprintf("%s %s\n%s %s\n%s %s", w.ArriveShort, s.Arrive, w.StartShort, s.Start, w.LeaveShort, s.Leave)
			first := []string{strconv.Itoa(s.N), name, window(s.Window), times, legCell(s.Leg)}
			// A row of the stop's that starts a page names the stop again.
			cont := []string{strconv.Itoa(s.N), s.Place.Name + " (" + w.Continued + ")"}
			if len(s.Packs) == 0 {
				rows = append(rows, row{Cells: append(first, w.Nothing, "", ""), Shade: true, Keep: true})
			}
			for k, p := range s.Packs {
				cells := []string{"", "", "", "", ""}
				rw := row{Cont: cont}
				if k == 0 {
					cells = first
					rw = row{Shade: true, Keep: true}
				}
				rw.Cells = append(cells, p.Label, r.packQty(p), strconv.Itoa(p.Units))
				rows = append(rows, rw)
			}
		}
		rows = append(rows,
			row{Cells: []string{strconv.Itoa(len(v.Stops) + 1), w.BackTo + " " + v.Hub.Name, "", w.ArriveShort + " " + rd.Return, legCell(v.Back)}, Shade: true, NoTick: true, Keep: true},
			row{Cells: []string{"", w.Total, "", "", r.km(rd.DistanceKm), "", r.kgText(v.TotalKg), strconv.Itoa(v.Packs)}, Strong: true, NoTick: true},
		)
		d.table(cols, rows)
		if rd.Kind == planner.RoundCollection {
			d.para(fmt.Sprintf(w.CrateRule, r.num(r.crateKg)))
		} else {
			d.para(fmt.Sprintf(w.PackRule, r.num(CanteenCrateKg)))
		}
	})
}

// packColumns are the columns of a list of packages to tick.
func (r *renderer) packColumns() []column {
	return []column{
		{Head: r.w.ColProduct, W: 60, Align: "L"},
		{Head: r.w.ColQuantity, W: 20, Align: "R", Whole: true},
		{Head: r.w.ColKg, W: 15, Align: "R", Whole: true},
		{Head: r.w.ColPacks, W: 13, Align: "R", Whole: true},
		{Head: r.w.Done, W: 9, Align: "C", Tick: true},
	}
}

// packRows lists packages, with a total row when asked.
func (r *renderer) packRows(ps []pack, total bool) []row {
	var rows []row
	kg, n := 0.0, 0
	for _, p := range ps {
		rows = append(rows, row{Cells: []string{p.Label, r.packQty(p), r.num(p.Kg), strconv.Itoa(p.Units)}})
		kg += p.Kg
		n += p.Units
	}
	if len(ps) == 0 {
		rows = append(rows, row{Cells: []string{r.w.Nothing}, NoTick: true})
	}
	if total {
		rows = append(rows, row{Cells: []string{r.w.Total, "", r.num(kg), strconv.Itoa(n)}, Strong: true, NoTick: true})
	}
	return rows
}

// linesColumns are the columns of a list of products to tick.
func (r *renderer) linesColumns() []column {
	return []column{
		{Head: r.w.ColProduct, W: 60, Align: "L"},
		{Head: r.w.ColQuantity, W: 20, Align: "R"},
		{Head: r.w.ColKg, W: 15, Align: "R"},
		{Head: r.w.ColCrates, W: 13, Align: "R"},
		{Head: r.w.Done, W: 9, Align: "C", Tick: true},
	}
}

// linesRows lists product lines, with a total row when asked.
func (r *renderer) linesRows(ls []line, total bool) []row {
	var rows []row
	for _, l := range ls {
		rows = append(rows, row{Cells: []string{l.Product.Name, r.qty(l.Quantity, l.Product), r.num(l.Kg), strconv.Itoa(l.Crates)}})
	}
	if len(ls) == 0 {
		rows = append(rows, row{Cells: []string{r.w.Nothing}, NoTick: true})
	}
	if total {
		kg, n := totals(ls)
		rows = append(rows, row{Cells: []string{r.w.Total, "", r.num(kg), strconv.Itoa(n)}, Strong: true, NoTick: true})
	}
	return rows
}
