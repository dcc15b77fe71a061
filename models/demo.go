package models

import (
	"context"
	"errors"
	"fmt"

	"paniers/planner"
)

// The demo territory: the collective of Loos-en-Gohelle and the Lens area,
// with real towns and coordinates (farms, people and addresses are made up).
// LoadDemo writes it into an empty database; `paniers serve --demo` calls it.

var demoHub = Hub{ID: "hub", Name: "Plateforme paniers – Base 11/19", Address: "Rue de Bourgogne, 62750 Loos-en-Gohelle", Lat: 50.4578, Lon: 2.7917}

// demoProducts are the collective's produce, all organic (BIO, with the
// vergers' HVE certification and the farm eggs' FERMIER label) but for the
// gardens'; families follow from the categories. They carry the portions a
// coordinator sets (basket_min and basket_max in the product's unit): a
// squash, a cabbage or a celeriac is one piece, eggs come by six, lamb's
// lettuce by 150 g bags, carrots and leeks from half a kilo, beetroot, onions,
// turnips and parsnips from 300 g, and potatoes stop
// at 2 kg so that they do not fill the baskets.
var demoProducts = []Product{
	{ID: "betterave", Name: "Betteraves", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true, BasketMin: 0.3, BasketMax: 1},
	{ID: "carotte", Name: "Carottes", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true, BasketMin: 0.5, BasketMax: 1.5},
	{ID: "celeri", Name: "Céleri-rave", Unit: "pièce", KgPerUnit: 0.8, Category: "legume", Step: 1, Organic: true, BasketMin: 1, BasketMax: 1},
	{ID: "chou-vert", Name: "Chou vert", Unit: "pièce", KgPerUnit: 1.2, Category: "legume", Step: 1, Organic: true, BasketMin: 1, BasketMax: 1},
	{ID: "mache", Name: "Mâche", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.15, Organic: true, BasketMin: 0.15, BasketMax: 0.3},
	{ID: "navet", Name: "Navets", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true, BasketMin: 0.3, BasketMax: 1},
	{ID: "oeuf", Name: "Œufs", Unit: "pièce", KgPerUnit: 0.06, Category: "oeuf", Step: 6, Organic: true, EgalimLabels: "BIO,FERMIER", BasketMin: 6, BasketMax: 12},
	{ID: "oignon", Name: "Oignons", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true, BasketMin: 0.3, BasketMax: 1},
	{ID: "panais", Name: "Panais", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true, BasketMin: 0.3, BasketMax: 1},
	{ID: "poire", Name: "Poires", Unit: "kg", KgPerUnit: 1, Category: "fruit", Step: 0.1, Organic: true, EgalimLabels: "BIO,HVE", BasketMin: 0.5, BasketMax: 1},
	{ID: "poireau", Name: "Poireaux", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.1, Organic: true, BasketMin: 0.5, BasketMax: 1.5},
	{ID: "pomme", Name: "Pommes", Unit: "kg", KgPerUnit: 1, Category: "fruit", Step: 0.1, Organic: true, EgalimLabels: "BIO,HVE", BasketMin: 0.5, BasketMax: 1.5},
	{ID: "pomme-de-terre", Name: "Pommes de terre", Unit: "kg", KgPerUnit: 1, Category: "legume", Step: 0.5, Organic: true, BasketMin: 1, BasketMax: 2},
	{ID: "potimarron", Name: "Potimarrons", Unit: "pièce", KgPerUnit: 1.2, Category: "legume", Step: 1, Organic: true, BasketMin: 1, BasketMax: 1},
	// Gardens are not certified: their produce is not organic and has no
	// EGalim label.
	{ID: "pomme-jardin", Name: "Pommes du jardin", Unit: "kg", KgPerUnit: 1, Category: "fruit", Step: 0.1, Organic: false, BasketMin: 0.5, BasketMax: 1},
}

var demoProducers = []Producer{
	{ID: "ferme-bois-loos", Name: "Ferme du Bois de Loos", Kind: ProducerFarm, Place: "Loos-en-Gohelle", Address: "Chemin du Bois, 62750 Loos-en-Gohelle", Lat: 50.4668, Lon: 2.7772, Collect: true, WindowStart: "13:00", WindowEnd: "17:00", ServiceMin: 15},
	{ID: "ferme-terrils", Name: "Ferme des Terrils", Kind: ProducerFarm, Place: "Grenay", Address: "Rue de Mazingarbe, 62160 Grenay", Lat: 50.4512, Lon: 2.7446, Collect: true, WindowStart: "13:30", WindowEnd: "17:30", ServiceMin: 15},
	{ID: "ferme-plaine", Name: "Ferme de la Plaine", Kind: ProducerFarm, Place: "Vermelles", Address: "Route de Hulluch, 62980 Vermelles", Lat: 50.4893, Lon: 2.7514, Collect: true, WindowStart: "14:00", WindowEnd: "18:00", ServiceMin: 20},
	{ID: "ferme-marais", Name: "Ferme du Marais", Kind: ProducerFarm, Place: "Hulluch", Address: "Rue de Vendin, 62410 Hulluch", Lat: 50.4881, Lon: 2.8188, Collect: true, WindowStart: "13:00", WindowEnd: "16:30", ServiceMin: 15},
	{ID: "vergers-aix", Name: "Vergers d'Aix-Noulette", Kind: ProducerFarm, Place: "Aix-Noulette", Address: "Rue de Bully, 62160 Aix-Noulette", Lat: 50.4236, Lon: 2.7109, Collect: true, WindowStart: "13:00", WindowEnd: "17:00", ServiceMin: 15},
	{ID: "jardin-cocagne", Name: "Jardins de Cocagne de la Gohelle (chantier d'insertion)", Kind: ProducerFarm, Place: "Loos-en-Gohelle", Address: "Rue Victor Hugo, 62750 Loos-en-Gohelle", Lat: 50.4529, Lon: 2.8003, Collect: true, WindowStart: "14:00", WindowEnd: "16:00", ServiceMin: 20},
	{ID: "jardin-cytises", Name: "Jardin partagé des Cytises", Kind: ProducerGarden, Place: "Loos-en-Gohelle", Address: "Cité des Cytises, 62750 Loos-en-Gohelle", Lat: 50.4601, Lon: 2.7871, Collect: false, WindowStart: "09:00", WindowEnd: "12:00", ServiceMin: 5},
	{ID: "jardin-hirondelles", Name: "Verger des Hirondelles", Kind: ProducerGarden, Place: "Loos-en-Gohelle", Address: "Rue des Hirondelles, 62750 Loos-en-Gohelle", Lat: 50.4556, Lon: 2.7842, Collect: false, WindowStart: "09:00", WindowEnd: "12:00", ServiceMin: 5},
	{ID: "jardin-lefebvre", Name: "Potager de la rue Lefebvre", Kind: ProducerGarden, Place: "Loos-en-Gohelle", Address: "Rue Lefebvre, 62750 Loos-en-Gohelle", Lat: 50.4592, Lon: 2.7968, Collect: false, WindowStart: "09:00", WindowEnd: "12:00", ServiceMin: 5},
}

// demoSites are the relay points and the canteens; the canteens' SIRETs are
// made up (the schools under the town's SIREN 216 209 999, the residence
// under its social action centre's 266 209 998: no such commune exists) but
// pass the Luhn check as real ones do.
var demoSites = []Site{
	{ID: "relais-loos", Name: "Relais de Loos – Maison des associations", Kind: planner.KindRelay, Place: "Loos-en-Gohelle", Address: "Place de la République, 62750 Loos-en-Gohelle", Lat: 50.4572, Lon: 2.7936, WindowStart: "09:00", WindowEnd: "12:00", ServiceMin: 10},
	{ID: "relais-lens", Name: "Relais de Lens – Centre social Vachala", Kind: planner.KindRelay, Place: "Lens", Address: "Rue Jean Letienne, 62300 Lens", Lat: 50.4323, Lon: 2.8270, WindowStart: "09:00", WindowEnd: "13:00", ServiceMin: 10},
	{ID: "relais-lievin", Name: "Relais de Liévin – Épicerie solidaire", Kind: planner.KindRelay, Place: "Liévin", Address: "Rue Jean-Baptiste Defernez, 62800 Liévin", Lat: 50.4226, Lon: 2.7787, WindowStart: "09:30", WindowEnd: "13:00", ServiceMin: 10},
	{ID: "relais-grenay", Name: "Relais de Grenay – Médiathèque", Kind: planner.KindRelay, Place: "Grenay", Address: "Rue Émile Zola, 62160 Grenay", Lat: 50.4507, Lon: 2.7478, WindowStart: "10:00", WindowEnd: "14:00", ServiceMin: 8},
	{ID: "relais-bully", Name: "Relais de Bully-les-Mines – Salle Kraska", Kind: planner.KindRelay, Place: "Bully-les-Mines", Address: "Rue de la Gare, 62160 Bully-les-Mines", Lat: 50.4437, Lon: 2.7258, WindowStart: "10:00", WindowEnd: "14:00", ServiceMin: 8},
	{ID: "relais-mazingarbe", Name: "Relais de Mazingarbe – Foyer rural", Kind: planner.KindRelay, Place: "Mazingarbe", Address: "Rue Roger Salengro, 62670 Mazingarbe", Lat: 50.4714, Lon: 2.7177, WindowStart: "10:00", WindowEnd: "14:00", ServiceMin: 8},
	{ID: "relais-hulluch", Name: "Relais de Hulluch – Mairie annexe", Kind: planner.KindRelay, Place: "Hulluch", Address: "Place Jules Guesde, 62410 Hulluch", Lat: 50.4872, Lon: 2.8155, WindowStart: "10:00", WindowEnd: "15:00", ServiceMin: 8},
	{ID: "relais-wingles", Name: "Relais de Wingles – Maison de quartier", Kind: planner.KindRelay, Place: "Wingles", Address: "Rue Jean Jaurès, 62410 Wingles", Lat: 50.4935, Lon: 2.8541, WindowStart: "10:00", WindowEnd: "15:00", ServiceMin: 8},
	{ID: "relais-avion", Name: "Relais d'Avion – Centre Jean Ferrat", Kind: planner.KindRelay, Place: "Avion", Address: "Rue Paul Langevin, 62210 Avion", Lat: 50.4103, Lon: 2.8331, WindowStart: "09:30", WindowEnd: "14:00", ServiceMin: 8},
	{ID: "relais-harnes", Name: "Relais de Harnes – AMAP des Terrils", Kind: planner.KindRelay, Place: "Harnes", Address: "Rue des Fusillés, 62440 Harnes", Lat: 50.4462, Lon: 2.9052, WindowStart: "10:00", WindowEnd: "15:00", ServiceMin: 8},
	{ID: "relais-lille", Name: "Relais de Lille – Tiers-lieu de Fives", Kind: planner.KindRelay, Place: "Lille", Address: "Rue Pierre Legrand, 59800 Lille", Lat: 50.6290, Lon: 3.0890, WindowStart: "10:00", WindowEnd: "16:00", ServiceMin: 15},
	{ID: "relais-dunkerque", Name: "Relais de Dunkerque – Halle aux sucres", Kind: planner.KindRelay, Place: "Dunkerque", Address: "Quai de la Citadelle, 59140 Dunkerque", Lat: 51.0310, Lon: 2.3660, WindowStart: "10:00", WindowEnd: "16:00", ServiceMin: 15},
	{ID: "cantine-ferry", Name: "École maternelle Jules Ferry", Kind: planner.KindCanteen, Place: "Loos-en-Gohelle", Address: "Rue Jules Ferry, 62750 Loos-en-Gohelle", Lat: 50.4589, Lon: 2.7902, WindowStart: "07:00", WindowEnd: "08:30", ServiceMin: 10, Siret: "21620999900012"},
	{ID: "cantine-pasteur", Name: "École maternelle Louis Pasteur", Kind: planner.KindCanteen, Place: "Loos-en-Gohelle", Address: "Rue Pasteur, 62750 Loos-en-Gohelle", Lat: 50.4553, Lon: 2.7955, WindowStart: "07:00", WindowEnd: "08:30", ServiceMin: 10, Siret: "21620999900020"},
	{ID: "cantine-curie", Name: "École maternelle Marie Curie", Kind: planner.KindCanteen, Place: "Loos-en-Gohelle", Address: "Rue Marie Curie, 62750 Loos-en-Gohelle", Lat: 50.4621, Lon: 2.7989, WindowStart: "07:15", WindowEnd: "08:45", ServiceMin: 10, Siret: "21620999900038"},
	{ID: "cantine-michel", Name: "École maternelle Louise Michel", Kind: planner.KindCanteen, Place: "Loos-en-Gohelle", Address: "Cité 5, 62750 Loos-en-Gohelle", Lat: 50.4531, Lon: 2.7858, WindowStart: "07:15", WindowEnd: "08:45", ServiceMin: 10, Siret: "21620999900046"},
	{ID: "residence-tilleuls", Name: "Résidence autonomie Les Tilleuls", Kind: planner.KindCanteen, Place: "Loos-en-Gohelle", Address: "Rue des Tilleuls, 62750 Loos-en-Gohelle", Lat: 50.4567, Lon: 2.8021, WindowStart: "07:30", WindowEnd: "09:30", ServiceMin: 15, Siret: "26620999800019"},
}

var demoVehicles = []Vehicle{
	{ID: "camion-1", Name: "Fourgon frigorifique 20 m³", CapacityKg: 800, ShiftStart: "06:00", ShiftEnd: "18:00"},
	{ID: "camion-2", Name: "Fourgon 12 m³", CapacityKg: 600, ShiftStart: "06:00", ShiftEnd: "18:00"},
}

var demoBaskets = []BasketType{
	{ID: "petit", Name: "Petit panier", PriceCents: 1000, Contents: []BasketContent{{Category: "legume", Kg: 2.0, MinProducts: 3, MaxProducts: 5}, {Category: "fruit", Kg: 0.5, MinProducts: 1, MaxProducts: 1}}},
	{ID: "moyen", Name: "Panier moyen", PriceCents: 1500, Contents: []BasketContent{{Category: "legume", Kg: 3.0, MinProducts: 4, MaxProducts: 6}, {Category: "fruit", Kg: 1.0, MinProducts: 1, MaxProducts: 2}}},
	{ID: "grand", Name: "Grand panier", PriceCents: 2200, Contents: []BasketContent{{Category: "legume", Kg: 4.5, MinProducts: 6, MaxProducts: 8}, {Category: "fruit", Kg: 1.5, MinProducts: 2, MaxProducts: 3}, {Category: "oeuf", Kg: 0.36, MinProducts: 1}}},
}

// demoLenders are the households lending the residents' gardens: they earn
// MANNE when a week is published. demoWork is MANNE earned by cooperative
// work before the demo starts, so the relay points have balances to spend.
var (
	demoLenders = map[string]string{
		"jardin-cytises": "relais-loos-f03", "jardin-hirondelles": "relais-loos-f07", "jardin-lefebvre": "relais-grenay-f02",
	}
	demoWork = []struct {
		household string
		cents     int64
		memo      string
	}{
		{"relais-loos-f01", 1500, "Chantier collectif du verger (3 h)"},
		{"relais-loos-f03", 1000, "Aide à la préparation des paniers (2 h)"},
		{"relais-lens-f02", 2000, "Atelier conserves (4 h)"},
	}
)

// demoOffers are a late-autumn week's harvest: quantities in each product's
// unit, prices in cents per unit.
var demoOffers = []Offer{
	{ProducerID: "ferme-bois-loos", ProductID: "carotte", Quantity: 50, PriceCents: 180},
	{ProducerID: "ferme-bois-loos", ProductID: "poireau", Quantity: 35, PriceCents: 290},
	{ProducerID: "ferme-bois-loos", ProductID: "pomme-de-terre", Quantity: 50, PriceCents: 120},
	{ProducerID: "ferme-bois-loos", ProductID: "oignon", Quantity: 25, PriceCents: 220},
	{ProducerID: "ferme-terrils", ProductID: "carotte", Quantity: 30, PriceCents: 170},
	{ProducerID: "ferme-terrils", ProductID: "betterave", Quantity: 30, PriceCents: 200},
	{ProducerID: "ferme-terrils", ProductID: "chou-vert", Quantity: 30, PriceCents: 250},
	{ProducerID: "ferme-terrils", ProductID: "celeri", Quantity: 50, PriceCents: 280},
	{ProducerID: "ferme-plaine", ProductID: "pomme-de-terre", Quantity: 80, PriceCents: 110},
	{ProducerID: "ferme-plaine", ProductID: "navet", Quantity: 45, PriceCents: 210},
	{ProducerID: "ferme-plaine", ProductID: "panais", Quantity: 40, PriceCents: 350},
	{ProducerID: "ferme-plaine", ProductID: "potimarron", Quantity: 40, PriceCents: 300},
	{ProducerID: "ferme-marais", ProductID: "poireau", Quantity: 25, PriceCents: 280},
	{ProducerID: "ferme-marais", ProductID: "mache", Quantity: 9, PriceCents: 1800},
	{ProducerID: "ferme-marais", ProductID: "oeuf", Quantity: 360, PriceCents: 35},
	{ProducerID: "ferme-marais", ProductID: "oignon", Quantity: 20, PriceCents: 210},
	{ProducerID: "vergers-aix", ProductID: "pomme", Quantity: 150, PriceCents: 250},
	{ProducerID: "vergers-aix", ProductID: "poire", Quantity: 60, PriceCents: 320},
	{ProducerID: "jardin-cocagne", ProductID: "carotte", Quantity: 20, PriceCents: 190},
	{ProducerID: "jardin-cocagne", ProductID: "mache", Quantity: 6, PriceCents: 1900},
	{ProducerID: "jardin-cocagne", ProductID: "chou-vert", Quantity: 15, PriceCents: 240},
	{ProducerID: "jardin-cocagne", ProductID: "betterave", Quantity: 20, PriceCents: 210},
	{ProducerID: "jardin-cocagne", ProductID: "potimarron", Quantity: 15, PriceCents: 290},
	{ProducerID: "jardin-cytises", ProductID: "potimarron", Quantity: 6, PriceCents: 250},
	{ProducerID: "jardin-hirondelles", ProductID: "pomme-jardin", Quantity: 25, PriceCents: 200},
	{ProducerID: "jardin-lefebvre", ProductID: "poireau", Quantity: 12, PriceCents: 250},
}

// demoHouseholdsPerRelay is how many subscribed households each relay point
// has; Lille and Dunkerque are small outposts.
var demoHouseholdsPerRelay = map[string]int{
	"relais-loos": 18, "relais-lens": 16, "relais-lievin": 12, "relais-grenay": 8,
	"relais-bully": 9, "relais-mazingarbe": 7, "relais-hulluch": 8, "relais-wingles": 7,
	"relais-avion": 10, "relais-harnes": 9, "relais-lille": 6, "relais-dunkerque": 5,
}

var demoSurnames = []string{
	"Martin", "Lefebvre", "Dubois", "Leroy", "Lemaire", "Dupont", "Duhamel", "Delattre",
	"Caron", "Wojcik", "Kowalski", "Nowak", "Bernard", "Petit", "Durand", "Moreau",
	"Roussel", "Vasseur", "Delannoy", "Leclercq", "Carpentier", "Lambert", "Bouchez", "Szymanski",
}

// demoMeals are the canteens' meal orders, by day after the delivery date:
// day 0 is the delivery day itself.
var demoMeals = []struct {
	site   string
	day    int
	covers []MealCover
	dishes []MealDish
}{
	{"cantine-ferry", 0, []MealCover{{AgeGroup: AgeMaternelle, Covers: 112}, {AgeGroup: AgeAdulte, Covers: 9}}, []MealDish{{ProductID: "carotte"}, {ProductID: "potimarron"}, {ProductID: "pomme"}}},
	{"cantine-ferry", 2, []MealCover{{AgeGroup: AgeMaternelle, Covers: 108}, {AgeGroup: AgeAdulte, Covers: 9}}, []MealDish{{ProductID: "poireau"}, {ProductID: "pomme-de-terre"}, {ProductID: "poire"}}},
	{"cantine-pasteur", 0, []MealCover{{AgeGroup: AgeMaternelle, Covers: 86}, {AgeGroup: AgeAdulte, Covers: 7}}, []MealDish{{ProductID: "betterave"}, {ProductID: "pomme-de-terre"}, {ProductID: "pomme"}}},
	{"cantine-pasteur", 3, []MealCover{{AgeGroup: AgeMaternelle, Covers: 84}}, []MealDish{{ProductID: "carotte"}, {ProductID: "oeuf"}}},
	{"cantine-curie", 1, []MealCover{{AgeGroup: AgeMaternelle, Covers: 64}, {AgeGroup: AgeAdulte, Covers: 5}}, []MealDish{{ProductID: "mache"}, {ProductID: "navet"}, {ProductID: "poire"}}},
	{"cantine-michel", 0, []MealCover{{AgeGroup: AgeMaternelle, Covers: 73}, {AgeGroup: AgeAdulte, Covers: 6}}, []MealDish{{ProductID: "celeri"}, {ProductID: "carotte"}, {ProductID: "pomme"}}},
	{"residence-tilleuls", 0, []MealCover{{AgeGroup: AgeSenior, Covers: 46}, {AgeGroup: AgeAdulte, Covers: 4}}, []MealDish{{ProductID: "poireau", PortionG: ptr(80.0)}, {ProductID: "pomme-de-terre", PortionG: ptr(80.0)}, {ProductID: "chou-vert"}, {ProductID: "pomme"}}},
	{"residence-tilleuls", 2, []MealCover{{AgeGroup: AgeSenior, Covers: 44}}, []MealDish{{ProductID: "potimarron"}, {ProductID: "poire"}}},
}

func ptr[T any](v T) *T { return &v }

// demoExtras are the relay points' extra orders of the week.
var demoExtras = []struct {
	site, product string
	quantity      float64
}{
	{"relais-loos", "oeuf", 60},
	{"relais-loos", "pomme", 12},
	{"relais-lens", "pomme-de-terre", 25},
	{"relais-lens", "mache", 1.5},
	{"relais-lievin", "poire", 8},
	{"relais-harnes", "oignon", 6.5},
	{"relais-lille", "pomme", 15},
}

// DemoCoordinatorToken is the demo coordinator's token.
const DemoCoordinatorToken = "demo-coordinateur"

// DemoToken is a demo access token, printed at start by `paniers serve
// --demo`. Demo tokens are deterministic, hence public: a demo only.
type DemoToken struct {
	Token string
	Role  string
	Scope string
	Name  string
}

// DemoTokens lists the demo tokens LoadDemo creates: the coordinator's
// ("demo-coordinateur"), then "demo-<id>" for each producer (farmer), relay
// point (relay) and canteen (cook), and for each vehicle its driver's.
func DemoTokens() []DemoToken {
	toks := []DemoToken{{Token: DemoCoordinatorToken, Role: RoleCoordinator, Name: "Coordination (démo)"}}
	for _, p := range demoProducers {
		toks = append(toks, DemoToken{Token: "demo-" + p.ID, Role: RoleFarmer, Scope: p.ID, Name: p.Name + " (démo)"})
	}
	for _, s := range demoSites {
		role := RoleRelay
		if s.Kind == planner.KindCanteen {
			role = RoleCook
		}
		toks = append(toks, DemoToken{Token: "demo-" + s.ID, Role: role, Scope: s.ID, Name: s.Name + " (démo)"})
	}
	for _, v := range demoVehicles {
		toks = append(toks, DemoToken{Token: "demo-" + v.ID, Role: RoleDriver, Scope: v.ID, Name: "Chauffeur " + v.ID + " (démo)"})
	}
	return toks
}

// LoadDemo loads the demo territory when the database holds no producer, no
// site and no week, all in one transaction; loaded says whether it did.
// Then, when the database holds the demo territory, it makes sure the demo
// tokens exist (those whose scope exists), so it is safe to call at every
// start; a database with other data gets no public demo token. The demo week is
// NextOpenWeek of the store's clock, with the default calendar: its offers
// and orders are open, whatever the weekday the demo starts.
func (s *Store) LoadDemo(ctx context.Context) (loaded bool, err error) {
	err = s.tx(ctx, func(t *Store) error {
		var n int64
		for _, m := range []any{&Producer{}, &Site{}, &Week{}} {
			var c int64
			if err := t.w.Model(m).Count(&c).Error; err != nil {
				return fmt.Errorf("models: demo: %w", err)
			}
			n += c
		}
		if n == 0 {
			if err := t.loadDemo(ctx); err != nil {
				return fmt.Errorf("models: demo: %w", err)
			}
			loaded = true
		}
		// Public demo tokens only go into a demo database, never into a
		// real one started with --demo by mistake.
		if ok, err := exists[Producer](ctx, t.w, demoProducers[0].ID); err != nil || !ok {
			return err
		}
		for _, d := range DemoTokens() {
			if _, err := t.EnsureToken(ctx, d.Token, d.Role, d.Scope, d.Name); err != nil && !errors.Is(err, ErrInvalid) {
				return fmt.Errorf("models: demo token %s: %w", d.Token, err)
			}
		}
		return nil
	})
	return loaded, err
}

func (s *Store) loadDemo(ctx context.Context) error {
	if err := s.SetHub(ctx, demoHub); err != nil {
		return err
	}
	for _, p := range demoProducts {
		if err := s.CreateProduct(ctx, &p); err != nil {
			return err
		}
	}
	for _, p := range demoProducers {
		if err := s.CreateProducer(ctx, &p); err != nil {
			return err
		}
	}
	for _, x := range demoSites {
		if err := s.CreateSite(ctx, &x); err != nil {
			return err
		}
	}
	for _, v := range demoVehicles {
		if err := s.CreateVehicle(ctx, &v); err != nil {
			return err
		}
	}
	for _, b := range demoBaskets {
		b.Contents = append([]BasketContent(nil), b.Contents...)
		if err := s.CreateBasketType(ctx, &b); err != nil {
			return err
		}
	}
	// Households: a deterministic mix of subscriptions, mostly "moyen".
	types := []string{"moyen", "petit", "moyen", "grand", "moyen", "petit", "grand", "moyen"}
	k := 0
	for _, site := range demoSites {
		for i := 0; i < demoHouseholdsPerRelay[site.ID]; i++ {
			name := demoSurnames[k%len(demoSurnames)]
			bt := types[k%len(types)]
			h := Household{
				ID:           fmt.Sprintf("%s-f%02d", site.ID, i+1),
				SiteID:       site.ID,
				Name:         "Famille " + name,
				Contact:      fmt.Sprintf("famille.%s.%d@example.org", lowerASCII(name), k+1),
				BasketTypeID: &bt,
				BasketCount:  1 + (k%11)/10, // one household in eleven takes two
			}
			if err := s.CreateHousehold(ctx, &h); err != nil {
				return err
			}
			k++
		}
	}
	for _, p := range demoProducers {
		if lender, ok := demoLenders[p.ID]; ok {
			p.LenderID = &lender
			if err := s.UpdateProducer(ctx, &p); err != nil {
				return err
			}
		}
	}
	for _, w := range demoWork {
		in := TransferInput{From: AccountCollectif, To: w.household, AmountCents: w.cents, Kind: TransferWork, Memo: w.memo, Author: "demo"}
		if _, err := s.PostTransfer(ctx, in); err != nil {
			return err
		}
	}
	week, err := DefaultCalendar(NextOpenWeek(s.now(), s.loc), s.loc)
	if err != nil {
		return err
	}
	if err := s.CreateWeek(ctx, &week); err != nil {
		return err
	}
	for _, o := range demoOffers {
		o.WeekID = week.ID
		if _, err := s.PutOffer(ctx, &o); err != nil {
			return err
		}
	}
	for i, x := range demoExtras {
		o := Order{WeekID: week.ID, ID: fmt.Sprintf("x-%02d", i+1), SiteID: x.site, Class: planner.ClassExtra, ProductID: ptr(x.product), Quantity: x.quantity}
		if err := s.CreateOrder(ctx, &o); err != nil {
			return err
		}
	}
	// Occasional baskets, beyond the subscriptions: a stand at the Lille
	// relay's open day.
	stand := Order{WeekID: week.ID, ID: "b-01", SiteID: "relais-lille", Class: planner.ClassBasket, BasketTypeID: ptr("petit"), Count: 4}
	if err := s.CreateOrder(ctx, &stand); err != nil {
		return err
	}
	delivery, err := ParseDate(week.DeliveryDate)
	if err != nil {
		return err
	}
	for i, m := range demoMeals {
		mo := MealOrder{
			WeekID: week.ID, ID: fmt.Sprintf("m-%02d", i+1), SiteID: m.site,
			Date:   delivery.AddDate(0, 0, m.day).Format("2006-01-02"),
			Covers: append([]MealCover(nil), m.covers...),
			Dishes: append([]MealDish(nil), m.dishes...),
		}
		if err := s.CreateMealOrder(ctx, &mo); err != nil {
			return err
		}
	}
	return nil
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
