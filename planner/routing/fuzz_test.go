package routing

import (
	"context"
	"encoding/binary"
	"math"
	"testing"
)

// FuzzSolve builds small problems from arbitrary bytes (NaN, infinities,
// negative and huge values included): Validate must reject or accept them
// without panicking, and every accepted one must solve to a solution the
// independent verifier accepts.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{3, 2, 1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 5, 6, 7, 8})
	f.Add([]byte{5, 1, 0, 255, 255, 255, 255, 255, 255, 255, 127, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{2, 3, 1, 0, 0, 0, 0, 0, 0, 248, 127, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := fuzzProblem(data)
		if p == nil {
			return
		}
		if p.Validate() != nil {
			if _, err := Solve(context.Background(), p, Options{MaxIterations: 5}); err == nil {
				t.Fatal("Solve accepted a problem Validate rejects")
			}
			return
		}
		s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 20})
		if err != nil {
			t.Fatal(err)
		}
		verify(t, p, s)
	})
}

// fuzzProblem decodes a small problem from bytes; nil when too short.
func fuzzProblem(data []byte) *Problem {
	if len(data) < 3 {
		return nil
	}
	n := int(data[0]%6) + 1 // customers
	k := int(data[1]%3) + 1 // vehicles
	tw := data[2]%2 == 1
	data = data[3:]
	next := func() float64 {
		if len(data) == 0 {
			return 1
		}
		b := data[0]
		data = data[1:]
		switch b {
		case 255:
			if len(data) >= 8 {
				x := math.Float64frombits(binary.LittleEndian.Uint64(data))
				data = data[8:]
				return x
			}
			return math.NaN()
		case 254:
			return math.Inf(1)
		case 253:
			return -1
		}
		return float64(b)
	}
	N := n + 1
	p := &Problem{Dist: make([][]float64, N), Demand: make([]float64, N)}
	for i := range p.Dist {
		p.Dist[i] = make([]float64, N)
		for j := range p.Dist[i] {
			if i != j {
				p.Dist[i][j] = next()
			}
		}
		if i > 0 {
			p.Demand[i] = next()
		}
	}
	if tw {
		p.Ready, p.Due, p.Service = make([]float64, N), make([]float64, N), make([]float64, N)
		p.Due[0] = 10 * next()
		for i := 1; i < N; i++ {
			p.Ready[i] = 4 * next()
			p.Due[i] = p.Ready[i] + 4*next()
			p.Service[i] = next() / 4
		}
	}
	for v := 0; v < k; v++ {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: 4 * next(), Start: next(), End: 10 * next()})
	}
	return p
}
