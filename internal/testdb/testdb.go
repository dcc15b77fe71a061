// Package testdb gives tests a fresh, isolated database: an SQLite file in
// the test's temporary directory, or, when PANIERS_TEST_PG holds a
// PostgreSQL URL, a schema of its own on that server, dropped when the test
// ends. Tests that open their store through it run unchanged on both
// backends: `.ci/run` runs the whole suite a second time with
// PANIERS_TEST_PG set when a server answers.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"paniers/models"
)

// EnvPG names the environment variable holding the PostgreSQL URL of the
// tests.
const EnvPG = "PANIERS_TEST_PG"

// Backend returns "postgres" when PANIERS_TEST_PG is set, else "sqlite".
func Backend() string {
	if os.Getenv(EnvPG) != "" {
		return "postgres"
	}
	return "sqlite"
}

// DSN returns the data source name of a fresh, empty database for tb on the
// backend Backend chooses. Several stores (or processes: `paniers serve`
// started by a test) may open it; on PostgreSQL the schema is dropped at the
// end of the test, after the stores opened by the test are closed (cleanups
// run last-registered first, and DSN is called before the store is opened).
func DSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvPG)
	if base == "" {
		return filepath.Join(tb.TempDir(), "paniers.db")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := fmt.Sprintf("t_%d_%s", os.Getpid(), hex.EncodeToString(b[:]))
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		tb.Fatalf("testdb: postgres %s: %v", redact(base), err)
	}
	sqlDB, err := admin.DB()
	if err != nil {
		tb.Fatalf("testdb: postgres: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		sqlDB.Close()
		tb.Fatalf("testdb: postgres: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		sqlDB.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Open opens and migrates a store on a fresh database (see DSN) and closes
// it when the test ends.
func Open(tb testing.TB, opts ...models.Option) *models.Store {
	tb.Helper()
	dsn := DSN(tb)
	st, err := models.Open(context.Background(), dsn, nil, opts...)
	if err != nil {
		tb.Fatalf("testdb: open %s: %v", Backend(), err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// redact hides a password in a URL for error messages.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			return dsn[:j+3] + "…" + dsn[i:]
		}
	}
	return dsn
}
