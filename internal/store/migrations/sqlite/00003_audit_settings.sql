-- The audit log (who changed what, when) and company-wide settings.

-- +goose Up
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    -- NULL for changes made from the command line.
    actor_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_label TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    detail      TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE audit_log;
