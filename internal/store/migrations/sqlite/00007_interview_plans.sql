-- Interview plans and templates, the stage and version of each application,
-- its progress through the steps of the plan and its timeline of events.
--
-- applications.stage_id is the stage an application sits in; NULL means it
-- has not been placed yet and counts as being in the first stage of its
-- opening's plan. applications.stage keeps the stage's name for display and
-- for listings that filter on it. applications.version goes up with every
-- change made through the pipeline, so that two people moving the same
-- application at once cannot undo each other's change.

-- +goose Up
CREATE TABLE interview_plans (
    id           INTEGER PRIMARY KEY,
    -- NULL for a template; an opening has at most one plan.
    opening_id   INTEGER UNIQUE REFERENCES openings (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Names a template hireloop ships; '' for every other plan.
    template_key TEXT    NOT NULL DEFAULT '',
    -- The template an opening's plan was copied from.
    template_id  INTEGER REFERENCES interview_plans (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX interview_plans_key_idx ON interview_plans (template_key) WHERE template_key <> '';
CREATE INDEX interview_plans_template_idx ON interview_plans (template_id);

CREATE TABLE plan_stages (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES interview_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
CREATE INDEX plan_stages_plan_idx ON plan_stages (plan_id, position);

CREATE TABLE plan_steps (
    id              INTEGER PRIMARY KEY,
    stage_id        INTEGER NOT NULL REFERENCES plan_stages (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('application_review', 'screen', 'assessment', 'technical',
                        'hiring_manager', 'peer', 'panel', 'leadership', 'executive', 'references', 'offer', 'custom')),
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    minutes         INTEGER NOT NULL DEFAULT 0 CHECK (minutes BETWEEN 0 AND 1440),
    interviewer_ids TEXT    NOT NULL DEFAULT '[]',
    instructions    TEXT    NOT NULL DEFAULT '',
    candidate_notes TEXT    NOT NULL DEFAULT '',
    optional        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_steps_stage_idx ON plan_steps (stage_id, position);

ALTER TABLE applications ADD COLUMN stage_id INTEGER REFERENCES plan_stages (id) ON DELETE SET NULL;
ALTER TABLE applications ADD COLUMN stage_entered_at TEXT;
ALTER TABLE applications ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX applications_stage_idx ON applications (stage_id);
-- The board reads a page of each stage's active applications, longest
-- waiting first; an application never moved has waited since it applied.
CREATE INDEX applications_board_idx ON applications (opening_id, stage_id, COALESCE(stage_entered_at, created_at), id)
    WHERE status = 'active';

CREATE TABLE application_steps (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    step_id        INTEGER NOT NULL REFERENCES plan_steps (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'scheduled', 'done', 'skipped', 'no_show')),
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (application_id, step_id)
) WITHOUT ROWID;
CREATE INDEX application_steps_step_idx ON application_steps (step_id);

-- Events keep the words of stages and steps, so a timeline still reads
-- right after the plan changed.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    actor_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_label    TEXT    NOT NULL,
    from_stage     TEXT    NOT NULL DEFAULT '',
    to_stage       TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    detail         TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL
);
CREATE INDEX application_events_application_idx ON application_events (application_id, id);

-- +goose StatementBegin
INSERT INTO interview_plans (name, template_key, created_at, updated_at) VALUES
    ('Infrastructure loop', 'infrastructure', strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'), strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now')),
    ('Backend loop', 'backend', strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'), strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'));
-- +goose StatementEnd

-- +goose StatementBegin
WITH s (template_key, position, name) AS (VALUES
    ('infrastructure', 0, 'Application review'),
    ('infrastructure', 1, 'Screening call'),
    ('infrastructure', 2, 'Technical interview'),
    ('infrastructure', 3, 'Hiring manager interview'),
    ('infrastructure', 4, 'Peer interview'),
    ('infrastructure', 5, 'Leadership interview'),
    ('infrastructure', 6, 'Reference checks'),
    ('infrastructure', 7, 'Offer'),
    ('backend', 0, 'Application review'),
    ('backend', 1, 'Screening call'),
    ('backend', 2, 'Management panel'),
    ('backend', 3, 'Team interviews and references'),
    ('backend', 4, 'VP of Engineering'),
    ('backend', 5, 'CEO'),
    ('backend', 6, 'Offer')
)
INSERT INTO plan_stages (plan_id, position, name)
SELECT p.id, s.position, s.name FROM interview_plans p JOIN s ON s.template_key = p.template_key
ORDER BY p.id, s.position;
-- +goose StatementEnd

-- +goose StatementBegin
WITH s (template_key, stage, position, kind, name, minutes, instructions, candidate_notes, optional) AS (VALUES
    ('infrastructure', 0, 0, 'application_review', 'Application review', 0,
     'Compare the resume and answers with the requirements of the role. Useful signs are running Linux systems, CI/CD, programming or scripting (Ruby, Go), monitoring, cloud and containers, and being on call. Nobody has all of them: look for a good mix.',
     'Send the resume that best shows the experience the role asks for, and tell us about any adjustments that would help you in the interviews.',
     FALSE),
    ('infrastructure', 1, 0, 'screen', 'Screening call with a recruiter', 30,
     'Hear about the candidate''s experience, motivation and expectations. Check eligibility to work, availability and pay expectations against the compensation calculator. A few technical questions are fine. Leave time for their questions.',
     'A conversation with a recruiter about your experience and what you are looking for. Expect a few technical questions, and bring your own questions about the team.',
     FALSE),
    ('infrastructure', 2, 0, 'technical', 'Technical interview with the team', 90,
     'Run the team''s technical exercise. Any preparation asked of the candidate must fit in about an hour. Answer questions about the task freely.',
     'You will need a GitLab account. If there is anything to prepare we send it ahead; it takes about an hour. Ask whenever a task is not clear.',
     FALSE),
    ('infrastructure', 3, 0, 'hiring_manager', 'Interview with the hiring manager', 60,
     'Ask behavioral and scenario questions about past work, decisions and opinions. Judge alignment with our values, not cultural sameness.',
     'Expect questions about your experience and how you handled real situations. Concrete examples, told as situation, task, action and result, help.',
     FALSE),
    ('infrastructure', 4, 0, 'peer', 'Interview with a future peer', 60,
     'A member of the team the candidate would join talks through past work and opinions, and leaves plenty of room for questions about daily work.',
     'Meet someone doing a job like the one you applied for. It is a good moment to ask what working on the team is like.',
     FALSE),
    ('infrastructure', 5, 0, 'leadership', 'Interview with a senior leader', 60,
     'A senior manager, director or VP asks behavioral and scenario questions. This is the last interview of the loop.',
     'The last interview, with a senior leader of the department. Prepare as for the previous two conversations.',
     FALSE),
    ('infrastructure', 6, 0, 'references', 'Reference checks', 0,
     'Ask for three references, at least one a current or former manager, and complete at least two. Respect a wish not to contact the current employer. Update the candidate at least once a week until the checks are done.',
     'We ask for three professional references, one of them someone who managed you. You need not name anyone at your current employer. Tell us if a referee would rather speak another language than English.',
     FALSE),
    ('infrastructure', 7, 0, 'offer', 'Offer', 0,
     'The recruiter schedules a video call to present the offer.',
     'Your recruiter sets up a video call to go through the offer with you.',
     FALSE),
    ('backend', 0, 0, 'application_review', 'Application review', 0,
     'Read the application; ask the candidate follow-up questions about their answers where they help decide.',
     'We may send you a few questions about the answers in your application.',
     FALSE),
    ('backend', 1, 0, 'screen', 'Screening call with a recruiter', 30,
     'Hear about the candidate''s experience and motivation; check eligibility, availability and pay expectations.',
     'A short video call with a recruiter about your experience and what you are looking for.',
     FALSE),
    ('backend', 2, 0, 'panel', 'Panel with engineering managers', 60,
     'Engineering managers interview together. Agree beforehand who asks about what.',
     'A video interview with several engineering managers at once.',
     FALSE),
    ('backend', 3, 0, 'hiring_manager', 'Behavioral interview with the hiring manager', 60,
     'Behavioral questions about past work and collaboration. This step, the technical interview and the reference checks are scheduled together and may happen in any order.',
     'A conversation with the manager you would report to, about how you have worked so far.',
     FALSE),
    ('backend', 3, 1, 'technical', 'Technical interview with a team manager', 60,
     'Technical discussion led by an engineering manager of one of the teams. May happen before or after the other two steps of this stage.',
     'A technical conversation with an engineering manager. It may come before or after the other steps of this stage.',
     FALSE),
    ('backend', 3, 2, 'references', 'Reference checks', 0,
     'Ask for three references, at least one a manager, and complete at least two while the interviews of this stage go on. Update the candidate at least once a week.',
     'While these interviews happen, we ask for three professional references, one of them someone who managed you.',
     FALSE),
    ('backend', 4, 0, 'leadership', 'Interview with the VP of Engineering', 60,
     'The VP of Engineering meets candidates who completed the previous stage.',
     'A conversation with our VP of Engineering.',
     FALSE),
    ('backend', 5, 0, 'executive', 'Interview with the CEO', 60,
     'Only when the hiring team asks for it; otherwise pass this stage over.',
     'Some candidates also meet our CEO. We will tell you if this applies to you.',
     TRUE),
    ('backend', 6, 0, 'offer', 'Offer', 0,
     'The offer is sent by email after approval.',
     'Successful candidates receive their offer by email.',
     FALSE)
)
INSERT INTO plan_steps (stage_id, position, kind, name, minutes, instructions, candidate_notes, optional)
SELECT g.id, s.position, s.kind, s.name, s.minutes, s.instructions, s.candidate_notes, s.optional
FROM plan_stages g JOIN interview_plans p ON p.id = g.plan_id
    JOIN s ON s.template_key = p.template_key AND s.stage = g.position
ORDER BY g.id, s.position;
-- +goose StatementEnd

-- +goose Down
DROP TABLE application_events;
DROP TABLE application_steps;
DROP INDEX applications_board_idx;
DROP INDEX applications_stage_idx;
ALTER TABLE applications DROP COLUMN version;
ALTER TABLE applications DROP COLUMN stage_entered_at;
ALTER TABLE applications DROP COLUMN stage_id;
DROP TABLE plan_steps;
DROP TABLE plan_stages;
DROP TABLE interview_plans;
