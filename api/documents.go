package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/sheets"
)

// Documents: the week's printed documents, rendered from the stored plan on
// each request, each at its own URL
//
//	/api/v1/weeks/{week}/documents/{kind}/{for}.{format}
//
// in French by default (?lang=en or Accept-Language: en for English), CSV
// with ?sep=; for spreadsheets set to French, ?version=N for an older plan
// version. Who reads what: the coordinator everything (round sheets are for
// the drivers, through the coordinator; the hub's packing list); a farmer
// its preparation list; a relay point's manager its pick-up list
// (households' names are personal data); a cook its canteen's delivery note.
// Only the coordinator reads a draft: the others read published versions
// (models.SeesDrafts), and a week not yet published has no documents for
// them (404).

// documentBody lists one document.
type documentBody struct {
	Kind     string `json:"kind"`
	For      string `json:"for"`
	Format   string `json:"format"`
	URL      string `json:"url"`
	FileName string `json:"file_name"`
	// Changed is true when the document differs from the one in the last
	// published version before this plan's (a re-plan after publication).
	Changed bool `json:"changed"`
}

// documentsBody is the list of the documents a caller may read.
type documentsBody struct {
	Week string `json:"week"`
	planMeta
	// BaseVersion is the published version "changed" compares with, absent
	// when none was published before.
	BaseVersion int            `json:"base_version,omitempty"`
	Items       []documentBody `json:"items"`
}

// documentKinds are the kinds of documents, in the order of the URL's
// {kind}.
var documentKinds = sheets.Kinds()

// sepQuery reads ?sep=: ",", ";" or "tab" (also a tab character); 0 when
// absent (the default comma).
//
// The raw query is read by hand: Go's query parser drops a pair holding a
// bare ";" (?sep=;), which is just what a user types.
func sepQuery(c *gin.Context) (rune, error) {
	raw, ok := "", false
	for _, part := range strings.Split(c.Request.URL.RawQuery, "&") {
		if v, found := strings.CutPrefix(part, "sep="); found {
			if u, err := url.QueryUnescape(v); err == nil {
				v = u
			}
			raw, ok = v, true
		}
	}
	if !ok {
		return 0, nil
	}
	switch raw {
	case ",":
		return ',', nil
	case ";":
		return ';', nil
	case "tab", "\t":
		return '\t', nil
	}
	return 0, errKind(kindBadRequest, text{FR: "Paramètre invalide.", EN: "Invalid parameter."},
		FieldError{Field: "sep", Reason: textf("« , », « ; » ou « tab » attendu (reçu %q)", `",", ";" or "tab" expected (got %q)`, truncate(raw, 10))})
}

// documentURL is the URL of a document, with the options that were asked
// for explicitly.
func documentURL(week, kind, id, format string, version int, lang string, sep rune) string {
	q := url.Values{}
	if version > 0 {
		q.Set("version", strconv.Itoa(version))
	}
	if lang == langEN {
		q.Set("lang", langEN)
	}
	switch sep {
	case ';':
		q.Set("sep", ";")
	case '\t':
		q.Set("sep", "tab")
	}
	u := access.DocumentPath(week, kind, id, format)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// documentInput reads the options of a document request and assembles the
// rendering input of the plan version asked for.
func (s *Server) documentInput(c *gin.Context, week string) (sheets.Input, models.StoredPlan, int, error) {
	version, err := versionQuery(c)
	if err != nil {
		return sheets.Input{}, models.StoredPlan{}, 0, err
	}
	sep, err := sepQuery(c)
	if err != nil {
		return sheets.Input{}, models.StoredPlan{}, 0, err
	}
	j, err := s.jobs()
	if err != nil {
		return sheets.Input{}, models.StoredPlan{}, 0, err
	}
	// A caller who may not see drafts reads the published versions only;
	// the list's URLs keep the version as asked.
	visible, err := s.store.VisibleVersion(c.Request.Context(), week, version, models.SeesDrafts(mustPrincipal(c).Role))
	var in sheets.Input
	var sp models.StoredPlan
	if err == nil {
		in, sp, err = j.DocumentInput(c.Request.Context(), week, visible)
	}
	if errors.Is(err, models.ErrNotFound) {
		return in, sp, 0, errKind(kindNotFound, textf("Aucun plan pour la semaine %s : pas de documents.", "No plan for week %s: no documents.", week),
			FieldError{Field: "week", Reason: text{FR: "pas de plan (ou pas cette version)", EN: "no plan (or not this version)"}})
	}
	if err != nil {
		return in, sp, 0, err
	}
	in.Lang, in.Sep = language(c), sep
	return in, sp, version, nil
}

// listDocuments lists the documents of the week's plan that the caller may
// read.
func (s *Server) listDocuments(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	in, sp, version, err := s.documentInput(c, week)
	if err != nil {
		return err
	}
	ps := s.store
	refs, err := sheets.Catalog(in)
	if err != nil {
		return err
	}
	base, changed, err := ps.ChangedDocuments(c.Request.Context(), week, sp.Version)
	if err != nil {
		return err
	}
	p := mustPrincipal(c)
	out := documentsBody{Week: week, planMeta: s.toPlanMeta(sp), BaseVersion: base, Items: []documentBody{}}
	for _, r := range refs {
		if !p.MayReadIn(&in.Plan, r.Kind, r.For) {
			continue
		}
		out.Items = append(out.Items, documentBody{
			Kind: r.Kind, For: r.For, Format: r.Format, FileName: r.FileName,
			URL:     documentURL(week, r.Kind, r.For, r.Format, version, in.Lang, in.Sep),
			Changed: changed[models.DocKey{Kind: r.Kind, For: r.For, Format: r.Format}],
		})
	}
	ok(c, out)
	return nil
}

// getDocument renders one document: its bytes with the format's content
// type and a Content-Disposition naming the file.
func (s *Server) getDocument(c *gin.Context) error {
	week, err := weekParam(c)
	if err != nil {
		return err
	}
	kind := c.Param("kind")
	if !slices.Contains(documentKinds, kind) {
		return errKind(kindNotFound, textf("Pas de documents de type %q.", "No documents of kind %q.", truncate(kind, 40)),
			FieldError{Field: "kind", Reason: textf("type attendu parmi %s", "kind expected among %s", strings.Join(documentKinds, ", "))})
	}
	file := c.Param("file")
	dot := strings.LastIndexByte(file, '.')
	if dot <= 0 || dot == len(file)-1 {
		return errKind(kindNotFound, text{FR: "Document introuvable.", EN: "Document not found."},
			FieldError{Field: "file", Reason: textf("{pour}.{format} attendu, comme relais-loos.pdf (reçu %q)", "{for}.{format} expected, such as relais-loos.pdf (got %q)", truncate(file, 80))})
	}
	id, format := file[:dot], file[dot+1:]
	if !models.ValidID(id) {
		return errKind(kindNotFound, text{FR: "Document introuvable.", EN: "Document not found."},
			FieldError{Field: "file", Reason: textf("identifiant invalide %q", "invalid id %q", truncate(id, 80))})
	}
	noAccess := forbidden(text{FR: "Ce jeton ne donne pas accès à ce document.", EN: "This token does not give access to this document."})
	if !mustPrincipal(c).MayRead(kind, id) {
		return noAccess
	}
	in, sp, _, err := s.documentInput(c, week)
	if err != nil {
		return err
	}
	if !mustPrincipal(c).MayReadIn(&in.Plan, kind, id) {
		return noAccess
	}
	doc, err := sheets.Render(in, kind, id, format)
	switch {
	case errors.Is(err, sheets.ErrNotFound), errors.Is(err, sheets.ErrFormat):
		return errKind(kindNotFound, textf("Pas de document %s %s au format %q pour la semaine %s.", "No %s %s in format %q for week %s.", kind, id, truncate(format, 20), week),
			FieldError{Field: "file", Reason: text{FR: "ce document n'existe pas dans ce plan ou ce format", EN: "this document does not exist in this plan or format"}})
	case errors.Is(err, sheets.ErrInvalid):
		return errKind(kindBadRequest, text{FR: "Option de document invalide.", EN: "Invalid document option."})
	case err != nil:
		return err
	}
	c.Header("X-Plan-Version", strconv.Itoa(sp.Version))
	sendDoc(c, doc)
	return nil
}

// sendDoc answers a rendered document as an attachment named by its file
// name.
func sendDoc(c *gin.Context, doc sheets.Doc) {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiFileName(doc.FileName), url.PathEscape(doc.FileName)))
	c.Data(http.StatusOK, doc.ContentType, doc.Body)
}

// asciiFileName keeps a file name printable in a quoted header parameter.
func asciiFileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}
