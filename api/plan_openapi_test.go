package api

// withJobs adds to the OpenAPI document the routes of jobs.go, plan.go and
// documents.go: job runs, plans, rounds, publication and documents, with
// their schemas and parameters.
func withJobs(doc obj) obj {
	paths := doc["paths"].(obj)
	comps := doc["components"].(obj)
	schemas := comps["schemas"].(obj)
	params := comps["parameters"].(obj)

	noPlan := []int{400, 403, 404, 503}
	ops := map[string]map[string]op{
		"/api/v1/jobs": {
			"get": {summary: "List the runs of the weekly jobs", desc: "Every run of close-offers, plan and publish (scheduled, caught up at start-up, or asked through the API, the week page or the CLI): week, start, end, outcome (running, ok, failed, skipped), error (for skipped: why there was nothing to do, in the reader's language) and trigger (what started it).",
				roles: "coordinator.", params: []string{"limit", "offset", "jobQuery", "weekQuery", "outcomeQuery"}, ok: 200, okSchema: "JobRunList", okDesc: "a page of runs, the latest first", errors: []int{400, 403, 503}, tag: "jobs"},
		},
		"/api/v1/weeks/{week}/plan": {
			"post": {summary: "Plan the week now", desc: "The weekly job's own function: closes an open week to orders, builds the scenario from the database, plans it (allocation and rounds) and stores the plan as the week's next version, atomically (the week becomes planned). Planning again is safe: a new version replaces the current one; once the week is published, the next publication marks the documents that changed.",
				roles: "coordinator.", params: []string{"week", "seed", "preview"}, ok: 201, okSchema: "Plan", okDesc: "the new version", errors: []int{400, 403, 404, 422, 503}, tag: "plans"},
			"get": {summary: "The week's stored plan", desc: "The contract's plan with its version. The coordinator reads it whole; a farmer its allocations, unsold produce and collection stops; a relay point's manager or a cook its site's orders, basket contents, allocations, shortfalls and delivery stops.",
				roles: "any token (scoped as said).", params: []string{"week", "version"}, ok: 200, okSchema: "Plan", okDesc: "the plan, or the caller's part of it", errors: []int{400, 403, 404}, tag: "plans"},
		},
		"/api/v1/weeks/{week}/plans": {
			"get": {summary: "List the week's plan versions", desc: "Each version with its time, whether it is published, the seed it was planned with, what started it (schedule, catch-up, api, page, cli) and the URL of what it changed.",
				roles: "coordinator.", params: []string{"week", "limit", "offset"}, ok: 200, okSchema: "PlanVersionList", okDesc: "a page of versions, the latest first", errors: []int{400, 403, 404, 503}, tag: "plans"},
		},
		"/api/v1/weeks/{week}/plans/{version}/changes": {
			"get": {summary: "What a plan version changed", desc: "Against the version before it (base_version; 0 for a first version, with every list empty): the quantity allocated per product, basket types whose contents or value moved, fill rates by class (before and after), shortfalls that appeared or were resolved, the rounds' count and distance, and, when both versions kept their scenario (inputs_compared), the orders added, removed or changed (a basket order's count is its relay point's baskets of that type) and the offers changed. Lists hold only what changed, by id.",
				roles: "coordinator.", params: []string{"week", "versionPath"}, ok: 200, okSchema: "PlanChanges", okDesc: "the changes", errors: []int{400, 403, 404}, tag: "plans"},
		},
		"/api/v1/weeks/{week}/rounds": {
			"get": {summary: "The rounds of the week's plan", desc: "Collection and delivery rounds, each with its index (the round sheet's {for}) and the URLs of its round sheet, for the drivers.",
				roles: "coordinator.", params: []string{"week", "version"}, ok: 200, okSchema: "Rounds", okDesc: "the rounds", errors: noPlan, tag: "plans"},
		},
		"/api/v1/weeks/{week}/publish": {
			"post": {summary: "Publish the week's plan now", desc: "The weekly publishing job's own function: renders every document, writes them to PANIERS_OUT/<week>/, prints the round sheets to the log and marks the current version and the week published. 409 when the week was re-planned meanwhile.",
				roles: "coordinator.", params: []string{"week"}, ok: 200, okSchema: "Plan", okDesc: "the published version", errors: []int{400, 403, 404, 409, 503}, tag: "plans"},
		},
		"/api/v1/weeks/{week}/documents": {
			"get": {summary: "List the week's documents the caller may read", desc: "Round sheets (coordinator, for the drivers; txt, pdf, csv, geojson), pick-up lists (the relay point's manager; pdf, csv), preparation lists (the farmer; txt, pdf, csv), delivery notes (the cook; txt, pdf, csv). changed is true for a document that differs from the last published version before this plan.",
				roles: "any token (scoped as said).", params: []string{"week", "version", "sep"}, ok: 200, okSchema: "DocumentList", okDesc: "the documents", errors: noPlan, tag: "documents"},
		},
		"/api/v1/weeks/{week}/documents/{kind}/{file}": {
			"get": {summary: "One document", desc: "{file} is {for}.{format}: the round's index for a round sheet, the site id for a pick-up list or a delivery note, the producer id for a preparation list. French by default, ?lang=en for English; ?sep=; for spreadsheets set to French. Served with its content type and a Content-Disposition file name.",
				roles: "coordinator (everything, the packing list too); farmer (its preparation list); relay (its pick-up list); cook (its delivery note); driver (the round sheets of its vehicle, or of every vehicle without a scope, published versions only: the latest published one by default).", params: []string{"week", "kind", "file", "version", "sep"}, ok: 200, okDesc: "the document", errors: noPlan, tag: "documents"},
		},
	}
	addPaths(paths, ops)
	post := paths["/api/v1/weeks/{week}/plan"].(obj)["post"].(obj)
	post["responses"].(obj)["200"] = jsonResponse("with preview=true: the plan the week would get now, stored nowhere (no version, the week left as it is, no job run)", "PlanPreview")
	binary := obj{"type": "string", "format": "binary"}
	get := paths["/api/v1/weeks/{week}/documents/{kind}/{file}"].(obj)["get"].(obj)
	get["responses"].(obj)["200"] = obj{
		"description": "the document",
		"headers": obj{
			"Content-Disposition": obj{"description": "attachment with the file name", "schema": obj{"type": "string"}},
			"X-Plan-Version":      obj{"description": "the plan version the document was rendered from", "schema": obj{"type": "integer"}},
		},
		"content": obj{
			"text/plain":           obj{"schema": obj{"type": "string"}},
			"text/csv":             obj{"schema": obj{"type": "string"}},
			"application/pdf":      obj{"schema": binary},
			"application/geo+json": obj{"schema": binary},
		},
	}

	queryParam := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	params["seed"] = queryParam("seed", "seed of the rounding tie-breaks (same data and seed, same plan)", obj{"type": "integer", "minimum": 1, "default": 1})
	params["preview"] = queryParam("preview", "true: plan the week as it stands and answer the plan (200) without storing a version, closing the week or recording a job run", obj{"type": "boolean", "default": false})
	params["version"] = queryParam("version", "a plan version (default: the current one)", obj{"type": "integer", "minimum": 1})
	params["sep"] = queryParam("sep", "CSV separator: , (default), ; (spreadsheets set to French) or tab", obj{"type": "string", "enum": []string{",", ";", "tab"}})
	params["jobQuery"] = queryParam("job", "only this job's runs", obj{"type": "string", "enum": jobNames})
	params["outcomeQuery"] = queryParam("outcome", "only the runs that went this way", obj{"type": "string", "enum": jobOutcomes})
	params["versionPath"] = obj{"name": "version", "in": "path", "required": true, "description": "a plan version", "schema": obj{"type": "integer", "minimum": 1}}
	params["weekQuery"] = queryParam("week", "only this week's runs", weekIDSchema)
	params["file"] = obj{"name": "file", "in": "path", "required": true, "description": "{for}.{format}, such as relais-loos.pdf or 0.geojson",
		"schema": obj{"type": "string", "pattern": `^[a-z0-9][a-z0-9_-]{0,63}\.(txt|pdf|csv|geojson)$`}}
	// {kind} in a document path is the document kind; the "kind" parameter of
	// the components is the site kind filter, so the path one is inline.
	fixed := []any{}
	for _, p := range get["parameters"].([]any) {
		if p.(obj)["$ref"] == "#/components/parameters/kind" {
			p = obj{"name": "kind", "in": "path", "required": true, "description": "document kind",
				"schema": obj{"type": "string", "enum": documentKinds}}
		}
		fixed = append(fixed, p)
	}
	get["parameters"] = fixed

	contract := func(props obj, required ...string) obj {
		o := obj{"type": "object", "properties": props}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	meta := obj{
		"version": obj{"type": "integer", "minimum": 1, "description": "plan version"}, "created_at": instantSchema,
		"published": boolean("this version is published"), "published_at": instantSchema,
	}
	stop := contract(obj{"producer": str("producer visited (collection)"), "site": str("site visited (delivery)"),
		"arrive": clockSchema, "start": clockSchema, "leave": clockSchema, "collect": array(obj{"type": "object"}), "deliver": array(obj{"type": "object"})},
		"arrive", "start", "leave")
	round := contract(obj{"vehicle": str("vehicle"), "kind": obj{"type": "string", "enum": []string{"collection", "delivery"}}, "date": dateSchema,
		"depart": clockSchema, "return": clockSchema, "distance_km": num("km"), "stops": array(stop)}, "vehicle", "kind", "date", "depart", "return", "distance_km", "stops")
	list := func(desc string) obj { return withDesc(array(obj{"type": "object"}), desc) }
	// The plan is the contract's, which allows extra fields: an open object.
	planProps := obj{
		"week": weekIDSchema, "baskets": array(contract(obj{"basket": str("basket type"), "contents": array(obj{"type": "object"}),
			"value_cents": integer("one basket's contents at the prices of the offers they come from, in euro cents"),
			"price_cents": integer("what one basket costs the household (the type's price), in euro cents")}, "basket", "contents", "value_cents")), "allocations": list("allocations"),
		"shortfalls": list("shortfalls, each with its reason"), "unsold": list("unsold produce"), "rounds": array(round),
		"unrouted": list("sites and producers no round serves"), "summary": obj{"type": "object", "description": "fill rates, distance, vehicles"},
		"scope":  object([]string{"role", "id"}, obj{"role": str("role of the scoped view"), "id": str("producer, relay point or canteen")}),
		"orders": list("the site's orders, as planned"),
		"stops": array(merge(stop, obj{"properties": merge(stop["properties"].(obj), obj{"round": integer("index of the round"), "vehicle": str("vehicle"),
			"kind": obj{"type": "string", "enum": []string{"collection", "delivery"}}, "date": dateSchema})})),
	}
	planned := []string{"baskets", "allocations", "shortfalls", "unsold", "unrouted"}
	schemas["Plan"] = contract(merge(meta, planProps), append([]string{"week", "version", "created_at", "published"}, planned...)...)
	schemas["PlanPreview"] = contract(merge(planProps, obj{"preview": boolean("always true: this plan is stored nowhere")}), append([]string{"week", "preview"}, planned...)...)
	triggerSchema := obj{"type": "string", "enum": []string{"schedule", "catch-up", "api", "page", "cli"}, "description": "what started it: the schedule, a catch-up at start-up, the API, the coordinator's week page, a command"}
	schemas["PlanVersion"] = object([]string{"version", "created_at", "published", "changes"}, merge(meta, obj{
		"seed": obj{"type": "integer", "minimum": 1, "description": "seed it was planned with"}, "trigger": triggerSchema,
		"changes": str("URL of what this version changed against the one before")}))
	qty := object([]string{"product", "before", "after"}, obj{"product": str("product"), "before": num("before, in the product's unit"), "after": num("after")})
	rate := obj{"type": "number", "minimum": 0, "maximum": 1}
	schemas["PlanChanges"] = object([]string{"version", "base_version", "allocated", "baskets", "fill_rates", "shortfalls_appeared", "shortfalls_resolved", "rounds",
		"inputs_compared", "orders_added", "orders_removed", "orders_changed", "offers_changed"}, obj{
		"version": integer("the version"), "base_version": integer("the version compared with (0: none, a first version)"),
		"allocated": withDesc(array(qty), "per product, the quantity allocated to orders in all"),
		"baskets": array(object([]string{"basket", "contents", "value_before_cents", "value_after_cents"}, obj{"basket": str("basket type"),
			"contents": withDesc(array(qty), "per product, the quantity in one basket"), "value_before_cents": integer("one basket's value before, euro cents"), "value_after_cents": integer("after")})),
		"fill_rates":          array(object([]string{"class"}, obj{"class": str("class of orders"), "before": withDesc(rate, "absent: no order of the class"), "after": withDesc(rate, "absent: no order of the class")})),
		"shortfalls_appeared": list("the contract's shortfalls of this version the base did not have"),
		"shortfalls_resolved": list("the base's shortfalls this version has not"),
		"rounds": object([]string{"before", "after", "km_before", "km_after"}, obj{"before": integer("rounds before"), "after": integer("rounds after"),
			"km_before": num("total distance before, km"), "km_after": num("after")}),
		"inputs_compared": boolean("both versions kept the scenario they were made from: orders and offers are compared"),
		"orders_added":    list("the contract's orders of this version only"), "orders_removed": list("the base's orders only"),
		"orders_changed": array(object([]string{"order", "site", "class", "before", "after"}, obj{"order": str("order id"), "site": str("site"), "class": str("class"),
			"product": str("product"), "basket": str("basket type"), "before": num("quantity, or a basket order's count, before"), "after": num("after")})),
		"offers_changed": array(object([]string{"producer", "product", "before", "after"}, obj{"producer": str("farm"), "product": str("product"),
			"before": num("quantity offered before (0: none)"), "after": num("after")})),
	})
	schemas["PlanVersionList"] = object([]string{"items", "limit", "offset"}, obj{"items": array(ref("PlanVersion")), "limit": integer("page size"), "offset": integer("items skipped"), "next": str("URL of the next page")})
	schemas["Rounds"] = object([]string{"week", "version", "created_at", "published", "rounds"}, merge(meta, obj{"week": weekIDSchema,
		"rounds": array(merge(round, obj{"properties": merge(round["properties"].(obj), obj{"index": integer("round index, the round sheet's {for}"),
			"documents": obj{"type": "object", "description": "URL of the round sheet per format", "additionalProperties": obj{"type": "string"}}})}))}))
	schemas["Document"] = object([]string{"kind", "for", "format", "url", "file_name", "changed"}, obj{
		"kind": obj{"type": "string", "enum": documentKinds}, "for": str("round index, site id, producer id, or hub for the packing list"),
		"format": obj{"type": "string", "enum": []string{"txt", "pdf", "csv", "geojson"}}, "url": str("where to get it"),
		"file_name": str("file name"), "changed": boolean("differs from the last published version before this plan")})
	schemas["DocumentList"] = object([]string{"week", "version", "created_at", "published", "items"}, merge(meta, obj{"week": weekIDSchema,
		"base_version": integer("the published version changed compares with"), "items": array(ref("Document"))}))
	schemas["JobRun"] = object([]string{"id", "job", "started_at", "outcome"}, obj{"id": str("run number"),
		"job": obj{"type": "string", "enum": jobNames}, "week": weekIDSchema, "started_at": instantSchema, "ended_at": instantSchema,
		"outcome": obj{"type": "string", "enum": jobOutcomes}, "error": str("why it failed, or why it had nothing to do"), "trigger": triggerSchema})
	schemas["JobRunList"] = object([]string{"items", "limit", "offset"}, obj{"items": array(ref("JobRun")), "limit": integer("page size"), "offset": integer("items skipped"), "next": str("URL of the next page")})

	doc["tags"] = append(doc["tags"].([]any), obj{"name": "plans"}, obj{"name": "documents"}, obj{"name": "jobs"})
	return doc
}
