package models

import (
	"context"
	"errors"
	"fmt"
)

// IdemKey identifies one idempotent write: the client's Idempotency-Key, who
// sent it (Scope, e.g. the token id, so two clients' keys never meet), the
// route ("POST /api/v1/weeks/{week}/offers") and a hash of the request body
// and path parameters, so a key reused for a different request is caught.
type IdemKey struct {
	Key         string
	Scope       string
	Route       string
	RequestHash string
}

// IdemResponse is the response stored for an idempotent write and replayed
// to its retries.
type IdemResponse struct {
	Status int
	Body   []byte
}

// IdemWriter is what an idempotent write may do: the writes of the
// store bound to Idempotent's transaction, so that they commit with the key
// or not at all.
type IdemWriter interface {
	PutOffer(ctx context.Context, o *Offer) (bool, error)
	CreateOrder(ctx context.Context, o *Order) error
	CreateMealOrder(ctx context.Context, m *MealOrder) error
	PostTransfer(ctx context.Context, in TransferInput) (Transfer, error)
	// The members page's writes: a form sent again (a reload) makes no
	// second link or farm.
	CreateSignInLink(ctx context.Context, tokenID uint64) (string, SignInLink, error)
	Invite(ctx context.Context, role, scope, name string) (Invitation, error)
	CreateFarmer(ctx context.Context, p *Producer, person string) (Invitation, error)
}

// Idempotent runs write at most once per key. Three things might happen:
//   - the key is new: write runs inside one transaction with a store bound to
//     it; if it succeeds, its response is stored with the key in the same
//     transaction, so the record and the response's writes commit together
//     or not at all; replayed is false;
//   - the key was used for the same request: write does not run, the stored
//     response is returned and replayed is true;
//   - the key was used for a different request (another RequestHash):
//     ErrConflict.
//
// An error from write rolls everything back and stores nothing, so a retry
// after a refused request (a cutoff, a bad field) is judged again. When two
// requests with one new key race on PostgreSQL, the loser's insert fails on
// the unique key and it replays the winner's response.
func (s *Store) Idempotent(ctx context.Context, k IdemKey, write func(ctx context.Context, t IdemWriter) (IdemResponse, error)) (resp IdemResponse, replayed bool, err error) {
	var p problems
	if k.Key == "" || len(k.Key) > 255 {
		p.add("Idempotency-Key", "entre 1 et 255 caractères", "between 1 and 255 characters")
	}
	for _, c := range k.Key {
		if c < 0x21 || c > 0x7e {
			p.add("Idempotency-Key", "caractères ASCII visibles seulement", "visible ASCII characters only")
			break
		}
	}
	if len(k.Scope) > 64 || len(k.Route) > 255 || len(k.RequestHash) > 64 {
		return IdemResponse{}, false, fmt.Errorf("models: idempotency key: scope, route or hash too long")
	}
	if err := p.err(); err != nil {
		return IdemResponse{}, false, err
	}
	// A retry usually finds its key already stored: answer it from the read
	// side without waiting for the writer.
	var rec IdempotencyRecord
	err = s.r.WithContext(ctx).Where("idem_key = ? AND scope = ? AND route = ?", k.Key, k.Scope, k.Route).Limit(1).Find(&rec).Error
	if err != nil {
		return IdemResponse{}, false, dbErr(err, "idempotency key", k.Key)
	}
	if rec.Key != "" {
		return replay(rec, k)
	}
	for attempt := 0; ; attempt++ {
		resp, replayed, err = s.idempotentOnce(ctx, k, write)
		if errors.Is(err, errIdemRace) && attempt == 0 {
			continue
		}
		return resp, replayed, err
	}
}

var errIdemRace = errors.New("models: idempotency key inserted concurrently")

func (s *Store) idempotentOnce(ctx context.Context, k IdemKey, write func(ctx context.Context, t IdemWriter) (IdemResponse, error)) (resp IdemResponse, replayed bool, err error) {
	err = s.tx(ctx, func(t *Store) error {
		var rec IdempotencyRecord
		err := t.w.Where("idem_key = ? AND scope = ? AND route = ?", k.Key, k.Scope, k.Route).Take(&rec).Error
		switch {
		case err == nil:
			resp, replayed, err = replay(rec, k)
			return err
		case !isNotFoundDB(err):
			return dbErr(err, "idempotency key", k.Key)
		}
		resp, err = write(ctx, t)
		if err != nil {
			return err
		}
		rec = IdempotencyRecord{Key: k.Key, Scope: k.Scope, Route: k.Route, RequestHash: k.RequestHash, Status: resp.Status, Body: string(resp.Body)}
		if err := t.w.Create(&rec).Error; err != nil {
			if errors.Is(dbErr(err, "", ""), ErrConflict) {
				return errIdemRace
			}
			return dbErr(err, "idempotency key", k.Key)
		}
		return nil
	})
	return resp, replayed, err
}

// replay answers a request whose key is stored: the stored response, or
// ErrConflict when the key came with another request.
func replay(rec IdempotencyRecord, k IdemKey) (IdemResponse, bool, error) {
	if rec.RequestHash != k.RequestHash {
		return IdemResponse{}, false, fmt.Errorf("models: idempotency key %q: used for a different request: %w", k.Key, ErrConflict)
	}
	return IdemResponse{Status: rec.Status, Body: []byte(rec.Body)}, true, nil
}
