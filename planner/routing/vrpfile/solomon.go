package vrpfile

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"

	"paniers/planner/routing"
)

// ReadSolomon reads a VRPTW instance in Solomon's text format (also used by
// Gehring and Homberger's larger sets):
//
//	NAME
//	VEHICLE
//	NUMBER     CAPACITY
//	  25         200
//	CUSTOMER
//	CUST NO.  XCOORD.  YCOORD.  DEMAND  READY TIME  DUE DATE  SERVICE TIME
//	    0      40        50       0        0         1236        0
//	    1      45        68      10      912          967       90
//
// Customer 0 is the depot, whose window is the horizon every route keeps to;
// customers are numbered 0, 1, 2, ... in order. Distances and travel times
// are Euclidean, not rounded. The fleet has NUMBER vehicles of CAPACITY; a
// customer's due date bounds its arrival (service may start later only when
// waiting for READY TIME, which is never after DUE DATE).
func ReadSolomon(r io.Reader) (*routing.Problem, Meta, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	line := 0
	// next returns the next non-blank line, trimmed.
	next := func() (string, bool) {
		for sc.Scan() {
			line++
			if s := strings.TrimSpace(sc.Text()); s != "" {
				return s, true
			}
		}
		return "", false
	}
	eof := func(what string) error {
		if err := sc.Err(); err != nil {
			return errorf(line+1, "%v", err)
		}
		return errorf(line+1, "unexpected end of file, want %s", what)
	}
	name, ok := next()
	if !ok {
		return nil, Meta{}, eof("the instance name")
	}
	if isNumber(name) || strings.EqualFold(name, "VEHICLE") {
		return nil, Meta{}, errorf(line, "want the instance name on the first line, got %q", name)
	}
	s, ok := next()
	if !ok {
		return nil, Meta{}, eof("VEHICLE")
	}
	if !strings.EqualFold(s, "VEHICLE") {
		return nil, Meta{}, errorf(line, "want VEHICLE, got %q", s)
	}
	// The column titles (NUMBER CAPACITY), then the two figures.
	s, ok = next()
	if ok && !isNumber(s) {
		s, ok = next()
	}
	if !ok {
		return nil, Meta{}, eof("the vehicle number and capacity")
	}
	f := strings.Fields(s)
	if len(f) != 2 {
		return nil, Meta{}, errorf(line, "want \"NUMBER CAPACITY\" figures, got %d fields", len(f))
	}
	fleet, err := strconv.Atoi(f[0])
	if err != nil || fleet < 1 || fleet > MaxNodes {
		return nil, Meta{}, errorf(line, "vehicle number %q is not an integer from 1 to %d", f[0], MaxNodes)
	}
	capacity, err := positive(f[1])
	if err != nil {
		return nil, Meta{}, errorf(line, "vehicle capacity: %v", err)
	}
	s, ok = next()
	if !ok {
		return nil, Meta{}, eof("CUSTOMER")
	}
	if !strings.EqualFold(s, "CUSTOMER") {
		return nil, Meta{}, errorf(line, "want CUSTOMER, got %q", s)
	}
	var x, y, demand, ready, due, service []float64
	s, ok = next()
	if ok && !isNumber(s) {
		s, ok = next() // the column titles
	}
	for ; ok; s, ok = next() {
		f := strings.Fields(s)
		if len(f) != 7 {
			return nil, Meta{}, errorf(line, "want 7 fields (CUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME), got %d", len(f))
		}
		id, err := strconv.Atoi(f[0])
		if err != nil || id != len(x) {
			return nil, Meta{}, errorf(line, "customer number %q, want %d (customers are numbered 0, 1, 2, ... in order)", f[0], len(x))
		}
		if id >= MaxNodes {
			return nil, Meta{}, errorf(line, "more than %d nodes are not supported", MaxNodes)
		}
		var v [6]float64
		names := [6]string{"XCOORD.", "YCOORD.", "DEMAND", "READY TIME", "DUE DATE", "SERVICE TIME"}
		for k := range v {
			v[k], err = number(f[k+1])
			if err != nil {
				return nil, Meta{}, errorf(line, "customer %d: %s: %v", id, names[k], err)
			}
			if k >= 2 && v[k] < 0 {
				return nil, Meta{}, errorf(line, "customer %d: %s: %v is negative", id, names[k], v[k])
			}
		}
		if v[3] > v[4] {
			return nil, Meta{}, errorf(line, "customer %d: window [%v, %v] ends before it starts", id, v[3], v[4])
		}
		if id == 0 && (v[2] != 0 || v[5] != 0) {
			return nil, Meta{}, errorf(line, "depot (customer 0) has demand %v and service time %v, want 0 and 0", v[2], v[5])
		}
		x, y, demand = append(x, v[0]), append(y, v[1]), append(demand, v[2])
		ready, due, service = append(ready, v[3]), append(due, v[4]), append(service, v[5])
	}
	if err := sc.Err(); err != nil {
		return nil, Meta{}, errorf(line+1, "%v", err)
	}
	if len(x) == 0 {
		return nil, Meta{}, eof("the depot's line (customer 0)")
	}
	p := &routing.Problem{
		Dist:    euclid(x, y, nil),
		Demand:  demand,
		Service: service,
		Ready:   ready,
		Due:     due,
	}
	p.Vehicles = make([]routing.Vehicle, fleet)
	for k := range p.Vehicles {
		p.Vehicles[k] = routing.Vehicle{Capacity: capacity}
	}
	if err := checkProblem(p); err != nil {
		return nil, Meta{}, err
	}
	ids := make([]int, len(x))
	for i := range ids {
		ids[i] = i
	}
	m := Meta{Name: name, Kind: KindVRPTW, N: len(x) - 1, Capacity: capacity, Fleet: fleet, IDs: ids}
	return p, m, nil
}

// round2 rounds to two decimals, as Solomon costs are reported.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
