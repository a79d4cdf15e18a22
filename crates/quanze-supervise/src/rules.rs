//! The rules: pure functions of (item, case events, calendar, now, configuration) → alerts.
//!
//! A case is watched by a [`CaseWatch`]: the engine's [`CaseState`] plus what the rules read
//! that the state does not keep (the sequence number of each kind of event, the seals and
//! on-the-spot collections in order) and the **breaches** found when an event was applied
//! (an act that was unlawful when it happened stays so). Alerts that depend on the day —
//! limits passed or approaching, money not handed over, decisions not published — are
//! evaluated at `now`.
//!
//! Two ways give the same alerts (a property test checks it): a **sweep** folds a case's
//! events into a watch and evaluates it at `now`; **incremental** evaluation applies each
//! event as it is appended and keeps the day-dependent alerts cached until the next day on
//! which one of them can change ([`CaseWatch::alerts_cached`]).

use quanze_calendar::{Pause, Period};
use quanze_case::action::{ActionKind, DecisionKind};
use quanze_case::{
    Action, CaseContext, CaseEvent, CaseState, DeadlineState, DeadlineView, PayTo, Role, each_deadline,
};
use quanze_law::{Condition, LawError, PenaltyQuery, compute};
use quanze_model::{Category, Date};
use serde::{Deserialize, Serialize};

use crate::classify::{ClassifiedClause, clause_for};
use crate::config::SuperviseConfig;
use crate::kinds::RuleKind;

/// How grave an alert is. `notice` (提示) is the 电子监察 heads-up one working day before a
/// limit; `yellow` and `red` grade a limit (approaching at the configured share, passed);
/// `breach` is an act against the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 提示.
    Notice,
    /// 黄色预警.
    Yellow,
    /// 红色预警.
    Red,
    /// 违法违规.
    Breach,
}

impl Level {
    pub fn id(self) -> &'static str {
        match self {
            Level::Notice => "notice",
            Level::Yellow => "yellow",
            Level::Red => "red",
            Level::Breach => "breach",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Notice => "提示",
            Level::Yellow => "黄色预警",
            Level::Red => "红色预警",
            Level::Breach => "违规",
        }
    }
}

/// The item an alert is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertItem {
    pub seq: Option<u32>,
    pub line: Option<u32>,
    pub name: String,
    pub category: Category,
}

/// One alert of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub rule: RuleKind,
    pub level: Level,
    /// Identity within the case: the rule and what it is about (a deadline id, an event
    /// seq). The same key on a later evaluation is the same alert (its level may change).
    pub key: String,
    /// The rule's Chinese label.
    pub label: String,
    /// What was found, in Chinese.
    pub message: String,
    pub item: AlertItem,
    /// The accountability clause of the item that the rule checks, as the list prints it.
    pub clause: Option<String>,
    pub clause_seq: Option<u32>,
    pub articles: Vec<String>,
    /// The day the condition arose.
    pub at: Date,
    /// Sequence numbers of the triggering events.
    pub events: Vec<u64>,
    /// A figure or article it rests on is UNVERIFIED (configurable).
    pub unverified: bool,
}

/// Records kept outside the case's event log that two rules read: the engine has no action
/// yet for 公示 of a penalty decision or for handing on-the-spot money to the bureau. `None`
/// means not tracked, and the rule is not evaluated; `Some(vec![])` means tracked and none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OutsideRecords {
    /// Days the decision was published (公示).
    pub publication: Option<Vec<Date>>,
    /// Days on-the-spot money was handed to the bureau (交至行政机关), one per collection.
    pub handover: Option<Vec<Date>>,
}

/// What the rules read besides the case.
#[derive(Clone, Copy)]
pub struct RuleContext<'a> {
    /// The engine's context: the item's procedure (and the item), the people (for roles and
    /// certificates), the calendar, the engine's figures, the statute registry.
    pub case: &'a CaseContext<'a>,
    pub config: &'a SuperviseConfig,
    /// The item's accountability clauses, classified.
    pub clauses: &'a [ClassifiedClause],
}

/// A watched case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseWatch {
    pub state: CaseState,
    /// Seq of the first event of each action kind.
    first_seq: Vec<Option<u64>>,
    /// Seq of each seal, in order.
    seal_seqs: Vec<(u64, bool)>,
    /// On-the-spot collections: seq and day.
    on_spot: Vec<(u64, Date)>,
    /// Inspections: seqs of disposals that ordered rectification, and of rechecks.
    rectifications: Vec<u64>,
    rechecks: Vec<u64>,
    /// Breaches found when events were applied.
    breaches: Vec<Alert>,
    pub outside: OutsideRecords,
    /// Incremental evaluation: the day-dependent alerts computed for a day, valid until the
    /// day before `until`.
    cache: Option<Cache>,
}

#[derive(Debug, Clone, PartialEq)]
struct Cache {
    from: Date,
    until: Option<Date>,
    alerts: Vec<Alert>,
}

impl Default for CaseWatch {
    fn default() -> Self {
        CaseWatch::new()
    }
}

impl CaseWatch {
    pub fn new() -> CaseWatch {
        CaseWatch {
            state: CaseState::new(),
            first_seq: vec![None; ActionKind::COUNT],
            seal_seqs: Vec::new(),
            on_spot: Vec::new(),
            rectifications: Vec::new(),
            rechecks: Vec::new(),
            breaches: Vec::new(),
            outside: OutsideRecords::default(),
            cache: None,
        }
    }

    /// Sweep: a watch from a whole log.
    pub fn fold(rc: &RuleContext, events: &[CaseEvent]) -> CaseWatch {
        let mut w = CaseWatch::new();
        for e in events {
            w.apply(rc, e);
        }
        w
    }

    /// Set the outside records (drops the cache).
    pub fn set_outside(&mut self, outside: OutsideRecords) {
        self.outside = outside;
        self.cache = None;
    }

    /// Apply the next event: the breaches it commits are recorded; the state moves on.
    pub fn apply(&mut self, rc: &RuleContext, e: &CaseEvent) {
        for alert in self.check_event(rc, e) {
            if !self.breaches.iter().any(|a| a.key == alert.key) {
                self.breaches.push(alert);
            }
        }
        let k = e.action.kind().index();
        if let Some(slot) = self.first_seq.get_mut(k)
            && slot.is_none()
        {
            *slot = Some(e.seq);
        }
        match &e.action {
            Action::Seal { kind, .. } => {
                self.seal_seqs.push((e.seq, matches!(kind, quanze_case::SealKind::Preserve)));
            }
            Action::CollectOnSpot { .. } => self.on_spot.push((e.seq, e.at.date)),
            Action::Dispose { measure }
                if rc.config.orders_rectification(measure.as_deref().unwrap_or("")) =>
            {
                self.rectifications.push(e.seq);
            }
            Action::Recheck {} => self.rechecks.push(e.seq),
            _ => {}
        }
        self.state.apply(e);
        self.cache = None;
    }

    /// Every alert of the case on `now`: the breaches and the day-dependent alerts.
    pub fn alerts(&self, rc: &RuleContext, now: Date) -> Vec<Alert> {
        let (timed, _) = self.timed(rc, now);
        merge(&self.breaches, timed)
    }

    /// [`CaseWatch::alerts`] for incremental use: the day-dependent part is computed once and
    /// reused on later days until one of its alerts can change.
    pub fn alerts_cached(&mut self, rc: &RuleContext, now: Date) -> Vec<Alert> {
        if let Some(c) = &self.cache
            && c.from <= now
            && c.until.is_none_or(|u| now < u)
        {
            return merge(&self.breaches, c.alerts.clone());
        }
        let (timed, until) = self.timed(rc, now);
        self.cache = Some(Cache { from: now, until, alerts: timed.clone() });
        merge(&self.breaches, timed)
    }

    /// The breaches recorded so far.
    pub fn breaches(&self) -> &[Alert] {
        &self.breaches
    }

    fn seq_of(&self, action: &str) -> Option<u64> {
        ActionKind::from_id(action).and_then(|k| self.first_seq.get(k.index()).copied().flatten())
    }

    /// The checks of one event against the state before it.
    fn check_event(&self, rc: &RuleContext, e: &CaseEvent) -> Vec<Alert> {
        let mut found: Vec<Alert> = Vec::new();
        let day = e.at.date;
        let s = &self.state;
        let procedure = e.procedure.as_str();
        let seq = e.seq;
        // Acts of enforcement: two officers, each with a valid certificate.
        let enforcement = match &e.action {
            Action::Register {} | Action::Investigate { .. } | Action::SimpleDecide { .. } => {
                procedure == "penalty"
            }
            Action::Seal { .. } | Action::Inspect {} | Action::Recheck {} | Action::CollectOnSpot { .. } => {
                true
            }
            _ => false,
        };
        if enforcement {
            let people = rc.case.people;
            let officers: Vec<&String> = dedup(&e.by)
                .into_iter()
                .filter(|id| people.iter().find(|p| &p.id == *id).is_none_or(|p| p.role == Role::Officer))
                .collect();
            // Collecting money on the spot is one officer's act; the others need two.
            let needs_two = !matches!(e.action, Action::CollectOnSpot { .. });
            if needs_two && officers.len() < 2 {
                found.push(raise(
                    rc,
                    RuleKind::OfficersTooFew,
                    Level::Breach,
                    format!("{seq}"),
                    format!(
                        "「{}」由{}名执法人员实施，应不少于两人",
                        e.action.kind().label(),
                        officers.len()
                    ),
                    day,
                    vec![seq],
                ));
            }
            let uncertified: Vec<String> = dedup(&e.by)
                .into_iter()
                .filter_map(|id| people.iter().find(|p| &p.id == id))
                .filter(|p| p.role == Role::Officer && !p.certified_on(day))
                .map(|p| p.name.clone())
                .collect();
            if !uncertified.is_empty() {
                found.push(raise(
                    rc,
                    RuleKind::OfficerUncertified,
                    Level::Breach,
                    format!("{seq}"),
                    format!(
                        "「{}」的执法人员{}在{}没有有效的执法证件",
                        e.action.kind().label(),
                        uncertified.join("、"),
                        day
                    ),
                    day,
                    vec![seq],
                ));
            }
        }
        match &e.action {
            Action::Pay { to: PayTo::Officer, receipt, .. } => {
                found.push(raise(
                    rc,
                    RuleKind::FineCollectedByOfficer,
                    Level::Breach,
                    format!("{seq}"),
                    "罚款交给执法人员，未缴至指定银行或电子支付系统".into(),
                    day,
                    vec![seq],
                ));
                if blank(receipt.as_deref()) {
                    found.push(raise(
                        rc,
                        RuleKind::ReceiptMissing,
                        Level::Breach,
                        format!("{seq}"),
                        "执法人员收取罚款，没有专用票据号".into(),
                        day,
                        vec![seq],
                    ));
                }
            }
            Action::CollectOnSpot { receipt, .. } if blank(receipt.as_deref()) => {
                found.push(raise(
                    rc,
                    RuleKind::ReceiptMissing,
                    Level::Breach,
                    format!("{seq}"),
                    "当场收缴罚款，没有出具专用票据的记录".into(),
                    day,
                    vec![seq],
                ));
            }
            Action::Decide { decision, fine_fen, base_fen } if procedure == "penalty" => {
                let penalty = *decision == DecisionKind::Penalty;
                if penalty && s.first_of("notify").is_none() {
                    found.push(raise(
                        rc,
                        RuleKind::NoticeMissing,
                        Level::Breach,
                        format!("{seq}"),
                        "作出行政处罚决定前没有告知记录".into(),
                        day,
                        vec![seq],
                    ));
                }
                if penalty
                    && let Some(req) = self.seq_of("request_hearing")
                    && hearing_requested_in_time(rc, s)
                    && s.last_of("hold_hearing")
                        .is_none_or(|h| s.last_of("request_hearing").is_some_and(|r| h < r))
                {
                    found.push(raise(
                        rc,
                        RuleKind::HearingDenied,
                        Level::Breach,
                        format!("{seq}"),
                        "当事人在期限内要求听证，未举行听证即作出处罚决定".into(),
                        day,
                        vec![req, seq],
                    ));
                }
                if penalty {
                    let fine = fine_fen.unwrap_or(0);
                    let base = base_fen.or(s.notified_base_fen);
                    found.extend(self.check_fine(rc, fine, base, day, seq, false));
                    if needs_review(rc, s, fine) && !s.review.as_ref().is_some_and(|r| r.passed) {
                        let mut events = vec![seq];
                        events.extend(self.seq_of("legal_review"));
                        found.push(raise(
                            rc,
                            RuleKind::LegalReviewMissing,
                            Level::Breach,
                            format!("{seq}"),
                            "重大执法决定作出前没有通过的法制审核".into(),
                            day,
                            events,
                        ));
                    }
                }
                if *decision != DecisionKind::Transfer {
                    let base = base_fen.or(s.notified_base_fen).unwrap_or(0);
                    let threshold = rc.config.value("referral_threshold_fen");
                    if threshold > 0 && base >= threshold && s.first_of("transfer").is_none() {
                        found.push(raise(
                            rc,
                            RuleKind::ReferralMissing,
                            Level::Yellow,
                            format!("{seq}"),
                            format!(
                                "涉案金额{}达到刑事移送标准{}，案件未移送司法机关（标准未经核实，可配置）",
                                quanze_law::format_yuan(base),
                                quanze_law::format_yuan(threshold)
                            ),
                            day,
                            vec![seq],
                        ));
                    }
                }
            }
            Action::SimpleDecide { fine_fen } => {
                found.extend(self.check_fine(rc, *fine_fen, None, day, seq, true))
            }
            Action::Reject { reason } | Action::Deny { reason } | Action::Decline { reason }
                if blank(reason.as_deref()) =>
            {
                found.push(raise(
                    rc,
                    RuleKind::RefusalWithoutReason,
                    Level::Breach,
                    format!("{seq}"),
                    format!("「{}」没有说明理由", e.action.kind().label()),
                    day,
                    vec![seq],
                ));
            }
            _ => {}
        }
        if let Action::Reject { .. } = &e.action
            && s.materials_requested_on.is_none()
            && procedure == "service"
        {
            let events: Vec<u64> = self.seq_of("open").into_iter().chain([seq]).collect();
            found.push(raise(
                rc,
                RuleKind::ApplicationRefused,
                Level::Breach,
                format!("{seq}"),
                "申请收件时材料齐全（未告知补正），却不予受理".into(),
                day,
                events,
            ));
        }
        if let Action::Close {} = &e.action {
            let mut why: Vec<String> = Vec::new();
            if matches!(procedure, "penalty") {
                let fine = s.fine_fen();
                if s.decision == Some(DecisionKind::Penalty)
                    && s.simple_fine_fen.is_none()
                    && s.first_of("serve").is_none()
                {
                    why.push("处罚决定书未送达".into());
                }
                if fine > 0 && s.paid_fen < fine && s.first_of("court_enforce").is_none() {
                    why.push(format!(
                        "罚款{}仅缴纳{}",
                        quanze_law::format_yuan(fine),
                        quanze_law::format_yuan(s.paid_fen)
                    ));
                }
            }
            if s.seals.iter().any(|x| x.released.is_none()) {
                why.push("封存未解除".into());
            }
            if procedure == "inspection" {
                found.extend(self.check_inspection_closed(rc, day, seq));
            }
            if !why.is_empty() {
                found.push(raise(
                    rc,
                    RuleKind::ClosedPrematurely,
                    Level::Breach,
                    format!("{seq}"),
                    format!("结案时{}", why.join("，")),
                    day,
                    vec![seq],
                ));
            }
        }
        found
    }

    /// An inspection closed: its findings were disposed of (or transferred), and a disposal
    /// that ordered rectification was followed by a recheck.
    fn check_inspection_closed(&self, rc: &RuleContext, day: Date, seq: u64) -> Vec<Alert> {
        let mut found = Vec::new();
        let Some(inspected) = self.seq_of("inspect") else { return found };
        if self.seq_of("dispose").is_none() && self.seq_of("transfer").is_none() {
            found.push(raise(
                rc,
                RuleKind::InspectionUndisposed,
                Level::Breach,
                format!("{seq}"),
                "检查后既无处置也无移送记录即办结".into(),
                day,
                vec![inspected, seq],
            ));
        }
        if let Some(&ordered) = self.rectifications.last()
            && !self.rechecks.iter().any(|r| *r > ordered)
        {
            found.push(raise(
                rc,
                RuleKind::RectificationUnchecked,
                Level::Breach,
                format!("{seq}"),
                "处置责令整改，其后没有整改核查记录即办结".into(),
                day,
                vec![ordered, seq],
            ));
        }
        found
    }

    /// The decided fine against the ranges of the item's sanction articles (quanze-law).
    fn check_fine(
        &self,
        rc: &RuleContext,
        fine: i64,
        base: Option<i64>,
        day: Date,
        seq: u64,
        simple: bool,
    ) -> Option<Alert> {
        if fine <= 0 {
            return None;
        }
        let item = &rc.case.procedure.item;
        let reg = rc.case.law;
        let mut ranges: Vec<(i64, i64, String)> = Vec::new();
        let mut resolved: Vec<String> = Vec::new();
        let mut needs_base = false;
        for c in &item.legal_basis.citations {
            let Some(article) = c.article else { continue };
            let Some(title) = reg.canonical_title(&c.title) else { continue };
            let label = format!("{title} {}", quanze_law::text::article_label(article));
            if resolved.contains(&label) {
                continue;
            }
            resolved.push(label.clone());
            // The case records no facts: the widest range the article allows under any of
            // its conditions.
            for conditions in [Vec::new(), Condition::ALL.to_vec()] {
                let q = PenaltyQuery {
                    base_amount_fen: if simple { None } else { base },
                    party: self.state.party,
                    conditions,
                    config: Some(rc.case.config.local.clone()),
                    ..PenaltyQuery::new(title, article, day)
                };
                match compute(reg, &q) {
                    Ok(r) if r.max_fen > 0 => ranges.push((r.min_fen, r.max_fen, label.clone())),
                    Err(LawError::MissingBase { .. }) => needs_base = true,
                    _ => {}
                }
            }
        }
        if ranges.is_empty() {
            // Articles resolved, none of them sets a fine (and none waits for a base).
            if !resolved.is_empty() && !needs_base {
                let mut a = resolved.clone();
                a.extend(RuleKind::SanctionNotProvided.articles().iter().cloned());
                let alert = make_alert(
                    rc,
                    RuleKind::SanctionNotProvided,
                    Level::Breach,
                    format!("{seq}"),
                    format!(
                        "决定罚款{}，而事项依据{}没有规定罚款",
                        quanze_law::format_yuan(fine),
                        resolved.join("、")
                    ),
                    day,
                    vec![seq],
                    a,
                );
                return Some(alert);
            }
            return None;
        }
        let lo = ranges.iter().map(|r| r.0).min().unwrap_or(0);
        let hi = ranges.iter().map(|r| r.1).max().unwrap_or(0);
        if (lo..=hi).contains(&fine) {
            return None;
        }
        let mut labels: Vec<String> = Vec::new();
        for r in &ranges {
            if !labels.contains(&r.2) {
                labels.push(r.2.clone());
            }
        }
        let message = format!(
            "决定罚款{}，依{}法定幅度为{}至{}",
            quanze_law::format_yuan(fine),
            labels.join("、"),
            quanze_law::format_yuan(lo),
            quanze_law::format_yuan(hi)
        );
        let mut articles = RuleKind::FineOutOfRange.articles().to_vec();
        articles.extend(labels);
        Some(make_alert(
            rc,
            RuleKind::FineOutOfRange,
            Level::Breach,
            format!("{seq}"),
            message,
            day,
            vec![seq],
            articles,
        ))
    }

    /// The day-dependent alerts on `now`, and the first later day on which they can change
    /// (`None`: not before another event).
    fn timed(&self, rc: &RuleContext, now: Date) -> (Vec<Alert>, Option<Date>) {
        let mut out: Vec<Alert> = Vec::new();
        let mut next: Option<Date> = None;
        let mut bump = |d: Option<Date>| {
            if let Some(d) = d
                && d > now
            {
                next = Some(next.map_or(d, |n: Date| n.min(d)));
            }
        };
        let s = &self.state;
        if s.item.is_none() {
            return (out, None);
        }
        // A running pause moves every pausable due day each day.
        if s.open_pause().is_some() {
            bump(now.add_days(1));
        }
        let cal = rc.case.calendar;
        let mut ds: Vec<DeadlineView> = Vec::new();
        let mut promised = false;
        each_deadline(rc.case, s, now, |d| {
            promised |= d.is("promised");
            // Only the bureau's limits are supervised.
            if d.def.holder == quanze_case::procedure::Holder::Bureau {
                ds.push(d);
            }
        });
        let share = rc.config.value("yellow_permille").clamp(0, 1000);
        let notice_days = rc.config.days("notice_working_days");
        for d in &ds {
            let Some(due) = d.due else { continue };
            match d.status {
                DeadlineState::Missed => {
                    let rule = rc.config.deadline_kind(&d.def.id);
                    let at = due.add_days(1).unwrap_or(due);
                    let late = match d.stopped {
                        Some(st) => format!("{}办结，超过期限{}", st, due),
                        None => format!("期限{}已届满，尚未办结", due),
                    };
                    let mut a = make_alert(
                        rc,
                        rule,
                        Level::Red,
                        d.id(),
                        format!("「{}」{}", d.def.name, late),
                        at,
                        self.deadline_events(rc, d),
                        d.articles.to_vec(),
                    );
                    a.unverified |= d.unverified;
                    out.push(a);
                    if d.stopped.is_none() {
                        bump(None);
                    }
                }
                DeadlineState::Open => {
                    bump(due.add_days(1));
                    // Graded against the promised limit where the bureau set one.
                    if promised && d.is("statutory") {
                        continue;
                    }
                    let pauses = pauses_of(rc, s, d, now);
                    let used_min = u32::try_from((i64::from(d.days) * share + 999) / 1000).unwrap_or(d.days);
                    let period = Period { days: used_min, counting: d.counting, roll_forward: false };
                    if let Ok(yellow_day) = cal.due(d.start, period, &pauses)
                        && used_min > 0
                    {
                        if yellow_day <= now {
                            let mut a = make_alert(
                                rc,
                                RuleKind::LimitApproaching,
                                Level::Yellow,
                                format!("{d}:yellow"),
                                format!("「{}」已用期限达到{}%，{}届满", d.def.name, share / 10, due),
                                yellow_day,
                                self.deadline_events(rc, d),
                                d.articles.to_vec(),
                            );
                            a.unverified |= d.unverified;
                            out.push(a);
                        } else {
                            bump(Some(yellow_day));
                        }
                    }
                    // 提示: the working day(s) before the due day.
                    if notice_days > 0
                        && let Some(from) = notice_from(cal, due, notice_days)
                    {
                        if from <= now && now < due {
                            let mut a = make_alert(
                                rc,
                                RuleKind::LimitApproaching,
                                Level::Notice,
                                format!("{d}:notice"),
                                format!("「{}」将于{}届满", d.def.name, due),
                                from,
                                self.deadline_events(rc, d),
                                d.articles.to_vec(),
                            );
                            a.unverified |= d.unverified;
                            out.push(a);
                            bump(Some(due));
                        } else if now < from {
                            bump(Some(from));
                        }
                    }
                }
                DeadlineState::Met | DeadlineState::Error => {}
            }
        }
        // A complete application neither accepted nor refused in time.
        if s.procedure == "service"
            && let Some(open) = s.first_of("open")
            && s.materials_requested_on.is_none()
        {
            let decided = ["accept", "reject"].iter().filter_map(|a| s.first_of(a)).min();
            let period = Period::working(rc.config.days("acceptance_days"));
            if let Ok(due) = cal.due(open, period, &[]) {
                let late = match decided {
                    Some(d) => d > due,
                    None => now > due,
                };
                if late {
                    let mut events: Vec<u64> = self.seq_of("open").into_iter().collect();
                    events.extend(self.seq_of("accept"));
                    events.extend(self.seq_of("reject"));
                    out.push(make_alert(
                        rc,
                        RuleKind::ApplicationUnaccepted,
                        Level::Red,
                        "acceptance".into(),
                        format!("材料齐全的申请{}收件，至{}未在{}个工作日内受理", open, due, period.days),
                        due.add_days(1).unwrap_or(due),
                        events,
                        Vec::new(),
                    ));
                } else if decided.is_none() {
                    bump(due.add_days(1));
                }
            }
        }
        // On-the-spot money handed to the bureau within two working days (tracked outside).
        if let Some(handed) = &self.outside.handover {
            let period = Period::working(rc.config.days("handover_days"));
            for (i, (seq, day)) in self.on_spot.iter().enumerate() {
                let Ok(due) = cal.due(*day, period, &[]) else { continue };
                let done = handed.get(i).copied();
                let late = match done {
                    Some(h) => h > due,
                    None => now > due,
                };
                if late {
                    out.push(make_alert(
                        rc,
                        RuleKind::OnSpotNotHandedOver,
                        Level::Red,
                        format!("handover#{}", i + 1),
                        format!("{}当场收缴的罚款，未在{}前交至行政机关", day, due),
                        due.add_days(1).unwrap_or(due),
                        vec![*seq],
                        Vec::new(),
                    ));
                } else if done.is_none() {
                    bump(due.add_days(1));
                }
            }
        }
        // Penalty decisions published within the limit (tracked outside).
        if let Some(published) = &self.outside.publication
            && s.procedure == "penalty"
            && s.decision == Some(DecisionKind::Penalty)
            && let Some(decided) = s.first_of("decide").or(s.first_of("simple_decide"))
        {
            let period = Period::working(rc.config.days("publication_days"));
            if let Ok(due) = cal.due(decided, period, &[]) {
                let done = published.iter().copied().filter(|p| *p >= decided).min();
                let late = match done {
                    Some(p) => p > due,
                    None => now > due,
                };
                if late {
                    let events: Vec<u64> =
                        self.seq_of("decide").or(self.seq_of("simple_decide")).into_iter().collect();
                    out.push(make_alert(
                        rc,
                        RuleKind::PublicationLate,
                        Level::Red,
                        "publication".into(),
                        format!("{}作出的处罚决定未在{}前公示", decided, due),
                        due.add_days(1).unwrap_or(due),
                        events,
                        Vec::new(),
                    ));
                } else if done.is_none() {
                    bump(due.add_days(1));
                }
            }
        }
        (out, next)
    }

    /// The events that started a deadline: its start action, or the seal it times.
    fn deadline_events(&self, rc: &RuleContext, d: &DeadlineView) -> Vec<u64> {
        if let Some(n) = d.instance {
            let preserve = d.def.id == "preserve";
            let n = usize::try_from(n).unwrap_or(0);
            return self
                .seal_seqs
                .iter()
                .filter(|(_, p)| *p == preserve)
                .nth(n.saturating_sub(1))
                .map(|(s, _)| vec![*s])
                .unwrap_or_default();
        }
        let def = rc.case.procedure.procedure.deadlines.iter().find(|x| x.id == d.def.id);
        let mut out: Vec<u64> = def
            .map(|def| def.start.iter().filter_map(|a| self.seq_of(a)).min().into_iter().collect())
            .unwrap_or_default();
        // An extension is part of why the limit is what it is.
        if let Some(k) = ActionKind::from_id("extend")
            && let Some(Some(x)) = self.first_seq.get(k.index())
            && self.state.extensions.iter().any(|e| e.deadline == d.def.id)
        {
            out.push(*x);
        }
        out
    }
}

fn raise(
    rc: &RuleContext,
    rule: RuleKind,
    level: Level,
    subject: String,
    message: String,
    at: Date,
    events: Vec<u64>,
) -> Alert {
    make_alert(rc, rule, level, subject, message, at, events, Vec::new())
}

fn merge(breaches: &[Alert], timed: Vec<Alert>) -> Vec<Alert> {
    let mut all: Vec<Alert> = breaches.to_vec();
    all.extend(timed);
    all.sort_by(|a, b| (a.at, a.rule, &a.key, a.level).cmp(&(b.at, b.rule, &b.key, b.level)));
    all
}

fn dedup(by: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::new();
    for b in by {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// The request for a hearing came within the window after the notice (行政处罚法 第六十四条).
fn hearing_requested_in_time(rc: &RuleContext, s: &CaseState) -> bool {
    let (Some(notified), Some(requested)) = (s.first_of("notify"), s.last_of("request_hearing")) else {
        return false;
    };
    let days = rc.case.config.value("hearing_request_days").and_then(|v| u32::try_from(v).ok()).unwrap_or(5);
    match rc.case.calendar.due(notified, Period::working(days), &[]) {
        Ok(due) => requested <= due,
        // A year without a notice: the request is taken as in time rather than guessed late.
        Err(_) => true,
    }
}

/// 法制审核 is required (行政处罚法 第五十八条): a major case, every decision when the bureau
/// reviews all, or a fine at the local threshold.
fn needs_review(rc: &RuleContext, s: &CaseState, fine: i64) -> bool {
    let local = &rc.case.config.local;
    let threshold = match s.party {
        quanze_law::Party::Individual => local.review_individual_min_fen,
        quanze_law::Party::Unit => local.review_unit_min_fen,
    };
    s.major || rc.case.config.review_all_decisions || (threshold > 0 && fine >= threshold)
}

/// The pauses that stop a deadline (the engine's rule: the pause day does not count, the
/// resumption day does).
fn pauses_of(rc: &RuleContext, s: &CaseState, d: &DeadlineView, now: Date) -> Vec<Pause> {
    if s.pauses.is_empty() {
        return Vec::new();
    }
    let base = d.def.id.as_str();
    let pausable = rc.case.procedure.procedure.deadlines.iter().any(|x| x.id == base && x.pausable);
    if !pausable {
        return Vec::new();
    }
    s.pauses
        .iter()
        .filter_map(|p| {
            let to = match p.to {
                Some(t) => t.add_days(-1)?,
                None => now,
            };
            Some(Pause { from: p.from, to })
        })
        .collect()
}

/// The first day from which at most `n` working days remain before `due` (and some do).
fn notice_from(cal: &quanze_calendar::Calendar, due: Date, n: u32) -> Option<Date> {
    let mut from = None;
    let mut d = due.add_days(-1)?;
    // Walk back over at most a long holiday.
    for _ in 0..(u64::from(n) * 7 + 14) {
        match cal.working_days_between(d, due) {
            Ok(w) if w >= 1 && w <= n => from = Some(d),
            Ok(0) => {}
            _ => break,
        }
        d = d.add_days(-1)?;
    }
    from
}

#[allow(clippy::too_many_arguments)]
fn make_alert(
    rc: &RuleContext,
    rule: RuleKind,
    level: Level,
    subject: String,
    message: String,
    at: Date,
    events: Vec<u64>,
    mut articles: Vec<String>,
) -> Alert {
    let item = &rc.case.procedure.item;
    let clause = clause_for(rc.clauses, rule).or_else(|| {
        // A limit graded on the way to a passed limit cites the same clause.
        if rule == RuleKind::LimitApproaching { clause_for(rc.clauses, RuleKind::LimitPassed) } else { None }
    });
    let spec = rule.spec();
    for a in rule.articles() {
        if !articles.contains(a) {
            articles.push(a.clone());
        }
    }
    let unverified = spec.is_some_and(|s| s.unverified)
        || match rule {
            RuleKind::ReferralMissing => rc.config.unverified("referral_threshold_fen"),
            RuleKind::PublicationLate => rc.config.unverified("publication_days"),
            RuleKind::ApplicationUnaccepted => rc.config.unverified("acceptance_days"),
            _ => false,
        };
    Alert {
        rule,
        level,
        key: format!("{}:{subject}", rule.id()),
        label: rule.label().to_string(),
        message,
        item: AlertItem { seq: item.seq, line: item.line, name: item.name.clone(), category: item.category },
        clause: clause.map(|c| c.text.clone()),
        clause_seq: clause.map(|c| c.seq),
        articles,
        at,
        events,
        unverified,
    }
}

/// Sweep over many folded cases: every alert of each on `now`, in the order given.
pub fn sweep<'w>(
    cases: impl IntoIterator<Item = (&'w CaseWatch, &'w RuleContext<'w>)>,
    now: Date,
) -> Vec<Vec<Alert>> {
    cases.into_iter().map(|(w, rc)| w.alerts(rc, now)).collect()
}
