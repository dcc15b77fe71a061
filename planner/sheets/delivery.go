package sheets

import (
	"fmt"
	"math"
	"strings"

	"paniers/planner"
)

// noteView is a canteen's delivery note.
type noteView struct {
	Site       place
	Lines      []noteLine
	Total      int64 // cents
	Organic    int64 // cents
	Unpriced   bool  // some line has no offer price
	Shortfalls []string
	Visit      string
}

// noteLine is one product from one producer, priced at the producer's offer.
type noteLine struct {
	Line     line
	Producer string
	Price    int64 // cents per unit
	Priced   bool
	Amount   int64 // cents, rounded to the cent
}

// share is the organic share of the value, NaN when nothing has a value.
func (v noteView) share() float64 {
	if v.Total <= 0 {
		return math.NaN()
	}
	return float64(v.Organic) / float64(v.Total)
}

// DeliveryNote renders a canteen's delivery note: products, quantities,
// producers, unit prices and amounts, the total, the organic share by value,
// and what is missing and why. Formats: txt, pdf, csv.
func DeliveryNote(in Input, canteen, format string) (Doc, error) {
	return renderDoc(in, KindDeliveryNote, canteen, format, func(r *renderer) (string, bodies, error) {
		if s, ok := r.ix.sites[canteen]; !ok || s.Kind != planner.KindCanteen {
			return "", nil, fmt.Errorf("sheets: delivery note: canteen %q: %w", canteen, ErrNotFound)
		}
		v := r.noteView(canteen)
		return slug(canteen), bodies{
			FormatText: func() ([]byte, error) { return r.noteText(v), nil },
			FormatPDF:  func() ([]byte, error) { return r.notePDF(v) },
			FormatCSV:  func() ([]byte, error) { return r.noteCSV(v) },
		}, nil
	})
}

func (r *renderer) noteView(site string) noteView {
	v := noteView{Site: r.sitePlace(site), Visit: r.deliveryVisit(site)}
	mine := map[string]bool{}
	for _, o := range r.in.Scenario.Orders {
		if o.Site == site {
			mine[o.ID] = true
		}
	}
	type key struct{ product, producer string }
	qty := map[key]float64{}
	var keys []key
	for _, a := range r.in.Plan.Allocations {
		if !mine[a.Order] {
			continue
		}
		k := key{a.Product, a.Producer}
		if _, ok := qty[k]; !ok {
			keys = append(keys, k)
		}
		qty[k] += a.Quantity
	}
	for _, k := range keys {
		l := r.newLine(k.product, qty[k])
		pk := [2]string{k.producer, k.product}
		nl := noteLine{Line: l, Producer: k.producer, Price: r.ix.prices[pk], Priced: r.ix.hasPrice[pk]}
		nl.Amount = int64(math.Round(l.Quantity * float64(nl.Price)))
		if !nl.Priced {
			v.Unpriced = true
		}
		v.Total += nl.Amount
		if l.Product.Organic {
			v.Organic += nl.Amount
		}
		v.Lines = append(v.Lines, nl)
	}
	v.Shortfalls = r.shortfalls(mine)
	return v
}

// unitPrice prints "1,90 € / kg", "—" without an offer price.
func (r *renderer) unitPrice(nl noteLine) string {
	if !nl.Priced {
		return "—"
	}
	u := r.unitName(nl.Line.Product.Unit, 1)
	if u == "" {
		return r.money(nl.Price)
	}
	return r.money(nl.Price) + " / " + u
}

func (r *renderer) organicText(v noteView) string {
	s := v.share()
	if math.IsNaN(s) {
		return r.kv(r.w.OrganicShare, "—")
	}
	return r.kv(r.w.OrganicShare, fmt.Sprintf("%s (%s / %s)", r.percent(s), r.money(v.Organic), r.money(v.Total)))
}

func (r *renderer) organicMark(p planner.Product) string {
	if p.Organic {
		return r.w.OrganicMark
	}
	return ""
}

func (r *renderer) noteText(v noteView) []byte {
	var t text
	w := r.w
	t.rule("=")
	t.line("%s · %s %s", upper(w.DeliveryNote), w.Week, oneLine(r.in.Plan.Week))
	t.line("%s", oneLine(v.Site.Name))
	if v.Site.Address != "" {
		t.line("%s", oneLine(v.Site.Address))
	}
	t.line("%s", oneLine(v.Visit))
	t.line("%s", oneLine(r.noteNumber(v)))
	t.rule("=")
	rows := [][]string{{w.ColProduct, w.Producer, w.ColQuantity, w.UnitPrice, w.Amount, w.Organic}}
	for _, nl := range v.Lines {
		rows = append(rows, []string{oneLine(nl.Line.Product.Name), oneLine(r.producerName(nl.Producer)), r.qty(nl.Line.Quantity, nl.Line.Product),
			r.unitPrice(nl), r.money(nl.Amount), r.organicMark(nl.Line.Product)})
	}
	tableText(&t, "", []bool{false, false, true, true, true, false}, rows)
	if len(v.Lines) == 0 {
		t.line("%s", w.Nothing)
	}
	t.rule("-")
	t.line("%s", r.kv(w.Total, r.money(v.Total)))
	t.line("%s", r.organicText(v))
	if v.Unpriced {
		t.line("%s", w.Unpriced)
	}
	if len(v.Shortfalls) > 0 {
		t.WriteByte('\n')
		t.line("%s", r.label(w.Shortfalls))
		for _, s := range v.Shortfalls {
			t.line("  - %s", oneLine(s))
		}
	}
	t.WriteByte('\n')
	t.line("%s   %s", r.kv(w.ReceivedBy, "____________________"), r.kv(w.Signature, "____________________"))
	return t.Bytes()
}

func (r *renderer) notePDF(v noteView) ([]byte, error) {
	w := r.w
	title := fmt.Sprintf("%s — %s", w.DeliveryNote, v.Site.Name)
	return r.pdf(title+" · "+r.in.Plan.Week, func(d *pdfDoc) {
		lines := []string{fmt.Sprintf("%s %s", w.Week, r.in.Plan.Week)}
		if v.Site.Address != "" {
			lines = append(lines, v.Site.Address)
		}
		d.title(title, append(lines, v.Visit, r.noteNumber(v))...)
		var rows []row
		for _, nl := range v.Lines {
			rows = append(rows, row{Cells: []string{nl.Line.Product.Name, r.producerName(nl.Producer), r.qty(nl.Line.Quantity, nl.Line.Product),
				r.unitPrice(nl), r.money(nl.Amount), r.organicMark(nl.Line.Product)}})
		}
		if len(rows) == 0 {
			rows = append(rows, row{Cells: []string{w.Nothing}})
		}
		rows = append(rows, row{Cells: []string{w.Total, "", "", "", r.money(v.Total), ""}, Strong: true})
		d.table([]column{
			{Head: w.ColProduct, W: 34, Align: "L"}, {Head: w.Producer, W: 34, Align: "L"}, {Head: w.ColQuantity, W: 18, Align: "R"},
			{Head: w.UnitPrice, W: 20, Align: "R"}, {Head: w.Amount, W: 18, Align: "R"}, {Head: w.Organic, W: 8, Align: "C"},
		}, rows)
		d.para(r.organicText(v))
		if v.Unpriced {
			d.para(w.Unpriced)
		}
		if len(v.Shortfalls) > 0 {
			d.heading(w.Shortfalls)
			for _, s := range v.Shortfalls {
				d.para("• " + s)
			}
		}
		d.f.Ln(6)
		d.para(r.kv(w.ReceivedBy, "____________________") + "     " + r.kv(w.Signature, "____________________"))
	})
}

func (r *renderer) noteCSV(v noteView) ([]byte, error) {
	w := r.w
	c := r.newCSV(w.ColSection, w.ColProduct, w.Producer, w.Organic, w.ColQuantity, w.ColUnit, w.ColUnitPrice, w.ColAmount, w.ColNote)
	for _, nl := range v.Lines {
		price := ""
		if nl.Priced {
			price = r.csvMoney(nl.Price)
		}
		c.row(w.SecLine, cell(nl.Line.Product.Name), cell(r.producerName(nl.Producer)), r.organicMark(nl.Line.Product), r.csvNum(nl.Line.Quantity),
			cell(r.unitName(nl.Line.Product.Unit, 1)), price, r.csvMoney(nl.Amount), "")
	}
	c.row(w.SecTotal, "", "", "", "", "", "", r.csvMoney(v.Total), "")
	c.row(w.SecTotal, "", "", w.OrganicMark, "", "", "", r.csvMoney(v.Organic), "")
	share := ""
	if s := v.share(); !math.IsNaN(s) {
		share = r.csvNum(math.Round(s*1000) / 10)
	}
	c.row(w.SecOrganicShare, "", "", "", "", "", "", share, "")
	for _, s := range r.in.Plan.Shortfalls {
		if o, ok := r.ix.orders[s.Order]; !ok || o.Site != v.Site.ID {
			continue
		}
		p := r.product(s.Product)
		name := p.Name
		if s.Basket != "" {
			name = r.basketName(s.Basket) + " / " + r.category(s.Category)
		}
		missing := deref(s.Ordered) - deref(s.Allocated)
		if s.Basket != "" {
			missing = deref(s.OrderedKg) - deref(s.AllocatedKg)
		}
		c.row(w.SecShortfall, cell(name), "", "", r.csvNum(missing), cell(r.unitName(p.Unit, 1)), "", "", cell(s.Reason))
	}
	return c.bytes()
}

// kv is "label : value" in French typography, "label: value" in English.
func (r *renderer) kv(label, value string) string {
	return label + r.w.Colon + value
}

func upper(s string) string { return strings.ToUpper(s) }

// label is "label :" before a list.
func (r *renderer) label(s string) string {
	return s + strings.TrimRight(r.w.Colon, " ")
}

// noteNumber names the note for the canteen's accounts: week and canteen id
// identify it, as there is one note per canteen and week.
func (r *renderer) noteNumber(v noteView) string {
	return r.kv(r.w.NoteNumber, r.in.Plan.Week+"-"+v.Site.ID)
}

// DeliveryTotals returns the totals of a canteen's delivery note: its value
// and the value of its organic products, in cents, as the note prints them
// (the pages show the organic share beside the note). ErrNotFound when the
// site is not a canteen of the scenario.
func DeliveryTotals(in Input, canteen string) (total, organic int64, err error) {
	lines, err := DeliveryLines(in, canteen)
	for _, l := range lines {
		total += l.AmountCents
		if l.Product.Organic {
			organic += l.AmountCents
		}
	}
	return total, organic, err
}
