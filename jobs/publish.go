package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"paniers/models"
	"paniers/planner/sheets"
)

// PublishResult is what a publication did.
type PublishResult struct {
	// Stored is the published version.
	Stored models.StoredPlan
	// Base is the version published before it, 0 for a first publication.
	Base int
	// Documents lists the documents written, with their change marks.
	Documents []ManifestEntry
	// Dir is where they were written ("" when Deps.OutDir is empty).
	Dir string
	// Credits are the MANNE transfers the publication posted to the
	// lenders of gardens (none when publishing the same plan again).
	Credits []models.GardenCredit
}

// ManifestEntry describes one published document in the week's folder.
type ManifestEntry struct {
	Kind    string `json:"kind"`
	For     string `json:"for"`
	Format  string `json:"format"`
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
	Changed bool   `json:"changed"`
}

// Manifest is the index.json of a week's folder: which version its files
// are, and which of them changed since the version published before.
type Manifest struct {
	Week        string          `json:"week"`
	Version     int             `json:"version"`
	BaseVersion int             `json:"base_version,omitempty"`
	Documents   []ManifestEntry `json:"documents"`
}

// ManifestName is the file name of the manifest in a week's folder.
const ManifestName = "index.json"

// Publish publishes the current plan of a week, recorded as a run of job
// "publish": it renders every document (French, default options), writes
// them to Deps.OutDir/<week>/ (each file atomically: a temporary file
// renamed; files of an older publication that the new one lacks are
// removed), prints the round sheets' text to the log, then marks the
// version published and the week published in one transaction, provided the
// version is still the current one. Publishing again rewrites the same
// files. Documents whose content differs from the previously published
// version are marked changed. ErrNotFound (models) when the week has no plan;
// ErrConflict when it was re-planned during the publication (the next run
// publishes the new version).
func Publish(ctx context.Context, d Deps, week string) (PublishResult, error) {
	d = d.withDefaults()
	var res PublishResult
	err := record(ctx, d, JobPublish, week, func(ctx context.Context) error {
		st := d.Store
		in, sp, err := DocumentInput(ctx, st, week, 0)
		if err != nil {
			return err
		}
		// A version planned before pick-up lists were frozen with it gets
		// them now: once published, its documents must not change.
		if err := st.FreezePlanHouseholds(ctx, week, sp.Version, in.Households); err != nil {
			return err
		}
		docs, err := renderAll(in)
		if err != nil {
			return err
		}
		if err := st.SavePlanDocuments(ctx, week, sp.Version, hashDocs(docs)); err != nil {
			return err
		}
		base, changed, err := st.ChangedDocuments(ctx, week, sp.Version)
		if err != nil {
			return err
		}
		res.Base = base
		for _, doc := range docs {
			res.Documents = append(res.Documents, ManifestEntry{
				Kind: doc.Kind, For: doc.For, Format: doc.Format, File: doc.FileName, SHA256: hashOf(doc.Body),
				Changed: changed[models.DocKey{Kind: doc.Kind, For: doc.For, Format: doc.Format}],
			})
		}
		if d.OutDir != "" {
			res.Dir = filepath.Join(d.OutDir, week)
			m := Manifest{Week: week, Version: sp.Version, BaseVersion: base, Documents: res.Documents}
			if err := writeFolder(res.Dir, docs, m); err != nil {
				return err
			}
		}
		if err := printRoundSheets(d, week, in); err != nil {
			return err
		}
		if res.Stored, res.Credits, err = st.PublishVersion(ctx, week, sp.Version, d.ManneRate); err != nil {
			return err
		}
		n := 0
		for _, e := range res.Documents {
			if e.Changed {
				n++
			}
		}
		d.Log.Info("week published", "job", JobPublish, "week", week, "version", sp.Version,
			"documents", len(docs), "changed", n, "since_version", base, "dir", res.Dir, "manne_credits", len(res.Credits))
		return nil
	})
	return res, err
}

// RefreshPublished renders again the documents of the version published
// in Deps.OutDir/<week>/ (the one its manifest names) and rewrites the
// folder, keeping the manifest's version and change marks: after a GDPR
// erasure, the files people were given no longer name the household.
// Nothing is done when OutDir is empty or the week has no folder; the
// week's status, plans and MANNE credits are untouched.
func RefreshPublished(ctx context.Context, d Deps, week string) error {
	d = d.withDefaults()
	if d.OutDir == "" {
		return nil
	}
	dir := filepath.Join(d.OutDir, week)
	raw, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("jobs: refreshing %s: %w", week, err)
	}
	var old Manifest
	if err := json.Unmarshal(raw, &old); err != nil || old.Version == 0 {
		return fmt.Errorf("jobs: refreshing %s: unreadable manifest (%v)", week, err)
	}
	in, _, err := DocumentInput(ctx, d.Store, week, old.Version)
	if err != nil {
		return err
	}
	docs, err := renderAll(in)
	if err != nil {
		return err
	}
	changed := map[models.DocKey]bool{}
	for _, e := range old.Documents {
		changed[models.DocKey{Kind: e.Kind, For: e.For, Format: e.Format}] = e.Changed
	}
	m := Manifest{Week: week, Version: old.Version, BaseVersion: old.BaseVersion}
	for _, doc := range docs {
		m.Documents = append(m.Documents, ManifestEntry{Kind: doc.Kind, For: doc.For, Format: doc.Format, File: doc.FileName,
			SHA256: hashOf(doc.Body), Changed: changed[models.DocKey{Kind: doc.Kind, For: doc.For, Format: doc.Format}]})
	}
	if err := writeFolder(dir, docs, m); err != nil {
		return err
	}
	d.Log.Info("published documents refreshed", "week", week, "version", old.Version, "documents", len(docs))
	return nil
}

// printRoundSheets logs the text of every round sheet, one record each, and
// writes it as it is to Deps.Sheets when set.
func printRoundSheets(d Deps, week string, in sheets.Input) error {
	for i := range in.Plan.Rounds {
		doc, err := sheets.RoundSheet(in, i, sheets.FormatText)
		if err != nil {
			return err
		}
		d.Log.Info("round sheet", "week", week, "round", i, "file", doc.FileName, "text", string(doc.Body))
	}
	if d.Sheets != nil && len(in.Plan.Rounds) > 0 {
		text, err := sheets.Text(in)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprint(d.Sheets, text); err != nil {
			return fmt.Errorf("jobs: printing the round sheets: %w", err)
		}
	}
	return nil
}

// writeFolder writes a publication into dir: every document, then the
// manifest, each atomically, then removes the files the previous manifest
// listed and this one does not.
func writeFolder(dir string, docs []sheets.Doc, m Manifest) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("jobs: publish: %w", err)
	}
	var old Manifest
	if b, err := os.ReadFile(filepath.Join(dir, ManifestName)); err == nil {
		_ = json.Unmarshal(b, &old) // a damaged manifest only means nothing stale is removed
	}
	keep := map[string]bool{ManifestName: true}
	for _, doc := range docs {
		name, err := safeName(doc.FileName)
		if err != nil {
			return err
		}
		if err := writeAtomic(dir, name, doc.Body); err != nil {
			return err
		}
		keep[name] = true
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("jobs: publish: manifest: %w", err)
	}
	if err := writeAtomic(dir, ManifestName, buf.Bytes()); err != nil {
		return err
	}
	for _, e := range old.Documents {
		if name, err := safeName(e.File); err == nil && !keep[name] {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("jobs: publish: removing a stale document: %w", err)
			}
		}
	}
	return syncDir(dir)
}

// safeName refuses a file name that would leave the folder or hide.
func safeName(name string) (string, error) {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("jobs: publish: unsafe file name %q", name)
	}
	return name, nil
}

// writeAtomic writes data to dir/name so that a reader (or a crash) sees the
// old file or the new one, never half of one: the bytes go to a temporary
// file in the same folder, which is synced and renamed over the name.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("jobs: publish: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp, filepath.Join(dir, name))
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("jobs: publish: writing %s: %w", name, werr)
	}
	return nil
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("jobs: publish: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("jobs: publish: syncing %s: %w", dir, err)
	}
	return nil
}
