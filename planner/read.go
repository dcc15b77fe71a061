package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"paniers/internal/i18n"
)

// maxScenarioBytes bounds what ReadScenario reads, so that a hostile input
// cannot exhaust memory (a regional week is a few megabytes).
const maxScenarioBytes = 64 << 20

// ReadScenario decodes a scenario from JSON and validates it. Unknown fields
// are allowed (the contract lets both sides add fields). Three things can
// happen: the JSON is malformed (an error naming the place); the scenario is
// invalid (a *ValidationError listing every problem); or it is returned.
func ReadScenario(r io.Reader) (Scenario, error) {
	var s Scenario
	lr := &io.LimitedReader{R: r, N: maxScenarioBytes + 1}
	dec := json.NewDecoder(lr)
	if err := dec.Decode(&s); err != nil {
		return Scenario{}, jsonError(err, lr)
	}
	if _, err := dec.Token(); err != io.EOF {
		if lr.N <= 0 {
			return Scenario{}, fmt.Errorf("planner: scenario: larger than %d bytes", maxScenarioBytes)
		}
		return Scenario{}, errors.New("planner: scenario: unexpected data after the JSON object")
	}
	if err := Validate(s); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

// jsonError names where a JSON document went wrong.
func jsonError(err error, lr *io.LimitedReader) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case lr.N <= 0:
		return fmt.Errorf("planner: scenario: larger than %d bytes", maxScenarioBytes)
	case errors.As(err, &syn):
		return fmt.Errorf("planner: scenario: malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		return &ValidationError{Problems: []Problem{{
			Field:  field,
			Reason: i18n.Textf("attendu %s, reçu %s en JSON", "expected %s, got JSON %s", typ.Type, typ.Value),
		}}}
	case errors.Is(err, io.EOF):
		return errors.New("planner: scenario: empty input")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("planner: scenario: truncated JSON")
	default:
		return fmt.Errorf("planner: scenario: %v", err)
	}
}
