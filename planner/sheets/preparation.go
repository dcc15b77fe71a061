package sheets

import (
	"fmt"
	"strconv"

	"paniers/planner"
)

// prepView is what one producer harvests and packs for the week.
type prepView struct {
	Producer place
	Products []prepProduct
	TotalKg  float64
	Crates   int
	Pickup   []string // when the van comes, or where to bring the produce
	Unsold   []line
}

// prepProduct is one product to harvest, with how it splits between
// destinations. The producer packs by product (crates for the whole
// quantity); the hub sorts by destination, so destinations have no crates.
type prepProduct struct {
	Line  line
	Dests []prepDest
}

// prepDest is what one order receives of a product.
type prepDest struct {
	Label string
	Site  string
	Order string
	Line  line
}

// PreparationList renders a producer's list: what to harvest and pack, per
// destination, and when the van comes or when to bring the produce to the
// hub. Formats: txt, pdf, csv.
func PreparationList(in Input, producer, format string) (Doc, error) {
	return renderDoc(in, KindPreparationList, producer, format, func(r *renderer) (string, bodies, error) {
		if _, ok := r.ix.producers[producer]; !ok {
			return "", nil, fmt.Errorf("sheets: preparation list: producer %q: %w", producer, ErrNotFound)
		}
		v := r.prepView(producer)
		return slug(producer), bodies{
			FormatText: func() ([]byte, error) { return r.prepText(v), nil },
			FormatPDF:  func() ([]byte, error) { return r.prepPDF(v) },
			FormatCSV:  func() ([]byte, error) { return r.prepCSV(v) },
		}, nil
	})
}

func (r *renderer) prepView(id string) prepView {
	v := prepView{Producer: r.producerPlace(id)}
	type key struct{ product, order string }
	qty := map[key]float64{}
	var products []string
	orders := map[string][]string{}
	for _, a := range r.in.Plan.Allocations {
		if a.Producer != id {
			continue
		}
		k := key{a.Product, a.Order}
		if _, ok := orders[a.Product]; !ok {
			products = append(products, a.Product)
		}
		if _, ok := qty[k]; !ok {
			orders[a.Product] = append(orders[a.Product], a.Order)
		}
		qty[k] += a.Quantity
	}
	for _, p := range products {
		pp := prepProduct{}
		sum := 0.0
		for _, o := range orders[p] {
			q := qty[key{p, o}]
			sum += q
			pp.Dests = append(pp.Dests, prepDest{Label: r.orderLabel(o), Site: r.ix.orders[o].Site, Order: o, Line: r.newLine(p, q)})
		}
		pp.Line = r.newLine(p, sum)
		v.TotalKg += pp.Line.Kg
		v.Crates += pp.Line.Crates
		v.Products = append(v.Products, pp)
	}
	for _, u := range r.in.Plan.Unsold {
		if u.Producer == id {
			l := r.newLine(u.Product, u.Quantity)
			v.Unsold = append(v.Unsold, l)
		}
	}
	v.Pickup = r.pickup(id, len(v.Products) > 0)
	return v
}

// orderLabel says where an order goes: "Relais du centre — 24 × Panier moyen".
func (r *renderer) orderLabel(id string) string {
	o, ok := r.ix.orders[id]
	if !ok {
		return id
	}
	site := r.siteName(o.Site)
	switch o.Class {
	case planner.ClassBasket:
		return fmt.Sprintf("%s — %d × %s", site, o.Count, r.basketName(o.Basket))
	case planner.ClassCanteen:
		return site + " — " + r.w.Classes[planner.ClassCanteen]
	case planner.ClassExtra:
		return site + " — " + r.w.Classes[planner.ClassExtra]
	}
	return site
}

// pickup says when the van comes to a producer, or where and when to bring
// the produce.
func (r *renderer) pickup(id string, sells bool) []string {
	var out []string
	p := r.ix.producers[id]
	for i, rd := range r.in.Plan.Rounds {
		for _, s := range rd.Stops {
			if s.Producer == id {
				out = append(out, r.kv(r.w.VanComes, fmt.Sprintf("%s %s %s (%s %s) · %s · %s %d",
					r.longDate(rd.Date), r.w.Around, s.Start, r.w.Window, window(p.Window), rd.Vehicle, r.w.Round, i+1)))
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	if reason, ok := r.ix.unroutedProds[id]; ok {
		return []string{r.kv(r.w.Unrouted, reason)}
	}
	if !sells {
		return []string{r.w.NothingSold}
	}
	if !p.Collect {
		h := r.hubPlace()
		return []string{r.kv(r.w.BringToHub, fmt.Sprintf("%s%s, %s", h.Name, addrSuffix(h.Address), r.longDate(r.in.Scenario.CollectionDate)))}
	}
	return []string{r.kv(r.w.VanComes, r.w.NotPlanned)}
}

func (r *renderer) prepText(v prepView) []byte {
	var t text
	w := r.w
	t.rule("=")
	t.line("%s · %s %s", upper(w.PreparationList), w.Week, oneLine(r.in.Plan.Week))
	t.line("%s", oneLine(v.Producer.Name))
	if v.Producer.Address != "" {
		t.line("%s", oneLine(v.Producer.Address))
	}
	t.rule("=")
	for _, p := range v.Pickup {
		t.line("%s", oneLine(p))
	}
	t.line("%s", r.kv(w.Totals, r.kgText(v.TotalKg)+" · "+r.cratesText(v.Crates)))
	for _, p := range v.Products {
		t.WriteByte('\n')
		t.line("☐ %s — %s · %s", oneLine(p.Line.Product.Name), r.qty(p.Line.Quantity, p.Line.Product), r.cratesText(p.Line.Crates))
		var rows [][]string
		for _, d := range p.Dests {
			rows = append(rows, []string{"→ " + oneLine(d.Label), r.qty(d.Line.Quantity, d.Line.Product)})
		}
		tableText(&t, "    ", []bool{false, true}, rows)
	}
	if len(v.Unsold) > 0 {
		t.WriteByte('\n')
		t.line("%s", r.label(w.Unsold))
		var rows [][]string
		for _, l := range v.Unsold {
			rows = append(rows, []string{oneLine(l.Product.Name), r.qty(l.Quantity, l.Product)})
		}
		tableText(&t, "  ", []bool{false, true}, rows)
	}
	t.WriteByte('\n')
	t.line("%s", fmt.Sprintf(w.CrateRule, r.num(r.crateKg)))
	return t.Bytes()
}

func (r *renderer) prepPDF(v prepView) ([]byte, error) {
	w := r.w
	title := fmt.Sprintf("%s — %s", w.PreparationList, v.Producer.Name)
	return r.pdf(title+" · "+r.in.Plan.Week, func(d *pdfDoc) {
		lines := []string{fmt.Sprintf("%s %s", w.Week, r.in.Plan.Week)}
		if v.Producer.Address != "" {
			lines = append(lines, v.Producer.Address)
		}
		lines = append(lines, v.Pickup...)
		lines = append(lines, r.kv(w.Totals, r.kgText(v.TotalKg)+" · "+r.cratesText(v.Crates)))
		d.title(title, lines...)
		d.heading(w.ToPrepare)
		var rows []row
		for _, p := range v.Products {
			l := p.Line
			rows = append(rows, row{Cells: []string{l.Product.Name, "", r.qty(l.Quantity, l.Product), r.num(l.Kg), strconv.Itoa(l.Crates)}, Strong: true})
			for _, dst := range p.Dests {
				rows = append(rows, row{Cells: []string{"", dst.Label, r.qty(dst.Line.Quantity, dst.Line.Product), r.num(dst.Line.Kg)}, NoTick: true})
			}
		}
		if len(rows) == 0 {
			rows = append(rows, row{Cells: []string{w.Nothing}, NoTick: true})
		} else {
			rows = append(rows, row{Cells: []string{w.Total, "", "", r.num(v.TotalKg), strconv.Itoa(v.Crates)}, Strong: true, NoTick: true})
		}
		d.table([]column{
			{Head: w.ColProduct, W: 32, Align: "L"}, {Head: w.Destination, W: 52, Align: "L"}, {Head: w.ColQuantity, W: 20, Align: "R"},
			{Head: w.ColKg, W: 15, Align: "R"}, {Head: w.ColCrates, W: 13, Align: "R"}, {Head: w.Done, W: 9, Align: "C", Tick: true},
		}, rows)
		if len(v.Unsold) > 0 {
			d.heading(w.Unsold)
			rows = rows[:0]
			for _, l := range v.Unsold {
				rows = append(rows, row{Cells: []string{l.Product.Name, r.qty(l.Quantity, l.Product)}})
			}
			d.table([]column{{Head: w.ColProduct, W: 60, Align: "L"}, {Head: w.ColQuantity, W: 25, Align: "R"}}, rows)
		}
		d.para(fmt.Sprintf(w.CrateRule, r.num(r.crateKg)))
	})
}

func (r *renderer) prepCSV(v prepView) ([]byte, error) {
	w := r.w
	c := r.newCSV(w.ColSection, w.ColProduct, w.Destination, w.ColSite, w.ColOrder, w.ColQuantity, w.ColUnit, w.ColKg, w.ColCrates, w.ColDone)
	for _, p := range v.Products {
		for _, d := range p.Dests {
			l := d.Line
			c.row(w.SecDestination, cell(l.Product.Name), cell(d.Label), cell(d.Site), cell(d.Order), r.csvNum(l.Quantity), cell(r.unitName(l.Product.Unit, 1)), r.csvNum(l.Kg), "", "")
		}
	}
	for _, p := range v.Products {
		l := p.Line
		c.row(w.SecTotal, cell(l.Product.Name), "", "", "", r.csvNum(l.Quantity), cell(r.unitName(l.Product.Unit, 1)), r.csvNum(l.Kg), strconv.Itoa(l.Crates), "")
	}
	c.row(w.SecTotal, "", "", "", "", "", "", r.csvNum(v.TotalKg), strconv.Itoa(v.Crates), "")
	for _, l := range v.Unsold {
		c.row(w.SecUnsold, cell(l.Product.Name), "", "", "", r.csvNum(l.Quantity), cell(r.unitName(l.Product.Unit, 1)), r.csvNum(l.Kg), "", "")
	}
	return c.bytes()
}
