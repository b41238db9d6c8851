package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hireloop/internal/hiring"
)

// GuideService keeps candidates' private links and records what candidates
// do on their Guide.
//
// A link's secret is never stored, only its SHA-256 (guide_token_hash),
// and it is looked up by that hash, so the time a lookup takes says
// nothing about the secret. A link works while all of these hold:
//   - it is the application's current link (a new one replaces it);
//   - no recruiter revoked it (guide_revoked_at is empty);
//   - it has not expired: guide_expires_at, or the application's retention
//     date retain_until while guide_expires_at is empty (as in rows made
//     before links expired), has not passed;
//   - the application ended (withdrawn, rejected, hired) less than
//     GuideOptions.DaysAfterEnd days ago.
//
// Apply leaves guide_expires_at empty, so a new link follows the retention
// date, which is also when the data the Guide shows is deleted.
type GuideService struct {
	db   *DB
	opts GuideOptions
}

var _ hiring.GuideService = (*GuideService)(nil)

// GuideOptions configure the Guide's links.
type GuideOptions struct {
	// LinkURL makes the full address of a link from its secret, for the
	// emails that carry it. Nil writes the path alone.
	LinkURL func(token string) string
	// DaysAfterEnd is how many days a link keeps working after its
	// application ended: 0 means hiring.GuideDaysAfterEnd, a negative
	// value lets it work until the retention date.
	DaysAfterEnd int
}

// NewGuideService returns a GuideService on db.
func NewGuideService(db *DB, opts GuideOptions) *GuideService {
	if opts.LinkURL == nil {
		opts.LinkURL = func(token string) string { return "/guide/" + token }
	}
	if opts.DaysAfterEnd == 0 {
		opts.DaysAfterEnd = hiring.GuideDaysAfterEnd
	}
	return &GuideService{db: db, opts: opts}
}

// Audit log actions of the Guide.
const (
	actionGuideLink   = "guide_link"
	actionGuideRevoke = "guide_revoke"
)

// linkDoesNotWork is the one answer to every link that does not work.
func linkDoesNotWork() error {
	return hiring.Errorf(hiring.ENOTFOUND, "This link does not work.")
}

// linkState is what decides whether an application's link works.
type linkState struct {
	appID      int64
	expires    time.Time
	revoked    *time.Time
	ended      *time.Time
	hearBackBy *time.Time
	zone       string
}

const linkStateColumns = `a.id, COALESCE(a.guide_expires_at, a.retain_until), a.guide_revoked_at,
	COALESCE(a.withdrawn_at, a.rejected_at, a.hired_at), a.hear_back_by, c.time_zone`

func scanLinkState(sc interface{ Scan(...any) error }) (*linkState, error) {
	var l linkState
	err := sc.Scan(&l.appID, timeColumn{&l.expires}, nullTimeColumn{&l.revoked}, nullTimeColumn{&l.ended},
		nullTimeColumn{&l.hearBackBy}, &l.zone)
	return &l, err
}

// expiresAt is when the link stops working.
func (s *GuideService) expiresAt(l *linkState) time.Time {
	exp := l.expires
	if l.ended != nil && s.opts.DaysAfterEnd > 0 {
		if end := l.ended.AddDate(0, 0, s.opts.DaysAfterEnd); end.Before(exp) {
			exp = end
		}
	}
	return exp
}

// works reports whether the link opens the Guide at now.
func (s *GuideService) works(l *linkState, now time.Time) bool {
	return l.revoked == nil && now.Before(s.expiresAt(l))
}

// FindGuide returns the Guide of a private link, or ENOTFOUND with one
// message for every link that does not work.
func (s *GuideService) FindGuide(ctx context.Context, token string) (*hiring.Guide, error) {
	if len(token) != guideTokenLen {
		return nil, linkDoesNotWork()
	}
	r := s.db.reader()
	l, err := scanLinkState(r.queryRow(ctx, "SELECT "+linkStateColumns+
		" FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.guide_token_hash = ?", hashSecret(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkDoesNotWork()
	} else if err != nil {
		return nil, fmt.Errorf("find private link: %w", err)
	}
	if !s.works(l, s.db.now()) {
		return nil, linkDoesNotWork()
	}
	a, err := findApplication(ctx, r, "a.id = ?", l.appID)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		return nil, linkDoesNotWork()
	} else if err != nil {
		return nil, err
	}
	return &hiring.Guide{Application: a, HearBackBy: l.hearBackBy, TimeZone: l.zone, ExpiresAt: s.expiresAt(l)}, nil
}

// guideMail reads what the Guide's emails are written from, in t.
func guideMail(ctx context.Context, t *tx, appID int64) (*hiring.Application, hiring.GuideMail, error) {
	a, err := findApplication(ctx, t.runner, "a.id = ?", appID)
	if err != nil {
		return nil, hiring.GuideMail{}, err
	}
	return a, guideMailOf(a), nil
}

func guideMailOf(a *hiring.Application) hiring.GuideMail {
	return hiring.GuideMail{Candidate: a.Candidate, Title: a.OpeningTitle, RequisitionID: a.RequisitionID,
		ApplicationID: a.ID}
}

// staffEmail returns the address of the first of the opening's hiring team
// in the order of roles asked for, "" when none is set.
func staffEmail(ctx context.Context, t *tx, openingID int64, roles ...string) (string, error) {
	var ids = map[string]*int64{}
	var coord, rec, hm *int64
	if err := t.queryRow(ctx, "SELECT coordinator_id, recruiter_id, hiring_manager_id FROM openings WHERE id = ?", openingID).
		Scan(&coord, &rec, &hm); err != nil {
		return "", fmt.Errorf("find hiring team of opening %d: %w", openingID, err)
	}
	ids["coordinator"], ids["recruiter"], ids["hiring_manager"] = coord, rec, hm
	for _, role := range roles {
		id := ids[role]
		if id == nil {
			continue
		}
		var email string
		err := t.queryRow(ctx, "SELECT email FROM users WHERE id = ?", *id).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return "", fmt.Errorf("find user %d: %w", *id, err)
		}
		return email, nil
	}
	return "", nil
}

// candidateEvent records on the timeline something the candidate did.
func candidateEvent(ctx context.Context, t *tx, a *hiring.Application, kind hiring.EventKind, note string) error {
	if _, err := t.exec(ctx, `INSERT INTO application_events (application_id, kind, actor_id, actor_label,
		from_stage, to_stage, reason, note, detail, created_at) VALUES (?, ?, NULL, ?, ?, '', '', ?, '', ?)`,
		a.ID, string(kind), hiring.CandidateActor, a.Stage, note, t.now); err != nil {
		return fmt.Errorf("record event of application %d: %w", a.ID, err)
	}
	return nil
}

// requireGuideActive refuses what only an application in progress takes.
func requireGuideActive(a *hiring.Application) error {
	if a.Status != hiring.ApplicationActive {
		return hiring.Errorf(hiring.ECONFLICT, "This application is %s; there is nothing more to arrange for it.", a.Status)
	}
	return nil
}

// RequestAdjustment adds a request to the application's adjustments, with
// a timeline event, a notice to the coordinator (or the recruiter, or the
// hiring manager) and an acknowledgement to the candidate, in one
// transaction.
func (s *GuideService) RequestAdjustment(ctx context.Context, appID int64, text string) error {
	text, err := hiring.CheckGuideText("adjustment", text)
	if err != nil {
		return err
	}
	return s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "applications", appID); err != nil {
			return err
		}
		a, m, err := guideMail(ctx, t, appID)
		if err != nil {
			return err
		}
		if err := requireGuideActive(a); err != nil {
			return err
		}
		all := text
		if a.AdjustmentRequest != "" {
			all = a.AdjustmentRequest + "\n\n" + text
		}
		if len(all) > hiring.MaxAdjustmentTotalLen {
			return fieldError(hiring.EINVALID, "adjustment",
				"You have asked for many adjustments already; please write to the recruiter instead.")
		}
		if _, err := t.exec(ctx, "UPDATE applications SET adjustment_request = ?, updated_at = ? WHERE id = ?",
			all, t.now, appID); err != nil {
			return fmt.Errorf("record adjustment request of application %d: %w", appID, err)
		}
		if err := candidateEvent(ctx, t, a, hiring.EventAdjustmentRequested, text); err != nil {
			return err
		}
		m.Text = text
		to, err := staffEmail(ctx, t, a.OpeningID, "coordinator", "recruiter", "hiring_manager")
		if err != nil {
			return err
		}
		if to != "" {
			if _, err := enqueueMessage(ctx, t, hiring.ComposeAdjustmentRequest(m, to)); err != nil {
				return err
			}
		}
		_, err = enqueueMessage(ctx, t, hiring.ComposeAdjustmentAck(m))
		return err
	})
}

// SendCandidateMessage records the candidate's message on the timeline and
// emails it to the recruiter (or the coordinator, or the hiring manager).
// The reply the candidate is owed stays owed.
func (s *GuideService) SendCandidateMessage(ctx context.Context, appID int64, text string) error {
	text, err := hiring.CheckGuideText("message", text)
	if err != nil {
		return err
	}
	return s.db.transact(ctx, func(t *tx) error {
		a, m, err := guideMail(ctx, t, appID)
		if err != nil {
			return err
		}
		if err := candidateEvent(ctx, t, a, hiring.EventCandidateMessage, text); err != nil {
			return err
		}
		to, err := staffEmail(ctx, t, a.OpeningID, "recruiter", "coordinator", "hiring_manager")
		if err != nil || to == "" {
			return err
		}
		m.Text = text
		_, err = enqueueMessage(ctx, t, hiring.ComposeCandidateMessage(m, to))
		return err
	})
}

// queueWithdrawalNotice queues, in the withdrawal's transaction, the
// recruiter's notice that the candidate withdrew a, with the note they left.
func queueWithdrawalNotice(ctx context.Context, t *tx, a *hiring.Application, note string) error {
	to, err := staffEmail(ctx, t, a.OpeningID, "recruiter", "coordinator", "hiring_manager")
	if err != nil || to == "" {
		return err
	}
	m := guideMailOf(a)
	m.Text = note
	_, err = enqueueMessage(ctx, t, hiring.ComposeWithdrawalNotice(m, to))
	return err
}

// issueLink gives the application a new link in t and queues the email
// that carries it. The new link follows the retention date.
func (s *GuideService) issueLink(ctx context.Context, t *tx, appID int64) error {
	secret, err := newSecret()
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE applications SET guide_token_hash = ?, guide_expires_at = NULL,
		guide_revoked_at = NULL WHERE id = ?`, hashSecret(secret), appID); err != nil {
		return fmt.Errorf("issue private link of application %d: %w", appID, err)
	}
	_, m, err := guideMail(ctx, t, appID)
	if err != nil {
		return err
	}
	m.GuideURL = s.opts.LinkURL(secret)
	_, err = enqueueMessage(ctx, t, hiring.ComposeGuideLink(m))
	return err
}

// IssueGuideLink replaces the application's link with a new one and emails
// it to the candidate.
func (s *GuideService) IssueGuideLink(ctx context.Context, appID int64) error {
	return s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "applications", appID); err != nil {
			return err
		}
		if n, err := t.count(ctx, "SELECT COUNT(*) FROM applications WHERE id = ?", appID); err != nil {
			return err
		} else if n == 0 {
			return notFound("Application")
		}
		if err := s.issueLink(ctx, t, appID); err != nil {
			return err
		}
		return writeAudit(ctx, t, actionGuideLink, entityApplication, appID, "sent the candidate a new private link")
	})
}

// RevokeGuideLink stops the application's link; revoking a revoked link
// changes nothing.
func (s *GuideService) RevokeGuideLink(ctx context.Context, appID int64) error {
	return s.db.transact(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "UPDATE applications SET guide_revoked_at = COALESCE(guide_revoked_at, ?) WHERE id = ?",
			t.now, appID)
		if err != nil {
			return fmt.Errorf("revoke private link of application %d: %w", appID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("Application")
		}
		return writeAudit(ctx, t, actionGuideRevoke, entityApplication, appID, "revoked the private link")
	})
}

// ResendGuideLinks emails a new link for each active application of the
// address, except those whose link a recruiter revoked. An unknown address
// is not an error.
func (s *GuideService) ResendGuideLinks(ctx context.Context, email string) error {
	email = hiring.NormalizeEmail(email)
	if hiring.CheckEmail(email) != "" {
		return nil
	}
	return s.db.transact(ctx, func(t *tx) error {
		rows, err := t.query(ctx, "SELECT "+linkStateColumns+` FROM applications a
			JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ? AND a.status = ? ORDER BY a.id`,
			email, string(hiring.ApplicationActive))
		if err != nil {
			return fmt.Errorf("find applications to send links for: %w", err)
		}
		var ids []int64
		for rows.Next() {
			l, err := scanLinkState(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("find applications to send links for: %w", err)
			}
			if l.revoked == nil && t.now.Before(l.expires) {
				ids = append(ids, l.appID)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find applications to send links for: %w", err)
		}
		for _, id := range ids {
			if err := t.lockRow(ctx, "applications", id); err != nil {
				return err
			}
			if err := s.issueLink(ctx, t, id); err != nil {
				return err
			}
		}
		return nil
	})
}
