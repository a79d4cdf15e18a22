-- Electronic supervision (电子监察, issue 9): the alerts the rules of quanze-supervise raise,
-- each with its append-only, hash-chained log (raised, level changed, acknowledged, resolved
-- with a justification, reopened, 催办, 督办, 监察建议书 and its reply).
-- SQLite dialect; keep in step with ../postgres/0004_supervision.sql.

-- One row per alert: a case and the rule's key within it (`limit_passed:decision`). The
-- columns after `alert_key` are a cache of the fold of its log, for listings and filters, as
-- `cases.state` is for a case: the log in `alert_entries` is the truth.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    bureau_id   INTEGER NOT NULL REFERENCES bureaus (id),
    alert_key   TEXT NOT NULL,
    rule        TEXT NOT NULL,              -- quanze_supervise::RuleKind id
    level       TEXT NOT NULL CHECK (level IN ('notice', 'yellow', 'red', 'breach')),
    status      TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    escalation  TEXT NOT NULL CHECK (escalation IN ('none', 'reminded', 'supervised')),
    message     TEXT NOT NULL,
    arose_on    TEXT NOT NULL,              -- date the condition arose (the alert's `at`)
    raised_on   TEXT NOT NULL,              -- date of the first entry
    opened_on   TEXT NOT NULL,              -- date last (re)opened: escalation counts from it
    resolved_on TEXT,
    resolved_by TEXT,                       -- a person id, or 'system' when the condition ended
    notice_no   TEXT,                       -- the last 监察建议书's number
    notice_due  TEXT,                       -- its reply deadline while no reply is recorded
    record      TEXT NOT NULL,              -- JSON: the fold of the log
    head_seq    INTEGER NOT NULL CHECK (head_seq >= 1),
    head_hash   TEXT NOT NULL,
    UNIQUE (case_id, alert_key)
);
CREATE INDEX alerts_bureau ON alerts (bureau_id, status, arose_on);
CREATE INDEX alerts_open ON alerts (status, escalation);

-- Append-only: the store has no statement that updates or deletes a row, and the triggers
-- refuse it behind the store's back.
CREATE TABLE alert_entries (
    alert_id    INTEGER NOT NULL REFERENCES alerts (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    at          TEXT NOT NULL,              -- date (China time)
    recorded_at INTEGER NOT NULL,
    actor       TEXT NOT NULL,              -- a person id, or 'system'
    action      TEXT NOT NULL,
    body        TEXT NOT NULL,              -- canonical JSON, exactly the bytes hashed
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (alert_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER alert_entries_no_update BEFORE UPDATE ON alert_entries
BEGIN SELECT RAISE(ABORT, 'alert_entries is append-only'); END;
CREATE TRIGGER alert_entries_no_delete BEFORE DELETE ON alert_entries
BEGIN SELECT RAISE(ABORT, 'alert_entries is append-only'); END;
