-- PostgreSQL's search rows gain the candidate's name and email for
-- ranking. SQLite reads them from candidates, which costs it little, so
-- nothing changes here; the version keeps both engines' migrations in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
