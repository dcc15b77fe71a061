package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner/sheets"
)

// TestHouseholdExportAndErasure walks the GDPR scenario: a household with a
// subscription and orders is exported by the coordinator, then erased; the
// export after erasure holds nothing personal, the relay point's totals in
// the week's scenario are exactly what they were, and nothing (lists,
// orders, replayed idempotent answers, logs) still shows the name, contact
// or chosen id.
func TestHouseholdExportAndErasure(t *testing.T) {
	e := newEnv(t)
	const (
		base     = "/api/v1/sites/relais-centre/households/famille-martin"
		name     = "Famille Martin"
		contact  = "06 00 00 00 01"
		week     = "/api/v1/weeks/" + openWeek
		orderKey = "commande-martin-1"
	)
	// Two orders on the household's behalf, one sent with an
	// Idempotency-Key so its answer is remembered.
	e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre, header: map[string]string{"Idempotency-Key": orderKey},
		body: `{"id": "martin-extra", "class": "extra", "product": "pomme", "quantity": 3, "household": "famille-martin"}`}).expect(t, 201)
	e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre,
		body: `{"id": "martin-paniers", "class": "basket", "basket": "moyen", "count": 2, "household": "famille-martin"}`}).expect(t, 201)
	// Another household of the same relay point, untouched by the erasure.
	e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households", token: tokCoord,
		body: `{"id": "famille-petit", "name": "Famille Petit", "contact": "petit@example.org", "basket": "moyen", "basket_count": 1}`}).expect(t, 201)

	scenarioBefore := e.do(req{method: "GET", path: week + "/scenario", token: tokCoord}).expect(t, 200).Body.String()

	// Only the coordinator exports or erases, and only under the
	// household's own relay point.
	for _, tc := range []struct {
		method, path, token string
		status              int
	}{
		{"GET", base + "/export", tokRelayCentre, 403},
		{"GET", base + "/export", tokRelayNord, 403},
		{"GET", base + "/export", tokFarmerA, 403},
		{"GET", base + "/export", tokCookA, 403},
		{"GET", base + "/export", "", 401},
		{"POST", base + "/erase", tokRelayCentre, 403},
		{"POST", base + "/erase", tokRelayNord, 403},
		{"POST", base + "/erase", tokFarmerA, 403},
		{"GET", "/api/v1/sites/relais-nord/households/famille-martin/export", tokCoord, 404},
		{"POST", "/api/v1/sites/relais-nord/households/famille-martin/erase", tokCoord, 404},
		{"GET", "/api/v1/sites/relais-centre/households/inconnu/export", tokCoord, 404},
		{"POST", "/api/v1/sites/relais-centre/households/inconnu/erase", tokCoord, 404},
		{"GET", "/api/v1/sites/relais-centre/households/Jean%20Dupont/export", tokCoord, 400},
	} {
		w := e.do(req{method: tc.method, path: tc.path, token: tc.token})
		if w.Code != tc.status {
			t.Errorf("%s %s as %q: status %d, want %d\n%s", tc.method, tc.path, tc.token, w.Code, tc.status, w.Body.String())
		}
		if w.Code >= 400 {
			w.problemFields(t)
		}
	}

	// The export: the household and both its orders.
	w := e.do(req{method: "GET", path: base + "/export", token: tokCoord}).expect(t, 200)
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("export Content-Disposition %q, want an attachment", cd)
	}
	x := w.json(t)
	h := x["household"].(map[string]any)
	if h["name"] != name || h["contact"] != contact || h["id"] != "famille-martin" || h["basket_count"] != float64(1) {
		t.Errorf("export household = %v", h)
	}
	orders := x["orders"].([]any)
	if len(orders) != 2 {
		t.Fatalf("export holds %d orders, want 2: %v", len(orders), orders)
	}

	// The erasure.
	w = e.do(req{method: "POST", path: base + "/erase", token: tokCoord}).expect(t, 200)
	er := w.json(t)
	anon := er["household"].(map[string]any)
	newID, _ := anon["id"].(string)
	if er["erased"] != "famille-martin" || er["orders"] != float64(2) {
		t.Errorf("erasure answer = %v", er)
	}
	if !strings.HasPrefix(newID, "h-") || anon["name"] != models.ErasedHouseholdName || anon["contact"] != "" ||
		anon["site"] != "relais-centre" || anon["basket"] != "moyen" || anon["basket_count"] != float64(1) {
		t.Errorf("erased household = %v", anon)
	}

	// The totals of the week are exactly those of before.
	scenarioAfter := e.do(req{method: "GET", path: week + "/scenario", token: tokCoord}).expect(t, 200).Body.String()
	if scenarioAfter != scenarioBefore {
		t.Errorf("erasure changed the week's scenario:\nbefore %s\nafter  %s", scenarioBefore, scenarioAfter)
	}

	// The old id is gone everywhere.
	e.do(req{method: "GET", path: base, token: tokCoord}).expect(t, 404)
	e.do(req{method: "GET", path: base + "/export", token: tokCoord}).expect(t, 404)
	after := e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/households/" + newID + "/export", token: tokCoord}).expect(t, 200)
	xa := after.json(t)
	if got := len(xa["orders"].([]any)); got != 2 {
		t.Errorf("the erased household keeps %d orders, want 2", got)
	}
	for _, o := range xa["orders"].([]any) {
		om := o.(map[string]any)
		if om["household"] != newID {
			t.Errorf("order %v not re-pointed to %s", om["id"], newID)
		}
	}
	seen := map[string]string{
		"export after":      after.Body.String(),
		"households list":   e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/households", token: tokCoord}).expect(t, 200).Body.String(),
		"relay's list":      e.do(req{method: "GET", path: "/api/v1/sites/relais-centre/households", token: tokRelayCentre}).expect(t, 200).Body.String(),
		"orders list":       e.do(req{method: "GET", path: week + "/orders", token: tokCoord}).expect(t, 200).Body.String(),
		"order":             e.do(req{method: "GET", path: week + "/orders/martin-extra", token: tokRelayCentre}).expect(t, 200).Body.String(),
		"orders by old id":  e.do(req{method: "GET", path: week + "/orders?household=famille-martin", token: tokCoord}).expect(t, 200).Body.String(),
		"scenario":          scenarioAfter,
		"erasure answer":    strings.Replace(w.Body.String(), `"erased":"famille-martin"`, "", 1),
		"log of the server": e.logs.String(),
	}
	// The retried request with the same key is judged again (its
	// remembered answer named the household) and refused, as the household
	// no longer exists: no stored answer brings the old id back.
	retry := e.do(req{method: "POST", path: week + "/orders", token: tokRelayCentre, header: map[string]string{"Idempotency-Key": orderKey},
		body: `{"id": "martin-extra", "class": "extra", "product": "pomme", "quantity": 3, "household": "famille-martin"}`})
	if retry.Code < 400 || retry.Header().Get("Idempotent-Replayed") != "" {
		t.Errorf("retry after erasure: status %d, replayed %q: %s", retry.Code, retry.Header().Get("Idempotent-Replayed"), retry.Body.String())
	}
	for what, body := range seen {
		for _, secret := range []string{name, contact} {
			if strings.Contains(body, secret) {
				t.Errorf("%s still holds %q", what, secret)
			}
		}
		if what != "log of the server" && strings.Contains(body, "famille-martin") {
			t.Errorf("%s still holds the erased id", what)
		}
	}
	if strings.Contains(seen["orders by old id"], `"id"`) {
		t.Errorf("orders are still found by the erased id: %s", seen["orders by old id"])
	}
	if !strings.Contains(seen["relay's list"], "Famille Petit") {
		t.Errorf("the other household was touched: %s", seen["relay's list"])
	}
	// Erasing again only moves the anonymous household to another id.
	again := e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households/" + newID + "/erase", token: tokCoord}).expect(t, 200).json(t)
	if again["household"].(map[string]any)["id"] == newID || again["orders"] != float64(2) {
		t.Errorf("second erasure = %v", again)
	}
	if s := e.do(req{method: "GET", path: week + "/scenario", token: tokCoord}).expect(t, 200).Body.String(); s != scenarioBefore {
		t.Errorf("second erasure changed the scenario")
	}
}

// TestErasureRewritesPublishedFiles: erasing a household rewrites the
// published folder's files that named it (its relay point's pick-up list,
// the hub's packing list) from the stored lists, keeping the version; the
// other lists stay as they were, byte for byte.
func TestErasureRewritesPublishedFiles(t *testing.T) {
	e := newPlanEnv(t)
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/plan", token: tokCoord}), http.StatusCreated)
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/publish", token: tokCoord}), http.StatusOK)
	dir := filepath.Join(e.srv.opts.Jobs.(*jobs.Service).Deps().OutDir, openWeek)
	folder := func() (jobs.Manifest, map[string][]byte) {
		t.Helper()
		var m jobs.Manifest
		raw, err := os.ReadFile(filepath.Join(dir, jobs.ManifestName))
		if err != nil || json.Unmarshal(raw, &m) != nil {
			t.Fatalf("manifest: %v\n%s", err, raw)
		}
		files := map[string][]byte{}
		for _, d := range m.Documents {
			if files[d.File], err = os.ReadFile(filepath.Join(dir, d.File)); err != nil {
				t.Fatal(err)
			}
		}
		return m, files
	}
	before, filesBefore := folder()
	pickup := ""
	for _, d := range before.Documents {
		if d.Kind == sheets.KindPickupList && d.For == "relais-centre" && d.Format == sheets.FormatCSV {
			pickup = d.File
		}
	}
	if !bytes.Contains(filesBefore[pickup], []byte("Famille Martin")) {
		t.Fatalf("the published pick-up list %q does not name the household:\n%s", pickup, filesBefore[pickup])
	}
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/sites/relais-centre/households/famille-martin/erase", token: tokCoord}), http.StatusOK)
	after, filesAfter := folder()
	if after.Version != before.Version || len(after.Documents) != len(before.Documents) {
		t.Errorf("manifest version %d with %d documents, was %d with %d", after.Version, len(after.Documents), before.Version, len(before.Documents))
	}
	for name, b := range filesAfter {
		switch {
		case bytes.Contains(b, []byte("Famille Martin")) || bytes.Contains(b, []byte("famille-martin")):
			t.Errorf("%s still names the erased household", name)
		case name == pickup:
			if !bytes.Contains(b, []byte(models.ErasedHouseholdName)) {
				t.Errorf("%s lost the erased household's line:\n%s", name, b)
			}
		case strings.HasSuffix(name, ".csv") && !bytes.Contains(filesBefore[name], []byte("Famille Martin")) && !bytes.Equal(b, filesBefore[name]):
			t.Errorf("%s changed with an erasure that does not concern it", name)
		}
	}
}
