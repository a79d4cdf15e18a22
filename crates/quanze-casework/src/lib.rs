//! Cases over the store: the thin async shell that runs the pure case engine
//! (`quanze-case`) against `quanze-store`, and the scenario runner that the `quanze scenario`
//! command and the tests drive.
//!
//! Everything legal is decided by `quanze-case`; this crate only loads, folds, asks the engine,
//! chains what it answers and appends it, so the server, the CLI and the scenarios run one
//! code path.

pub mod scenario;
pub mod service;
pub mod verify;

pub use service::{ActResult, CaseService, CaseView, CaseworkError, SealedEvent, SweepReport};
pub use verify::{VerifyReport, verify_store};
