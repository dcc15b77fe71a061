package models

import (
	"context"
	"fmt"
)

// DocKey names one document of a plan version.
type DocKey struct {
	Kind, For, Format string
}

// ListPlanDocuments returns the document hashes of a plan version, ordered
// by kind, subject and format (empty for a version saved without them).
func (s *Store) ListPlanDocuments(ctx context.Context, week string, version int) ([]PlanDocument, error) {
	var rows []PlanDocument
	err := s.r.WithContext(ctx).Where("week_id = ? AND version = ?", week, version).
		Order("kind, doc_for, format").Find(&rows).Error
	if err != nil {
		return nil, dbErr(err, "plan documents", fmt.Sprintf("%s v%d", week, version))
	}
	return rows, nil
}

// SavePlanDocuments stores the document hashes of a plan version that has
// none yet (a version planned before any publication gets them when it is
// published); it does nothing when the version has some.
func (s *Store) SavePlanDocuments(ctx context.Context, week string, version int, docs []PlanDocument) error {
	return s.tx(ctx, func(t *Store) error {
		var n int64
		if err := t.w.Model(&PlanDocument{}).Where("week_id = ? AND version = ?", week, version).Count(&n).Error; err != nil {
			return dbErr(err, "plan documents", week)
		}
		if n > 0 || len(docs) == 0 {
			return nil
		}
		rows := make([]PlanDocument, len(docs))
		for i, d := range docs {
			d.WeekID, d.Version = week, version
			rows[i] = d
		}
		return dbErr(t.w.CreateInBatches(rows, 200).Error, "plan documents", fmt.Sprintf("%s v%d", week, version))
	})
}

// ChangedDocuments says which documents of a plan version differ from the
// last version published before it: base is that published version (0 when
// none was, and then nothing counts as changed: people have not seen any
// document yet), changed holds the documents whose hash differs or that the
// base did not have.
func (s *Store) ChangedDocuments(ctx context.Context, week string, version int) (base int, changed map[DocKey]bool, err error) {
	changed = map[DocKey]bool{}
	var prev StoredPlan
	err = s.r.WithContext(ctx).Omit("json").
		Where("week_id = ? AND version < ? AND published = ?", week, version, true).
		Order("version DESC").Limit(1).Find(&prev).Error
	if err != nil {
		return 0, nil, dbErr(err, "plan", week)
	}
	if prev.Version == 0 {
		return 0, changed, nil
	}
	old, err := s.ListPlanDocuments(ctx, week, prev.Version)
	if err != nil {
		return 0, nil, err
	}
	cur, err := s.ListPlanDocuments(ctx, week, version)
	if err != nil {
		return 0, nil, err
	}
	was := make(map[DocKey]string, len(old))
	for _, d := range old {
		was[DocKey{d.Kind, d.For, d.Format}] = d.Hash
	}
	for _, d := range cur {
		k := DocKey{d.Kind, d.For, d.Format}
		if h, ok := was[k]; !ok || h != d.Hash {
			changed[k] = true
		}
	}
	return prev.Version, changed, nil
}
