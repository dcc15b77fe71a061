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
					checkRoundCSV(t, plan.Rounds[i], readCSV(t, d.Body, ','))
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

// checkRoundCSV compares a round sheet's CSV with the round: per stop and
// product, the quantities the plan moves.
func checkRoundCSV(t *testing.T, rd planner.Round, rows [][]string) {
	t.Helper()
	h := rows[0]
	id, prod, qty := col(t, h, "Identifiant"), col(t, h, "Produit"), col(t, h, "Quantité")
	got := map[string]float64{}
	for _, r := range rows[1:] {
		if r[prod] != "" {
			x, _ := strconv.ParseFloat(r[qty], 64)
			got[r[id]+"/"+r[prod]] += x
		}
	}
	// Product names are not ids: count lines per stop instead of joining.
	want := map[string]int{}
	lines := map[string]map[string]bool{}
	for _, s := range rd.Stops {
		stop := s.Site + s.Producer
		if lines[stop] == nil {
			lines[stop] = map[string]bool{}
		}
		for _, c := range s.Collect {
			lines[stop][c.Product] = true
		}
		for _, d := range s.Deliver {
			lines[stop][d.Product] = true
		}
		want[stop] = len(lines[stop])
	}
	perStop := map[string]int{}
	for k := range got {
		perStop[strings.SplitN(k, "/", 2)[0]]++
	}
	for stop, n := range want {
		if perStop[stop] != n {
			t.Errorf("stop %s: %d product lines, want %d", stop, perStop[stop], n)
		}
	}
	var sumGot, sumWant float64
	for _, x := range got {
		sumGot += x
	}
	for _, s := range rd.Stops {
		for _, c := range s.Collect {
			sumWant += c.Quantity
		}
		for _, d := range s.Deliver {
			sumWant += d.Quantity
		}
	}
	if math.Abs(sumGot-sumWant) > 1e-3*float64(len(got)+1) {
		t.Errorf("round moves %v in all, the sheet says %v", sumWant, sumGot)
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
