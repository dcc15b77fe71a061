package web

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"paniers/internal/access"
	"paniers/models"
	"paniers/planner/sheets"
)

// weekChoice is the week a page works on, with the others for "past weeks".
type weekChoice struct {
	Week   models.Week
	Weeks  []models.Week // oldest first
	Index  int
	Exists bool
}

// Previous is the week before the chosen one (ok false when none).
func (w weekChoice) Previous() (models.Week, bool) {
	if !w.Exists || w.Index == 0 {
		return models.Week{}, false
	}
	return w.Weeks[w.Index-1], true
}

// Past are the weeks before the chosen one, most recent first, at most n.
func (w weekChoice) Past(n int) []models.Week {
	var out []models.Week
	for i := w.Index - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, w.Weeks[i])
	}
	return out
}

// chooseWeek picks the week of a page: ?semaine= when given and known,
// else the first open week whose cutoff (offers or orders, by cutoff) is
// still ahead, else the first open week, else the latest week.
func (s *Site) chooseWeek(c *gin.Context, cutoff func(models.Week) time.Time) (weekChoice, error) {
	weeks, err := all(func(p models.Page) ([]models.Week, error) { return s.store.ListWeeks(c.Request.Context(), p) })
	if err != nil {
		return weekChoice{}, err
	}
	wc := weekChoice{Weeks: weeks}
	pick := func(i int) (weekChoice, error) {
		wc.Index, wc.Week, wc.Exists = i, weeks[i], true
		return wc, nil
	}
	// Read from the request itself, not gin's query cache: a refused post
	// renders its page again with the week it posted set in the query.
	if id := c.Request.URL.Query().Get("semaine"); id != "" {
		for i, w := range weeks {
			if w.ID == id {
				return pick(i)
			}
		}
		return wc, models.ErrNotFound
	}
	now := s.now()
	for i, w := range weeks {
		if w.Status == models.WeekOpen && cutoff(w).After(now) {
			return pick(i)
		}
	}
	for i, w := range weeks {
		if w.Status == models.WeekOpen {
			return pick(i)
		}
	}
	if len(weeks) > 0 {
		return pick(len(weeks) - 1)
	}
	return wc, nil
}

func offerCutoff(w models.Week) time.Time { return w.OfferCutoff }
func orderCutoff(w models.Week) time.Time { return w.OrderCutoff }

// deadline says whether a week still takes a kind of write and how long is
// left, in words.
type deadline struct {
	Open     bool
	Left     string // "1 j 6 h"
	At       string // "mercredi 2 décembre à 20:00"
	Status   string
	Finished bool // the week is planned or published
}

func (s *Site) deadline(lang string, w models.Week, cutoff time.Time) deadline {
	t := cutoff.In(s.loc)
	d := deadline{Status: w.Status, At: sheets.WordsFor(lang).DayMonthOf(t) + text{FR: " à ", EN: " at "}.In(lang) + t.Format("15:04")}
	d.Open = w.Status == models.WeekOpen && cutoff.After(s.now())
	if d.Open {
		d.Left = timeLeft(lang, cutoff.Sub(s.now()))
	}
	d.Finished = w.Status == models.WeekPlanned || w.Status == models.WeekPublished
	return d
}

// document is one of the week's documents a person may open.
type document struct {
	Week, Delivery string
	Kind, For      string
	// Text is the document's plain-text rendering, shown on screen.
	Text  string
	Links []docLink
	Draft bool
	// Version is the plan version shown.
	Version int
	lang    string
	// in is the documents' input it was rendered from, for a page that
	// shows more of it (the checklist, the organic share): read once.
	in sheets.Input
}

// T picks the document block's language.
func (d document) T(fr, en string) string { return text{FR: fr, EN: en}.In(d.lang) }

type docLink struct{ Format, URL string }

// latestDocument finds the most recent week (up to and including upTo)
// whose plan gives p the document of kind for id: the latest published
// version for everyone, a draft for the coordinator only
// (models.SeesDrafts and Store.VisibleVersion, the API's rule). ok is
// false when there is none. The links carry the version shown, so the file
// is the version on screen. With withInput, the document's input is read
// (its text is shown on screen, and the page may read more of it); without,
// a published version's stored document list is enough, which is much
// cheaper than assembling the input.
func (s *Site) latestDocument(ctx context.Context, lang string, p access.Principal, weeks []models.Week, kind, id string, withInput bool) (document, bool, error) {
	if s.jobs == nil || !p.MayRead(kind, id) {
		return document{}, false, nil
	}
	drafts := models.SeesDrafts(p.Role)
	for i := len(weeks) - 1; i >= 0; i-- {
		w := weeks[i]
		if w.Status != models.WeekPublished && !(drafts && w.Status == models.WeekPlanned) {
			continue
		}
		// The API's rule: without drafts, the latest published version.
		version, err := s.store.VisibleVersion(ctx, w.ID, 0, drafts)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return document{}, false, err
		}
		d := document{lang: lang, Version: version, Week: w.ID, Delivery: w.DeliveryDate, Kind: kind, For: id}
		var formats []string
		if withInput || drafts {
			in, sp, err := s.jobs.DocumentInput(ctx, w.ID, version)
			if errors.Is(err, models.ErrNotFound) {
				continue
			}
			if err != nil {
				return document{}, false, err
			}
			in.Lang = lang
			d.in, d.Version, d.Draft = in, sp.Version, !sp.Published
			refs, err := sheets.Catalog(in)
			if err != nil {
				return document{}, false, err
			}
			for _, r := range refs {
				if r.Kind == kind && r.For == id {
					formats = append(formats, r.Format)
				}
			}
		} else {
			docs, err := s.store.ListPlanDocuments(ctx, w.ID, version)
			if err != nil {
				return document{}, false, err
			}
			for _, pd := range docs {
				if pd.Kind == kind && pd.For == id {
					formats = append(formats, pd.Format)
				}
			}
		}
		if len(formats) == 0 {
			continue // nothing for id that week
		}
		for _, f := range formats {
			if f == sheets.FormatText {
				if withInput {
					doc, err := sheets.Render(d.in, kind, id, f)
					if err != nil {
						return document{}, false, err
					}
					d.Text = string(doc.Body)
				}
				continue
			}
			d.Links = append(d.Links, docLink{Format: f, URL: documentURL(w.ID, kind, id, f, d.Version, lang)})
		}
		return d, true, nil
	}
	return document{}, false, nil
}

// documentURL is a document's address on the API, with the version shown
// and the page's language.
func documentURL(week, kind, id, format string, version int, lang string) string {
	q := url.Values{}
	if version > 0 {
		q.Set("version", strconv.Itoa(version))
	}
	if lang == langEN {
		q.Set("lang", langEN)
	}
	u := access.DocumentPath(week, kind, id, format)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// scope is the producer or site a page acts for: the principal's own; a
// coordinator names it with ?pour= (or the form's pour field). A farmer,
// relay manager or cook asking for another gets errForbidden, as the API's
// 403.
func scope(c *gin.Context, p access.Principal, owns func(access.Principal, string) bool) (string, error) {
	want := c.Query("pour")
	if want == "" {
		want = c.PostForm("pour")
	}
	if !p.IsCoordinator() {
		if want != "" && want != p.Scope {
			return "", errForbidden
		}
		want = p.Scope
	}
	if want == "" && p.IsCoordinator() {
		return "", errChoose
	}
	if want == "" || !models.ValidID(want) || !owns(p, want) {
		return "", errForbidden
	}
	return want, nil
}
