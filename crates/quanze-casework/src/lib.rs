//! Cases over the store: the thin async shell that runs the pure case engine
//! (`quanze-case`) against `quanze-store`, and the scenario runner that the `quanze scenario`
//! command and the tests drive.
//!
//! Everything legal is decided by `quanze-case`; this crate only loads, folds, asks the engine,
//! chains what it answers and appends it, so the server, the CLI and the scenarios run one
//! code path.

pub mod demo;
pub mod documents;
pub mod officers;
pub mod people_import;
pub mod publication;
pub mod scenario;
pub mod service;
pub mod verify;

pub use service::{ActResult, CaseService, CaseView, CaseworkError, SealedEvent, SweepReport};
pub use officers::{Officer, WorkItem};
pub use verify::{VerifyReport, verify_store};

/// Today's date in China (UTC+8) from the system clock: the one clock the CLI and the server
/// use for case work (deadlines are days in China, whatever the machine's time zone).
/// `None` only when the clock is outside the years 1000–9999.
pub fn china_today() -> Option<quanze_model::Date> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    let secs = i64::try_from(secs).ok()?;
    quanze_model::Date::from_days_since_epoch((secs + 8 * 3600).div_euclid(86_400))
}
