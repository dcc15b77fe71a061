// Package sheets renders a week's stored plan as the documents people carry:
// round sheets for drivers, pick-up lists for relay points, preparation lists
// for producers and delivery notes for canteens.
//
// Every function here is pure: the same Input gives the same bytes, PDFs
// included (their dates come from the plan, never from the clock), so a
// document can be rendered again on demand and compared with a published one.
// Text is French by default and English with Lang "en".
//
// Conventions shared by every document:
//   - Crates: one product per crate, a crate holds Input.CrateKg kg (10 by
//     default); a line needs ceil(weight / CrateKg) crates, and at least one
//     when its quantity is positive.
//   - CSV: UTF-8 with a byte order mark (so spreadsheet programs detect the
//     encoding), a header row, separator Input.Sep (',' by default, ';' or tab
//     on request). Numbers use a decimal comma with ';' (as French spreadsheets
//     expect) and a decimal point otherwise, without thousands separators. Text
//     cells that a spreadsheet would read as a formula are prefixed with '.
//   - PDF: A4 portrait, fonts DejaVu Sans Condensed embedded (any name in
//     Unicode's basic plane prints as it is), tables repeat their header on
//     every page.
//   - GeoJSON: RFC 7946, coordinates [lon, lat].
package sheets

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"paniers/planner"
)

// Kinds of documents, as listed by the service.
const (
	KindRoundSheet      = "round-sheet"
	KindPickupList      = "pickup-list"
	KindPreparationList = "preparation-list"
	KindDeliveryNote    = "delivery-note"
	KindPackingList     = "packing-list"
)

// PackingFor is what a packing list is for (DocRef.For): the hub, one
// list for the whole week.
const PackingFor = "hub"

// Formats of documents.
const (
	FormatText    = "txt"
	FormatPDF     = "pdf"
	FormatCSV     = "csv"
	FormatGeoJSON = "geojson"
)

// DefaultCrateKg is what a crate holds when Input.CrateKg is not set: a
// standard 60x40 cm vegetable crate filled with roots.
const DefaultCrateKg = 10

// CanteenCrateKg is what a crate the hub delivers to a canteen holds at
// most: one product per crate, light enough for a cook to carry.
const CanteenCrateKg = 15

// Errors a caller can test with errors.Is to pick a response: ErrNotFound
// for a round, site or producer the week does not have (HTTP 404),
// ErrFormat for a kind or format that does not exist or does not fit the kind
// (404), ErrInvalid for a bad option such as Lang or Sep (400).
var (
	ErrNotFound = errors.New("not found")
	ErrFormat   = errors.New("no such document format")
	ErrInvalid  = errors.New("invalid option")
)

// formats lists, per kind, the formats it is rendered in, in listing order.
var formats = map[string][]string{
	KindRoundSheet:      {FormatText, FormatPDF, FormatCSV, FormatGeoJSON},
	KindPickupList:      {FormatPDF, FormatCSV},
	KindPreparationList: {FormatText, FormatPDF, FormatCSV},
	KindDeliveryNote:    {FormatText, FormatPDF, FormatCSV},
	KindPackingList:     {FormatPDF, FormatCSV},
}

// kinds gives the listing order of kinds.
var kinds = []string{KindRoundSheet, KindPickupList, KindPreparationList, KindDeliveryNote, KindPackingList}

// Kinds returns the kinds of documents, in listing order.
func Kinds() []string { return append([]string(nil), kinds...) }

// Formats returns the formats a kind of document is rendered in, nil for an
// unknown kind.
func Formats(kind string) []string {
	return append([]string(nil), formats[kind]...)
}

// Input is everything a document is rendered from: the week's scenario and
// its stored plan, plus what the scenario does not hold.
type Input struct {
	Scenario planner.Scenario
	Plan     planner.Plan
	// Addresses gives postal addresses by hub, producer or site id; a place
	// without one prints without an address.
	Addresses map[string]string
	// Households lists, by relay site id, who picks up what this week.
	Households map[string][]Household
	// Lang is "fr" (default, also "") or "en"; a region suffix such as
	// "fr-FR" or "en_GB" is accepted.
	Lang string
	// Sep is the CSV separator: ',' (default, also 0), ';' or '\t'.
	Sep rune
	// CrateKg is what one crate holds; 0 means DefaultCrateKg.
	CrateKg float64
}

// Household is one household of a relay point for the week: its basket (a
// basket type id, empty for extras only), how many baskets of that type, and
// the extra products it ordered.
type Household struct {
	// ID is the household's id, for a checklist to tick it; documents do
	// not print it.
	ID     string                    `json:"id,omitempty"`
	Name   string                    `json:"name"`
	Basket string                    `json:"basket,omitempty"`
	Count  int                       `json:"count,omitempty"`
	Extras []planner.ProductQuantity `json:"extras,omitempty"`
}

// Doc is one rendered document, ready to be served or written to a file.
type Doc struct {
	Kind        string
	For         string
	Format      string
	FileName    string
	ContentType string
	Body        []byte
}

// DocRef names a document the week has, without rendering it. For is the
// round's index in Plan.Rounds (decimal, from 0) for a round sheet, the site
// id for a pick-up list or a delivery note, the producer id for a
// preparation list.
type DocRef struct {
	Kind     string `json:"kind"`
	For      string `json:"for"`
	Format   string `json:"format"`
	FileName string `json:"file_name"`
}

// Catalog lists every document the week has, in a stable order: round sheets
// for every round, pick-up lists for relay points that have orders or
// households, preparation lists for producers that offered or sold something,
// delivery notes for canteens that ordered. It returns an error only for a
// bad Lang or Sep.
func Catalog(in Input) ([]DocRef, error) {
	r, err := newRenderer(in)
	if err != nil {
		return nil, err
	}
	var refs []DocRef
	add := func(kind, id, name string) {
		for _, f := range formats[kind] {
			refs = append(refs, DocRef{Kind: kind, For: id, Format: f, FileName: r.fileName(kind, name, f)})
		}
	}
	for i := range in.Plan.Rounds {
		add(KindRoundSheet, strconv.Itoa(i), r.roundFileStem(i))
	}
	for _, s := range in.Scenario.Sites {
		if s.Kind == planner.KindRelay && (r.ix.siteHasOrders[s.ID] || len(in.Households[s.ID]) > 0) {
			add(KindPickupList, s.ID, slug(s.ID))
		}
	}
	for _, p := range in.Scenario.Producers {
		if r.ix.producerActive[p.ID] {
			add(KindPreparationList, p.ID, slug(p.ID))
		}
	}
	for _, s := range in.Scenario.Sites {
		if s.Kind == planner.KindCanteen && r.ix.siteHasOrders[s.ID] {
			add(KindDeliveryNote, s.ID, slug(s.ID))
		}
	}
	if r.hasDeliveries() {
		add(KindPackingList, PackingFor, PackingFor)
	}
	return refs, nil
}

// All renders every document of Catalog, for publishing a week. Bytes are
// deterministic, so comparing them with a previous publication tells which
// documents a new plan version changed.
func All(in Input) ([]Doc, error) {
	refs, err := Catalog(in)
	if err != nil {
		return nil, err
	}
	docs := make([]Doc, 0, len(refs))
	for _, ref := range refs {
		d, err := Render(in, ref.Kind, ref.For, ref.Format)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// Render renders the document a DocRef names: the one entry point the
// service's document URLs need. For a round sheet, id is the round's index.
func Render(in Input, kind, id, format string) (Doc, error) {
	switch kind {
	case KindRoundSheet:
		i, err := strconv.Atoi(id)
		if err != nil || strconv.Itoa(i) != id {
			return Doc{}, fmt.Errorf("sheets: round sheet %q: %w (a round is named by its index, from 0)", id, ErrNotFound)
		}
		return RoundSheet(in, i, format)
	case KindPickupList:
		return PickupList(in, id, format)
	case KindPreparationList:
		return PreparationList(in, id, format)
	case KindDeliveryNote:
		return DeliveryNote(in, id, format)
	case KindPackingList:
		return PackingList(in, id, format)
	}
	return Doc{}, fmt.Errorf("sheets: kind %q: %w (kinds: %s)", kind, ErrFormat, strings.Join(kinds, ", "))
}

// checkFormat says whether a kind is rendered in a format.
func checkFormat(kind, format string) error {
	for _, f := range formats[kind] {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("sheets: %s: format %q: %w (formats: %s)", kind, format, ErrFormat, strings.Join(formats[kind], ", "))
}

// contentType gives the HTTP content type of a format.
func contentType(format string) string {
	switch format {
	case FormatText:
		return "text/plain; charset=utf-8"
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatPDF:
		return "application/pdf"
	case FormatGeoJSON:
		return "application/geo+json"
	}
	return "application/octet-stream"
}

// bodies renders a document's body, per format.
type bodies map[string]func() ([]byte, error)

// renderDoc is the path every document takes: check the options, find what
// the document is for (find returns its file name stem and its renderers),
// check the format, render. Errors name the kind and the subject.
func renderDoc(in Input, kind, id, format string, find func(*renderer) (string, bodies, error)) (Doc, error) {
	r, err := newRenderer(in)
	if err != nil {
		return Doc{}, err
	}
	stem, render, err := find(r)
	if err != nil {
		return Doc{}, err
	}
	if err := checkFormat(kind, format); err != nil {
		return Doc{}, err
	}
	body, err := render[format]()
	if err != nil {
		return Doc{}, fmt.Errorf("sheets: %s %q: %w", kind, id, err)
	}
	return Doc{
		Kind:        kind,
		For:         id,
		Format:      format,
		FileName:    r.fileName(kind, stem, format),
		ContentType: contentType(format),
		Body:        body,
	}, nil
}
