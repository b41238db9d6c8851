package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// OpeningService makes, finds and edits openings and their vacancies.
type OpeningService struct {
	db *DB
}

var _ hiring.OpeningService = (*OpeningService)(nil)

// NewOpeningService returns an OpeningService on db.
func NewOpeningService(db *DB) *OpeningService { return &OpeningService{db: db} }

// Audit log names of openings.
const (
	entityOpening = "opening"
	actionStatus  = "status"
)

// requisitionCounter names the counters row that requisition ids come from.
const requisitionCounter = "requisition"

const openingColumns = `o.id, o.requisition_id, o.role_id, o.specialty, o.title, o.department_id,
	o.teams, o.locations, o.employment_type, o.pay_min, o.pay_max, o.pay_currency, o.pay_period,
	o.status, o.opened_at, o.closed_at, o.target_quarter, o.hiring_manager_id, o.recruiter_id,
	o.coordinator_id, o.description, o.questions, o.created_at, o.updated_at,
	d.parent_id, d.name, d.slug, d.created_at`

const openingFrom = " FROM openings o LEFT JOIN departments d ON d.id = o.department_id"

func scanOpening(sc interface{ Scan(...any) error }) (*hiring.Opening, error) {
	o := &hiring.Opening{}
	var (
		teams, locs, questions string
		payMin, payMax         sql.NullInt64
		payCurrency, payPeriod sql.NullString
		depParent              *int64
		depName, depSlug       sql.NullString
		depCreated             *time.Time
	)
	err := sc.Scan(&o.ID, &o.RequisitionID, &o.RoleID, &o.Specialty, &o.Title, &o.DepartmentID,
		&teams, &locs, &o.EmploymentType, &payMin, &payMax, &payCurrency, &payPeriod,
		&o.Status, nullTimeColumn{&o.OpenedAt}, nullTimeColumn{&o.ClosedAt}, &o.TargetQuarter,
		&o.HiringManagerID, &o.RecruiterID, &o.CoordinatorID, &o.Description, &questions,
		timeColumn{&o.CreatedAt}, timeColumn{&o.UpdatedAt},
		&depParent, &depName, &depSlug, nullTimeColumn{&depCreated})
	if err != nil {
		return nil, err
	}
	for _, l := range []struct {
		text string
		into any
	}{{teams, &o.Teams}, {locs, &o.Locations}, {questions, &o.Questions}} {
		if err := json.Unmarshal([]byte(l.text), l.into); err != nil {
			return nil, fmt.Errorf("opening %d: read list: %w", o.ID, err)
		}
	}
	if o.Locations == nil {
		o.Locations = []hiring.Location{}
	}
	if o.Questions == nil {
		o.Questions = []hiring.Question{}
	}
	if payMin.Valid && payMax.Valid {
		o.Pay = &hiring.PayRange{Min: payMin.Int64, Max: payMax.Int64,
			Currency: payCurrency.String, Period: hiring.PayPeriod(payPeriod.String)}
	}
	if o.DepartmentID != nil && depCreated != nil {
		o.Department = &hiring.Department{ID: *o.DepartmentID, ParentID: depParent,
			Name: depName.String, Slug: depSlug.String, CreatedAt: *depCreated}
	}
	return o, nil
}

// findOpening returns an opening with its department, without role or
// vacancies.
func findOpening(ctx context.Context, r runner, id int64) (*hiring.Opening, error) {
	o, err := scanOpening(r.queryRow(ctx, "SELECT "+openingColumns+openingFrom+" WHERE o.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Opening")
	} else if err != nil {
		return nil, fmt.Errorf("find opening %d: %w", id, err)
	}
	return o, nil
}

// findOpeningFull adds the role, with its family, and every vacancy.
func findOpeningFull(ctx context.Context, r runner, id int64) (*hiring.Opening, error) {
	o, err := findOpening(ctx, r, id)
	if err != nil {
		return nil, err
	}
	if o.Role, err = findRoleByID(ctx, r, o.RoleID); err != nil {
		return nil, err
	}
	if o.Vacancies, err = findVacancies(ctx, r, id); err != nil {
		return nil, err
	}
	return o, nil
}

func findVacancies(ctx context.Context, r runner, openingID int64) ([]*hiring.Vacancy, error) {
	rows, err := r.query(ctx, `SELECT id, opening_id, number, code, team, status, filled_at, closed_at, created_at
		FROM vacancies WHERE opening_id = ? ORDER BY number`, openingID)
	if err != nil {
		return nil, fmt.Errorf("find vacancies of opening %d: %w", openingID, err)
	}
	defer rows.Close()
	vs := []*hiring.Vacancy{}
	for rows.Next() {
		v := &hiring.Vacancy{}
		if err := rows.Scan(&v.ID, &v.OpeningID, &v.Number, &v.Code, &v.Team, &v.Status,
			nullTimeColumn{&v.FilledAt}, nullTimeColumn{&v.ClosedAt}, timeColumn{&v.CreatedAt}); err != nil {
			return nil, fmt.Errorf("read vacancy: %w", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find vacancies of opening %d: %w", openingID, err)
	}
	return vs, nil
}

// FindOpeningByID returns the opening with its department, its role (with
// the role's family) and all its vacancies.
func (s *OpeningService) FindOpeningByID(ctx context.Context, id int64) (*hiring.Opening, error) {
	return findOpeningFull(ctx, s.db.reader(), id)
}

// FindOpenings returns a page of openings with their departments, and the
// total count. Without Newest they are ordered by department and title, as
// a careers site groups them.
func (s *OpeningService) FindOpenings(ctx context.Context, filter hiring.OpeningFilter) ([]*hiring.Opening, int, error) {
	offset, limit, err := pageBounds(filter.Offset, filter.Limit)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if filter.ID != nil {
		w.add("o.id = ?", *filter.ID)
	}
	if filter.RoleID != nil {
		w.add("o.role_id = ?", *filter.RoleID)
	}
	if filter.Status != nil {
		w.add("o.status = ?", string(*filter.Status))
	}
	if filter.HiringManagerID != nil {
		w.add("o.hiring_manager_id = ?", *filter.HiringManagerID)
	}
	if filter.DepartmentID != nil {
		w.add(inDepartmentTree("o.department_id"), *filter.DepartmentID)
	}
	if loc := strings.TrimSpace(filter.Location); loc != "" {
		w.add(`EXISTS (SELECT 1 FROM opening_locations l WHERE l.opening_id = o.id
			AND (l.name_fold = ? OR l.country_code = ?))`, fold(loc), strings.ToUpper(loc))
	}
	if filter.Remote != nil {
		cond := "EXISTS (SELECT 1 FROM opening_locations l WHERE l.opening_id = o.id AND l.remote = ?)"
		if !*filter.Remote {
			cond = "NOT " + cond
		}
		w.add(cond, true)
	}
	if q := strings.TrimSpace(filter.Query); q != "" {
		w.add(`o.title_fold LIKE ? ESCAPE '\'`, containsPattern(q))
	}
	order := " ORDER BY COALESCE(d.slug, ''), o.title_fold, o.id"
	if filter.Newest {
		order = " ORDER BY COALESCE(o.opened_at, o.created_at) DESC, o.id DESC"
	}
	r := s.db.reader()
	total, err := r.count(ctx, "SELECT COUNT(*) FROM openings o"+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count openings: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+openingColumns+openingFrom+w.String()+order+" LIMIT ? OFFSET ?",
		append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find openings: %w", err)
	}
	defer rows.Close()
	out := []*hiring.Opening{}
	for rows.Next() {
		o, err := scanOpening(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read opening: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find openings: %w", err)
	}
	return out, total, nil
}

// CreateOpening makes a draft opening from a role. What n leaves out comes
// from the role: the title (with the specialty), the department of its
// family and a description composed from its page.
func (s *OpeningService) CreateOpening(ctx context.Context, n hiring.NewOpening) (*hiring.Opening, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.Opening
	err := s.db.transact(ctx, func(t *tx) error {
		role, err := findRoleByID(ctx, t.runner, n.RoleID)
		if hiring.ErrorCode(err) == hiring.ENOTFOUND {
			return fieldError(hiring.EINVALID, "role_id", "This role does not exist.")
		} else if err != nil {
			return err
		}
		if role.ArchivedAt != nil {
			return fieldError(hiring.EINVALID, "role_id", "This role is archived; choose a current one.")
		}
		specialty, err := roleSpecialty(role, n.Specialty)
		if err != nil {
			return err
		}
		o := &hiring.Opening{
			RoleID: role.ID, Specialty: specialty, Title: n.Title, DepartmentID: n.DepartmentID,
			Teams: n.Teams, Locations: n.Locations, EmploymentType: n.EmploymentType, Pay: n.Pay,
			Status: hiring.OpeningDraft, TargetQuarter: n.TargetQuarter,
			HiringManagerID: n.HiringManagerID, RecruiterID: n.RecruiterID, CoordinatorID: n.CoordinatorID,
			Description: n.Description, Questions: n.Questions,
		}
		if o.Title == "" {
			o.Title = role.Title
			if specialty != "" {
				o.Title += ", " + specialty
			}
			o.Title = truncateUTF8(o.Title, hiring.MaxTitleLen)
		}
		if o.DepartmentID == nil && role.Family != nil {
			o.DepartmentID = role.Family.DepartmentID
		}
		if strings.TrimSpace(o.Description) == "" {
			o.Description = hiring.ComposeDescriptionFor(role, specialty)
		}
		if err := checkOpeningRefs(ctx, t, o.DepartmentID, o.HiringManagerID, o.RecruiterID, o.CoordinatorID); err != nil {
			return err
		}
		lastQuestion, err := assignQuestionIDs(o.Questions, nil, 0)
		if err != nil {
			return err
		}
		o.RequisitionID = n.RequisitionID
		if o.RequisitionID == "" {
			if o.RequisitionID, err = nextRequisitionID(ctx, t); err != nil {
				return err
			}
		}
		args, err := openingContent(o)
		if err != nil {
			return err
		}
		args = append([]any{o.RequisitionID, o.RoleID}, args...)
		args = append(args, o.Status, lastQuestion, t.now, t.now)
		o.ID, err = t.insert(ctx, "INSERT INTO openings (requisition_id, role_id, "+openingContentNames+
			", status, last_question_id, created_at, updated_at) VALUES ("+placeholders(len(args))+")", args...)
		if t.d.isUniqueViolation(err) {
			return fieldError(hiring.ECONFLICT, "requisition_id", "Another opening already has this requisition id.")
		} else if err != nil {
			return fmt.Errorf("create opening: %w", err)
		}
		if err := writeLocations(ctx, t, o.ID, o.Locations); err != nil {
			return err
		}
		if err := syncVacancies(ctx, t, o.ID, o.RequisitionID, o.Teams); err != nil {
			return err
		}
		detail := fmt.Sprintf("created %s %s from role %q with %d vacancies", o.RequisitionID, o.Title, role.Title, o.TotalVacancies())
		if err := writeAudit(ctx, t, actionCreate, entityOpening, o.ID, detail); err != nil {
			return err
		}
		out, err = findOpeningFull(ctx, t.runner, o.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fieldError is a coded error about one field.
func fieldError(code, field, msg string) error {
	return &hiring.Error{Code: code, Message: msg, Fields: map[string]string{field: msg}}
}

// roleSpecialty returns the role's spelling of a specialty it has, or "".
func roleSpecialty(role *hiring.Role, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	for _, sp := range role.Specialties {
		if strings.EqualFold(sp.Name, name) {
			return sp.Name, nil
		}
	}
	return "", fieldError(hiring.EINVALID, "specialty", "The role has no specialty of this name.")
}

// checkOpeningRefs checks that the department and people an opening names
// exist, naming the field of each that does not.
func checkOpeningRefs(ctx context.Context, t *tx, dep, manager, recruiter, coordinator *int64) error {
	v := hiring.Validation{}
	for _, ref := range []struct {
		field, table string
		id           *int64
	}{
		{"department_id", "departments", dep}, {"hiring_manager_id", "users", manager},
		{"recruiter_id", "users", recruiter}, {"coordinator_id", "users", coordinator},
	} {
		if ref.id == nil {
			continue
		}
		n, err := t.count(ctx, "SELECT COUNT(*) FROM "+ref.table+" WHERE id = ?", *ref.id)
		if err != nil {
			return fmt.Errorf("check %s: %w", ref.field, err)
		}
		if n == 0 {
			if ref.table == "users" {
				v.Add(ref.field, "No user has this id.")
			} else {
				v.Add(ref.field, "No department has this id.")
			}
		}
	}
	return v.Err()
}

// nextRequisitionID takes the next number of the requisition counter that no
// opening uses yet; a number may have been given by hand.
func nextRequisitionID(ctx context.Context, t *tx) (string, error) {
	for range 1000 {
		var n int64
		err := t.queryRow(ctx, "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value",
			requisitionCounter).Scan(&n)
		if err != nil {
			return "", fmt.Errorf("next requisition id: %w", err)
		}
		id := strconv.FormatInt(n, 10)
		taken, err := t.count(ctx, "SELECT COUNT(*) FROM openings WHERE requisition_id = ?", id)
		if err != nil {
			return "", fmt.Errorf("next requisition id: %w", err)
		}
		if taken == 0 {
			return id, nil
		}
	}
	return "", errors.New("next requisition id: 1000 numbers in a row are taken")
}

// assignQuestionIDs gives new questions (id 0) the next ids after last and
// checks that the others are questions the opening has; it returns the new
// last id.
func assignQuestionIDs(qs []hiring.Question, current []hiring.Question, last int64) (int64, error) {
	v := hiring.Validation{}
	for i := range qs {
		q := &qs[i]
		if q.ID == 0 {
			last++
			q.ID = last
			continue
		}
		if !slices.ContainsFunc(current, func(c hiring.Question) bool { return c.ID == q.ID }) {
			v.Add(fmt.Sprintf("questions[%d].id", i), "This question is not one of the opening's; leave the id out for a new question.")
		}
	}
	return last, v.Err()
}

const openingContentNames = `specialty, title, title_fold, department_id, teams, locations,
	employment_type, pay_min, pay_max, pay_currency, pay_period, target_quarter,
	hiring_manager_id, recruiter_id, coordinator_id, description, questions`

const openingContentSet = `specialty = ?, title = ?, title_fold = ?, department_id = ?, teams = ?,
	locations = ?, employment_type = ?, pay_min = ?, pay_max = ?, pay_currency = ?, pay_period = ?,
	target_quarter = ?, hiring_manager_id = ?, recruiter_id = ?, coordinator_id = ?,
	description = ?, questions = ?`

// openingContent returns the values of openingContentNames.
func openingContent(o *hiring.Opening) ([]any, error) {
	var lists []any
	for _, l := range []any{o.Teams, o.Locations, o.Questions} {
		b, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("encode opening list: %w", err)
		}
		if string(b) == "null" {
			b = []byte("[]")
		}
		lists = append(lists, string(b))
	}
	var payMin, payMax, payCurrency, payPeriod any
	if o.Pay != nil {
		payMin, payMax, payCurrency, payPeriod = o.Pay.Min, o.Pay.Max, o.Pay.Currency, string(o.Pay.Period)
	}
	return []any{o.Specialty, o.Title, fold(o.Title), o.DepartmentID, lists[0], lists[1],
		string(o.EmploymentType), payMin, payMax, payCurrency, payPeriod, o.TargetQuarter,
		o.HiringManagerID, o.RecruiterID, o.CoordinatorID, o.Description, lists[2]}, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// writeLocations replaces the rows listings filter on.
func writeLocations(ctx context.Context, t *tx, openingID int64, locs []hiring.Location) error {
	if _, err := t.exec(ctx, "DELETE FROM opening_locations WHERE opening_id = ?", openingID); err != nil {
		return fmt.Errorf("replace locations of opening %d: %w", openingID, err)
	}
	for i, l := range locs {
		if _, err := t.exec(ctx, `INSERT INTO opening_locations (opening_id, position, name_fold, country_code, remote)
			VALUES (?, ?, ?, ?, ?)`, openingID, i, fold(l.Name), l.CountryCode, l.Remote); err != nil {
			return fmt.Errorf("write location of opening %d: %w", openingID, err)
		}
	}
	return nil
}

// seat is a vacancy as syncVacancies sees it.
type seat struct {
	id     int64
	number int
	team   string
	status hiring.VacancyStatus
}

// syncVacancies makes the opening's seats that are not closed match the
// teams: it adds seats with new numbers, closes open seats newest first,
// and refuses to drop below the seats a team has filled.
func syncVacancies(ctx context.Context, t *tx, openingID int64, reqID string, teams []hiring.TeamVacancies) error {
	var last int
	if err := t.queryRow(ctx, "SELECT last_vacancy FROM openings WHERE id = ?", openingID).Scan(&last); err != nil {
		return fmt.Errorf("read vacancies of opening %d: %w", openingID, err)
	}
	rows, err := t.query(ctx, "SELECT id, number, team, status FROM vacancies WHERE opening_id = ? AND status <> ? ORDER BY number",
		openingID, string(hiring.VacancyClosed))
	if err != nil {
		return fmt.Errorf("read vacancies of opening %d: %w", openingID, err)
	}
	byTeam := map[string][]seat{}
	var order []string
	for rows.Next() {
		var s seat
		if err := rows.Scan(&s.id, &s.number, &s.team, &s.status); err != nil {
			rows.Close()
			return fmt.Errorf("read vacancy: %w", err)
		}
		key := strings.ToLower(s.team)
		if _, ok := byTeam[key]; !ok {
			order = append(order, key)
		}
		byTeam[key] = append(byTeam[key], s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read vacancies of opening %d: %w", openingID, err)
	}

	want := map[string]hiring.TeamVacancies{}
	for _, tv := range teams {
		want[strings.ToLower(tv.Team)] = tv
	}
	v := hiring.Validation{}
	var closeIDs []int64
	for _, key := range order {
		seats := byTeam[key]
		filled := 0
		for _, s := range seats {
			if s.status == hiring.VacancyFilled {
				filled++
			}
		}
		n := want[key].Count // 0 when the team is gone
		if filled > n {
			v.Add("teams", fmt.Sprintf("The team %q has %d filled vacancies; it needs at least that many.", seats[0].team, filled))
			continue
		}
		active := len(seats)
		for i := len(seats) - 1; i >= 0 && active > n; i-- {
			if seats[i].status == hiring.VacancyOpen {
				closeIDs = append(closeIDs, seats[i].id)
				active--
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, id := range closeIDs {
		if _, err := t.exec(ctx, "UPDATE vacancies SET status = ?, closed_at = ? WHERE id = ?",
			string(hiring.VacancyClosed), t.now, id); err != nil {
			return fmt.Errorf("close vacancy %d: %w", id, err)
		}
	}
	for _, tv := range teams {
		key := strings.ToLower(tv.Team)
		have := len(byTeam[key])
		if have > tv.Count {
			have = tv.Count
		}
		// A team respelled ("create" to "Create") keeps its seats.
		if _, err := t.exec(ctx, "UPDATE vacancies SET team = ? WHERE opening_id = ? AND lower(team) = ? AND team <> ? AND status <> ?",
			tv.Team, openingID, key, tv.Team, string(hiring.VacancyClosed)); err != nil {
			return fmt.Errorf("rename team of opening %d: %w", openingID, err)
		}
		for range tv.Count - have {
			last++
			if _, err := t.exec(ctx, `INSERT INTO vacancies (opening_id, number, code, team, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?)`, openingID, last, hiring.VacancyCode(reqID, last), tv.Team,
				string(hiring.VacancyOpen), t.now); err != nil {
				if t.d.isUniqueViolation(err) {
					return fieldError(hiring.ECONFLICT, "teams", fmt.Sprintf(
						"The vacancy code %s is already used by another opening.", hiring.VacancyCode(reqID, last)))
				}
				return fmt.Errorf("create vacancy: %w", err)
			}
		}
	}
	if _, err := t.exec(ctx, "UPDATE openings SET last_vacancy = ? WHERE id = ?", last, openingID); err != nil {
		return fmt.Errorf("count vacancies of opening %d: %w", openingID, err)
	}
	return nil
}

// UpdateOpening changes the fields upd sets and records their names in the
// audit log. New or larger teams get new seats; smaller or removed teams
// close open seats, newest first.
func (s *OpeningService) UpdateOpening(ctx context.Context, id int64, upd hiring.OpeningUpdate) (*hiring.Opening, error) {
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	var out *hiring.Opening
	err := s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "openings", id); err != nil {
			return err
		}
		o, err := findOpening(ctx, t.runner, id)
		if err != nil {
			return err
		}
		var lastQuestion int64
		if err := t.queryRow(ctx, "SELECT last_question_id FROM openings WHERE id = ?", id).Scan(&lastQuestion); err != nil {
			return fmt.Errorf("read opening %d: %w", id, err)
		}
		if upd.Specialty != nil && *upd.Specialty != o.Specialty {
			role, err := findRoleByID(ctx, t.runner, o.RoleID)
			if err != nil {
				return err
			}
			if *upd.Specialty, err = roleSpecialty(role, *upd.Specialty); err != nil {
				return err
			}
		}
		if upd.Questions != nil {
			if lastQuestion, err = assignQuestionIDs(*upd.Questions, o.Questions, lastQuestion); err != nil {
				return err
			}
		}
		oldTeams := slices.Clone(o.Teams)
		changed := applyOpeningUpdate(o, upd)
		if len(changed) == 0 {
			out, err = findOpeningFull(ctx, t.runner, id)
			return err
		}
		if err := checkOpeningRefs(ctx, t, o.DepartmentID, o.HiringManagerID, o.RecruiterID, o.CoordinatorID); err != nil {
			return err
		}
		args, err := openingContent(o)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE openings SET "+openingContentSet+", last_question_id = ?, updated_at = ? WHERE id = ?",
			append(args, lastQuestion, t.now, id)...); err != nil {
			return fmt.Errorf("update opening %d: %w", id, err)
		}
		if slices.Contains(changed, "locations") {
			if err := writeLocations(ctx, t, id, o.Locations); err != nil {
				return err
			}
		}
		if !slices.Equal(oldTeams, o.Teams) {
			if err := syncVacancies(ctx, t, id, o.RequisitionID, o.Teams); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s %s: changed %s", o.RequisitionID, o.Title, strings.Join(changed, ", "))
		if err := writeAudit(ctx, t, actionUpdate, entityOpening, id, detail); err != nil {
			return err
		}
		out, err = findOpeningFull(ctx, t.runner, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyOpeningUpdate sets the fields upd names and returns, in a fixed
// order, the names of those whose value changed.
func applyOpeningUpdate(o *hiring.Opening, u hiring.OpeningUpdate) []string {
	var changed []string
	setText := func(name string, dst, src *string) {
		if src != nil && *dst != *src {
			*dst = *src
			changed = append(changed, name)
		}
	}
	setRef := func(name string, dst **int64, src *int64) {
		if src == nil {
			return
		}
		var next *int64
		if *src != 0 {
			id := *src
			next = &id
		}
		if (*dst == nil) != (next == nil) || (next != nil && **dst != *next) {
			*dst = next
			changed = append(changed, name)
		}
	}
	setText("title", &o.Title, u.Title)
	setText("specialty", &o.Specialty, u.Specialty)
	setRef("department_id", &o.DepartmentID, u.DepartmentID)
	if u.Teams != nil && !slices.Equal(o.Teams, *u.Teams) {
		o.Teams = slices.Clone(*u.Teams)
		changed = append(changed, "teams")
	}
	if u.Locations != nil && !slices.Equal(o.Locations, *u.Locations) {
		o.Locations = slices.Clone(*u.Locations)
		changed = append(changed, "locations")
	}
	if u.EmploymentType != nil && o.EmploymentType != *u.EmploymentType {
		o.EmploymentType = *u.EmploymentType
		changed = append(changed, "employment_type")
	}
	switch {
	case u.ClearPay && o.Pay != nil:
		o.Pay = nil
		changed = append(changed, "pay")
	case u.Pay != nil && (o.Pay == nil || *o.Pay != *u.Pay):
		p := *u.Pay
		o.Pay = &p
		changed = append(changed, "pay")
	}
	setText("target_quarter", &o.TargetQuarter, u.TargetQuarter)
	setRef("hiring_manager_id", &o.HiringManagerID, u.HiringManagerID)
	setRef("recruiter_id", &o.RecruiterID, u.RecruiterID)
	setRef("coordinator_id", &o.CoordinatorID, u.CoordinatorID)
	setText("description", &o.Description, u.Description)
	if u.Questions != nil && !questionsEqual(o.Questions, *u.Questions) {
		o.Questions = slices.Clone(*u.Questions)
		changed = append(changed, "questions")
	}
	return changed
}

func questionsEqual(a, b []hiring.Question) bool {
	return slices.EqualFunc(a, b, func(x, y hiring.Question) bool {
		return x.ID == y.ID && x.Label == y.Label && x.Type == y.Type && x.Required == y.Required &&
			slices.Equal(x.Options, y.Options)
	})
}

// SetOpeningStatus opens, closes or reopens an opening. Opening sets the
// posted date (OpenedAt) to now and clears ClosedAt; closing sets ClosedAt.
// Asking for the status it already has changes nothing.
func (s *OpeningService) SetOpeningStatus(ctx context.Context, id int64, status hiring.OpeningStatus) (*hiring.Opening, error) {
	if !status.Valid() {
		return nil, fieldError(hiring.EINVALID, "status", "Choose one of: draft, open, closed.")
	}
	var out *hiring.Opening
	err := s.db.transact(ctx, func(t *tx) error {
		if err := t.lockRow(ctx, "openings", id); err != nil {
			return err
		}
		o, err := findOpening(ctx, t.runner, id)
		if err != nil {
			return err
		}
		if o.Status != status {
			if !o.Status.CanMoveTo(status) {
				return fieldError(hiring.EINVALID, "status",
					fmt.Sprintf("An opening that is %s cannot become %s.", o.Status, status))
			}
			q := "UPDATE openings SET status = ?, closed_at = ?, updated_at = ? WHERE id = ?"
			args := []any{string(status), t.now, t.now, id}
			if status == hiring.OpeningOpen {
				q = "UPDATE openings SET status = ?, opened_at = ?, closed_at = NULL, updated_at = ? WHERE id = ?"
			}
			if _, err := t.exec(ctx, q, args...); err != nil {
				return fmt.Errorf("set status of opening %d: %w", id, err)
			}
			detail := fmt.Sprintf("%s %s: %s -> %s", o.RequisitionID, o.Title, o.Status, status)
			if err := writeAudit(ctx, t, actionStatus, entityOpening, id, detail); err != nil {
				return err
			}
		}
		out, err = findOpeningFull(ctx, t.runner, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
