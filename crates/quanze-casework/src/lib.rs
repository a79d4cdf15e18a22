//! Cases over the store: the thin async shell that runs the pure case engine
//! (`quanze-case`) against `quanze-store`, and the scenario runner that the `quanze scenario`
//! command and the tests drive.
//!
//! Everything legal is decided by `quanze-case`; this crate only loads, folds, asks the engine,
//! chains what it answers and appends it, so the server, the CLI and the scenarios run one
//! code path.

pub mod demo;
pub mod documents;
mod officer;
pub mod officers;
pub mod people_import;
pub mod publication;
mod publication_config;
pub mod scenario;
pub mod service;
pub mod supervision;
pub mod verify;

pub use officers::{Officer, WorkItem};
pub use service::{ActResult, CaseService, CaseView, CaseworkError, SealedEvent, SweepReport};
pub use verify::{VerifyReport, verify_store};

/// The system's wall clock, read as China time (UTC+8, whatever the machine's time zone):
/// the one place outside std that reads it. The server and the CLI hold one and pass it (or
/// the date it gives) on; tests use [`quanze_model::FixedClock`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl quanze_model::Clock for SystemClock {
    fn now(&self) -> quanze_model::ChinaTime {
        // A clock set before 1970 reads as a negative timestamp rather than failing.
        let seconds = match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
        };
        quanze_model::ChinaTime::saturating_from_unix_seconds(seconds)
    }
}

/// Today's date in China from the system clock. Kept for callers that have not yet taken a
/// [`quanze_model::Clock`]; new code should hold a clock instead. Always `Some` (a clock
/// outside the years 1000–9999 reads as their first or last day).
pub fn china_today() -> Option<quanze_model::Date> {
    Some(quanze_model::Clock::today(&SystemClock))
}
