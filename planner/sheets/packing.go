package sheets

import (
	"fmt"
	"strconv"
	"strings"

	"paniers/planner"
)

// packingView is what the hub packs after the collection round, stop by
// stop in delivery-round order, and what it sets aside per product.
type packingView struct {
	Stops    []packingStop
	Totals   []line // per product, what the delivery rounds carry
	TotalKg  float64
	Units    int
	Unrouted []string // sites with orders that no round serves
}

// packingStop is one delivery stop's packages.
type packingStop struct {
	Title     string // "Tournée 3/3 · camion-1 · arrêt 4"
	Site      place
	Baskets   []packedBaskets
	Bags      []Household // a household's extras, or the relay point's own (no name)
	Crates    []pack
	Units     int
	Kg        float64
	Shortfall []string
}

// packedBaskets is a number of baskets of one type and what one holds.
type packedBaskets struct {
	Type     string
	Count    int
	Kg       float64
	Contents []line // per basket
}

// PackingList renders the hub's packing list (id PackingFor): per delivery
// stop, in the order of the delivery rounds, the baskets of each type with
// what one holds, the extras bag of each household (and the relay point's
// own extras, to hand out), the crates of each canteen; then what to set
// aside per product. Formats: pdf, csv.
func PackingList(in Input, id, format string) (Doc, error) {
	return renderDoc(in, KindPackingList, id, format, func(r *renderer) (string, bodies, error) {
		if id != PackingFor {
			return "", nil, fmt.Errorf("sheets: packing list %q: %w (the week has one, %q)", id, ErrNotFound, PackingFor)
		}
		v := r.packingView()
		return PackingFor, bodies{
			FormatPDF: func() ([]byte, error) { return r.packingPDF(v) },
			FormatCSV: func() ([]byte, error) { return r.packingCSV(v) },
		}, nil
	})
}

// hasDeliveries says whether a delivery round of the plan delivers
// something: the week then has a packing list.
func (r *renderer) hasDeliveries() bool {
	for _, rd := range r.in.Plan.Rounds {
		for _, s := range rd.Stops {
			if len(s.Deliver) > 0 {
				return true
			}
		}
	}
	return false
}

func (r *renderer) packingView() packingView {
	var v packingView
	var all lineSet
	served := map[string]bool{}
	for i, rd := range r.in.Plan.Rounds {
		for k, s := range rd.Stops {
			if s.Site == "" || len(s.Deliver) == 0 {
				continue
			}
			served[s.Site] = true
			for _, d := range s.Deliver {
				all.add(d.Product, d.Quantity)
			}
			ps := packingStop{
				Title: fmt.Sprintf("%s %d/%d · %s · %s %d", r.w.Round, i+1, len(r.in.Plan.Rounds), rd.Vehicle, r.w.Stop2, k+1),
				Site:  r.sitePlace(s.Site),
			}
			packs, _ := r.deliveryPacks(s)
			for _, p := range packs {
				ps.Units += p.Units
				ps.Kg += p.Kg
				switch p.Kind {
				case packBasket:
					typ := strings.TrimPrefix(p.Key, "b:")
					var cs []line
					for _, c := range r.ix.baskets[typ] {
						cs = append(cs, r.newLine(c.Product, c.Quantity))
					}
					ps.Baskets = append(ps.Baskets, packedBaskets{Type: typ, Count: p.Units, Kg: p.Kg, Contents: cs})
				case packBag:
					pv := r.pickupView(s.Site)
					for _, h := range pv.Households {
						if len(h.Extras) > 0 {
							ps.Bags = append(ps.Bags, h)
						}
					}
					if len(pv.UnExtras) > 0 {
						ps.Bags = append(ps.Bags, Household{Extras: pv.UnExtras})
					}
					if len(ps.Bags) == 0 {
						// No household lists the extras: one bag for the relay point.
						var ex []planner.ProductQuantity
						for _, d := range s.Deliver {
							if r.ix.orders[d.Order].Class == planner.ClassExtra {
								ex = append(ex, planner.ProductQuantity{Product: d.Product, Quantity: d.Quantity})
							}
						}
						ps.Bags = append(ps.Bags, Household{Extras: ex})
					}
					ps.Shortfall = pv.Shortfalls
				default:
					ps.Crates = append(ps.Crates, p)
				}
			}
			v.Units += ps.Units
			v.Stops = append(v.Stops, ps)
		}
	}
	v.Totals = r.lines(all)
	v.TotalKg, _ = totals(v.Totals)
	for _, s := range r.in.Scenario.Sites {
		if r.ix.siteHasOrders[s.ID] && !served[s.ID] {
			name := r.siteName(s.ID)
			if reason, ok := r.ix.unroutedSites[s.ID]; ok {
				name += " — " + reason
			}
			v.Unrouted = append(v.Unrouted, name)
		}
	}
	return v
}

// bagName names an extras bag: the household, or the relay point's own.
func (r *renderer) bagName(h Household) string {
	if h.Name == "" {
		return r.w.RelayWhole
	}
	return h.Name
}

func (r *renderer) packingPDF(v packingView) ([]byte, error) {
	w := r.w
	title := fmt.Sprintf("%s — %s %s", w.PackingList, w.Week, r.in.Plan.Week)
	return r.pdf(title, func(d *pdfDoc) {
		d.title(title, r.longDate(r.in.Scenario.DeliveryDate),
			r.kv(w.Totals, r.kgText(v.TotalKg)+" · "+r.counted(v.Units, w.PackOne, w.PackMany)), w.PackingIntro)
		cols := []column{
			{Head: w.Item, W: 48, Align: "L"},
			{Head: w.BasketContents + " / " + w.Extras, W: 62, Align: "L"},
			{Head: w.ColQuantity, W: 24, Align: "R", Whole: true},
			{Head: w.ColPacks, W: 12, Align: "R", Whole: true},
			{Head: w.Done, W: 9, Align: "C", Tick: true},
		}
		for _, s := range v.Stops {
			d.heading(s.Title + " — " + s.Site.Name)
			var rows []row
			for _, b := range s.Baskets {
				var cs []string
				for _, c := range b.Contents {
					cs = append(cs, c.Product.Name+" "+r.qty(c.Quantity, c.Product))
				}
				if len(cs) == 0 {
					cs = append(cs, w.NotPlanned)
				}
				rows = append(rows, row{Cells: []string{r.basketName(b.Type), strings.Join(cs, "\n"), r.basketsWord(float64(b.Count)), strconv.Itoa(b.Count)}, Shade: true, Keep: true})
			}
			for _, h := range s.Bags {
				rows = append(rows, row{Cells: []string{capFirst(w.BagOne) + " — " + r.bagName(h), r.extrasText(h.Extras, "\n"), r.counted(1, w.BagOne, w.BagMany), "1"}, Keep: true})
			}
			for _, c := range s.Crates {
				rows = append(rows, row{Cells: []string{c.Label, r.kgText(c.Kg), r.qty(c.Quantity, c.Product), strconv.Itoa(c.Units)}, Keep: true})
			}
			rows = append(rows, row{Cells: []string{w.Total, "", r.kgText(s.Kg), strconv.Itoa(s.Units)}, Strong: true, NoTick: true})
			d.table(cols, rows)
			for _, sf := range s.Shortfall {
				d.para("• " + sf)
			}
		}
		if len(v.Stops) == 0 {
			d.para(w.Nothing)
		}
		d.heading(w.SetAside)
		var rows []row
		for _, l := range v.Totals {
			rows = append(rows, row{Cells: []string{l.Product.Name, r.qty(l.Quantity, l.Product), r.num(l.Kg)}})
		}
		rows = append(rows, row{Cells: []string{w.Total, "", r.num(v.TotalKg)}, Strong: true, NoTick: true})
		d.table([]column{
			{Head: w.ColProduct, W: 70, Align: "L"}, {Head: w.ColQuantity, W: 25, Align: "R", Whole: true},
			{Head: w.ColKg, W: 18, Align: "R", Whole: true}, {Head: w.Done, W: 9, Align: "C", Tick: true},
		}, rows)
		if len(v.Unrouted) > 0 {
			d.heading(w.UnroutedSites)
			for _, u := range v.Unrouted {
				d.para("• " + u)
			}
		}
		d.para(fmt.Sprintf(w.PackRule, r.num(CanteenCrateKg)))
	})
}

// packingCSV has a row per basket type (section panier) followed by what
// one basket holds (contenu), a row per product of each extras bag
// (supplement, the bag counted on its first row), a row per canteen crate
// line (caisse), then the totals per product (total).
func (r *renderer) packingCSV(v packingView) ([]byte, error) {
	w := r.w
	c := r.newCSV(w.ColSection, w.ColStop, w.ColID, w.ColSite, w.Household, w.BasketType, w.ColProduct, w.ColQuantity, w.ColUnit, w.ColKg, w.ColPacks)
	for _, s := range v.Stops {
		head := []string{cell(s.Title), cell(s.Site.ID), cell(s.Site.Name)}
		row := func(section string, cells ...string) {
			c.row(append(append([]string{section}, head...), cells...)...)
		}
		for _, b := range s.Baskets {
			row(w.SecBasket, "", cell(r.basketName(b.Type)), "", strconv.Itoa(b.Count), w.BasketOne, r.csvNum(b.Kg), strconv.Itoa(b.Count))
			for _, l := range b.Contents {
				row(w.SecContents, "", cell(r.basketName(b.Type)), cell(l.Product.Name), r.csvNum(l.Quantity), cell(r.unitName(l.Product.Unit, 1)), r.csvNum(l.Kg), "")
			}
		}
		for _, h := range s.Bags {
			for k, e := range h.Extras {
				l := r.newLine(e.Product, e.Quantity)
				n := ""
				if k == 0 {
					n = "1"
				}
				row(w.SecExtra, cell(r.bagName(h)), "", cell(l.Product.Name), r.csvNum(l.Quantity), cell(r.unitName(l.Product.Unit, 1)), r.csvNum(l.Kg), n)
			}
		}
		for _, p := range s.Crates {
			row(w.SecCrate, "", "", cell(p.Label), r.csvNum(p.Quantity), cell(r.unitName(p.Product.Unit, 1)), r.csvNum(p.Kg), strconv.Itoa(p.Units))
		}
	}
	for _, l := range v.Totals {
		c.row(w.SecTotal, "", "", "", "", "", cell(l.Product.Name), r.csvNum(l.Quantity), cell(r.unitName(l.Product.Unit, 1)), r.csvNum(l.Kg), "")
	}
	c.row(w.SecTotal, "", "", "", "", "", "", "", "", r.csvNum(v.TotalKg), strconv.Itoa(v.Units))
	return c.bytes()
}
