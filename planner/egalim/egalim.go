// Package egalim holds the vocabulary of the EGalim law's reporting as the
// state's platform ma-cantine imports it (its purchase Table Schema,
// achats_siret.json): the quality and sustainability labels, the product
// families, the targets, the SIRET check and what "local" means here. It is
// pure: the store validates with it, the documents render with it.
package egalim

import (
	"math"
	"slices"
	"strings"

	"paniers/internal/i18n"
	"paniers/planner"
)

// Labels of quality and sustainability (ma-cantine's categories_egalim), in
// ma-cantine's order. Every one of them counts towards the EGalim share;
// LabelBio is also the organic share.
const (
	LabelBio               = "BIO"
	LabelLabelRouge        = "LABEL_ROUGE"
	LabelAOCAOP            = "AOCAOP"
	LabelIGP               = "IGP"
	LabelSTG               = "STG"
	LabelHVE               = "HVE"
	LabelPecheDurable      = "PECHE_DURABLE"
	LabelRUP               = "RUP"
	LabelCommerceEquitable = "COMMERCE_EQUITABLE"
	LabelFermier           = "FERMIER"
	LabelExternalites      = "EXTERNALITES"
	LabelPerformance       = "PERFORMANCE"
)

// Labels lists every label in ma-cantine's order.
var Labels = []string{LabelBio, LabelLabelRouge, LabelAOCAOP, LabelIGP, LabelSTG, LabelHVE, LabelPecheDurable,
	LabelRUP, LabelCommerceEquitable, LabelFermier, LabelExternalites, LabelPerformance}

// Product families (ma-cantine's famille_produits), in ma-cantine's order.
const (
	FamilyViandes     = "VIANDES_VOLAILLES"
	FamilyCharcut     = "CHARCUTERIE"
	FamilyMer         = "PRODUITS_DE_LA_MER"
	FamilyFruitsLeg   = "FRUITS_ET_LEGUMES"
	FamilyLaitiers    = "PRODUITS_LAITIERS"
	FamilyBoulangerie = "BOULANGERIE"
	FamilyBoissons    = "BOISSONS"
	FamilyAutres      = "AUTRES"
)

// Families lists every family in ma-cantine's order.
var Families = []string{FamilyViandes, FamilyCharcut, FamilyMer, FamilyFruitsLeg, FamilyLaitiers, FamilyBoulangerie, FamilyBoissons, FamilyAutres}

// familyNames are the families' short names in French and English, for
// tables (ma-cantine's own are longer: eggs go with dairy products there,
// butter and cream do not).
var familyNames = map[string]i18n.Text{
	FamilyViandes:     {FR: "Viandes et volailles", EN: "Meat and poultry"},
	FamilyCharcut:     {FR: "Charcuterie", EN: "Charcuterie"},
	FamilyMer:         {FR: "Produits de la mer", EN: "Fish and seafood"},
	FamilyFruitsLeg:   {FR: "Fruits et légumes", EN: "Fruit and vegetables"},
	FamilyLaitiers:    {FR: "Produits laitiers et œufs", EN: "Dairy products and eggs"},
	FamilyBoulangerie: {FR: "Boulangerie", EN: "Bakery"},
	FamilyBoissons:    {FR: "Boissons", EN: "Drinks"},
	FamilyAutres:      {FR: "Autres produits", EN: "Other products"},
}

// FamilyName is a family's name in lang (i18n.Text.In); the code itself for
// an unknown family.
func FamilyName(family, lang string) string {
	n, ok := familyNames[family]
	if !ok {
		return family
	}
	return n.In(lang)
}

// categoryFamilies gives the family of the usual product categories.
var categoryFamilies = map[string]string{
	"legume": FamilyFruitsLeg, "legumes": FamilyFruitsLeg, "fruit": FamilyFruitsLeg, "fruits": FamilyFruitsLeg,
	"aromate": FamilyFruitsLeg, "champignon": FamilyFruitsLeg,
	"oeuf": FamilyLaitiers, "oeufs": FamilyLaitiers, "laitage": FamilyLaitiers, "fromage": FamilyLaitiers, "lait": FamilyLaitiers, "yaourt": FamilyLaitiers,
	"viande": FamilyViandes, "volaille": FamilyViandes, "charcuterie": FamilyCharcut,
	"poisson": FamilyMer, "peche": FamilyMer,
	"pain": FamilyBoulangerie, "boulangerie": FamilyBoulangerie,
	"boisson": FamilyBoissons, "jus": FamilyBoissons,
}

// DefaultFamily is the family of a product of this category when none was
// given: vegetables and fruit FRUITS_ET_LEGUMES, eggs and dairy
// PRODUITS_LAITIERS, meat, fish, bread and drinks theirs, AUTRES otherwise.
func DefaultFamily(category string) string {
	if f, ok := categoryFamilies[category]; ok {
		return f
	}
	return FamilyAutres
}

// Targets of the law (art. L230-5-1 of the Code rural), as shares of the
// year's purchases by value excluding VAT.
const (
	TargetEgalim = 0.5 // sustainable and quality products, organic included
	TargetBio    = 0.2 // organic products
)

// DefaultLocalKm is how far from the hub a producer counts as local when
// PANIERS_LOCAL_KM is not set.
const DefaultLocalKm = 50

// DistanceKm is the great-circle distance between two points, in km: what
// "within N km" means for a local producer (roads are longer; the law and
// ma-cantine leave the measure to the canteen, and a straight line is the one
// anybody can check on a map).
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	return planner.Haversine(planner.LatLon{Lat: lat1, Lon: lon1}, planner.LatLon{Lat: lat2, Lon: lon2})
}

// NormalizeLabels checks a product's labels and returns them in ma-cantine's
// order without duplicates, with BIO present exactly when organic is set
// (BIO follows from the organic flag). bad is the first label that is not
// one of Labels ("" when all are), and bioWithoutOrganic says BIO was listed
// for a product that is not organic.
func NormalizeLabels(labels []string, organic bool) (out []string, bad string, bioWithoutOrganic bool) {
	seen := map[string]bool{}
	for _, l := range labels {
		if !slices.Contains(Labels, l) {
			if bad == "" {
				bad = l
			}
			continue
		}
		seen[l] = true
	}
	if seen[LabelBio] && !organic {
		bioWithoutOrganic = true
	}
	seen[LabelBio] = organic
	out = []string{}
	for _, l := range Labels {
		if seen[l] {
			out = append(out, l)
		}
	}
	return out, bad, bioWithoutOrganic
}

// JoinLabels is labels as ma-cantine's categories_egalim cell: comma
// separated, no spaces.
func JoinLabels(labels []string) string { return strings.Join(labels, ",") }

// SplitLabels is the inverse of JoinLabels; the empty string is no label.
func SplitLabels(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// LaPosteSIREN is La Poste's SIREN: its establishments' SIRETs do not pass
// the Luhn check (there are more of them than the check digit allows) but
// have a sum of digits that is a multiple of 5 (INSEE's rule).
const LaPosteSIREN = "356000000"

// CheckSiret says why s is not a valid SIRET, "" when it is: 14 ASCII
// digits whose first 9 (the SIREN) pass the Luhn check, the 14 as well, or
// for La Poste (SIREN 356000000) the sum of the 14 digits is a multiple of 5.
// The reasons are in French and English.
func CheckSiret(s string) (fr, en string) {
	if len(s) != 14 || strings.Trim(s, "0123456789") != "" {
		return "14 chiffres attendus", "14 digits expected"
	}
	if !luhn(s[:9]) {
		return "SIREN invalide (clé de contrôle de Luhn)", "invalid SIREN (Luhn check digit)"
	}
	if luhn(s) {
		return "", ""
	}
	if s[:9] == LaPosteSIREN {
		sum := 0
		for _, c := range s {
			sum += int(c - '0')
		}
		if sum%5 == 0 {
			return "", ""
		}
	}
	return "SIRET invalide (clé de contrôle de Luhn)", "invalid SIRET (Luhn check digit)"
}

// luhn says whether the digits of s pass the Luhn check: doubling every
// second digit from the right, the sum of the digits is a multiple of 10.
func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Share is part/total, NaN when total is not positive.
func Share(part, total int64) float64 {
	if total <= 0 {
		return math.NaN()
	}
	return float64(part) / float64(total)
}
