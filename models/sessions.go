package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Sign-in links and sessions let a person use the pages without handling
// a bearer token: the coordinator hands out a one-time link; opening it
// starts a browser session tied to the person's token. Both are stored by
// the SHA-256 of their clear value only, like tokens, and both go with
// their token: revoking the token ends its sessions and voids its links.

// Lifetimes of sign-in links and sessions.
const (
	SignInLinkTTL = 7 * 24 * time.Hour
	SessionTTL    = 90 * 24 * time.Hour
)

// Prefixes of the clear values, so a leaked one is easy to recognise.
const (
	SignInPrefix  = "pl_"
	SessionPrefix = "ps_"
)

// SignInLink is a one-time link that opens a session for a token. UsedAt
// is set when the link is redeemed; a used or expired link opens nothing.
type SignInLink struct {
	ID        uint64 `gorm:"primaryKey;autoIncrement"`
	Hash      string `gorm:"size:64;not null;uniqueIndex"`
	TokenID   uint64 `gorm:"not null;index"`
	Token     *Token `gorm:"foreignKey:TokenID;constraint:OnDelete:CASCADE"`
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// Session is a signed-in browser: the cookie holds the clear value, the
// database its hash. It acts as its token until ExpiresAt.
type Session struct {
	ID        uint64 `gorm:"primaryKey;autoIncrement"`
	Hash      string `gorm:"size:64;not null;uniqueIndex"`
	TokenID   uint64 `gorm:"not null;index"`
	Token     *Token `gorm:"foreignKey:TokenID;constraint:OnDelete:CASCADE"`
	ExpiresAt time.Time
	CreatedAt time.Time
}

// randomSecret returns prefix followed by 256 random bits in URL-safe
// base64: nothing to guess, and safe in a path or a cookie.
func randomSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("models: secret: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateSignInLink makes a fresh one-time sign-in link for the token with
// this id, valid SignInLinkTTL, and returns its clear value (shown once,
// not stored) with the link. ErrNotFound when there is no such token.
func (s *Store) CreateSignInLink(ctx context.Context, tokenID uint64) (string, SignInLink, error) {
	clear, err := randomSecret(SignInPrefix)
	if err != nil {
		return "", SignInLink{}, err
	}
	now := s.now().UTC()
	l := SignInLink{Hash: HashToken(clear), TokenID: tokenID, ExpiresAt: now.Add(SignInLinkTTL), CreatedAt: now}
	err = s.tx(ctx, func(t *Store) error {
		var tok Token
		if err := t.w.Where("id = ?", tokenID).Take(&tok).Error; err != nil {
			return dbErr(err, "token", fmt.Sprint(tokenID))
		}
		return dbErr(t.w.Omit(clause.Associations).Create(&l).Error, "sign-in link", "")
	})
	if err != nil {
		return "", SignInLink{}, err
	}
	return clear, l, nil
}

// PeekSignInLink returns the token a sign-in link would open a session
// for, without using the link: ErrNotFound when the link is unknown, used
// or expired (the three look alike to the caller on purpose).
func (s *Store) PeekSignInLink(ctx context.Context, clear string) (Token, error) {
	var l SignInLink
	err := s.r.WithContext(ctx).Preload("Token").
		Where("hash = ? AND used_at IS NULL AND expires_at > ?", HashToken(clear), s.now().UTC()).Take(&l).Error
	if err != nil {
		return Token{}, dbErr(err, "sign-in link", "")
	}
	if l.Token == nil {
		return Token{}, notFound("sign-in link", "")
	}
	return *l.Token, nil
}

// RedeemSignInLink uses a sign-in link once: it marks the link used and
// opens a session for its token, returning the session's clear value (for
// the cookie), the session and the token. Two redemptions racing on one
// link open one session; the other gets ErrNotFound, as does an unknown,
// used or expired link.
func (s *Store) RedeemSignInLink(ctx context.Context, clear string) (string, Session, Token, error) {
	var (
		secret string
		sess   Session
		tok    Token
	)
	err := s.tx(ctx, func(t *Store) error {
		now := t.now().UTC()
		var l SignInLink
		if err := t.w.Where("hash = ? AND used_at IS NULL AND expires_at > ?", HashToken(clear), now).Take(&l).Error; err != nil {
			return dbErr(err, "sign-in link", "")
		}
		// The guarded update is what makes the link one-time: of two
		// transactions reading it unused, one updates a row.
		res := t.w.Model(&SignInLink{}).Where("id = ? AND used_at IS NULL", l.ID).Update("used_at", now)
		if res.Error != nil {
			return dbErr(res.Error, "sign-in link", "")
		}
		if res.RowsAffected == 0 {
			return notFound("sign-in link", "")
		}
		var err error
		secret, sess, tok, err = t.openSession(ctx, l.TokenID)
		return err
	})
	return secret, sess, tok, err
}

// CreateSession opens a session for a token directly: the sign-in page's
// pasted token goes through it once the token has been looked up.
func (s *Store) CreateSession(ctx context.Context, tokenID uint64) (string, Session, error) {
	var (
		secret string
		sess   Session
	)
	err := s.tx(ctx, func(t *Store) error {
		var err error
		secret, sess, _, err = t.openSession(ctx, tokenID)
		return err
	})
	return secret, sess, err
}

// openSession inserts a session for a token inside a transaction.
func (s *Store) openSession(ctx context.Context, tokenID uint64) (string, Session, Token, error) {
	var tok Token
	if err := s.w.WithContext(ctx).Where("id = ?", tokenID).Take(&tok).Error; err != nil {
		return "", Session{}, Token{}, dbErr(err, "token", fmt.Sprint(tokenID))
	}
	clear, err := randomSecret(SessionPrefix)
	if err != nil {
		return "", Session{}, Token{}, err
	}
	now := s.now().UTC()
	sess := Session{Hash: HashToken(clear), TokenID: tokenID, ExpiresAt: now.Add(SessionTTL), CreatedAt: now}
	if err := s.w.WithContext(ctx).Omit(clause.Associations).Create(&sess).Error; err != nil {
		return "", Session{}, Token{}, dbErr(err, "session", "")
	}
	return clear, sess, tok, nil
}

// LookupSession returns the token a session cookie acts as, with the
// session: ErrNotFound when the session is unknown, expired or its token
// revoked.
func (s *Store) LookupSession(ctx context.Context, clear string) (Token, Session, error) {
	var sess Session
	err := s.r.WithContext(ctx).Preload("Token").
		Where("hash = ? AND expires_at > ?", HashToken(clear), s.now().UTC()).Take(&sess).Error
	if err != nil {
		return Token{}, Session{}, dbErr(err, "session", "")
	}
	if sess.Token == nil {
		return Token{}, Session{}, notFound("session", "")
	}
	tok := *sess.Token
	sess.Token = nil
	return tok, sess, nil
}

// DeleteSession ends a session (signing out); ending an unknown session is
// not an error.
func (s *Store) DeleteSession(ctx context.Context, clear string) error {
	return dbErr(s.w.WithContext(ctx).Where("hash = ?", HashToken(clear)).Delete(&Session{}).Error, "session", "")
}

// deleteTokenSessions removes a token's sessions and links inside the
// transaction revoking it: the foreign keys cascade too, this keeps it true
// on a database where they are off.
func (s *Store) deleteTokenSessions(id uint64) error {
	if err := s.w.Where("token_id = ?", id).Delete(&Session{}).Error; err != nil {
		return dbErr(err, "session", "")
	}
	return dbErr(s.w.Where("token_id = ?", id).Delete(&SignInLink{}).Error, "sign-in link", "")
}
