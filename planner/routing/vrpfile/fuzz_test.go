package vrpfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paniers/planner/routing"
)

// addSeeds adds the hand-made testdata files with the given suffix, and
// broken variants of them, to the fuzz corpus (the files under
// testdata/fuzz/ are added by the fuzzing engine itself).
func addSeeds(f *testing.F, suffix string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*"+suffix))
	if len(paths) == 0 {
		f.Fatalf("no testdata/*%s seed files", suffix)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
	}
}

// checkRead is the fuzz property: a reader either fails with a *ParseError or
// returns a problem the engine accepts, with metadata that matches it.
func checkRead(t *testing.T, p *routing.Problem, m Meta, err error) {
	if err != nil {
		if _, ok := err.(*ParseError); !ok {
			t.Fatalf("error %v (%T) is not a *ParseError", err, err)
		}
		if !strings.HasPrefix(err.Error(), "vrpfile: ") {
			t.Fatalf("error %q does not name its origin", err)
		}
		return
	}
	if p == nil {
		t.Fatal("nil problem without an error")
	}
	if verr := p.Validate(); verr != nil {
		t.Fatalf("reader returned an invalid problem: %v", verr)
	}
	if m.N != len(p.Dist)-1 || len(m.IDs) != len(p.Dist) || len(p.Vehicles) == 0 {
		t.Fatalf("meta %+v does not match a problem of %d nodes", m, len(p.Dist))
	}
	if m.Fleet != 0 && m.Fleet != len(p.Vehicles) {
		t.Fatalf("fleet %d, problem has %d vehicles", m.Fleet, len(p.Vehicles))
	}
}

func FuzzReadCVRPLIB(f *testing.F) {
	addSeeds(f, ".vrp")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, m, err := ReadCVRPLIB(bytes.NewReader(data))
		checkRead(t, p, m, err)
		if err == nil && m.Kind != KindCVRP {
			t.Fatalf("kind %q", m.Kind)
		}
	})
}

func FuzzReadSolomon(f *testing.F) {
	addSeeds(f, ".txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, m, err := ReadSolomon(bytes.NewReader(data))
		checkRead(t, p, m, err)
		if err == nil && (m.Kind != KindVRPTW || p.Ready == nil || m.Fleet != len(p.Vehicles)) {
			t.Fatalf("meta %+v", m)
		}
	})
}
