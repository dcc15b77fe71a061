package api

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"paniers/planner/egalim"
)

// egalimSchema is ma-cantine's purchase Table Schema, read from the shared
// folder beside the repository (never copied into it).
var egalimSchema = filepath.Join("..", "..", "shared", "egalim", "achats_siret.json")

// tableSchemaModule is where .ci/run installs frictionlessdata's tableschema.
var tableSchemaModule = filepath.Join("..", ".cache", "npm", "tableschema", "node_modules")

// skipOrFail skips the test outside CI and fails it in CI (CI=true), where
// .ci/run provides what is missing.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// tableSchema checks a purchase file against ma-cantine's Table Schema
// with frictionlessdata's tableschema library, run by node: the header
// (names and order) and every row (types, date format, required fields,
// patterns). It returns the rows the library read and what it refused.
func tableSchema(t *testing.T, body []byte) (rows int, refused []string) {
	t.Helper()
	if _, err := os.Stat(egalimSchema); err != nil {
		skipOrFail(t, "ma-cantine's schema %s is absent: %v", egalimSchema, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node is not installed: the Table Schema check needs it")
	}
	if _, err := os.Stat(filepath.Join(tableSchemaModule, "tableschema")); err != nil {
		skipOrFail(t, "npm tableschema is not installed in %s (.ci/run installs it)", tableSchemaModule)
	}
	file := filepath.Join(t.TempDir(), "achats.csv")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "egalim", "validate.cjs"), egalimSchema, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+tableSchemaModule)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tableschema: %v\n%s", err, stderr.String())
	}
	var res struct {
		Rows   int
		Errors []string
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("tableschema output %q: %v", out, err)
	}
	return res.Rows, res.Errors
}

// TestTableSchemaCheckCatchesErrors makes sure the check above can fail:
// a file with a French decimal comma, a day-first date, an unknown family
// and a lower-case label, and one with a column missing, are refused.
func TestTableSchemaCheckCatchesErrors(t *testing.T) {
	for _, tc := range []struct{ name, csv string }{
		{"bad cells", strings.Join(egalim.PurchaseColumns, ",") + "\n21620999900012,Carottes,Ferme A,01/12/2026,\"12,34\",LEGUMES,bio,,OUI,NON,,\n"},
		{"missing column", strings.Join(egalim.PurchaseColumns[1:], ",") + "\nCarottes,Ferme A,2026-12-01,12.34,FRUITS_ET_LEGUMES,BIO,,OUI,NON,,\n"},
		{"columns out of order", "description,siret," + strings.Join(egalim.PurchaseColumns[2:], ",") + "\nCarottes,21620999900012,Ferme A,2026-12-01,12.34,FRUITS_ET_LEGUMES,BIO,,OUI,NON,,\n"},
		{"required siret empty", strings.Join(egalim.PurchaseColumns, ",") + "\n,Carottes,Ferme A,2026-12-01,12.34,FRUITS_ET_LEGUMES,BIO,,OUI,NON,,\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, refused := tableSchema(t, []byte(tc.csv)); len(refused) == 0 {
				t.Errorf("accepted:\n%s", tc.csv)
			}
		})
	}
}
