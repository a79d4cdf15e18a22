//! quanze-supervise — electronic supervision (电子监察).
//!
//! * [`classify`]: every accountability clause (追责情形) of a list mapped onto the rule kinds
//!   that case records can check, or `manual` with its reason; patterns are data
//!   (`data/clause-rules.toml`); a coverage report per list.
//! * [`kinds`]: the rule kinds, their labels and articles (`data/rules.toml`).
//!
//! Pure: no I/O, no async, no clock. "Now" is always a parameter.

pub mod classify;
pub mod kinds;

pub use classify::{
    Classification, ClassifiedClause, ClausePattern, ClauseRules, ClauseRulesError, Coverage, ItemCoverage,
    ManualGroup, classify_clauses, classify_item, clause_for, coverage, manual_groups, normalize,
    render_coverage, render_manual_groups,
};
pub use kinds::{KindSpec, RuleKind};
pub mod config;
pub mod rules;

pub use config::{Measures, SuperviseConfig};
pub use rules::{Alert, AlertItem, CaseWatch, Level, OutsideRecords, RuleContext, sweep};
pub mod log;

pub use log::{
    AlertRecord, AlertStatus, Escalation, LogAction, LogEntry, LogError, StoredEntry, SupervisionNotice,
    due_escalation, notice_reply_by, sync, verify_log,
};
