-- Scheduled interviews and who sits on them; the reply every active
-- application is owed ("hear back by") and the record of replies made;
-- message templates; email that carries calendar invitations, can be
-- cancelled before it is sent and is never queued twice; the expiry and
-- revocation of a candidate's private link; what candidates see of the
-- people who interview them.

-- +goose Up
CREATE TABLE interviews (
    id                  INTEGER PRIMARY KEY,
    application_id      INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    -- The step of the plan this interview is for; the name is kept so the
    -- interview still reads right after the plan changed.
    step_id             INTEGER REFERENCES plan_steps (id) ON DELETE SET NULL,
    step_name           TEXT    NOT NULL CHECK (length(step_name) BETWEEN 1 AND 200),
    status              TEXT    NOT NULL CHECK (status IN ('scheduled', 'done', 'cancelled', 'no_show')),
    -- UTC instants; time_zone is the IANA zone the times were entered in
    -- and are shown in.
    starts_at           TEXT    NOT NULL,
    ends_at             TEXT    NOT NULL,
    time_zone           TEXT    NOT NULL,
    location            TEXT    NOT NULL DEFAULT '',
    video_url           TEXT    NOT NULL DEFAULT '',
    -- Why an interview was scheduled less than 48 hours ahead.
    short_notice_reason TEXT    NOT NULL DEFAULT '',
    -- The iCalendar UID stays for the life of the interview; SEQUENCE goes
    -- up with every change sent to attendees.
    uid                 TEXT    NOT NULL UNIQUE,
    sequence            INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_by          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    cancelled_at        TEXT,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX interviews_application_idx ON interviews (application_id, starts_at);
CREATE INDEX interviews_scheduled_idx ON interviews (starts_at) WHERE status = 'scheduled';

CREATE TABLE interview_interviewers (
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (interview_id, user_id)
) WITHOUT ROWID;
CREATE INDEX interview_interviewers_user_idx ON interview_interviewers (user_id, interview_id);

-- Shown to candidates beside an interviewer's name.
ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN profile_url TEXT NOT NULL DEFAULT '';

-- The candidate's country (ISO 3166-1 alpha-2, '' when unknown) decides
-- which public holidays count for their deadlines; language chooses the
-- variant of each message template.
ALTER TABLE candidates ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE candidates ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE candidates ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- hear_back_by is the end of the day by which an active application is
-- owed a reply, NULL when none is owed; last_update_at is the last time
-- the candidate was told something (a message or a move).
ALTER TABLE applications ADD COLUMN hear_back_by TEXT;
ALTER TABLE applications ADD COLUMN last_update_at TEXT;
-- A candidate's private link expires and can be revoked.
ALTER TABLE applications ADD COLUMN guide_expires_at TEXT;
ALTER TABLE applications ADD COLUMN guide_revoked_at TEXT;
CREATE INDEX applications_reply_idx ON applications (hear_back_by)
    WHERE status = 'active' AND hear_back_by IS NOT NULL;
CREATE INDEX applications_opening_reply_idx ON applications (opening_id, hear_back_by)
    WHERE status = 'active' AND hear_back_by IS NOT NULL;

-- One row per reply owed and made, so an opening can show its share of
-- replies on time.
CREATE TABLE reply_records (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    opening_id     INTEGER NOT NULL REFERENCES openings (id) ON DELETE CASCADE,
    due_at         TEXT    NOT NULL,
    replied_at     TEXT    NOT NULL,
    on_time        INTEGER NOT NULL
);
CREATE INDEX reply_records_opening_idx ON reply_records (opening_id, replied_at);
CREATE INDEX reply_records_application_idx ON reply_records (application_id);

-- What hireloop writes to candidates, per event and language. An event
-- without a row for a language uses hireloop's built-in text.
CREATE TABLE message_templates (
    id         INTEGER PRIMARY KEY,
    event      TEXT    NOT NULL CHECK (length(event) BETWEEN 1 AND 50),
    language   TEXT    NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
    subject    TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    body       TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (event, language)
);

-- The outbox is rebuilt to accept a fourth status, cancelled, which SQLite
-- cannot add to a CHECK in place.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    -- The interview a message is about: an invitation, a cancellation or a
    -- reminder. Rescheduling or cancelling cancels its queued reminders.
    interview_id    INTEGER REFERENCES interviews (id) ON DELETE SET NULL,
    -- What the message is, such as confirmation, rejection, invitation or
    -- reminder: the outbox of an application shows it.
    kind            TEXT    NOT NULL DEFAULT '',
    to_address      TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL DEFAULT '',
    -- An iCalendar object sent as text/calendar with its METHOD
    -- (REQUEST or CANCEL); '' for plain mail.
    calendar        TEXT    NOT NULL DEFAULT '',
    calendar_method TEXT    NOT NULL DEFAULT '',
    -- A message queued twice under one key is queued once.
    dedupe_key      TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at TEXT    NOT NULL,
    sent_at         TEXT,
    created_at      TEXT    NOT NULL
);
INSERT INTO outbox_new (id, application_id, to_address, subject, text_body, html_body, status, attempts,
                        last_error, next_attempt_at, sent_at, created_at)
SELECT id, application_id, to_address, subject, text_body, html_body, status, attempts,
       last_error, next_attempt_at, sent_at, created_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_application_idx ON outbox (application_id);
CREATE INDEX outbox_interview_idx ON outbox (interview_id) WHERE interview_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_dedupe_idx ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;

-- +goose Down
CREATE TABLE outbox_old (
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
INSERT INTO outbox_old (id, application_id, to_address, subject, text_body, html_body, status, attempts,
                        last_error, next_attempt_at, sent_at, created_at)
SELECT id, application_id, to_address, subject, text_body, html_body,
       CASE status WHEN 'cancelled' THEN 'failed' ELSE status END, attempts,
       last_error, next_attempt_at, sent_at, created_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_application_idx ON outbox (application_id);
DROP TABLE message_templates;
DROP TABLE reply_records;
DROP INDEX applications_opening_reply_idx;
DROP INDEX applications_reply_idx;
ALTER TABLE applications DROP COLUMN guide_revoked_at;
ALTER TABLE applications DROP COLUMN guide_expires_at;
ALTER TABLE applications DROP COLUMN last_update_at;
ALTER TABLE applications DROP COLUMN hear_back_by;
ALTER TABLE candidates DROP COLUMN language;
ALTER TABLE candidates DROP COLUMN time_zone;
ALTER TABLE candidates DROP COLUMN country;
ALTER TABLE users DROP COLUMN profile_url;
ALTER TABLE users DROP COLUMN job_title;
DROP TABLE interview_interviewers;
DROP TABLE interviews;
