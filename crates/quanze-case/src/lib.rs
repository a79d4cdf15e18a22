//! quanze-case — the case engine (案件引擎).
//!
//! A case is opened under one item of a published 权责清单 and runs the statutory procedure
//! of the item's category, each step naming the duty of the item's own text it executes.
//!
//! * Procedures are data (`data/procedures/*.toml`): states, the actions allowed in each,
//!   transitions, deadlines and the guards of each action ([`procedure`]).
//! * [`ItemProcedure::for_item`] maps an item's parsed stages onto its procedure.
//! * A case is an append-only log of [`CaseEvent`]s chained by hash ([`event`]); its state is
//!   the pure fold [`CaseState::fold`].
//! * [`decide`] answers a [`Command`] with the events to append or a [`Refusal`] (a stable
//!   code, its articles, a Chinese message); guards are data (`data/guards.toml`) with their
//!   predicates in [`guards`].
//! * [`deadlines`] evaluates every started deadline on a given day on the working-day
//!   calendar; a year without a holiday notice is an `error` status naming the year.
//!
//! Pure: no I/O, no async, no clock. "Now" is always a parameter.

pub mod access;
pub mod action;
pub mod config;
mod context;
pub mod deadline;
pub mod engine;
pub mod event;
pub mod guards;
pub mod procedure;
pub mod rebuild;
mod refusal;
mod scan;
pub mod state;

use quanze_model::Date;
use serde::{Deserialize, Serialize};

pub use access::{AccessRefusal, AccessRules, CaseAccess, Gate, Permission, Viewer};
pub use action::{ACTION_IDS, Action, ActionKind, DecisionKind, PayTo, SealKind, ServiceMethod, StepError};
pub use config::{EngineConfig, Figure, FigureStatus};
pub use deadline::{DeadlineState, DeadlineStatus, DeadlineView, deadlines, each_deadline};
pub use engine::{CaseContext, Command, Outcome, Recorded, decide, record};
pub use event::{At, CaseEvent, ChainBreak, GENESIS, ItemRef, StoredEvent, chain_hash, verify_chain};
pub use guards::{GuardSpec, Refusal, guard_specs};
pub use procedure::{Duty, HandlingLimit, ItemProcedure, LimitSource, Procedure, procedure, procedures};
pub use quanze_law::Party;
pub use rebuild::rebuild_all;
pub use state::CaseState;

/// A person's role in the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 执法人员.
    Officer,
    /// 负责人.
    Leader,
    /// 法制审核人员.
    LegalReviewer,
    /// 监督人员 (reads and checks only).
    Supervisor,
    /// 窗口/经办人员.
    Clerk,
}

impl Role {
    pub fn from_id(s: &str) -> Option<Role> {
        match s.trim() {
            "officer" => Some(Role::Officer),
            "leader" => Some(Role::Leader),
            "legal_reviewer" => Some(Role::LegalReviewer),
            "supervisor" => Some(Role::Supervisor),
            "clerk" => Some(Role::Clerk),
            _ => None,
        }
    }

    /// The Chinese name of the role.
    pub fn label(self) -> &'static str {
        guards::role_label(self)
    }
}

/// A person who may act on cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Stable id (the scenario uses the name).
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Posts held (立案岗, 调查岗…); empty when not recorded.
    #[serde(default)]
    pub posts: Vec<String>,
    /// 执法证号; `None` for a person without one.
    #[serde(default)]
    pub certificate: Option<String>,
    /// Last day the certificate is valid, when it expires.
    #[serde(default)]
    pub certificate_until: Option<Date>,
}

impl Person {
    /// Whether the person holds a certificate valid on `day`.
    pub fn certified_on(&self, day: Date) -> bool {
        self.certificate.as_deref().is_some_and(|c| !c.trim().is_empty())
            && self.certificate_until.is_none_or(|u| u >= day)
    }
}

/// A finding about an item or a configuration (Chinese message, stable code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub message: String,
}

impl Finding {
    pub fn new(code: &str, message: String) -> Finding {
        Finding { code: code.to_string(), message }
    }
}
