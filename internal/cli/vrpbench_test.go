package cli

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"paniers/planner/routing"
	"paniers/planner/routing/vrpfile"
)

// sharedBench is the benchmark folder: ../shared/bench relative to the
// repository root (three levels up from internal/cli), the shared folder
// that sits beside the work tree and is not part of the repository.
// Benchmarks skip when it is absent.
const sharedBench = "../../../shared/bench"

// benchIterations is the search budget of each go-test benchmark solve: a
// fixed number of iterations with one worker, so that every run does the
// same work and finds the same solution (the wall-clock harness is
// "paniers vrp --bench").
var benchIterations = map[string]int{"A": 1000, "P": 1000, "X": 200, "solomon": 300}

// benchmarkSet solves each instance of a set once per b.N and reports the
// gap to the best-known cost as a metric.
func benchmarkSet(b *testing.B, set string) {
	bks, err := readBKS(filepath.Join(sharedBench, "bks.csv"))
	if err != nil {
		b.Skipf("benchmark instances not found: %v", err)
	}
	paths, _ := filepath.Glob(filepath.Join(sharedBench, benchDir(set), "*"))
	sort.Strings(paths)
	if len(paths) == 0 {
		b.Skipf("no instance in %s", filepath.Join(sharedBench, benchDir(set)))
	}
	if only := os.Getenv("PANIERS_BENCH_INSTANCE"); only != "" {
		paths = filterBase(paths, only)
	}
	for _, path := range paths {
		p, meta, err := vrpfile.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		best, ok := bks[meta.Name]
		if !ok {
			b.Fatalf("%s: not in bks.csv", meta.Name)
		}
		b.Run(meta.Name, func(b *testing.B) {
			opt := routing.Options{Seed: 1, Workers: 1, MaxIterations: benchIterations[set]}
			var sol routing.Solution
			for b.Loop() {
				sol, err = routing.Solve(b.Context(), p, opt)
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := routing.Check(p, sol); err != nil || len(sol.Unassigned) > 0 {
				b.Fatalf("infeasible or incomplete solution: %v, unassigned %v", err, sol.Unassigned)
			}
			b.ReportMetric(100*(vrpfile.Cost(meta, sol)-best.cost)/best.cost, "gap%")
			b.ReportMetric(float64(len(sol.Routes)), "routes")
		})
	}
}

// filterBase keeps the paths whose base name (without extension) is name.
func filterBase(paths []string, name string) []string {
	var out []string
	for _, p := range paths {
		if base := filepath.Base(p); base[:len(base)-len(filepath.Ext(base))] == name {
			out = append(out, p)
		}
	}
	return out
}

// Run with, for example:
//
//	go test -run '^$' -bench 'VRP/A' -benchtime 1x -benchmem .
func BenchmarkVRP(b *testing.B) {
	for _, s := range benchSets {
		b.Run(s.name, func(b *testing.B) { benchmarkSet(b, s.name) })
	}
}
