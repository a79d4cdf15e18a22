//! The alert log: what happened to one alert, as an append-only, hash-chained list of
//! entries (the case log's chain: `hash = hex(sha256(prev_hash ‖ canonical JSON))`).
//!
//! Lifecycle: raised (open) → acknowledged → resolved with a written justification, or
//! reopened; escalation 催办 (to the officer) → 督办 (to the leader) when the alert stays
//! unresolved past the configured working days; a 监察建议书 (numbered supervision notice
//! with a reply deadline) issued by a supervisor, and its reply. Pure types, a fold and a
//! chain check; storage is elsewhere.

use quanze_calendar::{Calendar, Period};
use quanze_case::{GENESIS, chain_hash};
use quanze_model::Date;
use serde::{Deserialize, Serialize};

use crate::config::SuperviseConfig;
use crate::rules::{Alert, Level};

/// What an entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum LogAction {
    /// The rule raised the alert (open).
    Raise { alert: Alert },
    /// The level of a raised alert changed (yellow → red).
    Level { level: Level },
    /// 已知悉.
    Acknowledge {},
    /// 已办结/已说明, with the written justification.
    Resolve { justification: String },
    /// 重新打开.
    Reopen { reason: String },
    /// 催办 (to the officer).
    Remind {},
    /// 督办 (to the leader).
    Supervise {},
    /// 监察建议书.
    IssueNotice { number: String, reply_by: Date },
    /// The reply to a 监察建议书.
    Reply { text: String },
}

impl LogAction {
    pub fn id(&self) -> &'static str {
        match self {
            LogAction::Raise { .. } => "raise",
            LogAction::Level { .. } => "level",
            LogAction::Acknowledge {} => "acknowledge",
            LogAction::Resolve { .. } => "resolve",
            LogAction::Reopen { .. } => "reopen",
            LogAction::Remind {} => "remind",
            LogAction::Supervise {} => "supervise",
            LogAction::IssueNotice { .. } => "issue_notice",
            LogAction::Reply { .. } => "reply",
        }
    }
}

/// One entry. Field order is the canonical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// 1, 2, 3… within the alert.
    pub seq: u64,
    pub at: Date,
    /// Who (a person id; `system` for what the rules or the escalation clock did).
    pub by: String,
    pub action: LogAction,
}

impl LogEntry {
    pub fn canonical(&self) -> Vec<u8> {
        // Serializing these types cannot fail (string keys, no floats).
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub seq: u64,
    pub prev_hash: String,
    pub hash: String,
    pub body: Vec<u8>,
}

impl StoredEntry {
    pub fn seal(prev_hash: &str, e: &LogEntry) -> StoredEntry {
        let body = e.canonical();
        StoredEntry { seq: e.seq, prev_hash: prev_hash.to_string(), hash: chain_hash(prev_hash, &body), body }
    }
}

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

/// How far it was escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    None,
    /// 催办.
    Reminded,
    /// 督办.
    Supervised,
}

/// A 监察建议书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionNotice {
    pub number: String,
    pub issued: Date,
    pub reply_by: Date,
    pub replied: Option<Date>,
}

/// The fold of an alert's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRecord {
    pub alert: Alert,
    pub status: AlertStatus,
    /// The day the alert was last (re)opened: escalation counts from it.
    pub opened: Date,
    pub escalation: Escalation,
    pub justification: Option<String>,
    pub notices: Vec<SupervisionNotice>,
    pub last_seq: u64,
    pub last_at: Date,
}

/// Why an entry cannot be appended (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    #[error("第{seq}条：{reason}")]
    Refused { seq: u64, reason: String },
    #[error("第{seq}条记录校验失败：{reason}")]
    Chain { seq: u64, reason: String },
}

fn refuse<T>(seq: u64, reason: &str) -> Result<T, LogError> {
    Err(LogError::Refused { seq, reason: reason.to_string() })
}

impl AlertRecord {
    /// Apply the next entry, checking that the lifecycle allows it.
    pub fn apply(record: Option<AlertRecord>, e: &LogEntry) -> Result<AlertRecord, LogError> {
        let Some(mut r) = record else {
            return match &e.action {
                LogAction::Raise { alert } if e.seq == 1 => Ok(AlertRecord {
                    alert: alert.clone(),
                    status: AlertStatus::Open,
                    opened: e.at,
                    escalation: Escalation::None,
                    justification: None,
                    notices: Vec::new(),
                    last_seq: 1,
                    last_at: e.at,
                }),
                _ => refuse(e.seq, "预警记录须以“产生预警”开始"),
            };
        };
        if e.seq != r.last_seq + 1 {
            return refuse(e.seq, &format!("序号应为{}", r.last_seq + 1));
        }
        if e.at < r.last_at {
            return refuse(e.seq, "记录时间早于上一条记录");
        }
        let open = r.status != AlertStatus::Resolved;
        match &e.action {
            LogAction::Raise { .. } => return refuse(e.seq, "预警已经产生"),
            LogAction::Level { level } => r.alert.level = *level,
            LogAction::Acknowledge {} if r.status == AlertStatus::Open => {
                r.status = AlertStatus::Acknowledged
            }
            LogAction::Acknowledge {} => return refuse(e.seq, "只有未处理的预警可以确认知悉"),
            LogAction::Resolve { justification } if open => {
                if justification.trim().is_empty() {
                    return refuse(e.seq, "办结预警须写明情况说明");
                }
                r.status = AlertStatus::Resolved;
                r.justification = Some(justification.clone());
            }
            LogAction::Resolve { .. } => return refuse(e.seq, "预警已经办结"),
            LogAction::Reopen { reason } if !open => {
                if reason.trim().is_empty() {
                    return refuse(e.seq, "重新打开预警须写明理由");
                }
                r.status = AlertStatus::Open;
                r.opened = e.at;
                r.escalation = Escalation::None;
                r.justification = None;
            }
            LogAction::Reopen { .. } => return refuse(e.seq, "只有已办结的预警可以重新打开"),
            LogAction::Remind {} if open && r.escalation == Escalation::None => {
                r.escalation = Escalation::Reminded
            }
            LogAction::Remind {} => return refuse(e.seq, "预警已办结或已催办"),
            LogAction::Supervise {} if open && r.escalation == Escalation::Reminded => {
                r.escalation = Escalation::Supervised;
            }
            LogAction::Supervise {} => return refuse(e.seq, "督办须在催办之后、办结之前"),
            LogAction::IssueNotice { number, reply_by } => {
                if number.trim().is_empty() {
                    return refuse(e.seq, "监察建议书须有编号");
                }
                if *reply_by < e.at {
                    return refuse(e.seq, "回复期限早于发出日期");
                }
                if r.notices.iter().any(|n| &n.number == number) {
                    return refuse(e.seq, "监察建议书编号重复");
                }
                r.notices.push(SupervisionNotice {
                    number: number.clone(),
                    issued: e.at,
                    reply_by: *reply_by,
                    replied: None,
                });
            }
            LogAction::Reply { text } => {
                if text.trim().is_empty() {
                    return refuse(e.seq, "回复不能为空");
                }
                match r.notices.iter_mut().find(|n| n.replied.is_none()) {
                    Some(n) => n.replied = Some(e.at),
                    None => return refuse(e.seq, "没有待回复的监察建议书"),
                }
            }
        }
        r.last_seq = e.seq;
        r.last_at = e.at;
        Ok(r)
    }

    /// Fold a whole log.
    pub fn fold(entries: &[LogEntry]) -> Result<AlertRecord, LogError> {
        let mut r: Option<AlertRecord> = None;
        for e in entries {
            r = Some(AlertRecord::apply(r, e)?);
        }
        r.ok_or(LogError::Refused { seq: 1, reason: "预警记录为空".into() })
    }

    /// 监察建议书 not replied to by their deadline, on `now`.
    pub fn overdue_notices(&self, now: Date) -> Vec<&SupervisionNotice> {
        self.notices.iter().filter(|n| n.replied.is_none() && n.reply_by < now).collect()
    }
}

/// Verify a stored log: sequence, chain, bodies, and the lifecycle.
pub fn verify_log(entries: &[StoredEntry]) -> Result<AlertRecord, LogError> {
    let mut prev = GENESIS.to_string();
    let mut r: Option<AlertRecord> = None;
    for (i, s) in entries.iter().enumerate() {
        let want = i as u64 + 1;
        let chain = |reason: String| LogError::Chain { seq: s.seq, reason };
        if s.seq != want {
            return Err(chain(format!("序号应为{want}，记录缺失或重复")));
        }
        if s.prev_hash != prev {
            return Err(chain("前一哈希与上一条记录不符".into()));
        }
        if chain_hash(&prev, &s.body) != s.hash {
            return Err(chain("哈希与记录内容不符，记录已被修改".into()));
        }
        let e: LogEntry =
            serde_json::from_slice(&s.body).map_err(|e| chain(format!("记录内容无法读取：{e}")))?;
        if e.seq != s.seq {
            return Err(chain(format!("记录内容中的序号为{}", e.seq)));
        }
        r = Some(AlertRecord::apply(r, &e)?);
        prev.clone_from(&s.hash);
    }
    r.ok_or(LogError::Refused { seq: 1, reason: "预警记录为空".into() })
}

/// What the rules' latest evaluation asks of an alert's log: raise it, change its level,
/// or reopen it (a resolved alert whose condition got graver). `None`: nothing.
pub fn sync(record: Option<&AlertRecord>, current: Option<&Alert>) -> Option<LogAction> {
    match (record, current) {
        (None, Some(a)) => Some(LogAction::Raise { alert: a.clone() }),
        (Some(r), Some(a)) if a.level > r.alert.level => match r.status {
            AlertStatus::Resolved => {
                Some(LogAction::Reopen { reason: format!("预警升级为{}", a.level.label()) })
            }
            _ => Some(LogAction::Level { level: a.level }),
        },
        _ => None,
    }
}

/// The escalation due on `now`: 催办 after `reminder_working_days` unresolved working days,
/// then 督办 after `supervision_working_days`. A year without a holiday notice escalates
/// nothing (it is not guessed).
pub fn due_escalation(
    r: &AlertRecord,
    calendar: &Calendar,
    config: &SuperviseConfig,
    now: Date,
) -> Option<LogAction> {
    if r.status == AlertStatus::Resolved {
        return None;
    }
    let (key, action) = match r.escalation {
        Escalation::None => ("reminder_working_days", LogAction::Remind {}),
        Escalation::Reminded => ("supervision_working_days", LogAction::Supervise {}),
        Escalation::Supervised => return None,
    };
    let due = calendar.due(r.opened, Period::working(config.days(key)), &[]).ok()?;
    (now >= due).then_some(action)
}

/// The reply deadline of a 监察建议书 issued on `issued`.
pub fn notice_reply_by(calendar: &Calendar, config: &SuperviseConfig, issued: Date) -> Option<Date> {
    calendar.due(issued, Period::working(config.days("notice_reply_working_days")), &[]).ok()
}
