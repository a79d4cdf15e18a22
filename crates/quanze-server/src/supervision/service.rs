//! Electronic supervision for supervisors: who may supervise which bureaus, the alerts by
//! filter, one alert with its evidence and log, the supervisors' actions, the figures per
//! bureau and month, the trend charts (SVG written here, no script), the xlsx export and the
//! coverage report of each list.
//!
//! What a supervisor sees of a case is what the alert needs: the case's number (案号), its
//! item, its 承办人 and office, the rule, the clause and articles, and the triggering events
//! as (seq, day, action, who) — never the party, the facts or an event's body.
//!
//! This module is the capability's service: no axum; errors are [`SupervisionError`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use quanze_casework::CaseService;
use quanze_casework::supervision::{
    self as sv, AlertCommand, AlertRecord, LogAction, LogEntry, RuleKind, Supervision,
};
use quanze_model::Date;
use quanze_store::{
    AlertEscalation, AlertFilter, AlertId, AlertLevel, AlertRow, AlertState, BureauId, Page, PersonId,
    PersonRole, Role, Session,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Why a supervision request failed (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SupervisionError {
    #[error("请先登录。")]
    LoginRequired,
    #[error("需要监督人员或管理员权限。")]
    Forbidden,
    /// Refused by the access policy (origin, CSRF, role): its Chinese reason.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// The store or the service failed; the cause is logged.
    #[error("服务器内部错误。")]
    Internal(String),
}

impl SupervisionError {
    pub(crate) fn status(&self) -> u16 {
        match self {
            SupervisionError::LoginRequired => 401,
            SupervisionError::Forbidden | SupervisionError::Refused(_) => 403,
            SupervisionError::NotFound(_) => 404,
            SupervisionError::Invalid(_) => 400,
            SupervisionError::Internal(_) => 500,
        }
    }
}

fn internal(e: impl std::fmt::Display) -> SupervisionError {
    eprintln!("quanze: internal error: {e}");
    SupervisionError::Internal(e.to_string())
}

impl From<quanze_store::StoreError> for SupervisionError {
    fn from(e: quanze_store::StoreError) -> Self {
        internal(e)
    }
}

impl From<quanze_casework::CaseworkError> for SupervisionError {
    fn from(e: quanze_casework::CaseworkError) -> Self {
        use quanze_casework::CaseworkError as E;
        match e {
            E::NotFound(m) => SupervisionError::NotFound(m),
            E::Invalid(m) => SupervisionError::Invalid(m),
            E::Busy(_) => SupervisionError::Invalid(e.to_string()),
            other => internal(other),
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, SupervisionError>;

/// The supervision of the server's case service (installed on first use).
pub(crate) fn supervision(state: &AppState) -> Arc<Supervision> {
    Supervision::ensure(state.cases())
}

fn cases(state: &AppState) -> &CaseService {
    state.cases()
}

// ---------- who supervises what ----------

/// The bureaus a viewer supervises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    /// `None`: every bureau.
    pub bureaus: Option<Vec<BureauId>>,
    /// What the log records for this viewer's actions.
    pub actor: String,
}

impl Scope {
    fn admits(&self, b: BureauId) -> bool {
        self.bureaus.as_ref().is_none_or(|l| l.contains(&b))
    }
}

/// Supervisors (a supervisor role on the account, everywhere or for bureaus, or a linked
/// person who is a 监督人员) and administrators; anyone else is refused.
pub(crate) async fn scope(state: &AppState, session: Option<&Session>) -> Result<Scope> {
    let session = session.ok_or(SupervisionError::LoginRequired)?;
    let user = &session.user;
    let officer = cases(state).officer_for_user(user).await?;
    let actor = sv::actor_of(&officer);
    if user.is_admin() || user.has_global_role(Role::Supervisor) {
        return Ok(Scope { bureaus: None, actor });
    }
    let mut bureaus: BTreeSet<BureauId> =
        user.roles.iter().filter(|g| g.role == Role::Supervisor).filter_map(|g| g.bureau).collect();
    if let Some(p) =
        officer.person.as_ref().filter(|p| p.role == PersonRole::Supervisor && p.retired_at.is_none())
    {
        match p.bureau {
            Some(b) => {
                bureaus.insert(b);
            }
            None => return Ok(Scope { bureaus: None, actor }),
        }
    }
    if bureaus.is_empty() {
        return Err(SupervisionError::Forbidden);
    }
    Ok(Scope { bureaus: Some(bureaus.into_iter().collect()), actor })
}

// ---------- filters ----------

/// The console's filters, as given in a query string (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct Filters {
    /// Bureau id.
    pub bureau: Option<String>,
    /// 科室.
    pub office: Option<String>,
    /// Person id of the 承办人.
    pub officer: Option<String>,
    /// Item name.
    pub item: Option<String>,
    /// Rule kind id (`limit_passed`…).
    pub rule: Option<String>,
    /// `notice`, `yellow`, `red`, `breach`.
    pub level: Option<String>,
    /// `open`, `acknowledged`, `resolved`, or `unresolved`.
    pub status: Option<String>,
    /// `overdue` (red, unresolved) or `approaching` (提示 and yellow, unresolved).
    pub view: Option<String>,
    /// First month `YYYY-MM` (the day the condition arose).
    pub from: Option<String>,
    /// Last month `YYYY-MM`.
    pub to: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn month_start(s: &str) -> Option<Date> {
    let (y, m) = s.split_once('-')?;
    Date::new(y.parse().ok()?, m.parse().ok()?, 1)
}

fn month_end(s: &str) -> Option<Date> {
    let first = month_start(s)?;
    let next = if first.month() == 12 {
        Date::new(first.year() + 1, 1, 1)?
    } else {
        Date::new(first.year(), first.month() + 1, 1)?
    };
    next.add_days(-1)
}

impl Filters {
    /// The store's filter within `scope`.
    pub(crate) fn to_store(&self, scope: &Scope) -> Result<AlertFilter> {
        let bad = |what: &str, v: &str| SupervisionError::Invalid(format!("{what}“{v}”无效"));
        let mut f = AlertFilter { bureaus: scope.bureaus.clone(), ..AlertFilter::default() };
        if let Some(b) = blank(&self.bureau) {
            let id = BureauId(b.parse().map_err(|_| bad("单位", b))?);
            f.bureaus = Some(if scope.admits(id) { vec![id] } else { Vec::new() });
        }
        f.office = blank(&self.office).map(str::to_string);
        if let Some(o) = blank(&self.officer) {
            f.officer = Some(PersonId(o.parse().map_err(|_| bad("承办人", o))?));
        }
        f.item_name = blank(&self.item).map(str::to_string);
        if let Some(r) = blank(&self.rule) {
            RuleKind::from_id(r).ok_or_else(|| bad("规则", r))?;
            f.rule = Some(r.to_string());
        }
        if let Some(l) = blank(&self.level) {
            f.level = Some(AlertLevel::from_str_opt(l).ok_or_else(|| bad("等级", l))?);
        }
        match blank(&self.status) {
            None => {}
            Some("unresolved") => f.unresolved = true,
            Some(s) => f.status = Some(AlertState::from_str_opt(s).ok_or_else(|| bad("状态", s))?),
        }
        if let Some(m) = blank(&self.from) {
            f.arose_from = Some(month_start(m).ok_or_else(|| bad("起始月份", m))?);
        }
        if let Some(m) = blank(&self.to) {
            f.arose_to = Some(month_end(m).ok_or_else(|| bad("截止月份", m))?);
        }
        match blank(&self.view) {
            None | Some("all") => {}
            Some("overdue") => {
                f.level = Some(AlertLevel::Red);
                f.unresolved = true;
            }
            Some("approaching") => {
                f.rule = Some(RuleKind::LimitApproaching.id().to_string());
                f.unresolved = true;
            }
            Some(v) => return Err(bad("视图", v)),
        }
        let offset = blank(&self.offset).map_or(Ok(0), |o| o.parse::<u64>().map_err(|_| bad("offset", o)))?;
        let limit = blank(&self.limit).map_or(Ok(50), |l| l.parse::<u32>().map_err(|_| bad("limit", l)))?;
        f.page = Page { offset, limit: limit.clamp(1, Page::MAX_LIMIT) };
        Ok(f)
    }

    /// The query string of these filters (for links: export, paging), without offset/limit.
    pub(crate) fn query(&self) -> String {
        let pairs = [
            ("bureau", &self.bureau),
            ("office", &self.office),
            ("officer", &self.officer),
            ("item", &self.item),
            ("rule", &self.rule),
            ("level", &self.level),
            ("status", &self.status),
            ("view", &self.view),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| blank(v).map(|v| format!("{k}={}", crate::http::params::pct(v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

// ---------- alerts as shown ----------

/// An alert as supervisors see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AlertView {
    pub id: i64,
    pub case_id: i64,
    /// 案号.
    pub case_label: String,
    pub bureau: i64,
    pub bureau_name: String,
    pub item_name: String,
    pub item_seq: Option<u32>,
    /// The case's 承办人 (name) and office, when assigned.
    pub officer_id: Option<i64>,
    pub officer: Option<String>,
    pub office: Option<String>,
    /// Rule kind id and its Chinese label.
    pub rule: String,
    pub rule_label: String,
    /// `notice`, `yellow`, `red`, `breach`, and its label.
    pub level: String,
    pub level_label: String,
    /// `open`, `acknowledged`, `resolved`, and its label.
    pub status: String,
    pub status_label: String,
    /// `none`, `reminded` (催办), `supervised` (督办), and its label.
    pub escalation: String,
    pub escalation_label: String,
    pub message: String,
    /// The item's accountability clause the rule checks, as the list prints it, and its number.
    pub clause: Option<String>,
    pub clause_seq: Option<u32>,
    pub articles: Vec<String>,
    /// Sequence numbers of the triggering events.
    pub events: Vec<u64>,
    /// The day the condition arose, the day the alert was raised, the day it was resolved.
    pub arose_on: String,
    pub raised_on: String,
    pub resolved_on: Option<String>,
    /// The written justification of the resolution.
    pub justification: Option<String>,
    /// Whether the system resolved it (the condition ended).
    pub resolved_by_system: bool,
    /// The last 监察建议书 and its reply deadline while unanswered.
    pub notice_no: Option<String>,
    pub notice_due: Option<String>,
    /// A figure or article it rests on is UNVERIFIED (configurable).
    pub unverified: bool,
}

pub(crate) fn view(row: &AlertRow) -> AlertView {
    let record: Option<AlertRecord> = serde_json::from_str(&row.record).ok();
    let alert = record.as_ref().map(|r| &r.alert);
    AlertView {
        id: row.id.0,
        case_id: row.case.0,
        case_label: row.case_label.clone(),
        bureau: row.bureau.0,
        bureau_name: row.bureau_name.clone(),
        item_name: row.item_name.clone(),
        item_seq: row.item_seq,
        officer_id: row.officer.map(|p| p.0),
        officer: row.officer_name.clone(),
        office: row.office.clone().filter(|o| !o.is_empty()),
        rule: row.rule.clone(),
        rule_label: sv::rule_label(&row.rule).to_string(),
        level: row.level.as_str().into(),
        level_label: sv::level_label(row.level).into(),
        status: row.status.as_str().into(),
        status_label: sv::status_label(row.status).into(),
        escalation: row.escalation.as_str().into(),
        escalation_label: sv::escalation_label(row.escalation).into(),
        message: row.message.clone(),
        clause: alert.and_then(|a| a.clause.clone()),
        clause_seq: alert.and_then(|a| a.clause_seq),
        articles: alert.map(|a| a.articles.clone()).unwrap_or_default(),
        events: alert.map(|a| a.events.clone()).unwrap_or_default(),
        arose_on: row.arose_on.to_string(),
        raised_on: row.raised_on.to_string(),
        resolved_on: row.resolved_on.map(|d| d.to_string()),
        justification: record.as_ref().and_then(|r| r.justification.clone()),
        resolved_by_system: row.resolved_by.as_deref() == Some(sv::SYSTEM),
        notice_no: row.notice_no.clone(),
        notice_due: row.notice_due.map(|d| d.to_string()),
        unverified: alert.is_some_and(|a| a.unverified),
    }
}

/// One page of alerts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AlertList {
    pub total: u64,
    pub offset: u64,
    pub alerts: Vec<AlertView>,
}

pub(crate) async fn list(state: &AppState, scope: &Scope, filters: &Filters) -> Result<AlertList> {
    let f = filters.to_store(scope)?;
    let page = state.store().alerts(&f).await?;
    Ok(AlertList { total: page.total, offset: f.page.offset, alerts: page.rows.iter().map(view).collect() })
}

/// Every alert of a filtered view (exports, figures).
async fn all(state: &AppState, scope: &Scope, filters: &Filters) -> Result<Vec<AlertRow>> {
    let f = filters.to_store(scope)?;
    Ok(state.store().all_alerts(&f).await?)
}

/// A triggering event, as evidence: which, when, what, who (names of the people of the case).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct EvidenceEvent {
    pub seq: u64,
    pub at: String,
    pub action: String,
    pub by: Vec<String>,
}

/// One entry of an alert's log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct LogRow {
    pub seq: u64,
    pub at: String,
    /// Who: a person's name, 系统, or an account.
    pub by: String,
    /// `raise`, `acknowledge`, `resolve`…, and its label.
    pub action: String,
    pub action_label: String,
    /// The justification, reason, reply or notice number written with it.
    pub text: String,
}

/// An alert with its evidence and its log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AlertDetail {
    pub alert: AlertView,
    pub evidence: Vec<EvidenceEvent>,
    pub log: Vec<LogRow>,
    /// Whether the log's chain verifies.
    pub chain_ok: bool,
}

fn action_label(a: &LogAction) -> &'static str {
    match a {
        LogAction::Raise { .. } => "产生预警",
        LogAction::Level { .. } => "预警升级",
        LogAction::Acknowledge {} => "确认知悉",
        LogAction::Resolve { .. } => "办结",
        LogAction::Reopen { .. } => "重新打开",
        LogAction::Remind {} => "催办",
        LogAction::Supervise {} => "督办",
        LogAction::IssueNotice { .. } => "发出监察建议书",
        LogAction::Reply { .. } => "回复监察建议书",
    }
}

fn action_text(a: &LogAction) -> String {
    match a {
        LogAction::Raise { alert } => alert.message.clone(),
        LogAction::Level { level } => level.label().to_string(),
        LogAction::Resolve { justification } => justification.clone(),
        LogAction::Reopen { reason } => reason.clone(),
        LogAction::IssueNotice { number, reply_by } => format!("{number}，回复期限{reply_by}"),
        LogAction::Reply { text } => text.clone(),
        LogAction::Acknowledge {} | LogAction::Remind {} | LogAction::Supervise {} => String::new(),
    }
}

async fn names(state: &AppState) -> Result<HashMap<String, String>> {
    Ok(state.store().people(None).await?.into_iter().map(|p| (p.id.0.to_string(), p.name)).collect())
}

fn who(names: &HashMap<String, String>, id: &str) -> String {
    if id == sv::SYSTEM {
        return "系统".into();
    }
    if let Some(n) = names.get(id) {
        return n.clone();
    }
    match id.strip_prefix("user:") {
        Some(u) => format!("账号 {u}"),
        None => id.to_string(),
    }
}

async fn row_in_scope(state: &AppState, scope: &Scope, id: i64) -> Result<AlertRow> {
    let not_found = || SupervisionError::NotFound(format!("预警 {id} 不存在"));
    let row = state.store().alert(AlertId(id)).await?.ok_or_else(not_found)?;
    // An alert of another bureau is not shown to exist.
    if !scope.admits(row.bureau) {
        return Err(not_found());
    }
    Ok(row)
}

pub(crate) async fn detail(state: &AppState, scope: &Scope, id: i64) -> Result<AlertDetail> {
    let row = row_in_scope(state, scope, id).await?;
    let alert = view(&row);
    let names = names(state).await?;
    let wanted: BTreeSet<u64> = alert.events.iter().copied().collect();
    let mut evidence = Vec::new();
    if !wanted.is_empty() {
        for e in state.store().case_events(row.case).await? {
            if wanted.contains(&e.seq) {
                let label = quanze_case::ActionKind::from_id(&e.action)
                    .map_or(e.action.clone(), |k| k.label().into());
                evidence.push(EvidenceEvent {
                    seq: e.seq,
                    at: e.at.replace('T', " "),
                    action: label,
                    by: e.actors.iter().map(|a| who(&names, a)).collect(),
                });
            }
        }
    }
    let stored = state.store().alert_entries(row.id).await?;
    let chain_ok = sv::verify_entries(&stored).is_ok();
    let mut log = Vec::new();
    for s in &stored {
        let Ok(e) = serde_json::from_str::<LogEntry>(&s.body) else { continue };
        log.push(LogRow {
            seq: e.seq,
            at: e.at.to_string(),
            by: who(&names, &e.by),
            action: e.action.id().into(),
            action_label: action_label(&e.action).into(),
            text: action_text(&e.action),
        });
    }
    Ok(AlertDetail { alert, evidence, log, chain_ok })
}

/// A supervisor's action on an alert of their scope.
pub(crate) async fn command(
    state: &AppState,
    scope: &Scope,
    id: i64,
    cmd: &AlertCommand,
) -> Result<AlertView> {
    let row = row_in_scope(state, scope, id).await?;
    let row = supervision(state).command(cases(state), row.id, cmd, &scope.actor, state.today()).await?;
    Ok(view(&row))
}

/// The command a form or JSON body names: `acknowledge`, `resolve` (with `text`, the
/// justification), `reopen` (with `text`, the reason), `issue_notice`, `reply` (with `text`).
pub(crate) fn parse_command(action: &str, text: Option<&str>) -> Result<AlertCommand> {
    let text = text.map(str::trim).unwrap_or("").to_string();
    let need = |what: &str| -> Result<String> {
        if text.is_empty() {
            Err(SupervisionError::Invalid(format!("请填写{what}。")))
        } else {
            Ok(text.clone())
        }
    };
    Ok(match action {
        "acknowledge" => AlertCommand::Acknowledge,
        "resolve" => AlertCommand::Resolve { justification: need("情况说明")? },
        "reopen" => AlertCommand::Reopen { reason: need("重新打开的理由")? },
        "issue_notice" => AlertCommand::IssueNotice,
        "reply" => AlertCommand::Reply { text: need("回复内容")? },
        other => return Err(SupervisionError::Invalid(format!("未知的操作“{other}”"))),
    })
}

// ---------- figures ----------

/// The figures of one bureau in one month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MonthFigures {
    pub bureau: i64,
    pub bureau_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Cases opened in the month, and those of them with a yellow, red or breach alert.
    pub opened: u64,
    pub alerted: u64,
    /// 预警率 in permille (`alerted / opened`), when cases were opened.
    pub warning_permille: Option<u32>,
    /// Cases closed in the month (terminal state, last event in the month), and those of
    /// them without a red alert.
    pub closed: u64,
    pub closed_on_time: u64,
    /// 按期办结率 in permille.
    pub on_time_permille: Option<u32>,
    /// Alerts raised in the month, by level.
    pub raised_notice: u64,
    pub raised_yellow: u64,
    pub raised_red: u64,
    pub raised_breach: u64,
    /// Alerts a person resolved in the month, and those resolved before any 催办.
    pub resolved: u64,
    pub resolved_in_time: u64,
    /// Alerts resolved in time, in permille.
    pub resolved_in_time_permille: Option<u32>,
}

fn permille(n: u64, d: u64) -> Option<u32> {
    (d > 0).then(|| u32::try_from(n * 1000 / d).unwrap_or(1000))
}

fn month_of(s: &str) -> String {
    s.get(..7).unwrap_or(s).to_string()
}

/// The figures per bureau and month of the bureaus in scope (narrowed by the filter's
/// bureau and months; the other filters select alerts, not cases, and are not applied).
pub(crate) async fn figures(state: &AppState, scope: &Scope, filters: &Filters) -> Result<Vec<MonthFigures>> {
    let f = filters.to_store(scope)?;
    let store = state.store();
    let bureau_names: HashMap<i64, String> =
        state.snapshot().bureaus.iter().map(|b| (b.id, b.name.clone())).collect();
    let times = store.case_times(f.bureaus.as_deref()).await?;
    let alerts =
        store.all_alerts(&AlertFilter { bureaus: f.bureaus.clone(), ..AlertFilter::default() }).await?;
    let in_range = |m: &str| {
        f.arose_from.is_none_or(|d| m >= month_of(&d.to_string()).as_str())
            && f.arose_to.is_none_or(|d| m <= month_of(&d.to_string()).as_str())
    };
    // Cases with an alert that counts for 预警率 (yellow and graver) or breaks 按期办结 (red).
    let mut warned: BTreeSet<i64> = BTreeSet::new();
    let mut late: BTreeSet<i64> = BTreeSet::new();
    for a in &alerts {
        if a.level >= AlertLevel::Yellow {
            warned.insert(a.case.0);
        }
        if a.level == AlertLevel::Red {
            late.insert(a.case.0);
        }
    }
    let mut out: BTreeMap<(i64, String), MonthFigures> = BTreeMap::new();
    let blank_row = |bureau: i64, month: &str| MonthFigures {
        bureau,
        bureau_name: bureau_names.get(&bureau).cloned().unwrap_or_default(),
        month: month.to_string(),
        opened: 0,
        alerted: 0,
        warning_permille: None,
        closed: 0,
        closed_on_time: 0,
        on_time_permille: None,
        raised_notice: 0,
        raised_yellow: 0,
        raised_red: 0,
        raised_breach: 0,
        resolved: 0,
        resolved_in_time: 0,
        resolved_in_time_permille: None,
    };
    for t in &times {
        let m = month_of(&t.opened_at);
        if in_range(&m) {
            let r = out.entry((t.bureau.0, m.clone())).or_insert_with(|| blank_row(t.bureau.0, &m));
            r.opened += 1;
            r.alerted += u64::from(warned.contains(&t.case.0));
        }
        let terminal = quanze_case::procedure(&t.procedure).is_some_and(|p| p.is_terminal(&t.state));
        let m = month_of(&t.last_at);
        if terminal && in_range(&m) {
            let r = out.entry((t.bureau.0, m.clone())).or_insert_with(|| blank_row(t.bureau.0, &m));
            r.closed += 1;
            r.closed_on_time += u64::from(!late.contains(&t.case.0));
        }
    }
    for a in &alerts {
        let m = month_of(&a.raised_on.to_string());
        if in_range(&m) {
            let r = out.entry((a.bureau.0, m.clone())).or_insert_with(|| blank_row(a.bureau.0, &m));
            match a.level {
                AlertLevel::Notice => r.raised_notice += 1,
                AlertLevel::Yellow => r.raised_yellow += 1,
                AlertLevel::Red => r.raised_red += 1,
                AlertLevel::Breach => r.raised_breach += 1,
            }
        }
        if a.status == AlertState::Resolved
            && a.resolved_by.as_deref() != Some(sv::SYSTEM)
            && let Some(on) = a.resolved_on
        {
            let m = month_of(&on.to_string());
            if in_range(&m) {
                let r = out.entry((a.bureau.0, m.clone())).or_insert_with(|| blank_row(a.bureau.0, &m));
                r.resolved += 1;
                r.resolved_in_time += u64::from(a.escalation == AlertEscalation::None);
            }
        }
    }
    let mut rows: Vec<MonthFigures> = out.into_values().collect();
    for r in &mut rows {
        r.warning_permille = permille(r.alerted, r.opened);
        r.on_time_permille = permille(r.closed_on_time, r.closed);
        r.resolved_in_time_permille = permille(r.resolved_in_time, r.resolved);
    }
    Ok(rows)
}

/// A permille as a Chinese percentage (`85.7%`), or a dash.
pub(crate) fn percent(p: Option<u32>) -> String {
    match p {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".into(),
    }
}

// ---------- charts ----------

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Months summed over bureaus, in order.
fn by_month(rows: &[MonthFigures]) -> Vec<MonthFigures> {
    let mut out: BTreeMap<String, MonthFigures> = BTreeMap::new();
    for r in rows {
        let m = out.entry(r.month.clone()).or_insert_with(|| MonthFigures {
            bureau: 0,
            bureau_name: String::new(),
            month: r.month.clone(),
            opened: 0,
            alerted: 0,
            warning_permille: None,
            closed: 0,
            closed_on_time: 0,
            on_time_permille: None,
            raised_notice: 0,
            raised_yellow: 0,
            raised_red: 0,
            raised_breach: 0,
            resolved: 0,
            resolved_in_time: 0,
            resolved_in_time_permille: None,
        });
        m.opened += r.opened;
        m.alerted += r.alerted;
        m.closed += r.closed;
        m.closed_on_time += r.closed_on_time;
        m.raised_notice += r.raised_notice;
        m.raised_yellow += r.raised_yellow;
        m.raised_red += r.raised_red;
        m.raised_breach += r.raised_breach;
        m.resolved += r.resolved;
        m.resolved_in_time += r.resolved_in_time;
    }
    let mut rows: Vec<MonthFigures> = out.into_values().collect();
    for r in &mut rows {
        r.warning_permille = permille(r.alerted, r.opened);
        r.on_time_permille = permille(r.closed_on_time, r.closed);
        r.resolved_in_time_permille = permille(r.resolved_in_time, r.resolved);
    }
    rows
}

const LEVEL_COLOURS: [(&str, &str); 4] =
    [("提示", "#8c9bab"), ("黄色预警", "#e0a800"), ("红色预警", "#c62828"), ("违规", "#6a1b9a")];

/// Alerts raised per month, stacked by level: an SVG with a `<title>` on every bar (what a
/// screen reader and a hover read) and the month's total above it.
pub(crate) fn alerts_chart(rows: &[MonthFigures]) -> String {
    let months = by_month(rows);
    let (w, h, left, bottom, top) = (640.0_f64, 240.0_f64, 40.0_f64, 40.0_f64, 20.0_f64);
    let max = months
        .iter()
        .map(|m| m.raised_notice + m.raised_yellow + m.raised_red + m.raised_breach)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-alerts\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"chart-alerts-title\"><title id=\"chart-alerts-title\">每月新增预警（按等级）</title>"
    );
    let plot_h = h - bottom - top;
    s.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#555\"/>",
        y = h - bottom,
        x2 = w - 10.0
    ));
    s.push_str(&format!("<text x=\"4\" y=\"{}\" font-size=\"11\">{max}</text>", top + 4.0));
    if months.is_empty() {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"13\">暂无数据</text>",
            w / 2.0 - 30.0,
            h / 2.0
        ));
    }
    let n = months.len().max(1) as f64;
    let slot = (w - left - 10.0) / n;
    let bar = (slot * 0.6).min(48.0);
    for (i, m) in months.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = h - bottom;
        let counts = [m.raised_notice, m.raised_yellow, m.raised_red, m.raised_breach];
        for ((label, colour), c) in LEVEL_COLOURS.iter().zip(counts) {
            if c == 0 {
                continue;
            }
            let bh = plot_h * c as f64 / max as f64;
            y -= bh;
            s.push_str(&format!(
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"{colour}\" data-month=\"{month}\" data-level=\"{label}\" data-count=\"{c}\"><title>{month} {label} {c} 件</title></rect>",
                month = esc(&m.month)
            ));
        }
        let total: u64 = counts.iter().sum();
        s.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{ty:.1}\" font-size=\"11\" text-anchor=\"middle\">{total}</text><text x=\"{cx:.1}\" y=\"{my:.1}\" font-size=\"11\" text-anchor=\"middle\">{month}</text>",
            cx = x + bar / 2.0,
            ty = y - 3.0,
            my = h - bottom + 16.0,
            month = esc(&m.month)
        ));
    }
    // Legend.
    for (i, (label, colour)) in LEVEL_COLOURS.iter().enumerate() {
        let x = left + 110.0 * i as f64;
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"11\">{label}</text>",
            ly = h - 14.0,
            tx = x + 14.0,
            ty = h - 5.0
        ));
    }
    s.push_str("</svg>");
    s
}

/// One line of a trend chart: its label, its colour and the monthly figure it draws.
type Series = (&'static str, &'static str, fn(&MonthFigures) -> Option<u32>);
/// 预警率, 按期办结率 and alerts resolved in time per month: three lines, 0–100 %.
pub(crate) fn rates_chart(rows: &[MonthFigures]) -> String {
    let months = by_month(rows);
    let (w, h, left, bottom, top) = (640.0_f64, 240.0_f64, 40.0_f64, 40.0_f64, 20.0_f64);
    let plot_h = h - bottom - top;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-rates\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"chart-rates-title\"><title id=\"chart-rates-title\">预警率、按期办结率、预警按时办结率（每月）</title>"
    );
    for pct in [0u32, 50, 100] {
        let y = h - bottom - plot_h * f64::from(pct) / 100.0;
        s.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"4\" y=\"{ty:.1}\" font-size=\"11\">{pct}%</text>",
            x2 = w - 10.0,
            ty = y + 4.0
        ));
    }
    if months.is_empty() {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"13\">暂无数据</text>",
            w / 2.0 - 30.0,
            h / 2.0
        ));
    }
    let n = months.len().max(1) as f64;
    let slot = (w - left - 10.0) / n;
    let series: [Series; 3] = [
        ("预警率", "#e0a800", |m| m.warning_permille),
        ("按期办结率", "#2e7d32", |m| m.on_time_permille),
        ("预警按时办结率", "#1565c0", |m| m.resolved_in_time_permille),
    ];
    for (label, colour, get) in series {
        let points: Vec<(f64, f64, u32, &str)> = months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let p = get(m)?;
                let x = left + slot * i as f64 + slot / 2.0;
                let y = h - bottom - plot_h * f64::from(p) / 1000.0;
                Some((x, y, p, m.month.as_str()))
            })
            .collect();
        if points.len() > 1 {
            let path: Vec<String> = points.iter().map(|(x, y, _, _)| format!("{x:.1},{y:.1}")).collect();
            s.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                path.join(" ")
            ));
        }
        for (x, y, p, month) in points {
            s.push_str(&format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\"><title>{month} {label} {}</title></circle>",
                percent(Some(p)),
                month = esc(month)
            ));
        }
    }
    for (i, m) in months.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{my:.1}\" font-size=\"11\" text-anchor=\"middle\">{month}</text>",
            cx = left + slot * i as f64 + slot / 2.0,
            my = h - bottom + 16.0,
            month = esc(&m.month)
        ));
    }
    for (i, (label, colour, _)) in series.iter().enumerate() {
        let x = left + 130.0 * i as f64;
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"11\">{label}</text>",
            ly = h - 14.0,
            tx = x + 14.0,
            ty = h - 5.0
        ));
    }
    s.push_str("</svg>");
    s
}

// ---------- the export ----------

const EXPORT_COLUMNS: [&str; 20] = [
    "预警编号",
    "单位",
    "案号",
    "事项",
    "承办人",
    "科室",
    "规则",
    "等级",
    "状态",
    "催办/督办",
    "预警内容",
    "追责情形序号",
    "追责情形",
    "依据",
    "情形发生日",
    "预警产生日",
    "办结日",
    "情况说明",
    "监察建议书",
    "回复期限",
];

fn export_row(a: &AlertView) -> [String; 20] {
    [
        a.id.to_string(),
        a.bureau_name.clone(),
        a.case_label.clone(),
        a.item_name.clone(),
        a.officer.clone().unwrap_or_default(),
        a.office.clone().unwrap_or_default(),
        a.rule_label.clone(),
        a.level_label.clone(),
        a.status_label.clone(),
        a.escalation_label.clone(),
        a.message.clone(),
        a.clause_seq.map(|s| s.to_string()).unwrap_or_default(),
        a.clause.clone().unwrap_or_default(),
        a.articles.join("；"),
        a.arose_on.clone(),
        a.raised_on.clone(),
        a.resolved_on.clone().unwrap_or_default(),
        a.justification.clone().unwrap_or_default(),
        a.notice_no.clone().unwrap_or_default(),
        a.notice_due.clone().unwrap_or_default(),
    ]
}

/// Excel refuses longer cells.
const XLSX_CELL_MAX: usize = 32_000;

/// The alerts of a filtered view as an xlsx workbook: a sheet of alerts and a sheet of the
/// figures per bureau and month.
pub(crate) async fn export_xlsx(state: &AppState, scope: &Scope, filters: &Filters) -> Result<Vec<u8>> {
    let rows: Vec<AlertView> = all(state, scope, filters).await?.iter().map(view).collect();
    let figures = figures(state, scope, filters).await?;
    let xerr = |e: rust_xlsxwriter::XlsxError| internal(format!("xlsx: {e}"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("预警").map_err(xerr)?;
    for (c, h) in EXPORT_COLUMNS.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, *h, &bold).map_err(xerr)?;
        let wide = matches!(*h, "事项" | "预警内容" | "追责情形" | "情况说明");
        ws.set_column_width(c, if wide { 36.0 } else { 12.0 }).map_err(xerr)?;
    }
    for (r, a) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1)
            .map_err(|_| SupervisionError::Invalid("预警过多，无法导出到一个工作表".into()))?;
        for (c, v) in export_row(a).iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            let v: String = v.chars().take(XLSX_CELL_MAX).collect();
            ws.write_string_with_format(r, c, &v, &wrap).map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    let ws = wb.add_worksheet();
    ws.set_name("指标").map_err(xerr)?;
    let heads = [
        "单位",
        "月份",
        "新办案件",
        "产生预警的案件",
        "预警率",
        "办结案件",
        "按期办结",
        "按期办结率",
        "办结预警",
        "按时办结预警",
        "预警按时办结率",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c).unwrap_or(u16::MAX), *h, &bold).map_err(xerr)?;
    }
    for (r, f) in figures.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let cells = [
            f.bureau_name.clone(),
            f.month.clone(),
            f.opened.to_string(),
            f.alerted.to_string(),
            percent(f.warning_permille),
            f.closed.to_string(),
            f.closed_on_time.to_string(),
            percent(f.on_time_permille),
            f.resolved.to_string(),
            f.resolved_in_time.to_string(),
            percent(f.resolved_in_time_permille),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r, u16::try_from(c).unwrap_or(u16::MAX), v).map_err(xerr)?;
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

// ---------- what the console's filters offer ----------

/// The choices of the console's filters within a scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Choices {
    pub bureaus: Vec<(i64, String)>,
    pub offices: Vec<String>,
    /// (person id, name) of the officers of the bureaus.
    pub officers: Vec<(i64, String)>,
    /// (id, label) of the rule kinds.
    pub rules: Vec<(String, String)>,
}

pub(crate) async fn choices(state: &AppState, scope: &Scope) -> Result<Choices> {
    let store = state.store();
    let bureaus: Vec<(i64, String)> = state
        .snapshot()
        .bureaus
        .iter()
        .filter(|b| scope.admits(BureauId(b.id)))
        .map(|b| (b.id, b.name.clone()))
        .collect();
    let ids: Vec<BureauId> = bureaus.iter().map(|(id, _)| BureauId(*id)).collect();
    let offices = store.offices(Some(&ids)).await?;
    let officers = store
        .people(None)
        .await?
        .into_iter()
        .filter(|p| p.role == PersonRole::Officer && p.bureau.is_some_and(|b| ids.contains(&b)))
        .map(|p| (p.id.0, p.name))
        .collect();
    let rules = RuleKind::ALL.iter().map(|k| (k.id().to_string(), k.label().to_string())).collect();
    Ok(Choices { bureaus, offices, officers, rules })
}

/// Counts of a scope's alerts for the console's head: unresolved, overdue (red), approaching.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub(crate) struct Summary {
    pub unresolved: u64,
    pub overdue: u64,
    pub approaching: u64,
    pub breaches: u64,
    pub supervised: u64,
}

pub(crate) async fn summary(state: &AppState, scope: &Scope) -> Result<Summary> {
    let store = state.store();
    let base = AlertFilter {
        bureaus: scope.bureaus.clone(),
        unresolved: true,
        page: Page::first(1),
        ..AlertFilter::default()
    };
    let count = |f: AlertFilter| async move { store.alerts(&f).await.map(|p| p.total) };
    Ok(Summary {
        unresolved: count(base.clone()).await?,
        overdue: count(AlertFilter { level: Some(AlertLevel::Red), ..base.clone() }).await?,
        approaching: count(AlertFilter {
            rule: Some(RuleKind::LimitApproaching.id().into()),
            ..base.clone()
        })
        .await?,
        breaches: count(AlertFilter { level: Some(AlertLevel::Breach), ..base.clone() }).await?,
        supervised: {
            let rows = store.all_alerts(&base).await?;
            rows.iter().filter(|r| r.escalation == AlertEscalation::Supervised).count() as u64
        },
    })
}

// ---------- coverage ----------

/// The coverage of one list's accountability clauses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ListCoverage {
    pub bureau: i64,
    pub bureau_name: String,
    pub version: i64,
    pub clauses: usize,
    pub automated: usize,
    pub manual: usize,
    /// Clauses no pattern matched (counted as manual).
    pub unmatched: usize,
    pub permille: u32,
    pub items: Vec<ItemCoverageRow>,
}

/// One item's clauses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ItemCoverageRow {
    pub seq: Option<u32>,
    pub name: String,
    pub automated: usize,
    pub manual: usize,
    pub clauses: Vec<ClauseRow>,
}

/// One clause: automated with its rule kinds, or manual with the reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ClauseRow {
    pub seq: u32,
    pub text: String,
    pub automated: bool,
    /// Rule kind ids and labels.
    pub rules: Vec<String>,
    pub rule_labels: Vec<String>,
    /// Why it is checked by hand.
    pub manual_reason: Option<String>,
}

/// The coverage of every bureau's current public list (drafts are not shown).
pub(crate) fn coverage(state: &AppState) -> Vec<ListCoverage> {
    let snap = state.snapshot();
    let rules = sv::ClauseRules::builtin();
    snap.bureaus
        .iter()
        .filter_map(|b| {
            let v = b.current().filter(|v| b.is_public(v))?;
            let c = sv::coverage(rules, &v.catalog);
            Some(ListCoverage {
                bureau: b.id,
                bureau_name: b.name.clone(),
                version: v.id,
                clauses: c.clauses,
                automated: c.automated,
                manual: c.manual,
                unmatched: c.unmatched,
                permille: c.permille(),
                items: c
                    .items
                    .iter()
                    .map(|i| ItemCoverageRow {
                        seq: i.seq,
                        name: i.name.clone(),
                        automated: i.automated,
                        manual: i.manual,
                        clauses: i
                            .clauses
                            .iter()
                            .map(|cl| ClauseRow {
                                seq: cl.seq,
                                text: cl.text.clone(),
                                automated: cl.class.automated(),
                                rules: cl.class.kinds.iter().map(|k| k.id().to_string()).collect(),
                                rule_labels: cl.class.kinds.iter().map(|k| k.label().to_string()).collect(),
                                manual_reason: cl.class.manual.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
        })
        .collect()
}

// ---------- the sweep ----------

/// Run the sweep on today (what `serve` does at start and hourly).
pub(crate) async fn sweep(
    state: &AppState,
) -> std::result::Result<sv::SupervisionReport, quanze_casework::CaseworkError> {
    supervision(state).sweep(cases(state), state.today()).await
}
