package routing

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSolve measures a fixed amount of search (one worker, an
// iteration limit) on generated instances, so that timings compare across
// changes; the cost reached is reported as a metric.
func BenchmarkSolve(b *testing.B) {
	for _, bc := range []struct {
		name string
		g    gen
	}{
		{"cvrp-100", gen{n: 100, vehicles: 100, capacity: 60, seed: 101}},
		{"vrptw-100", gen{n: 100, vehicles: 25, capacity: 80, windows: true, seed: 102}},
		{"hetero-tw-50", gen{n: 50, vehicles: 8, capacity: 60, windows: true, hetero: true, seed: 103}},
	} {
		p := bc.g.build()
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var cost float64
			for i := 0; i < b.N; i++ {
				s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 200})
				if err != nil {
					b.Fatal(err)
				}
				cost = s.Cost
			}
			b.ReportMetric(cost, "cost")
		})
	}
}

// BenchmarkShared does the same on public instances from ../shared/bench,
// skipping when they are absent.
func BenchmarkShared(b *testing.B) {
	for _, name := range []string{"cvrp/A/A-n80-k10.vrp", "cvrp/X/X-n101-k25.vrp", "vrptw/solomon/RC105.txt"} {
		path := filepath.Join(benchDir, name)
		if _, err := os.Stat(path); err != nil {
			b.Skip("shared benchmark instances absent:", err)
		}
		var p *Problem
		if filepath.Ext(path) == ".vrp" {
			p = readCVRPLIB(b, path)
		} else {
			p = readSolomon(b, path)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.ReportAllocs()
			var cost float64
			for i := 0; i < b.N; i++ {
				s, err := Solve(context.Background(), p, Options{Seed: 1, MaxIterations: 200})
				if err != nil {
					b.Fatal(err)
				}
				cost = s.Cost
			}
			b.ReportMetric(cost, "cost")
		})
	}
}
