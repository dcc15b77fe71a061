package cli

import (
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"paniers/internal/testdb"
	"paniers/internal/testlog"
)

// The tests that run the real binary (kill it while it writes, probe it as
// a hostile client) share a fixture: the binary, built once per run of the
// package's tests, a database and a publication folder of their own, and a
// random source whose seed is logged (PANIERS_TEST_SEED replays a run).

// binaryFixture is one such test's setup.
type binaryFixture struct {
	t *testing.T
	// bin is the built binary; db its database (testdb.DSN: a temp SQLite
	// file, or a PANIERS_TEST_PG schema), which a test may replace before
	// start; out its publication folder.
	bin, db, out string
	seed         int64
	rng          *rand.Rand
}

// newBinaryFixture skips under -short ("builds the binary and " + what),
// builds the binary and logs the seed.
func newBinaryFixture(t *testing.T, what string) *binaryFixture {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and " + what)
	}
	f := &binaryFixture{t: t, bin: buildBinary(t), db: testdb.DSN(t), out: filepath.Join(t.TempDir(), "out")}
	f.seed = time.Now().UnixNano()
	if raw := os.Getenv("PANIERS_TEST_SEED"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			t.Fatalf("PANIERS_TEST_SEED=%q: a whole number expected", raw)
		}
		f.seed = n
	}
	f.rng = rand.New(rand.NewSource(f.seed))
	t.Logf("random choices from seed %d (PANIERS_TEST_SEED=%d replays them)", f.seed, f.seed)
	return f
}

// start starts `paniers serve --demo` on the fixture's database.
func (f *binaryFixture) start() *child {
	f.t.Helper()
	return startChild(f.t, f.bin, f.db, f.out)
}

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// buildBinary builds the paniers binary (the module's root package, whose
// main only calls Run) once per run of the package's tests, into a folder
// TestMain removes, and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "paniers-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "paniers")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, "paniers").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// child is a `paniers serve` process.
type child struct {
	cmd  *exec.Cmd
	addr string
	logs *testlog.Buffer
}

func startChild(t *testing.T, bin, db, out string) *child {
	t.Helper()
	c := &child{logs: &testlog.Buffer{}}
	c.cmd = exec.Command(bin, "serve", "--db", db, "--out", out, "--addr", "127.0.0.1:0", "--log-format", "json", "--demo")
	c.cmd.Env = append(os.Environ(), "PANIERS_SCHEDULE_PLAN=0 14 * * 4", "PANIERS_SCHEDULE_PUBLISH=30 14 * * 4")
	c.cmd.Stdout = io.Discard
	c.cmd.Stderr = c.logs
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if addr, ok := c.logs.ListenAddr(); ok {
			c.addr = addr
			return c
		}
	}
	c.cmd.Process.Kill()
	c.cmd.Wait()
	t.Fatalf("child did not listen:\n%s", c.logs.String())
	return nil
}

func (c *child) kill() {
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
}
