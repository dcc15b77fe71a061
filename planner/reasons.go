package planner

import (
	"strconv"
	"strings"

	"paniers/internal/i18n"
)

// lang picks the language of the human reasons: French unless "en" is asked.
func lang(opt Options) string {
	if strings.EqualFold(opt.Lang, "en") {
		return "en"
	}
	return "fr"
}

// num prints a quantity the way a reader of the language expects: a clean
// decimal, with a decimal comma in French.
func num(l string, x float64) string {
	s := strconv.FormatFloat(clean(x), 'f', -1, 64)
	if l == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// qty prints a quantity with its unit, in the language and singular or
// plural as the quantity asks ("6 pièces", "1 piece").
func qty(l string, x float64, unit string) string {
	if unit == "" {
		return num(l, x)
	}
	return num(l, x) + " " + i18n.Unit(l, unit, clean(x))
}

// reasonNoOffer explains a product shortfall when no producer taking part
// offers the product.
func reasonNoOffer(l string) string {
	return i18n.Text{
		FR: "aucune offre : aucun producteur ne propose ce produit cette semaine",
		EN: "no offer: no producer offers this product this week",
	}.In(l)
}

// reasonCanteenShort explains a canteen shortfall.
func reasonCanteenShort(l string, offered, asked float64, unit string) string {
	return i18n.Textf("offre insuffisante : %s offerts, %s demandés par les cantines",
		"short supply: %s offered, %s ordered by the canteens",
		qty(l, offered, unit), qty(l, asked, unit)).In(l)
}

// reasonExtraShort explains an extra order's shortfall, naming what the
// classes before it took.
func reasonExtraShort(l string, offered, taken, asked float64, unit string) string {
	return i18n.Textf("offre insuffisante : %s offerts, %s pris d'abord par les cantines et les paniers, %s demandés en extras",
		"short supply: %s offered, %s taken by canteens and baskets first, %s ordered as extras",
		qty(l, offered, unit), qty(l, taken, unit), qty(l, asked, unit)).In(l)
}

// reasonBasketNoProduct explains a basket category with nothing to put in.
func reasonBasketNoProduct(l, cat string) string {
	return i18n.Textf("aucune offre : aucun produit de la catégorie « %s » ne reste après les cantines",
		"no supply: no product of category %q is left after the canteens",
		cat).In(l)
}

// reasonBasketShort explains a basket category short because the supply is.
func reasonBasketShort(l, cat string, avail, asked float64) string {
	return i18n.Textf("offre insuffisante en « %s » : %s kg disponibles après les cantines, %s kg demandés par les paniers",
		"short supply in %q: %s kg left after the canteens, %s kg ordered by the baskets",
		cat, num(l, avail), num(l, asked)).In(l)
}

// reasonBasketRounding explains a basket category short although the supply
// weighs enough: what is left does not split into one more step per basket.
func reasonBasketRounding(l, cat string, count int64, room float64) string {
	return i18n.Textf("arrondi : aucun produit « %s » n'a un pas de plus pour chacun des %d paniers dans les %s kg encore libres",
		"rounding: no product of %q has one more step for each of the %d baskets within the %s kg still free",
		cat, count, num(l, room)).In(l)
}

// reasonNobodyOrdered explains an unsold offer nobody asked for.
func reasonNobodyOrdered(l string) string {
	return i18n.Text{
		FR: "non commandé : aucune commande ni aucun panier ne demande ce produit",
		EN: "not ordered: no order or basket asks for this product",
	}.In(l)
}

// reasonDemandMet explains an unsold offer once every order is served.
func reasonDemandMet(l string) string {
	return i18n.Text{
		FR: "excédent : toutes les commandes de ce produit sont servies",
		EN: "surplus: every order for this product is served",
	}.In(l)
}

// reasonTooLittleForBaskets explains an unsold remainder too small to add one
// step to each basket that could still hold it.
func reasonTooLittleForBaskets(l string) string {
	return i18n.Text{
		FR: "reliquat : trop peu pour un pas de plus dans chaque panier d'un type",
		EN: "remainder: too little left for one more step in every basket of a type",
	}.In(l)
}

// reasonExcluded prefixes an unrouted reason for the orders and offers it
// takes out of the allocation.
func reasonExcluded(l, why string) string {
	return i18n.Text{
		FR: "hors tournée : " + why,
		EN: "not served by any round: " + why,
	}.In(l)
}
