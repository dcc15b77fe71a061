package models_test

import (
	"context"
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
