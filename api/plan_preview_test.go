package api

import (
	"context"
	"net/http"
	"testing"

	"paniers/models"
)

// TestPlanPreviewLeavesTheWeekAlone: POST .../plan?preview=true answers the
// plan the week would get now (200, no version), and afterwards the week is
// still open to offers and orders, no version is stored and no job run is
// recorded; the plan stored next is the one the preview showed.
func TestPlanPreviewLeavesTheWeekAlone(t *testing.T) {
	e := newPlanEnv(t)
	ctx := context.Background()
	plan := "/api/v1/weeks/" + openWeek + "/plan"

	r := e.do(req{method: "POST", path: plan + "?preview=true", token: tokCoord})
	wantStatus(t, r, http.StatusOK)
	if r.Header().Get("Location") != "" {
		t.Errorf("a preview has no Location, got %q", r.Header().Get("Location"))
	}
	preview := decode[previewPlanBody](t, r)
	if !preview.Preview || preview.Week != openWeek || len(preview.Allocations) == 0 || len(preview.Rounds) == 0 {
		t.Fatalf("preview: %+v", preview)
	}

	w, err := e.st.GetWeek(ctx, openWeek)
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != models.WeekOpen {
		t.Fatalf("after a preview the week is %q, want open", w.Status)
	}
	if _, err := e.st.CurrentPlan(ctx, openWeek); err == nil {
		t.Fatal("a preview stored a plan version")
	}
	runs, err := e.st.ListJobRuns(ctx, models.JobRunFilter{}, models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 0 {
		t.Fatalf("a preview recorded %d job runs: %+v", len(runs), runs)
	}
	wantStatus(t, e.do(req{method: "GET", path: plan, token: tokCoord}), http.StatusNotFound)

	// The week still takes offers: a farmer posts after the preview.
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/" + openWeek + "/offers", token: tokFarmerA,
		body: map[string]any{"product": "poireau", "quantity": 40, "price_cents": 150}}), http.StatusOK)

	// Planning for real stores the plan the preview showed.
	r = e.do(req{method: "POST", path: plan, token: tokCoord})
	wantStatus(t, r, http.StatusCreated)
	stored := decode[fullPlanBody](t, r)
	if len(stored.Allocations) != len(preview.Allocations) || stored.Summary.DistanceKm != preview.Summary.DistanceKm {
		t.Errorf("stored plan differs from its preview: %d/%d allocations, %v/%v km",
			len(stored.Allocations), len(preview.Allocations), stored.Summary.DistanceKm, preview.Summary.DistanceKm)
	}
}

func TestPlanPreviewParameter(t *testing.T) {
	e := newPlanEnv(t)
	plan := "/api/v1/weeks/" + openWeek + "/plan"
	for _, tc := range []struct {
		query  string
		token  string
		status int
	}{
		{"?preview=oui", tokCoord, http.StatusBadRequest},
		{"?preview=true", tokFarmerA, http.StatusForbidden},
		{"?preview=true", tokRelayCentre, http.StatusForbidden},
		{"?preview=true", "", http.StatusUnauthorized},
	} {
		r := e.do(req{method: "POST", path: plan + tc.query, token: tc.token})
		wantStatus(t, r, tc.status)
		if tc.status == http.StatusBadRequest && !contains(r.problemFields(t), "preview") {
			t.Errorf("%s: the 400 does not name preview: %s", tc.query, r.Body.String())
		}
	}
	wantStatus(t, e.do(req{method: "POST", path: "/api/v1/weeks/2031-W02/plan?preview=true", token: tokCoord}), http.StatusNotFound)
	wantStatus(t, e.do(req{method: "POST", path: plan + "?preview=false", token: tokCoord}), http.StatusCreated)
}
