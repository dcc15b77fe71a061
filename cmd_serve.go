package main

import (
	"context"
	"fmt"
	"io"
)

// runServe runs the "serve" subcommand.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "paniers serve: not implemented yet")
	return 1
}
