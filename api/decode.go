package api

import (
	"bytes"
	"encoding"
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
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge(tooLarge.Limit)
		}
		return nil, errKind(kindBadRequest, text{"Le corps de la requête n'a pas pu être lu.", "The request body could not be read."},
			FieldError{"body", text{"lecture interrompue", "read interrupted"}})
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
		return &Error{Kind: kindValidation, Detail: text{"La requête contient des valeurs refusées.", "The request contains rejected values."},
			Fields: []FieldError{{Field: "id", Reason: textf("%q diffère de l'identifiant de l'adresse %q", "%q differs from the id in the path %q", truncate(**bodyID, 80), id)}}}
	}
	return nil
}

// unmarshalStrict decodes a JSON object into dst with the checks described
// at decodeJSON.
func unmarshalStrict(body []byte, dst any) error {
	invalid := func(field string, reason text) error {
		return errKind(kindInvalidJSON, text{"Le corps de la requête n'est pas un JSON accepté.", "The request body is not acceptable JSON."},
			FieldError{Field: field, Reason: reason})
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return invalid("body", text{"corps vide : un objet JSON est attendu", "empty body: a JSON object is expected"})
	}
	if !utf8.Valid(body) {
		return invalid("body", text{"le corps n'est pas de l'UTF-8 valide", "the body is not valid UTF-8"})
	}
	if trimmed[0] != '{' {
		return invalid("body", text{"un objet JSON est attendu", "a JSON object is expected"})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return invalid("body", textf("JSON mal formé à l'octet %d : %s", "malformed JSON at byte %d: %s", syn.Offset, syn.Error()))
		}
		return invalid("body", text{"JSON incomplet", "truncated JSON"})
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("body", text{"données en trop après l'objet JSON", "trailing data after the JSON object"})
	}
	if fe := checkTree(tree, reflect.TypeOf(dst).Elem(), ""); fe != nil {
		return errKind(kindInvalidJSON, text{"Le corps de la requête n'est pas un JSON accepté.", "The request body is not acceptable JSON."}, *fe)
	}
	// The tree matches dst's type: copy it into dst rather than parse the
	// body a second time. A type that decodes itself (json.Unmarshaler,
	// encoding.TextUnmarshaler) is left to encoding/json, strictly.
	if fillFromTree(reflect.ValueOf(dst).Elem(), tree) {
		return nil
	}
	// fillFromTree may have stopped half way: start again from zero, as
	// every caller passes a zero dst.
	reflect.ValueOf(dst).Elem().SetZero()
	strict := json.NewDecoder(bytes.NewReader(body))
	strict.DisallowUnknownFields()
	if err := strict.Decode(dst); err != nil {
		return invalid("body", textf("JSON refusé : %s", "JSON rejected: %s", err.Error()))
	}
	return nil
}

// Interfaces through which a type decodes itself.
var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// fillFromTree stores a JSON tree, already accepted by checkTree for v's
// type, into v as encoding/json would: null leaves pointers, slices and
// maps nil, an object fills a struct's fields by their exact JSON names or a
// map, an array makes a slice of its length. It reports false, leaving v
// to be decoded by encoding/json, when it meets a type that decodes itself
// or a kind checkTree does not accept.
func fillFromTree(v reflect.Value, tree any) bool {
	t := v.Type()
	if t.Implements(jsonUnmarshalerType) || reflect.PointerTo(t).Implements(jsonUnmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return false
	}
	if tree == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			v.SetZero()
			return true
		}
		return false
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return fillFromTree(v.Elem(), tree)
	case reflect.Struct:
		obj, ok := tree.(map[string]any)
		if !ok {
			return false
		}
		fields := jsonFields(t)
		for k, e := range obj {
			sf, ok := fields[k]
			if !ok || !fillFromTree(v.FieldByIndex(sf.Index), e) {
				return false
			}
		}
		return true
	case reflect.Map:
		obj, ok := tree.(map[string]any)
		if !ok || t.Key().Kind() != reflect.String {
			return false
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(t, len(obj)))
		}
		for k, e := range obj {
			ev := reflect.New(t.Elem()).Elem()
			if !fillFromTree(ev, e) {
				return false
			}
			v.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		return true
	case reflect.Slice, reflect.Array:
		arr, ok := tree.([]any)
		if !ok {
			return false
		}
		if t.Kind() == reflect.Slice {
			v.Set(reflect.MakeSlice(t, len(arr), len(arr)))
		} else if len(arr) != t.Len() {
			return false
		}
		for i, e := range arr {
			if !fillFromTree(v.Index(i), e) {
				return false
			}
		}
		return true
	case reflect.String:
		str, ok := tree.(string)
		if ok {
			v.SetString(str)
		}
		return ok
	case reflect.Bool:
		b, ok := tree.(bool)
		if ok {
			v.SetBool(b)
		}
		return ok
	case reflect.Float32, reflect.Float64:
		n, ok := tree.(json.Number)
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(string(n), t.Bits())
		if err != nil {
			return false
		}
		v.SetFloat(f)
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tree.(json.Number)
		if !ok {
			return false
		}
		i, err := strconv.ParseInt(string(n), 10, t.Bits())
		if err != nil {
			return false
		}
		v.SetInt(i)
		return true
	}
	return false
}

// checkJSONContentType accepts application/json with an optional UTF-8
// charset, and nothing else.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	unsupported := func(reason text) error {
		return errKind(kindUnsupportedMedia, text{"Le corps doit être envoyé en application/json.", "The body must be sent as application/json."},
			FieldError{Field: "Content-Type", Reason: reason})
	}
	if ct == "" {
		return unsupported(text{"en-tête absent", "header missing"})
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return unsupported(text{"en-tête mal formé", "malformed header"})
	}
	if mt != "application/json" {
		return unsupported(textf("%q au lieu de application/json", "%q instead of application/json", mt))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return unsupported(textf("jeu de caractères %q au lieu de utf-8", "charset %q instead of utf-8", cs))
	}
	return nil
}

// checkTree checks a decoded JSON value against a Go type, returning the
// first problem with its path. Only the kinds used by request types are
// supported: structs with json tags, pointers (null allowed), slices, arrays,
// strings, bools, floats, ints, maps with string keys.
func checkTree(v any, t reflect.Type, path string) *FieldError {
	field := path
	if field == "" {
		field = "body"
	}
	wrongType := func(want text) *FieldError {
		return &FieldError{Field: field, Reason: text{"type attendu : " + want.FR + ", reçu : " + jsonKind(v, langFR),
			"expected " + want.EN + ", got " + jsonKind(v, langEN)}}
	}
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return nil
		}
		return checkTree(v, t.Elem(), path)
	}
	if v == nil {
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
		obj, ok := v.(map[string]any)
		if !ok {
			return wrongType(text{"objet", "object"})
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			sf, ok := fields[k]
			if !ok {
				return &FieldError{Field: joinPath(path, k), Reason: text{"champ inconnu", "unknown field"}}
			}
			if fe := checkTree(obj[k], sf.Type, joinPath(path, k)); fe != nil {
				return fe
			}
		}
		return nil
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrongType(text{"objet", "object"})
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if fe := checkTree(obj[k], t.Elem(), joinPath(path, k)); fe != nil {
				return fe
			}
		}
		return nil
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return wrongType(text{"tableau", "array"})
		}
		if t.Kind() == reflect.Array && len(arr) != t.Len() {
			return &FieldError{Field: field, Reason: textf("tableau de %d éléments attendu, %d reçus",
				"expected an array of %d items, got %d", t.Len(), len(arr))}
		}
		for i, e := range arr {
			if fe := checkTree(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); fe != nil {
				return fe
			}
		}
		return nil
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrongType(text{"chaîne", "string"})
		}
		return nil
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrongType(text{"booléen", "boolean"})
		}
		return nil
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return wrongType(text{"nombre", "number"})
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return &FieldError{Field: field, Reason: textf("nombre hors limites : %s", "number out of range: %s", string(n))}
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return wrongType(text{"nombre entier", "integer"})
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
	return &FieldError{Field: field, Reason: text{"valeur non prise en charge", "unsupported value"}}
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
		return text{"objet", "object"}
	case reflect.Slice, reflect.Array:
		return text{"tableau", "array"}
	case reflect.String:
		return text{"chaîne", "string"}
	case reflect.Bool:
		return text{"booléen", "boolean"}
	case reflect.Float32, reflect.Float64:
		return text{"nombre", "number"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return text{"nombre entier", "integer"}
	}
	return text{"valeur", "value"}
}

// jsonKind names a decoded JSON value's kind.
func jsonKind(v any, lang string) string {
	var t text
	switch v.(type) {
	case nil:
		t = text{"null", "null"}
	case map[string]any:
		t = text{"objet", "object"}
	case []any:
		t = text{"tableau", "array"}
	case string:
		t = text{"chaîne", "string"}
	case bool:
		t = text{"booléen", "boolean"}
	case json.Number:
		t = text{"nombre", "number"}
	default:
		t = text{"valeur", "value"}
	}
	return t.in(lang)
}
