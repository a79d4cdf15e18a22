-- Catalog changes, counted (issue 12): every write that adds a version or changes one
-- (import, publish) takes the next value of `catalog_epoch.n` in its own transaction and
-- stamps the version with it. A server polls the one row cheaply and reloads only the
-- versions stamped after the value it last applied, so several servers on one database
-- converge. The row lock on PostgreSQL makes the values commit in order: a writer waits for
-- the one before it, so a reader that sees n has seen every version stamped up to n.
CREATE TABLE catalog_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO catalog_epoch (id, n) VALUES (1, 0);
ALTER TABLE versions ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
CREATE INDEX versions_epoch ON versions (epoch);
