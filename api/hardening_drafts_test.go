package api

import (
	"net/http"
	"testing"
)

// TestDraftsInvisible checks that farmers, relay managers and cooks read a
// week's plan and documents as published only: before the first
// publication a 404, after a re-plan the published version, never a draft
// even by ?version=. The coordinator reads drafts.
func TestDraftsInvisible(t *testing.T) {
	e := newPlanEnv(t)
	base := "/api/v1/weeks/" + openWeek
	wantStatus(t, e.do(req{method: "POST", path: base + "/plan", token: tokCoord}), http.StatusCreated)

	readers := []struct{ name, token, doc string }{
		{"farmer", tokFarmerA, "/documents/preparation-list/ferme-a.pdf"},
		{"relay", tokRelayCentre, "/documents/pickup-list/relais-centre.csv"},
		{"cook", tokCookB, "/documents/delivery-note/cantine-b.txt"},
	}
	for _, r := range readers {
		for _, path := range []string{"/plan", "/plan?version=1", "/documents", r.doc, r.doc + "?version=1"} {
			if w := e.do(req{method: "GET", path: base + path, token: r.token}); w.Code != 404 {
				t.Errorf("%s reads the draft %s before publication: %d\n%.300s", r.name, path, w.Code, w.Body.String())
			}
		}
	}
	for _, path := range []string{"/plan", "/documents", readers[1].doc} {
		wantStatus(t, e.do(req{method: "GET", path: base + path, token: tokCoord}), 200)
	}

	// Published, then re-planned: the published version 1 is what they see.
	wantStatus(t, e.do(req{method: "POST", path: base + "/publish", token: tokCoord}), 200)
	wantStatus(t, e.do(req{method: "POST", path: base + "/plan?seed=2", token: tokCoord}), http.StatusCreated)
	for _, r := range readers {
		if v := decode[scopedPlanBody](t, e.do(req{method: "GET", path: base + "/plan", token: r.token})); v.Version != 1 || !v.Published {
			t.Errorf("%s reads plan v%d (published %v), want the published v1", r.name, v.Version, v.Published)
		}
		if l := decode[documentsBody](t, e.do(req{method: "GET", path: base + "/documents", token: r.token})); l.Version != 1 {
			t.Errorf("%s lists the documents of v%d, want v1", r.name, l.Version)
		}
		wantStatus(t, e.do(req{method: "GET", path: base + r.doc, token: r.token}), 200)
		wantStatus(t, e.do(req{method: "GET", path: base + r.doc + "?version=1", token: r.token}), 200)
		for _, path := range []string{"/plan?version=2", r.doc + "?version=2"} {
			if w := e.do(req{method: "GET", path: base + path, token: r.token}); w.Code != 404 {
				t.Errorf("%s reads the draft %s: %d", r.name, path, w.Code)
			}
		}
	}
	if v := decode[fullPlanBody](t, e.do(req{method: "GET", path: base + "/plan", token: tokCoord})); v.Version != 2 {
		t.Errorf("the coordinator reads v%d, want the draft v2", v.Version)
	}
	if l := decode[documentsBody](t, e.do(req{method: "GET", path: base + "/documents", token: tokCoord})); l.Version != 2 {
		t.Errorf("the coordinator lists v%d, want the draft v2", l.Version)
	}
}
