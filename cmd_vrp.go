package main

import (
	"context"
	"fmt"
	"io"
)

// runVRP runs the "vrp" subcommand.
func runVRP(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "paniers vrp: not implemented yet")
	return 1
}
