package routing

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchDir holds the shared public instances; tests reading it skip when it
// is absent.
const benchDir = "../../../shared/bench"

// readCVRPLIB parses the subset of TSPLIB used by CVRPLIB sets A, P and X
// (EUC_2D, rounded per edge). The production reader lives in vrpfile; this
// one keeps the engine's tests independent of it.
func readCVRPLIB(t testing.TB, path string) *Problem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var capacity float64
	var xs, ys, dem []float64
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(line, "CAPACITY"):
			capacity, _ = strconv.ParseFloat(strings.TrimSpace(strings.SplitN(line, ":", 2)[1]), 64)
		case strings.HasPrefix(line, "NODE_COORD_SECTION"):
			section = "coord"
		case strings.HasPrefix(line, "DEMAND_SECTION"):
			section = "demand"
		case strings.HasPrefix(line, "DEPOT_SECTION"), line == "EOF":
			section = ""
		case section == "coord":
			x, _ := strconv.ParseFloat(fields[1], 64)
			y, _ := strconv.ParseFloat(fields[2], 64)
			xs, ys = append(xs, x), append(ys, y)
		case section == "demand":
			d, _ := strconv.ParseFloat(fields[1], 64)
			dem = append(dem, d)
		}
	}
	n := len(xs)
	p := &Problem{Dist: make([][]float64, n), Demand: dem}
	for i := range p.Dist {
		p.Dist[i] = make([]float64, n)
		for j := range p.Dist[i] {
			p.Dist[i][j] = math.Round(math.Hypot(xs[i]-xs[j], ys[i]-ys[j]))
		}
	}
	for k := 0; k < n; k++ {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: capacity})
	}
	return p
}

// readSolomon parses a Solomon VRPTW file (distances not rounded).
func readSolomon(t testing.TB, path string) *Problem {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var vehicles int
	var capacity float64
	var rows [][]float64
	for i, line := range lines {
		f := strings.Fields(line)
		if len(f) == 2 && i > 0 && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "NUMBER") {
			vehicles, _ = strconv.Atoi(f[0])
			capacity, _ = strconv.ParseFloat(f[1], 64)
		}
		if len(f) == 7 {
			row := make([]float64, 7)
			ok := true
			for k, s := range f {
				x, err := strconv.ParseFloat(s, 64)
				ok = ok && err == nil
				row[k] = x
			}
			if ok {
				rows = append(rows, row)
			}
		}
	}
	n := len(rows)
	p := &Problem{Dist: make([][]float64, n)}
	for i, r := range rows {
		p.Dist[i] = make([]float64, n)
		for j, s := range rows {
			p.Dist[i][j] = math.Hypot(r[1]-s[1], r[2]-s[2])
		}
		p.Demand = append(p.Demand, r[3])
		p.Ready = append(p.Ready, r[4])
		p.Due = append(p.Due, r[5])
		p.Service = append(p.Service, r[6])
	}
	for k := 0; k < vehicles; k++ {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: capacity})
	}
	return p
}

// bks reads the best-known distances of the shared instances.
func bks(t testing.TB) map[string]float64 {
	f, err := os.Open(filepath.Join(benchDir, "bks.csv"))
	if err != nil {
		t.Skip("shared benchmark instances absent:", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	for _, r := range rows[1:] {
		if r[7] == "distance" {
			m[r[0]], _ = strconv.ParseFloat(r[4], 64)
		}
	}
	return m
}

// TestSharedGaps solves the shared instances listed in PANIERS_ROUTING_GAPS
// ("A-n32-k5,X-n101-k25,R101" or a set name "A", "P", "X", "solomon") with
// the time limit PANIERS_ROUTING_LIMIT (default 1s) and prints the gaps to
// the best-known costs. It is a measurement, run by hand, not a test: it
// skips unless asked for.
func TestSharedGaps(t *testing.T) {
	want := os.Getenv("PANIERS_ROUTING_GAPS")
	if want == "" {
		t.Skip("set PANIERS_ROUTING_GAPS to measure gaps on ../shared/bench")
	}
	limit := time.Second
	if s := os.Getenv("PANIERS_ROUTING_LIMIT"); s != "" {
		limit, _ = time.ParseDuration(s)
	}
	workers, _ := strconv.Atoi(os.Getenv("PANIERS_ROUTING_WORKERS"))
	best := bks(t)
	var paths []string
	for _, name := range strings.Split(want, ",") {
		switch name {
		case "A", "P", "X":
			m, _ := filepath.Glob(filepath.Join(benchDir, "cvrp", name, "*.vrp"))
			paths = append(paths, m...)
		case "solomon":
			m, _ := filepath.Glob(filepath.Join(benchDir, "vrptw", "solomon", "*.txt"))
			paths = append(paths, m...)
		default:
			m, _ := filepath.Glob(filepath.Join(benchDir, "*", "*", name+".*"))
			paths = append(paths, m...)
		}
	}
	sum := 0.0
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		var p *Problem
		if strings.HasSuffix(path, ".vrp") {
			p = readCVRPLIB(t, path)
			// Sets A and P are solved with the fleet of their name (k);
			// X with an unlimited fleet, as CVRPLIB does.
			if set := filepath.Base(filepath.Dir(path)); set == "A" || set == "P" {
				if i := strings.LastIndex(name, "-k"); i > 0 {
					if k, err := strconv.Atoi(name[i+2:]); err == nil && k < len(p.Vehicles) {
						p.Vehicles = p.Vehicles[:k]
					}
				}
			}
		} else {
			p = readSolomon(t, path)
		}
		start := time.Now()
		s, err := Solve(context.Background(), p, Options{Seed: 1, TimeLimit: limit, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		if err := Check(p, s); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		gap := 100 * (s.Cost - best[name]) / best[name]
		sum += gap
		fmt.Printf("%-12s %10.2f %10.2f %6.2f%% %3d routes %2d unassigned %v\n", name, s.Cost, best[name], gap, len(s.Routes), len(s.Unassigned), el.Round(time.Millisecond))
	}
	if len(paths) > 0 {
		fmt.Printf("average gap %.3f%% over %d instances\n", sum/float64(len(paths)), len(paths))
	}
}
