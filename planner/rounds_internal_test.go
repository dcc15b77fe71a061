package planner

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestFewerVehicles checks the reassignment of rounds to as few vehicles as
// possible on synthetic rounds, where the engine's choice is known.
func TestFewerVehicles(t *testing.T) {
	vans := []vehicleInfo{
		{id: "small", capacity: 100, start: 360, end: 1080},
		{id: "big", capacity: 500, start: 360, end: 1080},
		{id: "late", capacity: 500, start: 720, end: 1080},
	}
	round := func(v int, date string, depart, ret, kg float64) builtRound {
		return builtRound{vehicle: v, date: date, depart: depart, ret: ret, pieces: []*piece{{load: kg}}}
	}
	tests := []struct {
		name   string
		rounds []builtRound
		want   []int
	}{
		{"two dates, one van", []builtRound{round(0, "d1", 400, 500, 50), round(2, "d2", 800, 900, 50)}, []int{0, 0}},
		{"back to back", []builtRound{round(0, "d1", 400, 500, 50), round(1, "d1", 500, 600, 300)}, []int{1, 1}},
		{"overlap keeps two", []builtRound{round(0, "d1", 400, 500, 50), round(1, "d1", 450, 600, 300)}, []int{0, 1}},
		{"too heavy for the small van", []builtRound{round(0, "d1", 400, 500, 80), round(1, "d1", 450, 600, 300)}, []int{0, 1}},
		{"outside the late shift", []builtRound{round(2, "d1", 800, 900, 400), round(1, "d1", 400, 500, 400)}, []int{1, 1}},
		{"one round", []builtRound{round(2, "d1", 800, 900, 400)}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &roundBuilder{vehicles: vans}
			rs := slices.Clone(tt.rounds)
			b.fewerVehicles(rs)
			var got []int
			for _, r := range rs {
				got = append(got, r.vehicle)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("vehicles %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSplitLoad checks that split loads keep whole steps, add up exactly to
// the load, stay within the capacity and are about as heavy as each other.
func TestSplitLoad(t *testing.T) {
	kg := func(items []roundItem) float64 {
		w := 0.0
		for _, it := range items {
			w += it.qty * it.kgStep / it.step
		}
		return w
	}
	tests := []struct {
		name   string
		items  []roundItem
		maxCap float64
		pieces int
		heavy  string
	}{
		{"fits", []roundItem{{product: "a", qty: 50, step: 0.1, kgStep: 0.1}}, 100, 1, ""},
		{"two balanced", []roundItem{{product: "a", qty: 150.3, step: 0.1, kgStep: 0.1}}, 100, 2, ""},
		{"pieces of 2.5 kg", []roundItem{{product: "c", qty: 100, step: 1, kgStep: 2.5}, {product: "a", qty: 35.7, step: 0.1, kgStep: 0.1}}, 100, 3, ""},
		{"weightless item", []roundItem{{product: "z", qty: 3, step: 1, kgStep: 0}, {product: "a", qty: 120, step: 0.1, kgStep: 0.1}}, 100, 2, ""},
		{"one step too heavy", []roundItem{{product: "a", qty: 10, step: 0.1, kgStep: 0.1}, {product: "m", qty: 2, step: 1, kgStep: 120}}, 100, 0, "m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			load := kg(tt.items)
			pieces, heavy := splitLoad(tt.items, load, tt.maxCap)
			if tt.heavy != "" {
				if heavy == nil || heavy.product != tt.heavy || pieces != nil {
					t.Fatalf("heavy %v, pieces %d, want %q too heavy", heavy, len(pieces), tt.heavy)
				}
				return
			}
			if len(pieces) != tt.pieces {
				t.Fatalf("%d pieces, want %d", len(pieces), tt.pieces)
			}
			total := map[string]float64{}
			lo, hi := math.Inf(1), 0.0
			for _, pc := range pieces {
				w := kg(pc)
				lo, hi = math.Min(lo, w), math.Max(hi, w)
				if w > tt.maxCap+1e-9 {
					t.Errorf("piece of %v kg over %v", w, tt.maxCap)
				}
				for _, it := range pc {
					total[it.product] += it.qty
					if n := it.qty / it.step; math.Abs(n-math.Round(n)) > 1e-6 {
						t.Errorf("%s: %v is not a multiple of the step %v", it.product, it.qty, it.step)
					}
				}
			}
			for _, it := range tt.items {
				if math.Abs(total[it.product]-it.qty) > 1e-9 {
					t.Errorf("%s: pieces add up to %v, want %v", it.product, total[it.product], it.qty)
				}
			}
			if len(pieces) > 1 && hi-lo > 2.5+1e-9 {
				t.Errorf("pieces from %v to %v kg: not balanced", lo, hi)
			}
		})
	}
}

// TestRoundReasonsInBothLanguages: every reason a round leaves a stop out
// with reads in the builder's language, its numbers written as that
// language writes them.
func TestRoundReasonsInBothLanguages(t *testing.T) {
	g := &group{load: 1234.56, ready: 8 * 60, due: 9*60 + 30}
	it := &roundItem{product: "potiron", kgStep: 12.5}
	for _, tc := range []struct {
		lang  string
		words []string
	}{
		{"fr", []string{"1234,6", "avant 09:30", "aucun véhicule", "charge trop lourde", "fenêtre hors d'atteinte", "flotte saturée", "12,5 kg", "1000,5 kg"}},
		{"en", []string{"1234.6", "by 09:30", "no vehicle", "load too heavy", "window out of reach", "fleet used up", "12.5 kg", "1000.5 kg"}},
	} {
		b := &roundBuilder{l: tc.lang, maxCap: 1000.5}
		all := strings.Join([]string{b.reasonNoVehicle(), b.reasonTooHeavy(it), b.reasonBeyondFleet(g),
			b.reasonWindow(g, g.load, true), b.reasonWindow(g, g.load, false), b.reasonFleet("2026-12-01")}, "\n")
		for _, w := range append(tc.words, "08:00-09:30", "2026-12-01") {
			if !strings.Contains(all, w) {
				t.Errorf("%s: %q missing from:\n%s", tc.lang, w, all)
			}
		}
		other := map[string]string{"fr": "window out of reach", "en": "fenêtre"}[tc.lang]
		if strings.Contains(all, other) {
			t.Errorf("%s: the other language's %q in:\n%s", tc.lang, other, all)
		}
	}
}
