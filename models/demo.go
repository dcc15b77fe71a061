package models

import (
	"context"
	"errors"
)

// DemoToken is a demo access token, printed at start by `paniers serve
// --demo`. Demo tokens are deterministic, hence public: a demo only.
type DemoToken struct {
	Token string
	Role  string
	Scope string
	Name  string
}

// DemoTokens lists the demo tokens LoadDemo creates, one per role and scope
// of the demo territory.
func DemoTokens() []DemoToken { return nil }

// LoadDemo loads the demo territory when the database holds no producer, no
// site and no week; loaded says whether it did. It is safe to call at every
// start.
func (s *Store) LoadDemo(ctx context.Context) (loaded bool, err error) {
	return false, errors.New("models: demo: not loaded yet in this version")
}
