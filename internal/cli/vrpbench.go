package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"paniers/planner/routing"
	"paniers/planner/routing/vrpfile"
)

// benchSets maps a set's name to its folder under the benchmark root.
var benchSets = []struct{ name, dir string }{
	{"A", "cvrp/A"},
	{"P", "cvrp/P"},
	{"X", "cvrp/X"},
	{"solomon", "vrptw/solomon"},
}

// bestKnown is one instance's best-known solution from bks.csv.
type bestKnown struct {
	cost     float64
	optimal  string
	vehicles string
}

// readBKS reads bks.csv (instance,set,n_customers,capacity,best_known_cost,
// optimal,bks_vehicles,objective,distance_convention). An instance listed
// with several objectives keeps its "distance" row: the engine minimises
// distance, so that is the figure to compare with.
func readBKS(path string) (map[string]bestKnown, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"instance", "best_known_cost", "optimal", "bks_vehicles", "objective"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%s: no %q column", path, h)
		}
	}
	bks := make(map[string]bestKnown)
	for i, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			return nil, fmt.Errorf("%s: line %d: %d fields, want %d", path, i+2, len(r), len(rows[0]))
		}
		if r[col["objective"]] != "distance" {
			continue
		}
		cost, err := strconv.ParseFloat(r[col["best_known_cost"]], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: best_known_cost %q: %w", path, i+2, r[col["best_known_cost"]], err)
		}
		bks[r[col["instance"]]] = bestKnown{cost: cost, optimal: r[col["optimal"]], vehicles: r[col["bks_vehicles"]]}
	}
	return bks, nil
}

// benchRow is one instance's result.
type benchRow struct {
	name      string
	n         int
	cost, bks float64
	gap       float64
	seconds   float64
	routes    int
	fleet     int
	err       error
	// curve is the gap of the best solution found by each --anytime
	// checkpoint, NaN while there is none.
	curve []float64
}

// runBench solves every instance of the chosen sets and prints a Markdown
// table (instance, customers, cost, best known, gap, time, routes) with the
// averages of each set. Instances run one after the other, each with the
// configured time limit and workers. It returns 1 when an instance fails
// (unreadable, infeasible or incomplete solution, more routes than vehicles).
func runBench(ctx context.Context, cfg vrpConfig, stdout, stderr io.Writer) int {
	bks, err := readBKS(filepath.Join(cfg.bench, "bks.csv"))
	if err != nil {
		fmt.Fprintf(stderr, "paniers vrp: bench: %v\n", err)
		return 1
	}
	var sets []string
	for _, s := range strings.Split(cfg.sets, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if benchDir(s) == "" {
			fmt.Fprintf(stderr, "paniers vrp: --set: unknown set %q (want A, P, X or solomon)\n", s)
			return 2
		}
		sets = append(sets, s)
	}
	if len(sets) == 0 {
		fmt.Fprintln(stderr, "paniers vrp: --set: no set given")
		return 2
	}
	fmt.Fprintf(stdout, "time limit %s per instance, %d worker(s), seed %d", cfg.timeLimit, cfg.workers, cfg.seed)
	if cfg.cpuClock {
		fmt.Fprint(stdout, ", times in CPU seconds per worker (--cpu-clock)")
	}
	if cfg.maxIterations > 0 {
		fmt.Fprintf(stdout, ", at most %d iterations", cfg.maxIterations)
	}
	if len(cfg.anytime) > 0 {
		fmt.Fprint(stdout, ", best cost recorded at each checkpoint (--anytime)")
	}
	fmt.Fprint(stdout, "\n\n| instance | customers | cost | best known | gap % | time s | routes |\n|---|---:|---:|---:|---:|---:|---:|\n")
	failed := 0
	var summary, curves []string
	for _, set := range sets {
		paths, _ := filepath.Glob(filepath.Join(cfg.bench, benchDir(set), "*"))
		sort.Strings(paths)
		var rows []benchRow
		for _, path := range paths {
			if ext := filepath.Ext(path); ext != ".vrp" && ext != ".txt" {
				continue
			}
			if ctx.Err() != nil {
				fmt.Fprintf(stderr, "paniers vrp: bench: %v\n", ctx.Err())
				return 1
			}
			row := benchOne(ctx, path, bks, cfg)
			printBenchRow(stdout, row)
			if row.err != nil {
				failed++
			}
			rows = append(rows, row)
		}
		if len(rows) == 0 {
			fmt.Fprintf(stderr, "paniers vrp: bench: no instance in %s\n", filepath.Join(cfg.bench, benchDir(set)))
			failed++
			continue
		}
		summary = append(summary, benchAverage(set, rows))
		curves = append(curves, curveAverage(set, rows, len(cfg.anytime)))
	}
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, "| set | instances | average gap % | average time s | at best known | failed |\n|---|---:|---:|---:|---:|---:|\n")
	for _, s := range summary {
		fmt.Fprintln(stdout, s)
	}
	if len(cfg.anytime) > 0 {
		printCurves(stdout, cfg.anytime, curves)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "paniers vrp: bench: %d instance(s) failed\n", failed)
		return 1
	}
	return 0
}

// benchDir returns the folder of a set, "" for an unknown set.
func benchDir(set string) string {
	for _, s := range benchSets {
		if strings.EqualFold(s.name, set) {
			return s.dir
		}
	}
	return ""
}

// benchOne solves one instance and scores it against its best-known cost.
func benchOne(ctx context.Context, path string, bks map[string]bestKnown, cfg vrpConfig) benchRow {
	p, meta, err := vrpfile.ReadFile(path)
	row := benchRow{name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))}
	if err != nil {
		row.err = err
		return row
	}
	row.name, row.n, row.fleet = meta.Name, meta.N, meta.Fleet
	best, ok := bks[meta.Name]
	if !ok {
		row.err = fmt.Errorf("%s: not in bks.csv", meta.Name)
		return row
	}
	row.bks = best.cost
	now := cfg.clock()
	if now == nil {
		origin := time.Now()
		now = func() time.Duration { return time.Since(origin) }
	}
	start := now()
	var progress func(routing.Solution)
	var events []found
	if len(cfg.anytime) > 0 {
		progress = func(s routing.Solution) {
			if len(s.Unassigned) == 0 {
				events = append(events, found{now() - start, scoredCost(meta, s)})
			}
		}
	}
	sol, err := solveInstance(ctx, p, meta, cfg, progress)
	row.seconds = (now() - start).Seconds()
	if err == nil && len(sol.Unassigned) > 0 {
		err = fmt.Errorf("customers %s left out", joinInts(sol.Unassigned))
	}
	if err != nil {
		row.err = err
		return row
	}
	row.cost = scoredCost(meta, sol)
	row.gap = 100 * (row.cost - row.bks) / row.bks
	row.routes = len(sol.Routes)
	if len(cfg.anytime) > 0 {
		row.curve = curve(events, cfg.anytime, row.bks)
	}
	return row
}

// scoredCost is a solution's cost as the best-known costs count it.
func scoredCost(meta vrpfile.Meta, sol routing.Solution) float64 {
	c := vrpfile.Cost(meta, sol)
	if !meta.Rounded {
		// Solomon costs are compared as published: two decimals.
		c, _ = strconv.ParseFloat(vrpfile.FormatCost(meta, c), 64)
	}
	return c
}

// found is a new best solution's cost and when, on the harness's clock,
// the engine reported it.
type found struct {
	at   time.Duration
	cost float64
}

// curve returns the gap to bks of the best cost found by each checkpoint
// (NaN before the first solution). A solution reported after the last
// checkpoint (a step of the search that overran the limit) counts at the
// last: the search was told to stop then, and its result includes it.
func curve(events []found, checkpoints []time.Duration, bks float64) []float64 {
	out := make([]float64, len(checkpoints))
	for i, t := range checkpoints {
		best := math.Inf(1)
		for _, e := range events {
			if e.at <= t || i == len(checkpoints)-1 {
				best = math.Min(best, e.cost)
			}
		}
		out[i] = math.NaN()
		if !math.IsInf(best, 1) {
			out[i] = 100 * (best - bks) / bks
		}
	}
	return out
}

// curveAverage returns a set's line of the anytime table: the average gap
// at each checkpoint over the instances solved, and how many had no
// solution yet at a checkpoint.
func curveAverage(set string, rows []benchRow, checkpoints int) string {
	var b strings.Builder
	ok := 0
	for _, r := range rows {
		if r.err == nil {
			ok++
		}
	}
	fmt.Fprintf(&b, "| %s | %d |", set, ok)
	if ok == 0 {
		return b.String()
	}
	for i := range checkpoints {
		sum, n := 0.0, 0
		for _, r := range rows {
			if r.err == nil && !math.IsNaN(r.curve[i]) {
				sum += r.curve[i]
				n++
			}
		}
		switch {
		case n == 0:
			b.WriteString(" none |")
		case n < ok:
			fmt.Fprintf(&b, " %.2f (%d without) |", sum/float64(n), ok-n)
		default:
			fmt.Fprintf(&b, " %.2f |", sum/float64(n))
		}
	}
	return b.String()
}

// printCurves prints the anytime table: average gap % per set and
// checkpoint.
func printCurves(w io.Writer, checkpoints []time.Duration, lines []string) {
	fmt.Fprint(w, "\nAverage gap % by checkpoint (best found so far):\n\n| set | instances |")
	for _, t := range checkpoints {
		fmt.Fprintf(w, " %s |", strconv.FormatFloat(t.Seconds(), 'f', -1, 64)+" s")
	}
	fmt.Fprint(w, "\n|---|---:|"+strings.Repeat("---:|", len(checkpoints))+"\n")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

// printBenchRow prints one table line.
func printBenchRow(w io.Writer, r benchRow) {
	if r.err != nil {
		fmt.Fprintf(w, "| %s | %d | failed: %s | %s | | %.2f | |\n", r.name, r.n, strings.ReplaceAll(r.err.Error(), "|", "/"), fmtCost(r.bks), r.seconds)
		return
	}
	routes := strconv.Itoa(r.routes)
	if r.fleet > 0 {
		routes += " / " + strconv.Itoa(r.fleet)
	}
	fmt.Fprintf(w, "| %s | %d | %s | %s | %.2f | %.2f | %s |\n", r.name, r.n, fmtCost(r.cost), fmtCost(r.bks), r.gap, r.seconds, routes)
}

// fmtCost prints an integer cost without decimals, a real one with two.
func fmtCost(c float64) string {
	if c == float64(int64(c)) {
		return strconv.FormatInt(int64(c), 10)
	}
	return strconv.FormatFloat(c, 'f', 2, 64)
}

// benchAverage returns a set's summary line; failed instances count in
// neither average.
func benchAverage(set string, rows []benchRow) string {
	var gap, secs float64
	ok, atBest := 0, 0
	for _, r := range rows {
		if r.err != nil {
			continue
		}
		ok++
		gap += r.gap
		secs += r.seconds
		if r.gap <= 1e-9 {
			atBest++
		}
	}
	if ok == 0 {
		return fmt.Sprintf("| %s | %d | | | 0 | %d |", set, len(rows), len(rows))
	}
	return fmt.Sprintf("| %s | %d | %.2f | %.2f | %d | %d |", set, len(rows), gap/float64(ok), secs/float64(ok), atBest, len(rows)-ok)
}
