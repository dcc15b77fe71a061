package main

import (
	"context"
	"fmt"
	"io"
)

// runPlan runs the "plan" subcommand.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "paniers plan: not implemented yet")
	return 1
}
