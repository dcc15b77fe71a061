package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"paniers/planner/routing"
	"paniers/planner/routing/vrpfile"
)

// vrpConfig holds the vrp subcommand's flags.
type vrpConfig struct {
	file          string
	timeLimit     time.Duration
	seed          int64
	workers       int
	maxIterations int
	cpuClock      bool
	bench         string
	sets          string
	// anytime lists the checkpoints of --anytime, increasing; the time
	// limit is then the last.
	anytime []time.Duration
}

// runVRP runs the "vrp" subcommand: it solves one CVRPLIB or Solomon instance
// and prints the solution in CVRPLIB's format, or with --bench runs the
// benchmark harness over a folder of instances (see runBench).
func runVRP(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseVRPFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "paniers vrp: %v\n", err)
		return 2
	}
	if cfg.bench != "" {
		return runBench(ctx, cfg, stdout, stderr)
	}
	p, meta, err := vrpfile.ReadFile(cfg.file)
	if err != nil {
		fmt.Fprintf(stderr, "paniers vrp: %v\n", err)
		return 1
	}
	sol, err := solveInstance(ctx, p, meta, cfg, nil)
	if err != nil {
		fmt.Fprintf(stderr, "paniers vrp: %s: %v\n", meta.Name, err)
		return 1
	}
	if err := vrpfile.WriteSolution(stdout, meta, sol); err != nil {
		fmt.Fprintf(stderr, "paniers vrp: %v\n", err)
		return 1
	}
	if len(sol.Unassigned) > 0 {
		fmt.Fprintf(stderr, "paniers vrp: %s: no route can serve customers %s\n", meta.Name, joinInts(sol.Unassigned))
		return 1
	}
	return 0
}

// parseVRPFlags reads the flags, which may come before or after the file.
func parseVRPFlags(args []string, stderr io.Writer) (cfg vrpConfig, err error) {
	fs := flag.NewFlagSet("paniers vrp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: paniers vrp FILE [flags]
       paniers vrp --bench DIR [--set A,P,X,solomon] [flags]

Solves a CVRPLIB (TSPLIB format, TYPE : CVRP) or Solomon VRPTW instance and
prints the solution in CVRPLIB's format: "Route #k: ..." lines, then "Cost C".
With --bench, solves every instance of the chosen sets under DIR (laid out as
cvrp/A, cvrp/P, cvrp/X, vrptw/solomon, with bks.csv) and prints a table of
gaps to the best-known costs.

flags:
`)
		fs.PrintDefaults()
	}
	fs.DurationVar(&cfg.timeLimit, "time-limit", time.Second, "wall-clock time for each instance")
	fs.Int64Var(&cfg.seed, "seed", 1, "random seed")
	fs.IntVar(&cfg.workers, "workers", 1, "independent searches run in parallel (the best is kept)")
	fs.BoolVar(&cfg.cpuClock, "cpu-clock", false, "count --time-limit (and the times printed) in the process's CPU time divided by --workers instead of wall-clock time: the limit a search would have on idle cores, for benchmarks on a loaded machine")
	fs.IntVar(&cfg.maxIterations, "max-iterations", 0, "bound on the search iterations of each worker (0: none); with one worker the result then depends only on the seed")
	fs.StringVar(&cfg.bench, "bench", "", "benchmark folder (such as ../shared/bench): run the harness instead of one file")
	fs.StringVar(&cfg.sets, "set", "A,P,X,solomon", "with --bench: comma-separated sets among A, P, X, solomon")
	anytime := fs.String("anytime", "", "with --bench: comma-separated checkpoints such as 0.1s,1s,10s; each instance is solved once, for the last checkpoint, and the best cost found by each checkpoint is reported (on the --cpu-clock clock when set)")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return cfg, err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *anytime != "" {
		explicit := false
		fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "time-limit" })
		switch {
		case cfg.bench == "":
			return cfg, errors.New("--anytime: only with --bench")
		case explicit:
			return cfg, errors.New("--anytime: the time limit is the last checkpoint; give no --time-limit")
		}
		if cfg.anytime, err = parseCheckpoints(*anytime); err != nil {
			return cfg, err
		}
		cfg.timeLimit = cfg.anytime[len(cfg.anytime)-1]
	}
	switch {
	case cfg.timeLimit <= 0 && cfg.maxIterations <= 0:
		return cfg, errors.New("--time-limit: must be positive (or give --max-iterations)")
	case cfg.workers < 1 || cfg.workers > 64:
		return cfg, fmt.Errorf("--workers: %d is not between 1 and 64", cfg.workers)
	case cfg.cpuClock && !cpuClockWorks():
		return cfg, errors.New("--cpu-clock: the process's CPU time is not available on this system")
	case cfg.maxIterations < 0:
		return cfg, fmt.Errorf("--max-iterations: %d is negative", cfg.maxIterations)
	case cfg.bench != "" && len(files) > 0:
		return cfg, fmt.Errorf("give either an instance file or --bench, not both")
	case cfg.bench != "":
		return cfg, nil
	case len(files) != 1:
		fs.Usage()
		return cfg, fmt.Errorf("want one instance file, got %d", len(files))
	}
	cfg.file = files[0]
	return cfg, nil
}

// parseCheckpoints reads --anytime: positive, increasing durations, at
// most 20.
func parseCheckpoints(list string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(list, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		switch {
		case err != nil:
			return nil, fmt.Errorf("--anytime: %q is not a duration such as 0.5s", strings.TrimSpace(f))
		case d <= 0:
			return nil, fmt.Errorf("--anytime: %s is not positive", d)
		case len(out) > 0 && d <= out[len(out)-1]:
			return nil, fmt.Errorf("--anytime: %s does not come after %s; give the checkpoints in increasing order", d, out[len(out)-1])
		}
		out = append(out, d)
	}
	if len(out) > 20 {
		return nil, fmt.Errorf("--anytime: %d checkpoints, at most 20", len(out))
	}
	return out, nil
}

// cpuClockWorks reports whether the process's CPU time can be read.
func cpuClockWorks() bool {
	_, ok := processCPU()
	return ok
}

// clock is the time source of the time limit: nil (the wall clock), or
// with --cpu-clock the process's CPU time divided by the workers.
func (cfg vrpConfig) clock() func() time.Duration {
	if !cfg.cpuClock {
		return nil
	}
	workers := time.Duration(max(cfg.workers, 1))
	return func() time.Duration {
		t, _ := processCPU()
		return t / workers
	}
}

// solveInstance runs the engine on one instance and checks what it returns:
// a solution that breaks a constraint or uses more routes than the instance
// allows is an error, never printed as if it were good.
func solveInstance(ctx context.Context, p *routing.Problem, meta vrpfile.Meta, cfg vrpConfig, progress func(routing.Solution)) (routing.Solution, error) {
	opt := routing.Options{Seed: cfg.seed, Workers: cfg.workers, MaxIterations: cfg.maxIterations, Clock: cfg.clock(),
		Progress: progress}
	if cfg.timeLimit > 0 {
		opt.TimeLimit = cfg.timeLimit
	}
	sol, err := routing.Solve(ctx, p, opt)
	if err != nil {
		return sol, err
	}
	if err := routing.Check(p, sol); err != nil {
		return sol, err
	}
	if meta.Fleet > 0 && len(sol.Routes) > meta.Fleet {
		return sol, fmt.Errorf("%d routes, the instance allows %d vehicles", len(sol.Routes), meta.Fleet)
	}
	return sol, nil
}

// joinInts formats a list of customers.
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " ")
}
