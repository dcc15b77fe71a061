package planner

import (
	"fmt"
	"math"
)

// EarthRadiusKm is the earth radius of the contract's great-circle distance.
const EarthRadiusKm = 6371.0

// LatLon is a point on the earth, in degrees.
type LatLon struct {
	Lat, Lon float64
}

// TravelMatrix gives the road distance (km) and travel time (minutes) from
// every point to every other, for rounds (rule 7). The planner calls it with
// the hub first, then every stop of the week, and with the scenario's travel
// settings for sources that need them. It must answer the same for the same
// points (rule 9). An error fails the plan: a source that can fall back, such
// as jobs/osrm, returns GreatCircleMatrix's answer itself instead.
//
// Options.Matrix nil means the contract's default, GreatCircleMatrix.
type TravelMatrix func(points []LatLon, t Travel) (distKm, minutes [][]float64, err error)

// Haversine returns the great-circle distance between two points, in km, on
// a sphere of radius EarthRadiusKm.
func Haversine(a, b LatLon) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(math.Min(1, h)))
}

// GreatCircleMatrix is the contract's travel model: haversine distance times
// t.DetourFactor, and that distance at t.SpeedKmh for the time.
func GreatCircleMatrix(points []LatLon, t Travel) (distKm, minutes [][]float64, err error) {
	if !(t.DetourFactor > 0) || !(t.SpeedKmh > 0) || math.IsInf(t.DetourFactor, 0) || math.IsInf(t.SpeedKmh, 0) {
		return nil, nil, fmt.Errorf("planner: travel: detour factor %v and speed %v must be positive", t.DetourFactor, t.SpeedKmh)
	}
	n := len(points)
	distKm, minutes = square(n), square(n)
	for i := range points {
		for j := i + 1; j < n; j++ {
			d := Haversine(points[i], points[j]) * t.DetourFactor
			distKm[i][j], distKm[j][i] = d, d
			m := d / t.SpeedKmh * 60
			minutes[i][j], minutes[j][i] = m, m
		}
	}
	return distKm, minutes, nil
}

// square returns an n x n matrix of zeros.
func square(n int) [][]float64 {
	flat := make([]float64, n*n)
	m := make([][]float64, n)
	for i := range m {
		m[i] = flat[i*n : (i+1)*n : (i+1)*n]
	}
	return m
}

// unreachable caps distances and times: a leg longer than this (an
// overflowing detour factor, a speed close to zero) can never be driven in a
// shift, so the stop is unrouted as out of reach rather than breaking the
// arithmetic with infinities.
const unreachable = 1e9

// checkMatrix makes sure a travel source answered with usable numbers, so
// that a broken source fails the plan with a clear error instead of giving
// rounds that make no sense. Infinite entries are capped to unreachable.
func checkMatrix(name string, m [][]float64, n int) error {
	if len(m) != n {
		return fmt.Errorf("planner: travel: %s matrix has %d rows, want %d", name, len(m), n)
	}
	for i, row := range m {
		if len(row) != n {
			return fmt.Errorf("planner: travel: %s matrix row %d has %d entries, want %d", name, i, len(row), n)
		}
		for j, x := range row {
			if math.IsNaN(x) || x < 0 {
				return fmt.Errorf("planner: travel: %s[%d][%d] = %v is not a non-negative number", name, i, j, x)
			}
			row[j] = math.Min(x, unreachable)
		}
	}
	return nil
}
