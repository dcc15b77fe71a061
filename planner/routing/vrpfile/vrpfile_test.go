package vrpfile

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"paniers/planner/routing"
)

func readTestdata(t *testing.T, name string) (*routing.Problem, Meta) {
	t.Helper()
	p, m, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", name, err)
	}
	return p, m
}

func TestReadCVRPLIBRoundsEachEdge(t *testing.T) {
	p, m := readTestdata(t, "tiny.vrp")
	if m.Name != "tiny-n5-k2" || m.Kind != KindCVRP || m.N != 4 || m.Capacity != 10 || m.Fleet != 0 || !m.Rounded {
		t.Fatalf("meta = %+v", m)
	}
	// Coordinates (0,0) (3,4) (1,2) (2,1.5) (-3,-4): edges computed by hand.
	want := map[[2]int]float64{
		{0, 1}: 5,  // 5 exactly
		{0, 2}: 2,  // 2.236
		{0, 3}: 3,  // 2.5 rounds half up, as nint does
		{0, 4}: 5,  // 5 exactly
		{1, 4}: 10, // 10 exactly
		{2, 3}: 1,  // 1.118
		{1, 2}: 3,  // 2.828
	}
	for e, d := range want {
		if p.Dist[e[0]][e[1]] != d || p.Dist[e[1]][e[0]] != d {
			t.Errorf("dist %v = %v/%v, want %v", e, p.Dist[e[0]][e[1]], p.Dist[e[1]][e[0]], d)
		}
	}
	if got := p.Demand; !equal(got, []float64{0, 4, 5, 6, 3}) {
		t.Errorf("demand = %v", got)
	}
	// No bound on the fleet: one vehicle per customer, all of capacity 10.
	if len(p.Vehicles) != 4 {
		t.Errorf("%d vehicles, want 4", len(p.Vehicles))
	}
	for _, v := range p.Vehicles {
		if v.Capacity != 10 {
			t.Errorf("vehicle capacity %v", v.Capacity)
		}
	}
	if p.Ready != nil || p.Due != nil {
		t.Errorf("time windows on a plain CVRP instance")
	}
}

func TestReadCVRPLIBDepotNotFirst(t *testing.T) {
	p, m := readTestdata(t, "depot3.vrp")
	if !equalInts(m.IDs, []int{3, 1, 2, 4}) {
		t.Fatalf("ids = %v, want the depot (file node 3) first", m.IDs)
	}
	if m.Fleet != 2 || len(p.Vehicles) != 2 || p.Vehicles[0].Capacity != 7 {
		t.Errorf("fleet = %d, vehicles %+v", m.Fleet, p.Vehicles)
	}
	// CEIL_2D from the depot (5, 0.2): 5.004 -> 6 to both ends, 4.8 -> 5.
	if p.Dist[0][1] != 6 || p.Dist[0][2] != 6 || p.Dist[0][3] != 5 || p.Dist[1][2] != 10 {
		t.Errorf("dist row 0 = %v, dist[1][2] = %v", p.Dist[0], p.Dist[1][2])
	}
	if !equal(p.Demand, []float64{0, 3, 4, 2}) {
		t.Errorf("demand = %v", p.Demand)
	}
}

func TestReadCVRPLIBExplicitWithRouteLength(t *testing.T) {
	p, m := readTestdata(t, "explicit.vrp")
	want := [][]float64{{0, 7, 8, 10}, {7, 0, 9, 11}, {8, 9, 0, 12}, {10, 11, 12, 0}}
	for i := range want {
		if !equal(p.Dist[i], want[i]) {
			t.Errorf("dist row %d = %v, want %v", i, p.Dist[i], want[i])
		}
	}
	if !m.Rounded {
		t.Errorf("integral explicit weights should be scored as integers")
	}
	// DISTANCE and SERVICE_TIME become a depot horizon and service times.
	if !equal(p.Due, []float64{50, 50, 50, 50}) || !equal(p.Service, []float64{0, 5, 5, 5}) || !equal(p.Ready, []float64{0, 0, 0, 0}) {
		t.Errorf("due %v service %v ready %v", p.Due, p.Service, p.Ready)
	}
}

func TestReadSolomon(t *testing.T) {
	p, m := readTestdata(t, "tiny.txt")
	if m.Name != "TINY4" || m.Kind != KindVRPTW || m.N != 4 || m.Fleet != 2 || m.Capacity != 30 || m.Rounded {
		t.Fatalf("meta = %+v", m)
	}
	if len(p.Vehicles) != 2 || p.Vehicles[1].Capacity != 30 {
		t.Errorf("vehicles = %+v", p.Vehicles)
	}
	if p.Dist[0][1] != 5 || math.Abs(p.Dist[0][2]-math.Sqrt2) > 1e-12 || math.Abs(p.Dist[2][3]-math.Sqrt(10)) > 1e-12 {
		t.Errorf("distances are not exact Euclidean: %v", p.Dist[0])
	}
	if !equal(p.Ready, []float64{0, 10, 0, 30, 0}) || !equal(p.Due, []float64{100, 20, 50, 60, 95}) ||
		!equal(p.Service, []float64{0, 5, 2, 0, 10}) || !equal(p.Demand, []float64{0, 10, 5, 15, 8}) {
		t.Errorf("ready %v due %v service %v demand %v", p.Ready, p.Due, p.Service, p.Demand)
	}
}

// TestMalformed checks that each kind of bad input is rejected with the line
// and the reason, never a panic nor a half-built problem.
func TestMalformed(t *testing.T) {
	const head = "NAME : t\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n"
	const coords = "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n"
	const demands = "DEMAND_SECTION\n1 0\n2 1\n3 1\n"
	const depot = "DEPOT_SECTION\n1\n-1\nEOF\n"
	const sol = "S\nVEHICLE\nNUMBER CAPACITY\n2 10\nCUSTOMER\nCUST NO. X Y DEMAND READY DUE SERVICE\n0 0 0 0 0 100 0\n"
	tests := []struct {
		name   string
		read   func(string) error
		input  string
		line   int
		reason string
	}{
		{"empty", cvrp, "", 1, "missing TYPE"},
		{"wrong type", cvrp, "TYPE : TSP\n", 1, "TYPE: \"TSP\" is not supported"},
		{"bad dimension", cvrp, "DIMENSION : -4\n", 1, "not a positive integer"},
		{"huge dimension", cvrp, "DIMENSION : 99999999\n", 1, "at most 5001"},
		{"dimension twice", cvrp, "DIMENSION : 3\nDIMENSION : 3\n", 2, "given twice (first on line 1)"},
		{"zero capacity", cvrp, "CAPACITY : 0\n", 1, "CAPACITY: \"0\" is not a positive number"},
		{"nan capacity", cvrp, "CAPACITY : NaN\n", 1, "not a positive number"},
		{"weight type", cvrp, "EDGE_WEIGHT_TYPE : GEO\n", 1, "\"GEO\" is not supported"},
		{"unknown key", cvrp, "COLOUR : blue\n", 1, "unknown keyword \"COLOUR\""},
		{"garbage", cvrp, "hello world\n", 1, "unknown keyword \"hello\""},
		{"data outside", cvrp, "1 2 3\n", 1, "outside any section"},
		{"section first", cvrp, "NODE_COORD_SECTION\n", 1, "before DIMENSION"},
		{"node out of range", cvrp, head + "NODE_COORD_SECTION\n4 0 0\n", 7, "node \"4\" is not an integer from 1 to DIMENSION (3)"},
		{"node zero", cvrp, head + "DEMAND_SECTION\n0 5\n", 7, "node \"0\""},
		{"coord fields", cvrp, head + "NODE_COORD_SECTION\n1 0\n", 7, "want \"node x y\", got 2 fields"},
		{"coord nan", cvrp, head + "NODE_COORD_SECTION\n1 NaN 0\n", 7, "not finite numbers"},
		{"coord inf", cvrp, head + "NODE_COORD_SECTION\n1 1e400 0\n", 7, "not finite numbers"},
		{"coord twice", cvrp, head + "NODE_COORD_SECTION\n1 0 0\n1 0 0\n", 8, "node 1 given twice"},
		{"negative demand", cvrp, head + "DEMAND_SECTION\n2 -1\n", 7, "demand \"-1\" is not a non-negative number"},
		{"missing coords", cvrp, head + "NODE_COORD_SECTION\n1 0 0\n" + demands + depot, 16, "no coordinates for node 2"},
		{"missing demand", cvrp, head + coords + "DEMAND_SECTION\n1 0\n" + depot, 16, "no demand for node 2"},
		{"missing depot", cvrp, head + coords + demands + "EOF\n", 15, "missing DEPOT_SECTION"},
		{"two depots", cvrp, head + coords + demands + "DEPOT_SECTION\n1\n2\n-1\n", 16, "2 depots"},
		{"after -1", cvrp, head + coords + demands + "DEPOT_SECTION\n1 -1 2\n", 15, "after the closing -1"},
		{"depot demand", cvrp, head + coords + "DEMAND_SECTION\n1 4\n2 1\n3 1\n" + depot, 11, "depot 1 has demand 4"},
		{"explicit count", cvrp, "NAME : e\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : LOWER_ROW\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n1 2\n" + demands + depot, 17, "2 weights, LOWER_ROW of 3 nodes needs 3"},
		{"explicit no format", cvrp, "NAME : e\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n1 2 3\n" + demands + depot, 16, "cannot be used with EDGE_WEIGHT_TYPE EXPLICIT"},
		{"explicit negative", cvrp, "NAME : e\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n0 -2\n", 8, "\"-2\" is not a non-negative number"},
		{"section value", cvrp, head + "DEMAND_SECTION : 4\n", 6, "unexpected \"4\" after the keyword"},

		{"solomon empty", solomon, "", 1, "want the instance name"},
		{"solomon no vehicle", solomon, "S\nCUSTOMER\n", 2, "want VEHICLE, got \"CUSTOMER\""},
		{"solomon fleet", solomon, "S\nVEHICLE\nNUMBER CAPACITY\n0 10\n", 4, "vehicle number \"0\""},
		{"solomon capacity", solomon, "S\nVEHICLE\nNUMBER CAPACITY\n2 x\n", 4, "vehicle capacity: \"x\" is not a positive number"},
		{"solomon fields", solomon, "S\nVEHICLE\nNUMBER CAPACITY\n2 10 3\n", 4, "got 3 fields"},
		{"solomon no customer", solomon, "S\nVEHICLE\nNUMBER CAPACITY\n2 10\n", 5, "want CUSTOMER"},
		{"solomon no depot", solomon, "S\nVEHICLE\nNUMBER CAPACITY\n2 10\nCUSTOMER\nCUST NO.\n", 7, "want the depot's line"},
		{"solomon row fields", solomon, sol + "1 1 1 1 0 50\n", 8, "want 7 fields"},
		{"solomon numbering", solomon, sol + "2 1 1 1 0 50 1\n", 8, "customer number \"2\", want 1"},
		{"solomon window", solomon, sol + "1 1 1 1 60 50 1\n", 8, "window [60, 50] ends before it starts"},
		{"solomon negative", solomon, sol + "1 1 1 -1 0 50 1\n", 8, "customer 1: DEMAND: -1 is negative"},
		{"solomon nan", solomon, sol + "1 1 NaN 1 0 50 1\n", 8, "customer 1: YCOORD.: \"NaN\" is not a finite number"},
		{"solomon depot demand", solomon, "S\nVEHICLE\nNUMBER CAPACITY\n2 10\nCUSTOMER\n0 0 0 3 0 100 0\n", 6, "depot (customer 0) has demand 3"},
		{"solomon huge coords", solomon, sol + "1 1e308 0 1 0 50 1\n2 -1e308 0 1 0 50 1\n", 0, "invalid instance"},
		{"detect", read, "just some text\n", 1, "neither a CVRPLIB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.input)
			if err == nil {
				t.Fatalf("no error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Line != tt.line || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q (line %d), want line %d and %q", err, pe.Line, tt.line, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), "vrpfile: ") {
				t.Errorf("error %q does not name its origin", err)
			}
		})
	}
}

func cvrp(s string) error    { _, _, err := ReadCVRPLIB(strings.NewReader(s)); return err }
func solomon(s string) error { _, _, err := ReadSolomon(strings.NewReader(s)); return err }
func read(s string) error    { _, _, err := Read(strings.NewReader(s)); return err }

func TestReadFileNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.vrp")
	if err := os.WriteFile(path, []byte("NAME : b\nTYPE : CVRP\nDIMENSION : x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadFile(path)
	if err == nil || err.Error() != `vrpfile: broken.vrp: line 3: DIMENSION: "x" is not a positive integer` {
		t.Errorf("err = %v", err)
	}
	if _, _, err := ReadFile(filepath.Join(t.TempDir(), "missing.vrp")); err == nil {
		t.Errorf("no error for a missing file")
	}
}

func TestReadDetectsFormat(t *testing.T) {
	for _, tt := range []struct {
		file string
		kind Kind
	}{{"tiny.vrp", KindCVRP}, {"depot3.vrp", KindCVRP}, {"explicit.vrp", KindCVRP}, {"tiny.txt", KindVRPTW}} {
		data, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		_, m, err := Read(bytes.NewReader(data))
		if err != nil || m.Kind != tt.kind {
			t.Errorf("%s: kind %q, err %v; want %q", tt.file, m.Kind, err, tt.kind)
		}
	}
}

func TestWriteSolutionRoundTrip(t *testing.T) {
	sol := routing.Solution{
		Routes: []routing.Route{{Nodes: []int{3, 1}}, {Nodes: nil}, {Nodes: []int{2, 4}}},
		Cost:   784.4999,
	}
	tests := []struct {
		meta Meta
		want string
	}{
		{Meta{Rounded: true}, "Route #1: 3 1\nRoute #2: 2 4\nCost 784\n"},
		{Meta{}, "Route #1: 3 1\nRoute #2: 2 4\nCost 784.50\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteSolution(&buf, tt.meta, sol); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("got %q, want %q", buf.String(), tt.want)
		}
		routes, cost, err := ReadSolution(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if len(routes) != 2 || !equalInts(routes[0], []int{3, 1}) || !equalInts(routes[1], []int{2, 4}) {
			t.Errorf("routes = %v", routes)
		}
		if math.Abs(cost-sol.Cost) > 0.51 {
			t.Errorf("cost = %v", cost)
		}
	}
	for _, bad := range []string{"Route #1: 1 x\nCost 3\n", "Route #1: 1 2\n", "Route #1 1 2\nCost 1\n", "Cost abc\n"} {
		if _, _, err := ReadSolution(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadSolution(%q): no error", bad)
		}
	}
}

// TestSolveTiny makes sure what the readers build is a problem the engine
// accepts and solves feasibly.
func TestSolveTiny(t *testing.T) {
	for _, name := range []string{"tiny.vrp", "depot3.vrp", "explicit.vrp", "tiny.txt"} {
		p, _ := readTestdata(t, name)
		sol, err := routing.Solve(t.Context(), p, routing.Options{Seed: 1, MaxIterations: 200})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := routing.Check(p, sol); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if len(sol.Unassigned) != 0 {
			t.Errorf("%s: unassigned %v", name, sol.Unassigned)
		}
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReadBenchInstances reads every benchmark instance in the shared bench
// folder (../shared/bench relative to the repository, outside it; skipped when
// absent) and checks the sizes against bks.csv.
func TestReadBenchInstances(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "shared", "bench")
	bks, err := os.ReadFile(filepath.Join(root, "bks.csv"))
	if err != nil {
		t.Skipf("no benchmark instances: %v", err)
	}
	sizes := map[string]string{}
	for _, line := range strings.Split(string(bks), "\n")[1:] {
		if f := strings.Split(line, ","); len(f) > 3 {
			sizes[f[0]] = f[2] + "/" + f[3]
		}
	}
	paths, _ := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	read := 0
	for _, path := range paths {
		if ext := filepath.Ext(path); ext != ".vrp" && ext != ".txt" {
			continue
		}
		p, m, err := ReadFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		read++
		got := strconv.Itoa(m.N) + "/" + strconv.FormatFloat(m.Capacity, 'f', -1, 64)
		if want := sizes[m.Name]; got != want {
			t.Errorf("%s: customers/capacity %s, bks.csv says %q", m.Name, got, want)
		}
		if m.Kind == KindVRPTW && (m.Fleet != len(p.Vehicles) || m.Fleet < 1) {
			t.Errorf("%s: fleet %d", m.Name, m.Fleet)
		}
		// Augerat's A and P instances are named after their fleet (-kN).
		if strings.HasPrefix(m.Name, "A-") || strings.HasPrefix(m.Name, "P-") {
			if k := m.Name[strings.LastIndex(m.Name, "-k")+2:]; strconv.Itoa(m.Fleet) != k {
				t.Errorf("%s: fleet %d", m.Name, m.Fleet)
			}
		}
	}
	if read == 0 {
		t.Skip("no instance files")
	}
}

// TestReadCVRPLIBFleetFromComment checks that Augerat's "No of trucks: N"
// bounds the fleet, as the sets' best-known costs assume, and that VEHICLES
// wins over it.
func TestReadCVRPLIBFleetFromComment(t *testing.T) {
	body := "TYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n" +
		"NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\nDEMAND_SECTION\n1 0\n2 5\n3 5\nDEPOT_SECTION\n1\n-1\nEOF\n"
	tests := []struct {
		head  string
		fleet int
	}{
		{"NAME : P-n3-k1\nCOMMENT : (Augerat et al, No of trucks: 1, Optimal value: 20)\n", 1},
		{"NAME : p\nCOMMENT : (Augerat et al, no of trucks:2)\n", 2},
		{"NAME : v\nCOMMENT : (No of trucks: 1)\nVEHICLES : 2\n", 2},
		{"NAME : x\nCOMMENT : \"Generated by Uchoa et al.\"\n", 0},
	}
	for _, tt := range tests {
		p, m, err := ReadCVRPLIB(strings.NewReader(tt.head + body))
		if err != nil {
			t.Fatal(err)
		}
		want := tt.fleet
		if want == 0 {
			want = m.N // one vehicle per customer: no bound
		}
		if m.Fleet != tt.fleet || len(p.Vehicles) != want {
			t.Errorf("%q: fleet %d with %d vehicles, want %d", tt.head, m.Fleet, len(p.Vehicles), tt.fleet)
		}
	}
}
