-- Search rows keep the candidate's name and email beside the document, so
-- that ranking reads them from the rows a search has just found instead
-- of from candidates, whose pages the search has not touched. Rows written
-- before stay empty until their candidate is indexed again; ranking reads
-- candidates for those. A constant default adds the column without
-- rewriting the table.

-- +goose Up
ALTER TABLE candidate_search ADD COLUMN contact TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE candidate_search DROP COLUMN contact;
