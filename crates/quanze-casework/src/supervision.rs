//! Electronic supervision (电子监察) over the store: `quanze-supervise`'s rules run on every
//! appended event (incremental) and over every case (the sweep), and the alerts they raise
//! are kept in the store's hash-chained alert log, where supervisors acknowledge, resolve,
//! reopen and issue 监察建议书.
//!
//! **When alerts are written.** Right after the append, not in its transaction: the events
//! are the only truth and every alert is a function of them (and the day), so an alert lost
//! to a crash between the event's commit and the alert's is raised again by the sweep that
//! runs at start. Keeping the rules out of the append keeps the group-commit writer free of
//! rule evaluation and of the alert tables' rows, and an action never fails because its
//! alert could not be written (the failure is logged, the next sweep repeats it).
//!
//! **What a sync writes.** For each alert the rules give on a day: raise it when it is new,
//! raise its level when it got graver, reopen it when it was resolved and came back graver
//! (or came back at all after the system resolved it). A stored alert that is unresolved but
//! no longer given (a deadline met or extended after its 提示 or yellow) is resolved by
//! `system` with a written reason. The sweep also escalates: 催办 then 督办 after the
//! configured working days unresolved (`reminder_working_days`, `supervision_working_days`
//! of [`SuperviseConfig`]); a 提示 is a heads-up and is not escalated.
//!
//! Every append names the alert's head it was folded from; a concurrent writer (a hook, a
//! sweep, a supervisor, another process) makes it re-read and plan again.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex as StdMutex};

use quanze_case::{CaseContext, CaseEvent, ItemProcedure};
use quanze_model::Date;
use quanze_store::{
    AlertCache, AlertEscalation, AlertFilter, AlertHead, AlertId, AlertLevel, AlertRow, AlertState,
    AlertTarget, AlertWrite, BureauId, CaseFilter, CaseId, CaseRecord, EventKey, ItemId, NewAlertEntry,
    NoticeNumbering, Page, PersonRole, StoreError, VersionId,
};
use quanze_supervise::{CaseWatch, ClassifiedClause, RuleContext, StoredEntry};
use tokio::sync::Mutex;

pub use quanze_supervise::{
    Alert, AlertRecord, AlertStatus, ClauseRules, Coverage, Escalation, ItemCoverage, Level, LogAction,
    LogEntry, RuleKind, SuperviseConfig, SupervisionNotice, coverage, render_coverage,
};

use crate::officers::Officer;
use crate::service::{AfterAppend, CaseService, CaseworkError, Result, SealedEvent, person_ref};

/// Who the log records for what the rules and the escalation clock did.
pub const SYSTEM: &str = "system";

/// Attempts at one alert's append when other writers keep moving its head.
const MAX_ATTEMPTS: usize = 16;

/// What a supervisor (or the officer, replying) does to an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertCommand {
    /// 确认知悉.
    Acknowledge,
    /// 办结 with the written justification.
    Resolve { justification: String },
    /// 重新打开 with the reason.
    Reopen { reason: String },
    /// 发出监察建议书 (numbered in the append's transaction; reply deadline from the config).
    IssueNotice,
    /// 回复监察建议书.
    Reply { text: String },
}

/// What a sync or a sweep wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SupervisionReport {
    /// Cases evaluated.
    pub cases: usize,
    /// Alerts the rules gave (on the day, over those cases).
    pub current: usize,
    pub raised: usize,
    /// Level raised or reopened.
    pub changed: usize,
    /// Resolved by the system: the condition is gone.
    pub cleared: usize,
    /// 催办 and 督办 appended.
    pub escalated: usize,
    /// Cases skipped because an action moved them during the sweep (their hook syncs them).
    pub moved: usize,
}

impl SupervisionReport {
    fn add(&mut self, o: &SupervisionReport) {
        self.current += o.current;
        self.raised += o.raised;
        self.changed += o.changed;
        self.cleared += o.cleared;
        self.escalated += o.escalated;
    }
}

/// A stored alert as the sync needs it.
#[derive(Debug, Clone)]
struct Stored {
    id: AlertId,
    head_seq: u64,
    head_hash: String,
    record: AlertRecord,
    resolved_on: Option<Date>,
    resolved_by: Option<String>,
}

impl Stored {
    fn from_row(row: &AlertRow) -> Result<Stored> {
        let record: AlertRecord = serde_json::from_str(&row.record)
            .map_err(|e| CaseworkError::Corrupt(format!("预警 {} 的记录：{e}", row.id)))?;
        Ok(Stored {
            id: row.id,
            head_seq: row.head_seq,
            head_hash: row.head_hash.clone(),
            record,
            resolved_on: row.resolved_on,
            resolved_by: row.resolved_by.clone(),
        })
    }
}

/// A case watched between appends.
struct Watched {
    bureau: BureauId,
    item: ItemId,
    version: VersionId,
    head_seq: u64,
    watch: CaseWatch,
    /// Stored alerts by key.
    stored: HashMap<String, Stored>,
}

/// An item's procedure and its classified accountability clauses.
struct ItemRules {
    procedure: ItemProcedure,
    clauses: Vec<ClassifiedClause>,
}

/// Electronic supervision of one [`CaseService`]: its figures, the cases it watches and the
/// rules of the items. Installed as the service's after-append hook ([`Supervision::ensure`]).
pub struct Supervision {
    config: SuperviseConfig,
    rules: &'static ClauseRules,
    watches: StdMutex<HashMap<CaseId, Arc<Mutex<Option<Watched>>>>>,
    items: StdMutex<HashMap<(ItemId, VersionId), Arc<ItemRules>>>,
}

type Stale = bool;

fn is_race(e: &CaseworkError) -> Stale {
    matches!(e, CaseworkError::Store(StoreError::StaleHead { .. } | StoreError::Conflict(_)))
}

fn level_of(l: Level) -> AlertLevel {
    match l {
        Level::Notice => AlertLevel::Notice,
        Level::Yellow => AlertLevel::Yellow,
        Level::Red => AlertLevel::Red,
        Level::Breach => AlertLevel::Breach,
    }
}

fn status_of(s: AlertStatus) -> AlertState {
    match s {
        AlertStatus::Open => AlertState::Open,
        AlertStatus::Acknowledged => AlertState::Acknowledged,
        AlertStatus::Resolved => AlertState::Resolved,
    }
}

fn escalation_of(e: Escalation) -> AlertEscalation {
    match e {
        Escalation::None => AlertEscalation::None,
        Escalation::Reminded => AlertEscalation::Reminded,
        Escalation::Supervised => AlertEscalation::Supervised,
    }
}

/// The Chinese label of a stored level.
pub fn level_label(l: AlertLevel) -> &'static str {
    match l {
        AlertLevel::Notice => Level::Notice.label(),
        AlertLevel::Yellow => Level::Yellow.label(),
        AlertLevel::Red => Level::Red.label(),
        AlertLevel::Breach => Level::Breach.label(),
    }
}

/// The Chinese label of a stored status.
pub fn status_label(s: AlertState) -> &'static str {
    match s {
        AlertState::Open => "未处理",
        AlertState::Acknowledged => "已知悉",
        AlertState::Resolved => "已办结",
    }
}

/// The Chinese label of a stored escalation.
pub fn escalation_label(e: AlertEscalation) -> &'static str {
    match e {
        AlertEscalation::None => "",
        AlertEscalation::Reminded => "催办",
        AlertEscalation::Supervised => "督办",
    }
}

/// The rule's Chinese label from its stored id.
pub fn rule_label(id: &str) -> &'static str {
    RuleKind::from_id(id).map_or("", RuleKind::label)
}

/// Fold `entries` onto `before`: the record and when and by whom it was last resolved.
fn fold_entries(
    before: Option<&Stored>,
    entries: &[LogEntry],
) -> std::result::Result<(AlertRecord, Option<Date>, Option<String>), quanze_supervise::LogError> {
    let mut record = before.map(|s| s.record.clone());
    let mut resolved_on = before.and_then(|s| s.resolved_on);
    let mut resolved_by = before.and_then(|s| s.resolved_by.clone());
    for e in entries {
        record = Some(AlertRecord::apply(record, e)?);
        match &e.action {
            LogAction::Resolve { .. } => {
                resolved_on = Some(e.at);
                resolved_by = Some(e.by.clone());
            }
            LogAction::Reopen { .. } => {
                resolved_on = None;
                resolved_by = None;
            }
            _ => {}
        }
    }
    let record =
        record.ok_or(quanze_supervise::LogError::Refused { seq: 1, reason: "预警记录为空".into() })?;
    Ok((record, resolved_on, resolved_by))
}

fn cache_of(record: &AlertRecord, resolved_on: Option<Date>, resolved_by: Option<String>) -> AlertCache {
    let last = record.notices.last();
    AlertCache {
        level: level_of(record.alert.level),
        status: status_of(record.status),
        escalation: escalation_of(record.escalation),
        message: record.alert.message.clone(),
        arose_on: record.alert.at,
        opened_on: record.opened,
        resolved_on: if record.status == AlertStatus::Resolved { resolved_on } else { None },
        resolved_by: if record.status == AlertStatus::Resolved { resolved_by } else { None },
        notice_no: last.map(|n| n.number.clone()),
        notice_due: last.filter(|n| n.replied.is_none()).map(|n| n.reply_by),
        // Serializing these types cannot fail (string keys, no floats).
        record: serde_json::to_string(record).unwrap_or_default(),
    }
}

/// Seal `actions` as entries after `before`'s head, all on `at` by `by`.
fn entries_for(before: Option<&Stored>, actions: &[LogAction], at: Date, by: &str) -> Vec<LogEntry> {
    let first = before.map_or(1, |s| s.head_seq + 1);
    // The log's days never go back: an entry is dated no earlier than the last one.
    let at = before.map_or(at, |s| at.max(s.record.last_at));
    actions
        .iter()
        .enumerate()
        .map(|(i, a)| LogEntry { seq: first + i as u64, at, by: by.to_string(), action: a.clone() })
        .collect()
}

fn seal_entries(before: Option<&Stored>, entries: &[LogEntry]) -> Vec<NewAlertEntry> {
    let mut prev = before.map_or_else(|| quanze_case::GENESIS.to_string(), |s| s.head_hash.clone());
    entries
        .iter()
        .map(|e| {
            let s = StoredEntry::seal(&prev, e);
            prev.clone_from(&s.hash);
            NewAlertEntry {
                seq: e.seq,
                at: e.at,
                actor: e.by.clone(),
                action: e.action.id().to_string(),
                body: String::from_utf8_lossy(&s.body).into_owned(),
                prev_hash: s.prev_hash,
                hash: s.hash,
            }
        })
        .collect()
}

/// What the rules' alert asks of its stored log.
fn plan(stored: Option<&Stored>, current: &Alert) -> Vec<LogAction> {
    let Some(s) = stored else { return vec![LogAction::Raise { alert: current.clone() }] };
    let r = &s.record;
    if r.status == AlertStatus::Resolved && s.resolved_by.as_deref() == Some(SYSTEM) {
        // The system resolved it when its condition ended; the condition is back.
        let mut out = vec![LogAction::Reopen { reason: "预警情形再次出现".into() }];
        if current.level > r.alert.level {
            out.push(LogAction::Level { level: current.level });
        }
        return out;
    }
    match quanze_supervise::sync(Some(r), Some(current)) {
        Some(reopen @ LogAction::Reopen { .. }) => vec![reopen, LogAction::Level { level: current.level }],
        Some(a) => vec![a],
        None => Vec::new(),
    }
}

const CLEARED: &str = "预警情形已不存在（期限已办结、已延长或已转为超期预警），系统自动解除";

impl Supervision {
    fn new(config: SuperviseConfig) -> Supervision {
        Supervision {
            config,
            rules: ClauseRules::builtin(),
            watches: StdMutex::new(HashMap::new()),
            items: StdMutex::new(HashMap::new()),
        }
    }

    /// The supervision installed on `service`, installing one with the default figures
    /// when there is none: from then on every append runs the rules.
    pub fn ensure(service: &CaseService) -> Arc<Supervision> {
        Self::ensure_with(service, SuperviseConfig::default())
    }

    /// [`Supervision::ensure`] with the bureau's figures (used only when none is installed).
    pub fn ensure_with(service: &CaseService, config: SuperviseConfig) -> Arc<Supervision> {
        if let Some(s) = Self::of(service) {
            return s;
        }
        let s = Arc::new(Supervision::new(config));
        service.set_after_append(Some(Arc::clone(&s) as Arc<dyn AfterAppend>));
        s
    }

    /// The supervision installed on `service`, if any.
    pub fn of(service: &CaseService) -> Option<Arc<Supervision>> {
        service.after_append().and_then(|h| h.as_any().downcast::<Supervision>().ok())
    }

    pub fn config(&self) -> &SuperviseConfig {
        &self.config
    }

    fn slot(&self, case: CaseId) -> Arc<Mutex<Option<Watched>>> {
        let mut map = self.watches.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(case).or_insert_with(|| Arc::new(Mutex::new(None))))
    }

    async fn item_rules(
        &self,
        service: &CaseService,
        item: ItemId,
        version: VersionId,
    ) -> Result<Arc<ItemRules>> {
        if let Some(r) = self.items.lock().unwrap_or_else(|p| p.into_inner()).get(&(item, version)) {
            return Ok(Arc::clone(r));
        }
        let stored = service
            .store()
            .item(item)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("事项 {} 不存在", item.0)))?;
        let (procedure, _) = ItemProcedure::for_item(&stored.item);
        let procedure = procedure.with_version(&version.0.to_string());
        let clauses = quanze_supervise::classify_item(self.rules, &stored.item);
        let rules = Arc::new(ItemRules { procedure, clauses });
        self.items.lock().unwrap_or_else(|p| p.into_inner()).insert((item, version), Arc::clone(&rules));
        Ok(rules)
    }

    /// Evaluate a watched case on `now` (`cached`: the incremental path's cache of
    /// day-dependent alerts).
    async fn evaluate(
        &self,
        service: &CaseService,
        w: &mut Watched,
        now: Date,
        cached: bool,
    ) -> Result<Vec<Alert>> {
        let watch = &mut w.watch;
        self.with_rules(service, w.item, w.version, w.bureau, |rc| {
            if cached { watch.alerts_cached(rc, now) } else { watch.alerts(rc, now) }
        })
        .await
    }

    /// Run `f` with the rules' context of a case under `item` at `version` in `bureau`: the
    /// item's procedure and classified clauses, the bureau's people, the calendar.
    async fn with_rules<T>(
        &self,
        service: &CaseService,
        item: ItemId,
        version: VersionId,
        bureau: BureauId,
        f: impl FnOnce(&RuleContext<'_>) -> T,
    ) -> Result<T> {
        let rules = self.item_rules(service, item, version).await?;
        let people = service.engine_people(bureau).await?;
        let calendar = service.calendar();
        let ctx = CaseContext {
            procedure: &rules.procedure,
            people: &people,
            calendar: &calendar,
            config: service.config(),
            law: quanze_law::registry(),
        };
        Ok(f(&RuleContext { case: &ctx, config: &self.config, clauses: &rules.clauses }))
    }

    /// Fold a case's events into a watch (with the rules of its item).
    async fn fold(
        &self,
        service: &CaseService,
        record: &CaseRecord,
        events: &[CaseEvent],
    ) -> Result<CaseWatch> {
        self.with_rules(service, record.item, record.version, record.bureau, |rc| CaseWatch::fold(rc, events))
            .await
    }

    async fn stored_of(&self, service: &CaseService, case: CaseId) -> Result<HashMap<String, Stored>> {
        let mut out = HashMap::new();
        for row in service.store().case_alerts(case).await? {
            out.insert(row.key.clone(), Stored::from_row(&row)?);
        }
        Ok(out)
    }

    /// Read a case, fold its log and its stored alerts.
    async fn load(&self, service: &CaseService, case: CaseId) -> Result<Watched> {
        let record = service
            .store()
            .case(case)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("案件 {} 不存在", case.0)))?;
        let events = read_events(&service.store().case_events(case).await?)?;
        let watch = self.fold(service, &record, &events).await?;
        let head_seq = events.last().map_or(0, |e| e.seq);
        Ok(Watched {
            bureau: record.bureau,
            item: record.item,
            version: record.version,
            head_seq,
            watch,
            stored: self.stored_of(service, case).await?,
        })
    }

    /// The incremental path: `events` were just appended to `case` (durably).
    async fn on_append(&self, service: &CaseService, case: CaseId, events: &[SealedEvent]) -> Result<()> {
        let (Some(first), Some(now)) = (events.first(), events.iter().map(|e| e.event.at.date).max()) else {
            return Ok(());
        };
        let slot = self.slot(case);
        let mut guard = slot.lock().await;
        let follows = guard.as_ref().is_some_and(|w| w.head_seq + 1 == first.event.seq);
        if follows && let Some(w) = guard.as_mut() {
            let rules = self.item_rules(service, w.item, w.version).await?;
            let people = service.engine_people(w.bureau).await?;
            let calendar = service.calendar();
            let ctx = CaseContext {
                procedure: &rules.procedure,
                people: &people,
                calendar: &calendar,
                config: service.config(),
                law: quanze_law::registry(),
            };
            let rc = RuleContext { case: &ctx, config: &self.config, clauses: &rules.clauses };
            for e in events {
                w.watch.apply(&rc, &e.event);
                w.head_seq = e.event.seq;
            }
        } else {
            // First touch, or another process appended in between: read the whole log.
            *guard = Some(self.load(service, case).await?);
        }
        let Some(w) = guard.as_mut() else { return Ok(()) };
        let alerts = self.evaluate(service, w, now, true).await?;
        let result = self.sync(service, case, &mut w.stored, &alerts, now, false).await;
        if result.is_err() {
            // The stored alerts may have moved: read them again next time.
            *guard = None;
        }
        result.map(|_| ())
    }

    /// Bring a case's stored alerts in line with `alerts`, the rules' answer on `now`; with
    /// `escalate`, append the 催办/督办 due on `now` too.
    async fn sync(
        &self,
        service: &CaseService,
        case: CaseId,
        stored: &mut HashMap<String, Stored>,
        alerts: &[Alert],
        now: Date,
        escalate: bool,
    ) -> Result<SupervisionReport> {
        let mut report = SupervisionReport { current: alerts.len(), ..SupervisionReport::default() };
        let calendar = service.calendar();
        let keys: BTreeSet<&str> = alerts.iter().map(|a| a.key.as_str()).collect();
        let mut todo: Vec<(String, Option<&Alert>)> =
            alerts.iter().map(|a| (a.key.clone(), Some(a))).collect();
        let mut gone: Vec<&String> = stored
            .iter()
            .filter(|(k, s)| s.record.status != AlertStatus::Resolved && !keys.contains(k.as_str()))
            .map(|(k, _)| k)
            .collect();
        gone.sort();
        todo.extend(gone.into_iter().map(|k| (k.clone(), None)));
        for (key, current) in todo {
            for attempt in 0..MAX_ATTEMPTS {
                let before = stored.get(&key);
                let actions = match current {
                    Some(a) => {
                        let mut actions = plan(before, a);
                        if escalate
                            && let Some(next) = self.escalation_after(before, &actions, a, &calendar, now)
                        {
                            actions.push(next);
                        }
                        actions
                    }
                    None => match before {
                        Some(s) if s.record.status != AlertStatus::Resolved => {
                            vec![LogAction::Resolve { justification: CLEARED.into() }]
                        }
                        _ => Vec::new(),
                    },
                };
                if actions.is_empty() {
                    break;
                }
                let new_key = current.map(|a| (a.key.as_str(), a.rule.id()));
                match self.append(service, case, before, new_key, &actions, now, SYSTEM, None).await {
                    Ok(s) => {
                        for a in &actions {
                            match a {
                                LogAction::Raise { .. } => report.raised += 1,
                                LogAction::Level { .. } | LogAction::Reopen { .. } => report.changed += 1,
                                LogAction::Resolve { .. } => report.cleared += 1,
                                LogAction::Remind {} | LogAction::Supervise {} => report.escalated += 1,
                                _ => {}
                            }
                        }
                        stored.insert(key.clone(), s);
                        break;
                    }
                    Err(e) if is_race(&e) && attempt + 1 < MAX_ATTEMPTS => {
                        *stored = self.stored_of(service, case).await?;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(report)
    }

    /// The 催办/督办 due on `now` for an alert once `actions` are applied (one step per sync).
    fn escalation_after(
        &self,
        before: Option<&Stored>,
        actions: &[LogAction],
        current: &Alert,
        calendar: &quanze_calendar::Calendar,
        now: Date,
    ) -> Option<LogAction> {
        if current.level == Level::Notice {
            return None;
        }
        let entries = entries_for(before, actions, now, SYSTEM);
        let (record, _, _) = fold_entries(before, &entries).ok()?;
        quanze_supervise::due_escalation(&record, calendar, &self.config, now)
    }

    /// Append `actions` to an alert's log (raising it when `before` is `None`), checked by the
    /// lifecycle first; the stored alert after it.
    #[allow(clippy::too_many_arguments)]
    async fn append(
        &self,
        service: &CaseService,
        case: CaseId,
        before: Option<&Stored>,
        new_key: Option<(&str, &str)>,
        actions: &[LogAction],
        at: Date,
        by: &str,
        numbering: Option<NoticeNumbering>,
    ) -> Result<Stored> {
        let entries = entries_for(before, actions, at, by);
        // The lifecycle decides before anything is written (a placeholder number stands in
        // for the one the store issues).
        let checked = fold_entries(before, &entries).map_err(|e| CaseworkError::Invalid(e.to_string()))?;
        let target = match (before, new_key) {
            (Some(s), _) => AlertTarget::Existing { id: s.id, head_seq: s.head_seq },
            (None, Some((key, rule))) => {
                AlertTarget::New { case, key: key.to_string(), rule: rule.to_string() }
            }
            (None, None) => return Err(CaseworkError::Invalid("预警不存在".into())),
        };
        let mut folded: Option<(AlertRecord, Option<Date>, Option<String>)> = None;
        let head: AlertHead = service
            .store()
            .append_alert(&target, numbering.as_ref(), |number| {
                let entries: Vec<LogEntry> = entries
                    .iter()
                    .cloned()
                    .map(|mut e| {
                        if let (Some(n), LogAction::IssueNotice { number: slot, .. }) =
                            (number, &mut e.action)
                        {
                            *slot = n.to_string();
                        }
                        e
                    })
                    .collect();
                match fold_entries(before, &entries) {
                    Ok((record, on, by)) => {
                        let cache = cache_of(&record, on, by.clone());
                        folded = Some((record, on, by));
                        AlertWrite { entries: seal_entries(before, &entries), cache }
                    }
                    // Cannot happen once the check above passed; an empty write is refused by
                    // the store and rolls the transaction back.
                    Err(_) => AlertWrite {
                        entries: Vec::new(),
                        cache: cache_of(&checked.0, checked.1, checked.2.clone()),
                    },
                }
            })
            .await?;
        let (record, resolved_on, resolved_by) =
            folded.ok_or_else(|| CaseworkError::Corrupt("预警记录未能折叠".into()))?;
        Ok(Stored {
            id: head.id,
            head_seq: head.head_seq,
            head_hash: head.head_hash,
            record,
            resolved_on,
            resolved_by,
        })
    }

    /// A supervisor's (or, for a reply, the officer's) action on a stored alert, on `at`.
    /// `by` is the person id the log records (or `user:<id>` for an account without one).
    /// The answer is the alert as stored after it.
    pub async fn command(
        &self,
        service: &CaseService,
        alert: AlertId,
        command: &AlertCommand,
        by: &str,
        at: Date,
    ) -> Result<AlertRow> {
        for _ in 0..MAX_ATTEMPTS {
            let row = service
                .store()
                .alert(alert)
                .await?
                .ok_or_else(|| CaseworkError::NotFound(format!("预警 {} 不存在", alert.0)))?;
            let before = Stored::from_row(&row)?;
            let (action, numbering) = match command {
                AlertCommand::Acknowledge => (LogAction::Acknowledge {}, None),
                AlertCommand::Resolve { justification } => {
                    (LogAction::Resolve { justification: justification.trim().to_string() }, None)
                }
                AlertCommand::Reopen { reason } => {
                    (LogAction::Reopen { reason: reason.trim().to_string() }, None)
                }
                AlertCommand::Reply { text } => (LogAction::Reply { text: text.trim().to_string() }, None),
                AlertCommand::IssueNotice => {
                    let calendar = service.calendar();
                    let reply_by = quanze_supervise::notice_reply_by(&calendar, &self.config, at)
                        .ok_or_else(|| {
                            CaseworkError::Invalid(format!(
                                "{} 年没有节假日安排，无法计算回复期限",
                                at.year()
                            ))
                        })?;
                    let prefix = format!("{}监建", self.bureau_short(service, row.bureau).await?);
                    (
                        LogAction::IssueNotice { number: "（待编号）".into(), reply_by },
                        Some(NoticeNumbering { prefix, year: at.year() }),
                    )
                }
            };
            match self.append(service, row.case, Some(&before), None, &[action], at, by, numbering).await {
                Ok(_) => {
                    // The watched copy of this case's alerts is stale now.
                    self.watches.lock().unwrap_or_else(|p| p.into_inner()).remove(&row.case);
                    return service
                        .store()
                        .alert(alert)
                        .await?
                        .ok_or_else(|| CaseworkError::NotFound(format!("预警 {} 不存在", alert.0)));
                }
                Err(e) if is_race(&e) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(CaseworkError::Busy(alert.0))
    }

    /// The 文号 prefix of a bureau (its documents' `short`, e.g. 汤医保).
    async fn bureau_short(&self, service: &CaseService, bureau: BureauId) -> Result<String> {
        let name = service.bureau_name(bureau).await?;
        Ok(match service.documents() {
            Some(set) => set.bureau(&name).short,
            None => format!("{}医保", name.chars().next().unwrap_or('局')),
        })
    }

    /// The sweep: every case folded from the store and evaluated on `today`, its stored
    /// alerts brought in line and escalated. What runs at start (and so recovers alerts an
    /// interrupted append did not write) and hourly.
    pub async fn sweep(&self, service: &CaseService, today: Date) -> Result<SupervisionReport> {
        let store = service.store();
        let mut report = SupervisionReport::default();
        let mut offset = 0u64;
        let mut after: Option<EventKey> = None;
        let mut pending: Vec<quanze_store::StoredEvent> = Vec::new();
        let mut exhausted = false;
        loop {
            let page = store
                .cases(&CaseFilter {
                    bureau: None,
                    state: None,
                    page: Page { offset, limit: Page::MAX_LIMIT },
                })
                .await?;
            let (Some(first), Some(last)) = (page.rows.first(), page.rows.last()) else { break };
            let (first_id, last_id) = (first.id, last.id);
            // Events of the page's cases: read on until past its last case.
            while !exhausted && pending.last().is_none_or(|e| e.case <= last_id) {
                let more = store.events_after(after, quanze_store::MAX_EVENTS_PAGE).await?;
                match more.last() {
                    None => exhausted = true,
                    Some(e) => after = Some(EventKey { case: e.case, seq: e.seq }),
                }
                pending.extend(more);
            }
            let split = pending.partition_point(|e| e.case <= last_id);
            let mine: Vec<quanze_store::StoredEvent> = pending.drain(..split).collect();
            let mut by_case: HashMap<CaseId, Vec<&quanze_store::StoredEvent>> = HashMap::new();
            for e in &mine {
                by_case.entry(e.case).or_default().push(e);
            }
            let mut alerts: HashMap<CaseId, HashMap<String, Stored>> = HashMap::new();
            for row in store.alerts_of_cases(first_id, last_id).await? {
                alerts.entry(row.case).or_default().insert(row.key.clone(), Stored::from_row(&row)?);
            }
            for record in &page.rows {
                let rows = by_case.remove(&record.id).unwrap_or_default();
                let events = read_events_ref(&rows)?;
                let head_seq = events.last().map_or(0, |e| e.seq);
                if head_seq != record.head_seq {
                    // Appended after the page was read: its hook syncs it.
                    report.moved += 1;
                    continue;
                }
                let mut w = Watched {
                    bureau: record.bureau,
                    item: record.item,
                    version: record.version,
                    head_seq,
                    watch: self.fold(service, record, &events).await?,
                    stored: alerts.remove(&record.id).unwrap_or_default(),
                };
                report.cases += 1;
                let slot = self.slot(record.id);
                let guard = slot.lock().await;
                // Under the case's lock the hook cannot run: if the head moved since the
                // fold, this sweep's view is old and the hook has (or will have) the new one.
                let moved = store.case(record.id).await?.is_none_or(|c| c.head_seq != head_seq);
                if moved {
                    report.moved += 1;
                    continue;
                }
                let current = self.evaluate(service, &mut w, today, false).await?;
                let r = self.sync(service, record.id, &mut w.stored, &current, today, true).await?;
                report.add(&r);
                drop(guard);
                // The watched copy (if any) no longer matches the stored alerts.
                if r.raised + r.changed + r.cleared + r.escalated > 0 {
                    self.watches.lock().unwrap_or_else(|p| p.into_inner()).remove(&record.id);
                }
            }
            offset += page.rows.len() as u64;
        }
        Ok(report)
    }
}

fn read_events(rows: &[quanze_store::StoredEvent]) -> Result<Vec<CaseEvent>> {
    read_events_ref(&rows.iter().collect::<Vec<_>>())
}

fn read_events_ref(rows: &[&quanze_store::StoredEvent]) -> Result<Vec<CaseEvent>> {
    rows.iter()
        .map(|r| {
            serde_json::from_str(&r.body)
                .map_err(|e| CaseworkError::Corrupt(format!("案件 {} 第 {} 条记录：{e}", r.case.0, r.seq)))
        })
        .collect()
}

impl AfterAppend for Supervision {
    fn appended<'a>(
        &'a self,
        service: &'a CaseService,
        case: CaseId,
        events: &'a [SealedEvent],
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async move {
            if let Err(e) = self.on_append(service, case, events).await {
                eprintln!(
                    "quanze: supervision of case {} after an append failed (the next sweep repeats it): {e}",
                    case.0
                );
            }
        })
    }

    fn as_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}

/// The person id an alert's log records for `officer` (`user:<id>` for an account linked to
/// no person, such as an administrator).
pub fn actor_of(officer: &Officer) -> String {
    match (&officer.person, officer.user) {
        (Some(p), _) => person_ref(p.id),
        (None, Some(u)) => format!("user:{}", u.0),
        (None, None) => SYSTEM.to_string(),
    }
}

/// The unresolved alerts an officer sees in 我的待办: those of the cases they handle, and for
/// a leader the 督办 of their bureau.
pub async fn officer_alerts(service: &CaseService, officer: &Officer) -> Result<Vec<AlertRow>> {
    let Some(person) = &officer.person else { return Ok(Vec::new()) };
    let mut rows = service.store().alerts_for_handler(person.id).await?;
    if person.role == PersonRole::Leader
        && let Some(bureau) = person.bureau
    {
        let filter = AlertFilter { bureaus: Some(vec![bureau]), unresolved: true, ..AlertFilter::default() };
        for r in service.store().all_alerts(&filter).await? {
            if r.escalation == AlertEscalation::Supervised && !rows.iter().any(|x| x.id == r.id) {
                rows.push(r);
            }
        }
    }
    Ok(rows)
}

/// Verify a stored alert log: sequence, chain, bodies and the lifecycle (as `quanze cases
/// verify` does for a case); the fold when it holds.
pub fn verify_entries(
    rows: &[quanze_store::StoredAlertEntry],
) -> std::result::Result<AlertRecord, quanze_supervise::LogError> {
    let entries: Vec<StoredEntry> = rows
        .iter()
        .map(|r| StoredEntry {
            seq: r.seq,
            prev_hash: r.prev_hash.clone(),
            hash: r.hash.clone(),
            body: r.body.as_bytes().to_vec(),
        })
        .collect();
    quanze_supervise::verify_log(&entries)
}
