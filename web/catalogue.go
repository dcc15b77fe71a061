package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/egalim"
)

// The coordinator's catalogue (/coordination/catalogue): the products with
// their portions per basket (basket_min, basket_max), the basket types
// with their prices and contents, the vehicles; each opens on its own
// form, and a form adds one. Every write goes through the store functions
// the API's POST and PUT call (Create..., Update...), after the same
// checks (models.CheckProduct, models.GivenPortion...), so that a refusal
// gives the API's reason beside the field.

const (
	pathCatalogue  = "/coordination/catalogue"
	pathProducts   = pathCatalogue + "/produits"
	pathBaskets    = pathCatalogue + "/paniers"
	pathVehicles   = pathCatalogue + "/vehicules"
	pathNewProduct = pathCatalogue + "/nouveau-produit"
	pathNewBasket  = pathCatalogue + "/nouveau-panier"
	pathNewVehicle = pathCatalogue + "/nouveau-vehicule"
)

// catalogueStore is what the catalogue and calendar pages write through,
// beside Store's reads; *models.Store satisfies it.
type catalogueStore interface {
	GetProduct(ctx context.Context, id string) (models.Product, error)
	CreateProduct(ctx context.Context, p *models.Product) error
	UpdateProduct(ctx context.Context, p *models.Product) error
	ListVehicles(ctx context.Context, page models.Page) ([]models.Vehicle, error)
	GetVehicle(ctx context.Context, id string) (models.Vehicle, error)
	CreateVehicle(ctx context.Context, v *models.Vehicle) error
	UpdateVehicle(ctx context.Context, v *models.Vehicle) error
	GetBasketType(ctx context.Context, id string) (models.BasketType, error)
	CreateBasketType(ctx context.Context, b *models.BasketType) error
	UpdateBasketType(ctx context.Context, b *models.BasketType) error
	ListPortions(ctx context.Context) ([]models.Portion, error)
	SetPortion(ctx context.Context, p models.Portion) error
	CreateWeek(ctx context.Context, w *models.Week) error
	PatchWeek(ctx context.Context, id string, ch models.WeekChange) (models.Week, error)
}

func (s *Site) registerCatalogue() {
	co := func(h func(*gin.Context, access.Principal) error) gin.HandlerFunc { return s.signedIn(s.coordOnly(h)) }
	s.engine.GET(pathCatalogue, co(s.cataloguePage))
	for _, k := range []struct {
		list, create, param string
		page, save          func(*gin.Context, access.Principal) error
	}{
		{pathProducts, pathNewProduct, "product", s.productPage, s.saveProduct},
		{pathBaskets, pathNewBasket, "basket", s.basketPage, s.saveBasket},
		{pathVehicles, pathNewVehicle, "vehicle", s.vehiclePage, s.saveVehicle},
	} {
		s.engine.GET(k.create, co(k.page))
		s.engine.POST(k.list, co(k.save))
		s.engine.GET(k.list+"/:"+k.param, co(k.page))
		s.engine.POST(k.list+"/:"+k.param, co(k.save))
	}
	s.engine.POST(pathProducts+"/:product/portions", co(s.savePortions))
	s.registerCalendar()
}

// catalogueData is the catalogue page's data.
type catalogueData struct {
	*page
	Products []models.Product
	Baskets  []models.BasketType
	Vehicles []models.Vehicle
	Affects  string
}

// Portion prints a product's portion per basket: "0,5 à 2 kg".
func (d *catalogueData) Portion(x models.Product) string { return portionWords(d.page, x) }

func portionWords(p *page, x models.Product) string {
	if x.BasketMax > 0 {
		return fmt.Sprintf(p.T("%s à %s", "%s to %s"), p.Num(x.BasketMin), p.Qty(x.BasketMax, x.Unit))
	}
	return fmt.Sprintf(p.T("%s, sans maximum", "%s, no maximum"), p.Qty(x.BasketMin, x.Unit))
}

// Labels prints a product's EGalim labels, "–" when none.
func (d *catalogueData) Labels(x models.Product) string {
	if l := egalim.SplitLabels(x.EgalimLabels); len(l) > 0 {
		return strings.Join(l, ", ")
	}
	return "–"
}

// Contents prints a basket type's contents: "légumes 3 kg (4 à 6 produits)".
func (d *catalogueData) Contents(b models.BasketType) []string { return basketContents(d.page, b) }

func basketContents(p *page, b models.BasketType) []string {
	var out []string
	for _, c := range b.Contents {
		n := fmt.Sprintf(p.T("au moins %d produit(s)", "at least %d product(s)"), c.MinProducts)
		if c.MaxProducts > 0 {
			n = fmt.Sprintf(p.T("%d à %d produits", "%d to %d products"), c.MinProducts, c.MaxProducts)
		}
		out = append(out, fmt.Sprintf("%s %s (%s)", p.w.Category(c.Category), p.Qty(c.Kg, "kg"), n))
	}
	return out
}

// Category names a product category ("légumes").
func (d *catalogueData) Category(c string) string { return d.w.Category(c) }

func (s *Site) cataloguePage(c *gin.Context, p access.Principal) error {
	ctx := c.Request.Context()
	d := &catalogueData{page: s.newPage(c, p, text{FR: "Catalogue", EN: "Catalogue"})}
	var err error
	if d.Products, err = all(func(pp models.Page) ([]models.Product, error) { return s.store.ListProducts(ctx, pp) }); err != nil {
		return err
	}
	if d.Baskets, err = all(func(pp models.Page) ([]models.BasketType, error) { return s.store.ListBasketTypes(ctx, pp) }); err != nil {
		return err
	}
	if d.Vehicles, err = all(func(pp models.Page) ([]models.Vehicle, error) { return s.store.ListVehicles(ctx, pp) }); err != nil {
		return err
	}
	if d.Affects, err = s.affects(ctx, d.page); err != nil {
		return err
	}
	d.Notice = s.catalogueNotice(c, d)
	return s.render(c, http.StatusOK, "catalogue", d)
}

// catalogueNotice says what a post stored, read back from the lists.
func (s *Site) catalogueNotice(c *gin.Context, d *catalogueData) []string {
	id := c.Query("id")
	switch c.Query("fait") {
	case "produit":
		for _, x := range d.Products {
			if x.ID == id {
				return []string{fmt.Sprintf(d.T("Produit enregistré : %s – %s, pas de %s, %s par panier.", "Product saved: %s – %s, step %s, %s per basket."),
					x.Name, d.w.Category(x.Category), d.Qty(x.Step, x.Unit), portionWords(d.page, x))}
			}
		}
	case "portions":
		for _, x := range d.Products {
			if x.ID == id {
				return s.portionsNotice(c, d.page, x)
			}
		}
	case "panier":
		for _, b := range d.Baskets {
			if b.ID == id {
				return []string{fmt.Sprintf(d.T("Panier enregistré : %s – %s ; %s.", "Basket saved: %s – %s; %s."),
					b.Name, d.Money(b.PriceCents), strings.Join(basketContents(d.page, b), ", "))}
			}
		}
	case "vehicule":
		for _, v := range d.Vehicles {
			if v.ID == id {
				return []string{fmt.Sprintf(d.T("Véhicule enregistré : %s – %s, de %s à %s.", "Vehicle saved: %s – %s, from %s to %s."),
					vehicleName(v), d.Qty(v.CapacityKg, "kg"), v.ShiftStart, v.ShiftEnd)}
			}
		}
	}
	return nil
}

func vehicleName(v models.Vehicle) string {
	if v.Name != "" {
		return v.Name
	}
	return v.ID
}

// affects says what a change to the catalogue counts for: the weeks not
// yet planned; a planned week keeps the scenario its plan was made from.
func (s *Site) affects(ctx context.Context, p *page) (string, error) {
	weeks, err := all(func(pp models.Page) ([]models.Week, error) { return s.store.ListWeeks(ctx, pp) })
	if err != nil {
		return "", err
	}
	var pending []string
	for _, w := range weeks {
		if w.Status == models.WeekOpen || w.Status == models.WeekClosed {
			pending = append(pending, w.ID)
		}
	}
	const stays = " Une semaine déjà planifiée garde le scénario de son plan enregistré : replanifiez-la pour qu'elle en tienne compte."
	const staysEN = " A week already planned keeps the scenario of its stored plan: plan it again for the change to count."
	if len(pending) == 0 {
		return p.T("Un changement compte pour les prochains plans : aucune semaine n'attend encore le sien."+stays,
			"A change counts for the next plans: no week is waiting for one yet."+staysEN), nil
	}
	return fmt.Sprintf(p.T("Un changement compte pour les semaines pas encore planifiées (%s)."+stays,
		"A change counts for the weeks not yet planned (%s)."+staysEN), strings.Join(pending, ", ")), nil
}

// itemData is the page of one product, basket type or vehicle: its form,
// what a change affects, the way back.
type itemData struct {
	*page
	Action, Submit string
	Affects        []string
	Groups         []fieldGroup
	// Extra is a second form (a product's canteen portions), shown
	// when the first did not come back with errors.
	Extra *itemExtra
}

// newItemData starts the page of an item: its title (adding one when id
// is ""), what a change affects (about, then the weeks it counts for), and
// the form's action: the list's path to add, the item's own to replace.
func (s *Site) newItemData(c *gin.Context, p access.Principal, errs *formErrors, id, list string, title, adding, submit, about text) (*itemData, error) {
	if id == "" {
		title = adding
	}
	pg := s.newPage(c, p, title)
	if errs != nil {
		pg.Errors = errs
	}
	affects, err := s.affects(c.Request.Context(), pg)
	if err != nil {
		return nil, err
	}
	d := &itemData{page: pg, Action: list, Submit: submit.In(pg.Lang), Affects: []string{about.In(pg.Lang), affects}}
	if id != "" {
		d.Action, d.Submit = list+"/"+id, pg.T("Enregistrer", "Save")
	}
	return d, nil
}

// itemID is the path's id of the item, "" on the page adding one;
// ErrNotFound when it cannot be an id.
func itemID(c *gin.Context, param string) (string, error) {
	id := c.Param(param)
	if id != "" && !models.ValidID(id) {
		return "", models.ErrNotFound
	}
	return id, nil
}

// saved ends a post that stored an item: back to the catalogue, which says
// what is now stored.
func (s *Site) saved(c *gin.Context, what, id, anchor string) error {
	c.Redirect(http.StatusSeeOther, s.withLang(c, pathCatalogue+"?fait="+what+"&id="+urlQueryEscape(id)+"#"+anchor))
	return nil
}

// storeRefusal records why the store refused an item: a taken id (as the
// API's reason), or its fields' problems; a vanished item (ErrNotFound)
// and anything else are returned. status is the answer's status.
func storeRefusal(err error, errs *formErrors, id string, field, label func(string) string) (status int, _ error) {
	switch {
	case errors.Is(err, models.ErrConflict):
		errs.AddLabelled("id", label("id"), textf("%q est déjà utilisé", "%q is already taken", id))
		return http.StatusConflict, nil
	case errors.Is(err, models.ErrNotFound):
		return 0, err
	}
	var invalid *models.ValidationError
	if !errors.As(err, &invalid) {
		return 0, err
	}
	for _, p := range invalid.Problems {
		f := field(p.Field)
		errs.AddLabelled(f, label(f), p.Reason)
	}
	return http.StatusUnprocessableEntity, nil
}

// checked records the problems models' Check... found in a row the form
// built, beside what the form itself found.
func checked(err error, errs *formErrors, field, label func(string) string) error {
	if err == nil {
		return nil
	}
	_, err = storeRefusal(err, errs, "", field, label)
	return err
}

func same(f string) string { return f }

// labelOf makes a field's label function from a table.
func labelOf(labels map[string]text, lang string) func(string) string {
	return func(f string) string { return labels[f].In(lang) }
}

var productLabels = map[string]text{
	"id": {FR: "Identifiant", EN: "Id"}, "name": {FR: "Nom", EN: "Name"}, "category": {FR: "Catégorie", EN: "Category"},
	"unit": {FR: "Unité", EN: "Unit"}, "kg_per_unit": {FR: "Poids d'une unité", EN: "Weight of one unit"},
	"step": {FR: "Pas", EN: "Step"}, "basket_min": {FR: "Portion minimale par panier", EN: "Smallest portion per basket"},
	"basket_max": {FR: "Portion maximale par panier", EN: "Largest portion per basket"},
	"organic":    {FR: "Biologique", EN: "Organic"}, "egalim_labels": {FR: "Labels EGalim", EN: "EGalim labels"},
	"family": {FR: "Famille EGalim", EN: "EGalim family"},
}

// itemDoor is one kind of catalogue item's way between its form and the
// store: how to read it, check it, create or replace it, and draw its form.
type itemDoor[T any] struct {
	// param is the path parameter naming the item; what and anchor say
	// on the catalogue what was stored (?fait=) and where (#anchor).
	param, what, anchor string
	get                 func(ctx context.Context, id string) (T, error)
	create, update      func(ctx context.Context, x *T) error
	// read builds the item from the form with the id given; problems of
	// its own go to errs. field maps the store's field names to the form's.
	read   func(c *gin.Context, errs *formErrors, id string) (T, func(string) string)
	check  func(T) error
	label  func(lang string) func(string) string
	render func(c *gin.Context, p access.Principal, status int, stored T, errs *formErrors) error
	id     func(T) string
}

// showItem draws an item's form, empty on the page adding one.
func showItem[T any](c *gin.Context, p access.Principal, d itemDoor[T]) error {
	id, err := itemID(c, d.param)
	if err != nil {
		return err
	}
	var x T
	if id != "" {
		if x, err = d.get(c.Request.Context(), id); err != nil {
			return err
		}
	}
	return d.render(c, p, http.StatusOK, x, nil)
}

// saveItem adds an item (POST to the list's path, its id from the form)
// or replaces one's fields (POST to its own path), as the API's POST and
// PUT: the form's problems and the store's (d.check) are shown together;
// a taken id is a 409.
func saveItem[T any](s *Site, c *gin.Context, p access.Principal, d itemDoor[T]) error {
	ctx := c.Request.Context()
	id, err := itemID(c, d.param)
	if err != nil {
		return err
	}
	var stored T
	if id != "" {
		if stored, err = d.get(ctx, id); err != nil {
			return err
		}
	}
	errs := newFormErrors(c)
	label := d.label(errs.lang)
	newID := id
	if id == "" {
		newID = strings.TrimSpace(c.PostForm("id"))
	}
	x, field := d.read(c, errs, newID)
	if err := checked(d.check(x), errs, field, label); err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if !errs.Any() {
		if id == "" {
			err = d.create(ctx, &x)
		} else {
			err = d.update(ctx, &x)
		}
		if err == nil {
			return s.saved(c, d.what, d.id(x), d.anchor)
		}
		if status, err = storeRefusal(err, errs, newID, field, label); err != nil {
			return err
		}
	}
	return d.render(c, p, status, stored, errs)
}

func (s *Site) productDoor() itemDoor[models.Product] {
	return itemDoor[models.Product]{param: "product", what: "produit", anchor: "produits",
		get: s.store.GetProduct, create: s.store.CreateProduct, update: s.store.UpdateProduct,
		read: func(c *gin.Context, errs *formErrors, id string) (models.Product, func(string) string) {
			x := productForm(c, errs, labelOf(productLabels, errs.lang))
			x.ID = id
			return x, same
		},
		check: models.CheckProduct, label: func(lang string) func(string) string { return labelOf(productLabels, lang) },
		render: s.renderProduct, id: func(x models.Product) string { return x.ID }}
}

func (s *Site) productPage(c *gin.Context, p access.Principal) error {
	return showItem(c, p, s.productDoor())
}

// saveProduct adds a product (POST .../produits) or replaces one's fields
// (POST .../produits/{id}), as the API's POST and PUT.
func (s *Site) saveProduct(c *gin.Context, p access.Principal) error {
	return saveItem(s, c, p, s.productDoor())
}

// productForm reads the product form; numbers that do not read, and
// portions given as 0, go to errs as the API reports them.
func productForm(c *gin.Context, errs *formErrors, label func(string) string) models.Product {
	x := models.Product{
		Name: strings.TrimSpace(c.PostForm("name")), Unit: strings.TrimSpace(c.PostForm("unit")),
		Category: strings.TrimSpace(c.PostForm("category")), Organic: c.PostForm("organic") == "1",
		EgalimLabels: egalim.JoinLabels(c.PostFormArray("egalim_labels")), Family: c.PostForm("family"),
	}
	x.KgPerUnit, _ = decimalField(c, errs, "kg_per_unit", label("kg_per_unit"), true)
	x.Step, _ = decimalField(c, errs, "step", label("step"), true)
	for _, f := range []struct {
		name string
		v    *float64
	}{{"basket_min", &x.BasketMin}, {"basket_max", &x.BasketMax}} {
		v, given := decimalField(c, errs, f.name, label(f.name), false)
		if given && errs.Get(f.name) == "" {
			if fe := models.GivenPortion(f.name, v); fe != nil {
				errs.AddLabelled(f.name, label(f.name), fe.Reason)
			}
		}
		*f.v = v
	}
	return x
}

func (s *Site) renderProduct(c *gin.Context, p access.Principal, status int, x models.Product, errs *formErrors) error {
	d, err := s.newItemData(c, p, errs, x.ID, pathProducts, text{FR: "Produit : " + x.Name, EN: "Product: " + x.Name},
		text{FR: "Ajouter un produit", EN: "Add a product"}, text{FR: "Ajouter le produit", EN: "Add the product"},
		text{FR: "Les portions bornent la quantité de ce produit dans un panier qui en contient ; la catégorie le range dans les paniers.",
			EN: "The portions bound the quantity of this product in a basket that holds it; its category places it in the baskets."})
	if err != nil {
		return err
	}
	pg := d.page
	d.Groups = productFields(pg, x)
	if x.ID != "" && errs == nil {
		if d.Extra, err = s.portionsForm(c, pg, x); err != nil {
			return err
		}
	}
	return s.render(c, status, "item", d)
}

func productFields(pg *page, x models.Product) []fieldGroup {
	label := func(f string) string { return productLabels[f].In(pg.Lang) }
	num := func(v float64) string {
		if v == 0 {
			return ""
		}
		return inputNum(pg.Lang, v)
	}
	unit := pg.Input("unit", x.Unit)
	var main []pageField
	if x.ID == "" {
		main = append(main, pg.field("id", label("id"), "").withHint(pg.T("Lettres minuscules, chiffres, - et _ ; par exemple pomme-de-terre. Il ne change plus ensuite.",
			"Lower-case letters, digits, - and _; for example pomme-de-terre. It cannot change afterwards.")))
	}
	main = append(main,
		pg.field("name", label("name"), x.Name),
		pg.field("category", label("category"), x.Category).withHint(pg.T("legume, fruit, oeuf… : les paniers sont composés par catégorie.", "legume, fruit, oeuf…: baskets are made up by category.")),
		pg.field("unit", label("unit"), x.Unit).withHint(pg.T("kg, piece, botte…", "kg, piece, botte…")),
		pg.number("kg_per_unit", label("kg_per_unit"), num(x.KgPerUnit), "kg").withHint(pg.T("1 pour un produit vendu au kg.", "1 for a product sold by the kg.")),
		pg.number("step", label("step"), num(x.Step), unit).withHint(pg.T("Les quantités offertes, commandées et mises en panier en sont des multiples.", "Quantities offered, ordered and put in baskets are multiples of it.")),
		pg.number("basket_min", label("basket_min"), num(x.BasketMin), unit).withHint(pg.T("Vide : la valeur par défaut, le plus petit multiple du pas pesant 0,2 kg.", "Empty: the default, the smallest multiple of the step weighing 0.2 kg.")),
		pg.number("basket_max", label("basket_max"), num(x.BasketMax), unit).withHint(pg.T("Vide : sans maximum.", "Empty: no maximum.")),
	)
	var labels []fieldOption
	for _, l := range egalim.Labels {
		if l != egalim.LabelBio {
			labels = append(labels, fieldOption{Value: l, Label: l})
		}
	}
	families := []fieldOption{{Value: "", Label: pg.T("Celle de la catégorie", "The category's")}}
	for _, f := range egalim.Families {
		families = append(families, fieldOption{Value: f, Label: egalim.FamilyName(f, pg.Lang)})
	}
	stored := slices.DeleteFunc(egalim.SplitLabels(x.EgalimLabels), func(l string) bool { return l == egalim.LabelBio })
	quality := []pageField{
		pg.box("organic", pg.T("Produit biologique (label BIO pour EGalim)", "Organic product (BIO label for EGalim)"), x.Organic),
		pg.boxes("egalim_labels", label("egalim_labels"), labels, stored).withHint(pg.T("BIO découle de « biologique ».", "BIO follows from “organic”.")),
		pg.choice("family", label("family"), familyInput(x), families),
	}
	return []fieldGroup{{Fields: main}, {Legend: pg.T("Qualité (bilans EGalim des cantines)", "Quality (canteens' EGalim reports)"), Fields: quality}}
}

// familyInput is the family to show: empty when it is the category's
// default, so that a change of category carries it along.
func familyInput(x models.Product) string {
	if x.Family == egalim.DefaultFamily(x.Category) {
		return ""
	}
	return x.Family
}
