package vrpfile

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"paniers/planner/routing"
)

// maxLine bounds one line's length; EXPLICIT matrices may put a whole row on
// one line.
const maxLine = 1 << 20

// cvrpReader holds the state of ReadCVRPLIB while it goes through the lines.
type cvrpReader struct {
	line int // current line number

	name, typ, ewt, ewf string
	dim                 int
	dimLine             int
	capacity            float64
	haveCap             bool
	vehicles            int
	commentTrucks       int // "No of trucks: N" in COMMENT
	distLimit           float64
	serviceTime         float64

	x, y, demand     []float64
	hasXY, hasDemand []bool
	demandLine       []int // line of each node's demand, for messages
	depots           []int
	depotLines       []int
	depotDone        bool
	weights          []float64

	section string // the data section being read, "" in the header
}

// trucksRe finds the fleet size in an Augerat COMMENT.
var trucksRe = regexp.MustCompile(`(?i)no\.? of trucks:\s*(\d+)`)

// sectionKeys are the TSPLIB keywords that open a data section.
var sectionKeys = map[string]bool{
	"NODE_COORD_SECTION":   true,
	"DEMAND_SECTION":       true,
	"DEPOT_SECTION":        true,
	"EDGE_WEIGHT_SECTION":  true,
	"DISPLAY_DATA_SECTION": true,
}

// ReadCVRPLIB reads a capacitated instance in TSPLIB/CVRPLIB format (TYPE :
// CVRP). Distances follow the file's EDGE_WEIGHT_TYPE: EUC_2D rounded to the
// nearest integer per edge (TSPLIB's nint, as CVRPLIB scores solutions),
// CEIL_2D rounded up, or an EXPLICIT matrix (FULL_MATRIX, UPPER_ROW,
// LOWER_ROW, UPPER_DIAG_ROW, LOWER_DIAG_ROW). The optional VEHICLES bounds the
// fleet, or else a COMMENT's "No of trucks: N" as Augerat's sets give it (the
// fleet their best-known costs assume); DISTANCE and SERVICE_TIME (Christofides' instances) bound each
// route's length, service times included.
//
// The depot becomes node 0 and the other nodes 1..n in file order, so with the
// usual depot 1 a customer's node is its file number minus one, which is how
// CVRPLIB solutions number customers.
func ReadCVRPLIB(r io.Reader) (*routing.Problem, Meta, error) {
	c := &cvrpReader{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	for sc.Scan() {
		c.line++
		done, err := c.readLine(sc.Text())
		if err != nil {
			return nil, Meta{}, err
		}
		if done {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, Meta{}, errorf(c.line+1, "%v", err)
	}
	return c.build()
}

// readLine handles one line and reports whether EOF was reached.
func (c *cvrpReader) readLine(text string) (bool, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return false, nil
	}
	key, value, hasColon := splitKey(s)
	upper := strings.ToUpper(key)
	switch {
	case upper == "EOF":
		return true, nil
	case sectionKeys[upper]:
		if value != "" {
			return false, errorf(c.line, "%s: unexpected %q after the keyword", upper, value)
		}
		return false, c.openSection(upper)
	case c.section != "" && !hasColon && isNumber(key):
		return false, c.sectionLine(s)
	case c.section == "" && !hasColon && isNumber(key):
		return false, errorf(c.line, "data %q outside any section", s)
	}
	c.section = ""
	if !hasColon {
		return false, errorf(c.line, "unknown keyword %q (want KEY : VALUE or a *_SECTION keyword)", key)
	}
	return false, c.header(upper, value)
}

// splitKey splits "KEY : VALUE" (or "KEY: VALUE"); a line without a colon is
// returned whole as the key.
func splitKey(s string) (key, value string, colon bool) {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
	}
	f := strings.Fields(s)
	return f[0], strings.TrimSpace(s[len(f[0]):]), false
}

// isNumber reports whether s starts like a number (a data line).
func isNumber(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	_, err := strconv.ParseFloat(f[0], 64)
	return err == nil
}

// header handles a "KEY : VALUE" line.
func (c *cvrpReader) header(key, value string) error {
	switch key {
	case "NAME":
		c.name = value
	case "COMMENT":
		// Augerat's sets (A, B, P) state their fleet here, "No of trucks:
		// 5", and their best-known costs are for that fleet; VEHICLES, when
		// given, wins.
		if m := trucksRe.FindStringSubmatch(value); m != nil && c.commentTrucks == 0 {
			if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n <= MaxNodes {
				c.commentTrucks = n
			}
		}
	case "NODE_COORD_TYPE", "DISPLAY_DATA_TYPE":
		// Informative only.
	case "TYPE":
		if t := strings.ToUpper(value); t != "CVRP" {
			return errorf(c.line, "TYPE: %q is not supported (want CVRP)", value)
		}
		c.typ = "CVRP"
	case "DIMENSION":
		if c.dim != 0 {
			return errorf(c.line, "DIMENSION: given twice (first on line %d)", c.dimLine)
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return errorf(c.line, "DIMENSION: %q is not a positive integer", value)
		}
		if n > MaxNodes {
			return errorf(c.line, "DIMENSION: %d nodes, at most %d are supported", n, MaxNodes)
		}
		c.dim, c.dimLine = n, c.line
		c.x, c.y, c.demand = make([]float64, n), make([]float64, n), make([]float64, n)
		c.hasXY, c.hasDemand = make([]bool, n), make([]bool, n)
		c.demandLine = make([]int, n)
	case "CAPACITY":
		v, err := positive(value)
		if err != nil {
			return errorf(c.line, "CAPACITY: %v", err)
		}
		c.capacity, c.haveCap = v, true
	case "VEHICLES":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > MaxNodes {
			return errorf(c.line, "VEHICLES: %q is not an integer from 1 to %d", value, MaxNodes)
		}
		c.vehicles = n
	case "DISTANCE":
		v, err := positive(value)
		if err != nil {
			return errorf(c.line, "DISTANCE: %v", err)
		}
		c.distLimit = v
	case "SERVICE_TIME":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || !finite(v) || v < 0 {
			return errorf(c.line, "SERVICE_TIME: %q is not a non-negative number", value)
		}
		c.serviceTime = v
	case "EDGE_WEIGHT_TYPE":
		switch t := strings.ToUpper(value); t {
		case "EUC_2D", "CEIL_2D", "EXPLICIT":
			c.ewt = t
		default:
			return errorf(c.line, "EDGE_WEIGHT_TYPE: %q is not supported (want EUC_2D, CEIL_2D or EXPLICIT)", value)
		}
	case "EDGE_WEIGHT_FORMAT":
		switch f := strings.ToUpper(value); f {
		case "FULL_MATRIX", "UPPER_ROW", "LOWER_ROW", "UPPER_DIAG_ROW", "LOWER_DIAG_ROW", "FUNCTION":
			c.ewf = f
		default:
			return errorf(c.line, "EDGE_WEIGHT_FORMAT: %q is not supported", value)
		}
	default:
		return errorf(c.line, "unknown keyword %q", key)
	}
	return nil
}

// positive parses a finite number greater than zero.
func positive(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(v) || v <= 0 {
		return 0, fmt.Errorf("%q is not a positive number", s)
	}
	return v, nil
}

// openSection starts a data section.
func (c *cvrpReader) openSection(key string) error {
	if c.dim == 0 && key != "DISPLAY_DATA_SECTION" {
		return errorf(c.line, "%s before DIMENSION", key)
	}
	if key == "EDGE_WEIGHT_SECTION" && c.weights != nil {
		return errorf(c.line, "EDGE_WEIGHT_SECTION given twice")
	}
	if key == "DEPOT_SECTION" && (c.depotDone || len(c.depots) > 0) {
		return errorf(c.line, "DEPOT_SECTION given twice")
	}
	if key == "EDGE_WEIGHT_SECTION" {
		c.weights = make([]float64, 0, 64)
	}
	c.section = key
	return nil
}

// sectionLine reads one data line of the current section.
func (c *cvrpReader) sectionLine(s string) error {
	f := strings.Fields(s)
	switch c.section {
	case "NODE_COORD_SECTION":
		if len(f) != 3 {
			return errorf(c.line, "NODE_COORD_SECTION: want \"node x y\", got %d fields", len(f))
		}
		i, err := c.node(f[0])
		if err != nil {
			return err
		}
		if c.hasXY[i] {
			return errorf(c.line, "NODE_COORD_SECTION: node %d given twice", i+1)
		}
		x, err1 := number(f[1])
		y, err2 := number(f[2])
		if err1 != nil || err2 != nil {
			return errorf(c.line, "NODE_COORD_SECTION: node %d: coordinates %q %q are not finite numbers", i+1, f[1], f[2])
		}
		c.x[i], c.y[i], c.hasXY[i] = x, y, true
	case "DEMAND_SECTION":
		if len(f) != 2 {
			return errorf(c.line, "DEMAND_SECTION: want \"node demand\", got %d fields", len(f))
		}
		i, err := c.node(f[0])
		if err != nil {
			return err
		}
		if c.hasDemand[i] {
			return errorf(c.line, "DEMAND_SECTION: node %d given twice", i+1)
		}
		d, err := number(f[1])
		if err != nil || d < 0 {
			return errorf(c.line, "DEMAND_SECTION: node %d: demand %q is not a non-negative number", i+1, f[1])
		}
		c.demand[i], c.hasDemand[i], c.demandLine[i] = d, true, c.line
	case "DEPOT_SECTION":
		for _, tok := range f {
			if c.depotDone {
				return errorf(c.line, "DEPOT_SECTION: %q after the closing -1", tok)
			}
			if tok == "-1" {
				c.depotDone = true
				continue
			}
			i, err := c.node(tok)
			if err != nil {
				return err
			}
			c.depots = append(c.depots, i)
			c.depotLines = append(c.depotLines, c.line)
		}
	case "EDGE_WEIGHT_SECTION":
		for _, tok := range f {
			w, err := number(tok)
			if err != nil || w < 0 {
				return errorf(c.line, "EDGE_WEIGHT_SECTION: %q is not a non-negative number", tok)
			}
			if len(c.weights) >= c.dim*c.dim {
				return errorf(c.line, "EDGE_WEIGHT_SECTION: more than %d weights", c.dim*c.dim)
			}
			c.weights = append(c.weights, w)
		}
	case "DISPLAY_DATA_SECTION":
		// Drawing coordinates: not used.
	}
	return nil
}

// node parses a 1-based node number and returns its 0-based index.
func (c *cvrpReader) node(tok string) (int, error) {
	n, err := strconv.Atoi(tok)
	if err != nil || n < 1 || n > c.dim {
		return 0, errorf(c.line, "%s: node %q is not an integer from 1 to DIMENSION (%d)", c.section, tok, c.dim)
	}
	return n - 1, nil
}

// number parses a finite number.
func number(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(v) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// build checks completeness and assembles the problem.
func (c *cvrpReader) build() (*routing.Problem, Meta, error) {
	end := c.line + 1
	switch {
	case c.typ == "":
		return nil, Meta{}, errorf(end, "missing TYPE : CVRP")
	case c.dim == 0:
		return nil, Meta{}, errorf(end, "missing DIMENSION")
	case !c.haveCap:
		return nil, Meta{}, errorf(end, "missing CAPACITY")
	case c.ewt == "":
		return nil, Meta{}, errorf(end, "missing EDGE_WEIGHT_TYPE")
	case len(c.depots) == 0:
		return nil, Meta{}, errorf(end, "missing DEPOT_SECTION (or it names no depot)")
	case len(c.depots) > 1:
		return nil, Meta{}, errorf(c.depotLines[1], "DEPOT_SECTION: %d depots, only one is supported", len(c.depots))
	}
	for i := 0; i < c.dim; i++ {
		if !c.hasDemand[i] {
			return nil, Meta{}, errorf(end, "DEMAND_SECTION: no demand for node %d", i+1)
		}
		if c.ewt != "EXPLICIT" && !c.hasXY[i] {
			return nil, Meta{}, errorf(end, "NODE_COORD_SECTION: no coordinates for node %d", i+1)
		}
	}
	depot := c.depots[0]
	if c.demand[depot] != 0 {
		return nil, Meta{}, errorf(c.demandLine[depot], "DEMAND_SECTION: depot %d has demand %v, want 0", depot+1, c.demand[depot])
	}
	// order maps problem nodes to file indexes: the depot first.
	order := make([]int, 0, c.dim)
	order = append(order, depot)
	for i := 0; i < c.dim; i++ {
		if i != depot {
			order = append(order, i)
		}
	}
	full, rounded, err := c.matrix()
	if err != nil {
		return nil, Meta{}, err
	}
	n := c.dim
	p := &routing.Problem{Dist: make([][]float64, n), Demand: make([]float64, n)}
	flat := make([]float64, n*n)
	for a, fa := range order {
		p.Dist[a] = flat[a*n : (a+1)*n : (a+1)*n]
		for b, fb := range order {
			p.Dist[a][b] = full[fa][fb]
		}
		p.Demand[a] = c.demand[fa]
	}
	if c.distLimit > 0 {
		// A route's length, service included, is bounded: a depot horizon
		// of [0, DISTANCE] with travel time equal to distance says exactly
		// that.
		p.Ready, p.Due, p.Service = make([]float64, n), make([]float64, n), make([]float64, n)
		for a := range order {
			p.Due[a] = c.distLimit
			if a > 0 {
				p.Service[a] = c.serviceTime
			}
		}
	}
	fleet := c.vehicles
	if fleet == 0 {
		fleet = c.commentTrucks
	}
	size := fleet
	if size == 0 {
		size = max(n-1, 1)
	}
	p.Vehicles = make([]routing.Vehicle, size)
	for k := range p.Vehicles {
		p.Vehicles[k] = routing.Vehicle{Capacity: c.capacity}
	}
	if err := checkProblem(p); err != nil {
		return nil, Meta{}, err
	}
	ids := make([]int, n)
	for a, fa := range order {
		ids[a] = fa + 1
	}
	m := Meta{Name: c.name, Kind: KindCVRP, N: n - 1, Capacity: c.capacity, Fleet: fleet, Rounded: rounded, IDs: ids}
	return p, m, nil
}

// matrix returns the file-order distance matrix and whether it is integral.
func (c *cvrpReader) matrix() ([][]float64, bool, error) {
	n := c.dim
	switch c.ewt {
	case "EUC_2D":
		return euclid(c.x, c.y, nint), true, nil
	case "CEIL_2D":
		return euclid(c.x, c.y, math.Ceil), true, nil
	}
	var want int
	switch c.ewf {
	case "FULL_MATRIX":
		want = n * n
	case "UPPER_ROW", "LOWER_ROW":
		want = n * (n - 1) / 2
	case "UPPER_DIAG_ROW", "LOWER_DIAG_ROW":
		want = n * (n + 1) / 2
	default:
		return nil, false, errorf(c.line+1, "EDGE_WEIGHT_FORMAT: %q cannot be used with EDGE_WEIGHT_TYPE EXPLICIT", c.ewf)
	}
	if len(c.weights) != want {
		return nil, false, errorf(c.line+1, "EDGE_WEIGHT_SECTION: %d weights, %s of %d nodes needs %d", len(c.weights), c.ewf, n, want)
	}
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
	}
	k := 0
	next := func() float64 { w := c.weights[k]; k++; return w }
	for i := 0; i < n; i++ {
		switch c.ewf {
		case "FULL_MATRIX":
			for j := 0; j < n; j++ {
				d[i][j] = next()
			}
		case "UPPER_ROW":
			for j := i + 1; j < n; j++ {
				d[i][j] = next()
				d[j][i] = d[i][j]
			}
		case "UPPER_DIAG_ROW":
			for j := i; j < n; j++ {
				d[i][j] = next()
				d[j][i] = d[i][j]
			}
		case "LOWER_ROW":
			for j := 0; j < i; j++ {
				d[i][j] = next()
				d[j][i] = d[i][j]
			}
		case "LOWER_DIAG_ROW":
			for j := 0; j <= i; j++ {
				d[i][j] = next()
				d[j][i] = d[i][j]
			}
		}
	}
	integral := true
	for _, w := range c.weights {
		if w != math.Trunc(w) {
			integral = false
			break
		}
	}
	return d, integral, nil
}
