// Package cli holds the commands of paniers, the program that plans the
// weekly logistics of a short food supply chain: their flags, and the wiring
// of configuration, store, jobs and HTTP service they run on.
//
// Subcommands: serve (the default) runs the HTTP service, plan prints a week's
// plan, vrp solves a CVRPLIB or Solomon routing instance.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Run runs the command that args name (serve when none does) until it ends
// or SIGINT or SIGTERM stops it, and returns the process exit code: 0 done,
// 1 failed, 2 bad usage or configuration.
func Run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, stdout, stderr)
}

// run dispatches to a subcommand and returns the process exit code; it keeps
// main testable.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (len(args[0]) > 0 && args[0][0] != '-' || isHelp(args[0])) {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "plan":
		return runPlan(ctx, args, stdout, stderr)
	case "vrp":
		return runVRP(ctx, args, stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "paniers: unknown command %q\n", cmd)
		usage(stderr)
		return 2
	}
}

// isHelp says whether an argument asks for the list of commands.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: paniers [command] [flags]

commands:
  serve   run the HTTP service and the weekly jobs (the default command)
  plan    plan a week from a scenario file, or from the database (stored as a new version)
  vrp     solve a CVRPLIB or Solomon routing instance and print its routes

Run "paniers COMMAND -h" for a command's flags.
`)
}
