-- Candidates, their applications and uploaded files, voluntary
-- self-identification (kept apart), the outbox of email, and the full-text
-- index of candidates (FTS5).

-- +goose Up
CREATE TABLE candidates (
    id         INTEGER PRIMARY KEY,
    -- Emails are stored in lower case, so plain uniqueness is enough.
    email      TEXT    NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    name       TEXT    NOT NULL DEFAULT '',
    phone      TEXT    NOT NULL DEFAULT '',
    location   TEXT    NOT NULL DEFAULT '',
    links      TEXT    NOT NULL DEFAULT '[]',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE files (
    id           INTEGER PRIMARY KEY,
    -- The blob's key in file storage.
    key          TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    text_status  TEXT    NOT NULL CHECK (text_status IN ('pending', 'done', 'failed')),
    text         TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL
);
CREATE INDEX files_pending_idx ON files (id) WHERE text_status = 'pending';

CREATE TABLE applications (
    id                 INTEGER PRIMARY KEY,
    candidate_id       INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    opening_id         INTEGER NOT NULL REFERENCES openings (id),
    status             TEXT    NOT NULL CHECK (status IN ('active', 'rejected', 'withdrawn', 'hired')),
    stage              TEXT    NOT NULL,
    source             TEXT    NOT NULL,
    cover_letter       TEXT    NOT NULL DEFAULT '',
    answers            TEXT    NOT NULL DEFAULT '[]',
    resume_file_id     INTEGER REFERENCES files (id),
    adjustment_request TEXT    NOT NULL DEFAULT '',
    consent_at         TEXT    NOT NULL,
    retain_until       TEXT    NOT NULL,
    -- SHA-256 of the secret of the candidate's private link.
    guide_token_hash   TEXT    NOT NULL UNIQUE,
    idempotency_key    TEXT    NOT NULL DEFAULT '',
    vacancy_id         INTEGER REFERENCES vacancies (id),
    rejected_at        TEXT,
    withdrawn_at       TEXT,
    hired_at           TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE UNIQUE INDEX applications_idempotency_idx ON applications (candidate_id, opening_id, idempotency_key)
    WHERE idempotency_key <> '';
-- A person is in an opening's pipeline at most once at a time.
CREATE UNIQUE INDEX applications_one_active_idx ON applications (candidate_id, opening_id)
    WHERE status = 'active';
CREATE INDEX applications_opening_idx ON applications (opening_id, id);
CREATE INDEX applications_candidate_idx ON applications (candidate_id);
CREATE INDEX applications_resume_idx ON applications (resume_file_id);
CREATE INDEX applications_hired_idx ON applications (hired_at) WHERE status = 'hired';

-- No reference to a candidate or an application, a random key and the day
-- only: a row cannot be traced to a person.
CREATE TABLE self_identifications (
    id         TEXT    PRIMARY KEY,
    opening_id INTEGER NOT NULL REFERENCES openings (id) ON DELETE CASCADE,
    gender     TEXT    NOT NULL,
    ethnicity  TEXT    NOT NULL,
    veteran    TEXT    NOT NULL,
    disability TEXT    NOT NULL,
    created_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX self_identifications_opening_idx ON self_identifications (opening_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    to_address      TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at TEXT    NOT NULL,
    sent_at         TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_application_idx ON outbox (application_id);

-- One row per candidate, rowid = candidates.id. The text is already reduced
-- to lower-case words by the store, as in PostgreSQL. Searches match words,
-- never phrases, so the index keeps columns but not positions
-- (detail=column): it is smaller and prefix queries read less.
CREATE VIRTUAL TABLE candidate_search USING fts5 (
    name, email, resume, tokenize = 'unicode61 remove_diacritics 0', detail = column
);

-- +goose Down
DROP TABLE candidate_search;
DROP TABLE outbox;
DROP TABLE self_identifications;
DROP TABLE applications;
DROP TABLE files;
DROP TABLE candidates;
