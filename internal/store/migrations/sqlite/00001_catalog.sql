-- The job architecture: nested departments, job families and their roles.
-- Timestamps are UTC text of fixed width (2006-01-02T15:04:05.000000Z), so
-- they sort and compare as text. Lists on a role are JSON arrays.

-- +goose Up
CREATE TABLE departments (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES departments (id),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug       TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 2000),
    created_at TEXT    NOT NULL
);
CREATE INDEX departments_parent_id_idx ON departments (parent_id);

CREATE TABLE families (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 250),
    title         TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    title_fold    TEXT    NOT NULL,
    summary       TEXT    NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    department_id INTEGER REFERENCES departments (id),
    source        TEXT    NOT NULL UNIQUE CHECK (length(source) BETWEEN 1 AND 1000),
    content_hash  TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX families_department_id_idx ON families (department_id);

CREATE TABLE roles (
    id                     INTEGER PRIMARY KEY,
    family_id              INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    slug                   TEXT    NOT NULL CHECK (length(slug) BETWEEN 1 AND 250),
    title                  TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    title_fold             TEXT    NOT NULL,
    level                  TEXT    NOT NULL DEFAULT '' CHECK (length(level) <= 200),
    grade                  REAL    CHECK (grade IS NULL OR (grade >= 4 AND grade <= 15)),
    summary                TEXT    NOT NULL DEFAULT '',
    responsibilities       TEXT    NOT NULL DEFAULT '[]',
    requirements           TEXT    NOT NULL DEFAULT '[]',
    nice_to_haves          TEXT    NOT NULL DEFAULT '[]',
    performance_indicators TEXT    NOT NULL DEFAULT '[]',
    specialties            TEXT    NOT NULL DEFAULT '[]',
    hiring_process         TEXT    NOT NULL DEFAULT '[]',
    career_ladder          TEXT    NOT NULL DEFAULT '',
    position               INTEGER NOT NULL DEFAULT 0,
    archived_at            TEXT,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL,
    UNIQUE (family_id, slug)
);
CREATE INDEX roles_grade_idx ON roles (grade);

-- +goose Down
DROP TABLE roles;
DROP TABLE families;
DROP TABLE departments;
