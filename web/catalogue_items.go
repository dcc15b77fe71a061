package web

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/sheets"
)

// The basket types' and vehicles' forms of the catalogue (catalogue.go).

// maxContents is how many categories a basket type holds (as the store
// and the API's maxItems); the form shows the type's own and two empty
// rows to add one.
const maxContents = 20

var basketLabels = map[string]text{
	"id": {FR: "Identifiant", EN: "Id"}, "name": {FR: "Nom", EN: "Name"}, "price": {FR: "Prix", EN: "Price"},
}

// contentLabel names a field of a basket's contents row for the summary
// ("Catégorie 2 – kg").
func contentLabel(field, lang string) string {
	m := contentField.FindStringSubmatch(field)
	if m == nil {
		return basketLabels[field].In(lang)
	}
	i, _ := strconv.Atoi(m[1])
	what := map[string]text{"category": {FR: "catégorie", EN: "category"}, "kg": {FR: "poids", EN: "weight"},
		"min_products": {FR: "produits au moins", EN: "fewest products"}, "max_products": {FR: "produits au plus", EN: "most products"}}[m[2]]
	return fmt.Sprintf(text{FR: "Ligne %d – %s", EN: "Row %d – %s"}.In(lang), i+1, what.In(lang))
}

var contentField = regexp.MustCompile(`^contents\[(\d+)\]\.(category|kg|min_products|max_products)$`)

func (s *Site) basketDoor() itemDoor[models.BasketType] {
	return itemDoor[models.BasketType]{param: "basket", what: "panier", anchor: "paniers",
		get: s.store.GetBasketType, create: s.store.CreateBasketType, update: s.store.UpdateBasketType,
		read: func(c *gin.Context, errs *formErrors, id string) (models.BasketType, func(string) string) {
			b, rows := basketForm(c, errs, func(f string) string { return contentLabel(f, errs.lang) })
			b.ID = id
			return b, basketField(rows)
		},
		check: models.CheckBasketType,
		label: func(lang string) func(string) string { return func(f string) string { return contentLabel(f, lang) } },
		render: func(c *gin.Context, p access.Principal, status int, b models.BasketType, errs *formErrors) error {
			return s.renderBasket(c, p, status, b, errs, postedRows(c))
		},
		id: func(b models.BasketType) string { return b.ID }}
}

func (s *Site) basketPage(c *gin.Context, p access.Principal) error {
	return showItem(c, p, s.basketDoor())
}

// saveBasket adds a basket type or replaces one's name, price and
// contents, as the API's POST and PUT /basket-types.
func (s *Site) saveBasket(c *gin.Context, p access.Principal) error {
	return saveItem(s, c, p, s.basketDoor())
}

// basketField maps the store's field names of a basket type to the form's:
// the store numbers the contents it was given, and the form's rows
// include the empty ones left out (rows gives each content's row).
func basketField(rows []int) func(string) string {
	return func(f string) string {
		switch m := contentField.FindStringSubmatch(f); {
		case f == "price_cents":
			return "price"
		case f == "contents":
			return "contents[0].category"
		case m != nil:
			i, _ := strconv.Atoi(m[1])
			if i < len(rows) {
				return fmt.Sprintf("contents[%d].%s", rows[i], m[2])
			}
		}
		return f
	}
}

// basketForm reads the basket type's form: its name, its price in euros
// (parseEurosCents: integer cents) and its rows of contents, an empty row
// left out; rows gives each content's row in the form.
func basketForm(c *gin.Context, errs *formErrors, label func(string) string) (models.BasketType, []int) {
	b := models.BasketType{Name: strings.TrimSpace(c.PostForm("name"))}
	switch price := strings.TrimSpace(c.PostForm("price")); {
	case price == "":
		errs.AddLabelled("price", label("price"), models.ReasonRequired)
	default:
		cents, ok := parseEurosCents(price)
		if !ok {
			errs.AddLabelled("price", label("price"), text{FR: "Indiquez un prix en euros avec deux décimales au plus, par exemple 22,00", EN: "Enter a price in euros with at most two decimals, for example 22.00"})
		} else if !models.PriceCentsValid(cents) {
			// The store's check, worded in euros as the price is typed
			// (the API's reason speaks of price_cents).
			max := int64(models.MaxPriceCents)
			errs.AddLabelled("price", label("price"), text{FR: "doit être entre 0 et " + sheets.WordsFor(langFR).Money(max), EN: "must be between 0 and " + sheets.WordsFor(langEN).Money(max)})
		}
		b.PriceCents = cents
	}
	var rows []int
	for i := range postedRows(c) {
		f := func(k string) string { return fmt.Sprintf("contents[%d].%s", i, k) }
		cat := strings.TrimSpace(c.PostForm(f("category")))
		if cat == "" && strings.TrimSpace(c.PostForm(f("kg"))+c.PostForm(f("min_products"))+c.PostForm(f("max_products"))) == "" {
			continue
		}
		kg, _ := decimalField(c, errs, f("kg"), label(f("kg")), true)
		ct := models.BasketContent{Category: cat, Kg: kg,
			MinProducts: countField(c, errs, f("min_products"), label(f("min_products"))),
			MaxProducts: countField(c, errs, f("max_products"), label(f("max_products")))}
		if cat == "" {
			errs.AddLabelled(f("category"), label(f("category")), models.ReasonRequired)
		}
		b.Contents = append(b.Contents, ct)
		rows = append(rows, i)
	}
	return b, rows
}

// postedRows is how many rows of contents the form sent (at most
// maxContents and two empty ones).
func postedRows(c *gin.Context) int {
	n := 0
	for i := 0; i < maxContents+2; i++ {
		if _, ok := c.GetPostForm(fmt.Sprintf("contents[%d].category", i)); ok {
			n = i + 1
		}
	}
	return n
}

func (s *Site) renderBasket(c *gin.Context, p access.Principal, status int, b models.BasketType, errs *formErrors, rows int) error {
	d, err := s.newItemData(c, p, errs, b.ID, pathBaskets, text{FR: "Panier : " + b.Name, EN: "Basket: " + b.Name},
		text{FR: "Ajouter un type de panier", EN: "Add a basket type"}, text{FR: "Ajouter le type de panier", EN: "Add the basket type"},
		text{FR: "Le prix est ce que paie un foyer pour un panier : il figure sur les listes de retrait. Le contenu dit le poids de chaque catégorie et combien de produits différents.",
			EN: "The price is what a household pays for one basket: the pick-up lists show it. The contents give each category's weight and how many different products."})
	if err != nil {
		return err
	}
	pg, ctx := d.page, c.Request.Context()
	products, err := all(func(pp models.Page) ([]models.Product, error) { return s.store.ListProducts(ctx, pp) })
	if err != nil {
		return err
	}
	main := []pageField{}
	if b.ID == "" {
		main = append(main, pg.field("id", basketLabels["id"].In(pg.Lang), "").withHint(pg.T("Lettres minuscules, chiffres, - et _ ; par exemple familial.", "Lower-case letters, digits, - and _; for example familial.")))
	}
	price := ""
	if b.ID != "" {
		price = inputEuros(pg.Lang, b.PriceCents)
	}
	main = append(main, pg.field("name", basketLabels["name"].In(pg.Lang), b.Name),
		pg.number("price", basketLabels["price"].In(pg.Lang), price, "€").withHint(pg.T("En euros, par exemple 22,00.", "In euros, for example 22.00.")))
	d.Groups = append([]fieldGroup{{Fields: main}}, contentRows(pg, b, products, max(rows, len(b.Contents)+2))...)
	return s.render(c, status, "item", d)
}

// contentRows draws a basket type's rows of contents, n of them.
func contentRows(pg *page, b models.BasketType, products []models.Product, n int) []fieldGroup {
	var cats []string
	for _, x := range products {
		cats = append(cats, x.Category)
	}
	for _, ct := range b.Contents {
		cats = append(cats, ct.Category)
	}
	slices.Sort(cats)
	cats = slices.Compact(cats)
	var out []fieldGroup
	for i := 0; i < min(n, maxContents+2); i++ {
		var ct models.BasketContent
		if i < len(b.Contents) {
			ct = b.Contents[i]
		}
		opts := []fieldOption{{Value: "", Label: pg.T("— aucune (ligne retirée)", "— none (row removed)")}}
		for _, cat := range cats {
			opts = append(opts, fieldOption{Value: cat, Label: pg.w.Category(cat)})
		}
		f := func(k string) string { return fmt.Sprintf("contents[%d].%s", i, k) }
		kg, mn, mx := "", "", ""
		if ct.Category != "" {
			kg, mn, mx = inputNum(pg.Lang, ct.Kg), strconv.Itoa(ct.MinProducts), ""
			if ct.MaxProducts > 0 {
				mx = strconv.Itoa(ct.MaxProducts)
			}
		}
		count := func(name, label, stored string) pageField {
			x := pg.field(name, label, stored)
			x.Mode = "numeric"
			return x
		}
		out = append(out, fieldGroup{Legend: fmt.Sprintf(pg.T("Contenu, ligne %d", "Contents, row %d"), i+1), Fields: []pageField{
			pg.choice(f("category"), pg.T("Catégorie", "Category"), ct.Category, opts),
			pg.number(f("kg"), pg.T("Poids par panier", "Weight per basket"), kg, "kg"),
			count(f("min_products"), pg.T("Produits différents, au moins", "Different products, at least"), mn),
			count(f("max_products"), pg.T("Produits différents, au plus (vide : sans limite)", "Different products, at most (empty: no bound)"), mx),
		}})
	}
	return out
}

var vehicleLabels = map[string]text{
	"id": {FR: "Identifiant", EN: "Id"}, "name": {FR: "Nom", EN: "Name"}, "capacity_kg": {FR: "Charge utile", EN: "Payload"},
	"shift[0]": {FR: "Départ au plus tôt", EN: "Leaves at the earliest"}, "shift[1]": {FR: "Retour au plus tard", EN: "Back at the latest"},
}

func (s *Site) vehicleDoor() itemDoor[models.Vehicle] {
	return itemDoor[models.Vehicle]{param: "vehicle", what: "vehicule", anchor: "vehicules",
		get: s.store.GetVehicle, create: s.store.CreateVehicle, update: s.store.UpdateVehicle,
		read: func(c *gin.Context, errs *formErrors, id string) (models.Vehicle, func(string) string) {
			v := models.Vehicle{ID: id, Name: strings.TrimSpace(c.PostForm("name")),
				ShiftStart: strings.TrimSpace(c.PostForm("shift[0]")), ShiftEnd: strings.TrimSpace(c.PostForm("shift[1]"))}
			v.CapacityKg, _ = decimalField(c, errs, "capacity_kg", labelOf(vehicleLabels, errs.lang)("capacity_kg"), true)
			return v, func(f string) string {
				if f == "shift" {
					return "shift[1]"
				}
				return f
			}
		},
		check: models.CheckVehicle, label: func(lang string) func(string) string { return labelOf(vehicleLabels, lang) },
		render: s.renderVehicle, id: func(v models.Vehicle) string { return v.ID }}
}

func (s *Site) vehiclePage(c *gin.Context, p access.Principal) error {
	return showItem(c, p, s.vehicleDoor())
}

// saveVehicle adds a vehicle or replaces one's fields, as the API's POST
// and PUT /vehicles.
func (s *Site) saveVehicle(c *gin.Context, p access.Principal) error {
	return saveItem(s, c, p, s.vehicleDoor())
}

func (s *Site) renderVehicle(c *gin.Context, p access.Principal, status int, v models.Vehicle, errs *formErrors) error {
	d, err := s.newItemData(c, p, errs, v.ID, pathVehicles, text{FR: "Véhicule : " + vehicleName(v), EN: "Vehicle: " + vehicleName(v)},
		text{FR: "Ajouter un véhicule", EN: "Add a vehicle"}, text{FR: "Ajouter le véhicule", EN: "Add the vehicle"},
		text{FR: "La charge utile borne chaque tournée ; les heures bornent son départ et son retour au dépôt.",
			EN: "The payload bounds each round; the hours bound its leaving and coming back to the depot."})
	if err != nil {
		return err
	}
	pg := d.page
	label := labelOf(vehicleLabels, pg.Lang)
	var fields []pageField
	if v.ID == "" {
		fields = append(fields, pg.field("id", label("id"), "").withHint(pg.T("Lettres minuscules, chiffres, - et _ ; par exemple camion-3.", "Lower-case letters, digits, - and _; for example camion-3.")))
	}
	capacity := ""
	if v.CapacityKg > 0 {
		capacity = inputNum(pg.Lang, v.CapacityKg)
	}
	clock := func(name, stored string) pageField {
		f := pg.field(name, label(name), stored)
		f.Type = "time"
		return f.withHint(pg.T("HH:MM, par exemple 06:00", "HH:MM, for example 06:00"))
	}
	fields = append(fields, pg.field("name", label("name"), v.Name),
		pg.number("capacity_kg", label("capacity_kg"), capacity, "kg"),
		clock("shift[0]", v.ShiftStart), clock("shift[1]", v.ShiftEnd))
	d.Groups = []fieldGroup{{Fields: fields}}
	return s.render(c, status, "item", d)
}
