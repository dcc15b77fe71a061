package api

import (
	"bytes"

	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// decodeJSON reads the request body strictly into dst, a pointer to a
// request struct. It refuses, each with a 4xx *Error naming the field: a
// content type other than application/json (415), a body over the size
// limit (413), an empty, malformed or non-object body, trailing data, unknown
// fields, and values of the wrong JSON type, non-finite or out of the Go
// type's range (400). Range and reference checks are the handler's.
//
// The body is first walked as a generic JSON tree against dst's type so that
// every problem is reported with its full path ("contents[1].kg"), which
// encoding/json does not give for unknown fields.
func decodeJSON(c *gin.Context, dst any) ([]byte, error) {
	if err := checkJSONContentType(c.Request); err != nil {
		return nil, err
	}
	if err := checkContentEncoding(c.Request); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge(tooLarge.Limit)
		}
		return nil, errKind(kindBadRequest, text{FR: "Le corps de la requête n'a pas pu être lu.", EN: "The request body could not be read."},
			FieldError{"body", text{FR: "lecture interrompue", EN: "read interrupted"}})
	}
	return body, unmarshalStrict(body, dst)
}

// decodePut decodes the body of a PUT on the resource named by the path
// parameter param: the body's id may be left out, and must otherwise be the
// path's (a PUT does not rename).
func decodePut(c *gin.Context, param string, dst any, bodyID **string) error {
	id, err := idParam(c, param)
	if err != nil {
		return err
	}
	if _, err := decodeJSON(c, dst); err != nil {
		return err
	}
	if *bodyID == nil {
		*bodyID = &id
	} else if **bodyID != id {
		return &Error{Kind: kindValidation, Detail: text{FR: "La requête contient des valeurs refusées.", EN: "The request contains rejected values."},
			Fields: []FieldError{{Field: "id", Reason: textf("%q diffère de l'identifiant de l'adresse %q", "%q differs from the id in the path %q", truncate(**bodyID, 80), id)}}}
	}
	return nil
}

// unmarshalStrict decodes a JSON object into dst with the checks described
// at decodeJSON.
//
// It reads the body three times, each pass small beside a request's
// database work: encoding/json checks the syntax (so a malformed body gets
// encoding/json's own message and offset), a walk of the tokens against
// dst's type names the first bad field with its full path, which
// encoding/json does not give for unknown fields, and encoding/json's strict
// decoder fills dst.
func unmarshalStrict(body []byte, dst any) error {
	invalid := func(field string, reason text) error {
		return errKind(kindInvalidJSON, text{FR: "Le corps de la requête n'est pas un JSON accepté.", EN: "The request body is not acceptable JSON."},
			FieldError{Field: field, Reason: reason})
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return invalid("body", text{FR: "corps vide : un objet JSON est attendu", EN: "empty body: a JSON object is expected"})
	}
	if !utf8.Valid(body) {
		return invalid("body", text{FR: "le corps n'est pas de l'UTF-8 valide", EN: "the body is not valid UTF-8"})
	}
	if trimmed[0] != '{' {
		return invalid("body", text{FR: "un objet JSON est attendu", EN: "a JSON object is expected"})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return invalid("body", textf("JSON mal formé à l'octet %d : %s", "malformed JSON at byte %d: %s", syn.Offset, syn.Error()))
		}
		return invalid("body", text{FR: "JSON incomplet", EN: "truncated JSON"})
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("body", text{FR: "données en trop après l'objet JSON", EN: "trailing data after the JSON object"})
	}
	w := tokenWalker{dec: json.NewDecoder(bytes.NewReader(raw))}
	w.dec.UseNumber()
	if fe := w.value(reflect.TypeOf(dst).Elem(), ""); fe != nil {
		return errKind(kindInvalidJSON, text{FR: "Le corps de la requête n'est pas un JSON accepté.", EN: "The request body is not acceptable JSON."}, *fe)
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(dst); err != nil {
		// Only a type that decodes itself (time.Time, say), which the walk
		// sees by its kind alone, or a number beyond a float32 gets here.
		// dst may be half filled: callers get it back as they gave it, zero.
		reflect.ValueOf(dst).Elem().SetZero()
		return invalid("body", textf("JSON refusé : %s", "JSON rejected: %s", err.Error()))
	}
	return nil
}

// checkJSONContentType accepts application/json with an optional UTF-8
// charset, and nothing else.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	unsupported := func(reason text) error {
		return errKind(kindUnsupportedMedia, text{FR: "Le corps doit être envoyé en application/json.", EN: "The body must be sent as application/json."},
			FieldError{Field: "Content-Type", Reason: reason})
	}
	if ct == "" {
		return unsupported(text{FR: "en-tête absent", EN: "header missing"})
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return unsupported(text{FR: "en-tête mal formé", EN: "malformed header"})
	}
	if mt != "application/json" {
		return unsupported(textf("%q au lieu de application/json", "%q instead of application/json", mt))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return unsupported(textf("jeu de caractères %q au lieu de utf-8", "charset %q instead of utf-8", cs))
	}
	return nil
}

// checkContentEncoding refuses an encoded body (gzip, deflate...), which
// would otherwise be read as if it were plain JSON; "identity" is no
// encoding. Decoding it instead would have to bound the size after
// decoding, for a gain no client of this API needs.
func checkContentEncoding(r *http.Request) error {
	for _, v := range r.Header.Values("Content-Encoding") {
		for _, enc := range strings.Split(v, ",") {
			if enc = strings.TrimSpace(enc); enc != "" && !strings.EqualFold(enc, "identity") {
				return errKind(kindUnsupportedMedia, text{FR: "Le corps doit être envoyé sans encodage (pas de Content-Encoding).", EN: "The body must be sent unencoded (no Content-Encoding)."},
					FieldError{Field: "Content-Encoding", Reason: textf("encodage %q non accepté", "encoding %q not accepted", truncate(enc, 40))})
			}
		}
	}
	return nil
}

// tokenWalker checks a JSON value, already known to be well formed, against
// a Go type, reading it token by token. Only the kinds used by request types
// are supported: structs with json tags, pointers (null allowed), slices,
// arrays, strings, bools, floats, ints, maps with string keys.
type tokenWalker struct {
	dec *json.Decoder
}

// defaultMaxItems bounds an array of a request body whose field has no
// maxItems tag. A field's `maxItems:"N"` tag sets its own bound, which the
// OpenAPI document states.
const defaultMaxItems = 100

// value reads the next value whole and returns its first problem against t,
// with its path, or nil. The problem reported does not depend on the order
// of an object's members: it is the first in the order of their keys.
func (w *tokenWalker) value(t reflect.Type, path string) *FieldError {
	return w.valueMax(t, path, 0)
}

// valueMax is value for a value that, when an array, holds at most maxItems
// items (0: defaultMaxItems).
func (w *tokenWalker) valueMax(t reflect.Type, path string, maxItems int) *FieldError {
	tok, err := w.dec.Token()
	if err != nil {
		return &FieldError{Field: fieldName(path), Reason: text{FR: "JSON incomplet", EN: "truncated JSON"}}
	}
	if maxItems <= 0 {
		maxItems = defaultMaxItems
	}
	return w.check(tok, t, path, maxItems)
}

// check is valueMax once the value's first token is read.
func (w *tokenWalker) check(tok json.Token, t reflect.Type, path string, maxItems int) *FieldError {
	field := fieldName(path)
	wrongType := func(want text) *FieldError {
		w.skip(tok)
		return &FieldError{Field: field, Reason: text{FR: "type attendu : " + want.FR + ", reçu : " + jsonKind(tok, langFR),
			EN: "expected " + want.EN + ", got " + jsonKind(tok, langEN)}}
	}
	if t.Kind() == reflect.Pointer {
		if tok == nil {
			return nil
		}
		return w.check(tok, t.Elem(), path, maxItems)
	}
	if tok == nil {
		// A null for a non-pointer field is allowed where the zero value
		// means "absent" (slices, maps); elsewhere it is a type error.
		switch t.Kind() {
		case reflect.Slice, reflect.Map:
			return nil
		}
		return wrongType(typeName(t))
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return wrongType(text{FR: "objet", EN: "object"})
		}
		fields := jsonFields(t)
		return w.members(path, func(k string) (reflect.Type, int, bool) {
			sf, ok := fields[k]
			if !ok {
				return nil, 0, false
			}
			n, _ := strconv.Atoi(sf.Tag.Get("maxItems"))
			return sf.Type, n, true
		})
	case reflect.Map:
		if tok != json.Delim('{') {
			return wrongType(text{FR: "objet", EN: "object"})
		}
		return w.members(path, func(string) (reflect.Type, int, bool) { return t.Elem(), 0, true })
	case reflect.Slice, reflect.Array:
		if tok != json.Delim('[') {
			return wrongType(text{FR: "tableau", EN: "array"})
		}
		var first *FieldError
		n := 0
		for w.dec.More() {
			if n == maxItems {
				// Refused whole, in one short answer, whatever its length.
				w.skip(json.Delim('['))
				return &FieldError{Field: field, Reason: textf("%d éléments au plus", "at most %d items", maxItems)}
			}
			if fe := w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, n)); first == nil {
				first = fe
			}
			n++
		}
		w.dec.Token() // ]
		if t.Kind() == reflect.Array && n != t.Len() {
			return &FieldError{Field: field, Reason: textf("tableau de %d éléments attendu, %d reçus",
				"expected an array of %d items, got %d", t.Len(), n)}
		}
		return first
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return wrongType(text{FR: "chaîne", EN: "string"})
		}
		return nil
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return wrongType(text{FR: "booléen", EN: "boolean"})
		}
		return nil
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return wrongType(text{FR: "nombre", EN: "number"})
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return &FieldError{Field: field, Reason: textf("nombre hors limites : %s", "number out of range: %s", string(n))}
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return wrongType(text{FR: "nombre entier", EN: "integer"})
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			// Accept integral values written as 24.0 or 2.4e1, as JSON
			// does not tell integers apart.
			f, ferr := strconv.ParseFloat(string(n), 64)
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				return &FieldError{Field: field, Reason: textf("nombre entier attendu, reçu %s", "expected an integer, got %s", string(n))}
			}
			return &FieldError{Field: field, Reason: textf("écrire l'entier sans décimales : %s", "write the integer without decimals: %s", string(n))}
		}
		return nil
	}
	w.skip(tok)
	return &FieldError{Field: field, Reason: text{FR: "valeur non prise en charge", EN: "unsupported value"}}
}

// members reads an object's members once its '{' is read. typeOf gives the
// type of a member by its key and the most items it may hold when it is an
// array (0: defaultMaxItems), false for an unknown key. Of the members with a
// problem, the one whose key sorts first is reported; a key sent twice is a
// problem.
func (w *tokenWalker) members(path string, typeOf func(key string) (reflect.Type, int, bool)) *FieldError {
	var problems map[string]*FieldError
	var seen []string // objects have few keys: a slice beats a map
	for w.dec.More() {
		tok, _ := w.dec.Token()
		key, _ := tok.(string)
		var fe *FieldError
		if slices.Contains(seen, key) {
			// Two parsers must never read one body two ways (I-JSON,
			// RFC 7493): a key sent twice is refused, not last-one-wins.
			w.skipValue()
			fe = &FieldError{Field: joinPath(path, key), Reason: text{FR: "clé en double dans l'objet", EN: "duplicate key in the object"}}
		} else if t, maxItems, ok := typeOf(key); ok {
			seen = append(seen, key)
			fe = w.valueMax(t, joinPath(path, key), maxItems)
		} else {
			seen = append(seen, key)
			w.skipValue()
			fe = &FieldError{Field: joinPath(path, key), Reason: text{FR: "champ inconnu", EN: "unknown field"}}
		}
		if fe != nil {
			if problems == nil {
				problems = map[string]*FieldError{}
			}
			if problems[key] == nil {
				problems[key] = fe
			}
		}
	}
	w.dec.Token() // }
	var first *FieldError
	firstKey := ""
	for k, fe := range problems {
		if fe != nil && (first == nil || k < firstKey) {
			first, firstKey = fe, k
		}
	}
	return first
}

// skipValue reads the next value whole.
func (w *tokenWalker) skipValue() {
	if tok, err := w.dec.Token(); err == nil {
		w.skip(tok)
	}
}

// skip reads the rest of a value whose first token is tok.
func (w *tokenWalker) skip(tok json.Token) {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return
	}
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// fieldName is the field a problem at path is reported on: "body" for the
// whole body.
func fieldName(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// jsonFieldsCache holds jsonFields' answer per struct type: request types
// are few and fixed, and each request would otherwise build the maps again.
var jsonFieldsCache sync.Map // reflect.Type -> map[string]reflect.StructField

// jsonFields maps the JSON names of a struct's fields (tags, or Go names
// when untagged; embedded structs flattened) to the fields. The map is
// shared: callers only read it.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	if m, ok := jsonFieldsCache.Load(t); ok {
		return m.(map[string]reflect.StructField)
	}
	m, _ := jsonFieldsCache.LoadOrStore(t, buildJSONFields(t))
	return m.(map[string]reflect.StructField)
}

// buildJSONFields computes jsonFields.
func buildJSONFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range buildJSONFields(f.Type) {
				// Index leads from t to the promoted field.
				v.Index = append([]int{i}, v.Index...)
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// joinPath appends a key to a JSON path.
func joinPath(path, key string) string {
	// A key is echoed in error answers: an empty one is shown as "" so the
	// answer still names it, a huge one is cut.
	if key == "" {
		key = `""`
	}
	key = truncate(key, 80)
	if path == "" {
		return key
	}
	return path + "." + key
}

// typeName names a Go type's JSON kind for an error reason.
func typeName(t reflect.Type) text {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return text{FR: "objet", EN: "object"}
	case reflect.Slice, reflect.Array:
		return text{FR: "tableau", EN: "array"}
	case reflect.String:
		return text{FR: "chaîne", EN: "string"}
	case reflect.Bool:
		return text{FR: "booléen", EN: "boolean"}
	case reflect.Float32, reflect.Float64:
		return text{FR: "nombre", EN: "number"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return text{FR: "nombre entier", EN: "integer"}
	}
	return text{FR: "valeur", EN: "value"}
}

// jsonKind names the kind of the JSON value that begins with tok.
func jsonKind(tok json.Token, lang string) string {
	var t text
	switch tok {
	case json.Delim('{'):
		t = text{FR: "objet", EN: "object"}
	case json.Delim('['):
		t = text{FR: "tableau", EN: "array"}
	}
	if t.EN != "" {
		return t.In(lang)
	}
	switch tok.(type) {
	case nil:
		t = text{FR: "null", EN: "null"}
	case string:
		t = text{FR: "chaîne", EN: "string"}
	case bool:
		t = text{FR: "booléen", EN: "boolean"}
	case json.Number:
		t = text{FR: "nombre", EN: "number"}
	default:
		t = text{FR: "valeur", EN: "value"}
	}
	return t.In(lang)
}
