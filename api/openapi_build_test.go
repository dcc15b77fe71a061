package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"paniers/models"
	"paniers/planner/egalim"
)

// The OpenAPI document (openapi.json, embedded and served) is written by
// this builder, so that the shared parts (error answers, parameters, list
// envelopes) are written once. TestOpenAPIDocument fails when the file and
// the builder differ; `go test ./api -run TestOpenAPIDocument -update`
// rewrites the file.

var update = flag.Bool("update", false, "rewrite openapi.json from the builder")

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
func str(desc string) obj { return obj{"type": "string", "description": desc} }
func num(desc string) obj { return obj{"type": "number", "description": desc} }
func integer(desc string) obj {
	return obj{"type": "integer", "description": desc}
}
func boolean(desc string) obj { return obj{"type": "boolean", "description": desc} }
func array(items obj) obj     { return obj{"type": "array", "items": items} }

// object is a closed object schema: the API refuses unknown fields, and
// answers only the fields it documents.
func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// withDesc adds a description to a schema.
func withDesc(s obj, desc string) obj {
	out := obj{}
	for k, v := range s {
		out[k] = v
	}
	out["description"] = desc
	return out
}

const idPatternDoc = "^[a-z0-9][a-z0-9_-]{0,63}$"

func idSchema(desc string) obj {
	return obj{"type": "string", "pattern": idPatternDoc, "description": desc}
}

var (
	clockSchema  = obj{"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "time of day HH:MM, local time"}
	windowSchema = obj{"type": "array", "items": clockSchema, "minItems": 2, "maxItems": 2,
		"description": "[start, end] times of day, local time"}
	dateSchema    = obj{"type": "string", "format": "date", "description": "YYYY-MM-DD"}
	instantSchema = obj{"type": "string", "format": "date-time", "description": "RFC 3339, in the configured time zone"}
	// localInstant is an instant sent by a client: RFC 3339, or a local
	// date and time without offset, taken in the configured time zone.
	localInstant = obj{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$`,
		"description": "RFC 3339 (2026-11-25T20:00:00+01:00), or a local date and time without offset (2026-11-25T20:00) in the configured time zone; years 2000 to 2999"}
	weekIDSchema = obj{"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$", "description": "ISO week, such as 2026-W49"}
	latSchema    = obj{"type": "number", "minimum": -90, "maximum": 90}
	lonSchema    = obj{"type": "number", "minimum": -180, "maximum": 180}
	quantity     = obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": models.MaxQuantity,
		"description": "in the product's unit, a multiple of its step"}
	priceCents = obj{"type": "integer", "minimum": 0, "maximum": models.MaxPriceCents, "description": "price of one unit excluding VAT (hors taxes), in euro cents"}
)

func schemas() obj {
	producer := obj{
		"id": idSchema("producer id"), "name": str("name"), "kind": obj{"type": "string", "enum": []string{"farm", "garden"}},
		"place": str("town"), "address": str("address"), "lat": latSchema, "lon": lonSchema,
		"collect": boolean("a van collects at the producer (else the producer brings the produce to the hub)"),
		"window":  windowSchema, "service_min": obj{"type": "number", "minimum": 0, "maximum": models.MaxServiceMin},
		"lender": idSchema("garden only: the household lending it, credited in MANNE when a week is published (shown to the coordinator only)"),
	}
	site := obj{
		"id": idSchema("site id"), "name": str("name"), "kind": obj{"type": "string", "enum": []string{"relay", "canteen"}},
		"place": str("town"), "address": str("address"), "lat": latSchema, "lon": lonSchema,
		"window": windowSchema, "service_min": obj{"type": "number", "minimum": 0, "maximum": models.MaxServiceMin},
		"siret": obj{"type": "string", "pattern": "^[0-9]{14}$", "description": "a canteen's SIRET, for its EGalim purchase file: 14 digits, SIREN and SIRET each passing the Luhn check (La Poste's, SIREN 356000000: digit sum a multiple of 5); absent for relay points"},
	}
	product := obj{
		"id": idSchema("product id"), "name": str("name"), "unit": str("unit of quantities: kg, piece, botte..."),
		"kg_per_unit": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true}, "category": idSchema("category (legume, fruit, oeuf...)"),
		"step":    obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "description": "smallest quantity the product is split into"},
		"organic": boolean("organic farming"),
		"egalim_labels": withDesc(merge(array(obj{"type": "string", "enum": egalim.Labels}), obj{"maxItems": 20}),
			"EGalim quality and sustainability labels (ma-cantine's categories_egalim), in ma-cantine's order without duplicates; BIO follows from organic (added when organic, refused otherwise)"),
		"family": obj{"type": "string", "enum": egalim.Families,
			"description": "ma-cantine's famille_produits; by default the category's (legume, fruit: FRUITS_ET_LEGUMES; oeuf: PRODUITS_LAITIERS; unknown: AUTRES)"},
		"basket_min": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "description": "least quantity in a basket that holds the product, a multiple of step; left out: the smallest multiple of step weighing 0.2 kg"},
		"basket_max": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "description": "most in one basket, a multiple of step, at least basket_min; left out: no bound but the category's kg"},
	}
	vehicle := obj{"id": idSchema("vehicle id"), "name": str("name"),
		"capacity_kg": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": models.MaxCapacityKg}, "shift": windowSchema}
	content := object([]string{"category", "kg"}, obj{"category": idSchema("product category"),
		"kg": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 100}, "min_products": obj{"type": "integer", "minimum": 0, "maximum": 50},
		"max_products": obj{"type": "integer", "minimum": 0, "maximum": 50, "description": "most different products of the category in one basket, at least min_products; 0 or left out: no bound"}})
	week := obj{
		"id": weekIDSchema, "status": obj{"type": "string", "enum": models.WeekStatuses},
		"offer_cutoff": instantSchema, "order_cutoff": instantSchema,
		"collection_date": dateSchema, "delivery_date": dateSchema,
	}
	nullableID := obj{"type": "string", "nullable": true, "pattern": idPatternDoc}
	page := func(item string) obj {
		return object([]string{"items", "limit", "offset"}, obj{
			"items":  array(ref(item)),
			"limit":  integer("page size"),
			"offset": integer("items skipped"),
			"next":   str("URL of the next page, absent on the last page"),
		})
	}
	contract := func(props obj, required ...string) obj {
		// The planning contract allows extra fields in both directions.
		o := obj{"type": "object", "properties": props}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	order := obj{
		"id": str("order id; assigned by the server when left out"), "week": weekIDSchema, "site": idSchema("relay point"),
		"class":   obj{"type": "string", "enum": []string{"basket", "extra"}},
		"product": idSchema("product of an extra order"), "quantity": quantity,
		"basket": idSchema("basket type of a basket order"), "count": obj{"type": "integer", "minimum": 1, "maximum": models.MaxCount},
		"household": idSchema("household the order is for (optional)"), "created_at": instantSchema,
	}
	return obj{
		"Problem": obj{
			"type":        "object",
			"description": "RFC 9457 problem details; title and reasons in French by default, English with Accept-Language: en or ?lang=en. A refused write after a cutoff adds week, week_status and cutoff.",
			"required":    []string{"type", "title", "status"},
			"properties": obj{
				"type":        str("urn:paniers:problem:<kind>"),
				"title":       str("short summary of the kind"),
				"status":      integer("HTTP status"),
				"detail":      str("what happened"),
				"instance":    str("path of the request"),
				"errors":      array(object([]string{"field", "reason"}, obj{"field": str("JSON path of a body field, or a path or query parameter, or a header"), "reason": str("why it was refused")})),
				"cutoff":      instantSchema,
				"week":        weekIDSchema,
				"week_status": str("status of the week"),
			},
		},
		"Availability": object([]string{"week", "items"}, obj{"week": weekIDSchema, "items": array(object([]string{"product", "name", "unit", "category", "organic", "quantity"}, obj{
			"product": idSchema("product"), "name": str("name"), "unit": str("unit"), "category": str("category"), "organic": boolean("organic farming"),
			"quantity": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "description": "offered this week by all producers together, in the product's unit"}}))}),
		"Health": object([]string{"status"}, obj{"status": str("ok")}),
		"Me":     object([]string{"role", "token_id"}, obj{"role": obj{"type": "string", "enum": []string{"coordinator", "farmer", "relay", "cook", "driver"}}, "scope": str("producer, relay point, canteen or vehicle id"), "scope_kind": obj{"type": "string", "enum": []string{"producer", "relay", "canteen", "vehicle"}}, "name": str("token name"), "token_id": str("token number")}),
		"Token": object([]string{"id", "role", "created_at"}, obj{"id": str("token number"), "role": str("role"), "scope": str("scope"), "name": str("name"), "created_at": instantSchema, "token": str("the clear token, only in the answer to its creation"),
			"sign_in_url": str("a one-time link opening a session on the pages for this token, valid seven days; only in the answer to its creation"), "sign_in_expires_at": instantSchema}),
		"SignInLink":       object([]string{"token", "sign_in_url", "expires_at"}, obj{"token": str("token number"), "sign_in_url": str("a one-time link opening a session on the pages, valid seven days"), "expires_at": instantSchema}),
		"TokenInput":       object([]string{"role"}, obj{"role": obj{"type": "string", "enum": []string{"coordinator", "farmer", "relay", "cook", "driver"}}, "scope": str("producer id (farmer), relay point id (relay), canteen id (cook), vehicle id or none (driver: that vehicle's published round sheets, or every vehicle's); none for a coordinator"), "name": obj{"type": "string", "maxLength": 200}}),
		"TokenList":        page("Token"),
		"Producer":         object([]string{"id", "name", "kind", "lat", "lon", "collect", "window", "service_min"}, producer),
		"ProducerInput":    object([]string{"id", "name", "lat", "lon", "window"}, producer),
		"ProducerUpdate":   object([]string{"name", "lat", "lon", "window"}, producer),
		"ProducerList":     page("Producer"),
		"Product":          object([]string{"id", "name", "unit", "kg_per_unit", "category", "step", "organic", "egalim_labels", "family"}, product),
		"ProductInput":     object([]string{"id", "name", "unit", "kg_per_unit", "category", "step"}, product),
		"ProductUpdate":    object([]string{"name", "unit", "kg_per_unit", "category", "step"}, product),
		"ProductList":      page("Product"),
		"Site":             object([]string{"id", "name", "kind", "lat", "lon", "window", "service_min"}, site),
		"SiteInput":        object([]string{"id", "name", "kind", "lat", "lon", "window"}, site),
		"SiteUpdate":       object([]string{"name", "kind", "lat", "lon", "window"}, site),
		"SiteList":         page("Site"),
		"Vehicle":          object([]string{"id", "capacity_kg", "shift"}, vehicle),
		"VehicleInput":     object([]string{"id", "capacity_kg", "shift"}, vehicle),
		"VehicleUpdate":    object([]string{"capacity_kg", "shift"}, vehicle),
		"VehicleList":      page("Vehicle"),
		"BasketType":       object([]string{"id", "name", "price_cents", "contents"}, obj{"id": idSchema("basket type id"), "name": str("name"), "price_cents": priceCents, "contents": array(content)}),
		"BasketTypeInput":  object([]string{"id", "name", "contents"}, obj{"id": idSchema("basket type id"), "name": str("name"), "price_cents": priceCents, "contents": obj{"type": "array", "items": content, "minItems": 1, "maxItems": 20}}),
		"BasketTypeUpdate": object([]string{"name", "contents"}, obj{"id": idSchema("basket type id"), "name": str("name"), "price_cents": priceCents, "contents": obj{"type": "array", "items": content, "minItems": 1, "maxItems": 20}}),
		"BasketTypeList":   page("BasketType"),
		"Household": object([]string{"id", "site", "name", "contact", "basket", "basket_count"}, obj{
			"id": idSchema("household id"), "site": idSchema("relay point"), "name": str("name (personal data)"), "contact": str("contact (personal data)"),
			"basket": withDesc(nullableID, "basket type of the weekly subscription, null when none"), "basket_count": obj{"type": "integer", "minimum": 0},
			"paused": boolean("the subscription is suspended: no basket until resumed")}),
		"HouseholdInput": object([]string{"name"}, obj{
			"id": idSchema("household id: the coordinator may choose it (409 when taken); a relay manager may not send it (422): the service assigns a fresh h-… id"), "name": obj{"type": "string", "maxLength": 200}, "contact": obj{"type": "string", "maxLength": 300},
			"basket": idSchema("basket type of the weekly subscription"), "basket_count": obj{"type": "integer", "minimum": 0, "maximum": models.MaxBasketsPerHousehold},
			"paused": boolean("suspends the subscription without forgetting it (default false)")}),
		"HouseholdList": page("Household"),
		"PickupList": object([]string{"week", "site", "items"}, obj{"week": weekIDSchema, "site": idSchema("relay point"),
			"items": array(object([]string{"household", "collected_at"}, obj{"household": idSchema("household"), "collected_at": instantSchema}))}),

		"Week": object([]string{"id", "status", "offer_cutoff", "order_cutoff", "collection_date", "delivery_date", "timezone", "accepts_offers", "accepts_orders"},
			merge(week, obj{"timezone": str("IANA time zone of the cutoffs"), "accepts_offers": boolean("offers are accepted now"), "accepts_orders": boolean("orders are accepted now")})),
		"WeekInput": object([]string{"id"}, obj{"id": weekIDSchema, "status": week["status"],
			"offer_cutoff": withDesc(localInstant, "default: Wednesday before the collection, 20:00"), "order_cutoff": withDesc(localInstant, "default: Thursday before the collection, 12:00"),
			"collection_date": withDesc(dateSchema, "default: Monday of the week"), "delivery_date": withDesc(dateSchema, "default: Tuesday of the week")}),
		"WeekPatch": withDesc(object(nil, obj{"status": week["status"],
			"offer_cutoff": localInstant, "order_cutoff": localInstant, "collection_date": dateSchema, "delivery_date": dateSchema}),
			"fields left out stay; at least one field; the dates and cutoffs change only while the week is open or closed after the change (409 week-closed otherwise)"),
		"WeekList": page("Week"),
		"Offer": object([]string{"week", "producer", "product", "quantity", "price_cents", "updated_at"}, obj{
			"week": weekIDSchema, "producer": idSchema("producer"), "product": idSchema("product"), "quantity": quantity, "price_cents": priceCents, "updated_at": instantSchema}),
		"OfferInput": object([]string{"product", "quantity", "price_cents"}, obj{
			"producer": idSchema("producer; a farmer may leave it out (its own)"), "product": idSchema("product"), "quantity": quantity, "price_cents": priceCents}),
		"OfferList":  page("Offer"),
		"Order":      object([]string{"id", "week", "site", "class", "created_at"}, order),
		"OrderInput": object([]string{"class"}, withoutKeys(order, "week", "created_at")),
		"OrderList":  page("Order"),
		"MealOrder": object([]string{"id", "week", "site", "date", "covers", "dishes", "created_at"}, obj{
			"id": str("meal order id"), "week": weekIDSchema, "site": idSchema("canteen"), "date": dateSchema, "note": str("note"),
			"covers":     array(object([]string{"age_group", "covers"}, obj{"age_group": obj{"type": "string", "enum": models.AgeGroups}, "covers": obj{"type": "integer", "minimum": 1}})),
			"dishes":     array(object([]string{"product"}, obj{"product": idSchema("product"), "portion_g": num("grams per cover, replacing the portion table")})),
			"created_at": instantSchema}),
		"MealOrderInput": object([]string{"date", "covers", "dishes"}, obj{
			"id": idSchema("meal order id; assigned when left out"), "site": idSchema("canteen; a cook may leave it out (its own)"),
			"date": withDesc(dateSchema, "a date from the week's delivery date to six days after"), "note": obj{"type": "string", "maxLength": 500},
			"covers": obj{"type": "array", "minItems": 1, "maxItems": 10, "items": object([]string{"age_group", "covers"}, obj{
				"age_group": obj{"type": "string", "enum": models.AgeGroups}, "covers": obj{"type": "integer", "minimum": 1, "maximum": models.MaxCount}})},
			"dishes": obj{"type": "array", "minItems": 1, "maxItems": 50, "items": object([]string{"product"}, obj{
				"product": idSchema("product"), "portion_g": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 2000}})}}),
		"MealOrderList": page("MealOrder"),
		"Portion":       object([]string{"age_group", "product", "grams"}, obj{"age_group": obj{"type": "string", "enum": models.AgeGroups}, "product": idSchema("product"), "grams": num("grams of raw product per cover")}),
		"PortionInput":  object([]string{"grams"}, obj{"grams": obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 2000}}),
		"PortionList":   object([]string{"items", "age_groups"}, obj{"items": array(ref("Portion")), "age_groups": array(obj{"type": "string"})}),
		"Scenario": contract(obj{
			"week": weekIDSchema, "delivery_date": dateSchema, "collection_date": dateSchema, "timezone": str("IANA time zone"),
			"hub":    contract(obj{"id": str(""), "name": str(""), "lat": num(""), "lon": num("")}, "id", "lat", "lon"),
			"travel": contract(obj{"detour_factor": num(""), "speed_kmh": num("")}, "detour_factor", "speed_kmh"),
			"products": array(contract(obj{"id": str(""), "name": str(""), "unit": str(""), "kg_per_unit": num(""), "category": str(""), "step": num(""), "organic": boolean(""), "basket_min": num(""), "basket_max": num("")},
				"id", "unit", "kg_per_unit", "category", "step")),
			"producers": array(contract(obj{"id": str(""), "name": str(""), "lat": num(""), "lon": num(""), "collect": boolean(""), "window": windowSchema, "service_min": num("")},
				"id", "lat", "lon", "collect", "window", "service_min")),
			"offers": array(contract(obj{"producer": str(""), "product": str(""), "quantity": num(""), "price_cents": integer("")}, "producer", "product", "quantity")),
			"sites": array(contract(obj{"id": str(""), "name": str(""), "kind": obj{"type": "string", "enum": []string{"relay", "canteen"}}, "lat": num(""), "lon": num(""), "window": windowSchema, "service_min": num("")},
				"id", "kind", "lat", "lon", "window", "service_min")),
			"basket_types": array(contract(obj{"id": str(""), "name": str(""), "price_cents": integer(""), "contents": array(contract(obj{"category": str(""), "kg": num(""), "min_products": integer(""), "max_products": integer("")}, "category", "kg"))}, "id", "contents")),
			"orders": array(contract(obj{"id": str(""), "site": str(""), "class": obj{"type": "string", "enum": []string{"canteen", "basket", "extra"}},
				"product": str(""), "quantity": num(""), "basket": str(""), "count": integer("")}, "id", "site", "class")),
			"vehicles": array(contract(obj{"id": str(""), "capacity_kg": num(""), "shift": windowSchema}, "id", "capacity_kg", "shift")),
		}, "week", "delivery_date", "collection_date", "timezone", "hub", "travel", "products", "producers", "offers", "sites", "basket_types", "orders", "vehicles"),
	}
}

func merge(a, b obj) obj {
	out := obj{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func withoutKeys(a obj, keys ...string) obj {
	out := merge(a, nil)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// problemResponse documents one error status.
func problemResponse(desc string) obj {
	return obj{"description": desc, "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
}

func jsonResponse(desc, schema string) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": ref(schema)}}}
}

// op describes one operation of the document.
type op struct {
	summary, desc string
	roles         string // who may call it, for the description
	params        []string
	body          string // request schema, "" for none
	ok            int
	okSchema      string // "" for no content
	okDesc        string
	also          map[int]string // other success statuses and their description (same schema)
	errors        []int
	idempotent    bool
	public        bool
	tag           string
}

var errorDesc = map[int]string{
	400: "malformed request: bad JSON, unknown field, wrong type, bad path or query parameter",
	401: "missing or unknown bearer token",
	403: "the token's role or scope does not allow this",
	404: "no such resource",
	405: "method not allowed",
	409: "conflict: the id exists, or the week's cutoff has passed or the week is not open",
	413: "body larger than the limit (1 MiB by default)",
	415: "body not sent as application/json",
	422: "invalid values (each field named), or an Idempotency-Key reused for another request",
	429: "too many failed authentications from this address; see Retry-After",
	500: "internal error",
	503: "database unavailable",
}

func (o op) build(method string) obj {
	out := obj{"summary": o.summary, "operationId": "", "tags": []string{o.tag}}
	desc := o.desc
	if o.roles != "" {
		desc = strings.TrimSpace(desc + "\n\nAccess: " + o.roles)
	}
	if desc != "" {
		out["description"] = desc
	}
	params := []any{obj{"$ref": "#/components/parameters/lang"}}
	for _, p := range o.params {
		params = append(params, obj{"$ref": "#/components/parameters/" + p})
	}
	if o.idempotent {
		params = append(params, obj{"$ref": "#/components/parameters/idempotencyKey"})
	}
	out["parameters"] = params
	if o.body != "" {
		out["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(o.body)}}}
	}
	responses := obj{}
	okResp := obj{"description": o.okDesc}
	if o.okSchema != "" {
		okResp = jsonResponse(o.okDesc, o.okSchema)
	}
	if o.ok == 201 {
		okResp["headers"] = obj{"Location": obj{"description": "URL of the new resource", "schema": obj{"type": "string"}}}
	}
	responses[itoa(o.ok)] = okResp
	for status, d := range o.also {
		r := jsonResponse(d, o.okSchema)
		responses[itoa(status)] = r
	}
	errs := o.errors
	if !o.public {
		errs = append([]int{401, 429}, errs...)
		// A driver's token opens its round sheets only: every other
		// authenticated route may answer 403.
		if !slices.Contains(errs, 403) {
			errs = append(errs, 403)
		}
	}
	// The body limit is checked before any handler, on every request that
	// sends a body, whether the operation reads one or not.
	if method != "get" && method != "head" && !slices.Contains(errs, 413) {
		errs = append(errs, 413)
	}
	errs = append(errs, 500)
	for _, e := range errs {
		responses[itoa(e)] = obj{"$ref": "#/components/responses/" + itoa(e)}
	}
	out["responses"] = responses
	if o.public {
		out["security"] = []any{}
	}
	return out
}

func document() obj {
	list := []string{"limit", "offset"}
	read := []int{400, 403}
	write := []int{400, 403, 409, 413, 415, 422}
	paths := map[string]map[string]op{
		"/healthz": {
			"get": {summary: "Health check", desc: "200 when the database answers, 503 otherwise.", ok: 200, okSchema: "Health", okDesc: "the service and its database answer", errors: []int{503}, public: true, tag: "service"},
		},
		"/api/v1/openapi.json": {
			"get": {summary: "This OpenAPI document", ok: 200, okDesc: "the document", public: true, tag: "service"},
		},
		"/api/v1/me": {
			"get": {summary: "The token's role and scope", roles: "any token.", ok: 200, okSchema: "Me", okDesc: "who the token acts as", tag: "access"},
		},
		"/api/v1/tokens": {
			"get":  {summary: "List tokens (never their clear value)", roles: "coordinator.", params: list, ok: 200, okSchema: "TokenList", okDesc: "a page of tokens", errors: read, tag: "access"},
			"post": {summary: "Create a token", desc: "The answer's token field holds the clear token, shown once; only its SHA-256 is stored.", roles: "coordinator.", body: "TokenInput", ok: 201, okSchema: "Token", okDesc: "the new token, with its clear value", errors: write, tag: "access"},
		},
		"/api/v1/tokens/{token}": {
			"delete": {summary: "Revoke a token", desc: "Its page sessions end and its unused sign-in links are voided with it.", roles: "coordinator.", params: []string{"token"}, ok: 204, okDesc: "revoked", errors: []int{400, 403, 404}, tag: "access"},
		},
		"/api/v1/tokens/{token}/sign-in-links": {
			"post": {summary: "Make a fresh sign-in link for a token", desc: "A one-time link, valid seven days, that opens a session on the pages as this token and leads to the person's page. Earlier links stay valid until used or expired.", roles: "coordinator.", params: []string{"token"}, ok: 201, okSchema: "SignInLink", okDesc: "the new link", errors: []int{400, 403, 404}, tag: "access"},
		},
		"/api/v1/producers": {
			"get":  {summary: "List producers", roles: "any token.", params: list, ok: 200, okSchema: "ProducerList", okDesc: "a page of producers, by id", errors: read, tag: "reference"},
			"post": {summary: "Create a producer", roles: "coordinator.", body: "ProducerInput", ok: 201, okSchema: "Producer", okDesc: "created", errors: write, tag: "reference"},
		},
		"/api/v1/producers/{producer}": {
			"get": {summary: "Get a producer", roles: "any token.", params: []string{"producer"}, ok: 200, okSchema: "Producer", okDesc: "the producer", errors: []int{400, 403, 404}, tag: "reference"},
			"put": {summary: "Replace a producer's fields", desc: "The id stays (a body id, if given, must be the path's); offers keep pointing at the producer.", roles: "coordinator.", params: []string{"producer"}, body: "ProducerUpdate", ok: 200, okSchema: "Producer", okDesc: "the updated producer", errors: []int{400, 403, 404, 415, 422}, tag: "reference"},
		},
		"/api/v1/products": {
			"get":  {summary: "List products", roles: "any token.", params: list, ok: 200, okSchema: "ProductList", okDesc: "a page of products, by id", errors: read, tag: "reference"},
			"post": {summary: "Create a product", roles: "coordinator.", body: "ProductInput", ok: 201, okSchema: "Product", okDesc: "created", errors: write, tag: "reference"},
		},
		"/api/v1/products/{product}": {
			"get": {summary: "Get a product", roles: "any token.", params: []string{"product"}, ok: 200, okSchema: "Product", okDesc: "the product", errors: []int{400, 403, 404}, tag: "reference"},
			"put": {summary: "Replace a product's fields", desc: "All fields but the id (a body id, if given, must be the path's), portions included: basket_min and basket_max are multiples of step with basket_min <= basket_max; basket_min left out takes the default. Stored plans keep the scenario they were made from: the change counts from the next plan.", roles: "coordinator.", params: []string{"product"}, body: "ProductUpdate", ok: 200, okSchema: "Product", okDesc: "the updated product", errors: []int{400, 403, 404, 415, 422}, tag: "reference"},
		},
		"/api/v1/sites": {
			"get":  {summary: "List relay points and canteens", roles: "any token (sites hold no personal data).", params: []string{"limit", "offset", "kind"}, ok: 200, okSchema: "SiteList", okDesc: "a page of sites, by id", errors: read, tag: "reference"},
			"post": {summary: "Create a site", roles: "coordinator.", body: "SiteInput", ok: 201, okSchema: "Site", okDesc: "created", errors: write, tag: "reference"},
		},
		"/api/v1/sites/{site}": {
			"get": {summary: "Get a site", roles: "any token.", params: []string{"site"}, ok: 200, okSchema: "Site", okDesc: "the site", errors: []int{400, 403, 404}, tag: "reference"},
			"put": {summary: "Replace a site's fields", desc: "The id and the kind stay (a body id, if given, must be the path's).", roles: "coordinator.", params: []string{"site"}, body: "SiteUpdate", ok: 200, okSchema: "Site", okDesc: "the updated site", errors: []int{400, 403, 404, 415, 422}, tag: "reference"},
		},
		"/api/v1/vehicles": {
			"get":  {summary: "List vehicles", roles: "coordinator.", params: list, ok: 200, okSchema: "VehicleList", okDesc: "a page of vehicles, by id", errors: read, tag: "reference"},
			"post": {summary: "Create a vehicle", roles: "coordinator.", body: "VehicleInput", ok: 201, okSchema: "Vehicle", okDesc: "created", errors: write, tag: "reference"},
		},
		"/api/v1/vehicles/{vehicle}": {
			"get": {summary: "Get a vehicle", roles: "coordinator.", params: []string{"vehicle"}, ok: 200, okSchema: "Vehicle", okDesc: "the vehicle", errors: []int{400, 403, 404}, tag: "reference"},
			"put": {summary: "Replace a vehicle's fields", roles: "coordinator.", params: []string{"vehicle"}, body: "VehicleUpdate", ok: 200, okSchema: "Vehicle", okDesc: "the updated vehicle", errors: []int{400, 403, 404, 415, 422}, tag: "reference"},
		},
		"/api/v1/basket-types": {
			"get":  {summary: "List basket types", roles: "any token.", params: list, ok: 200, okSchema: "BasketTypeList", okDesc: "a page of basket types, by id", errors: read, tag: "reference"},
			"post": {summary: "Create a basket type", roles: "coordinator.", body: "BasketTypeInput", ok: 201, okSchema: "BasketType", okDesc: "created", errors: write, tag: "reference"},
		},
		"/api/v1/basket-types/{basket}": {
			"get": {summary: "Get a basket type", roles: "any token.", params: []string{"basket"}, ok: 200, okSchema: "BasketType", okDesc: "the basket type", errors: []int{400, 403, 404}, tag: "reference"},
			"put": {summary: "Replace a basket type's fields", desc: "Name, price and contents (each category's kg, min_products and max_products); the id stays (a body id, if given, must be the path's). Stored plans keep the scenario they were made from: the change counts from the next plan.", roles: "coordinator.", params: []string{"basket"}, body: "BasketTypeUpdate", ok: 200, okSchema: "BasketType", okDesc: "the updated basket type", errors: []int{400, 403, 404, 415, 422}, tag: "reference"},
		},
		"/api/v1/portions": {
			"get": {summary: "The portion table", desc: "Grams of raw product per cover, per age group, set by the coordinator; pairs not listed use the built-in defaults.", roles: "any token.", ok: 200, okSchema: "PortionList", okDesc: "the coordinator's portions", tag: "reference"},
		},
		"/api/v1/portions/{age_group}/{product}": {
			"put": {summary: "Set a portion", roles: "coordinator.", params: []string{"age_group", "product"}, body: "PortionInput", ok: 200, okSchema: "Portion", okDesc: "stored", errors: []int{400, 403, 413, 415, 422}, tag: "reference"},
		},
		"/api/v1/weeks": {
			"get":  {summary: "List weeks", desc: "Each week with its id, calendar (cutoffs, collection and delivery dates) and status.", roles: "any token.", params: []string{"limit", "offset", "statusQuery"}, ok: 200, okSchema: "WeekList", okDesc: "a page of weeks, oldest first", errors: read, tag: "weeks"},
			"post": {summary: "Create a week", desc: "Fields left out follow the usual calendar.", roles: "coordinator.", body: "WeekInput", ok: 201, okSchema: "Week", okDesc: "created", errors: write, tag: "weeks"},
		},
		"/api/v1/weeks/{week}": {
			"get":   {summary: "Get a week", roles: "any token.", params: []string{"week"}, ok: 200, okSchema: "Week", okDesc: "the week", errors: []int{400, 403, 404}, tag: "weeks"},
			"patch": {summary: "Change a week's status, dates or cutoffs", roles: "coordinator.", params: []string{"week"}, body: "WeekPatch", ok: 200, okSchema: "Week", okDesc: "the updated week", errors: []int{400, 403, 404, 409, 413, 415, 422}, tag: "weeks"},
		},
		"/api/v1/weeks/{week}/availability": {
			"get": {summary: "What the farms offer this week", desc: "Each offered product with the week's total offered quantity, without producers nor prices: what relay managers may order as extras, and cooks put on their menus. Offered is not allocated: the plan serves canteens, then baskets, then extras.", roles: "any token.", params: []string{"week"}, ok: 200, okSchema: "Availability", okDesc: "the offered products, by category then id", errors: []int{400, 403, 404}, tag: "weeks"},
		},
		"/api/v1/weeks/{week}/scenario": {
			"get": {summary: "The week's planning scenario", desc: "Exactly the scenario JSON of the planning contract: canteen meal orders turned into product quantities, household subscriptions summed per relay point.", roles: "coordinator.", params: []string{"week"}, ok: 200, okSchema: "Scenario", okDesc: "the scenario", errors: []int{400, 403, 404}, tag: "weeks"},
		},
		"/api/v1/weeks/{week}/offers": {
			"get":  {summary: "List a week's offers", roles: "coordinator (all); farmer (its own producer only).", params: []string{"week", "limit", "offset", "producerQuery", "productQuery"}, ok: 200, okSchema: "OfferList", okDesc: "a page of offers, by producer and product", errors: []int{400, 403, 404}, tag: "offers"},
			"post": {summary: "Post an offer", desc: "One offer per week, producer and product: posting again replaces its quantity and price (200). Refused with 409 after the week's offer cutoff.", roles: "coordinator; farmer (its own producer).", params: []string{"week"}, body: "OfferInput", ok: 201, okSchema: "Offer", okDesc: "created", also: map[int]string{200: "replaced"}, errors: append(write, 404), idempotent: true, tag: "offers"},
		},
		"/api/v1/weeks/{week}/offers/{producer}/{product}": {
			"get":    {summary: "Get an offer", roles: "coordinator; farmer (its own producer).", params: []string{"week", "producer", "product"}, ok: 200, okSchema: "Offer", okDesc: "the offer", errors: []int{400, 403, 404}, tag: "offers"},
			"delete": {summary: "Withdraw an offer", roles: "coordinator; farmer (its own producer).", params: []string{"week", "producer", "product"}, ok: 204, okDesc: "withdrawn", errors: []int{400, 403, 404, 409}, tag: "offers"},
		},
		"/api/v1/weeks/{week}/orders": {
			"get":  {summary: "List a week's relay orders", roles: "coordinator (all); relay (its own relay point only).", params: []string{"week", "limit", "offset", "siteQuery", "householdQuery", "classQuery"}, ok: 200, okSchema: "OrderList", okDesc: "a page of orders, by id", errors: []int{400, 403, 404}, tag: "orders"},
			"post": {summary: "Post a basket or extra order", desc: "class basket with basket and count, or class extra with product and quantity. The server assigns an id when none is given. Refused with 409 after the week's order cutoff.", roles: "coordinator; relay (its own relay point).", params: []string{"week"}, body: "OrderInput", ok: 201, okSchema: "Order", okDesc: "created", errors: append(write, 404), idempotent: true, tag: "orders"},
		},
		"/api/v1/sites/{site}/pickups/{week}": {
			"get": {summary: "List a relay point's pick-ups of a week", desc: "The households ticked at the counter as having collected their week's basket and extras (the pages' checklist), by household id.", roles: "coordinator; relay (its own relay point).", params: []string{"site", "week"}, ok: 200, okSchema: "PickupList", okDesc: "the ticks", errors: []int{400, 403}, tag: "households"},
		},
		"/api/v1/sites/{site}/pickups/{week}/{household}": {
			"put":    {summary: "Tick a household's pick-up", desc: "Ticking twice keeps the first time.", roles: "coordinator; relay (its own relay point).", params: []string{"site", "week", "household"}, ok: 204, okDesc: "ticked", errors: []int{400, 403, 404}, tag: "households"},
			"delete": {summary: "Untick a household's pick-up", roles: "coordinator; relay (its own relay point).", params: []string{"site", "week", "household"}, ok: 204, okDesc: "unticked", errors: []int{400, 403, 404}, tag: "households"},
		},
		"/api/v1/weeks/{week}/orders/{order}": {
			"get":    {summary: "Get an order", roles: "coordinator; relay (its own relay point).", params: []string{"week", "order"}, ok: 200, okSchema: "Order", okDesc: "the order", errors: []int{400, 403, 404}, tag: "orders"},
			"delete": {summary: "Cancel an order", desc: "Refused with 409 after the week's order cutoff.", roles: "coordinator; relay (its own relay point).", params: []string{"week", "order"}, ok: 204, okDesc: "cancelled", errors: []int{400, 403, 404, 409}, tag: "orders"},
		},
		"/api/v1/weeks/{week}/meal-orders": {
			"get":  {summary: "List a week's canteen meal orders", roles: "coordinator (all); cook (its own canteen only).", params: []string{"week", "limit", "offset", "siteQuery", "dateQuery"}, ok: 200, okSchema: "MealOrderList", okDesc: "a page of meal orders, by id", errors: []int{400, 403, 404}, tag: "orders"},
			"post": {summary: "Post a meal order", desc: "Covers per age group and dishes; the scenario turns them into produce with the portion table. Refused with 409 after the week's order cutoff.", roles: "coordinator; cook (its own canteen).", params: []string{"week"}, body: "MealOrderInput", ok: 201, okSchema: "MealOrder", okDesc: "created", errors: append(write, 404), idempotent: true, tag: "orders"},
		},
		"/api/v1/weeks/{week}/meal-orders/{order}": {
			"get":    {summary: "Get a meal order", roles: "coordinator; cook (its own canteen).", params: []string{"week", "order"}, ok: 200, okSchema: "MealOrder", okDesc: "the meal order", errors: []int{400, 403, 404}, tag: "orders"},
			"delete": {summary: "Cancel a meal order", desc: "Refused with 409 after the week's order cutoff.", roles: "coordinator; cook (its own canteen).", params: []string{"week", "order"}, ok: 204, okDesc: "cancelled", errors: []int{400, 403, 404, 409}, tag: "orders"},
		},
		"/api/v1/sites/{site}/households": {
			"get":  {summary: "List a relay point's households", desc: "Names and contacts are personal data.", roles: "coordinator; relay (its own relay point).", params: []string{"site", "limit", "offset"}, ok: 200, okSchema: "HouseholdList", okDesc: "a page of households, by id", errors: []int{400, 403, 404}, tag: "households"},
			"post": {summary: "Add a household", desc: "Ids are global and personal: only the coordinator chooses one; a relay manager's body naming an id, free or taken, gets the same 422 naming id, so it cannot tell whether another relay point uses it.", roles: "coordinator; relay (its own relay point).", params: []string{"site"}, body: "HouseholdInput", ok: 201, okSchema: "Household", okDesc: "created", errors: write, tag: "households"},
		},
		"/api/v1/sites/{site}/households/{household}": {
			"get": {summary: "Get a household", roles: "coordinator; relay (its own relay point).", params: []string{"site", "household"}, ok: 200, okSchema: "Household", okDesc: "the household", errors: []int{400, 403, 404}, tag: "households"},
			"put": {summary: "Replace a household's name, contact and subscription", desc: "The change counts from the next scenario export; the household stays at its relay point.", roles: "coordinator; relay (its own relay point).", params: []string{"site", "household"}, body: "HouseholdInput", ok: 200, okSchema: "Household", okDesc: "the updated household", errors: []int{400, 403, 404, 415, 422}, tag: "households"},
		},
	}
	for path, ops := range gdprPaths() {
		paths[path] = ops
	}
	pathsOut := obj{}
	addPaths(pathsOut, paths)
	metrics := op{summary: "Metrics for Prometheus", roles: "coordinator.",
		desc: "Prometheus' text format: http_request_duration_seconds{method,route,status} (latency histograms; _count counts the requests), " +
			"http_requests_in_flight, paniers_job_runs_total{job,outcome,trigger}, paniers_job_duration_seconds{job,trigger}, " +
			"paniers_plan_duration_seconds, paniers_plan_size{what}, paniers_store_writer_waits_total, paniers_store_writer_wait_seconds_total, " +
			"and the Go runtime's. Also served without a token on PANIERS_METRICS_ADDR when set.",
		ok: 200, okDesc: "the metrics", errors: []int{403}, tag: "service"}.build("get")
	metrics["operationId"] = "get_metrics"
	metrics["responses"].(obj)["200"] = obj{"description": "the metrics, in Prometheus' text format", "content": obj{"text/plain": obj{"schema": obj{"type": "string"}}}}
	pathsOut["/metrics"] = obj{"get": metrics}
	pathParam := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "path", "required": true, "description": desc, "schema": schema}
	}
	queryParam := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	responses := obj{}
	for status, d := range errorDesc {
		r := problemResponse(d)
		if status == 401 {
			r["headers"] = obj{"WWW-Authenticate": obj{"schema": obj{"type": "string"}}}
		}
		if status == 429 {
			r["headers"] = obj{"Retry-After": obj{"description": "seconds to wait", "schema": obj{"type": "integer"}}}
		}
		responses[itoa(status)] = r
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":   "paniers",
			"version": "1.0.0",
			"description": "Weekly logistics of a short food supply chain: producers' offers, relay points' basket and extra orders, " +
				"canteens' meal orders, and the week's planning scenario. Every route under /api/v1 but this document takes " +
				"`Authorization: Bearer <token>`. Errors are RFC 9457 application/problem+json, in French by default " +
				"(English with `Accept-Language: en` or `?lang=en`). Lists are pages: `?limit=` (default 50, at most 200) and " +
				"`?offset=`, with a `next` URL (and a Link header) while more remain. Prices (`price_cents`) are in euro cents " +
				"excluding VAT (hors taxes), as the producers invoice the hub and as the EGalim reports count them. " +
				"`HEAD` is answered on every GET route, with the GET's status and headers and no body. Request bodies are " +
				"plain JSON (no `Content-Encoding`), with no key twice in an object, and every array within its `maxItems`.",
		},
		"servers":  []any{obj{"url": "/"}},
		"security": []any{obj{"bearerAuth": []any{}}},
		"tags": []any{
			obj{"name": "service"}, obj{"name": "access"}, obj{"name": "reference"}, obj{"name": "weeks"},
			obj{"name": "offers"}, obj{"name": "orders"}, obj{"name": "households"},
		},
		"paths": pathsOut,
		"components": obj{
			"securitySchemes": obj{"bearerAuth": obj{"type": "http", "scheme": "bearer", "description": "a token made by POST /api/v1/tokens (or PANIERS_ADMIN_TOKEN, or printed by serve --demo)"}},
			"schemas":         merge(schemas(), gdprSchemas()),
			"responses":       responses,
			"parameters": obj{
				"lang":           queryParam("lang", "language of error titles and reasons: fr (default) or en", obj{"type": "string", "enum": []string{"fr", "en"}}),
				"limit":          queryParam("limit", "page size", obj{"type": "integer", "minimum": 1, "maximum": maxPageLimit, "default": defaultPageLimit}),
				"offset":         queryParam("offset", "items to skip", obj{"type": "integer", "minimum": 0, "maximum": maxPageOffset, "default": 0}),
				"statusQuery":    queryParam("status", "only the weeks of this status", obj{"type": "string", "enum": models.WeekStatuses}),
				"kind":           queryParam("kind", "only relay points or only canteens", obj{"type": "string", "enum": []string{"relay", "canteen"}}),
				"producerQuery":  queryParam("producer", "only this producer's offers", idSchema("producer")),
				"productQuery":   queryParam("product", "only offers of this product", idSchema("product")),
				"siteQuery":      queryParam("site", "only this site's orders", idSchema("site")),
				"householdQuery": queryParam("household", "only this household's orders", idSchema("household")),
				"classQuery":     queryParam("class", "only this class of orders", obj{"type": "string", "enum": []string{"basket", "extra"}}),
				"dateQuery":      queryParam("date", "only meals of this date", dateSchema),
				"idempotencyKey": obj{"name": "Idempotency-Key", "in": "header", "required": false,
					"description": "a retry with the same key and body returns the first answer (with Idempotent-Replayed: true) and creates nothing; the same key with another body gets 422",
					"schema":      obj{"type": "string", "minLength": 1, "maxLength": maxIdempotencyKey}},
				"week":      pathParam("week", "ISO week", weekIDSchema),
				"producer":  pathParam("producer", "producer id", idSchema("producer")),
				"product":   pathParam("product", "product id", idSchema("product")),
				"site":      pathParam("site", "site id", idSchema("site")),
				"vehicle":   pathParam("vehicle", "vehicle id", idSchema("vehicle")),
				"basket":    pathParam("basket", "basket type id", idSchema("basket type")),
				"household": pathParam("household", "household id", idSchema("household")),
				"order":     pathParam("order", "order id", idSchema("order")),
				"age_group": pathParam("age_group", "age group", obj{"type": "string", "enum": models.AgeGroups}),
				"token":     pathParam("token", "token number (1 to 9223372036854775807)", obj{"type": "string", "pattern": "^[0-9]{1,19}$"}),
			},
		},
	}
}

// addPaths builds the operations of ops into the document's paths, each
// with an operationId made of its method and path.
func addPaths(paths obj, ops map[string]map[string]op) {
	for path, m := range ops {
		item := obj{}
		for method, o := range m {
			b := o.build(method)
			b["operationId"] = method + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(path)
			item[method] = b
		}
		paths[path] = item
	}
}

// renderDocument encodes the document with sorted keys and indentation, so
// the file diffs well.
func renderDocument(t testing.TB) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(withDeliveries(withEgalim(withManne(withJobs(document()))))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOpenAPIDocument checks that openapi.json is what the builder writes.
func TestOpenAPIDocument(t *testing.T) {
	want := renderDocument(t)
	if *update {
		if err := os.WriteFile("openapi.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(openAPIJSON, want) {
		t.Fatal("openapi.json is out of date: run go test ./api -run TestOpenAPIDocument -update")
	}
}
