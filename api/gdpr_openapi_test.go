package api

// gdprPaths documents the GDPR routes (gdpr.go) for the OpenAPI builder.
func gdprPaths() map[string]map[string]op {
	return map[string]map[string]op{
		"/api/v1/sites/{site}/households/{household}/export": {
			"get": {summary: "Export a household's personal data (GDPR right of access)",
				desc:  "Everything stored about the household: the household and every order placed on its behalf, in every week. Served as an attachment.",
				roles: "coordinator.", params: []string{"site", "household"}, ok: 200, okSchema: "HouseholdExport", okDesc: "the export",
				errors: []int{400, 403, 404}, tag: "households"},
		},
		"/api/v1/sites/{site}/households/{household}/erase": {
			"post": {summary: "Erase a household's personal data (GDPR right to erasure)",
				desc: "Anonymises the household in one transaction: a fresh random id, the name replaced, the contact cleared, its orders kept under the new id " +
					"so the relay point's totals stay right, its lines in every plan version's stored pick-up lists renamed likewise, and remembered answers naming the old id forgotten. " +
					"The basket subscription is kept. Then the published folders of the weeks whose documents named it are written again (same version).",
				roles: "coordinator.", params: []string{"site", "household"}, ok: 200, okSchema: "HouseholdErasure", okDesc: "erased: what remains",
				errors: []int{400, 403, 404}, tag: "households"},
		},
	}
}

// gdprSchemas are the bodies of the GDPR routes.
func gdprSchemas() obj {
	return obj{
		"HouseholdExport": object([]string{"household", "orders", "manne", "exported_at"}, obj{
			"household": ref("Household"), "orders": array(ref("Order")),
			"manne": object([]string{"balance_cents", "entries"}, obj{
				"balance_cents": integer("the household's MANNE balance, in cents"), "entries": array(ref("AccountEntry"))}),
			"exported_at": instantSchema}),
		"HouseholdErasure": object([]string{"erased", "household", "orders"}, obj{
			"erased": str("the erased id"), "household": ref("Household"),
			"orders": obj{"type": "integer", "minimum": 0, "description": "orders kept under the anonymous id"}}),
	}
}
