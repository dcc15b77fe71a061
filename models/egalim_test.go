package models_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"paniers/models"
	"paniers/planner"
)

func TestEgalimFieldsValidation(t *testing.T) {
	ctx := context.Background()
	st, _ := world(t, "sqlite")
	canteen := func(siret string) *models.Site {
		return &models.Site{ID: "cantine-z", Name: "Z", Kind: planner.KindCanteen, Lat: 50, Lon: 2, WindowStart: "07:00", WindowEnd: "09:00", Siret: siret}
	}
	product := func(labels, family string, organic bool) *models.Product {
		return &models.Product{ID: "navet", Name: "Navets", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: organic, EgalimLabels: labels, Family: family}
	}
	for _, tc := range []struct {
		name   string
		err    error
		fields []string
	}{
		{"siret too short", st.CreateSite(ctx, canteen("2162099990001")), []string{"siret"}},
		{"siret not digits", st.CreateSite(ctx, canteen("2162099990001A")), []string{"siret"}},
		{"siret bad check digit", st.CreateSite(ctx, canteen("21620999900013")), []string{"siret"}},
		{"siren bad check digit", st.CreateSite(ctx, canteen("21620999800012")), []string{"siret"}},
		{"siret on a relay point", st.CreateSite(ctx, &models.Site{ID: "relais-z", Name: "Z", Kind: planner.KindRelay, Lat: 50, Lon: 2,
			WindowStart: "07:00", WindowEnd: "09:00", Siret: "21620999900012"}), []string{"siret"}},
		{"siret update refused", st.UpdateSite(ctx, &models.Site{ID: "cantine-a", Name: "Maternelle A", Kind: planner.KindCanteen, Lat: 50.46, Lon: 2.79,
			WindowStart: "07:00", WindowEnd: "09:00", Siret: "12345678901234"}), []string{"siret"}},
		{"unknown label", st.CreateProduct(ctx, product("BIO,LABEL_VERT", "", true)), []string{"egalim_labels"}},
		{"lower-case label", st.CreateProduct(ctx, product("hve", "", false)), []string{"egalim_labels"}},
		{"BIO without organic", st.CreateProduct(ctx, product("BIO", "", false)), []string{"egalim_labels"}},
		{"unknown family", st.CreateProduct(ctx, product("", "LEGUMES", false)), []string{"family"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldsOf(t, tc.err); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %q, want %q (%v)", got, tc.fields, tc.err)
			}
		})
	}
	// Accepted: a canteen's SIRET, La Poste's rule, the update of a SIRET.
	must(t, st.CreateSite(ctx, canteen("21620999900012")))
	must(t, st.CreateSite(ctx, &models.Site{ID: "poste", Name: "Restaurant de La Poste", Kind: planner.KindCanteen, Lat: 50, Lon: 2,
		WindowStart: "07:00", WindowEnd: "09:00", Siret: "35600000040007"}))
	a := models.Site{ID: "cantine-a", Name: "Maternelle A", Kind: planner.KindCanteen, Lat: 50.46, Lon: 2.79, WindowStart: "07:00", WindowEnd: "09:00", Siret: "21620999900020"}
	must(t, st.UpdateSite(ctx, &a))
	if got, err := st.GetSite(ctx, "cantine-a"); err != nil || got.Siret != "21620999900020" {
		t.Errorf("stored SIRET %q, %v", got.Siret, err)
	}
	// Labels come back in ma-cantine's order with BIO from organic, the
	// family from the category.
	must(t, st.CreateProduct(ctx, product("IGP,LABEL_ROUGE,IGP", "", true)))
	got, err := st.GetProduct(ctx, "navet")
	must(t, err)
	if got.EgalimLabels != "BIO,LABEL_ROUGE,IGP" || got.Family != "FRUITS_ET_LEGUMES" {
		t.Errorf("stored %q %q", got.EgalimLabels, got.Family)
	}
	for id, want := range map[string]string{"carotte": "FRUITS_ET_LEGUMES", "oeuf": "PRODUITS_LAITIERS", "safran": "AUTRES"} {
		p, err := st.GetProduct(ctx, id)
		must(t, err)
		if p.Family != want || (p.Organic != (p.EgalimLabels == "BIO")) {
			t.Errorf("%s: family %q labels %q (organic %v)", id, p.Family, p.EgalimLabels, p.Organic)
		}
	}
}

// legacyProduct is the product row as stored before EGalim reporting.
type legacyProduct struct {
	ID        string `gorm:"primaryKey;size:64"`
	Name      string `gorm:"size:200;not null"`
	Unit      string `gorm:"size:16;not null"`
	KgPerUnit float64
	Category  string `gorm:"size:32;not null;index"`
	Step      float64
	Organic   bool
}

func (legacyProduct) TableName() string { return "products" }

// TestEgalimMigrationBackfills opens a database written before the EGalim
// columns existed: migrating adds them and fills each product's family and
// BIO label, the store's first read sees them (on SQLite its readers opened
// before the migration used to see the old schema), and a second migration
// changes nothing.
func TestEgalimMigrationBackfills(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			dsn := testDSN(t, b)
			var dial gorm.Dialector = sqlite.Open("file:" + dsn + "?_journal_mode=WAL")
			if b == "postgres" {
				dial = postgres.Open(dsn)
			}
			old, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard})
			must(t, err)
			must(t, old.AutoMigrate(&legacyProduct{}))
			must(t, old.Create(&[]legacyProduct{
				{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true},
				{ID: "oeuf", Name: "Œufs", Unit: "pièce", KgPerUnit: 0.06, Category: "oeuf", Step: 1},
			}).Error)
			if db, err := old.DB(); err == nil {
				db.Close()
			}
			for range 2 {
				st, err := models.Open(ctx, dsn, nil, models.WithLocation(paris))
				must(t, err)
				ps, err := st.AllProducts(ctx)
				must(t, err)
				if len(ps) != 2 || ps[0].Family != "FRUITS_ET_LEGUMES" || ps[0].EgalimLabels != "BIO" ||
					ps[1].Family != "PRODUITS_LAITIERS" || ps[1].EgalimLabels != "" {
					t.Fatalf("after migration: %+v", ps)
				}
				st.Close()
			}
		})
	}
}

// TestPublishedPlans: a week counts with its last published version only
// (a re-plan after publication does not replace it until published), a
// week never published does not count, and the period bounds the delivery
// dates, both included.
func TestPublishedPlans(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			must(t, st.CreateWeek(ctx, &models.Week{ID: "2026-W50"}))
			w49, err := st.GetWeek(ctx, testWeek)
			must(t, err)
			save := func(week string, km float64) models.StoredPlan {
				t.Helper()
				sc, err := st.Scenario(ctx, week)
				must(t, err)
				raw, err := json.Marshal(sc)
				must(t, err)
				sp, err := st.SavePlanVersion(ctx, week, planner.Plan{Week: week, Summary: planner.Summary{DistanceKm: km}}, models.PlanInput{Scenario: string(raw), Addresses: "{}"}, nil)
				must(t, err)
				return sp
			}
			count := func(from, to string) []models.PublishedPlan {
				t.Helper()
				pp, err := st.PublishedPlans(ctx, from, to)
				must(t, err)
				return pp
			}
			save(testWeek, 1)
			if got := count("2026-01-01", "2026-12-31"); len(got) != 0 {
				t.Fatalf("a draft counts: %+v", got)
			}
			_, _, err = st.PublishVersion(ctx, testWeek, 1, models.DefaultManneRate)
			must(t, err)
			save(testWeek, 2) // re-planned after publication, not published
			save("2026-W50", 3)
			got := count("2026-01-01", "2026-12-31")
			if len(got) != 1 || got[0].Week != testWeek || got[0].Version != 1 || got[0].Plan.Summary.DistanceKm != 1 ||
				got[0].DeliveryDate != w49.DeliveryDate || got[0].Scenario.Week != testWeek {
				t.Fatalf("published: %+v", got)
			}
			_, _, err = st.PublishVersion(ctx, testWeek, 2, models.DefaultManneRate)
			must(t, err)
			if got := count(w49.DeliveryDate, w49.DeliveryDate); len(got) != 1 || got[0].Version != 2 {
				t.Errorf("after publishing v2: %+v", got)
			}
			if got := count("2026-01-01", w49.DeliveryDate[:8]+"00"); len(got) != 0 {
				t.Errorf("before the delivery date: %+v", got)
			}
		})
	}
}
