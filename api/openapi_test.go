package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The embedded document is loaded once, validated as OpenAPI 3, and used by
// every end-to-end request of the tests (env.do) to check the request, when
// the server accepted it, and the response, always.

var (
	docOnce   sync.Once
	docRouter routers.Router
	docT      *openapi3.T
	docErr    error
)

func loadDocument() (*openapi3.T, routers.Router, error) {
	docOnce.Do(func() {
		loader := openapi3.NewLoader()
		docT, docErr = loader.LoadFromData(openAPIJSON)
		if docErr != nil {
			return
		}
		if docErr = docT.Validate(context.Background()); docErr != nil {
			return
		}
		docRouter, docErr = gorillamux.NewRouter(docT)
	})
	return docT, docRouter, docErr
}

// checkAgainstDocument validates one exchange against the OpenAPI document
// and fails the test on a mismatch.
func checkAgainstDocument(t *testing.T, r *http.Request, body []byte, w *httptest.ResponseRecorder) {
	t.Helper()
	if err := validateExchange(r, body, w); err != nil {
		t.Error(err)
	}
}

// validateExchange checks one exchange: the route must be documented; a
// request the server accepted (2xx) must match its operation; every
// response must match its documented status and schema.
func validateExchange(r *http.Request, body []byte, w *httptest.ResponseRecorder) error {
	_, router, err := loadDocument()
	if err != nil {
		return fmt.Errorf("openapi.json: %v", err)
	}
	if r.Method == http.MethodHead {
		// HEAD is the GET of the same URL without a body: its status must
		// be one the GET documents.
		get := r.Clone(context.Background())
		get.Method = http.MethodGet
		route, _, err := router.FindRoute(get)
		switch {
		case err != nil && (w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed):
			return nil
		case err != nil:
			return fmt.Errorf("HEAD %s: no GET in the OpenAPI document (%v) but answered %d", r.URL, err, w.Code)
		case route.Operation.Responses.Status(w.Code) == nil && route.Operation.Responses.Default() == nil:
			return fmt.Errorf("HEAD %s: status %d not documented for GET", r.URL, w.Code)
		case w.Body.Len() != 0:
			return fmt.Errorf("HEAD %s: a body of %d bytes", r.URL, w.Body.Len())
		}
		return nil
	}
	// A fresh copy of the request, with its body, for the validator.
	vr := r.Clone(context.Background())
	vr.Body = io.NopCloser(bytes.NewReader(body))
	route, pathParams, err := router.FindRoute(vr)
	if err != nil {
		if w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed {
			return nil // an undocumented path or method, answered as such
		}
		return fmt.Errorf("%s %s: not in the OpenAPI document (%v) but answered %d", r.Method, r.URL, err, w.Code)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    vr,
		PathParams: pathParams,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	if w.Code < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("%s %s: request accepted (%d) but does not match the document: %v\nbody: %s", r.Method, r.URL, w.Code, err, body)
		}
	}
	in.Request = vr.Clone(context.Background())
	in.Request.Body = io.NopCloser(bytes.NewReader(body))
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 w.Code,
		Header:                 w.Header(),
		Body:                   io.NopCloser(bytes.NewReader(w.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s %s: response %d does not match the document: %v\nbody: %s", r.Method, r.URL, w.Code, err, w.Body.String())
	}
	return nil
}

// TestDocumentValidationCatchesMismatches shows that the check of every
// exchange can fail: answers and accepted requests that break the document
// are reported.
func TestDocumentValidationCatchesMismatches(t *testing.T) {
	exchange := func(method, path, reqBody string, status int, ct, respBody string) error {
		r := httptest.NewRequest(method, path, strings.NewReader(reqBody))
		if reqBody != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		w.WriteString(respBody)
		return validateExchange(r, []byte(reqBody), w)
	}
	good := `{"role":"cook","scope":"cantine-a","scope_kind":"canteen","token_id":"3"}`
	if err := exchange("GET", "/api/v1/me", "", 200, "application/json", good); err != nil {
		t.Fatalf("a valid exchange is refused: %v", err)
	}
	for name, err := range map[string]error{
		"wrong type in answer":       exchange("GET", "/api/v1/me", "", 200, "application/json", `{"role":5,"token_id":"3"}`),
		"undocumented field":         exchange("GET", "/api/v1/me", "", 200, "application/json", `{"role":"cook","token_id":"3","secret":1}`),
		"undocumented status":        exchange("GET", "/api/v1/me", "", 418, "application/json", good),
		"problem without title":      exchange("GET", "/api/v1/me", "", 401, "application/problem+json", `{"type":"x","status":401}`),
		"accepted bad request":       exchange("POST", "/api/v1/weeks/2026-W49/offers", `{"product":"carotte","quantity":-1,"price_cents":1}`, 201, "application/json", `{}`),
		"undocumented route answers": exchange("GET", "/api/v1/nowhere", "", 200, "application/json", `{}`),
	} {
		if err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
}

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestRoutesMatchDocument checks that every gin route is in the document and
// every documented operation is a gin route.
func TestRoutesMatchDocument(t *testing.T) {
	doc, _, err := loadDocument()
	if err != nil {
		t.Fatal(err)
	}
	srv := New(nil, Options{})
	var routes, documented []string
	for _, r := range srv.engine.Routes() {
		routes = append(routes, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("openapi.json documents %s, which is not a route", d)
		}
	}
	if len(routes) < 30 {
		t.Errorf("only %d routes", len(routes))
	}
}
