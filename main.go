// Command paniers plans the weekly logistics of a short food supply chain.
//
// Subcommands: serve (the default) runs the HTTP service, plan prints a week's
// plan, vrp solves a CVRPLIB or Solomon routing instance.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit code; it keeps
// main testable.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "plan":
		return runPlan(ctx, args, stdout, stderr)
	case "vrp":
		return runVRP(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "paniers: unknown command %q\n", cmd)
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: paniers [command] [flags]

commands:
  serve   run the HTTP service (default)
  plan    plan a week from a scenario file or the database
  vrp     solve a CVRPLIB or Solomon routing instance

Run "paniers COMMAND -h" for a command's flags.
`)
}
