//! Plain data of case work: people, cases, events, deadlines, loaded holiday notices.
//!
//! The store keeps rows; it does not know what an action means. The case engine computes
//! hashes, folds events into a state and computes deadlines, and hands the store the result.

use quanze_model::Date;

use crate::{BureauId, CaseId, ItemId, Page, PersonId, Timestamp, VersionId};

/// What a person does in case work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonRole {
    Officer,
    Leader,
    LegalReviewer,
    Supervisor,
    Clerk,
}

impl PersonRole {
    pub const ALL: [PersonRole; 5] = [
        PersonRole::Officer,
        PersonRole::Leader,
        PersonRole::LegalReviewer,
        PersonRole::Supervisor,
        PersonRole::Clerk,
    ];

    /// The stored id: `officer`, `leader`, `legal_reviewer`, `supervisor`, `clerk`.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Officer => "officer",
            PersonRole::Leader => "leader",
            PersonRole::LegalReviewer => "legal_reviewer",
            PersonRole::Supervisor => "supervisor",
            PersonRole::Clerk => "clerk",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<PersonRole> {
        PersonRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A person as given to [`crate::Store::add_person`] and [`crate::Store::update_person`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInput {
    /// `None`: not tied to one bureau (a supervisor of several, a test person).
    pub bureau: Option<BureauId>,
    pub name: String,
    pub role: PersonRole,
    /// 岗位 the person holds (立案岗, 调查岗…), in order; may be empty.
    pub posts: Vec<String>,
    /// 科室; may be empty.
    pub office: String,
    /// 执法证号; `None` for a person without a law-enforcement certificate.
    pub certificate: Option<String>,
    /// Last day the certificate is valid, when known.
    pub certificate_until: Option<Date>,
}

/// A stored person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub bureau: Option<BureauId>,
    pub name: String,
    pub role: PersonRole,
    pub posts: Vec<String>,
    pub office: String,
    pub certificate: Option<String>,
    pub certificate_until: Option<Date>,
    /// When the person was retired ([`crate::Store::retire_person`]); retired people stay
    /// stored, because events name them.
    pub retired_at: Option<Timestamp>,
    pub created_at: Timestamp,
    /// The login account of this person ([`crate::Store::link_person_user`]), if any.
    pub user: Option<crate::UserId>,
}

/// One event to append. The engine computes `hash` over `prev_hash` and `body`; the store
/// keeps every field exactly as given and checks only the chain's shape (seq contiguous,
/// each `prev_hash` equal to the previous event's `hash`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// 1 for a case's first event, then the head's seq + 1, + 2…
    pub seq: u64,
    /// When it happened, China time, as given: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    pub at: String,
    /// Who acted (person ids or names, as the engine records them); at least one.
    pub actors: Vec<String>,
    /// The action's id (`open`, `register`, `decide`…).
    pub action: String,
    /// The canonical JSON of the event, exactly the bytes that were hashed.
    pub body: String,
    /// Hash of the previous event (the engine's genesis value for seq 1).
    pub prev_hash: String,
    pub hash: String,
}

/// A stored event, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub case: CaseId,
    pub seq: u64,
    pub at: String,
    /// When the store wrote it (Unix seconds).
    pub recorded_at: Timestamp,
    pub actors: Vec<String>,
    pub action: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineStatus {
    Open,
    Met,
    Missed,
    /// It could not be computed (a missing calendar year…); see [`DeadlineRow::error`].
    Error,
}

impl DeadlineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineStatus::Open => "open",
            DeadlineStatus::Met => "met",
            DeadlineStatus::Missed => "missed",
            DeadlineStatus::Error => "error",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<DeadlineStatus> {
        match s {
            "open" => Some(DeadlineStatus::Open),
            "met" => Some(DeadlineStatus::Met),
            "missed" => Some(DeadlineStatus::Missed),
            "error" => Some(DeadlineStatus::Error),
            _ => None,
        }
    }
}

/// One deadline of a case, as the engine computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRow {
    /// 立案核查, 作出决定…
    pub name: String,
    /// Last day; `None` when it cannot be computed (then `status` is `Error`).
    pub due: Option<Date>,
    /// How it is counted (`working`, `calendar`…), as the engine names it.
    pub counting: String,
    /// The articles it rests on, as printed (行政处罚法 第六十条).
    pub articles: Vec<String>,
    pub status: DeadlineStatus,
    /// Why it could not be computed (in Chinese), with `status == Error`.
    pub error: Option<String>,
}

/// A deadline with the case it belongs to, as the poller reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDeadline {
    pub case: CaseId,
    /// Position in the case's list of deadlines (0-based).
    pub position: u32,
    pub deadline: DeadlineRow,
}

/// A case to create with its first event(s), in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub bureau: BureauId,
    /// The list version the case is opened under; never changes afterwards.
    pub version: VersionId,
    /// An item of that version.
    pub item: ItemId,
    /// The item's 序号, when it has one.
    pub item_seq: Option<u32>,
    /// The procedure the engine runs it on (`penalty_general`, `service`…).
    pub procedure: String,
    /// Unique within the bureau: "A" in a scenario, a 案号 in practice.
    pub label: String,
    /// As [`NewEvent::at`] of the first event.
    pub opened_at: String,
    /// The fold's state after the first events (a cache for listings).
    pub state: String,
    /// At least one event; seqs 1, 2…
    pub events: Vec<NewEvent>,
    pub deadlines: Vec<DeadlineRow>,
}

/// A stored case (its row, not its events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: CaseId,
    pub bureau: BureauId,
    pub version: VersionId,
    pub item: ItemId,
    pub item_seq: Option<u32>,
    pub procedure: String,
    pub label: String,
    pub opened_at: String,
    /// The state as of `head_seq` (a cache: the events are the truth).
    pub state: String,
    /// Seq of the last event.
    pub head_seq: u64,
    /// Hash of the last event.
    pub head_hash: String,
}

/// Events to append to a case whose head the caller read as `expected_head_seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendRequest {
    pub case_id: CaseId,
    /// The head the caller folded; if another append moved it, the answer is
    /// [`crate::StoreError::StaleHead`] and nothing is written.
    pub expected_head_seq: u64,
    /// At least one; seqs `expected_head_seq + 1`, `+ 2`…, the first `prev_hash` equal to
    /// the head's hash.
    pub events: Vec<NewEvent>,
    /// The fold's state after these events.
    pub new_state: String,
    /// `Some`: replace all the case's deadlines in the same transaction; `None`: keep them.
    pub deadlines: Option<Vec<DeadlineRow>>,
    /// Documents these events issue: numbered and stored in the same transaction, so a
    /// 文号 exists exactly when its event does (gapless, unique per bureau, type and year).
    pub documents: Vec<crate::NewDocument>,
}

/// An append that is durable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendOutcome {
    pub case_id: CaseId,
    pub head_seq: u64,
    pub head_hash: String,
    pub recorded_at: Timestamp,
    /// The documents issued with the events, with their 文号, in the request's order.
    pub documents: Vec<crate::StoredDocument>,
}

/// Which cases [`crate::Store::cases`] lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub bureau: Option<BureauId>,
    pub state: Option<String>,
    pub page: Page,
}

/// Where [`crate::Store::events_after`] continues: the last (case, seq) already read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey {
    pub case: CaseId,
    pub seq: u64,
}

/// A loaded State Council holiday notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    pub year: i32,
    /// The parsed notice as JSON (the calendar crate's format; the store keeps the text).
    pub notice: String,
    pub loaded_by: Option<String>,
    pub loaded_at: Timestamp,
}
