package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"paniers/models"
)

// fieldSet is fieldsOf as a set.
func fieldSet(t *testing.T, err error) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, f := range fieldsOf(t, err) {
		out[f] = true
	}
	return out
}

// TestCreateFarmer: a farm, its farmer's token and first sign-in link are
// stored together; refused fields of the farm and of the person come
// together and store nothing; a taken id stores no second token.
func TestCreateFarmer(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
			st := openStore(t, backend, clock)

			bad := models.Producer{ID: "Ferme Z", Name: "", Lat: 95, Lon: 2.8, WindowStart: "08:00", WindowEnd: "07:00"}
			_, err := st.CreateFarmer(ctx, &bad, "Jeanne\u202e")
			f := fieldSet(t, err)
			for _, want := range []string{"id", "name", "lat", "window", "person"} {
				if !f[want] {
					t.Errorf("no problem for %s in %v", want, f)
				}
			}
			if ps, _ := st.ListProducers(ctx, models.Page{Limit: 10}); len(ps) != 0 {
				t.Fatalf("refused farm stored: %v", ps)
			}

			p := models.Producer{ID: "ferme-neuve", Name: "Ferme Neuve", Place: "Liévin", Lat: 50.42, Lon: 2.78, WindowStart: "08:00", WindowEnd: "12:00"}
			inv, err := st.CreateFarmer(ctx, &p, "")
			if err != nil {
				t.Fatal(err)
			}
			if inv.Token.Role != models.RoleFarmer || inv.Token.Scope != "ferme-neuve" || inv.Token.Name != "Ferme Neuve" {
				t.Errorf("token %+v, want a farmer of ferme-neuve named after the farm", inv.Token)
			}
			if got, err := st.PeekSignInLink(ctx, inv.LinkClear); err != nil || got.ID != inv.Token.ID {
				t.Errorf("the link opens %+v (%v), want token %d", got, err, inv.Token.ID)
			}
			if got, err := st.LookupToken(ctx, inv.Clear); err != nil || got.ID != inv.Token.ID {
				t.Errorf("the token is %+v (%v)", got, err)
			}

			again := p
			if _, err := st.CreateFarmer(ctx, &again, "Autre"); !errors.Is(err, models.ErrConflict) {
				t.Errorf("taken id: %v, want ErrConflict", err)
			}
			toks, _ := st.ListTokens(ctx, models.Page{Limit: 10})
			if len(toks) != 1 {
				t.Errorf("%d tokens after a refused second farm, want 1", len(toks))
			}
		})
	}
}

// TestInviteScope: a scoped role without a scope, or with a scope naming
// nothing, is refused with the reason under "scope" (and the name's
// problem beside it), and stores neither token nor link.
func TestInviteScope(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "sqlite", &testClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)})
	for _, role := range []string{models.RoleFarmer, models.RoleRelay, models.RoleCook} {
		_, err := st.Invite(ctx, role, "", "x\u0007")
		if f := fieldSet(t, err); !f["scope"] || !f["name"] {
			t.Errorf("%s without scope: %v, want scope and name", role, f)
		}
		if _, err := st.Invite(ctx, role, "nulle-part", ""); !fieldSet(t, err)["scope"] {
			t.Errorf("%s with an unknown scope: %v", role, err)
		}
	}
	if _, err := st.Invite(ctx, models.RoleDriver, "", "Chauffeur"); err != nil {
		t.Errorf("a driver of every vehicle: %v", err)
	}
	if toks, _ := st.ListTokens(ctx, models.Page{Limit: 10}); len(toks) != 1 {
		t.Errorf("%d tokens, want only the driver's", len(toks))
	}
}

// TestTokenUses: sessions open and links waiting are counted, the last
// sign-in is the latest link used or session opened; expired links and
// sessions do not count, and a revoked token's use is gone.
func TestTokenUses(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	st := openStore(t, "sqlite", clock)
	a, err := st.Invite(ctx, models.RoleCoordinator, "", "A")
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.Invite(ctx, models.RoleCoordinator, "", "B")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := st.RedeemSignInLink(ctx, a.LinkClear); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(time.Hour)
	if _, _, err := st.CreateSession(ctx, a.Token.ID); err != nil {
		t.Fatal(err)
	}
	uses, err := st.TokenUses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ua, ub := uses[a.Token.ID], uses[b.Token.ID]
	if ua.Sessions != 2 || ua.Links != 0 || !ua.LastSignIn.Equal(clock.t) {
		t.Errorf("A: %+v, want 2 sessions, no link waiting, last sign-in %v", ua, clock.t)
	}
	if ub.Sessions != 0 || ub.Links != 1 || !ub.LinksExpire.Equal(b.Link.ExpiresAt) || !ub.LastSignIn.IsZero() {
		t.Errorf("B: %+v, want one link waiting until %v", ub, b.Link.ExpiresAt)
	}
	clock.t = clock.t.Add(models.SignInLinkTTL)
	if uses, _ := st.TokenUses(ctx); uses[b.Token.ID].Links != 0 {
		t.Errorf("an expired link still counts: %+v", uses[b.Token.ID])
	}
	if err := st.DeleteToken(ctx, a.Token.ID); err != nil {
		t.Fatal(err)
	}
	if uses, _ := st.TokenUses(ctx); uses[a.Token.ID] != (models.TokenUse{}) {
		t.Errorf("a revoked token still has use: %+v", uses[a.Token.ID])
	}
}
