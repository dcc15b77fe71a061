package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"paniers/models"
)

// idempotencyStore is what idempotent writes need; *models.Store
// satisfies it.
type idempotencyStore interface {
	Idempotent(ctx context.Context, k models.IdemKey, write func(context.Context, models.IdemWriter) (models.IdemResponse, error)) (models.IdemResponse, bool, error)
}

var _ idempotencyStore = (*models.Store)(nil)

// weekWriter is what the week-scoped writes need from a store: the API's
// Store, or the transaction-bound models.IdemWriter that Idempotent hands
// over.
type weekWriter interface {
	PutOffer(ctx context.Context, o *models.Offer) (bool, error)
	CreateOrder(ctx context.Context, o *models.Order) error
	CreateMealOrder(ctx context.Context, m *models.MealOrder) error
}

// written is the answer of a successful write.
type written struct {
	Status   int             `json:"status"`
	Location string          `json:"location,omitempty"`
	Body     json.RawMessage `json:"body"`
}

// writeFunc performs a write on a store and returns its answer.
type writeFunc func(ctx context.Context, st weekWriter) (written, error)

// writeError wraps an error returned by a writeFunc inside Idempotent, so
// that it is told apart from the store's own idempotency conflict.
type writeFailure struct{ err error }

func (w *writeFailure) Error() string { return w.err.Error() }
func (w *writeFailure) Unwrap() error { return w.err }

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 255

// idempotentWrite runs a write, at most once per Idempotency-Key when the
// request carries one. Three things might happen with a key: it is new, and
// the write and the remembered answer commit together; it was used for the
// same request (same route, path and body) by the same token, and the first
// answer is replayed with "Idempotent-Replayed: true" and nothing written; it
// was used for another request, and the answer is a 422 naming the header.
// A refused write (a cutoff, a bad field) is not remembered, so a retry is
// judged again.
func (s *Server) idempotentWrite(c *gin.Context, route string, req any, write writeFunc) error {
	key, present := c.Request.Header["Idempotency-Key"]
	if !present {
		w, err := write(c.Request.Context(), s.store)
		if err != nil {
			return err
		}
		s.writeWritten(c, w, false)
		return nil
	}
	if len(key) != 1 || !validIdempotencyKey(key[0]) {
		return errKind(kindBadRequest, text{FR: "En-tête Idempotency-Key invalide.", EN: "Invalid Idempotency-Key header."},
			FieldError{Field: "Idempotency-Key", Reason: textf("une seule valeur de 1 à %d caractères ASCII visibles",
				"a single value of 1 to %d visible ASCII characters", maxIdempotencyKey)})
	}
	canon, err := json.Marshal(req)
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write([]byte(c.Request.URL.Path))
	h.Write([]byte{0})
	h.Write(canon)
	k := models.IdemKey{
		Key:         key[0],
		Scope:       mustPrincipal(c).TokenID,
		Route:       route,
		RequestHash: hex.EncodeToString(h.Sum(nil)),
	}
	resp, replayed, err := s.store.Idempotent(c.Request.Context(), k, func(ctx context.Context, t models.IdemWriter) (models.IdemResponse, error) {
		w, err := write(ctx, t)
		if err != nil {
			return models.IdemResponse{}, &writeFailure{err}
		}
		stored, err := json.Marshal(w)
		if err != nil {
			return models.IdemResponse{}, &writeFailure{err}
		}
		return models.IdemResponse{Status: w.Status, Body: stored}, nil
	})
	var failed *writeFailure
	switch {
	case errors.As(err, &failed):
		return failed.err
	case errors.Is(err, models.ErrConflict):
		return errKind(kindIdempotencyMismatch, text{FR: "Cette clé d'idempotence a déjà servi pour une autre requête.",
			EN: "This idempotency key was already used for another request."},
			FieldError{Field: "Idempotency-Key", Reason: text{FR: "déjà utilisée avec un autre corps ou une autre adresse",
				EN: "already used with another body or path"}})
	case err != nil:
		return err
	}
	var w written
	if err := json.Unmarshal(resp.Body, &w); err != nil {
		return err
	}
	s.writeWritten(c, w, replayed)
	return nil
}

// writeWritten sends a write's answer.
func (s *Server) writeWritten(c *gin.Context, w written, replayed bool) {
	if w.Location != "" {
		c.Header("Location", w.Location)
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Data(w.Status, "application/json", append(w.Body, '\n'))
}

// validIdempotencyKey accepts 1 to 255 visible ASCII characters.
func validIdempotencyKey(k string) bool {
	if k == "" || len(k) > maxIdempotencyKey {
		return false
	}
	return !strings.ContainsFunc(k, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

// newWritten builds a write's answer.
func newWritten(status int, location string, body any) (written, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return written{}, err
	}
	return written{Status: status, Location: location, Body: raw}, nil
}

// statusOf says 201 for a created resource, 200 for a replaced one.
func statusOf(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}
