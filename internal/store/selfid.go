package store

import (
	"context"
	"fmt"

	"hireloop/internal/hiring"
)

// SelfIDService reports voluntary self-identification in aggregate only.
// Answers are written by ApplicationService.Apply into a table that names
// the opening and the day and nothing else; this service never returns a
// row, only counts, and hides every count under hiring.SelfIDMinGroup.
type SelfIDService struct {
	db *DB
}

var _ hiring.SelfIDService = (*SelfIDService)(nil)

// NewSelfIDService returns a SelfIDService on db.
func NewSelfIDService(db *DB) *SelfIDService { return &SelfIDService{db: db} }

// SelfIDAggregate counts the answers given for an opening.
func (s *SelfIDService) SelfIDAggregate(ctx context.Context, openingID int64) (*hiring.SelfIDReport, error) {
	r := s.db.reader()
	if _, err := findOpening(ctx, r, openingID); err != nil {
		return nil, err
	}
	responses, err := r.count(ctx, "SELECT COUNT(*) FROM self_identifications WHERE opening_id = ?", openingID)
	if err != nil {
		return nil, fmt.Errorf("count self-identification: %w", err)
	}
	counts := map[string]map[string]int{}
	if responses >= hiring.SelfIDMinGroup {
		for _, q := range hiring.SelfIDQuestions() {
			// q.Key is one of four fixed column names, never input.
			rows, err := r.query(ctx, "SELECT "+q.Key+", COUNT(*) FROM self_identifications WHERE opening_id = ? GROUP BY "+q.Key, openingID)
			if err != nil {
				return nil, fmt.Errorf("count self-identification: %w", err)
			}
			counts[q.Key] = map[string]int{}
			for rows.Next() {
				var value string
				var n int
				if err := rows.Scan(&value, &n); err != nil {
					rows.Close()
					return nil, fmt.Errorf("read self-identification count: %w", err)
				}
				counts[q.Key][value] = n
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("count self-identification: %w", err)
			}
		}
	}
	return hiring.AggregateSelfID(openingID, responses, counts), nil
}
