package vrpfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"paniers/planner/routing"
)

// maxFile bounds the size of an instance file ReadFile accepts.
const maxFile = 64 << 20

// Read reads an instance in either format, telling them apart by their
// first keyword: CVRPLIB files start with "KEY : VALUE" headers, Solomon files
// with a name followed by VEHICLE.
func Read(r io.Reader) (*routing.Problem, Meta, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, Meta{}, fmt.Errorf("vrpfile: %w", err)
	}
	if len(data) > maxFile {
		return nil, Meta{}, &ParseError{Err: fmt.Errorf("larger than %d MiB", maxFile>>20)}
	}
	switch detect(data) {
	case KindCVRP:
		return ReadCVRPLIB(bytes.NewReader(data))
	case KindVRPTW:
		return ReadSolomon(bytes.NewReader(data))
	}
	return nil, Meta{}, &ParseError{Line: 1, Err: errors.New("neither a CVRPLIB (NAME : ..., TYPE : CVRP) nor a Solomon (name, VEHICLE, CUSTOMER) instance")}
}

// ReadFile reads the instance in the named file (see Read); errors name the
// file.
func ReadFile(path string) (*routing.Problem, Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Meta{}, fmt.Errorf("vrpfile: %w", err)
	}
	defer f.Close()
	p, m, err := Read(f)
	if err != nil {
		return nil, Meta{}, withFile(err, filepath.Base(path))
	}
	if m.Name == "" {
		m.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return p, m, nil
}

// detect tells the format from the first lines.
func detect(data []byte) Kind {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for lines := 0; sc.Scan() && lines < 20; {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		lines++
		if strings.Contains(s, ":") || sectionKeys[strings.ToUpper(s)] {
			return KindCVRP
		}
		if strings.EqualFold(s, "VEHICLE") {
			return KindVRPTW
		}
	}
	return ""
}

// Cost returns a solution's cost as the instance's convention scores it:
// CVRPLIB distances are already integers, Solomon costs are real.
func Cost(m Meta, s routing.Solution) float64 {
	if m.Rounded {
		return math.Round(s.Cost)
	}
	return s.Cost
}

// FormatCost prints a cost as CVRPLIB's solution files do: an integer for
// rounded instances, two decimals otherwise.
func FormatCost(m Meta, cost float64) string {
	if m.Rounded {
		return strconv.FormatFloat(math.Round(cost), 'f', 0, 64)
	}
	return strconv.FormatFloat(round2(cost), 'f', 2, 64)
}

// WriteSolution writes s in CVRPLIB's solution format: one "Route #k: c1 c2
// ..." line per route, customers numbered 1..n (the problem's nodes, depot
// left out), then "Cost C". Unassigned customers are not written: the caller
// decides whether a partial solution is acceptable.
func WriteSolution(w io.Writer, m Meta, s routing.Solution) error {
	bw := bufio.NewWriter(w)
	k := 0
	for _, r := range s.Routes {
		if len(r.Nodes) == 0 {
			continue
		}
		k++
		fmt.Fprintf(bw, "Route #%d:", k)
		for _, c := range r.Nodes {
			fmt.Fprintf(bw, " %d", c)
		}
		bw.WriteByte('\n')
	}
	fmt.Fprintf(bw, "Cost %s\n", FormatCost(m, Cost(m, s)))
	return bw.Flush()
}

// ReadSolution reads a solution in CVRPLIB's format: its routes (customers
// numbered 1..n) and its cost. Other lines (such as "Time 1.2") are ignored.
func ReadSolution(r io.Reader) (routes [][]int, cost float64, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	line := 0
	haveCost := false
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(s, "Route #"):
			_, list, ok := strings.Cut(s, ":")
			if !ok {
				return nil, 0, errorf(line, "route line without \":\"")
			}
			var route []int
			for _, tok := range strings.Fields(list) {
				c, err := strconv.Atoi(tok)
				if err != nil || c < 1 {
					return nil, 0, errorf(line, "customer %q is not a positive integer", tok)
				}
				route = append(route, c)
			}
			routes = append(routes, route)
		case strings.HasPrefix(s, "Cost"):
			v, err := number(strings.TrimSpace(strings.TrimPrefix(s, "Cost")))
			if err != nil {
				return nil, 0, errorf(line, "cost: %v", err)
			}
			cost, haveCost = v, true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, 0, errorf(line+1, "%v", err)
	}
	if !haveCost {
		return nil, 0, errorf(line+1, "missing \"Cost\" line")
	}
	return routes, cost, nil
}
