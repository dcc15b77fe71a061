package api

import (
	"paniers/models"
)

// withManne adds the MANNE routes (manne.go) to the OpenAPI document.
func withManne(doc obj) obj {
	paths := doc["paths"].(obj)
	comps := doc["components"].(obj)
	schemas := comps["schemas"].(obj)
	params := comps["parameters"].(obj)

	ops := map[string]map[string]op{
		"/api/v1/manne/transfers": {
			"post": {summary: "Post a MANNE transfer",
				desc: "Moves amount_cents (an integer, 1 MANNE = 100 cents) from one account to another: `collectif` (the issuer, whose balance is minus what circulates) or a household id. " +
					"Kinds: work (collectif to a household) and correction (any two accounts) for the coordinator; basket (a household pays the collectif) for the coordinator or the household's relay manager; " +
					"garden credits are written by the service when a week is published. Entries are never changed: a mistake is undone by a correction. " +
					"A household's balance never goes below zero: 409 insufficient-funds names the balance (balance_cents). The Idempotency-Key header is required.",
				roles: "coordinator; relay (basket payments of its own households).", params: []string{"idempotencyKeyRequired"}, body: "TransferInput",
				ok: 201, okSchema: "Transfer", okDesc: "posted", errors: []int{400, 403, 409, 413, 415, 422}, tag: "manne"},
		},
		"/api/v1/manne/transfers/{transfer}": {
			"get": {summary: "Get a MANNE transfer", roles: "coordinator; relay (transfers of its own households).", params: []string{"transfer"},
				ok: 200, okSchema: "Transfer", okDesc: "the transfer", errors: []int{400, 403, 404}, tag: "manne"},
		},
		"/api/v1/manne/accounts": {
			"get": {summary: "List MANNE accounts", desc: "The accounts that have had a transfer, by id, with their balances.",
				roles: "coordinator.", params: []string{"limit", "offset", "accountSiteQuery"}, ok: 200, okSchema: "AccountList", okDesc: "a page of accounts", errors: []int{400, 403}, tag: "manne"},
		},
		"/api/v1/manne/accounts/{account}": {
			"get": {summary: "A MANNE account: balance and entries", desc: "The balance and a page of the entries, the latest first (each with the balance after it); ?from= and ?to= (dates, included) bound the entries. A household without transfers yet has a zero balance. Another relay point's household answers 404, as an unknown account does; 403 for a relay manager reading the collectif.",
				roles: "coordinator; relay (its own households).", params: []string{"account", "limit", "offset", "fromDate", "toDate"}, ok: 200, okSchema: "Account", okDesc: "the account", errors: []int{400, 403, 404}, tag: "manne"},
		},
		"/api/v1/manne/accounts/{account}/{file}": {
			"get": {summary: "A MANNE account's statement", desc: "statement.pdf or statement.csv over ?from= to ?to= (dates, included; everything by default): opening balance, every entry oldest first, closing balance. French by default, ?lang=en for English; ?sep=; for spreadsheets set to French.",
				roles: "coordinator; relay (its own households).", params: []string{"account", "statementFile", "fromDate", "toDate", "sep"}, ok: 200, okDesc: "the statement", errors: []int{400, 403, 404}, tag: "manne"},
		},
		"/api/v1/manne/report": {
			"get": {summary: "The MANNE report", desc: "Issued (from the collectif), spent (to the collectif) and moved between households, by kind, over ?month= (everything since the start without it); what circulates at the end of the period; the sum of all balances, which double entry keeps at 0; and the check that every account's balance equals the sum of its entries and every transfer has two entries that cancel out.",
				roles: "coordinator.", params: []string{"month"}, ok: 200, okSchema: "ManneReport", okDesc: "the report", errors: []int{400, 403}, tag: "manne"},
		},
		"/api/v1/manne/report.csv": {
			"get": {summary: "The MANNE report as CSV", roles: "coordinator.", params: []string{"month", "sep"}, ok: 200, okDesc: "the report", errors: []int{400, 403}, tag: "manne"},
		},
	}
	addPaths(paths, ops)
	binary := obj{"type": "string", "format": "binary"}
	attachment := obj{"Content-Disposition": obj{"description": "attachment with the file name", "schema": obj{"type": "string"}}}
	paths["/api/v1/manne/accounts/{account}/{file}"].(obj)["get"].(obj)["responses"].(obj)["200"] = obj{
		"description": "the statement", "headers": attachment,
		"content": obj{"text/csv": obj{"schema": obj{"type": "string"}}, "application/pdf": obj{"schema": binary}},
	}
	paths["/api/v1/manne/report.csv"].(obj)["get"].(obj)["responses"].(obj)["200"] = obj{
		"description": "the report", "headers": attachment, "content": obj{"text/csv": obj{"schema": obj{"type": "string"}}},
	}

	kinds := obj{"type": "string", "enum": models.TransferKinds}
	account := obj{"type": "string", "pattern": idPatternDoc, "description": "collectif, or a household id"}
	amount := obj{"type": "integer", "minimum": 1, "maximum": models.MaxTransferCents, "description": "MANNE cents (1 MANNE = 100 cents), an integer"}
	schemas["TransferInput"] = object([]string{"from", "to", "amount_cents", "kind"}, obj{
		"from": account, "to": account, "amount_cents": amount, "kind": kinds,
		"memo": obj{"type": "string", "maxLength": models.MaxMemo, "description": "free text (cleared if a household of the transfer is erased)"}})
	schemas["Transfer"] = object([]string{"id", "from", "to", "amount_cents", "kind", "memo", "created_at"}, obj{
		"id": str("transfer number"), "from": account, "to": account, "amount_cents": amount, "kind": kinds, "memo": str("memo"),
		"week":     withDesc(weekIDSchema, "the week of a publication's garden credit or correction"),
		"producer": idSchema("the garden of a publication's credit or correction"), "created_at": instantSchema})
	accountProps := obj{
		"id": account, "kind": obj{"type": "string", "enum": []string{models.AccountIssuer, models.AccountHousehold}},
		"balance_cents": integer("balance in MANNE cents: never negative for a household; the collectif's is minus what circulates"),
		"site":          idSchema("the household's relay point"), "name": str("the household's name (personal data)"),
		"anonymised":  boolean("the household was erased (GDPR): the account keeps its entries under a random id"),
		"entry_count": obj{"type": "integer", "minimum": 0}}
	accountRequired := []string{"id", "kind", "balance_cents", "anonymised", "entry_count"}
	schemas["AccountSummary"] = object(accountRequired, accountProps)
	schemas["AccountList"] = object([]string{"items", "limit", "offset"}, obj{
		"items": array(ref("AccountSummary")), "limit": integer("page size"), "offset": integer("items skipped"), "next": str("URL of the next page, absent on the last page")})
	entry := object([]string{"id", "transfer", "at", "kind", "counterparty", "amount_cents", "balance_cents", "memo"}, obj{
		"id": str("entry number"), "transfer": str("transfer number"), "at": instantSchema, "kind": kinds, "counterparty": account,
		"amount_cents":  integer("signed: positive credits the account, negative debits it"),
		"balance_cents": integer("the account's balance just after this entry"), "memo": str("memo"),
		"week": weekIDSchema, "producer": idSchema("garden")})
	schemas["AccountEntry"] = entry
	schemas["Account"] = object(append(accountRequired, "items", "limit", "offset"), merge(accountProps, obj{
		"items": array(ref("AccountEntry")), "limit": integer("page size"), "offset": integer("entries skipped"), "next": str("URL of the next page, absent on the last page")}))
	cents := func(d string) obj { return integer(d + ", MANNE cents") }
	schemas["ManneReport"] = object([]string{"by_kind", "issued_cents", "spent_cents", "circulation_cents", "sum_of_balances_cents", "check"}, obj{
		"month": str("the month asked for, YYYY-MM"), "from": instantSchema, "to": instantSchema,
		"by_kind": array(object([]string{"kind", "issued_cents", "spent_cents", "between_households_cents", "transfers"}, obj{
			"kind": kinds, "issued_cents": cents("from the collectif to households"), "spent_cents": cents("from households to the collectif"),
			"between_households_cents": cents("between two households (corrections)"), "transfers": integer("number of transfers")})),
		"issued_cents": cents("issued in the period"), "spent_cents": cents("spent in the period"),
		"circulation_cents":     cents("held by households at the end of the period"),
		"sum_of_balances_cents": cents("sum of every account's balance now: always 0"),
		"check": object([]string{"ok", "accounts_checked", "mismatches", "unbalanced_transfers", "negative_households"}, obj{
			"ok": boolean("every check passed"), "accounts_checked": integer("accounts compared with their entries"),
			"mismatches": array(object([]string{"account", "balance_cents", "entries_cents"}, obj{
				"account": account, "balance_cents": integer("stored balance"), "entries_cents": integer("sum of its entries")})),
			"unbalanced_transfers": integer("transfers whose two entries do not cancel out"),
			"negative_households":  integer("household accounts below zero")}),
	})

	queryParam := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	params["transfer"] = obj{"name": "transfer", "in": "path", "required": true, "description": "transfer number (1 to 9223372036854775807)", "schema": obj{"type": "string", "pattern": "^[0-9]{1,19}$"}}
	params["account"] = obj{"name": "account", "in": "path", "required": true, "description": "collectif, or a household id", "schema": account}
	params["statementFile"] = obj{"name": "file", "in": "path", "required": true, "description": "the statement's format",
		"schema": obj{"type": "string", "enum": []string{"statement.pdf", "statement.csv"}}}
	params["accountSiteQuery"] = queryParam("site", "only this relay point's households", idSchema("site"))
	params["fromDate"] = queryParam("from", "first day included, YYYY-MM-DD", dateSchema)
	params["toDate"] = queryParam("to", "last day included, YYYY-MM-DD", dateSchema)
	params["month"] = queryParam("month", "a month, YYYY-MM (everything since the start without it)", obj{"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"})
	params["idempotencyKeyRequired"] = obj{"name": "Idempotency-Key", "in": "header", "required": true,
		"description": "required: a retry with the same key and body returns the first answer (with Idempotent-Replayed: true) and posts nothing; the same key with another body gets 422",
		"schema":      obj{"type": "string", "minLength": 1, "maxLength": maxIdempotencyKey}}
	doc["tags"] = append(doc["tags"].([]any), obj{"name": "manne"})
	return doc
}
