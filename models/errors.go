package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"paniers/internal/i18n"
)

// Sentinel errors of the store. Callers test them with errors.Is; the API maps
// each to one HTTP status (404, 409, 409, 422).
var (
	// ErrNotFound means the record named by the call does not exist. The store
	// never answers (nil, nil) or a zero row for a missing record.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write would duplicate an id or a unique key, or
	// reuses an idempotency key with a different request.
	ErrConflict = errors.New("conflict")
	// ErrClosed means the week no longer accepts this kind of write: its
	// cutoff has passed or its status is not open. The error is a *ClosedError
	// carrying the cutoff.
	ErrClosed = errors.New("closed")
	// ErrInvalid means the input breaks a rule; the error is a
	// *ValidationError naming each field and reason.
	ErrInvalid = errors.New("invalid")
)

// notFound wraps ErrNotFound with the kind and id of the missing record, as in
// `models: week "2026-W49": not found`.
func notFound(kind, id string) error {
	return fmt.Errorf("models: %s %q: %w", kind, id, ErrNotFound)
}

// conflict wraps ErrConflict with the kind and id of the duplicate record.
func conflict(kind, id string) error {
	return fmt.Errorf("models: %s %q: already exists: %w", kind, id, ErrConflict)
}

// ClosedError says why a week refuses a write: which week, what kind of write
// ("offers", "orders" or "meal-orders"), the cutoff that has passed (zero when
// the refusal comes from the week's status alone) and the week's status.
type ClosedError struct {
	Week   string
	Kind   string
	Cutoff time.Time
	Status string
}

func (e *ClosedError) Error() string {
	if !e.Cutoff.IsZero() {
		return fmt.Sprintf("models: week %q: %s closed at %s (status %s)", e.Week, e.Kind, e.Cutoff.Format(time.RFC3339), e.Status)
	}
	return fmt.Sprintf("models: week %q: %s closed (status %s)", e.Week, e.Kind, e.Status)
}

// Is makes errors.Is(err, ErrClosed) true for a *ClosedError.
func (e *ClosedError) Is(target error) bool { return target == ErrClosed }

// FieldError is one problem with one input field. Field is the JSON name of
// the field as the API receives it ("quantity", "dishes[2].product"); Reason
// says why, in French (the default language of user-facing text) and
// English.
type FieldError struct {
	Field  string
	Reason i18n.Text
}

// ValidationError lists every problem found in one input, so a client can fix
// them all at once. errors.Is(err, ErrInvalid) is true for it.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Reason.EN
	}
	return "models: invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true for a *ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// problems collects field errors while validating one input.
type problems []FieldError

func (p *problems) add(field, fr, en string) {
	*p = append(*p, FieldError{Field: field, Reason: i18n.Text{FR: fr, EN: en}})
}

// err returns nil when nothing was collected, else a *ValidationError.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}
