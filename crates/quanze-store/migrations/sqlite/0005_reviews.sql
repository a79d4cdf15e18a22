-- Review and publication of list versions (issue 11): who submitted, approved, returned,
-- withdrew, published or deleted a draft, when, with what note (审核意见 / 调整说明), which
-- 批准文号, and which error findings were overridden with what reason.
-- SQLite dialect; keep in step with ../postgres/0005_reviews.sql.

-- Append-only: the store has no statement that updates or deletes a row, and the triggers
-- refuse it behind the store's back. `version_id` has no foreign key: the record of a
-- deleted draft outlives it (with the bureau and the number it had).
CREATE TABLE version_reviews (
    id             INTEGER PRIMARY KEY,
    version_id     INTEGER NOT NULL,
    bureau_id      INTEGER NOT NULL REFERENCES bureaus (id),
    version_number INTEGER NOT NULL CHECK (version_number >= 1),
    action         TEXT NOT NULL CHECK (action IN ('submit', 'approve', 'return', 'withdraw', 'publish', 'delete')),
    by_user        INTEGER REFERENCES users (id),
    by_name        TEXT NOT NULL,
    at             INTEGER NOT NULL,
    note           TEXT NOT NULL,
    approval_no    TEXT,
    overrides      TEXT NOT NULL,           -- JSON array of {code, item, line, message, reason}
    added          INTEGER NOT NULL CHECK (added >= 0),
    removed        INTEGER NOT NULL CHECK (removed >= 0),
    changed        INTEGER NOT NULL CHECK (changed >= 0)
);
CREATE INDEX version_reviews_version ON version_reviews (version_id, id);
CREATE INDEX version_reviews_bureau ON version_reviews (bureau_id, id);

CREATE TRIGGER version_reviews_no_update BEFORE UPDATE ON version_reviews
BEGIN SELECT RAISE(ABORT, 'version_reviews is append-only'); END;
CREATE TRIGGER version_reviews_no_delete BEFORE DELETE ON version_reviews
BEGIN SELECT RAISE(ABORT, 'version_reviews is append-only'); END;
