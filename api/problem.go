package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"paniers/internal/i18n"

	"github.com/gin-gonic/gin"
)

// text is i18n.Text, paniers' one bilingual message, under the short name
// the API's many messages are written with. French is the default; English
// is chosen by Accept-Language or ?lang=en.
type text = i18n.Text

// textf formats both languages of a message with the same arguments.
func textf(fr, en string, args ...any) text { return i18n.Textf(fr, en, args...) }

// Problem kinds. Each maps to one HTTP status and one title in problemKinds;
// the kind is also the last segment of the problem's type URI.
const (
	kindBadRequest          = "bad-request"
	kindInvalidJSON         = "invalid-json"
	kindValidation          = "validation"
	kindUnauthorized        = "unauthorized"
	kindForbidden           = "forbidden"
	kindNotFound            = "not-found"
	kindMethodNotAllowed    = "method-not-allowed"
	kindConflict            = "conflict"
	kindCutoffPassed        = "cutoff-passed"
	kindWeekClosed          = "week-closed"
	kindIdempotencyMismatch = "idempotency-key-reused"
	kindInsufficientFunds   = "insufficient-funds"
	kindTooLarge            = "body-too-large"
	kindUnsupportedMedia    = "unsupported-media-type"
	kindTooManyRequests     = "too-many-requests"
	kindUnavailable         = "unavailable"
	kindInternal            = "internal"
)

// problemTypeBase prefixes every problem type: a URN, since the kinds are
// documented in the OpenAPI document rather than at a web address.
const problemTypeBase = "urn:paniers:problem:"

// problemKinds is the one table from problem kind to HTTP status and title.
var problemKinds = map[string]struct {
	status int
	title  text
}{
	kindBadRequest:          {http.StatusBadRequest, text{FR: "Requête invalide", EN: "Bad request"}},
	kindInvalidJSON:         {http.StatusBadRequest, text{FR: "Corps JSON invalide", EN: "Invalid JSON body"}},
	kindValidation:          {http.StatusUnprocessableEntity, text{FR: "Données invalides", EN: "Invalid data"}},
	kindUnauthorized:        {http.StatusUnauthorized, text{FR: "Authentification requise", EN: "Authentication required"}},
	kindForbidden:           {http.StatusForbidden, text{FR: "Accès refusé", EN: "Forbidden"}},
	kindNotFound:            {http.StatusNotFound, text{FR: "Ressource introuvable", EN: "Not found"}},
	kindMethodNotAllowed:    {http.StatusMethodNotAllowed, text{FR: "Méthode non autorisée", EN: "Method not allowed"}},
	kindConflict:            {http.StatusConflict, text{FR: "Conflit", EN: "Conflict"}},
	kindCutoffPassed:        {http.StatusConflict, text{FR: "Date limite dépassée", EN: "Cutoff passed"}},
	kindWeekClosed:          {http.StatusConflict, text{FR: "Semaine fermée", EN: "Week closed"}},
	kindIdempotencyMismatch: {http.StatusUnprocessableEntity, text{FR: "Clé d'idempotence déjà utilisée", EN: "Idempotency key already used"}},
	kindInsufficientFunds:   {http.StatusConflict, text{FR: "Solde insuffisant", EN: "Insufficient funds"}},
	kindTooLarge:            {http.StatusRequestEntityTooLarge, text{FR: "Corps de requête trop volumineux", EN: "Request body too large"}},
	kindUnsupportedMedia:    {http.StatusUnsupportedMediaType, text{FR: "Type de contenu non pris en charge", EN: "Unsupported media type"}},
	kindTooManyRequests:     {http.StatusTooManyRequests, text{FR: "Trop de tentatives", EN: "Too many requests"}},
	kindUnavailable:         {http.StatusServiceUnavailable, text{FR: "Service indisponible", EN: "Service unavailable"}},
	kindInternal:            {http.StatusInternalServerError, text{FR: "Erreur interne", EN: "Internal error"}},
}

// Error is an error the API shows to its caller: a problem kind, a detail and
// the offending fields. Handlers return it; writeError renders it. Any other
// error reaching writeError is either a known store error (not found,
// conflict) or unexpected, and then the caller only learns "erreur interne".
type Error struct {
	Kind   string
	Detail text
	Fields []FieldError
	// Extra holds additional problem members, such as the cutoff time of a
	// refused offer; keys must not collide with the RFC 9457 members.
	Extra map[string]any
	// Header holds response headers that go with the problem (Retry-After,
	// WWW-Authenticate).
	Header map[string]string
}

// FieldError names one offending field (a JSON path such as "quantity" or
// "contents[1].kg", a path parameter such as "week", a query parameter or a
// header) and why it was refused.
type FieldError struct {
	Field  string
	Reason text
}

// Error implements error; the message is the English detail, for logs.
func (e *Error) Error() string {
	msg := "api: " + e.Kind
	if e.Detail.EN != "" {
		msg += ": " + e.Detail.EN
	}
	for _, f := range e.Fields {
		msg += "; " + f.Field + ": " + f.Reason.EN
	}
	return msg
}

// Status is the HTTP status of the error's kind.
func (e *Error) Status() int {
	if k, ok := problemKinds[e.Kind]; ok {
		return k.status
	}
	return http.StatusInternalServerError
}

// errKind builds an *Error of a kind with a detail.
func errKind(kind string, detail text, fields ...FieldError) *Error {
	return &Error{Kind: kind, Detail: detail, Fields: fields}
}

var errForbidden = &Error{
	Kind:   kindForbidden,
	Detail: text{FR: "Ce jeton ne donne pas accès à cette ressource.", EN: "This token does not give access to this resource."},
}

// forbidden is errForbidden with a more precise detail.
func forbidden(detail text) *Error {
	return &Error{Kind: kindForbidden, Detail: detail}
}

// problemField is one entry of a problem's "errors" array.
type problemField struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// problem is the RFC 9457 body.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []problemField `json:"errors,omitempty"`
}

// writeError renders err as application/problem+json and aborts the request.
// Three things might happen: err is (or wraps) an *Error and is shown as it
// is; err is a known store error and is translated; anything else is logged
// with the request and answered as a bare 500 "erreur interne".
func (s *Server) writeError(c *gin.Context, err error) {
	var apiErr *Error
	switch {
	case errors.As(err, &apiErr):
	case s.storeError(err) != nil:
		apiErr = s.storeError(err)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		// The client went away or the request took too long: nobody reads
		// the answer, but the log says so.
		s.log.WarnContext(c.Request.Context(), "api: request ended before completion",
			"method", c.Request.Method, "route", c.FullPath(), "err", err)
		apiErr = errKind(kindUnavailable, text{FR: "La requête a été interrompue.", EN: "The request was interrupted."})
	default:
		s.log.ErrorContext(c.Request.Context(), "api: internal error",
			"method", c.Request.Method, "route", c.FullPath(), "request_id", requestID(c), "err", err)
		apiErr = &Error{Kind: kindInternal}
	}
	s.renderProblem(c, apiErr)
}

// maxProblemFields is the most field errors an answer lists.
const maxProblemFields = 20

// renderProblem writes an *Error's problem body in the request's language,
// listing at most maxProblemFields field errors.
func (s *Server) renderProblem(c *gin.Context, e *Error) {
	lang := language(c)
	kind, ok := problemKinds[e.Kind]
	if !ok {
		kind = problemKinds[kindInternal]
	}
	p := problem{
		Type:     problemTypeBase + e.Kind,
		Title:    kind.title.In(lang),
		Status:   kind.status,
		Detail:   e.Detail.In(lang),
		Instance: c.Request.URL.Path,
	}
	for i, f := range e.Fields {
		if i == maxProblemFields {
			// A body with thousands of bad entries must not get an answer
			// of hundreds of kilobytes: the first ones say enough.
			p.Errors = append(p.Errors, problemField{Field: "body", Reason: textf("et %d autres problèmes", "and %d more problems", len(e.Fields)-i).In(lang)})
			break
		}
		p.Errors = append(p.Errors, problemField{Field: f.Field, Reason: f.Reason.In(lang)})
	}
	for k, v := range e.Header {
		c.Header(k, v)
	}
	c.Header("Content-Language", lang)
	writeJSON(c, kind.status, "application/problem+json", problemWithExtra{p, e.Extra})
	c.Abort()
}

// problemWithExtra encodes a problem followed by its extension members
// (sorted by name), keeping the RFC 9457 members first for a human reader.
type problemWithExtra struct {
	problem
	extra map[string]any
}

func (p problemWithExtra) MarshalJSON() ([]byte, error) {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p.problem); err != nil {
		return nil, err
	}
	base := bytes.TrimSpace(out.Bytes())
	if len(p.extra) == 0 {
		return base, nil
	}
	keys := make([]string, 0, len(p.extra))
	for k := range p.extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf := bytes.NewBuffer(base[:len(base)-1])
	for _, k := range keys {
		name, _ := json.Marshal(k)
		val, err := json.Marshal(p.extra[k])
		if err != nil {
			return nil, err
		}
		buf.WriteByte(',')
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(val)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
