package jobs_test

import (
	"bytes"
	"context"
	"testing"

	"paniers/jobs"
	"paniers/models"
	"paniers/planner/sheets"
)

// TestPublishedPickupListsDoNotChange: a published pick-up list is what was
// planned, whatever happens to the households afterwards: renamed or
// paused, they read the same in the published version, and only a new
// version shows the change. An erased household leaves the stored lists
// too: the published version no longer names it, nor holds its old id,
// and its relay point's totals do not move.
func TestPublishedPickupListsDoNotChange(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := context.Background()
	f.clock.Set(afterOrders)
	if _, err := jobs.PlanWeek(ctx, f.deps, f.week, 1); err != nil {
		t.Fatal(err)
	}
	res, err := jobs.Publish(ctx, f.deps, f.week)
	if err != nil {
		t.Fatal(err)
	}
	v1 := res.Stored.Version
	const site = "relais-grenay"
	list := func(version int) []byte {
		t.Helper()
		in, _, err := jobs.DocumentInput(ctx, f.st, f.week, version)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := sheets.Render(in, sheets.KindPickupList, site, sheets.FormatCSV)
		if err != nil {
			t.Fatal(err)
		}
		return doc.Body
	}
	published := list(v1)
	homes, err := f.st.ListHouseholds(ctx, site, models.Page{})
	if err != nil || len(homes) < 3 {
		t.Fatalf("households of %s: %v, %v", site, homes, err)
	}
	var subscribed []models.Household
	for _, h := range homes {
		if h.BasketTypeID != nil && !h.Paused && bytes.Contains(published, []byte(h.Name)) {
			subscribed = append(subscribed, h)
		}
	}
	if len(subscribed) < 3 {
		t.Fatalf("%d subscribed households on the published list, want 3", len(subscribed))
	}
	renamed, paused, erased := subscribed[0], subscribed[1], subscribed[2]

	// Renamed and paused after publication: the published list stays.
	oldName := renamed.Name
	renamed.Name = "Famille Renommée"
	if err := f.st.UpdateHousehold(ctx, &renamed); err != nil {
		t.Fatal(err)
	}
	paused.Paused = true
	if err := f.st.UpdateHousehold(ctx, &paused); err != nil {
		t.Fatal(err)
	}
	if got := list(v1); !bytes.Equal(got, published) {
		t.Errorf("the published pick-up list changed after a rename and a pause:\n%s\n---\n%s", published, got)
	}
	if got := list(0); !bytes.Equal(got, published) {
		t.Errorf("the current version's list changed too:\n%s\n---\n%s", published, got)
	}
	// Published again (same version), the files are the same.
	again, err := jobs.Publish(ctx, f.deps, f.week)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range again.Documents {
		if e.Changed {
			t.Errorf("%s %s %s marked changed by a republication", e.Kind, e.For, e.Format)
		}
	}

	// Erased: gone from the stored lists of every version, totals kept.
	if _, err := f.st.EraseHousehold(ctx, erased.ID); err != nil {
		t.Fatal(err)
	}
	afterErase := list(v1)
	for _, s := range []string{erased.Name, erased.ID} {
		if bytes.Contains(afterErase, []byte(s)) {
			t.Errorf("%q still on the published list after erasure", s)
		}
	}
	if !bytes.Contains(afterErase, []byte(models.ErasedHouseholdName)) {
		t.Errorf("the erased household's line is gone from the list, its baskets with it:\n%s", afterErase)
	}
	if total(afterErase) == "" || total(afterErase) != total(published) {
		t.Errorf("totals moved with the erasure:\n%s\n---\n%s", total(published), total(afterErase))
	}
	stored, err := f.st.GetPlanInput(ctx, f.week, v1)
	if err != nil {
		t.Fatal(err)
	}
	hh, frozen, err := stored.HouseholdsOf()
	if err != nil || !frozen {
		t.Fatalf("the version's pick-up lists were not stored with it: %v", err)
	}
	if bytes.Contains([]byte(stored.Households), []byte(`"`+erased.ID+`"`)) {
		t.Errorf("%q still stored with version %d", erased.ID, v1)
	}
	for _, line := range hh[site] {
		if line.Name == erased.Name {
			t.Errorf("%q still stored with version %d", erased.Name, v1)
		}
	}

	// A new version shows the rename and the pause.
	next, err := jobs.PlanWeek(ctx, f.deps, f.week, 1)
	if err != nil {
		t.Fatal(err)
	}
	fresh := list(next.Stored.Version)
	if !bytes.Contains(fresh, []byte("Famille Renommée")) || bytes.Contains(fresh, []byte(oldName)) {
		t.Errorf("the new version does not show the rename:\n%s", fresh)
	}
	if bytes.Contains(fresh, []byte(paused.Name)) {
		t.Errorf("the new version still lists the paused household %q:\n%s", paused.Name, fresh)
	}
	if !bytes.Equal(list(v1), afterErase) {
		t.Errorf("planning again changed the published version's list")
	}
}
