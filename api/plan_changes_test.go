package api

import (
	"context"
	"net/http"
	"testing"

	"paniers/jobs"
	"paniers/models"
)

// TestPlanChangesRoute: a week planned, an offer cut and an order added,
// planned again: the versions list says each version's seed, trigger and
// where its changes are, and the changes route names what moved; bad or
// unknown versions are refused naming the field.
func TestPlanChangesRoute(t *testing.T) {
	e := newPlanEnv(t)
	ctx := context.Background()
	base := "/api/v1/weeks/" + openWeek
	wantStatus(t, e.do(req{method: "POST", path: base + "/plan", token: tokCoord}), http.StatusCreated)
	if _, err := e.st.SetWeekStatus(ctx, openWeek, models.WeekOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.PutOffer(ctx, &models.Offer{WeekID: openWeek, ProducerID: "ferme-a", ProductID: "poireau", Quantity: 10, PriceCents: 150}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateOrder(ctx, &models.Order{ID: "centre-extra-2", WeekID: openWeek, SiteID: "relais-centre", Class: "extra",
		ProductID: ptr("poireau"), Quantity: 3}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.do(req{method: "POST", path: base + "/plan?seed=7", token: tokCoord}), http.StatusCreated)

	versions := decode[listBody[planVersionBody]](t, e.do(req{method: "GET", path: base + "/plans", token: tokCoord}))
	if len(versions.Items) != 2 {
		t.Fatalf("versions %+v", versions.Items)
	}
	v2, v1 := versions.Items[0], versions.Items[1]
	if v2.Seed != 7 || v1.Seed != 1 || v2.Trigger != jobs.TriggerAPI || v2.Changes != base+"/plans/2/changes" {
		t.Errorf("versions: %+v %+v", v2, v1)
	}

	r := e.do(req{method: "GET", path: v2.Changes, token: tokCoord})
	wantStatus(t, r, http.StatusOK)
	c := decode[jobs.Changes](t, r)
	if c.Version != 2 || c.Base != 1 || !c.InputsCompared {
		t.Fatalf("changes %+v", c)
	}
	if len(c.OffersChanged) != 1 || c.OffersChanged[0].Product != "poireau" || c.OffersChanged[0].Before != 40 || c.OffersChanged[0].After != 10 {
		t.Errorf("offers changed %+v, want poireau 40 -> 10", c.OffersChanged)
	}
	if len(c.OrdersAdded) != 1 || c.OrdersAdded[0].ID != "centre-extra-2" {
		t.Errorf("orders added %+v, want centre-extra-2", c.OrdersAdded)
	}
	first := decode[jobs.Changes](t, e.do(req{method: "GET", path: base + "/plans/1/changes", token: tokCoord}))
	if first.Base != 0 || !first.Empty() {
		t.Errorf("first version's changes %+v, want none", first)
	}
	for _, bad := range []struct {
		path   string
		status int
	}{{base + "/plans/0/changes", 400}, {base + "/plans/x/changes", 400}, {base + "/plans/3/changes", 404}, {"/api/v1/weeks/2026-49/plans/1/changes", 400}} {
		r := e.do(req{method: "GET", path: bad.path, token: tokCoord})
		wantStatus(t, r, bad.status)
		if f := r.problemFields(t); len(f) == 0 || (f[0] != "version" && f[0] != "week") {
			t.Errorf("%s: fields %v", bad.path, f)
		}
	}
	wantStatus(t, e.do(req{method: "GET", path: v2.Changes, token: tokFarmerA}), http.StatusForbidden)

	runs := decode[listBody[jobRunBody]](t, e.do(req{method: "GET", path: "/api/v1/jobs?outcome=ok&week=" + openWeek, token: tokCoord}))
	if len(runs.Items) != 2 || runs.Items[0].Trigger != jobs.TriggerAPI {
		t.Errorf("ok runs of the week: %+v", runs.Items)
	}
	r = e.do(req{method: "GET", path: "/api/v1/jobs?outcome=done", token: tokCoord})
	wantStatus(t, r, http.StatusBadRequest)
	if f := r.problemFields(t); len(f) == 0 || f[0] != "outcome" {
		t.Errorf("bad outcome: fields %v", f)
	}
}
