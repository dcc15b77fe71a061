package sheets

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"paniers/planner"
	"paniers/planner/scengen"
)

// TestPlannedWeeks renders every document of weeks the real planner made,
// for every family of generated scenarios, and checks each CSV against the
// plan it came from: what a stop loads, what a producer packs, what a relay
// point receives and what a canteen pays are the plan's own figures.
func TestPlannedWeeks(t *testing.T) {
	for k, fam := range scengen.Families {
		t.Run(string(fam), func(t *testing.T) {
			sc := scengen.Generate(scengen.Config{Seed: int64(k + 1), Family: fam, Producers: 5, Products: 8, Sites: 6, Orders: 30, Vehicles: 2})
			plan, err := planner.PlanWeek(sc, planner.Options{})
			if err != nil {
				t.Fatal(err)
			}
			in := Input{Scenario: sc, Plan: plan}
			refs, err := Catalog(in)
			if err != nil {
				t.Fatal(err)
			}
			if len(refs) == 0 {
				t.Fatal("no documents")
			}
			ix := buildIndex(in)
			for _, r := range refs {
				if r.Format == FormatPDF && k > 0 {
					continue // PDFs of one family are enough to keep the suite fast.
				}
				d := render(t, in, r.Kind, r.For, r.Format)
				switch {
				case r.Format == FormatPDF:
					pdfToText(t, d.Body)
				case r.Kind == KindRoundSheet && r.Format == FormatCSV:
					i, _ := strconv.Atoi(r.For)
					checkRoundCSV(t, ix, plan.Rounds[i], readCSV(t, d.Body, ','))
				case r.Kind == KindRoundSheet && r.Format == FormatGeoJSON:
					var fc struct{ Features []json.RawMessage }
					if err := json.Unmarshal(d.Body, &fc); err != nil {
						t.Fatal(err)
					}
					i, _ := strconv.Atoi(r.For)
					if len(fc.Features) != len(plan.Rounds[i].Stops)+2 {
						t.Errorf("%s: %d features", d.FileName, len(fc.Features))
					}
				case r.Kind == KindPreparationList && r.Format == FormatCSV:
					want := map[string]float64{}
					for _, a := range plan.Allocations {
						if a.Producer == r.For {
							want[ix.products[a.Product].Name] += a.Quantity
						}
					}
					got := sumBy(t, readCSV(t, d.Body, ','), "destination", "Produit", "Quantité")
					sameSums(t, d.FileName, got, want)
				case r.Kind == KindPickupList && r.Format == FormatCSV:
					want := map[string]float64{}
					for _, a := range plan.Allocations {
						if o := ix.orders[a.Order]; o.Site == r.For && o.Class == planner.ClassExtra {
							want[ix.products[a.Product].Name] += a.Quantity
						}
					}
					got := sumBy(t, readCSV(t, d.Body, ','), "total", "Produit", "Livré")
					delete(got, "")
					sameSums(t, d.FileName, got, want)
				case r.Kind == KindDeliveryNote && r.Format == FormatCSV:
					type key struct{ product, producer string }
					q := map[key]float64{}
					for _, a := range plan.Allocations {
						if ix.orders[a.Order].Site == r.For {
							q[key{a.Product, a.Producer}] += a.Quantity
						}
					}
					var want int64
					for k, x := range q {
						want += int64(math.Round(x * float64(ix.prices[[2]string{k.producer, k.product}])))
					}
					rows := readCSV(t, d.Body, ',')
					total := rows[len(rows)-1]
					for _, row := range rows {
						if row[0] == "total" {
							total = row
							break
						}
					}
					got, _ := strconv.ParseInt(strings.Replace(total[7], ".", "", 1), 10, 64)
					if got != want {
						t.Errorf("%s: total %d cents, want %d", d.FileName, got, want)
					}
				}
			}
		})
	}
}

// checkRoundCSV compares a round sheet's CSV with the round: per stop, the
// weight the plan moves there; per producer or canteen stop, a line per
// product with its quantity (crates); per relay stop, the baskets of its
// orders (one package each).
func checkRoundCSV(t *testing.T, ix index, rd planner.Round, rows [][]string) {
	t.Helper()
	h := rows[0]
	id, prod, qty, unit, kg := col(t, h, "Identifiant"), col(t, h, "Produit"), col(t, h, "Quantité"), col(t, h, "Unité"), col(t, h, "Poids (kg)")
	fr, err := newRenderer(Input{})
	if err != nil {
		t.Fatal(err)
	}
	gotKg := map[string]float64{}
	gotQty := map[string]float64{}
	for _, r := range rows[1:] {
		if r[prod] == "" {
			continue
		}
		x, _ := strconv.ParseFloat(r[kg], 64)
		gotKg[r[id]] += x
		q, _ := strconv.ParseFloat(r[qty], 64)
		gotQty[r[id]+"/"+r[prod]+"/"+r[unit]] += q
	}
	for _, s := range rd.Stops {
		stop := s.Site + s.Producer
		wantKg := 0.0
		wantQty := map[string]float64{}
		for _, c := range s.Collect {
			p := ix.products[c.Product]
			wantKg += c.Quantity * p.KgPerUnit
			wantQty[stop+"/"+p.Name+"/"+fr.unitName(p.Unit, 1)] += c.Quantity
		}
		seen := map[string]bool{}
		for _, d := range s.Deliver {
			p := ix.products[d.Product]
			wantKg += d.Quantity * p.KgPerUnit
			switch o := ix.orders[d.Order]; o.Class {
			case planner.ClassBasket:
				if !seen[o.ID] {
					seen[o.ID] = true
					wantQty[stop+"/"+ix.basketTypes[o.Basket].Name+"/panier"] += float64(o.Count)
				}
			case planner.ClassCanteen:
				wantQty[stop+"/"+p.Name+"/"+fr.unitName(p.Unit, 1)] += d.Quantity
			}
		}
		if math.Abs(gotKg[stop]-wantKg) > 1e-2*float64(len(s.Deliver)+len(s.Collect)+1) {
			t.Errorf("stop %s: the sheet moves %v kg, the plan %v kg", stop, gotKg[stop], wantKg)
		}
		for k, w := range wantQty {
			if math.Abs(gotQty[k]-w) > 1e-3 {
				t.Errorf("%s: the sheet says %v, the plan %v", k, gotQty[k], w)
			}
		}
	}
}

// sumBy sums a CSV's value column per key column over the rows of a section.
func sumBy(t *testing.T, rows [][]string, section, keyCol, valCol string) map[string]float64 {
	t.Helper()
	k, v := col(t, rows[0], keyCol), col(t, rows[0], valCol)
	out := map[string]float64{}
	for _, r := range rows[1:] {
		if r[0] != section {
			continue
		}
		x, err := strconv.ParseFloat(r[v], 64)
		if err != nil {
			t.Fatalf("%s %q: %v", valCol, r[v], err)
		}
		out[r[k]] += x
	}
	return out
}

func sameSums(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		if math.Abs(got[k]-w) > 1e-3 {
			t.Errorf("%s: %s %v, want %v", what, k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok && g != 0 {
			t.Errorf("%s: %s %v, not in the plan", what, k, g)
		}
	}
	if t.Failed() {
		fmt.Println(what, got, want)
	}
}
