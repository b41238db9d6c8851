package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/alexedwards/argon2id"

	"hireloop/internal/hiring"
)

// UserService manages accounts, passwords and API tokens.
type UserService struct {
	db *DB
	// params is the cost of password hashing; tests lower it.
	params *argon2id.Params

	// dummyHash is compared against when an email is unknown, so that a
	// wrong email takes as long as a wrong password.
	dummyOnce sync.Once
	dummyHash string
}

var _ hiring.UserService = (*UserService)(nil)

// NewUserService returns a UserService on db that hashes passwords with
// argon2id's recommended parameters.
func NewUserService(db *DB) *UserService {
	return &UserService{db: db, params: argon2id.DefaultParams}
}

// badCredentials is the one answer to a failed sign-in, whichever of the
// two inputs was wrong.
func badCredentials() error {
	return hiring.Errorf(hiring.EUNAUTHORIZED, "Email or password is incorrect.")
}

const userColumns = "u.id, u.email, u.name, u.role, u.job_title, u.profile_url, u.created_at"

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*hiring.User, error) {
	u := &hiring.User{}
	err := sc.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.JobTitle, &u.ProfileURL, timeColumn{&u.CreatedAt}},
		extra...)...)
	return u, err
}

// normalizeEmail matches how NewUser.Validate stores emails.
func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser validates n, hashes its password and stores the account. An
// email already in use, in any letter case, is an ECONFLICT on "email".
func (s *UserService) CreateUser(ctx context.Context, n hiring.NewUser) (*hiring.User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hash(n.Password)
	if err != nil {
		return nil, err
	}
	var u *hiring.User
	err = s.db.transact(ctx, func(t *tx) error {
		var err error
		u, err = insertUser(ctx, t, n, hash)
		if err != nil {
			return err
		}
		return writeAudit(ctx, t, actionCreate, entityUser, u.ID,
			fmt.Sprintf("created %s with role %s", u.Email, u.Role))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// hash runs before any transaction opens: it is slow on purpose, and the
// SQLite connection should not wait for it.
func (s *UserService) hash(password string) (string, error) {
	h, err := argon2id.CreateHash(password, s.params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

func insertUser(ctx context.Context, t *tx, n hiring.NewUser, hash string) (*hiring.User, error) {
	id, err := t.insert(ctx, "INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		n.Email, n.Name, string(n.Role), hash, t.now)
	if t.d.isUniqueViolation(err) {
		return nil, &hiring.Error{Code: hiring.ECONFLICT,
			Message: "An account with this email already exists.",
			Fields:  map[string]string{"email": "An account with this email already exists."}}
	} else if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return &hiring.User{ID: id, Email: n.Email, Name: n.Name, Role: n.Role, CreatedAt: t.now}, nil
}

// FindUserByID returns one account.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*hiring.User, error) {
	return findUserByID(ctx, s.db.reader(), id)
}

func findUserByID(ctx context.Context, r runner, id int64) (*hiring.User, error) {
	u, err := scanUser(r.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	} else if err != nil {
		return nil, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// FindUserByEmail returns the account with this email, in any letter case.
func (s *UserService) FindUserByEmail(ctx context.Context, email string) (*hiring.User, error) {
	u, _, err := s.findByEmailWithHash(ctx, email)
	return u, err
}

func (s *UserService) findByEmailWithHash(ctx context.Context, email string) (*hiring.User, string, error) {
	var hash string
	u, err := scanUser(s.db.reader().queryRow(ctx,
		"SELECT "+userColumns+", u.password_hash FROM users u WHERE u.email = ?", normalizeEmail(email)), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("User")
	} else if err != nil {
		return nil, "", fmt.Errorf("find user by email: %w", err)
	}
	return u, hash, nil
}

// FindUsers returns every account ordered by email; staff lists are short.
func (s *UserService) FindUsers(ctx context.Context) ([]*hiring.User, error) {
	rows, err := s.db.reader().query(ctx, "SELECT "+userColumns+" FROM users u ORDER BY u.email")
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	users := []*hiring.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("read user: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// CountUsers returns the number of accounts.
func (s *UserService) CountUsers(ctx context.Context) (int, error) {
	n, err := s.db.reader().count(ctx, "SELECT COUNT(*) FROM users")
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// maxPasswordLen bounds the work an attacker can ask for with a huge password.
const maxPasswordLen = 1024

// Authenticate returns the user whose email and password match. An unknown
// email costs one hash comparison too, so timing does not tell which emails
// have accounts.
func (s *UserService) Authenticate(ctx context.Context, email, password string) (*hiring.User, error) {
	if len(password) > maxPasswordLen {
		// No account has such a password: CreateUser refuses them.
		s.compareDummy(password[:maxPasswordLen])
		return nil, badCredentials()
	}
	u, hash, err := s.findByEmailWithHash(ctx, email)
	if hiring.ErrorCode(err) == hiring.ENOTFOUND {
		s.compareDummy(password)
		return nil, badCredentials()
	} else if err != nil {
		return nil, err
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return nil, fmt.Errorf("check password of user %d: %w", u.ID, err)
	}
	if !ok {
		return nil, badCredentials()
	}
	return u, nil
}

func (s *UserService) compareDummy(password string) {
	s.dummyOnce.Do(func() {
		// A failure leaves the hash empty and the comparison below returns
		// at once; the sign-in still fails as it should.
		s.dummyHash, _ = argon2id.CreateHash("no account has this password", s.params)
	})
	_, _ = argon2id.ComparePasswordAndHash(password, s.dummyHash)
}

// SetUserProfile sets the job title and profile link that candidates see
// of the user on their interviews, and records the change in the audit log.
func (s *UserService) SetUserProfile(ctx context.Context, id int64, p hiring.UserProfile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.transact(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "UPDATE users SET job_title = ?, profile_url = ? WHERE id = ?", p.JobTitle, p.ProfileURL, id)
		if err != nil {
			return fmt.Errorf("set profile of user %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("set profile of user %d: %w", id, err)
		} else if n == 0 {
			return notFound("User")
		}
		return writeAudit(ctx, t, actionUpdate, entityUser, id, "set job title and profile link")
	})
}
