-- Case work: people, cases, their append-only event logs, deadlines, loaded holiday
-- notices. SQLite dialect; keep in step with ../postgres/0002_cases.sql.
-- Dates are text 'YYYY-MM-DD' (so text order is date order); event times are the text the
-- caller gave ('YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM', China time). Timestamps are Unix seconds.

CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    bureau_id         INTEGER REFERENCES bureaus (id),
    name              TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('officer', 'leader', 'legal_reviewer', 'supervisor', 'clerk')),
    posts             TEXT NOT NULL,        -- JSON array of strings
    office            TEXT NOT NULL,
    certificate       TEXT,                 -- 执法证号
    certificate_until TEXT,                 -- date
    retired_at        INTEGER,
    created_at        INTEGER NOT NULL
);
CREATE INDEX people_bureau ON people (bureau_id);

CREATE TABLE cases (
    id         INTEGER PRIMARY KEY,
    bureau_id  INTEGER NOT NULL REFERENCES bureaus (id),
    -- The list version the case was opened under; never updated.
    version_id INTEGER NOT NULL REFERENCES versions (id),
    item_id    INTEGER NOT NULL REFERENCES items (id),
    item_seq   INTEGER,
    procedure  TEXT NOT NULL,
    label      TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    state      TEXT NOT NULL,               -- cache of the fold, for listings
    head_seq   INTEGER NOT NULL CHECK (head_seq >= 1),
    head_hash  TEXT NOT NULL,
    UNIQUE (bureau_id, label)
);
CREATE INDEX cases_state ON cases (bureau_id, state);

-- Append-only: the store has no statement that updates or deletes a row here.
CREATE TABLE case_events (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    at          TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    actors      TEXT NOT NULL,              -- JSON array of strings
    action      TEXT NOT NULL,
    body        TEXT NOT NULL,              -- canonical JSON, exactly the bytes hashed
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE case_deadlines (
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    due      TEXT,                          -- date; NULL when it cannot be computed
    counting TEXT NOT NULL,
    articles TEXT NOT NULL,                 -- JSON array of strings
    status   TEXT NOT NULL CHECK (status IN ('open', 'met', 'missed', 'error')),
    error    TEXT,
    PRIMARY KEY (case_id, position)
);
CREATE INDEX case_deadlines_due ON case_deadlines (status, due);

CREATE TABLE calendar_years (
    year      INTEGER PRIMARY KEY,
    notice    TEXT NOT NULL,                -- JSON
    loaded_by TEXT,
    loaded_at INTEGER NOT NULL
);
