-- Replies owed are listed earliest first, and reply dates tie often: each
-- is the end of a day. The indexes carry the id after the date, so that a
-- page in (date, id) order is read straight from them, without sorting
-- every application due on the same day.

-- +goose Up
DROP INDEX applications_reply_idx;
CREATE INDEX applications_reply_idx ON applications (hear_back_by, id)
    WHERE status = 'active' AND hear_back_by IS NOT NULL;
DROP INDEX applications_opening_reply_idx;
CREATE INDEX applications_opening_reply_idx ON applications (opening_id, hear_back_by, id)
    WHERE status = 'active' AND hear_back_by IS NOT NULL;

-- +goose Down
DROP INDEX applications_opening_reply_idx;
CREATE INDEX applications_opening_reply_idx ON applications (opening_id, hear_back_by)
    WHERE status = 'active' AND hear_back_by IS NOT NULL;
DROP INDEX applications_reply_idx;
CREATE INDEX applications_reply_idx ON applications (hear_back_by)
    WHERE status = 'active' AND hear_back_by IS NOT NULL;
