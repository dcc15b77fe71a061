package api

// withDeliveries adds the delivery ticks' routes (deliveries.go) to the
// OpenAPI document.
func withDeliveries(doc obj) obj {
	paths := doc["paths"].(obj)
	comps := doc["components"].(obj)
	schemas := comps["schemas"].(obj)
	params := comps["parameters"].(obj)

	roles := "coordinator; driver (the rounds of its vehicle, or of every vehicle without a scope)."
	tick := "A stop is named by its number on the round sheet (from 1), in the round named by its index in the plan (the round sheet's {for}), " +
		"in the published version given by ?version= (required: the version the caller read, the round sheet's X-Plan-Version). " +
		"409 when a later version was published since: its rounds and stops may be numbered differently, so the tick is not applied to them; read the round again. " +
		"404 for a draft, a version never published, or no such round or stop."
	ops := map[string]map[string]op{
		"/api/v1/weeks/{week}/rounds/{round}/deliveries": {
			"get": {summary: "The ticked stops of a round", desc: "The stops the round's driver ticked as delivered (collected, on a collection round), in the latest published version of the plan, or ?version= when that one was published. A tick belongs to its version: after a new publication the list of the new version starts empty.",
				roles: roles, params: []string{"week", "round", "version"}, ok: 200, okSchema: "DeliveryList", okDesc: "the ticks", errors: []int{400, 403, 404}, tag: "plans"},
		},
		"/api/v1/weeks/{week}/rounds/{round}/stops/{stop}/delivered": {
			"put": {summary: "Tick a stop as delivered", desc: tick + " Ticking twice keeps the first time.",
				roles: roles, params: []string{"week", "round", "stop", "versionRequired"}, ok: 200, okSchema: "Delivery", okDesc: "ticked", errors: []int{400, 403, 404, 409}, tag: "plans"},
			"delete": {summary: "Untick a stop", desc: tick + " Unticking a stop not ticked is no error.",
				roles: roles, params: []string{"week", "round", "stop", "versionRequired"}, ok: 204, okDesc: "unticked", errors: []int{400, 403, 404, 409}, tag: "plans"},
		},
	}
	addPaths(paths, ops)
	params["round"] = obj{"name": "round", "in": "path", "required": true, "description": "round index in the plan, from 0 (the round sheet's {for})",
		"schema": obj{"type": "integer", "minimum": 0, "maximum": 100000}}
	params["stop"] = obj{"name": "stop", "in": "path", "required": true, "description": "stop number on the round sheet, from 1",
		"schema": obj{"type": "integer", "minimum": 1, "maximum": 100000}}
	params["versionRequired"] = obj{"name": "version", "in": "query", "required": true, "description": "the published plan version the caller read",
		"schema": obj{"type": "integer", "minimum": 1}}
	item := obj{"stop": obj{"type": "integer", "minimum": 1, "description": "stop number on the round sheet"},
		"place": idSchema("the stop's site (delivery) or producer (collection), as the version planned it"), "delivered_at": instantSchema}
	head := obj{"week": weekIDSchema, "version": obj{"type": "integer", "minimum": 1, "description": "published plan version"},
		"round": obj{"type": "integer", "minimum": 0, "description": "round index"}, "vehicle": str("the round's vehicle")}
	schemas["Delivery"] = object([]string{"week", "version", "round", "vehicle", "stop", "place", "delivered_at"}, merge(head, item))
	schemas["DeliveryList"] = object([]string{"week", "version", "round", "vehicle", "kind", "stops", "items"}, merge(head, obj{
		"kind":  obj{"type": "string", "enum": []string{"collection", "delivery"}},
		"stops": obj{"type": "integer", "minimum": 0, "description": "number of stops of the round"},
		"items": array(object([]string{"stop", "place", "delivered_at"}, item))}))
	return doc
}
