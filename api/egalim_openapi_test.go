package api

import "paniers/planner/egalim"

// withEgalim adds to the OpenAPI document the routes of egalim.go: a
// canteen's EGalim figures, its ma-cantine purchase file and its summary.
func withEgalim(doc obj) obj {
	paths := doc["paths"].(obj)
	comps := doc["components"].(obj)
	schemas := comps["schemas"].(obj)
	params := comps["parameters"].(obj)

	roles := "coordinator; cook (its own canteen; another canteen's cook gets 403)."
	errs := []int{400, 403, 404}
	period := "Purchases are the lines of the canteen's delivery notes of every week published with a delivery date from `from` to `to` (both included, at most 366 days): the version last published, drafts never; amounts are the notes' to the cent, excluding VAT."
	ops := map[string]map[string]op{
		"/api/v1/sites/{site}/egalim": {
			"get": {summary: "A canteen's EGalim figures", desc: period + " egalim_cents counts every product with an EGalim label (ma-cantine's categories_egalim, organic included), bio_cents the organic ones, local_cents those of a producer within PANIERS_LOCAL_KM of the hub. Shares are fractions of total_ht_cents between 0 and 1, rounded to 4 decimals (0.5 is 50 %), null when the total is 0; the targets are the law's (at least 50 % EGalim, of which at least 20 % organic, of the total). By family (ma-cantine's famille_produits, those with purchases), by published week and by month.",
				roles: roles, params: []string{"site", "fromQuery", "toQuery"}, ok: 200, okSchema: "Egalim", okDesc: "the figures", errors: errs, tag: "egalim"},
		},
		"/api/v1/sites/{site}/egalim/purchases.csv": {
			"get": {summary: "The canteen's ma-cantine purchase import file", desc: period + " One row per delivered product line and delivery date, in ma-cantine's achats_siret Table Schema: its columns in its order, UTF-8 without BOM, comma separated, dates YYYY-MM-DD, prix_ht in euros with a decimal point, categories_egalim comma separated, est_circuit_court OUI (the hub is the one intermediary), est_local OUI with definition_local KM and definition_local_km PANIERS_LOCAL_KM for a local producer. 409 naming siret while the canteen has no SIRET.",
				roles: roles, params: []string{"site", "fromQuery", "toQuery"}, ok: 200, okDesc: "the CSV file", errors: []int{400, 403, 404, 409}, tag: "egalim"},
		},
		"/api/v1/sites/{site}/egalim/report.pdf": {
			"get": {summary: "The canteen's one-page EGalim summary", desc: period + " For the town council: the shares against the targets, by month and by product family; French by default, ?lang=en for English.",
				roles: roles, params: []string{"site", "fromQuery", "toQuery"}, ok: 200, okDesc: "the PDF file", errors: errs, tag: "egalim"},
		},
	}
	addPaths(paths, ops)
	file := func(desc, contentType string, schema obj) obj {
		return obj{"description": desc,
			"headers": obj{"Content-Disposition": obj{"description": "attachment with the file name", "schema": obj{"type": "string"}}},
			"content": obj{contentType: obj{"schema": schema}}}
	}
	paths["/api/v1/sites/{site}/egalim/purchases.csv"].(obj)["get"].(obj)["responses"].(obj)["200"] = file("the CSV file", "text/csv", obj{"type": "string"})
	paths["/api/v1/sites/{site}/egalim/report.pdf"].(obj)["get"].(obj)["responses"].(obj)["200"] = file("the PDF file", "application/pdf", obj{"type": "string", "format": "binary"})

	date := func(name, desc string) obj {
		return obj{"name": name, "in": "query", "required": true, "description": desc, "schema": dateSchema}
	}
	params["fromQuery"] = date("from", "first delivery date of the period, YYYY-MM-DD")
	params["toQuery"] = date("to", "last delivery date of the period, YYYY-MM-DD, at most 366 days after from")

	cents := func(desc string) obj {
		return obj{"type": "integer", "description": desc + ", euro cents excluding VAT"}
	}
	share := func(desc string) obj {
		return obj{"type": "number", "nullable": true, "minimum": 0, "maximum": 1, "description": desc + " (fraction of the total, 4 decimals; null when the total is 0)"}
	}
	totals := obj{
		"total_ht_cents": cents("all purchases"), "bio_cents": cents("organic purchases (BIO)"),
		"egalim_cents": cents("sustainable and quality purchases: any EGalim label, organic included"), "local_cents": cents("purchases from local producers"),
		"bio_share": share("bio_cents / total_ht_cents"), "egalim_share": share("egalim_cents / total_ht_cents"), "local_share": share("local_cents / total_ht_cents"),
	}
	totalKeys := []string{"total_ht_cents", "bio_cents", "egalim_cents", "local_cents", "bio_share", "egalim_share", "local_share"}
	group := func(extra obj, keys ...string) obj { return object(append(keys, totalKeys...), merge(totals, extra)) }
	schemas["Egalim"] = group(obj{
		"canteen": idSchema("canteen"), "name": str("canteen name"), "siret": str("the canteen's SIRET, absent when not set"),
		"from": dateSchema, "to": dateSchema, "local_km": num("PANIERS_LOCAL_KM: how far from the hub a producer is local, km"),
		"published_weeks": integer("published weeks delivered in the period"), "lines": integer("purchase lines (rows of the purchase file)"),
		"unpriced_lines":    integer("lines without an offer price, counted 0"),
		"targets":           object([]string{"egalim_share", "bio_share"}, obj{"egalim_share": num("the law's EGalim target: 0.5"), "bio_share": num("the law's organic target: 0.2")}),
		"egalim_target_met": boolean("egalim_cents >= 50 % of total_ht_cents (false on a zero total)"),
		"bio_target_met":    boolean("bio_cents >= 20 % of total_ht_cents (false on a zero total)"),
		"by_family":         array(group(obj{"family": obj{"type": "string", "enum": egalim.Families}, "name": str("the family's name")}, "family", "name")),
		"by_week":           array(group(obj{"week": weekIDSchema, "delivery_date": dateSchema}, "week", "delivery_date")),
		"by_month":          array(group(obj{"month": obj{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "YYYY-MM"}}, "month")),
		"purchases_url":     str("the purchase file of the same period"), "report_url": str("the summary of the same period"),
	}, "canteen", "name", "from", "to", "local_km", "published_weeks", "lines", "unpriced_lines", "targets", "egalim_target_met", "bio_target_met",
		"by_family", "by_week", "by_month", "purchases_url", "report_url")
	doc["tags"] = append(doc["tags"].([]any), obj{"name": "egalim"})
	return doc
}
