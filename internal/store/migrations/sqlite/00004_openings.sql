-- Openings (requisitions), their vacancies and locations, and the hiring
-- plan. Lists that are only ever read whole (teams, locations, questions)
-- are JSON arrays; locations are also kept in their own table so that
-- listings can filter on them.

-- +goose Up
CREATE TABLE counters (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
);
-- Requisition ids are assigned from 1001.
INSERT INTO counters (name, value) VALUES ('requisition', 1000);

CREATE TABLE openings (
    id                INTEGER PRIMARY KEY,
    requisition_id    TEXT    NOT NULL UNIQUE CHECK (length(requisition_id) BETWEEN 1 AND 40),
    role_id           INTEGER NOT NULL REFERENCES roles (id),
    specialty         TEXT    NOT NULL DEFAULT '',
    title             TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    title_fold        TEXT    NOT NULL,
    department_id     INTEGER REFERENCES departments (id),
    teams             TEXT    NOT NULL DEFAULT '[]',
    locations         TEXT    NOT NULL DEFAULT '[]',
    employment_type   TEXT    NOT NULL CHECK (employment_type IN ('full_time', 'part_time', 'contract', 'temporary', 'internship')),
    -- Pay in hundredths of the currency's main unit; all four or none.
    pay_min           INTEGER,
    pay_max           INTEGER,
    pay_currency      TEXT,
    pay_period        TEXT    CHECK (pay_period IS NULL OR pay_period IN ('year', 'hour')),
    status            TEXT    NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opened_at         TEXT,
    closed_at         TEXT,
    target_quarter    TEXT    NOT NULL DEFAULT '',
    hiring_manager_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    recruiter_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    coordinator_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    description       TEXT    NOT NULL DEFAULT '',
    questions         TEXT    NOT NULL DEFAULT '[]',
    -- The highest question id and vacancy number ever given, never reused.
    last_question_id  INTEGER NOT NULL DEFAULT 0,
    last_vacancy      INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX openings_status_department_idx ON openings (status, department_id);
CREATE INDEX openings_role_id_idx ON openings (role_id);

CREATE TABLE opening_locations (
    opening_id   INTEGER NOT NULL REFERENCES openings (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name_fold    TEXT    NOT NULL,
    country_code TEXT    NOT NULL DEFAULT '',
    remote       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (opening_id, position)
);
CREATE INDEX opening_locations_name_idx ON opening_locations (name_fold);
CREATE INDEX opening_locations_country_idx ON opening_locations (country_code);

CREATE TABLE vacancies (
    id         INTEGER PRIMARY KEY,
    opening_id INTEGER NOT NULL REFERENCES openings (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 1),
    code       TEXT    NOT NULL UNIQUE,
    team       TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL CHECK (status IN ('open', 'filled', 'closed')),
    filled_at  TEXT,
    closed_at  TEXT,
    created_at TEXT    NOT NULL,
    UNIQUE (opening_id, number)
);

CREATE TABLE plan_entries (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    team          TEXT    NOT NULL DEFAULT '',
    team_fold     TEXT    NOT NULL DEFAULT '',
    quarter       TEXT    NOT NULL CHECK (length(quarter) = 7),
    planned       INTEGER NOT NULL CHECK (planned BETWEEN 0 AND 10000),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (department_id, team_fold, quarter)
);
CREATE INDEX plan_entries_quarter_idx ON plan_entries (quarter);

-- +goose Down
DROP TABLE plan_entries;
DROP TABLE vacancies;
DROP TABLE opening_locations;
DROP TABLE openings;
DROP TABLE counters;
