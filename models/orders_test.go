package models_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"paniers/models"
	"paniers/planner"
)

func TestPutOfferReplaces(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			o := models.Offer{WeekID: testWeek, ProducerID: "ferme-a", ProductID: "carotte", Quantity: 120, PriceCents: 190}
			created, err := st.PutOffer(ctx, &o)
			if err != nil || !created {
				t.Fatalf("first PutOffer = %v, %v; want created", created, err)
			}
			again := models.Offer{WeekID: testWeek, ProducerID: "ferme-a", ProductID: "carotte", Quantity: 98.5, PriceCents: 185}
			created, err = st.PutOffer(ctx, &again)
			if err != nil || created {
				t.Fatalf("second PutOffer = %v, %v; want replaced", created, err)
			}
			if again.Seq != o.Seq || !again.CreatedAt.Equal(o.CreatedAt) || again.Quantity != 98.5 || o.Seq == 0 {
				t.Errorf("replaced offer = %+v, first %+v; want the same seq and creation time", again, o)
			}
			offers, err := st.ListOffers(ctx, testWeek, models.OfferFilter{ProducerID: "ferme-a"}, models.Page{})
			if err != nil || len(offers) != 1 || offers[0].Quantity != 98.5 || offers[0].PriceCents != 185 {
				t.Fatalf("offers = %+v, %v; want one of 98.5 at 185", offers, err)
			}
			got, err := st.GetOffer(ctx, testWeek, "ferme-a", "carotte")
			if err != nil || got.Seq != o.Seq || got.Quantity != 98.5 {
				t.Errorf("GetOffer = %+v, %v", got, err)
			}
			must(t, st.DeleteOffer(ctx, testWeek, "ferme-a", "carotte"))
			if err := st.DeleteOffer(ctx, testWeek, "ferme-a", "carotte"); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("second DeleteOffer = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestWeekWritesValidation(t *testing.T) {
	ctx := context.Background()
	st, _ := world(t, "sqlite")
	must(t, st.CreateHousehold(ctx, &models.Household{ID: "h-b1", SiteID: "relais-b", Name: "Famille B"}))
	offer := func(o models.Offer) func() error {
		return func() error { o.WeekID = testWeek; _, err := st.PutOffer(ctx, &o); return err }
	}
	order := func(o models.Order) func() error {
		return func() error { o.WeekID = testWeek; return st.CreateOrder(ctx, &o) }
	}
	meal := func(m models.MealOrder) func() error {
		return func() error { m.WeekID = testWeek; return st.CreateMealOrder(ctx, &m) }
	}
	maternelle := []models.MealCover{{AgeGroup: models.AgeMaternelle, Covers: 80}}
	carrots := []models.MealDish{{ProductID: "carotte"}}
	tests := []struct {
		name   string
		call   func() error
		fields []string
	}{
		{"offer off step", offer(models.Offer{ProducerID: "ferme-a", ProductID: "carotte", Quantity: 10.05, PriceCents: 1}), []string{"quantity"}},
		{"offer of half an egg", offer(models.Offer{ProducerID: "ferme-a", ProductID: "oeuf", Quantity: 0.5, PriceCents: 1}), []string{"quantity"}},
		{"offer negative and absurd", offer(models.Offer{ProducerID: "ferme-a", ProductID: "carotte", Quantity: -3, PriceCents: -1}), []string{"quantity", "price_cents"}},
		{"offer huge", offer(models.Offer{ProducerID: "ferme-a", ProductID: "carotte", Quantity: 1e9}), []string{"quantity"}},
		{"offer unknown producer and product", offer(models.Offer{ProducerID: "ferme-z", ProductID: "truffe", Quantity: 1}), []string{"producer", "product"}},
		{"offer bad ids", offer(models.Offer{ProducerID: "", ProductID: "Car otte", Quantity: 1}), []string{"producer", "product"}},
		{"order unknown class", order(models.Order{SiteID: "relais-a", Class: "gift"}), []string{"class"}},
		{"order canteen class", order(models.Order{SiteID: "cantine-a", Class: planner.ClassCanteen, ProductID: str("carotte"), Quantity: 1}), []string{"class"}},
		{"basket order without basket", order(models.Order{SiteID: "relais-a", Class: planner.ClassBasket, Count: 0}), []string{"basket", "count"}},
		{"basket order with a product", order(models.Order{SiteID: "relais-a", Class: planner.ClassBasket, BasketTypeID: str("moyen"), Count: 2, ProductID: str("carotte")}), []string{"product"}},
		{"basket order unknown type", order(models.Order{SiteID: "relais-a", Class: planner.ClassBasket, BasketTypeID: str("geant"), Count: 2}), []string{"basket"}},
		{"extra without product", order(models.Order{SiteID: "relais-a", Class: planner.ClassExtra, Quantity: 2}), []string{"product"}},
		{"extra with a basket", order(models.Order{SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 2, BasketTypeID: str("moyen")}), []string{"basket"}},
		{"extra off step", order(models.Order{SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("potimarron"), Quantity: 1.5}), []string{"quantity"}},
		{"extra at a canteen", order(models.Order{SiteID: "cantine-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 1}), []string{"site"}},
		{"extra for another relay's household", order(models.Order{SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 1, HouseholdID: str("h-b1")}), []string{"household"}},
		{"extra for an unknown household", order(models.Order{SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("carotte"), Quantity: 1, HouseholdID: str("h-zz")}), []string{"household"}},
		{"order bad id", order(models.Order{ID: "basket:relais-a:moyen", SiteID: "relais-a", Class: planner.ClassBasket, BasketTypeID: str("moyen"), Count: 1}), []string{"id"}},
		{"meal at a relay point", meal(models.MealOrder{SiteID: "relais-a", Date: "2026-12-01", Covers: maternelle, Dishes: carrots}), []string{"site"}},
		{"meal before the delivery", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-11-30", Covers: maternelle, Dishes: carrots}), []string{"date"}},
		{"meal a week after the delivery", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-08", Covers: maternelle, Dishes: carrots}), []string{"date"}},
		{"meal bad date", meal(models.MealOrder{SiteID: "cantine-a", Date: "1/12/2026", Covers: maternelle, Dishes: carrots}), []string{"date"}},
		{"meal without covers or dishes", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-01"}), []string{"covers", "dishes"}},
		{"meal unknown and duplicate age group", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-01",
			Covers: []models.MealCover{{AgeGroup: "bebe", Covers: 3}, {AgeGroup: models.AgeAdulte, Covers: 3}, {AgeGroup: models.AgeAdulte, Covers: 0}}, Dishes: carrots}),
			[]string{"covers[0].age_group", "covers[2].age_group", "covers[2].covers"}},
		{"meal unknown product", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-01", Covers: maternelle, Dishes: []models.MealDish{{ProductID: "carotte"}, {ProductID: "truffe"}}}), []string{"dishes[1].product"}},
		{"meal product without portion", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-01", Covers: maternelle, Dishes: []models.MealDish{{ProductID: "safran"}}}), []string{"dishes[0].portion_g"}},
		{"meal absurd portion", meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-01", Covers: maternelle, Dishes: []models.MealDish{{ProductID: "carotte", PortionG: ptrF(-5)}}}), []string{"dishes[0].portion_g"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldsOf(t, tc.call()); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %q, want %q", got, tc.fields)
			}
		})
	}
	// A product without a default portion is fine with the dish's own.
	if err := meal(models.MealOrder{SiteID: "cantine-a", Date: "2026-12-01", Covers: maternelle, Dishes: []models.MealDish{{ProductID: "safran", PortionG: ptrF(0.1)}}})(); err != nil {
		t.Errorf("saffron with a portion: %v", err)
	}
	// Nothing refused was stored.
	offers, _ := st.ListOffers(ctx, testWeek, models.OfferFilter{}, models.Page{})
	orders, _ := st.ListOrders(ctx, testWeek, models.OrderFilter{}, models.Page{})
	meals, _ := st.ListMealOrders(ctx, testWeek, models.MealOrderFilter{}, models.Page{})
	if len(offers) != 0 || len(orders) != 0 || len(meals) != 1 {
		t.Errorf("stored %d offers, %d orders, %d meal orders; want 0, 0, 1", len(offers), len(orders), len(meals))
	}
}

func ptrF(f float64) *float64 { return &f }

func TestOrdersAndMealOrders(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, _ := world(t, b)
			must(t, st.CreateHousehold(ctx, &models.Household{ID: "h-a1", SiteID: "relais-a", Name: "Famille A", Contact: "a@example.org", BasketTypeID: str("moyen"), BasketCount: 1}))
			o1 := models.Order{WeekID: testWeek, SiteID: "relais-a", Class: planner.ClassExtra, ProductID: str("oeuf"), Quantity: 12, HouseholdID: str("h-a1")}
			must(t, st.CreateOrder(ctx, &o1))
			if !strings.HasPrefix(o1.ID, "o-") || !models.ValidID(o1.ID) {
				t.Errorf("assigned order id %q", o1.ID)
			}
			o2 := models.Order{WeekID: testWeek, ID: "o1", SiteID: "relais-b", Class: planner.ClassBasket, BasketTypeID: str("petit"), Count: 3}
			must(t, st.CreateOrder(ctx, &o2))
			dup := o2
			dup.Seq = 0
			if err := st.CreateOrder(ctx, &dup); !errors.Is(err, models.ErrConflict) {
				t.Errorf("duplicate order id: %v, want ErrConflict", err)
			}
			// The same id is free in another week.
			must(t, st.CreateWeek(ctx, &models.Week{ID: "2026-W50"}))
			other := o2
			other.Seq, other.WeekID = 0, "2026-W50"
			must(t, st.CreateOrder(ctx, &other))

			got, err := st.ListOrders(ctx, testWeek, models.OrderFilter{SiteID: "relais-a"}, models.Page{})
			if err != nil || len(got) != 1 || got[0].ID != o1.ID || *got[0].HouseholdID != "h-a1" {
				t.Errorf("orders of relais-a = %+v, %v", got, err)
			}
			g, err := st.GetOrder(ctx, testWeek, "o1")
			if err != nil || g.Count != 3 || *g.BasketTypeID != "petit" || g.ProductID != nil {
				t.Errorf("GetOrder = %+v, %v", g, err)
			}

			m := models.MealOrder{WeekID: testWeek, SiteID: "cantine-a", Date: "2026-12-03", Note: "repas de Noël",
				Covers: []models.MealCover{{AgeGroup: models.AgeMaternelle, Covers: 90}, {AgeGroup: models.AgeAdulte, Covers: 8}},
				Dishes: []models.MealDish{{ProductID: "potimarron"}, {ProductID: "carotte", PortionG: ptrF(40)}}}
			must(t, st.CreateMealOrder(ctx, &m))
			gm, err := st.GetMealOrder(ctx, testWeek, m.ID)
			if err != nil || len(gm.Covers) != 2 || len(gm.Dishes) != 2 || gm.Dishes[0].ProductID != "potimarron" || *gm.Dishes[1].PortionG != 40 || gm.Note != "repas de Noël" {
				t.Errorf("GetMealOrder = %+v, %v", gm, err)
			}
			hs, err := st.ListHouseholds(ctx, "relais-a", models.Page{})
			if err != nil || len(hs) != 1 || hs[0].Contact != "a@example.org" {
				t.Errorf("households = %+v, %v", hs, err)
			}
		})
	}
}
