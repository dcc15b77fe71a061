package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
)

// The canteens' portions of a product (models.Portion): grams of raw
// product per cover of each age group, which turn a canteen's covers into
// produce. A pair the coordinator never set takes the built-in default
// (models.DefaultPortionG). The form is on the product's page and posts
// through models.SetPortion, as PUT /portions/{age_group}/{product}.

// ageWords names the age groups of canteen covers.
var ageWords = map[string]text{
	models.AgeMaternelle: {FR: "Maternelle", EN: "Nursery school"}, models.AgeElementaire: {FR: "Élémentaire", EN: "Primary school"},
	models.AgeAdulte: {FR: "Adultes", EN: "Adults"}, models.AgeSenior: {FR: "Résidence seniors", EN: "Seniors' residence"},
}

// itemExtra is a second form on an item's page.
type itemExtra struct {
	Heading, Intro, Action, Submit string
	Fields                         []pageField
}

// portionsOf returns the coordinator's portions of a product by age group.
func (s *Site) portionsOf(c *gin.Context, product string) (map[string]float64, error) {
	rows, err := s.store.ListPortions(c.Request.Context())
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, r := range rows {
		if r.ProductID == product {
			out[r.AgeGroup] = r.Grams
		}
	}
	return out, nil
}

// effectivePortion is the portion a canteen's covers use: the
// coordinator's, else the default; ok is false when there is neither.
func effectivePortion(set map[string]float64, age string, x models.Product) (float64, bool) {
	if g, ok := set[age]; ok {
		return g, true
	}
	return models.DefaultPortionG(age, x.ID, x.Category)
}

// portionsForm is the portions form of a product.
func (s *Site) portionsForm(c *gin.Context, pg *page, x models.Product) (*itemExtra, error) {
	set, err := s.portionsOf(c, x.ID)
	if err != nil {
		return nil, err
	}
	e := &itemExtra{Heading: pg.T("Portions des cantines", "Canteens' portions"), Action: pathProducts + "/" + x.ID + "/portions",
		Submit: pg.T("Enregistrer les portions", "Save the portions"),
		Intro: pg.T("Grammes de produit brut par couvert : ils changent les couverts commandés en produits à livrer, pour les commandes des semaines pas encore planifiées.",
			"Grams of raw product per cover: they turn the covers ordered into produce to deliver, for the orders of weeks not yet planned.")}
	for _, age := range models.AgeGroups {
		stored, hint := "", pg.T("Sans valeur par défaut pour cette catégorie : la cantine indique la portion du plat.", "No default for this category: the canteen gives the dish's portion.")
		if g, ok := effectivePortion(set, age, x); ok {
			stored = inputNum(pg.Lang, g)
		}
		if g, ok := models.DefaultPortionG(age, x.ID, x.Category); ok {
			hint = fmt.Sprintf(pg.T("Par défaut : %s g.", "Default: %s g."), pg.Num(g))
		}
		e.Fields = append(e.Fields, pg.number("grams."+age, ageWords[age].In(pg.Lang), stored, pg.T("g par couvert", "g per cover")).withHint(hint))
	}
	return e, nil
}

// savePortions stores the portions that changed, after checking them all
// (models.CheckPortion): a refused form stores none.
func (s *Site) savePortions(c *gin.Context, p access.Principal) error {
	id, err := itemID(c, "product")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	x, err := s.store.GetProduct(ctx, id)
	if err != nil {
		return err
	}
	set, err := s.portionsOf(c, x.ID)
	if err != nil {
		return err
	}
	errs := newFormErrors(c)
	var put []models.Portion
	for _, age := range models.AgeGroups {
		f, label := "grams."+age, ageWords[age].In(errs.lang)
		_, isSet := set[age]
		g, given := decimalField(c, errs, f, label, isSet)
		if !given || errs.Get(f) != "" {
			continue
		}
		if cur, ok := effectivePortion(set, age, x); ok && cur == g {
			continue
		}
		row := models.Portion{AgeGroup: age, ProductID: x.ID, Grams: g}
		if _, err := storeRefusal(models.CheckPortion(row), errs, "", func(string) string { return f }, func(string) string { return label }); err != nil {
			return err
		}
		put = append(put, row)
	}
	if !errs.Any() {
		for _, row := range put {
			if err := s.store.SetPortion(ctx, row); err != nil {
				return err
			}
		}
		return s.saved(c, "portions", x.ID, "p-"+x.ID)
	}
	pg := s.newPage(c, p, text{FR: "Portions des cantines : " + x.Name, EN: "Canteens' portions: " + x.Name})
	pg.Errors = errs
	extra, err := s.portionsForm(c, pg, x)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusUnprocessableEntity, "item", &itemData{page: pg, Extra: extra})
}

// portionsNotice says a product's canteen portions as now stored.
func (s *Site) portionsNotice(c *gin.Context, pg *page, x models.Product) []string {
	set, err := s.portionsOf(c, x.ID)
	if err != nil {
		return nil
	}
	var parts []string
	for _, age := range models.AgeGroups {
		if g, ok := effectivePortion(set, age, x); ok {
			parts = append(parts, fmt.Sprintf("%s %s g", strings.ToLower(ageWords[age].In(pg.Lang)), pg.Num(g)))
		}
	}
	return []string{fmt.Sprintf(pg.T("Portions des cantines enregistrées pour %s : %s par couvert.", "Canteens' portions saved for %s: %s per cover."), x.Name, strings.Join(parts, ", "))}
}
