-- The full-text index of candidates becomes a set of words per candidate,
-- plus the vocabulary of every word indexed.
--
-- The store reduces text to lower-case words of letters and digits before
-- indexing, so the ascii tokenizer, which splits only on ASCII punctuation
-- and spaces, indexes exactly those words; PostgreSQL's documents hold the
-- same words. Searches match words and word prefixes, never phrases, and
-- rank the few matches they rank outside the index, so the index keeps
-- neither positions nor columns (detail=none) nor a copy of the text
-- (contentless; contentless_delete allows replacing a candidate's row).
-- Prefix indexes of one to three characters serve short query words that
-- start too many words to list one by one.
--
-- search_terms lets a query word be replaced by the words it starts, which
-- FTS5 walks newest first and stops at once, whereas its own prefix search
-- first gathers every match.

-- +goose Up
CREATE TABLE search_terms (
    term TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

CREATE VIRTUAL TABLE candidate_words USING fts5 (
    words, content = '', contentless_delete = 1, detail = none,
    tokenize = 'ascii', prefix = '1 2 3'
);
INSERT INTO candidate_words (rowid, words)
    SELECT rowid, name || ' ' || email || ' ' || resume FROM candidate_search;
DROP TABLE candidate_search;
ALTER TABLE candidate_words RENAME TO candidate_search;
INSERT INTO candidate_search (candidate_search) VALUES ('optimize');

CREATE VIRTUAL TABLE temp.candidate_search_terms USING fts5vocab (main, candidate_search, 'row');
INSERT INTO search_terms (term) SELECT term FROM temp.candidate_search_terms;
DROP TABLE temp.candidate_search_terms;

-- +goose Down
-- The old index is rebuilt from the stored text, which its own tokenizer
-- splits much as the store did.
DROP TABLE candidate_search;
DROP TABLE search_terms;
CREATE VIRTUAL TABLE candidate_search USING fts5 (
    name, email, resume, tokenize = 'unicode61 remove_diacritics 0', detail = column
);
INSERT INTO candidate_search (rowid, name, email, resume)
    SELECT c.id, c.name, c.email, coalesce((
        SELECT group_concat(f.text, ' ') FROM files f
        WHERE f.text_status = 'done' AND f.id IN (SELECT a.resume_file_id FROM applications a WHERE a.candidate_id = c.id)
    ), '')
    FROM candidates c;
