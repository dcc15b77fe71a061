package egalim

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
)

// Canteen is the canteen a report is for.
type Canteen struct {
	ID, Name string
	Siret    string // empty when not set: the purchase file cannot be made
}

// Line is one delivered product line of a canteen: one product from one
// producer on one delivery date, valued as on the delivery note (excluding
// VAT, rounded to the cent).
type Line struct {
	Week        string // ISO week of the delivery
	Date        string // delivery date, YYYY-MM-DD
	Product     string // product id
	Description string // product name
	Supplier    string // producer's name
	Producer    string // producer id
	Quantity    float64
	Unit        string
	AmountCents int64
	Priced      bool     // false when the note had no offer price for it (amount 0)
	Labels      []string // in Labels' order; BIO when organic at planning time
	Family      string
	DistanceKm  float64 // producer to hub, straight line
	Local       bool    // DistanceKm <= the report's LocalKm
}

// Week is one published week's delivery to the canteen (possibly nothing).
type Week struct {
	ID           string
	DeliveryDate string
	Lines        []Line
}

// Totals are the sums of a set of lines, in cents excluding VAT: Egalim
// counts every labelled line (organic included), Bio the organic ones, Local
// those from a local producer.
type Totals struct {
	TotalCents  int64
	BioCents    int64
	EgalimCents int64
	LocalCents  int64
}

func (t *Totals) add(l Line) {
	t.TotalCents += l.AmountCents
	if slices.Contains(l.Labels, LabelBio) {
		t.BioCents += l.AmountCents
	}
	if len(l.Labels) > 0 {
		t.EgalimCents += l.AmountCents
	}
	if l.Local {
		t.LocalCents += l.AmountCents
	}
}

// BioShare is BioCents / TotalCents (NaN for a zero total).
func (t Totals) BioShare() float64 { return Share(t.BioCents, t.TotalCents) }

// EgalimShare is EgalimCents / TotalCents (NaN for a zero total).
func (t Totals) EgalimShare() float64 { return Share(t.EgalimCents, t.TotalCents) }

// LocalShare is LocalCents / TotalCents (NaN for a zero total).
func (t Totals) LocalShare() float64 { return Share(t.LocalCents, t.TotalCents) }

// EgalimMet says whether the EGalim target is reached (never on a zero
// total). The comparison is on integers: egalim >= 50 % of total.
func (t Totals) EgalimMet() bool {
	return t.TotalCents > 0 && t.EgalimCents*2 >= t.TotalCents
}

// BioMet says whether the organic target is reached: bio >= 20 % of total.
func (t Totals) BioMet() bool {
	return t.TotalCents > 0 && t.BioCents*5 >= t.TotalCents
}

// Group is the totals of one family, week or month.
type Group struct {
	Key          string // family code, ISO week or YYYY-MM
	DeliveryDate string // the week's delivery date (weeks only)
	Totals
}

// Report is a canteen's EGalim figures over a period: its published
// deliveries' lines, their totals, and the totals by family (in Families'
// order, families with purchases only), by week and by month (in date order,
// every published week and every month of the period).
type Report struct {
	Canteen  Canteen
	From, To string
	LocalKm  float64
	Weeks    int // published weeks delivered in the period
	Unpriced int // lines without an offer price
	Totals
	ByFamily []Group
	ByWeek   []Group
	ByMonth  []Group
	Lines    []Line
}

// Build adds up the weeks' lines (weeks in delivery date order, all
// delivered within [from, to]).
func Build(c Canteen, from, to string, localKm float64, weeks []Week) Report {
	r := Report{Canteen: c, From: from, To: to, LocalKm: localKm, Weeks: len(weeks), Lines: []Line{},
		ByFamily: []Group{}, ByWeek: []Group{}, ByMonth: months(from, to)}
	fam := map[string]*Totals{}
	for _, w := range weeks {
		g := Group{Key: w.ID, DeliveryDate: w.DeliveryDate}
		for _, l := range w.Lines {
			r.Totals.add(l)
			g.add(l)
			if fam[l.Family] == nil {
				fam[l.Family] = &Totals{}
			}
			fam[l.Family].add(l)
			if i := slices.IndexFunc(r.ByMonth, func(m Group) bool { return m.Key == month(l.Date) }); i >= 0 {
				r.ByMonth[i].add(l)
			}
			if !l.Priced {
				r.Unpriced++
			}
			r.Lines = append(r.Lines, l)
		}
		r.ByWeek = append(r.ByWeek, g)
	}
	for _, f := range append(slices.Clone(Families), "") {
		if t := fam[f]; t != nil {
			r.ByFamily = append(r.ByFamily, Group{Key: f, Totals: *t})
		}
	}
	return r
}

// month is the YYYY-MM of a YYYY-MM-DD date.
func month(date string) string {
	if len(date) < 7 {
		return date
	}
	return date[:7]
}

// months lists the months from from to to, each with zero totals.
func months(from, to string) []Group {
	out := []Group{}
	if len(from) < 7 || len(to) < 7 {
		return out
	}
	y, errY := strconv.Atoi(from[:4])
	m, errM := strconv.Atoi(from[5:7])
	if errY != nil || errM != nil {
		return out
	}
	for len(out) < 1200 {
		key := strconv.Itoa(y) + "-" + twoDigits(m)
		if key > month(to) {
			break
		}
		out = append(out, Group{Key: key})
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// PurchaseColumns are the columns of ma-cantine's purchase import file
// (achats_siret.json), in its order.
var PurchaseColumns = []string{"siret", "description", "fournisseur", "date", "prix_ht", "famille_produits",
	"categories_egalim", "origine", "est_circuit_court", "est_local", "definition_local", "definition_local_km"}

// PurchasesCSV writes the report's lines as ma-cantine's purchase import
// file: UTF-8 without a byte order mark, comma separated, a header row of
// PurchaseColumns, one row per line. prix_ht is in euros with a decimal
// point and two decimals; dates are YYYY-MM-DD; categories_egalim is the
// comma-separated labels; every line is a short circuit (the hub is the one
// intermediary between farm and canteen); a local line says KM and the
// report's distance. origine is left empty: producers' countries are not
// recorded (within 50 km of Loos-en-Gohelle lies Belgium too).
func PurchasesCSV(r Report) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(PurchaseColumns)
	km := strconv.FormatFloat(r.LocalKm, 'f', -1, 64)
	for _, l := range r.Lines {
		local, def, defKm := "NON", "", ""
		if l.Local {
			local, def, defKm = "OUI", "KM", km
		}
		w.Write([]string{r.Canteen.Siret, l.Description, l.Supplier, l.Date, Euros(l.AmountCents), l.Family,
			JoinLabels(l.Labels), "", "OUI", local, def, defKm})
	}
	w.Flush()
	return buf.Bytes()
}

// Euros writes cents as euros with a decimal point and two decimals
// ("1234.99", "-0.05"), computed on integers.
func Euros(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + strconv.FormatInt(cents/100, 10) + "." + twoDigits(int(cents%100))
}

// RoundShare rounds a share to 4 decimals (0.1234 = 12.34 %); NaN stays.
func RoundShare(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	return math.Round(x*10000) / 10000
}

// MaxPeriodDays bounds a report's period: a year, and a day more for leap
// years. ma-cantine takes a year's purchases at a time.
const MaxPeriodDays = 366
