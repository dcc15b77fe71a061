package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"paniers/config"
	"paniers/planner"
)

// runPlan runs the "plan" subcommand: it reads a scenario (a file, or "-" for
// standard input), plans the week and prints the plan as JSON or as a text
// summary. Exit codes: 0 planned, 1 the scenario is invalid or planning
// failed, 2 bad flags.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("paniers plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "", "scenario JSON file (- for standard input)")
	week := fs.String("week", "", "plan week `W` (e.g. 2026-W49) from the configured database")
	seed := fs.Int64("seed", 1, "seed for rounding tie-breaks (same seed, same plan)")
	format := fs.String("format", "json", "output format: json or text")
	noRounds := fs.Bool("no-rounds", false, "allocate without planning the rounds")
	lang := fs.String("lang", "fr", "language of reasons and text output: fr or en")
	dryRun := fs.Bool("dry-run", false, "with --week: plan without storing a new version (nor closing the week)")
	effort := fs.String("effort", "", "multiplies the rounds' search budget, 1 to 64: a longer search, rounds as short or shorter (default PANIERS_ROUTING_EFFORT, else 1)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: paniers plan --scenario FILE [--seed N] [--effort N] [--format json|text] [--no-rounds] [--lang fr|en]
       paniers plan --week W [--dry-run] [--seed N] [--effort N] [--format json|text] [--lang fr|en]

With --scenario, plans a scenario file and prints the plan; nothing is stored.
With --week, plans the week from the configured database (PANIERS_DB) and
stores the plan as the week's next version, which it names; --dry-run plans
without storing.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "paniers plan: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *format != "json" && *format != "text" {
		fmt.Fprintf(stderr, "paniers plan: --format must be json or text, not %q\n", *format)
		return 2
	}
	if *lang != "fr" && *lang != "en" {
		fmt.Fprintf(stderr, "paniers plan: --lang must be fr or en, not %q\n", *lang)
		return 2
	}
	eff, ok := planEffort(*effort, stderr)
	if !ok {
		return 2
	}
	switch {
	case *scenario != "" && *week != "":
		fmt.Fprintln(stderr, "paniers plan: give --scenario or --week, not both")
		return 2
	case *week != "":
		return runPlanWeek(ctx, *week, *seed, eff, *format, *lang, *noRounds, *dryRun, stdout, stderr)
	case *scenario == "":
		fmt.Fprintln(stderr, "paniers plan: --scenario FILE is required")
		fs.Usage()
		return 2
	}

	s, err := readScenarioFile(*scenario)
	if err != nil {
		printPlanError(stderr, err, *lang)
		return 1
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "paniers plan: %v\n", err)
		return 1
	}
	p, err := planner.PlanWeek(s, planner.Options{Seed: *seed, NoRounds: *noRounds, Lang: *lang, Effort: eff})
	if err != nil {
		printPlanError(stderr, err, *lang)
		return 1
	}
	if *format == "text" {
		err = planner.WriteText(stdout, s, p, *lang)
	} else {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "paniers plan: writing the plan: %v\n", err)
		return 1
	}
	return 0
}

// planEffort is the routing effort of a plan: the --effort flag when given,
// else PANIERS_ROUTING_EFFORT, else 1. A bad value is reported on stderr
// (ok false).
func planEffort(flagValue string, stderr io.Writer) (effort int, ok bool) {
	name, v := "--effort", flagValue
	if v == "" {
		name, v = "PANIERS_ROUTING_EFFORT", os.Getenv("PANIERS_ROUTING_EFFORT")
	}
	if v == "" {
		return 1, true
	}
	n, err := config.ParseEffort(v)
	if err != nil {
		fmt.Fprintf(stderr, "paniers plan: %s %q: %v\n", name, v, err)
		return 0, false
	}
	return n, true
}

// readScenarioFile reads a scenario from a file, or standard input for "-".
func readScenarioFile(name string) (planner.Scenario, error) {
	if name == "-" {
		return planner.ReadScenario(os.Stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		return planner.Scenario{}, err
	}
	defer f.Close()
	return planner.ReadScenario(f)
}

// printPlanError prints an error, one line per scenario problem.
func printPlanError(w io.Writer, err error, lang string) {
	var ve *planner.ValidationError
	if errors.As(err, &ve) {
		if lang == "en" {
			fmt.Fprintf(w, "paniers plan: invalid scenario (%d problems):\n", len(ve.Problems))
		} else {
			fmt.Fprintf(w, "paniers plan: scénario invalide (%d problèmes) :\n", len(ve.Problems))
		}
		for _, p := range ve.Problems {
			fmt.Fprintf(w, "  %s: %s\n", p.Field, p.Reason.In(lang))
		}
		return
	}
	fmt.Fprintf(w, "paniers plan: %v\n", err)
}
