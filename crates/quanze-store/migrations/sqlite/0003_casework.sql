-- Officers at work (issue 8): logins of people, case assignments, the read log, issued
-- documents with their 文号, a case's particulars (当事人…) and published decisions.
-- SQLite dialect; keep in step with ../postgres/0003_casework.sql.

-- A person may log in: at most one person per account.
ALTER TABLE people ADD COLUMN user_id INTEGER REFERENCES users (id);
CREATE UNIQUE INDEX people_user ON people (user_id);

-- Who is on a case, from when, by whom; ending an assignment keeps the row.
CREATE TABLE case_assignments (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    duty        TEXT NOT NULL,              -- handler | legal_reviewer | presider | other
    assigned_at INTEGER NOT NULL,
    assigned_by INTEGER REFERENCES people (id),
    ended_at    INTEGER,
    ended_by    INTEGER REFERENCES people (id)
);
CREATE INDEX case_assignments_case ON case_assignments (case_id);
CREATE INDEX case_assignments_person ON case_assignments (person_id, ended_at);

-- Every read of a case, allowed or refused (个人信息保护法). Append-only: the triggers below
-- refuse any change, and the store has no statement that updates or deletes a row.
CREATE TABLE case_reads (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER REFERENCES cases (id),
    person_id    INTEGER REFERENCES people (id),
    user_id      INTEGER REFERENCES users (id),
    at           INTEGER NOT NULL,
    purpose      TEXT NOT NULL,             -- case | document | dossier | export
    detail       TEXT NOT NULL,             -- which document, which export…
    allowed      INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    refusal_code TEXT
);
CREATE INDEX case_reads_case ON case_reads (case_id, at);
CREATE INDEX case_reads_person ON case_reads (person_id, at);
CREATE INDEX case_reads_at ON case_reads (at);
CREATE TRIGGER case_reads_no_update BEFORE UPDATE ON case_reads
BEGIN SELECT RAISE(ABORT, 'case_reads is append-only'); END;
CREATE TRIGGER case_reads_no_delete BEFORE DELETE ON case_reads
BEGIN SELECT RAISE(ABORT, 'case_reads is append-only'); END;

-- The party and facts a case's documents are filled with (personal information: read
-- through the read log). Replaced as a whole; issued documents keep their own copy.
CREATE TABLE case_particulars (
    case_id    INTEGER PRIMARY KEY REFERENCES cases (id),
    body       TEXT NOT NULL,               -- JSON object
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES people (id)
);

-- The last 文号 number issued per bureau, document type and year. Bumped in the transaction
-- that appends the issuing event, so a rolled-back append gives its number back: gapless.
CREATE TABLE document_counters (
    bureau_id INTEGER NOT NULL REFERENCES bureaus (id),
    doc_type  TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL CHECK (last >= 1),
    PRIMARY KEY (bureau_id, doc_type, year)
);

-- Issued documents (文书): the fields as they were at issue, frozen.
CREATE TABLE case_documents (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    bureau_id INTEGER NOT NULL REFERENCES bureaus (id),
    event_seq INTEGER NOT NULL,             -- the event that issued it
    doc_type  TEXT NOT NULL,
    year      INTEGER NOT NULL,
    number    INTEGER,                      -- NULL for a document without a 文号 (笔录, 回证)
    doc_no    TEXT,                         -- 汤医保罚〔2026〕3号
    title     TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    fields    TEXT NOT NULL,                -- JSON object
    UNIQUE (bureau_id, doc_type, year, number)
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);

-- 行政执法公示: decisions the public may see, masked; retraction keeps the row.
CREATE TABLE publications (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    bureau_id      INTEGER NOT NULL REFERENCES bureaus (id),
    document_id    INTEGER REFERENCES case_documents (id),
    decided_on     TEXT NOT NULL,           -- date of the decision
    due            TEXT,                    -- last day to publish (NULL: could not be computed)
    published_at   INTEGER,
    body           TEXT NOT NULL,           -- JSON, already masked
    retracted_at   INTEGER,
    retracted_by   INTEGER REFERENCES people (id),
    retract_reason TEXT,
    UNIQUE (document_id)
);
CREATE INDEX publications_public ON publications (bureau_id, published_at);
