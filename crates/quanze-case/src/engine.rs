//! The decision function: given a case's state and a command, the events it applies or the
//! refusal it meets.

use serde::{Deserialize, Serialize};

use crate::Person;
use crate::action::Action;
use crate::event::CaseEvent;
use crate::guards::{GuardInput, role_label};
use crate::refusal::Refusal;
use crate::state::CaseState;

// Their public path `engine::{CaseContext, Command}` stays.
pub use crate::context::{CaseContext, Command};

/// The answer to a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// The events to append (not yet chained; `check` applies none).
    Applied { events: Vec<CaseEvent> },
    /// Nothing changes.
    Refused { refusal: Refusal },
}

impl Outcome {
    pub fn is_applied(&self) -> bool {
        matches!(self, Outcome::Applied { .. })
    }

    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Outcome::Refused { refusal } => Some(refusal),
            Outcome::Applied { .. } => None,
        }
    }

    pub fn events(&self) -> &[CaseEvent] {
        match self {
            Outcome::Applied { events } => events,
            Outcome::Refused { .. } => &[],
        }
    }
}

fn refused(code: &str, detail: &str) -> Outcome {
    Outcome::Refused { refusal: Refusal::of(code, detail) }
}

/// Decide a command against a case's state. Pure: the same inputs give the same outcome.
pub fn decide(ctx: &CaseContext, state: &CaseState, cmd: &Command) -> Outcome {
    decide_inner(ctx, state, cmd, None)
}

/// An act recorded as it happened ([`record`]): its events, and the refusals the engine
/// would have answered had it been asked before the act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `Applied` with the event, or `Refused` when the record itself cannot be kept (see
    /// [`record`]).
    pub outcome: Outcome,
    /// What the procedure's states, roles, posts and guards would have refused, in the order
    /// they are checked: the act went on regardless, and supervision reads it.
    pub bypassed: Vec<Refusal>,
}

/// 补录: record an act that already happened outside quanze (a legacy system, a paper file),
/// as it happened. The guards that would have refused it are not applied but reported in
/// [`Recorded::bypassed`], so that electronic supervision can flag what the record shows. What
/// keeps the log itself sound still refuses: an unknown person, an act before the last one,
/// an action the procedure does not have, another procedure's context, a calendar gap.
/// Not for acts taken through quanze: those go through [`decide`].
pub fn record(ctx: &CaseContext, state: &CaseState, cmd: &Command) -> Recorded {
    let mut bypassed = Vec::new();
    let outcome = decide_inner(ctx, state, cmd, Some(&mut bypassed));
    if !outcome.is_applied() {
        bypassed.clear();
    }
    Recorded { outcome, bypassed }
}

/// [`decide`], or with `bypassed` [`record`]: a refusal of the law is pushed there and the act
/// goes on.
fn decide_inner(
    ctx: &CaseContext,
    state: &CaseState,
    cmd: &Command,
    mut bypassed: Option<&mut Vec<Refusal>>,
) -> Outcome {
    let p = ctx.procedure.procedure;
    let action_id = cmd.action.id();
    let label = cmd.action.kind().label();

    if cmd.by.is_empty() {
        return refused("unknown_person", "未指明办理人员");
    }
    let mut people: Vec<&Person> = Vec::with_capacity(cmd.by.len());
    for id in &cmd.by {
        match ctx.people.iter().find(|x| &x.id == id) {
            Some(x) => people.push(x),
            None => return refused("unknown_person", id),
        }
    }
    if let Some(last) = &state.last_at
        && cmd.at.is_before(last)
    {
        return refused("time_order", &last.to_string());
    }
    // `check` records nothing: deadlines are read with `deadlines()` at its date.
    if let Action::Check {} = cmd.action {
        return Outcome::Applied { events: Vec::new() };
    }
    // A case keeps the procedure it was opened under; a context built from another version of
    // the item (whose category changed) must not drive it.
    if !state.procedure.is_empty() && state.procedure != p.id {
        let detail = format!("本案按「{}」程序立卷，与所给事项的程序「{}」不符", state.procedure, p.name);
        return refused("state_not_allowed", &detail);
    }
    // A refusal of the law: the answer of `decide`; pushed and passed by `record`.
    let mut refuse = |refusal: Refusal| -> Option<Outcome> {
        match bypassed.as_deref_mut() {
            Some(list) => {
                list.push(refusal);
                None
            }
            None => Some(Outcome::Refused { refusal }),
        }
    };
    let current = state.state.as_str();
    let def = match p.allows(current, action_id) {
        Some(def) => def,
        None => {
            let allowed: Vec<&str> = p.allowed_in(current);
            let detail = format!(
                "「{}」状态下不能{}（{}）；可办理：{}",
                p.state_label(current),
                label,
                action_id,
                if allowed.is_empty() { "无".to_string() } else { allowed.join("、") }
            );
            let refusal = Refusal::of("state_not_allowed", &detail);
            // A record takes the action's own transition, from whatever state it was in.
            match p.action(action_id).filter(|_| current != "new" && !current.is_empty()) {
                Some(def) if refuse(refusal.clone()).is_none() => def,
                _ => return Outcome::Refused { refusal },
            }
        }
    };
    for x in &people {
        if !def.roles.contains(&x.role) {
            let detail = format!("{}（{}）不能办理「{}」", x.name, role_label(x.role), label);
            if let Some(out) = refuse(Refusal::of("role_not_allowed", &detail)) {
                return out;
            }
            break;
        }
    }
    let duty = ctx.procedure.duty(action_id);
    if let Some(post) = duty.and_then(|d| d.post.as_deref())
        && people.iter().all(|x| !x.posts.is_empty())
        && !people.iter().any(|x| x.posts.iter().any(|q| q == post))
    {
        let names: Vec<&str> = people.iter().map(|x| x.name.as_str()).collect();
        let detail = format!("「{label}」由{post}办理，{}不在该岗位", names.join("、"));
        if let Some(out) = refuse(Refusal::of("post_not_held", &detail)) {
            return out;
        }
    }
    let input = GuardInput { ctx, state, cmd, people: &people };
    for g in &def.guards {
        if let Some(r) = input.check(g) {
            // A calendar gap is not a refusal of the law: the day cannot be counted at all.
            if r.code == "calendar_gap" {
                return Outcome::Refused { refusal: r };
            }
            if let Some(out) = refuse(r) {
                return out;
            }
        }
    }

    let mut to = def.to.as_str();
    for b in &def.branch {
        let holds = match b.when.as_str() {
            "incomplete" => matches!(cmd.action, Action::Open { complete: Some(false), .. }),
            "paid_in_full" => {
                let amount = match &cmd.action {
                    Action::Pay { amount_fen, .. } | Action::CollectOnSpot { amount_fen, .. } => *amount_fen,
                    _ => 0,
                };
                match input.owed_on(cmd.at.date) {
                    Ok(owed) => state.paid_fen.saturating_add(amount) >= owed,
                    Err(gap) => return refused("calendar_gap", &gap.to_string()),
                }
            }
            "fine_due" => state.fine_fen() > 0,
            "promised" => ctx.procedure.promised(ctx.config).is_some(),
            _ => false,
        };
        if holds {
            to = b.to.as_str();
            break;
        }
    }
    if to == "same" {
        to = current;
    }
    let target = match cmd.action {
        Action::Extend { .. } => crate::deadline::extension_target(ctx, state).map(|d| d.id.clone()),
        _ => None,
    };
    let event = CaseEvent {
        seq: state.last_seq + 1,
        at: cmd.at,
        by: cmd.by.clone(),
        action: cmd.action.clone(),
        procedure: p.id.clone(),
        stage: current.to_string(),
        state: to.to_string(),
        item: ctx.procedure.item_ref.clone(),
        duty_stage: duty.map(|d| d.stage_name.clone()),
        post: duty.and_then(|d| d.post.clone()),
        duty: duty.map(|d| d.text.clone()),
        target,
    };
    Outcome::Applied { events: vec![event] }
}
