-- quanze catalog store, SQLite dialect. Keep in step with ../postgres/0001_init.sql:
-- same tables, columns, constraints and indexes; only the types differ.
-- Times are seconds since the Unix epoch (UTC). Booleans are 0/1.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,            -- argon2id PHC string
    created_at    INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

CREATE TABLE bureaus (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    region             TEXT,
    created_at         INTEGER NOT NULL,
    -- Denormalized: the newest published version, else the newest version.
    -- Maintained in the same transaction as every version insert or publish.
    current_version_id INTEGER REFERENCES versions (id)
);

-- A role held by a user, optionally limited to one bureau. Several rows per user.
CREATE TABLE user_roles (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'leader', 'legal_reviewer', 'supervisor')),
    bureau_id INTEGER REFERENCES bureaus (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, COALESCE(bureau_id, 0));

CREATE TABLE versions (
    id           INTEGER PRIMARY KEY,
    bureau_id    INTEGER NOT NULL REFERENCES bureaus (id),
    number       INTEGER NOT NULL CHECK (number >= 1),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    imported_by  INTEGER REFERENCES users (id),
    imported_at  INTEGER NOT NULL,
    published_by INTEGER REFERENCES users (id),
    published_at INTEGER,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    title        TEXT,
    edition      TEXT,
    item_count   INTEGER NOT NULL,
    diagnostic_count INTEGER NOT NULL,
    catalog_json TEXT NOT NULL,             -- the whole Catalog, for faithful re-export
    UNIQUE (bureau_id, number),
    UNIQUE (bureau_id, sha256)
);

CREATE TABLE items (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,            -- 0-based index in Catalog.items
    seq        INTEGER,                     -- 序号 as printed
    name       TEXT NOT NULL,
    category   TEXT NOT NULL,               -- Category::id()
    subject    TEXT,
    code       TEXT,
    item_json  TEXT NOT NULL,               -- the PowerItem
    UNIQUE (version_id, position)
);

CREATE TABLE citations (
    item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    basis      TEXT NOT NULL CHECK (basis IN ('legal', 'accountability')),
    title      TEXT NOT NULL,               -- normalized statute title
    article    INTEGER                      -- NULL: the instrument as a whole
);
CREATE INDEX citations_title_article ON citations (title, article);
CREATE INDEX citations_item ON citations (item_id);

CREATE TABLE diagnostics (
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    severity   TEXT NOT NULL,
    code       TEXT NOT NULL,
    item_seq   INTEGER,
    line       INTEGER,
    message    TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
);

-- Server-side sessions. id is the SHA-256 (hex) of the token the client holds, so a copy
-- of the database does not hand out live sessions.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    csrf_token TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    remote   TEXT,
    at       INTEGER NOT NULL,
    success  INTEGER NOT NULL CHECK (success IN (0, 1))
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_remote ON login_attempts (remote, at);
