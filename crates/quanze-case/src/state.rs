//! A case's state: a pure fold of its events. No calendar and no procedure data are needed:
//! every event records the state it led to, so folding is a walk over the log that copies
//! what later guards and deadlines read.

use quanze_law::Party;
use quanze_model::Date;
use serde::Serialize;

use crate::action::{Action, ActionKind, DecisionKind, SealKind, ServiceMethod};
use crate::event::{At, CaseEvent, ChainBreak, ItemRef};

/// A 封存 or 先行登记保存 and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SealRecord {
    pub kind: SealKind,
    pub from: Date,
    /// Extensions granted (days each).
    pub extensions: Vec<u32>,
    pub released: Option<Date>,
}

/// A stretch during which the clocks stood still (不计入期限).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PauseRecord {
    pub reason: String,
    pub from: Date,
    /// `None` while the pause lasts.
    pub to: Option<Date>,
}

/// An extension of a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionRecord {
    /// The deadline id (`decision`).
    pub deadline: String,
    pub days: u32,
    pub at: Date,
}

/// A 法制审核 opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRecord {
    pub at: Date,
    pub passed: bool,
    pub by: Vec<String>,
}

/// Everything the guards and deadlines of a case read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseState {
    /// Procedure id; empty before the case is opened.
    pub procedure: String,
    /// State id (`new` before the first event).
    pub state: String,
    pub item: Option<ItemRef>,
    pub party: Party,
    pub last_seq: u64,
    pub last_at: Option<At>,
    /// Day each action kind was first recorded, indexed by [`ActionKind`].
    pub first: Vec<Option<Date>>,
    /// Day each action kind was last recorded.
    pub last: Vec<Option<Date>>,
    /// 承办人员: everyone recorded doing the case's own work (立案, 调查, 封存, 终结, 告知, 检查).
    pub handlers: Vec<String>,
    /// 调查人员: everyone recorded investigating (立案, 调查取证, 封存, 调查终结, 检查).
    pub investigators: Vec<String>,
    pub seals: Vec<SealRecord>,
    pub pauses: Vec<PauseRecord>,
    pub extensions: Vec<ExtensionRecord>,
    /// 情节复杂或者重大违法行为, as the conclusion says.
    pub major: bool,
    /// The last notified fine and base (告知).
    pub notified_fine_fen: Option<i64>,
    pub notified_base_fen: Option<i64>,
    pub review: Option<ReviewRecord>,
    pub decision: Option<DecisionKind>,
    pub decided_fine_fen: Option<i64>,
    pub decided_base_fen: Option<i64>,
    /// 简易程序 fine.
    pub simple_fine_fen: Option<i64>,
    pub service_method: Option<ServiceMethod>,
    /// Paid to the bank and collected on the spot, together.
    pub paid_fen: i64,
    pub paid_in_full_on: Option<Date>,
    /// Service items: the missing materials listed once, and when.
    pub materials_requested_on: Option<Date>,
    pub missing: Vec<String>,
    pub approved_fen: Option<i64>,
    pub awarded_fen: Option<i64>,
}

impl Default for CaseState {
    fn default() -> Self {
        CaseState::new()
    }
}

fn add_person<B: AsRef<str>>(list: &mut Vec<String>, by: &[B]) {
    for p in by {
        let p = p.as_ref();
        if !list.iter().any(|q| q == p) {
            list.push(p.to_string());
        }
    }
}

/// The parts of an event the fold reads, borrowed from a [`CaseEvent`] or from its bytes.
struct Parts<'e, B: AsRef<str>> {
    seq: u64,
    at: At,
    by: &'e [B],
    action: &'e Action,
    procedure: &'e str,
    state: &'e str,
    item: &'e dyn Fn() -> ItemRef,
    target: Option<&'e str>,
}

impl CaseState {
    /// The state of a case with no events.
    pub fn new() -> CaseState {
        CaseState {
            procedure: String::new(),
            state: "new".into(),
            item: None,
            party: Party::Unit,
            last_seq: 0,
            last_at: None,
            first: vec![None; ActionKind::COUNT],
            last: vec![None; ActionKind::COUNT],
            handlers: Vec::new(),
            investigators: Vec::new(),
            seals: Vec::new(),
            pauses: Vec::new(),
            extensions: Vec::new(),
            major: false,
            notified_fine_fen: None,
            notified_base_fen: None,
            review: None,
            decision: None,
            decided_fine_fen: None,
            decided_base_fen: None,
            simple_fine_fen: None,
            service_method: None,
            paid_fen: 0,
            paid_in_full_on: None,
            materials_requested_on: None,
            missing: Vec::new(),
            approved_fen: None,
            awarded_fen: None,
        }
    }

    /// Fold a case's events, in order.
    pub fn fold(events: &[CaseEvent]) -> CaseState {
        let mut s = CaseState::new();
        for e in events {
            s.apply(e);
        }
        s
    }

    /// Apply one event (the next one of the case).
    pub fn apply(&mut self, e: &CaseEvent) {
        self.apply_parts(Parts {
            seq: e.seq,
            at: e.at,
            by: &e.by,
            action: &e.action,
            procedure: &e.procedure,
            state: &e.state,
            item: &|| e.item.clone(),
            target: e.target.as_deref(),
        });
    }

    /// Apply one event from its canonical bytes without building a [`CaseEvent`]: what a
    /// store does when it rebuilds states from its log. Bytes that are not an event are an
    /// error naming their sequence number (when readable).
    pub fn apply_body(&mut self, body: &[u8]) -> Result<(), ChainBreak> {
        // The plain canonical form is read by hand (see `scan`); anything else, and every
        // error, goes through the serde view below.
        if let Some(v) = crate::scan::scan(body)
            && let Some(at) = At::parse(v.at)
            && let Ok(action) = v.action.to_action()
        {
            let item = match action {
                Action::Open { .. } => v.item_view(),
                _ => None,
            };
            if item.is_some() || !matches!(action, Action::Open { .. }) {
                let item_ref = || item.as_ref().map(|i| i.to_item_ref()).unwrap_or_default();
                self.apply_parts(Parts {
                    seq: v.seq,
                    at,
                    by: v.by(),
                    action: &action,
                    procedure: v.procedure,
                    state: v.state,
                    item: &item_ref,
                    target: v.target,
                });
                return Ok(());
            }
        }
        self.apply_body_serde(body)
    }

    /// [`CaseState::apply_body`] through serde: slower, and the one that names what is wrong.
    pub(crate) fn apply_body_serde(&mut self, body: &[u8]) -> Result<(), ChainBreak> {
        let v: crate::event::BodyView<'_> = serde_json::from_slice(body)
            .map_err(|e| ChainBreak {
                seq: self.last_seq + 1, reason: format!("记录内容无法读取：{e}")
            })?;
        let at = At::parse(&v.at)
            .ok_or_else(|| ChainBreak {
                seq: v.seq, reason: format!("记录时间无法读取：{}", v.at)
            })?;
        let action = v.action.to_action().map_err(|reason| ChainBreak { seq: v.seq, reason })?;
        let item = &v.item;
        self.apply_parts(Parts {
            seq: v.seq,
            at,
            by: &v.by,
            action: &action,
            procedure: &v.procedure,
            state: &v.state,
            item: &|| item.to_item_ref(),
            target: v.target.as_deref(),
        });
        Ok(())
    }

    /// Fold a case's events from their canonical bytes.
    pub fn fold_bodies<T: AsRef<[u8]>>(bodies: &[T]) -> Result<CaseState, ChainBreak> {
        let mut s = CaseState::new();
        for b in bodies {
            s.apply_body(b.as_ref())?;
        }
        Ok(s)
    }

    fn apply_parts<B: AsRef<str>>(&mut self, e: Parts<'_, B>) {
        let day = e.at.date;
        let k = e.action.kind().index();
        if let Some(slot) = self.first.get_mut(k)
            && slot.is_none()
        {
            *slot = Some(day);
        }
        if let Some(slot) = self.last.get_mut(k) {
            *slot = Some(day);
        }
        self.last_seq = e.seq;
        self.last_at = Some(e.at);
        if self.procedure != e.procedure {
            self.procedure = e.procedure.to_string();
        }
        if self.state != e.state {
            self.state = e.state.to_string();
        }
        match e.action {
            Action::Open { party, missing, complete, .. } => {
                self.party = *party;
                self.item = Some((e.item)());
                if *complete == Some(false) {
                    self.materials_requested_on = Some(day);
                    self.missing.clone_from(missing);
                }
            }
            Action::Register {}
            | Action::Investigate { .. }
            | Action::Conclude { .. }
            | Action::Inspect {} => {
                add_person(&mut self.investigators, e.by);
                add_person(&mut self.handlers, e.by);
                if let Action::Conclude { major: true } = e.action {
                    self.major = true;
                }
            }
            Action::Seal { kind, .. } => {
                add_person(&mut self.investigators, e.by);
                add_person(&mut self.handlers, e.by);
                self.seals.push(SealRecord {
                    kind: *kind,
                    from: day,
                    extensions: Vec::new(),
                    released: None,
                });
            }
            Action::ExtendSeal { days } => {
                if let Some(s) = self.seals.iter_mut().rev().find(|s| s.released.is_none()) {
                    s.extensions.push(days.unwrap_or(0));
                }
            }
            Action::ReleaseSeal {} => {
                if let Some(s) = self.seals.iter_mut().find(|s| s.released.is_none()) {
                    s.released = Some(day);
                }
            }
            Action::Notify { fine_fen, base_fen } => {
                add_person(&mut self.handlers, e.by);
                self.notified_fine_fen = *fine_fen;
                self.notified_base_fen = *base_fen;
            }
            Action::LegalReview { opinion } => {
                let by = e.by.iter().map(|b| b.as_ref().to_string()).collect();
                self.review = Some(ReviewRecord { at: day, passed: opinion_passes(opinion), by });
            }
            Action::Decide { decision, fine_fen, base_fen } => {
                self.decision = Some(*decision);
                self.decided_fine_fen = *fine_fen;
                self.decided_base_fen = *base_fen;
            }
            Action::SimpleDecide { fine_fen } => {
                add_person(&mut self.handlers, e.by);
                self.decision = Some(DecisionKind::Penalty);
                self.simple_fine_fen = Some(*fine_fen);
            }
            Action::Serve { method, .. } => self.service_method = Some(*method),
            Action::Pay { amount_fen, .. } | Action::CollectOnSpot { amount_fen, .. } => {
                self.paid_fen = self.paid_fen.saturating_add(*amount_fen);
                if e.state == "executed" && self.paid_in_full_on.is_none() {
                    self.paid_in_full_on = Some(day);
                }
            }
            Action::RequestMaterials { missing } => {
                self.materials_requested_on = Some(day);
                self.missing.clone_from(missing);
            }
            Action::Approve { amount_fen } => self.approved_fen = *amount_fen,
            Action::Award { amount_fen } => self.awarded_fen = Some(*amount_fen),
            Action::Pause { reason } => {
                self.pauses.push(PauseRecord { reason: reason.clone(), from: day, to: None });
            }
            Action::Resume {} => {
                if let Some(p) = self.pauses.iter_mut().rev().find(|p| p.to.is_none()) {
                    p.to = Some(day);
                }
            }
            Action::Extend { days, .. } => {
                let deadline = e.target.unwrap_or_default().to_string();
                self.extensions.push(ExtensionRecord { deadline, days: *days, at: day });
            }
            _ => {}
        }
    }

    /// The day an action kind was first recorded.
    pub fn first_of(&self, id: &str) -> Option<Date> {
        ActionKind::from_id(id).and_then(|k| self.first.get(k.index()).copied().flatten())
    }

    /// The day an action kind was last recorded.
    pub fn last_of(&self, id: &str) -> Option<Date> {
        ActionKind::from_id(id).and_then(|k| self.last.get(k.index()).copied().flatten())
    }

    /// The fine the party owes under the decision (0 when none).
    pub fn fine_fen(&self) -> i64 {
        if let Some(f) = self.simple_fine_fen {
            return f;
        }
        match self.decision {
            Some(DecisionKind::Penalty) => self.decided_fine_fen.unwrap_or(0),
            _ => 0,
        }
    }

    /// The pause still running, if any.
    pub fn open_pause(&self) -> Option<&PauseRecord> {
        self.pauses.iter().find(|p| p.to.is_none())
    }
}

/// Whether a 法制审核 opinion passes the case (同意 / 通过 / pass).
pub fn opinion_passes(opinion: &str) -> bool {
    let o = opinion.trim();
    matches!(o, "pass" | "passed" | "approve" | "approved" | "agree" | "同意" | "通过" | "审核通过")
        || o.starts_with("同意")
}
