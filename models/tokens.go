package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"paniers/planner"
)

// TokenPrefix starts every generated token, so a leaked one is easy to spot
// in logs and by secret scanners.
const TokenPrefix = "pn_"

// HashToken returns the stored form of a clear token: the hex SHA-256. A
// token has 256 random bits, so a fast hash is enough: there is nothing to
// brute-force.
func HashToken(clear string) string {
	sum := sha256.Sum256([]byte(clear))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new access token for a role and scope and returns the
// clear token, which is not stored and cannot be shown again. The scope must
// name a producer for a farmer, a relay point for a relay manager, a canteen
// for a cook, and be empty for a coordinator (*ValidationError otherwise).
func (s *Store) CreateToken(ctx context.Context, role, scope, name string) (clear string, tok Token, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", Token{}, fmt.Errorf("models: token: %w", err)
	}
	clear = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	tok, err = s.EnsureToken(ctx, clear, role, scope, name)
	return clear, tok, err
}

// EnsureToken makes sure the clear token exists with this role and scope:
// PANIERS_ADMIN_TOKEN and the demo tokens go through it at start. An existing
// token with the same value is returned unchanged when its role and scope
// match, and is ErrConflict otherwise. Tokens shorter than 8 characters are
// refused.
func (s *Store) EnsureToken(ctx context.Context, clear, role, scope, name string) (Token, error) {
	var p problems
	if len(clear) < 8 || len(clear) > 200 {
		p.add("token", "entre 8 et 200 caractères", "between 8 and 200 characters")
	}
	p.text("name", name, false, 200)
	var tok Token
	err := s.tx(ctx, func(t *Store) error {
		// The scope's problems are told with the name's, so a form shows
		// them all at once.
		if err := t.checkScope(ctx, role, scope); err != nil {
			var invalid *ValidationError
			if !errors.As(err, &invalid) {
				return err
			}
			p = append(p, invalid.Problems...)
		}
		if err := p.err(); err != nil {
			return err
		}
		hash := HashToken(clear)
		err := t.w.Where("hash = ?", hash).Take(&tok).Error
		switch {
		case err == nil:
			if tok.Role != role || tok.Scope != scope {
				return fmt.Errorf("models: token %d: exists with role %s: %w", tok.ID, tok.Role, ErrConflict)
			}
			return nil
		case !isNotFoundDB(err):
			return dbErr(err, "token", "")
		}
		tok = Token{Hash: hash, Role: role, Scope: scope, Name: name}
		return dbErr(t.w.Create(&tok).Error, "token", name)
	})
	return tok, err
}

// checkScope validates a role and its scope against the database.
func (s *Store) checkScope(ctx context.Context, role, scope string) error {
	var p problems
	switch role {
	case RoleCoordinator:
		if scope != "" {
			p.add("scope", "un coordinateur n'a pas de périmètre", "a coordinator has no scope")
		}
	case RoleFarmer, RoleRelay, RoleCook:
		if scope == "" {
			p.add("scope", "obligatoire pour ce rôle : l'identifiant du producteur, du point relais ou de la cantine",
				"required for this role: the producer, relay point or canteen id")
			break
		}
		return s.checkScopeRef(ctx, role, scope)
	case RoleDriver:
		// No scope: every vehicle's round sheets.
		if scope == "" {
			break
		}
		if ok, err := exists[Vehicle](ctx, s.w, scope); err != nil {
			return err
		} else if !ok {
			p = append(p, unknownRef("scope", "véhicule inconnu", "unknown vehicle"))
		}
	default:
		p.add("role", "doit être coordinator, farmer, relay, cook ou driver", "must be coordinator, farmer, relay, cook or driver")
	}
	return p.err()
}

// checkScopeRef checks that a farmer's, relay manager's or cook's scope
// names a producer, relay point or canteen.
func (s *Store) checkScopeRef(ctx context.Context, role, scope string) error {
	var p problems
	switch role {
	case RoleFarmer:
		if ok, err := exists[Producer](ctx, s.w, scope); err != nil {
			return err
		} else if !ok {
			p = append(p, unknownRef("scope", "producteur inconnu", "unknown producer"))
		}
	case RoleRelay:
		if err := s.checkSite(ctx, &p, "scope", scope, planner.KindRelay); err != nil {
			return err
		}
	case RoleCook:
		if err := s.checkSite(ctx, &p, "scope", scope, planner.KindCanteen); err != nil {
			return err
		}
	}
	return p.err()
}

// LookupToken returns the token whose clear value is clear, or ErrNotFound.
// The lookup is by hash through a unique index: no clear token is compared,
// so the time it takes says nothing about the token.
func (s *Store) LookupToken(ctx context.Context, clear string) (Token, error) {
	var tok Token
	err := s.r.WithContext(ctx).Where("hash = ?", HashToken(clear)).Take(&tok).Error
	return tok, dbErr(err, "token", "")
}

// ListTokens returns a page of tokens (never their clear value), ordered by id.
func (s *Store) ListTokens(ctx context.Context, page Page) ([]Token, error) {
	return list[Token](ctx, s, page, "id")
}

// DeleteToken revokes a token, and with it its sessions and sign-in links;
// ErrNotFound when there is none with this id.
func (s *Store) DeleteToken(ctx context.Context, id uint64) error {
	return s.tx(ctx, func(t *Store) error {
		if err := t.deleteTokenSessions(id); err != nil {
			return err
		}
		res := t.w.Delete(&Token{}, id)
		if res.Error != nil {
			return dbErr(res.Error, "token", fmt.Sprint(id))
		}
		if res.RowsAffected == 0 {
			return notFound("token", fmt.Sprint(id))
		}
		return nil
	})
}
