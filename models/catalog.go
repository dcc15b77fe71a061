package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"paniers/internal/i18n"
	"paniers/planner"
	"paniers/planner/egalim"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DefaultHub is the platform at Loos-en-Gohelle, used while the database
// holds no hub row.
var DefaultHub = Hub{ID: "hub", Name: "Plateforme de Loos-en-Gohelle", Address: "Loos-en-Gohelle", Lat: 50.4578, Lon: 2.7917}

// GetHub returns the hub, or DefaultHub when none was set.
func (s *Store) GetHub(ctx context.Context) (Hub, error) {
	h, err := get[Hub](ctx, s.r, "hub")
	if err != nil {
		if isNotFound(err) {
			return DefaultHub, nil
		}
		return Hub{}, err
	}
	return h, nil
}

// SetHub creates or replaces the hub (its ID is forced to "hub").
func (s *Store) SetHub(ctx context.Context, h Hub) error {
	var p problems
	h.ID = "hub"
	p.text("name", h.Name, true, 200)
	p.coords(h.Lat, h.Lon)
	if err := p.err(); err != nil {
		return err
	}
	return dbErr(s.w.WithContext(ctx).Save(&h).Error, "hub", h.ID)
}

// ListProducers returns a page of producers ordered by id.
func (s *Store) ListProducers(ctx context.Context, page Page) ([]Producer, error) {
	return list[Producer](ctx, s, page, "id")
}

// GetProducer returns the producer with this id, or ErrNotFound.
func (s *Store) GetProducer(ctx context.Context, id string) (Producer, error) {
	return get[Producer](ctx, s.r, id)
}

// CreateProducer stores a new producer. It returns a *ValidationError for
// bad fields and ErrConflict when the id is taken.
func (s *Store) CreateProducer(ctx context.Context, p *Producer) error {
	if p.Kind == "" {
		p.Kind = ProducerFarm
	}
	if err := validateProducer(p); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		if err := t.checkLender(ctx, p); err != nil {
			return err
		}
		return dbErr(t.w.WithContext(ctx).Omit(clause.Associations).Create(p).Error, "producer", p.ID)
	})
}

func validateProducer(x *Producer) error {
	var p problems
	p.id("id", x.ID)
	p.text("name", x.Name, true, 200)
	if x.Kind != ProducerFarm && x.Kind != ProducerGarden {
		p.add("kind", "doit être farm ou garden", "must be farm or garden")
	}
	p.stop(x.Place, x.Address, x.Lat, x.Lon, x.WindowStart, x.WindowEnd, x.ServiceMin)
	if x.LenderID != nil && *x.LenderID == "" {
		x.LenderID = nil
	}
	if x.LenderID != nil {
		if x.Kind != ProducerGarden {
			p.add("lender", "seul un jardin a un foyer prêteur", "only a garden has a lending household")
		}
		p.id("lender", *x.LenderID)
	}
	return p.err()
}

// checkLender refuses a lender that names no household.
func (s *Store) checkLender(ctx context.Context, x *Producer) error {
	if x.LenderID == nil {
		return nil
	}
	ok, err := exists[Household](ctx, s.w, *x.LenderID)
	if err != nil {
		return err
	}
	if !ok {
		return &ValidationError{Problems: []FieldError{unknownRef("lender", "aucun foyer ne porte cet identifiant", "no household has this id")}}
	}
	return nil
}

// ListProducts returns a page of products ordered by id.
func (s *Store) ListProducts(ctx context.Context, page Page) ([]Product, error) {
	return list[Product](ctx, s, page, "id")
}

// GetProduct returns the product with this id, or ErrNotFound.
func (s *Store) GetProduct(ctx context.Context, id string) (Product, error) {
	return get[Product](ctx, s.r, id)
}

// CreateProduct stores a new product; *ValidationError or ErrConflict. A
// zero BasketMin is set to planner.DefaultBasketMin. Its EGalim labels are
// put in ma-cantine's order with BIO added when it is organic, and an empty
// Family becomes its category's (egalim.DefaultFamily).
func (s *Store) CreateProduct(ctx context.Context, x *Product) error {
	if err := validateProduct(x); err != nil {
		return err
	}
	return dbErr(s.w.WithContext(ctx).Create(x).Error, "product", x.ID)
}

// validateProduct checks a product's fields, fills a zero BasketMin with
// the contract's default and normalizes its EGalim labels and family (see
// CreateProduct). basket_min and basket_max must be positive multiples of
// the step (basket_max 0: no bound), basket_min <= basket_max.
func validateProduct(x *Product) error {
	var p problems
	p.id("id", x.ID)
	p.text("name", x.Name, true, 200)
	p.text("unit", x.Unit, true, 16)
	p.id("category", x.Category)
	p.rangeF("kg_per_unit", x.KgPerUnit, 0, 1000, true)
	p.rangeF("step", x.Step, 0, 1000, true)
	p.egalim(x)
	p.portions(x)
	return p.err()
}

// GivenPortion checks a basket_min or basket_max that was given (sent in a
// body, typed in a form): it must be more than 0, since a zero is how the
// store is told to take the default portion (basket_min) or no bound
// (basket_max), which is said by leaving the field out. nil when fine.
func GivenPortion(field string, v float64) *FieldError {
	if v > 0 {
		return nil
	}
	return &FieldError{Field: field, Reason: i18n.Text{FR: "doit être > 0 (ou absent : valeur par défaut)", EN: "must be > 0 (or left out: the default)"}}
}

// portions fills a zero BasketMin with the default and records what is wrong
// with the product's portions; nothing is checked against a bad step.
func (p *problems) portions(x *Product) {
	if !finite(x.Step) || x.Step <= 0 || !finite(x.KgPerUnit) || x.KgPerUnit <= 0 {
		return
	}
	if x.BasketMin == 0 {
		x.BasketMin = planner.DefaultBasketMin(x.Step, x.KgPerUnit)
		if x.BasketMax > 0 && x.BasketMin > x.BasketMax {
			x.BasketMin = x.BasketMax
		}
	}
	n := len(*p)
	p.portion("basket_min", x.BasketMin, x.Step, true)
	p.portion("basket_max", x.BasketMax, x.Step, false)
	if len(*p) == n && x.BasketMax > 0 && x.BasketMin > x.BasketMax+1e-9 {
		p.add("basket_min", fmt.Sprintf("%g dépasse basket_max %g", x.BasketMin, x.BasketMax),
			fmt.Sprintf("%g is more than basket_max %g", x.BasketMin, x.BasketMax))
	}
}

// egalim normalizes a product's EGalim labels and family, and records what
// is wrong with them.
func (p *problems) egalim(x *Product) {
	labels, bad, bioWithoutOrganic := egalim.NormalizeLabels(egalim.SplitLabels(x.EgalimLabels), x.Organic)
	switch {
	case bad != "":
		p.add("egalim_labels", fmt.Sprintf("label inconnu %q : attendus %s", truncate(bad, 40), strings.Join(egalim.Labels, ", ")),
			fmt.Sprintf("unknown label %q: expected %s", truncate(bad, 40), strings.Join(egalim.Labels, ", ")))
	case bioWithoutOrganic:
		p.add("egalim_labels", "BIO découle de organic : un produit non biologique ne peut pas l'avoir", "BIO follows from organic: a product that is not organic cannot have it")
	default:
		x.EgalimLabels = egalim.JoinLabels(labels)
	}
	if x.Family == "" {
		x.Family = egalim.DefaultFamily(x.Category)
	}
	if !slices.Contains(egalim.Families, x.Family) {
		p.add("family", "famille inconnue : attendue parmi "+strings.Join(egalim.Families, ", "), "unknown family: expected among "+strings.Join(egalim.Families, ", "))
	}
}

// portion checks a basket_min or basket_max: a positive multiple of step, at
// most 10,000 steps (0 allowed when not required).
func (p *problems) portion(field string, v, step float64, required bool) {
	if !required && v == 0 {
		return
	}
	n := len(*p)
	if p.rangeF(field, v, 0, 10000*step, true); len(*p) > n {
		return
	}
	if !onStep(v, step) {
		p.add(field, fmt.Sprintf("%g n'est pas un multiple du pas %g", v, step),
			fmt.Sprintf("%g is not a multiple of the step %g", v, step))
	}
}

// ListSites returns a page of sites ordered by id; kind, when not empty,
// keeps only relay points (planner.KindRelay) or canteens
// (planner.KindCanteen).
func (s *Store) ListSites(ctx context.Context, kind string, page Page) ([]Site, error) {
	return list[Site](ctx, s, page, "id", func(db *gorm.DB) *gorm.DB {
		if kind != "" {
			return db.Where("kind = ?", kind)
		}
		return db
	})
}

// GetSite returns the site with this id, or ErrNotFound.
func (s *Store) GetSite(ctx context.Context, id string) (Site, error) {
	return get[Site](ctx, s.r, id)
}

// CreateSite stores a new relay point or canteen; *ValidationError or
// ErrConflict.
func (s *Store) CreateSite(ctx context.Context, x *Site) error {
	if err := validateSite(x); err != nil {
		return err
	}
	return dbErr(s.w.WithContext(ctx).Omit(clause.Associations).Create(x).Error, "site", x.ID)
}

func validateSite(x *Site) error {
	var p problems
	p.id("id", x.ID)
	p.text("name", x.Name, true, 200)
	if x.Kind != planner.KindRelay && x.Kind != planner.KindCanteen {
		p.add("kind", "doit être relay ou canteen", "must be relay or canteen")
	}
	p.stop(x.Place, x.Address, x.Lat, x.Lon, x.WindowStart, x.WindowEnd, x.ServiceMin)
	switch {
	case x.Siret == "":
	case x.Kind != planner.KindCanteen:
		p.add("siret", "seules les cantines ont un SIRET ici", "only canteens carry a SIRET here")
	default:
		if fr, en := egalim.CheckSiret(x.Siret); fr != "" {
			p.add("siret", fr, en)
		}
	}
	return p.err()
}

// ListVehicles returns a page of vehicles ordered by id.
func (s *Store) ListVehicles(ctx context.Context, page Page) ([]Vehicle, error) {
	return list[Vehicle](ctx, s, page, "id")
}

// GetVehicle returns the vehicle with this id, or ErrNotFound.
func (s *Store) GetVehicle(ctx context.Context, id string) (Vehicle, error) {
	return get[Vehicle](ctx, s.r, id)
}

// CreateVehicle stores a new vehicle; *ValidationError or ErrConflict.
func (s *Store) CreateVehicle(ctx context.Context, x *Vehicle) error {
	if err := validateVehicle(x); err != nil {
		return err
	}
	return dbErr(s.w.WithContext(ctx).Create(x).Error, "vehicle", x.ID)
}

func validateVehicle(x *Vehicle) error {
	var p problems
	p.id("id", x.ID)
	p.text("name", x.Name, false, 200)
	p.rangeF("capacity_kg", x.CapacityKg, 0, MaxCapacityKg, true)
	p.window("shift", x.ShiftStart, x.ShiftEnd)
	return p.err()
}

// ListBasketTypes returns a page of basket types ordered by id, each with its
// contents in the order they were given.
func (s *Store) ListBasketTypes(ctx context.Context, page Page) ([]BasketType, error) {
	return list[BasketType](ctx, s, page, "id", preloadContents)
}

func preloadContents(db *gorm.DB) *gorm.DB {
	return db.Preload("Contents", func(db *gorm.DB) *gorm.DB { return db.Order("position") })
}

// GetBasketType returns the basket type with this id and its contents, or
// ErrNotFound.
func (s *Store) GetBasketType(ctx context.Context, id string) (BasketType, error) {
	return get[BasketType](ctx, s.r, id, "Contents")
}

// CreateBasketType stores a new basket type with its contents in one
// transaction; *ValidationError or ErrConflict. Positions are set from the
// order of x.Contents.
func (s *Store) CreateBasketType(ctx context.Context, x *BasketType) error {
	if err := validateBasketType(x); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		if err := t.w.Omit("Contents").Create(x).Error; err != nil {
			return dbErr(err, "basket type", x.ID)
		}
		return dbErr(t.w.Create(&x.Contents).Error, "basket type", x.ID)
	})
}

// validateBasketType checks a basket type and its contents (kg, min_products
// and max_products: 0 or at least min_products) and numbers the contents'
// positions from their order.
func validateBasketType(x *BasketType) error {
	var p problems
	p.id("id", x.ID)
	p.text("name", x.Name, true, 200)
	if !PriceCentsValid(x.PriceCents) {
		p.add("price_cents", fmt.Sprintf("doit être entre 0 et %d centimes (100 000,00 €)", MaxPriceCents), fmt.Sprintf("must be between 0 and %d cents (€100,000.00)", MaxPriceCents))
	}
	if len(x.Contents) == 0 {
		p.add("contents", "au moins une catégorie", "at least one category")
	}
	if len(x.Contents) > 20 {
		p.add("contents", "20 catégories au plus", "at most 20 categories")
	}
	var seen []string
	for i := range x.Contents {
		c := &x.Contents[i]
		f := fmt.Sprintf("contents[%d]", i)
		p.id(f+".category", c.Category)
		if slices.Contains(seen, c.Category) {
			p.add(f+".category", "catégorie en double", "duplicate category")
		}
		seen = append(seen, c.Category)
		p.rangeF(f+".kg", c.Kg, 0, 100, true)
		if c.MinProducts < 0 || c.MinProducts > 50 {
			p.add(f+".min_products", "doit être entre 0 et 50", "must be between 0 and 50")
		}
		switch {
		case c.MaxProducts < 0 || c.MaxProducts > 50:
			p.add(f+".max_products", "doit être entre 0 (sans limite) et 50", "must be between 0 (no bound) and 50")
		case c.MaxProducts > 0 && c.MaxProducts < c.MinProducts:
			p.add(f+".max_products", fmt.Sprintf("doit être au moins min_products (%d)", c.MinProducts),
				fmt.Sprintf("must be at least min_products (%d)", c.MinProducts))
		}
		c.BasketTypeID = x.ID
		c.Position = i
	}
	return p.err()
}

// Age groups of canteen covers.
const (
	AgeMaternelle  = "maternelle"  // 3 to 6 years
	AgeElementaire = "elementaire" // 6 to 11 years
	AgeAdulte      = "adulte"      // staff, adults
	AgeSenior      = "senior"      // residents of a seniors' residence
)

// AgeGroups lists the age groups in their usual order.
var AgeGroups = []string{AgeMaternelle, AgeElementaire, AgeAdulte, AgeSenior}

// defaultPortionsByCategory gives grams of raw product per cover by age group
// and product category, after the French school catering recommendations
// (GEMRCN) for a vegetable side dish or a raw starter, a fruit dessert and an
// egg dish. The README repeats this table.
var defaultPortionsByCategory = map[string]map[string]float64{
	AgeMaternelle:  {"legume": 60, "fruit": 80, "oeuf": 60},
	AgeElementaire: {"legume": 90, "fruit": 120, "oeuf": 60},
	AgeAdulte:      {"legume": 150, "fruit": 150, "oeuf": 120},
	AgeSenior:      {"legume": 120, "fruit": 130, "oeuf": 60},
}

// defaultPortionsByProduct overrides the category default for products
// eaten in larger or smaller portions: potatoes as a starchy side, lamb's
// lettuce as a light salad.
var defaultPortionsByProduct = map[string]map[string]float64{
	AgeMaternelle:  {"pomme-de-terre": 100, "mache": 20, "courge": 80, "potimarron": 80},
	AgeElementaire: {"pomme-de-terre": 150, "mache": 30, "courge": 120, "potimarron": 120},
	AgeAdulte:      {"pomme-de-terre": 250, "mache": 50, "courge": 200, "potimarron": 200},
	AgeSenior:      {"pomme-de-terre": 200, "mache": 40, "courge": 150, "potimarron": 150},
}

// DefaultPortionG returns the built-in portion in grams per cover of a product
// for an age group: the product's own default when it has one, else its
// category's. ok is false when neither exists (the coordinator must then set
// a Portion, or the dish a portion).
func DefaultPortionG(ageGroup, productID, category string) (grams float64, ok bool) {
	if g, ok := defaultPortionsByProduct[ageGroup][productID]; ok {
		return g, true
	}
	g, ok := defaultPortionsByCategory[ageGroup][category]
	return g, ok
}

// ListPortions returns the coordinator's portions ordered by age group and
// product. Defaults (DefaultPortionG) apply to the pairs not listed.
func (s *Store) ListPortions(ctx context.Context) ([]Portion, error) {
	var rows []Portion
	if err := s.r.WithContext(ctx).Order("age_group, product_id").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "portion", "")
	}
	if rows == nil {
		rows = []Portion{}
	}
	return rows, nil
}

// CheckPortion checks a portion's age group and grams as SetPortion does,
// without storing it (the product's existence is SetPortion's to check).
func CheckPortion(x Portion) error {
	var p problems
	if !slices.Contains(AgeGroups, x.AgeGroup) {
		p.add("age_group", "groupe d'âge inconnu", "unknown age group")
	}
	p.grams("grams", x.Grams)
	return p.err()
}

// SetPortion creates or replaces the portion of a product for an age group.
// The product must exist (*ValidationError otherwise).
func (s *Store) SetPortion(ctx context.Context, x Portion) error {
	if err := CheckPortion(x); err != nil {
		return err
	}
	return s.tx(ctx, func(t *Store) error {
		ok, err := exists[Product](ctx, t.w, x.ProductID)
		if err != nil {
			return err
		}
		if !ok {
			return &ValidationError{Problems: []FieldError{unknownRef("product_id", "produit inconnu", "unknown product")}}
		}
		x.Product = nil
		return dbErr(t.w.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "age_group"}, {Name: "product_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"grams", "updated_at"}),
		}).Create(&x).Error, "portion", x.AgeGroup+"/"+x.ProductID)
	})
}

// unknownRef is the field error for a reference to a record that does not
// exist; fr and en are the full reasons ("produit inconnu", "unknown product").
func unknownRef(field, fr, en string) FieldError {
	return FieldError{Field: field, Reason: i18n.Text{FR: fr, EN: en}}
}

func isNotFound(err error) bool { return err != nil && errors.Is(err, ErrNotFound) }

// Addresses returns the postal address of the hub, every producer and every
// site that has one, by id.
func (s *Store) Addresses(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	db := s.r.WithContext(ctx)
	hub, err := s.GetHub(ctx)
	if err != nil {
		return nil, err
	}
	if hub.Address != "" {
		out[hub.ID] = hub.Address
	}
	var rows []struct{ ID, Address string }
	for _, table := range []any{&Producer{}, &Site{}} {
		rows = rows[:0]
		if err := db.Model(table).Select("id, address").Where("address <> ''").Order("id").Find(&rows).Error; err != nil {
			return nil, dbErr(err, "addresses", "")
		}
		for _, r := range rows {
			out[r.ID] = r.Address
		}
	}
	return out, nil
}

// CheckProduct, CheckVehicle and CheckBasketType validate a row as
// Create... and Update... do, without storing anything: a page calls them
// to show every problem of a form at once, those it found itself (a
// number that does not read) beside the store's.
func CheckProduct(x Product) error { return validateProduct(&x) }

// CheckVehicle: see CheckProduct.
func CheckVehicle(x Vehicle) error { return validateVehicle(&x) }

// CheckBasketType: see CheckProduct.
func CheckBasketType(x BasketType) error {
	x.Contents = slices.Clone(x.Contents)
	return validateBasketType(&x)
}
