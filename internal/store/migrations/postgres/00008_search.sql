-- The full-text documents of candidates become plain sets of words, with
-- bucket words, plus the vocabulary of every word indexed.
--
-- The store builds each document from the same words as SQLite's index:
-- quoted lexemes without positions or weights (matches are ranked outside
-- the index). Each document also holds '#N' and '##M', where N is the
-- candidate id divided by 4096 and M the id divided by 65536 (as
-- defaultPGSearch in the store says): a search for the newest matches of a
-- common word asks the GIN index for that word within the newest buckets,
-- and so reads a few thousand entries and rows, not a million.
--
-- The GIN index is written through (fastupdate off): a pending list would
-- be read in full by every search until the next vacuum.
--
-- search_terms lets a query word be replaced by the words it starts, which
-- GIN finds entry by entry, skipping through the common ones, whereas a
-- prefix (word:*) first gathers every match of every such word. It has no
-- unique index on purpose: two transactions adding the same new word never
-- wait for each other, and a word listed twice does no harm.

-- +goose Up
CREATE TABLE search_terms (
    term TEXT COLLATE "C" NOT NULL
);
INSERT INTO search_terms (term) SELECT word FROM ts_stat('SELECT document FROM candidate_search');
CREATE INDEX search_terms_term_idx ON search_terms (term);

CREATE TABLE candidate_words (
    candidate_id BIGINT   PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
    document     TSVECTOR NOT NULL
);
INSERT INTO candidate_words (candidate_id, document)
    SELECT candidate_id, strip(document) || array_to_tsvector(ARRAY['#' || (candidate_id / 4096), '##' || (candidate_id / 65536)])
    FROM candidate_search;
DROP TABLE candidate_search;
ALTER TABLE candidate_words RENAME TO candidate_search;
ALTER INDEX candidate_words_pkey RENAME TO candidate_search_pkey;
ALTER TABLE candidate_search RENAME CONSTRAINT candidate_words_candidate_id_fkey TO candidate_search_candidate_id_fkey;
CREATE INDEX candidate_search_document_idx ON candidate_search USING GIN (document) WITH (fastupdate = off);
ANALYZE search_terms, candidate_search;

-- +goose Down
DROP TABLE search_terms;
UPDATE candidate_search SET document = ts_delete(document, ARRAY['#' || (candidate_id / 4096), '##' || (candidate_id / 65536)]);
ALTER INDEX candidate_search_document_idx SET (fastupdate = on);
