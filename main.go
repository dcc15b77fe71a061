// Command paniers plans the weekly logistics of a short food supply chain.
//
// Subcommands: serve (the default) runs the HTTP service, plan prints a week's
// plan, vrp solves a CVRPLIB or Solomon routing instance. They live in
// paniers/internal/cli.
package main

import (
	"os"

	"paniers/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
