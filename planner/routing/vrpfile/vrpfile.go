// Package vrpfile reads routing benchmark instances into routing problems and
// writes solutions in CVRPLIB's format. It knows two formats:
//
//   - CVRPLIB / TSPLIB (TYPE : CVRP), the format of the A, P and X sets:
//     EUC_2D distances rounded to the nearest integer per edge, as CVRPLIB
//     scores them (also CEIL_2D and EXPLICIT matrices);
//   - Solomon's VRPTW text format: Euclidean distances not rounded, time
//     windows, service times and a fleet of at most NUMBER vehicles.
//
// Readers never panic: a malformed file gives a *ParseError naming the line
// and the reason. Standard library only.
package vrpfile

import (
	"errors"
	"fmt"
	"math"

	"paniers/planner/routing"
)

// Kind tells which format an instance came from, and so how its cost is
// scored and printed.
type Kind string

// Instance kinds.
const (
	// KindCVRP is a capacitated instance from a TSPLIB/CVRPLIB file: integer
	// distances, no bound on the number of routes unless VEHICLES says so.
	KindCVRP Kind = "cvrp"
	// KindVRPTW is a Solomon instance: real distances, time windows and at
	// most Fleet routes.
	KindVRPTW Kind = "vrptw"
)

// MaxNodes bounds the number of nodes (depot included) a reader accepts, so
// that a hostile header cannot make it allocate a matrix of gigabytes. The
// largest CVRPLIB X instance has 1001 nodes.
const MaxNodes = 5001

// Meta describes an instance beside its routing problem.
type Meta struct {
	// Name is the instance's name (NAME field, or Solomon's first line).
	Name string
	// Kind is the format the instance was read from.
	Kind Kind
	// N is the number of customers (nodes other than the depot).
	N int
	// Capacity is the vehicles' capacity.
	Capacity float64
	// Fleet is the number of vehicles the instance allows; 0 means no bound
	// (CVRPLIB without VEHICLES: the problem then has one vehicle per
	// customer, as many routes as can ever be useful).
	Fleet int
	// Rounded reports whether distances are integers (CVRPLIB conventions),
	// which decides how the cost is printed.
	Rounded bool
	// IDs gives, for each problem node (0 the depot, then the customers in
	// increasing file order), its node number in the file.
	IDs []int
}

// ParseError is a malformed input: the line (1-based; 0 when the problem is
// with the file as a whole) and the reason.
type ParseError struct {
	File string
	Line int
	Err  error
}

// Error implements error: "vrpfile: FILE: line N: reason".
func (e *ParseError) Error() string {
	s := "vrpfile: "
	if e.File != "" {
		s += e.File + ": "
	}
	if e.Line > 0 {
		s += fmt.Sprintf("line %d: ", e.Line)
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying reason.
func (e *ParseError) Unwrap() error { return e.Err }

// errorf builds a ParseError at a line.
func errorf(line int, format string, args ...any) *ParseError {
	return &ParseError{Line: line, Err: fmt.Errorf(format, args...)}
}

// withFile sets the file name of a ParseError (or wraps another error).
func withFile(err error, file string) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.File = file
		return pe
	}
	return fmt.Errorf("vrpfile: %s: %w", file, err)
}

// euclid returns the Euclidean distance matrix of the points.
func euclid(x, y []float64, round func(float64) float64) [][]float64 {
	n := len(x)
	flat := make([]float64, n*n)
	d := make([][]float64, n)
	for i := range d {
		d[i] = flat[i*n : (i+1)*n : (i+1)*n]
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := math.Hypot(x[i]-x[j], y[i]-y[j])
			if round != nil {
				v = round(v)
			}
			d[i][j], d[j][i] = v, v
		}
	}
	return d
}

// nint rounds to the nearest integer as TSPLIB's nint does: (int)(x + 0.5).
func nint(x float64) float64 { return math.Floor(x + 0.5) }

// finite reports whether x is a usable number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// checkProblem turns a routing validation failure into a ParseError, so that
// a reader never returns a problem the engine rejects.
func checkProblem(p *routing.Problem) error {
	if err := p.Validate(); err != nil {
		return &ParseError{Err: fmt.Errorf("invalid instance: %w", err)}
	}
	return nil
}
