//! Deadlines of a case at a given day: what the store's deadline table keeps for a poller.

use quanze_calendar::{CalendarGap, Counting, Pause, Period};
use quanze_model::Date;
use serde::{Deserialize, Serialize};

use crate::context::CaseContext;
use crate::procedure::{DeadlineDef, Holder, ItemProcedure};
use crate::state::CaseState;

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Running, not yet due.
    Open,
    /// Stopped on or before its due day.
    Met,
    /// Stopped after its due day, or due and still running.
    Missed,
    /// Cannot be computed (a year without a holiday notice).
    Error,
}

/// One deadline of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineStatus {
    /// Stable id within the case (`decision`, `seal#1`).
    pub id: String,
    /// Chinese name (作出处罚决定).
    pub name: String,
    /// The day the clock started (not counted).
    pub start: Date,
    /// The last day; `None` when it cannot be computed.
    pub due: Option<Date>,
    /// Days of the period with any extensions.
    pub days: u32,
    pub counting: Counting,
    pub articles: Vec<String>,
    pub status: DeadlineState,
    /// The calendar's message (Chinese, naming the missing year) when `status` is `error`.
    pub error: Option<String>,
    /// The day it was stopped, when it was.
    pub stopped: Option<Date>,
    pub holder: Holder,
    /// A figure or article of it is UNVERIFIED (configurable).
    pub unverified: bool,
}

/// Days added up without overflow (a recorded figure may be absurd; the sum then saturates).
pub(crate) fn sum_days(days: impl Iterator<Item = u32>) -> u32 {
    days.fold(0u32, u32::saturating_add)
}

fn stop_day(state: &CaseState, def: &DeadlineDef, start: Date) -> Option<Date> {
    def.stop
        .iter()
        .filter_map(|s| match s.as_str() {
            "paid_in_full" => state.paid_in_full_on,
            a => state.first_of(a).filter(|d| *d >= start),
        })
        .min()
}

fn seal_kind(kind: crate::action::SealKind) -> &'static str {
    match kind {
        crate::action::SealKind::Seal => "seal",
        crate::action::SealKind::Preserve => "preserve",
    }
}

fn pauses(state: &CaseState, now: Date) -> Vec<Pause> {
    state
        .pauses
        .iter()
        .filter_map(|p| {
            // The day of the pause does not count; the day of the resumption counts again.
            let to = match p.to {
                Some(t) => t.add_days(-1)?,
                None => now,
            };
            Some(Pause { from: p.from, to })
        })
        .collect()
}

/// The deadline an `extend` now would extend: the first running deadline of the procedure
/// that may be extended.
pub fn extension_target<'p>(ctx: &CaseContext<'p>, state: &CaseState) -> Option<&'p DeadlineDef> {
    ctx.procedure.procedure.deadlines.iter().find(|d| {
        if d.extension.is_none() || d.instance.is_some() {
            return false;
        }
        let Some(start) = d.start.iter().filter_map(|a| state.first_of(a)).min() else { return false };
        stop_day(state, d, start).is_none()
    })
}

/// Every deadline the case has started, evaluated on `now`.
pub fn deadlines(ctx: &CaseContext, state: &CaseState, now: Date) -> Vec<DeadlineStatus> {
    let mut out = Vec::new();
    each_deadline(ctx, state, now, |d| out.push(d.to_status()));
    out
}

/// One deadline of a case as [`deadlines`] computes it, borrowing its words from the
/// procedure: what a supervision sweep over many cases reads without copying them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineView<'p> {
    /// The procedure's deadline.
    pub def: &'p DeadlineDef,
    /// For a deadline per seal: the seal's number among those of its kind (`seal#2`: 2).
    pub instance: Option<u32>,
    pub start: Date,
    pub due: Option<Date>,
    pub days: u32,
    pub counting: Counting,
    pub articles: &'p [String],
    pub status: DeadlineState,
    /// Why `due` could not be computed (`status` is `error`).
    pub error: Option<CalendarGap>,
    pub stopped: Option<Date>,
    pub unverified: bool,
}

impl DeadlineView<'_> {
    /// The stable id within the case (`decision`, `seal#1`).
    pub fn id(&self) -> String {
        self.to_string()
    }

    /// Whether the id is `id` (without building it).
    pub fn is(&self, id: &str) -> bool {
        match self.instance {
            None => self.def.id == id,
            Some(n) => id
                .strip_prefix(self.def.id.as_str())
                .and_then(|r| r.strip_prefix('#'))
                .is_some_and(|r| r == n.to_string()),
        }
    }

    pub fn to_status(&self) -> DeadlineStatus {
        DeadlineStatus {
            id: self.id(),
            name: self.def.name.clone(),
            start: self.start,
            due: self.due,
            days: self.days,
            counting: self.counting,
            articles: self.articles.to_vec(),
            status: self.status,
            error: self.error.map(|gap| gap.to_string()),
            stopped: self.stopped,
            holder: self.def.holder,
            unverified: self.unverified,
        }
    }
}

impl std::fmt::Display for DeadlineView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.instance {
            None => f.write_str(&self.def.id),
            Some(n) => write!(f, "{}#{n}", self.def.id),
        }
    }
}

/// [`deadlines`] one at a time, in the same order, borrowed.
pub fn each_deadline<'p>(
    ctx: &CaseContext<'p>,
    state: &CaseState,
    now: Date,
    mut f: impl FnMut(DeadlineView<'p>),
) {
    let proc: &'p ItemProcedure = ctx.procedure;
    let terminal_day =
        if proc.procedure.is_terminal(&state.state) { state.last_at.map(|a| a.date) } else { None };
    // The promised limit is looked up by the item's name: only when the bureau set any.
    let promised = || {
        if ctx.config.promised_working_days.is_empty() { None } else { proc.promised(ctx.config) }
    };
    for def in &proc.procedure.deadlines {
        let applies = match def.when.as_deref() {
            None => true,
            Some("fine_due") => state.fine_fen() > 0,
            Some("promised") => promised().is_some(),
            Some(_) => false,
        };
        if !applies {
            continue;
        }
        // Only a deadline the case has started is evaluated (its figures are read after).
        let started = match def.instance.as_deref() {
            Some(kind) => state.seals.iter().any(|s| seal_kind(s.kind) == kind),
            None => def.start.iter().any(|a| state.first_of(a).is_some()),
        };
        if !started {
            continue;
        }
        let (base_days, counting, articles, unverified): (u32, Counting, &'p [String], bool) =
            match def.figure.as_str() {
                "item_statutory" => match &proc.statutory {
                    Some(l) => (l.days, l.counting, &l.articles, l.unverified),
                    None => continue,
                },
                "item_promised" => match promised() {
                    Some(d) => (d, Counting::Working, &def.articles, false),
                    None => continue,
                },
                f => {
                    // One lookup for the value and its status (`EngineConfig::days` reads it).
                    let figure = ctx.config.figure(f);
                    let unverified = def.unverified
                        || figure.is_some_and(|x| x.status == crate::config::FigureStatus::Unverified);
                    let days = figure.and_then(|x| u32::try_from(x.value).ok()).unwrap_or(0);
                    (days, def.counting, &def.articles, unverified)
                }
            };
        let run = |instance: Option<u32>, start: Date, stopped: Option<Date>, extra: u32| {
            let stopped = stopped.or(terminal_day);
            let days = base_days.saturating_add(extra);
            let until = stopped.unwrap_or(now);
            let ps = if def.pausable { pauses(state, until) } else { Vec::new() };
            let period = Period { days, counting, roll_forward: def.roll_forward };
            // An extension or a pause rests on figures and a list of 4号令 not read in its text.
            let is_unverified = |key: &String| {
                ctx.config.figure(key).is_some_and(|x| x.status == crate::config::FigureStatus::Unverified)
            };
            let extended_unverified = extra > 0
                && def.extension.as_ref().is_some_and(|e| {
                    is_unverified(&e.first) || e.further.as_ref().is_some_and(is_unverified)
                });
            let unverified = unverified || extended_unverified || !ps.is_empty();
            let (due, status, error) = match ctx.calendar.due(start, period, &ps) {
                Ok(due) => {
                    let status = match stopped {
                        Some(s) if s <= due => DeadlineState::Met,
                        Some(_) => DeadlineState::Missed,
                        None if now > due => DeadlineState::Missed,
                        None => DeadlineState::Open,
                    };
                    (Some(due), status, None)
                }
                Err(gap) => (None, DeadlineState::Error, Some(gap)),
            };
            DeadlineView {
                def,
                instance,
                start,
                due,
                days,
                counting,
                articles,
                status,
                error,
                stopped,
                unverified,
            }
        };
        match def.instance.as_deref() {
            Some(kind) => {
                let mut n = 0;
                for s in &state.seals {
                    if seal_kind(s.kind) != kind {
                        continue;
                    }
                    n += 1;
                    f(run(Some(n), s.from, s.released, sum_days(s.extensions.iter().copied())));
                }
            }
            None => {
                let Some(start) = def.start.iter().filter_map(|a| state.first_of(a)).min() else { continue };
                let extra: u32 =
                    sum_days(state.extensions.iter().filter(|e| e.deadline == def.id).map(|e| e.days));
                f(run(None, start, stop_day(state, def, start), extra));
            }
        }
    }
}
