package planner

import (
	"slices"
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
