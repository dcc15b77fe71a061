package sheets

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"paniers/planner"
)

// pickupView is a relay point's week: who picks up what, what a basket
// holds, and how the households' total compares with what was ordered and
// what the plan delivers.
type pickupView struct {
	Site       place
	Households []Household
	Types      []string // basket types, in the scenario's order
	Baskets    []pickTotal
	Extras     []pickTotal
	// UnBaskets and UnExtras are what the relay point ordered beyond its
	// households' lines, for the relay point as a whole (to hand out).
	UnBaskets []basketCount
	UnExtras  []planner.ProductQuantity
	// Bags is how many extras bags the hub packs for the relay point: one
	// per household with extras, one more for the unassigned extras.
	Bags       int
	Shortfalls []string
	Visit      string // when the delivery comes, or why it does not
}

// pickTotal is one line of totals: baskets of a type, or an extra product.
type pickTotal struct {
	ID         string
	Name       string
	Product    planner.Product // extras only
	Households float64         // on the households' rows
	Unassigned float64         // on the rows to hand out
	Ordered    float64
	Delivered  float64
}

// listed is what the list's rows add up to.
func (t pickTotal) listed() float64 { return t.Households + t.Unassigned }

// PickupList renders the list a relay point's manager hands out from: each
// household with its basket and extras and room to sign, what a basket holds,
// and totals per basket type and extra product. Formats: pdf, csv.
func PickupList(in Input, site, format string) (Doc, error) {
	return renderDoc(in, KindPickupList, site, format, func(r *renderer) (string, bodies, error) {
		if s, ok := r.ix.sites[site]; !ok || s.Kind != planner.KindRelay {
			return "", nil, fmt.Errorf("sheets: pickup list: relay point %q: %w", site, ErrNotFound)
		}
		v := r.pickupView(site)
		return slug(site), bodies{
			FormatPDF: func() ([]byte, error) { return r.pickupPDF(v) },
			FormatCSV: func() ([]byte, error) { return r.pickupCSV(v) },
		}, nil
	})
}

func (r *renderer) pickupView(site string) pickupView {
	v := pickupView{Site: r.sitePlace(site)}
	v.Households = slices.Clone(r.in.Households[site])
	slices.SortStableFunc(v.Households, func(a, b Household) int {
		return strings.Compare(sortKey(a.Name), sortKey(b.Name))
	})
	_, unrouted := r.ix.unroutedSites[site]
	baskets := map[string]*pickTotal{}
	extras := map[string]*pickTotal{}
	var basketOrder, extraOrder []string
	basket := func(id string) *pickTotal {
		if t, ok := baskets[id]; ok {
			return t
		}
		baskets[id] = &pickTotal{ID: id, Name: r.basketName(id)}
		basketOrder = append(basketOrder, id)
		return baskets[id]
	}
	extra := func(id string) *pickTotal {
		if t, ok := extras[id]; ok {
			return t
		}
		p := r.product(id)
		extras[id] = &pickTotal{ID: id, Name: p.Name, Product: p}
		extraOrder = append(extraOrder, id)
		return extras[id]
	}
	for _, h := range v.Households {
		if h.Basket != "" {
			basket(h.Basket).Households += float64(h.Count)
		}
		for _, e := range h.Extras {
			extra(e.Product).Households += e.Quantity
		}
	}
	mine := map[string]bool{}
	for _, o := range r.in.Scenario.Orders {
		if o.Site != site {
			continue
		}
		mine[o.ID] = true
		switch o.Class {
		case planner.ClassBasket:
			t := basket(o.Basket)
			t.Ordered += float64(o.Count)
			if !unrouted {
				t.Delivered += float64(o.Count)
			}
		case planner.ClassExtra:
			extra(o.Product).Ordered += o.Quantity
		}
	}
	for _, a := range r.in.Plan.Allocations {
		if o, ok := r.ix.orders[a.Order]; ok && mine[a.Order] && o.Class == planner.ClassExtra {
			extra(a.Product).Delivered += a.Quantity
		}
	}
	// Basket types in the scenario's order, then any unknown to it.
	for _, bt := range r.in.Scenario.BasketTypes {
		if t, ok := baskets[bt.ID]; ok {
			v.Types = append(v.Types, bt.ID)
			v.Baskets = append(v.Baskets, *t)
		}
	}
	for _, id := range basketOrder {
		if _, ok := r.ix.basketTypes[id]; !ok {
			v.Types = append(v.Types, id)
			v.Baskets = append(v.Baskets, *baskets[id])
		}
	}
	for _, id := range extraOrder {
		v.Extras = append(v.Extras, *extras[id])
	}
	// What the relay point ordered beyond its households' lines is its own,
	// to hand out; the list's totals are then the sums of its rows.
	for i := range v.Baskets {
		if un := v.Baskets[i].Ordered - v.Baskets[i].Households; un > 0.5 {
			v.Baskets[i].Unassigned = math.Round(un)
			v.UnBaskets = append(v.UnBaskets, basketCount{v.Baskets[i].ID, int(math.Round(un))})
		}
	}
	for i := range v.Extras {
		if un := v.Extras[i].Ordered - v.Extras[i].Households; un > 1e-9 {
			v.UnExtras = append(v.UnExtras, planner.ProductQuantity{Product: v.Extras[i].ID, Quantity: un})
			v.Extras[i].Unassigned = un
		}
	}
	for _, h := range v.Households {
		if len(h.Extras) > 0 {
			v.Bags++
		}
	}
	if len(v.UnExtras) > 0 {
		v.Bags++
	}
	v.Shortfalls = r.shortfalls(mine)
	v.Visit = r.deliveryVisit(site)
	return v
}

// deliveryVisit says when the delivery round reaches a site, or why none does.
func (r *renderer) deliveryVisit(site string) string {
	if reason, ok := r.ix.unroutedSites[site]; ok {
		return r.kv(r.w.Unrouted, reason)
	}
	var visits []string
	for _, rd := range r.in.Plan.Rounds {
		for _, s := range rd.Stops {
			if s.Site == site {
				visits = append(visits, fmt.Sprintf("%s %s %s (%s)", r.longDate(rd.Date), r.w.Around, s.Start, rd.Vehicle))
			}
		}
	}
	if len(visits) == 0 {
		return r.kv(r.w.DeliveryWord, r.w.NoDelivery)
	}
	return r.kv(r.w.DeliveryWord, strings.Join(visits, " ; "))
}

// shortfalls describes the shortfalls of some orders, one line each.
func (r *renderer) shortfalls(orders map[string]bool) []string {
	var out []string
	for _, sf := range r.in.Plan.Shortfalls {
		if !orders[sf.Order] {
			continue
		}
		var s string
		if sf.Basket != "" {
			s = r.kv(r.basketName(sf.Basket)+", "+r.category(sf.Category), fmt.Sprintf("%s %s, %s %s",
				r.w.OrderedWord, r.kgText(deref(sf.OrderedKg)), r.w.AllocatedWord, r.kgText(deref(sf.AllocatedKg))))
		} else {
			p := r.product(sf.Product)
			s = r.kv(p.Name, fmt.Sprintf("%s %s, %s %s", r.w.OrderedWord, r.qty(deref(sf.Ordered), p), r.w.AllocatedWord, r.qty(deref(sf.Allocated), p)))
		}
		if sf.Reason != "" {
			s += " — " + sf.Reason
		}
		out = append(out, s)
	}
	return out
}

func deref(x *float64) float64 {
	if x == nil {
		return 0
	}
	return *x
}

// category names a product category in the language.
func (r *renderer) category(c string) string {
	if n, ok := r.w.Categories[c]; ok {
		return n
	}
	return c
}

// sortKey orders names as a reader expects: case and accents do not count.
func sortKey(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if f, ok := fold[c]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// worth is one basket's value against its price ("14,80 € / 15,00 €"), its
// value alone when the type has no price, "" when the plan gives neither.
func (r *renderer) worth(basket string) string {
	vp := r.ix.basketWorth[basket]
	switch {
	case vp[1] > 0:
		return r.money(vp[0]) + " / " + r.money(vp[1])
	case vp[0] > 0:
		return r.money(vp[0])
	}
	return ""
}

// basketsWord is "24 paniers".
func (r *renderer) basketsWord(n float64) string {
	if n == 1 || (r.lang == "fr" && n < 2) {
		return r.num(n) + " " + r.w.BasketOne
	}
	return r.num(n) + " " + r.w.BasketMany
}

// extrasText lists a household's extras, one product each, on lines.
func (r *renderer) extrasText(es []planner.ProductQuantity, sep string) string {
	var set lineSet
	for _, e := range es {
		set.add(e.Product, e.Quantity)
	}
	var parts []string
	for _, l := range r.lines(set) {
		parts = append(parts, l.Product.Name+" "+r.qty(l.Quantity, l.Product))
	}
	return strings.Join(parts, sep)
}

func (r *renderer) pickupPDF(v pickupView) ([]byte, error) {
	w := r.w
	title := fmt.Sprintf("%s — %s", w.PickupList, v.Site.Name)
	return r.pdf(title+" · "+r.in.Plan.Week, func(d *pdfDoc) {
		lines := []string{fmt.Sprintf("%s %s · %s", w.Week, r.in.Plan.Week, r.longDate(r.in.Scenario.DeliveryDate))}
		if v.Site.Address != "" {
			lines = append(lines, v.Site.Address)
		}
		d.title(title, append(lines, v.Visit)...)

		d.heading(w.BasketContents)
		var rows []row
		for _, t := range v.Types {
			cs := r.ix.baskets[t]
			if len(cs) == 0 {
				rows = append(rows, row{Cells: []string{r.basketName(t), w.NotPlanned}, Shade: true})
			}
			for k, c := range cs {
				p := r.product(c.Product)
				name := ""
				if k == 0 {
					name = r.basketName(t)
				}
				rows = append(rows, row{Cells: []string{name, p.Name, r.qty(c.Quantity, p)}, Shade: k == 0})
			}
			if line := r.worth(t); line != "" && len(cs) > 0 {
				rows = append(rows, row{Cells: []string{"", w.ValuePrice, line}})
			}
		}
		if len(rows) == 0 {
			rows = append(rows, row{Cells: []string{w.Nothing}})
		}
		d.table([]column{{Head: w.BasketType, W: 35, Align: "L"}, {Head: w.ColProduct, W: 45, Align: "L"}, {Head: w.PerBasket, W: 20, Align: "R"}}, rows)

		d.heading(fmt.Sprintf("%s (%d)", w.Households, len(v.Households)))
		hhCols := []column{
			{Head: w.Household, W: 40, Align: "L"}, {Head: w.BasketType, W: 25, Align: "L"}, {Head: w.BasketCount, W: 12, Align: "R", Whole: true},
			{Head: w.Extras, W: 40, Align: "L"}, {Head: w.Signature, W: 28, Align: "L"},
		}
		rows = rows[:0]
		for _, h := range v.Households {
			b, n := "", ""
			if h.Basket != "" {
				b, n = r.basketName(h.Basket), strconv.Itoa(h.Count)
			}
			rows = append(rows, row{Cells: []string{h.Name, b, n, r.extrasText(h.Extras, "\n")}, MinH: 9})
		}
		if len(rows) == 0 {
			rows = append(rows, row{Cells: []string{w.NoHouseholds}})
		}
		d.table(hhCols, rows)

		if len(v.UnBaskets) > 0 || len(v.UnExtras) > 0 {
			d.heading(w.Unassigned)
			rows = rows[:0]
			for _, b := range v.UnBaskets {
				rows = append(rows, row{Cells: []string{w.RelayWhole, r.basketName(b.Type), strconv.Itoa(b.Count)}, MinH: 9})
			}
			if len(v.UnExtras) > 0 {
				rows = append(rows, row{Cells: []string{w.RelayWhole, "", "", r.extrasText(v.UnExtras, "\n")}, MinH: 9})
			}
			d.table(hhCols, rows)
		}

		d.heading(w.Totals)
		rows = rows[:0]
		for _, t := range v.Baskets {
			rows = append(rows, row{Cells: []string{t.Name, r.basketsWord(t.listed()), r.basketsWord(t.Ordered), r.basketsWord(t.Delivered)}})
		}
		for _, t := range v.Extras {
			rows = append(rows, row{Cells: []string{t.Name, r.qty(t.listed(), t.Product), r.qty(t.Ordered, t.Product), r.qty(t.Delivered, t.Product)}})
		}
		if len(rows) == 0 {
			rows = append(rows, row{Cells: []string{w.Nothing}})
		}
		d.table([]column{{Head: w.Item, W: 40, Align: "L"}, {Head: w.ListedCol, W: 20, Align: "R", Whole: true}, {Head: w.OrderedCol, W: 20, Align: "R", Whole: true}, {Head: w.DeliveredCol, W: 20, Align: "R", Whole: true}}, rows)
		d.para(w.PickupKey)

		if len(v.Shortfalls) > 0 {
			d.heading(w.Shortfalls)
			for _, s := range v.Shortfalls {
				d.para("• " + s)
			}
		}
	})
}

func (r *renderer) pickupCSV(v pickupView) ([]byte, error) {
	w := r.w
	c := r.newCSV(w.ColSection, w.Household, w.BasketType, w.ColProduct, w.ColQuantity, w.ColUnit, w.OrderedCol, w.DeliveredCol, w.Signature)
	for _, h := range v.Households {
		wrote := false
		if h.Basket != "" {
			c.row(w.SecHousehold, cell(h.Name), cell(r.basketName(h.Basket)), "", strconv.Itoa(h.Count), w.BasketOne, "", "", "")
			wrote = true
		}
		for _, e := range h.Extras {
			p := r.product(e.Product)
			c.row(w.SecHousehold, cell(h.Name), "", cell(p.Name), r.csvNum(e.Quantity), cell(r.unitName(p.Unit, 1)), "", "", "")
			wrote = true
		}
		if !wrote {
			c.row(w.SecHousehold, cell(h.Name), "", "", "", "", "", "", "")
		}
	}
	for _, b := range v.UnBaskets {
		c.row(w.SecUnassigned, "", cell(r.basketName(b.Type)), "", strconv.Itoa(b.Count), w.BasketOne, "", "", "")
	}
	for _, e := range v.UnExtras {
		p := r.product(e.Product)
		c.row(w.SecUnassigned, "", "", cell(p.Name), r.csvNum(e.Quantity), cell(r.unitName(p.Unit, 1)), "", "", "")
	}
	for _, t := range v.Types {
		for _, ct := range r.ix.baskets[t] {
			p := r.product(ct.Product)
			c.row(w.SecContents, "", cell(r.basketName(t)), cell(p.Name), r.csvNum(ct.Quantity), cell(r.unitName(p.Unit, 1)), "", "", "")
		}
	}
	for _, t := range v.Baskets {
		c.row(w.SecTotal, "", cell(t.Name), "", r.csvNum(t.listed()), w.BasketOne, r.csvNum(t.Ordered), r.csvNum(t.Delivered), "")
	}
	for _, t := range v.Extras {
		c.row(w.SecTotal, "", "", cell(t.Name), r.csvNum(t.listed()), cell(r.unitName(t.Product.Unit, 1)), r.csvNum(t.Ordered), r.csvNum(t.Delivered), "")
	}
	return c.bytes()
}
