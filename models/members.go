package models

import (
	"context"
	"errors"
	"time"
)

// Members: the people who use paniers, each holding a token. The
// coordinator gives someone access by making a token and its first sign-in
// link (Invite: POST /api/v1/tokens and the members page both go through
// it); a new farm and its farmer's access are made together (CreateFarmer).

// Invitation is a new token with its first sign-in link. Clear (the token)
// and LinkClear (the link's code) are shown once and stored hashed only.
type Invitation struct {
	Token     Token
	Clear     string
	Link      SignInLink
	LinkClear string
}

// Invite makes a token for a role and scope, named name, and its first
// one-time sign-in link, in one transaction: either the person gets both,
// or nothing is stored. The scope rules are CreateToken's
// (*ValidationError naming "role", "scope" or "name").
func (s *Store) Invite(ctx context.Context, role, scope, name string) (Invitation, error) {
	var inv Invitation
	err := s.tx(ctx, func(t *Store) error {
		var err error
		if inv.Clear, inv.Token, err = t.CreateToken(ctx, role, scope, name); err != nil {
			return err
		}
		inv.LinkClear, inv.Link, err = t.CreateSignInLink(ctx, inv.Token.ID)
		return err
	})
	if err != nil {
		return Invitation{}, err
	}
	return inv, nil
}

// CreateFarmer stores a new producer (CreateProducer's rules, the same as
// POST /api/v1/producers) with its farmer's token, named person (the
// producer's name when empty), and the token's first sign-in link, in one
// transaction. The producer's and the person's problems come in one
// *ValidationError, the person's name under the field "person"; a taken
// producer id is ErrConflict.
func (s *Store) CreateFarmer(ctx context.Context, p *Producer, person string) (Invitation, error) {
	if p.Kind == "" {
		p.Kind = ProducerFarm
	}
	var probs problems
	if err := validateProducer(p); err != nil {
		var invalid *ValidationError
		if !errors.As(err, &invalid) {
			return Invitation{}, err
		}
		probs = append(probs, invalid.Problems...)
	}
	probs.text("person", person, false, 200)
	if err := probs.err(); err != nil {
		return Invitation{}, err
	}
	if person == "" {
		person = p.Name
	}
	var inv Invitation
	err := s.tx(ctx, func(t *Store) error {
		if err := t.CreateProducer(ctx, p); err != nil {
			return err
		}
		var err error
		inv, err = t.Invite(ctx, RoleFarmer, p.ID, person)
		return err
	})
	if err != nil {
		return Invitation{}, err
	}
	return inv, nil
}

// TokenUse is what is known of a token's use of the pages: the sessions it
// has open (signed-in browsers), when it last signed in, and its sign-in
// links still waiting to be opened. A bearer token's calls to the API are
// not recorded.
type TokenUse struct {
	Sessions int
	// LastSignIn is the latest session opened or link used (zero: none
	// known; a session ended by signing out is forgotten).
	LastSignIn time.Time
	// Links are unused, unexpired sign-in links; LinksExpire is when the
	// last of them expires.
	Links       int
	LinksExpire time.Time
}

// TokenUses returns each token's use, by token id; a token never used has
// no entry.
func (s *Store) TokenUses(ctx context.Context) (map[uint64]TokenUse, error) {
	now := s.now().UTC()
	var sessions []Session
	if err := s.r.WithContext(ctx).Select("token_id", "created_at").Where("expires_at > ?", now).Find(&sessions).Error; err != nil {
		return nil, dbErr(err, "session", "")
	}
	var links []SignInLink
	if err := s.r.WithContext(ctx).Select("token_id", "used_at", "expires_at").
		Where("used_at IS NOT NULL OR expires_at > ?", now).Find(&links).Error; err != nil {
		return nil, dbErr(err, "sign-in link", "")
	}
	out := map[uint64]TokenUse{}
	later := func(a, b time.Time) time.Time {
		if b.After(a) {
			return b
		}
		return a
	}
	for _, x := range sessions {
		u := out[x.TokenID]
		u.Sessions++
		u.LastSignIn = later(u.LastSignIn, x.CreatedAt)
		out[x.TokenID] = u
	}
	for _, l := range links {
		u := out[l.TokenID]
		if l.UsedAt != nil {
			u.LastSignIn = later(u.LastSignIn, *l.UsedAt)
		} else {
			u.Links++
			u.LinksExpire = later(u.LinksExpire, l.ExpiresAt)
		}
		out[l.TokenID] = u
	}
	return out, nil
}

// GetToken returns the token with this id (never its clear value), or
// ErrNotFound.
func (s *Store) GetToken(ctx context.Context, id uint64) (Token, error) {
	var tok Token
	err := s.r.WithContext(ctx).Where("id = ?", id).Take(&tok).Error
	return tok, dbErr(err, "token", "")
}
