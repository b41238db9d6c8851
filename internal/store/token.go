package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// API tokens look like "hl_" followed by 32 random bytes in base64url, so
// they are easy to recognise in a leaked file and impossible to guess. Only
// their SHA-256 is stored: a copy of the database does not give access.
const (
	tokenPrefix    = "hl_"
	secretBytes    = 32
	tokenLen       = len(tokenPrefix) + 43 // base64url of 32 bytes, unpadded
	setupTokenLen  = 43
	setupTokenLife = 24 * time.Hour
	// lastUsedStep is how stale last_used_at may get before a use records
	// it again, so that busy scripts do not write on every request.
	lastUsedStep = time.Minute
	// setupLockKey serialises the creation of the first admin.
	setupLockKey = 0x686972656c6f6f70 // "hireloop"
	// defaultTokenName names a token created without one.
	defaultTokenName = "API token"
)

func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func invalidToken() error {
	return hiring.Errorf(hiring.EUNAUTHORIZED, "The API token is not valid or was revoked.")
}

// CreateToken makes a new API token for the user and returns its secret,
// which is shown once and never stored.
func (s *UserService) CreateToken(ctx context.Context, userID int64, name string) (string, *hiring.APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = defaultTokenName
	}
	v := hiring.Validation{}
	v.Check(len(name) <= hiring.MaxTitleLen, "name", "This is too long.")
	v.Check(!strings.ContainsRune(name, 0), "name", "This contains a character that is not allowed.")
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	raw, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	secret := tokenPrefix + raw
	var tok *hiring.APIToken
	err = s.db.transact(ctx, func(t *tx) error {
		u, err := findUserByID(ctx, t.runner, userID)
		if err != nil {
			return err
		}
		id, err := t.insert(ctx, "INSERT INTO api_tokens (user_id, name, hash, created_at) VALUES (?, ?, ?, ?)",
			userID, name, hashSecret(secret), t.now)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		tok = &hiring.APIToken{ID: id, UserID: userID, Name: name, CreatedAt: t.now}
		return writeAudit(ctx, t, actionCreate, entityToken, id, fmt.Sprintf("token %q for %s", name, u.Email))
	})
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// FindUserByToken returns the owner of a live token and records when the
// token was used.
func (s *UserService) FindUserByToken(ctx context.Context, secret string) (*hiring.User, error) {
	if len(secret) != tokenLen || !strings.HasPrefix(secret, tokenPrefix) {
		return nil, invalidToken()
	}
	var (
		tokenID  int64
		lastUsed *time.Time
	)
	u, err := scanUser(s.db.reader().queryRow(ctx, "SELECT "+userColumns+`, t.id, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND t.revoked_at IS NULL`, hashSecret(secret)), &tokenID, nullTimeColumn{&lastUsed})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, invalidToken()
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	err = s.db.transact(ctx, func(t *tx) error {
		if lastUsed != nil && t.now.Sub(*lastUsed) < lastUsedStep {
			return nil
		}
		_, err := t.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", t.now, tokenID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record use of token %d: %w", tokenID, err)
	}
	return u, nil
}

// FindTokens returns the user's tokens, revoked ones included, newest first.
func (s *UserService) FindTokens(ctx context.Context, userID int64) ([]*hiring.APIToken, error) {
	rows, err := s.db.reader().query(ctx, `SELECT id, user_id, name, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("find tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	toks := []*hiring.APIToken{}
	for rows.Next() {
		t := &hiring.APIToken{}
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, timeColumn{&t.CreatedAt},
			nullTimeColumn{&t.LastUsedAt}, nullTimeColumn{&t.RevokedAt}); err != nil {
			return nil, fmt.Errorf("read token: %w", err)
		}
		toks = append(toks, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find tokens of user %d: %w", userID, err)
	}
	return toks, nil
}

// RevokeToken revokes one of the user's own tokens. Another user's token is
// not found, so token ids of others stay private. Revoking twice is fine.
func (s *UserService) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.db.transact(ctx, func(t *tx) error {
		var (
			name    string
			revoked *time.Time
		)
		err := t.queryRow(ctx, "SELECT name, revoked_at FROM api_tokens WHERE id = ? AND user_id = ?",
			tokenID, userID).Scan(&name, nullTimeColumn{&revoked})
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("API token")
		} else if err != nil {
			return fmt.Errorf("find token %d: %w", tokenID, err)
		}
		if revoked != nil {
			return nil
		}
		if _, err := t.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", t.now, tokenID); err != nil {
			return fmt.Errorf("revoke token %d: %w", tokenID, err)
		}
		return writeAudit(ctx, t, actionRevoke, entityToken, tokenID, fmt.Sprintf("token %q", name))
	})
}

func accountExists() error {
	return hiring.Errorf(hiring.ECONFLICT, "hireloop already has an account; sign in instead.")
}

// CreateSetupToken returns a secret, valid for a day, that lets the first
// admin create their account. It fails once any account exists.
func (s *UserService) CreateSetupToken(ctx context.Context) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	err = s.db.transact(ctx, func(t *tx) error {
		if err := t.d.serialize(ctx, t, setupLockKey); err != nil {
			return fmt.Errorf("lock setup: %w", err)
		}
		n, err := t.count(ctx, "SELECT COUNT(*) FROM users")
		if err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if n > 0 {
			return accountExists()
		}
		_, err = t.exec(ctx, "INSERT INTO setup_tokens (hash, expires_at, created_at) VALUES (?, ?, ?)",
			hashSecret(secret), t.now.Add(setupTokenLife), t.now)
		if err != nil {
			return fmt.Errorf("create setup token: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// CreateFirstAdmin spends a setup token to create the first account, always
// an admin. Once it succeeds every other setup token is spent too.
func (s *UserService) CreateFirstAdmin(ctx context.Context, setupToken string, n hiring.NewUser) (*hiring.User, error) {
	n.Role = hiring.RoleAdmin
	if err := n.Validate(); err != nil {
		return nil, err
	}
	badLink := hiring.Errorf(hiring.EUNAUTHORIZED,
		"This setup link is not valid any more. Start hireloop again to get a new one.")
	if len(setupToken) != setupTokenLen {
		return nil, badLink
	}
	hash, err := s.hash(n.Password)
	if err != nil {
		return nil, err
	}
	var u *hiring.User
	err = s.db.transact(ctx, func(t *tx) error {
		if err := t.d.serialize(ctx, t, setupLockKey); err != nil {
			return fmt.Errorf("lock setup: %w", err)
		}
		var (
			expires time.Time
			used    *time.Time
		)
		err := t.queryRow(ctx, "SELECT expires_at, used_at FROM setup_tokens WHERE hash = ?",
			hashSecret(setupToken)).Scan(timeColumn{&expires}, nullTimeColumn{&used})
		if errors.Is(err, sql.ErrNoRows) {
			return badLink
		} else if err != nil {
			return fmt.Errorf("find setup token: %w", err)
		}
		if used != nil || !t.now.Before(expires) {
			return badLink
		}
		count, err := t.count(ctx, "SELECT COUNT(*) FROM users")
		if err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if count > 0 {
			return accountExists()
		}
		if _, err := t.exec(ctx, "UPDATE setup_tokens SET used_at = ? WHERE used_at IS NULL", t.now); err != nil {
			return fmt.Errorf("spend setup tokens: %w", err)
		}
		if u, err = insertUser(ctx, t, n, hash); err != nil {
			return err
		}
		// The first admin made their own account.
		return writeAudit(hiring.NewContextWithActor(ctx, u), t, actionCreate, entityUser, u.ID,
			fmt.Sprintf("created %s with role %s through the setup link", u.Email, u.Role))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
