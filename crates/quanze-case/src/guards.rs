//! Guards: the statutory checks an action must pass. Codes, articles and messages are data
//! (`data/guards.toml`); which guard applies to which action is procedure data; the
//! predicates are here.

use std::sync::OnceLock;

use quanze_calendar::{CalendarGap, Period};
use quanze_law::{Condition, LawError, Party, PenaltyQuery, compute, format_yuan};
use quanze_model::Date;
use serde::Deserialize;

use crate::action::{Action, DecisionKind, PayTo, ServiceMethod};
use crate::context::{CaseContext, Command};
use crate::deadline::{extension_target, sum_days};
use crate::state::{CaseState, ExtensionRecord};
use crate::{Person, Role};

// Their public path `guards::{GuardSpec, Refusal, guard_specs}` stays.
pub use crate::refusal::{GuardSpec, Refusal, guard_specs};

#[derive(Deserialize)]
struct Word {
    id: String,
    label: String,
    words: Vec<String>,
}

#[derive(Deserialize)]
struct EvidenceList {
    kinds: Vec<Word>,
}

#[derive(Deserialize)]
struct PauseList {
    reasons: Vec<Word>,
}

#[derive(Deserialize)]
struct Vocabulary {
    evidence: EvidenceList,
    pauses: PauseList,
}

fn vocabulary() -> Option<&'static Vocabulary> {
    static V: OnceLock<Option<Vocabulary>> = OnceLock::new();
    V.get_or_init(|| toml::from_str(include_str!("../data/vocabulary.toml")).ok()).as_ref()
}

fn lookup<'a>(list: &'a [Word], s: &str) -> Option<&'a Word> {
    let s = s.trim();
    list.iter().find(|w| w.id == s || w.label == s || w.words.iter().any(|x| x == s))
}

/// The evidence kind (its id) a word names, or `None`.
pub fn evidence_kind(word: &str) -> Option<&'static str> {
    vocabulary().and_then(|v| lookup(&v.evidence.kinds, word)).map(|w| w.id.as_str())
}

/// The pause reason (its id) a word names, or `None`.
pub fn pause_reason(word: &str) -> Option<&'static str> {
    vocabulary().and_then(|v| lookup(&v.pauses.reasons, word)).map(|w| w.id.as_str())
}

pub(crate) fn role_label(r: Role) -> &'static str {
    match r {
        Role::Officer => "执法人员",
        Role::Leader => "负责人",
        Role::LegalReviewer => "法制审核人员",
        Role::Supervisor => "监督人员",
        Role::Clerk => "窗口/办事人员",
    }
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn yuan(fen: i64) -> String {
    format_yuan(fen)
}

/// What a guard needs besides the command: the people of `by`.
pub(crate) struct GuardInput<'a, 'b> {
    pub ctx: &'a CaseContext<'b>,
    pub state: &'a CaseState,
    pub cmd: &'a Command,
    pub people: &'a [&'a Person],
}

impl GuardInput<'_, '_> {
    fn day(&self) -> Date {
        self.cmd.at.date
    }

    fn has_leader(&self) -> bool {
        self.people.iter().any(|p| p.role == Role::Leader)
    }

    fn due(
        &self,
        start: Date,
        figure: &str,
        counting: quanze_calendar::Counting,
    ) -> Result<Date, CalendarGap> {
        let days = self.ctx.config.days(figure);
        self.ctx.calendar.due(start, Period { days, counting, roll_forward: true }, &[])
    }

    /// The decision being taken, when the command decides.
    fn deciding_penalty(&self) -> Option<(Option<i64>, Option<i64>)> {
        match &self.cmd.action {
            Action::Decide { decision: DecisionKind::Penalty, fine_fen, base_fen } => {
                Some((*fine_fen, *base_fen))
            }
            _ => None,
        }
    }

    fn party_threshold(&self, individual: i64, unit: i64) -> i64 {
        match self.state.party {
            Party::Individual => individual,
            Party::Unit => unit,
        }
    }

    /// The fine and surcharge owed on `day`, when a fine is due.
    pub(crate) fn owed_on(&self, day: Date) -> Result<i64, CalendarGap> {
        let fine = self.state.fine_fen();
        if fine <= 0 {
            return Ok(0);
        }
        let start = self.state.first_of("serve").or_else(|| self.state.first_of("simple_decide"));
        let Some(start) = start else { return Ok(fine) };
        let due = self.due(start, "payment_days", quanze_calendar::Counting::Calendar)?;
        let late = due.days_until(day).max(0);
        let permille = i128::from(self.ctx.config.fen("surcharge_permille_per_day"));
        let surcharge = (i128::from(fine) * permille * i128::from(late) / 1000).min(i128::from(fine));
        Ok(fine.saturating_add(i64::try_from(surcharge).unwrap_or(fine)))
    }

    fn officers(&self) -> Option<String> {
        let day = self.day();
        let mut certs: Vec<&str> = Vec::new();
        let mut problems = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for p in self.people {
            // A person named twice is still one officer.
            if p.role != Role::Officer || seen.contains(&p.id.as_str()) {
                continue;
            }
            seen.push(&p.id);
            match p.certificate.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => problems.push(format!("{}无执法证件", p.name)),
                Some(_) if p.certificate_until.is_some_and(|u| u < day) => problems.push(format!(
                    "{}的执法证件已于{}到期",
                    p.name,
                    p.certificate_until.map(|d| d.to_string()).unwrap_or_default()
                )),
                Some(c) if certs.contains(&c) => problems.push(format!("{}的执法证号与他人重复", p.name)),
                Some(c) => certs.push(c),
            }
        }
        if certs.len() >= 2 {
            return None;
        }
        let mut d = format!("本次仅有{}名持有效执法证件的执法人员", certs.len());
        if !problems.is_empty() {
            d.push_str(&format!("（{}）", problems.join("；")));
        }
        Some(d)
    }

    /// Check one guard: `None` when it passes, else the refusal.
    pub(crate) fn check(&self, code: &str) -> Option<Refusal> {
        if code == "fine_base_missing" || code == "fine_outside_range" {
            return self.range_check(code);
        }
        match self.predicate(code) {
            Ok(None) => None,
            Ok(Some(detail)) => Some(Refusal::of(code, &detail)),
            Err(gap) => Some(Refusal::of("calendar_gap", &gap.to_string())),
        }
    }

    fn predicate(&self, code: &str) -> Result<Option<String>, CalendarGap> {
        let s = self.state;
        let a = &self.cmd.action;
        let cfg = self.ctx.config;
        let fail = |d: String| Ok(Some(d));
        match code {
            "officers_penalty" | "officers_inspection" | "officers_coercion" => Ok(self.officers()),
            "scene_record_required" => match a {
                Action::Seal { scene_record, .. } if blank(scene_record) => fail(String::new()),
                _ => Ok(None),
            },
            "leader_approves_coercion" | "leader_decides" | "leader_required" => {
                if self.has_leader() {
                    Ok(None)
                } else {
                    fail("办理人员中没有行政机关负责人".into())
                }
            }
            "decline_reason" => match a {
                Action::Decline { reason } if blank(reason) => fail(String::new()),
                _ => Ok(None),
            },
            "reject_reason" => match a {
                Action::Reject { reason } if blank(reason) => fail(String::new()),
                _ => Ok(None),
            },
            "deny_reason" => match a {
                Action::Deny { reason } if blank(reason) => fail(String::new()),
                _ => Ok(None),
            },
            "evidence_kind" => match a {
                Action::Investigate { evidence } if evidence.is_empty() => fail("未列明取得的证据".into()),
                Action::Investigate { evidence } => {
                    let bad: Vec<&str> =
                        evidence.iter().filter(|e| evidence_kind(e).is_none()).map(String::as_str).collect();
                    if bad.is_empty() {
                        Ok(None)
                    } else {
                        fail(format!("「{}」不是法定证据种类", bad.join("、")))
                    }
                }
                _ => Ok(None),
            },
            "notice_before_decision" => {
                if self.deciding_penalty().is_some() && s.first_of("notify").is_none() {
                    fail(String::new())
                } else {
                    Ok(None)
                }
            }
            "statement_window_open" => {
                let Some(notified) = s.last_of("notify") else { return Ok(None) };
                if self.deciding_penalty().is_none() || s.first_of("waive").is_some_and(|w| w >= notified) {
                    return Ok(None);
                }
                if s.last_of("hold_hearing").is_some_and(|h| h >= notified) {
                    return Ok(None);
                }
                let due = self.due(notified, "statement_window_days", quanze_calendar::Counting::Working)?;
                if self.day() > due {
                    Ok(None)
                } else {
                    fail(format!("告知日{notified}，陈述、申辩和要求听证的期限至{due}届满"))
                }
            }
            "hearing_request_late" => {
                let Some(notified) = s.last_of("notify") else { return Ok(None) };
                let due = self.due(notified, "hearing_request_days", quanze_calendar::Counting::Working)?;
                if self.day() > due {
                    fail(format!("告知日{notified}，期限已于{due}届满"))
                } else {
                    Ok(None)
                }
            }
            "hearing_not_requested" => {
                if s.first_of("request_hearing").is_some() {
                    Ok(None)
                } else {
                    fail(String::new())
                }
            }
            "hearing_not_held" => {
                if self.deciding_penalty().is_none() {
                    return Ok(None);
                }
                match (s.last_of("request_hearing"), s.last_of("hold_hearing")) {
                    (Some(r), Some(h)) if h >= r => Ok(None),
                    (Some(_), _) => fail(String::new()),
                    (None, _) => Ok(None),
                }
            }
            "hearing_presider_required" => match a {
                Action::HoldHearing { presider } if blank(presider) => fail(String::new()),
                _ => Ok(None),
            },
            "hearing_presider_investigator" => match a {
                Action::HoldHearing { presider: Some(p) } => {
                    let p = p.trim();
                    let name =
                        self.ctx.people.iter().find(|x| x.id == p).map(|x| x.name.as_str()).unwrap_or(p);
                    if s.investigators.iter().any(|i| i == p) { fail(name.to_string()) } else { Ok(None) }
                }
                _ => Ok(None),
            },
            "reviewer_is_handler" => {
                let handlers: Vec<&str> = self
                    .people
                    .iter()
                    .filter(|p| s.handlers.contains(&p.id))
                    .map(|p| p.name.as_str())
                    .collect();
                if handlers.is_empty() {
                    Ok(None)
                } else {
                    fail(format!("{}是本案承办人员", handlers.join("、")))
                }
            }
            "legal_review_required" => {
                let Some((fine, _)) = self.deciding_penalty() else { return Ok(None) };
                let fine = fine.unwrap_or(0);
                let threshold =
                    self.party_threshold(cfg.local.review_individual_min_fen, cfg.local.review_unit_min_fen);
                let why = if cfg.review_all_decisions {
                    Some("本局规定全部处罚决定须经法制审核".to_string())
                } else if s.first_of("hold_hearing").is_some() {
                    Some("经过听证程序".to_string())
                } else if s.major {
                    Some("案件情况疑难复杂或重大".to_string())
                } else if fine >= threshold {
                    Some(format!(
                        "罚款{}达到法制审核数额{}（{}）",
                        yuan(fine),
                        yuan(threshold),
                        cfg.local.name
                    ))
                } else {
                    None
                };
                match (why, &s.review) {
                    (None, _) => Ok(None),
                    (Some(_), Some(r)) if r.passed => Ok(None),
                    (Some(w), Some(_)) => fail(format!("{w}；审核未通过")),
                    (Some(w), None) => fail(w),
                }
            }
            "discussion_attendees" => {
                let leaders = self.people.iter().filter(|p| p.role == Role::Leader).count();
                if leaders >= 2 {
                    Ok(None)
                } else {
                    fail(format!("参加讨论的负责人仅{leaders}名，应有两名以上"))
                }
            }
            "discussion_required" => {
                let Some((fine, _)) = self.deciding_penalty() else { return Ok(None) };
                let fine = fine.unwrap_or(0);
                let threshold = self.party_threshold(
                    cfg.fen("discussion_individual_min_fen"),
                    cfg.fen("discussion_unit_min_fen"),
                );
                let why = if s.major {
                    Some("调查终结认定为情节复杂或者重大违法行为".to_string())
                } else if fine >= threshold {
                    Some(format!("罚款{}达到重大案件数额{}", yuan(fine), yuan(threshold)))
                } else {
                    None
                };
                match why {
                    Some(w) if s.first_of("discuss").is_none() => fail(w),
                    _ => Ok(None),
                }
            }
            "fine_above_notified" => {
                let Some((Some(fine), _)) = self.deciding_penalty() else { return Ok(None) };
                match s.notified_fine_fen {
                    Some(n) if fine > n => fail(format!("决定罚款{}高于告知的{}", yuan(fine), yuan(n))),
                    _ => Ok(None),
                }
            }
            "electronic_service_consent" => match a {
                Action::Serve { method: ServiceMethod::Electronic, consent: false } => fail(String::new()),
                _ => Ok(None),
            },
            "payment_to_bank" => match a {
                Action::Pay { to: PayTo::Officer, .. } => fail(String::new()),
                _ => Ok(None),
            },
            "payment_exceeds_due" => {
                let amount = match a {
                    Action::Pay { amount_fen, .. } | Action::CollectOnSpot { amount_fen, .. } => *amount_fen,
                    _ => return Ok(None),
                };
                let owed = self.owed_on(self.day())?;
                let outstanding = owed.saturating_sub(s.paid_fen).max(0);
                if amount > outstanding {
                    fail(format!("本次{}，尚欠{}", yuan(amount), yuan(outstanding)))
                } else {
                    Ok(None)
                }
            }
            "on_spot_limit" => {
                let fine = s.fine_fen();
                let max = cfg.fen("on_spot_max_fen");
                if fine > max {
                    fail(format!("本案罚款{}，超过{}", yuan(fine), yuan(max)))
                } else {
                    Ok(None)
                }
            }
            "on_spot_receipt" => match a {
                Action::CollectOnSpot { receipt, .. } if blank(receipt) => fail(String::new()),
                _ => Ok(None),
            },
            "simple_procedure_limit" => match a {
                Action::SimpleDecide { fine_fen } => {
                    let max = self.party_threshold(
                        cfg.fen("simple_individual_max_fen"),
                        cfg.fen("simple_unit_max_fen"),
                    );
                    if *fine_fen > max {
                        fail(format!("对{}罚款{}，超过{}", s.party.label(), yuan(*fine_fen), yuan(max)))
                    } else {
                        Ok(None)
                    }
                }
                _ => Ok(None),
            },
            "demand_too_early" => {
                let Some(start) = s.first_of("serve").or_else(|| s.first_of("simple_decide")) else {
                    return Ok(None);
                };
                if s.fine_fen() <= 0 {
                    return fail("本案没有应缴的罚款".into());
                }
                let due = self.due(start, "payment_days", quanze_calendar::Counting::Calendar)?;
                if self.day() > due { Ok(None) } else { fail(format!("缴款期限至{due}届满")) }
            }
            "court_enforce_without_demand" => {
                if s.first_of("demand").is_some() {
                    Ok(None)
                } else {
                    fail(String::new())
                }
            }
            "court_enforce_too_early" => {
                let Some(demand) = s.last_of("demand") else { return Ok(None) };
                let due = self.due(demand, "demand_wait_days", quanze_calendar::Counting::Working)?;
                if self.day() > due {
                    Ok(None)
                } else {
                    fail(format!("催告日{demand}，须待{due}之后"))
                }
            }
            "court_enforce_remedy_open" => {
                // The period runs from the day after service to the corresponding day six
                // months on (民法典 第二百零一、二百零二条), moved off a holiday (第二百零三条).
                let Some(served) = s.first_of("serve").or_else(|| s.first_of("simple_decide")) else {
                    return Ok(None);
                };
                let months =
                    u32::try_from(self.ctx.config.value("litigation_months").unwrap_or(6)).unwrap_or(6);
                let Some(mut end) = add_months(served, months) else { return Ok(None) };
                if !self.ctx.calendar.is_working_day(end)? {
                    end = self.ctx.calendar.next_working_day(end)?;
                }
                if self.day() > end {
                    Ok(None)
                } else {
                    fail(format!("决定于{served}送达，起诉期限至{end}届满"))
                }
            }
            "close_not_executed" => {
                if s.procedure != "penalty" || s.state == "declined" {
                    return Ok(None);
                }
                match s.decision {
                    Some(DecisionKind::Penalty) if s.fine_fen() > 0 => {
                        if s.state == "executed" || s.state == "court_enforcement" {
                            Ok(None)
                        } else {
                            fail(format!("罚款{}尚未缴清，已缴{}", yuan(s.fine_fen()), yuan(s.paid_fen)))
                        }
                    }
                    Some(DecisionKind::Penalty)
                        if s.first_of("serve").is_none() && s.simple_fine_fen.is_none() =>
                    {
                        fail("处罚决定书尚未送达".into())
                    }
                    Some(_) => Ok(None),
                    None => fail("尚未作出决定".into()),
                }
            }
            "seal_not_active" => {
                if s.seals.iter().any(|x| x.released.is_none()) {
                    Ok(None)
                } else {
                    fail(String::new())
                }
            }
            "seal_extension_once" => {
                let Some(seal) = s.seals.iter().rev().find(|x| x.released.is_none()) else { return Ok(None) };
                let max = cfg.days("seal_extension_days");
                if !seal.extensions.is_empty() {
                    return fail(format!("已延长过一次（{}日）", sum_days(seal.extensions.iter().copied())));
                }
                match a {
                    Action::ExtendSeal { days: Some(d) } if *d > max => {
                        fail(format!("申请延长{d}日，超过{max}日"))
                    }
                    _ => Ok(None),
                }
            }
            "seal_extension_needs_leader" | "extension_needs_leader" => {
                if self.has_leader() {
                    Ok(None)
                } else {
                    fail("办理人员中没有行政机关负责人".into())
                }
            }
            "pause_reason" => match a {
                Action::Pause { reason } if pause_reason(reason).is_none() => fail(format!("「{reason}」")),
                _ => Ok(None),
            },
            "pause_open" => match s.open_pause() {
                Some(p) => fail(format!("{}，自{}", p.reason, p.from)),
                None => Ok(None),
            },
            "no_pause" => {
                if s.open_pause().is_some() {
                    Ok(None)
                } else {
                    fail(String::new())
                }
            }
            "nothing_to_extend" => {
                if extension_target(self.ctx, s).is_some() {
                    Ok(None)
                } else {
                    fail(String::new())
                }
            }
            "extension_exhausted" | "extension_needs_discussion" => {
                let Some(def) = extension_target(self.ctx, s) else { return Ok(None) };
                let Some(ext) = &def.extension else { return Ok(None) };
                let Action::Extend { days, .. } = a else { return Ok(None) };
                let done: Vec<&ExtensionRecord> =
                    s.extensions.iter().filter(|e| e.deadline == def.id).collect();
                if code == "extension_exhausted" {
                    if done.len() as u32 >= ext.max {
                        return fail(format!("「{}」已延长{}次", def.name, done.len()));
                    }
                    if done.is_empty() {
                        let max = cfg.days(&ext.first);
                        if *days > max {
                            return fail(format!("首次延长{days}日，超过{max}日"));
                        }
                    } else if let Some(further) = &ext.further {
                        let max = cfg.days(further);
                        let total = sum_days(done.iter().skip(1).map(|e| e.days)).saturating_add(*days);
                        if total > max {
                            return fail(format!("继续延期合计{total}日，超过{max}日"));
                        }
                    }
                    Ok(None)
                } else {
                    // The second and later extensions are decided by 集体讨论 after the first.
                    match done.last() {
                        Some(last) if s.last_of("discuss").is_none_or(|d| d < last.at) => {
                            fail(format!("「{}」已延长一次，继续延期须有其后的集体讨论记录", def.name))
                        }
                        _ => Ok(None),
                    }
                }
            }
            "materials_list_required" => match a {
                Action::Open { complete: Some(false), missing, .. }
                | Action::RequestMaterials { missing }
                    if missing.iter().all(|m| m.trim().is_empty()) =>
                {
                    fail(String::new())
                }
                _ => Ok(None),
            },
            "materials_once" => match s.materials_requested_on {
                Some(d) => fail(d.to_string()),
                None => Ok(None),
            },
            "reward_bounds" => {
                let amount = match a {
                    Action::Approve { amount_fen } => *amount_fen,
                    Action::Award { amount_fen } => Some(*amount_fen),
                    _ => return Ok(None),
                };
                let (lo, hi) = (cfg.fen("reward_min_fen"), cfg.fen("reward_max_fen"));
                match amount {
                    None => fail("未给出奖励金额（amount_yuan）".into()),
                    Some(x) if x < lo || x > hi => {
                        fail(format!("{}不在{}至{}之间", yuan(x), yuan(lo), yuan(hi)))
                    }
                    Some(_) => Ok(None),
                }
            }
            "award_differs_from_decision" => match (a, s.approved_fen) {
                (Action::Award { amount_fen }, Some(x)) if *amount_fen != x => {
                    fail(format!("发放{}，决定{}", yuan(*amount_fen), yuan(x)))
                }
                _ => Ok(None),
            },
            // Guards checked by the engine itself before the procedure's list.
            _ => Ok(None),
        }
    }

    /// The statutory fine range of the item's sanction articles (quanze-law), for the
    /// decided fine: `fine_base_missing` when a multiple needs a base not given,
    /// `fine_outside_range` when the fine leaves every range the item's articles allow.
    fn range_check(&self, code: &str) -> Option<Refusal> {
        let (fine, base) = match &self.cmd.action {
            // A fine decided on the spot has no base: only ranges that need none are checked.
            Action::SimpleDecide { fine_fen } if code == "fine_outside_range" => (*fine_fen, None),
            _ => match self.deciding_penalty()? {
                (Some(fine), base) => (fine, base.or(self.state.notified_base_fen)),
                (None, _) => return None,
            },
        };
        if fine <= 0 {
            return None;
        }
        let item = &self.ctx.procedure.item;
        let reg = self.ctx.law;
        let mut ranges: Vec<(i64, i64, String)> = Vec::new();
        let mut need_base: Vec<String> = Vec::new();
        for c in &item.legal_basis.citations {
            let Some(article) = c.article else { continue };
            let title = reg.canonical_title(&c.title).unwrap_or(&c.title).to_string();
            let label = format!("{title} {}", quanze_law::text::article_label(article));
            if ranges.iter().any(|r| r.2 == label) || need_base.iter().any(|n| n.starts_with(&label)) {
                continue;
            }
            // Facts are not recorded in the case: the range is the widest the article allows
            // under any of its conditions (the list of conditions decides which one applies).
            for conditions in [Vec::new(), Condition::ALL.to_vec()] {
                let q = PenaltyQuery {
                    base_amount_fen: base,
                    party: self.state.party,
                    conditions,
                    config: Some(self.ctx.config.local.clone()),
                    ..PenaltyQuery::new(title.clone(), article, self.day())
                };
                match compute(reg, &q) {
                    Ok(r) if r.fine_applies => {
                        ranges.push((r.min_fen, r.max_fen, label.clone()));
                    }
                    Err(LawError::MissingBase { base, .. })
                        if !need_base.iter().any(|n| n.starts_with(&label)) =>
                    {
                        need_base.push(format!("{label}（{base}）"));
                    }
                    _ => {}
                }
            }
        }
        if code == "fine_base_missing" {
            if ranges.is_empty() && !need_base.is_empty() {
                return Some(Refusal::of(code, &need_base.join("、")));
            }
            return None;
        }
        if ranges.is_empty() {
            return None;
        }
        let lo = ranges.iter().map(|r| r.0).min().unwrap_or(0);
        let hi = ranges.iter().map(|r| r.1).max().unwrap_or(0);
        if fine >= lo && fine <= hi {
            return None;
        }
        let mut labels: Vec<String> = Vec::new();
        for r in &ranges {
            if !labels.contains(&r.2) {
                labels.push(r.2.clone());
            }
        }
        let mut refusal = Refusal::of(
            code,
            &format!("决定罚款{}，依{}法定幅度为{}至{}", yuan(fine), labels.join("、"), yuan(lo), yuan(hi)),
        );
        refusal.articles.extend(labels);
        Some(refusal)
    }
}

/// The corresponding day `months` later; the month's last day when it has no such day.
fn add_months(d: Date, months: u32) -> Option<Date> {
    let index = d.month() - 1 + months;
    let year = d.year().checked_add(i32::try_from(index / 12).ok()?)?;
    let month = index % 12 + 1;
    (1..=d.day()).rev().find_map(|day| Date::new(year, month, day))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    #[test]
    fn vocabulary_reads() {
        assert_eq!(evidence_kind("书证"), Some("documentary"));
        assert_eq!(evidence_kind("现场笔录"), Some("scene_record"));
        assert_eq!(evidence_kind("传闻"), None);
        assert_eq!(pause_reason("鉴定"), Some("appraisal"));
        assert_eq!(pause_reason("春节"), None);
    }
}
