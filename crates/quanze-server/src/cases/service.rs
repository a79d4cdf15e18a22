//! The case capability's service: officers open cases, act on them and read them through
//! `quanze-casework`'s [`CaseService`], which applies the access policy (案件权限) and records
//! every read (refused attempts too) before anything is returned. No axum here; errors are
//! [`CasesError`], which the API answers as problem+json with the refusal's code and articles
//! and the pages show on the form.
//!
//! What the engine's actions take is described once, in [`action_fields`]: the API reads a
//! JSON object with those keys (money in 元 as the scenario files write it), the console
//! draws a form from the same table.

use std::sync::Arc;

use quanze_case::{Action, ActionKind, At, Command, DecisionKind, Party, PayTo, SealKind, ServiceMethod};
use quanze_casework::{ActResult, CaseService, CaseworkError, Officer};
use quanze_model::{ChinaTime, Date};
use quanze_store::{
    BureauId, CaseFilter, CaseId, DeadlineStatus, DocumentId, ItemId, Page, PersonId, PersonRole, ReadFilter,
    Session, VersionStatus,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Why a case request was not done. Refusals carry the law's or the policy's code, articles
/// and Chinese message.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum CasesError {
    /// Not logged in.
    #[error("请先登录。")]
    LoginRequired,
    /// The access policy refuses (403).
    #[error("{}", .0.message)]
    Forbidden(Refusal),
    /// The engine's guard refuses (409 when the case's state does not allow it, else 422).
    #[error("{}", .0.message)]
    Refused(Refusal),
    #[error("{0}")]
    NotFound(String),
    /// The request cannot be used as sent (Chinese).
    #[error("{0}")]
    Invalid(String),
    /// The store or the templates failed; the cause is logged.
    #[error("服务器内部错误。")]
    Internal(String),
}

/// A refusal as the interfaces show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub(crate) struct Refusal {
    pub code: String,
    pub articles: Vec<String>,
    /// In Chinese.
    pub message: String,
    /// An article rests on a text not verified against the statute folder.
    pub unverified: bool,
}

impl CasesError {
    /// The HTTP status (a number: the service knows no axum).
    pub(crate) fn status(&self) -> u16 {
        match self {
            CasesError::LoginRequired => 401,
            CasesError::Forbidden(_) => 403,
            CasesError::Refused(r) if GUARDS_OF_STATE.contains(&r.code.as_str()) => 409,
            CasesError::Refused(_) => 422,
            CasesError::NotFound(_) => 404,
            CasesError::Invalid(_) => 400,
            CasesError::Internal(_) => 500,
        }
    }

    /// The refusal, for refusals.
    pub(crate) fn refusal(&self) -> Option<&Refusal> {
        match self {
            CasesError::Forbidden(r) | CasesError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

/// Refusals that say the case is not where the action belongs (a conflict with its state),
/// not that the action's content is wrong.
const GUARDS_OF_STATE: [&str; 2] = ["state_not_allowed", "time_order"];

impl From<CaseworkError> for CasesError {
    fn from(e: CaseworkError) -> CasesError {
        match e {
            CaseworkError::Forbidden(r) => CasesError::Forbidden(Refusal {
                code: r.code,
                articles: r.articles,
                message: r.message,
                unverified: r.unverified,
            }),
            CaseworkError::NotFound(m) => CasesError::NotFound(m),
            CaseworkError::Invalid(m) => CasesError::Invalid(m),
            CaseworkError::Busy(_) => CasesError::Invalid(e.to_string()),
            other => {
                eprintln!("quanze: case work failed: {other}");
                CasesError::Internal(other.to_string())
            }
        }
    }
}

impl From<quanze_store::StoreError> for CasesError {
    fn from(e: quanze_store::StoreError) -> CasesError {
        CaseworkError::from(e).into()
    }
}

pub(crate) type Result<T> = std::result::Result<T, CasesError>;

/// One request's case work: the server's one case service ([`AppState::cases`]) and the
/// officer behind the session (a person linked to the account, or none). Every operation of
/// the capability starts here, so the API and the console open the same way.
pub(crate) struct Work {
    state: AppState,
    service: Arc<CaseService>,
    officer: Officer,
    /// The session's CSRF token (the console's forms carry it).
    csrf: String,
}

impl Work {
    /// The work of the logged-in `session`.
    pub(crate) async fn begin(state: &AppState, session: Option<&Session>) -> Result<Work> {
        let session = session.ok_or(CasesError::LoginRequired)?;
        let service = Arc::clone(state.cases());
        let officer = service.officer_for_user(&session.user).await?;
        Ok(Work { state: state.clone(), service, officer, csrf: session.csrf_token.clone() })
    }

    /// The session's CSRF token.
    pub(crate) fn csrf(&self) -> &str {
        &self.csrf
    }

    /// Today in China (the server's clock).
    fn today(&self) -> Date {
        self.state.today()
    }

    /// Now in China, to the minute (the read log's time).
    fn now(&self) -> ChinaTime {
        self.state.now()
    }

    /// Now as a form's default time (`YYYY-MM-DDTHH:MM`, China time).
    pub(crate) fn now_text(&self) -> String {
        now_at(self.now()).to_string()
    }
}

// ---------- the actions' fields ----------

/// How a field of an action is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Text,
    /// Several values: a JSON array, or one per line (、，, also separate).
    List,
    Bool,
    /// An amount in 元 (two decimals at most), kept in fen.
    Yuan,
    /// A whole number of days.
    Days,
    /// One of (value, Chinese label).
    Choice(&'static [(&'static str, &'static str)]),
    /// A person of the case's bureau, chosen by name and sent as the person id (events name
    /// people by id, and guards compare ids: 听证主持人 against the investigators).
    Person,
}

/// One field of an action's form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

/// A field, as a literal (so the tables below are promoted to statics).
macro_rules! f {
    ($key:literal, $label:literal, $kind:expr, $required:literal) => {
        Field { key: $key, label: $label, kind: $kind, required: $required }
    };
}

const PARTY: &[(&str, &str)] = &[("unit", "单位"), ("individual", "个人")];
const DECISION: &[(&str, &str)] = &[
    ("penalty", "给予行政处罚"),
    ("no_penalty", "不予行政处罚"),
    ("not_established", "违法事实不能成立"),
    ("transfer", "移送"),
];
const METHOD: &[(&str, &str)] =
    &[("direct", "直接送达"), ("post", "邮寄送达"), ("electronic", "电子送达"), ("notice", "公告送达")];
const SEAL: &[(&str, &str)] = &[("seal", "封存"), ("preserve", "先行登记保存")];
const PAY_TO: &[(&str, &str)] = &[("bank", "指定银行或电子支付"), ("officer", "执法人员当场收缴")];

/// The fields of an action (the keys of `docs/scenarios.md`).
pub(crate) fn action_fields(action: &str) -> &'static [Field] {
    use FieldKind::*;
    match action {
        "open" => &[
            f!("party", "当事人类型", Choice(PARTY), true),
            f!("complete", "申请材料齐全（依申请事项）", Bool, false),
            f!("missing", "缺少的材料（每行一项）", List, false),
        ],
        "decline" | "reject" | "deny" => &[f!("reason", "理由", Text, false)],
        "investigate" => {
            &[f!("evidence", "取得的证据种类（书证、物证、当事人的陈述、现场笔录…，每行一项）", List, true)]
        }
        "seal" => &[f!("kind", "措施", Choice(SEAL), true), f!("scene_record", "现场笔录", Text, false)],
        "extend_seal" => &[f!("days", "延长天数", Days, false)],
        "conclude" => &[f!("major", "情节复杂或者重大违法行为", Bool, false)],
        "legal_review" => &[f!("opinion", "审核意见（同意 / 通过，或不同意的理由）", Text, true)],
        "notify" => {
            &[f!("fine_yuan", "拟罚款（元）", Yuan, false), f!("base_yuan", "计罚基数（元）", Yuan, false)]
        }
        "statement" => &[f!("text", "陈述、申辩内容", Text, false)],
        "hold_hearing" => &[f!("presider", "听证主持人（非本案调查人员）", Person, false)],
        "discuss" => &[f!("conclusion", "讨论结论", Text, false)],
        "decide" => &[
            f!("decision", "决定类型", Choice(DECISION), true),
            f!("fine_yuan", "罚款（元）", Yuan, false),
            f!("base_yuan", "计罚基数（元）", Yuan, false),
        ],
        "serve" => &[
            f!("method", "送达方式", Choice(METHOD), true),
            f!("consent", "当事人已签署电子送达确认书", Bool, false),
        ],
        "pay" => &[
            f!("amount_yuan", "缴纳金额（元）", Yuan, true),
            f!("receipt", "票据号", Text, false),
            f!("to", "缴至", Choice(PAY_TO), false),
        ],
        "collect_on_spot" => {
            &[f!("amount_yuan", "收缴金额（元）", Yuan, true), f!("receipt", "票据号", Text, false)]
        }
        "simple_decide" => &[f!("fine_yuan", "罚款（元）", Yuan, true)],
        "request_materials" => &[f!("missing", "需补正的材料（每行一项）", List, true)],
        "approve" => &[f!("amount_yuan", "金额（元，支付或奖励时填写）", Yuan, false)],
        "dispose" => &[f!("measure", "处置措施", Text, false)],
        "transfer" => &[f!("to", "移送机关", Text, false)],
        "award" => &[f!("amount_yuan", "奖励金额（元）", Yuan, true)],
        "pause" => &[f!("reason", "暂停事由（听证、公告、检测、检验、鉴定、专家评审）", Text, true)],
        "extend" => &[f!("days", "延长天数", Days, true), f!("reason", "理由", Text, false)],
        _ => &[],
    }
}

/// Values of an action's fields as sent: every value as text (a list one per line, a
/// checkbox `true`/`on`).
pub(crate) type Values = std::collections::BTreeMap<String, String>;

/// A JSON object's values as [`Values`]: strings as they are, arrays one per line, numbers
/// and booleans as written. Anything else is refused.
pub(crate) fn values_from_json(map: &serde_json::Map<String, serde_json::Value>) -> Result<Values> {
    let mut out = Values::new();
    for (k, v) in map {
        let text = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Array(a) => {
                let mut items = Vec::with_capacity(a.len());
                for x in a {
                    match x {
                        serde_json::Value::String(s) => items.push(s.clone()),
                        _ => return Err(CasesError::Invalid(format!("参数「{k}」应为文本列表"))),
                    }
                }
                items.join("\n")
            }
            serde_json::Value::Object(_) => {
                return Err(CasesError::Invalid(format!("参数「{k}」不能是对象")));
            }
        };
        out.insert(k.clone(), text);
    }
    Ok(out)
}

/// 元 as written (`5000`, `99.5`, `1,000.00`) into fen, exactly.
pub(crate) fn parse_yuan(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| *c != ',' && *c != '，').collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yuan: i64 = whole.parse().ok()?;
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    yuan.checked_mul(100)?.checked_add(cents)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['\n', '、', '，', ',', ';', '；'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Read `action`'s fields from `values` into the engine's action. Unknown keys and values
/// of the wrong form are refused with the field's Chinese label.
pub(crate) fn build_action(action: &str, values: &Values) -> Result<Action> {
    let kind = ActionKind::from_id(action)
        .filter(|k| !matches!(k.id(), "check"))
        .ok_or_else(|| CasesError::Invalid(format!("未知的操作「{action}」")))?;
    let fields = action_fields(action);
    let mut text = std::collections::BTreeMap::<&str, String>::new();
    for (k, v) in values {
        let Some(field) = fields.iter().find(|f| f.key == k) else {
            return Err(CasesError::Invalid(format!("操作「{}」没有参数「{k}」", kind.label())));
        };
        if !v.trim().is_empty() {
            text.insert(field.key, v.trim().to_string());
        }
    }
    for field in fields {
        if field.required && !text.contains_key(field.key) && field.kind != FieldKind::Bool {
            return Err(CasesError::Invalid(format!("请填写「{}」", field.label)));
        }
    }
    let label = |key: &str| {
        fields.iter().find(|f| f.key == key).map_or_else(|| key.to_string(), |f| f.label.to_string())
    };
    let s = |key: &str| text.get(key).cloned();
    let list = |key: &str| text.get(key).map(|v| split_list(v)).unwrap_or_default();
    let flag = |key: &str| text.get(key).is_some_and(|v| matches!(v.as_str(), "true" | "on" | "1" | "是"));
    let yuan = |key: &str| -> Result<Option<i64>> {
        match text.get(key) {
            None => Ok(None),
            Some(v) => parse_yuan(v).map(Some).ok_or_else(|| {
                CasesError::Invalid(format!("「{}」应为金额（元，至多两位小数），而不是“{v}”", label(key)))
            }),
        }
    };
    let req_yuan = |key: &str| -> Result<i64> {
        yuan(key)?.ok_or_else(|| CasesError::Invalid(format!("请填写「{}」", label(key))))
    };
    let days = |key: &str| -> Result<Option<u32>> {
        match text.get(key) {
            None => Ok(None),
            Some(v) => v
                .parse::<u32>()
                .map(Some)
                .map_err(|_| CasesError::Invalid(format!("「{}」应为天数，而不是“{v}”", label(key)))),
        }
    };
    let choice = |key: &str| -> Result<Option<&'static str>> {
        let Some(v) = text.get(key) else { return Ok(None) };
        let Some(field) = fields.iter().find(|f| f.key == key) else { return Ok(None) };
        let FieldKind::Choice(options) = field.kind else { return Ok(None) };
        options
            .iter()
            .find(|(id, l)| id == v || l == v)
            .map(|(id, _)| Some(*id))
            .ok_or_else(|| CasesError::Invalid(format!("「{}」的值“{v}”无效", field.label)))
    };
    Ok(match kind.id() {
        "open" => Action::Open {
            item: None,
            party: match choice("party")? {
                Some("individual") => Party::Individual,
                _ => Party::Unit,
            },
            complete: text.contains_key("complete").then(|| flag("complete")),
            missing: list("missing"),
        },
        "register" => Action::Register {},
        "decline" => Action::Decline { reason: s("reason") },
        "investigate" => Action::Investigate { evidence: list("evidence") },
        "seal" => Action::Seal {
            kind: if choice("kind")? == Some("preserve") { SealKind::Preserve } else { SealKind::Seal },
            scene_record: s("scene_record"),
        },
        "extend_seal" => Action::ExtendSeal { days: days("days")? },
        "release_seal" => Action::ReleaseSeal {},
        "conclude" => Action::Conclude { major: flag("major") },
        "legal_review" => Action::LegalReview { opinion: s("opinion").unwrap_or_default() },
        "notify" => Action::Notify { fine_fen: yuan("fine_yuan")?, base_fen: yuan("base_yuan")? },
        "statement" => Action::Statement { text: s("text") },
        "waive" => Action::Waive {},
        "request_hearing" => Action::RequestHearing {},
        "hold_hearing" => Action::HoldHearing { presider: s("presider") },
        "discuss" => Action::Discuss { conclusion: s("conclusion") },
        "decide" => Action::Decide {
            decision: match choice("decision")? {
                Some("no_penalty") => DecisionKind::NoPenalty,
                Some("not_established") => DecisionKind::NotEstablished,
                Some("transfer") => DecisionKind::Transfer,
                _ => DecisionKind::Penalty,
            },
            fine_fen: yuan("fine_yuan")?,
            base_fen: yuan("base_yuan")?,
        },
        "serve" => Action::Serve {
            method: match choice("method")? {
                Some("post") => ServiceMethod::Post,
                Some("electronic") => ServiceMethod::Electronic,
                Some("notice") => ServiceMethod::Notice,
                _ => ServiceMethod::Direct,
            },
            consent: flag("consent"),
        },
        "pay" => Action::Pay {
            amount_fen: req_yuan("amount_yuan")?,
            receipt: s("receipt"),
            to: if choice("to")? == Some("officer") { PayTo::Officer } else { PayTo::Bank },
        },
        "collect_on_spot" => {
            Action::CollectOnSpot { amount_fen: req_yuan("amount_yuan")?, receipt: s("receipt") }
        }
        "simple_decide" => Action::SimpleDecide { fine_fen: req_yuan("fine_yuan")? },
        "accept" => Action::Accept {},
        "reject" => Action::Reject { reason: s("reason") },
        "request_materials" => Action::RequestMaterials { missing: list("missing") },
        "review" => Action::Review {},
        "approve" => Action::Approve { amount_fen: yuan("amount_yuan")? },
        "deny" => Action::Deny { reason: s("reason") },
        "inspect" => Action::Inspect {},
        "dispose" => Action::Dispose { measure: s("measure") },
        "transfer" => Action::Transfer { to: s("to") },
        "award" => Action::Award { amount_fen: req_yuan("amount_yuan")? },
        "pause" => Action::Pause { reason: s("reason").unwrap_or_default() },
        "resume" => Action::Resume {},
        "extend" => Action::Extend {
            days: days("days")?.ok_or_else(|| CasesError::Invalid("请填写「延长天数」".into()))?,
            reason: s("reason"),
        },
        "close" => Action::Close {},
        "publish" => Action::Publish {},
        "recheck" => Action::Recheck {},
        "demand" => Action::Demand {},
        _ => Action::CourtEnforce {},
    })
}

/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`; empty: today (the server's clock).
fn parse_at(today: Date, at: Option<&str>) -> Result<At> {
    match at.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(At::day(today)),
        Some(s) => At::parse(s).ok_or_else(|| {
            CasesError::Invalid(format!("时间应写作 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，而不是“{s}”"))
        }),
    }
}

/// The people acting: the officer, then the others named (person ids), each once.
fn acting(officer: &Officer, others: &[String]) -> Result<Vec<String>> {
    let me = officer.person_ref().ok_or_else(|| CasesError::Forbidden(not_a_person()))?;
    let mut by = vec![me];
    for o in others {
        let o = o.trim();
        if o.is_empty() {
            continue;
        }
        if o.parse::<i64>().is_err() {
            return Err(CasesError::Invalid(format!("办理人员应为人员编号，而不是“{o}”")));
        }
        if !by.iter().any(|b| b == o) {
            by.push(o.to_string());
        }
    }
    Ok(by)
}

fn not_a_person() -> Refusal {
    Refusal {
        code: "access_not_a_person".into(),
        articles: Vec::new(),
        message: "该账号未关联办案人员，不能办理案件".into(),
        unverified: false,
    }
}

fn refused(r: quanze_case::Refusal) -> CasesError {
    CasesError::Refused(Refusal {
        code: r.code,
        articles: r.articles,
        message: r.message,
        unverified: r.unverified,
    })
}

// ---------- opening and acting ----------

/// What opening a case needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpenCase {
    pub item: i64,
    /// 案号; empty: one is made from the date and the bureau's count of cases.
    pub label: String,
    pub at: Option<String>,
    /// Other people acting (person ids).
    pub with: Vec<String>,
    pub values: Values,
}

impl Work {
    /// Open a case under an item of a published version, as the officer.
    pub(crate) async fn open_case(&self, req: &OpenCase) -> Result<i64> {
        let (service, officer) = (&self.service, &self.officer);
        let store = service.store();
        let item = store
            .item(ItemId(req.item))
            .await?
            .ok_or_else(|| CasesError::NotFound(format!("事项 {} 不存在", req.item)))?;
        let version = store
            .version(item.summary.version)
            .await?
            .filter(|v| v.status == VersionStatus::Published)
            .ok_or_else(|| CasesError::Invalid("只能在已公布的清单版本的事项下立卷".into()))?;
        let at = parse_at(self.today(), req.at.as_deref())?;
        let action = build_action("open", &req.values)?;
        let action = match action {
            Action::Open { party, complete, missing, .. } => {
                Action::Open { item: item.summary.seq.map(|s| s.to_string()), party, complete, missing }
            }
            other => other,
        };
        let by = acting(officer, &req.with)?;
        let label = match req.label.trim() {
            "" => {
                let total = store
                    .cases(&CaseFilter { bureau: Some(version.bureau), state: None, page: Page::first(1) })
                    .await?
                    .total;
                format!("{}-{:04}", at.date.to_string().replace('-', ""), total + 1)
            }
            l => l.to_string(),
        };
        if store.case_by_label(version.bureau, &label).await?.is_some() {
            return Err(CasesError::Invalid(format!("本局已有案号为“{label}”的案件")));
        }
        let cmd = Command { at, by, action };
        match service.open_case_as(officer, version.bureau, version.id, item.summary.id, &label, cmd).await? {
            ActResult::Applied { case, .. } => Ok(case.0),
            ActResult::Refused { refusal, .. } => Err(refused(refusal)),
        }
    }
}

/// One action on a case.
#[derive(Debug, Clone, Default)]
pub(crate) struct ActOn {
    pub action: String,
    pub at: Option<String>,
    pub with: Vec<String>,
    pub values: Values,
}

/// What an applied action did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Applied {
    pub case: i64,
    /// The state after the action (id and Chinese label).
    pub state: String,
    pub state_label: String,
    /// Seqs of the events appended.
    pub events: Vec<u64>,
    /// Documents issued with the events.
    pub documents: Vec<DocumentRow>,
}

impl Work {
    /// Act on a case as the officer: the access policy, then the engine.
    pub(crate) async fn act(&self, case: i64, req: &ActOn) -> Result<Applied> {
        let (service, officer) = (&self.service, &self.officer);
        let action = build_action(req.action.trim(), &req.values)?;
        if matches!(action, Action::Open { .. }) {
            return Err(CasesError::Invalid("案件已立卷".into()));
        }
        // Events name people by id: a presider written by name is looked up in the bureau.
        let action = match action {
            Action::HoldHearing { presider: Some(p) } if p.trim().parse::<i64>().is_err() => {
                let record = service
                    .store()
                    .case(CaseId(case))
                    .await?
                    .ok_or_else(|| CasesError::NotFound(format!("案件 {case} 不存在")))?;
                let people = service.store().people(Some(record.bureau)).await?;
                let found = people.iter().find(|x| x.name == p.trim() && x.retired_at.is_none());
                let id = found
                    .map(|x| x.id.0.to_string())
                    .ok_or_else(|| CasesError::Invalid(format!("听证主持人“{}”不是本局人员", p.trim())))?;
                Action::HoldHearing { presider: Some(id) }
            }
            other => other,
        };
        let at = parse_at(self.today(), req.at.as_deref())?;
        let by = acting(officer, &req.with)?;
        match service.act_as(officer, CaseId(case), Command { at, by, action }).await? {
            // The state comes with the answer: no read-back of the case row.
            ActResult::Applied { case, events, documents, procedure, state } => {
                let label = quanze_case::procedure(&procedure)
                    .map(|p| p.state_label(&state).to_string())
                    .unwrap_or_default();
                Ok(Applied {
                    case: case.0,
                    state,
                    state_label: label,
                    events: events.iter().map(|e| e.event.seq).collect(),
                    documents: documents.iter().map(document_row).collect(),
                })
            }
            ActResult::Refused { refusal, .. } => Err(refused(refusal)),
        }
    }
}

impl Work {
    /// Put a person on a case with a duty (`handler`, `legal_reviewer`, `presider`, `other`):
    /// only a leader of the case's bureau assigns (the service checks it).
    pub(crate) async fn assign(&self, case: i64, person: &str, duty: &str) -> Result<()> {
        let (service, officer) = (&self.service, &self.officer);
        let person = person
            .trim()
            .parse::<i64>()
            .map_err(|_| CasesError::Invalid(format!("人员应为人员编号，而不是“{person}”")))?;
        let duty = quanze_store::AssignmentDuty::from_str_opt(duty.trim()).ok_or_else(|| {
            CasesError::Invalid(format!(
                "职责应为 handler、legal_reviewer、presider 或 other，而不是“{duty}”"
            ))
        })?;
        service.assign(officer, CaseId(case), PersonId(person), duty, self.now()).await?;
        Ok(())
    }
}

// ---------- reading a case ----------

/// A person as a case shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PersonRow {
    pub id: String,
    pub name: String,
    /// Chinese.
    pub role: String,
}

/// One event of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct EventRow {
    pub seq: u64,
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, China time.
    pub at: String,
    pub action: String,
    pub action_label: String,
    /// Who acted, by name (the first recorded it).
    pub by: Vec<String>,
    pub state_before: String,
    pub state_after: String,
    /// The stage of the item's 责任事项 it executes, its post and the duty's text.
    pub duty_stage: Option<String>,
    pub post: Option<String>,
    pub duty: Option<String>,
    /// The action's keys as recorded (JSON).
    pub details: serde_json::Value,
}

/// A deadline of the case on the day asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DeadlineRow {
    pub id: String,
    pub name: String,
    pub start: String,
    pub due: Option<String>,
    pub days: u32,
    /// `working` or `calendar`.
    pub counting: String,
    pub articles: Vec<String>,
    /// `open`, `met`, `missed`, `error`.
    pub status: String,
    /// `near` (open, at most 3 days left), `passed` (missed, or open and past due), else
    /// empty: the console's yellow and red.
    pub urgency: String,
    pub error: Option<String>,
    /// Who it binds: `bureau` or `party`.
    pub holder: String,
    pub unverified: bool,
}

/// An action possible now, with its fields.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PossibleAction {
    pub id: String,
    pub label: String,
    /// The fields the action takes (the keys of the request body).
    pub fields: Vec<FieldInfo>,
    /// A leader or legal reviewer must be among the people acting (with its articles).
    pub gate: Option<String>,
    pub gate_articles: Vec<String>,
    /// The stage of the item's 责任事项 it executes.
    pub duty_stage: Option<String>,
    pub post: Option<String>,
}

/// A field of an action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FieldInfo {
    pub key: String,
    pub label: String,
    /// `text`, `list`, `bool`, `yuan`, `days`, `choice`, `person` (a person id; the options
    /// are the bureau's people, investigators marked).
    pub kind: String,
    pub required: bool,
    /// For `choice` and `person`: (value, label).
    pub options: Vec<(String, String)>,
}

pub(crate) fn field_info(f: &Field) -> FieldInfo {
    let (kind, options) = match f.kind {
        FieldKind::Text => ("text", Vec::new()),
        FieldKind::List => ("list", Vec::new()),
        FieldKind::Bool => ("bool", Vec::new()),
        FieldKind::Yuan => ("yuan", Vec::new()),
        FieldKind::Days => ("days", Vec::new()),
        FieldKind::Choice(o) => ("choice", o.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()),
        // The people are the case's: `read_case` fills them in.
        FieldKind::Person => ("person", Vec::new()),
    };
    FieldInfo { key: f.key.into(), label: f.label.into(), kind: kind.into(), required: f.required, options }
}

/// A case with its timeline, deadlines and the actions possible now for the viewer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseDetail {
    pub id: i64,
    /// 案号.
    pub label: String,
    pub bureau: i64,
    pub bureau_name: String,
    pub item: i64,
    pub item_name: String,
    pub version: i64,
    pub procedure: String,
    pub procedure_name: String,
    pub state: String,
    pub state_label: String,
    pub closed: bool,
    pub opened_at: String,
    pub events: Vec<EventRow>,
    pub deadlines: Vec<DeadlineRow>,
    /// The actions the viewer may take now: allowed in the case's state to the viewer's role,
    /// and not refused by a guard that nothing entered could satisfy ([`NOT_NOW`]).
    pub actions: Vec<PossibleAction>,
    /// The earliest time the next action may be recorded at (now, or the last event's time
    /// when that is later): the forms' default.
    pub next_at: String,
    /// People on the case now, and the bureau's people the viewer may name beside them.
    pub assigned: Vec<PersonRow>,
    pub colleagues: Vec<PersonRow>,
    /// Whether the viewer may read the case's read log (supervisors).
    pub may_read_log: bool,
    /// Whether the viewer may put people on the case (a leader of its bureau).
    pub may_assign: bool,
}

fn role_label(r: PersonRole) -> &'static str {
    match r {
        PersonRole::Officer => "执法人员",
        PersonRole::Leader => "负责人",
        PersonRole::LegalReviewer => "法制审核人员",
        PersonRole::Supervisor => "监督人员",
        PersonRole::Clerk => "窗口人员",
    }
}

fn engine_role(r: PersonRole) -> quanze_case::Role {
    match r {
        PersonRole::Officer => quanze_case::Role::Officer,
        PersonRole::Leader => quanze_case::Role::Leader,
        PersonRole::LegalReviewer => quanze_case::Role::LegalReviewer,
        PersonRole::Supervisor => quanze_case::Role::Supervisor,
        PersonRole::Clerk => quanze_case::Role::Clerk,
    }
}

/// Days before a deadline at which the console shows it yellow.
pub(crate) const NEAR_DAYS: i64 = 3;

fn urgency(status: &str, due: Option<Date>, today: Date) -> String {
    match (status, due) {
        ("missed", _) => "passed".into(),
        ("open", Some(d)) if d < today => "passed".into(),
        ("open", Some(d)) if d.days_since_epoch() - today.days_since_epoch() <= NEAR_DAYS => "near".into(),
        _ => String::new(),
    }
}

/// Refusals of the engine that nothing entered on a form (fields, people, time) can lift:
/// the case is not where the action can be taken now (no hearing requested, no seal to
/// extend or release, nothing paused or a pause already open, nothing to extend, the
/// missing materials already told, no 催告 yet, the fine not paid, the viewer a handler of
/// the case they would review). The console offers no form for an action refused with one
/// of these; any other refusal depends on what is entered and is shown on the form.
const NOT_NOW: [&str; 14] = [
    "state_not_allowed",
    "role_not_allowed",
    "hearing_not_requested",
    "seal_not_active",
    "seal_extension_once",
    "pause_open",
    "no_pause",
    "nothing_to_extend",
    "extension_exhausted",
    "materials_once",
    "court_enforce_without_demand",
    "close_not_executed",
    "on_spot_limit",
    "reviewer_is_handler",
];

/// `now` as an event's time.
fn now_at(now: ChinaTime) -> At {
    At { date: now.date, minute: Some(now.minute) }
}

/// The bureau's people as the engine sees them (the viewer among them, when of no bureau).
fn engine_people(
    people: &[quanze_store::Person],
    me: Option<&quanze_store::Person>,
) -> Vec<quanze_case::Person> {
    let engine = |p: &quanze_store::Person| quanze_case::Person {
        id: p.id.0.to_string(),
        name: p.name.clone(),
        role: engine_role(p.role),
        posts: p.posts.clone(),
        certificate: if p.retired_at.is_some() { None } else { p.certificate.clone() },
        certificate_until: p.certificate_until,
    };
    let mut out: Vec<quanze_case::Person> = people.iter().map(engine).collect();
    if let Some(me) = me
        && !people.iter().any(|p| p.id == me.id)
    {
        out.push(engine(me));
    }
    out
}

/// Who may be named 听证主持人: the bureau's people at work but supervisors, by name, the
/// case's investigators marked (the engine refuses them: 行政处罚法 第六十四条).
fn presider_options(
    people: &[quanze_store::Person],
    state: &quanze_case::CaseState,
) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "请选择".to_string())];
    for p in people.iter().filter(|p| p.retired_at.is_none() && p.role != PersonRole::Supervisor) {
        let id = p.id.0.to_string();
        let mark = if state.investigators.contains(&id) { "，本案调查人员" } else { "" };
        out.push((id, format!("{}（{}{mark}）", p.name, role_label(p.role))));
    }
    out
}

/// An action with placeholders in its required fields: enough for the engine to reach the
/// guards that do not look at them.
fn probe_action(id: &str) -> Option<Action> {
    let mut values = Values::new();
    for f in action_fields(id).iter().filter(|f| f.required) {
        let v = match f.kind {
            FieldKind::Text if f.key == "opinion" => "同意",
            // A reason the engine knows (a pause needs one of its list).
            FieldKind::Text => "听证",
            FieldKind::List => "书证",
            FieldKind::Yuan | FieldKind::Days => "1",
            FieldKind::Choice(options) => options.first().map_or("", |o| o.0),
            FieldKind::Bool | FieldKind::Person => continue,
        };
        values.insert(f.key.to_string(), v.to_string());
    }
    build_action(id, &values).ok()
}

/// Whether the engine could take `def` on the case now as far as a form can tell: it decides
/// the action with placeholder fields at `at`, as the viewer alone and as the viewer with
/// everyone of the bureau who may take it and is not a handler of the case (so that a
/// leader's or a second officer's absence does not hide what a guard after it says).
/// False only when a refusal in [`NOT_NOW`] answers.
fn possible_now(
    ctx: &quanze_case::CaseContext,
    state: &quanze_case::CaseState,
    def: &quanze_case::procedure::ActionDef,
    me: &str,
    at: At,
) -> bool {
    let Some(action) = probe_action(&def.id) else { return true };
    let mut everyone = vec![me.to_string()];
    everyone.extend(
        ctx.people
            .iter()
            .filter(|p| p.id != me && def.roles.contains(&p.role) && !state.handlers.contains(&p.id))
            .map(|p| p.id.clone()),
    );
    [vec![me.to_string()], everyone].into_iter().all(|by| {
        match quanze_case::decide(ctx, state, &Command { at, by, action: action.clone() }) {
            quanze_case::Outcome::Refused { refusal } => !NOT_NOW.contains(&refusal.code.as_str()),
            quanze_case::Outcome::Applied { .. } => true,
        }
    })
}

impl Work {
    /// Read a case as the officer (the read is checked and recorded first).
    pub(crate) async fn read_case(&self, case: i64) -> Result<CaseDetail> {
        let (service, officer) = (&self.service, &self.officer);
        let at = self.now();
        let view = service.read_case(officer, CaseId(case), at).await?;
        let store = service.store();
        let people = store.people(Some(view.record.bureau)).await?;
        let name_of = |id: &str| {
            people
                .iter()
                .find(|p| p.id.0.to_string() == id)
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        let procedure = view.procedure.procedure;
        let events = view
            .events
            .iter()
            .map(|s| {
                let e = &s.event;
                let mut details = serde_json::to_value(&e.action).unwrap_or(serde_json::Value::Null);
                if let Some(m) = details.as_object_mut() {
                    m.remove("action");
                }
                EventRow {
                    seq: e.seq,
                    at: e.at.to_string(),
                    action: e.action.id().into(),
                    action_label: e.action.kind().label().into(),
                    by: e.by.iter().map(|b| name_of(b)).collect(),
                    state_before: procedure.state_label(&e.stage).into(),
                    state_after: procedure.state_label(&e.state).into(),
                    duty_stage: e.duty_stage.clone(),
                    post: e.post.clone(),
                    duty: e.duty.clone(),
                    details,
                }
            })
            .collect();
        let today = at.date;
        let deadlines = view
            .deadlines
            .iter()
            .map(|d| {
                let status = match d.status {
                    quanze_case::DeadlineState::Open => "open",
                    quanze_case::DeadlineState::Met => "met",
                    quanze_case::DeadlineState::Missed => "missed",
                    quanze_case::DeadlineState::Error => "error",
                };
                DeadlineRow {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    start: d.start.to_string(),
                    due: d.due.map(|x| x.to_string()),
                    days: d.days,
                    counting: quanze_casework::service::counting_id(d),
                    articles: d.articles.clone(),
                    status: status.into(),
                    urgency: urgency(status, d.due, today),
                    error: d.error.clone(),
                    holder: match d.holder {
                        quanze_case::procedure::Holder::Bureau => "bureau".into(),
                        quanze_case::procedure::Holder::Party => "party".into(),
                    },
                    unverified: d.unverified,
                }
            })
            .collect();
        let me = officer.person.clone();
        let my_role = me.as_ref().map(|p| engine_role(p.role));
        let rules = quanze_case::AccessRules::default();
        let closed = procedure.is_terminal(&view.state.state);
        let next_at = match view.state.last_at {
            Some(last) if now_at(at).is_before(&last) => last,
            _ => now_at(at),
        };
        let engine_people = engine_people(&people, me.as_ref());
        let calendar = service.calendar();
        let ctx = quanze_case::CaseContext {
            procedure: &view.procedure,
            people: &engine_people,
            calendar: &calendar,
            config: service.config(),
            law: quanze_law::registry(),
        };
        let presiders = presider_options(&people, &view.state);
        let actions = match (&me, my_role) {
            (None, _) | (_, None) | (_, Some(quanze_case::Role::Supervisor)) => Vec::new(),
            (Some(me), Some(role)) => procedure
                .allowed_in(&view.state.state)
                .into_iter()
                .filter(|id| !matches!(*id, "open" | "check"))
                .filter_map(|id| procedure.action(id))
                .filter(|def| def.roles.contains(&role))
                .filter(|def| possible_now(&ctx, &view.state, def, &me.id.0.to_string(), next_at))
                .map(|def| {
                    let duty = view.procedure.duty(&def.id);
                    let gate = rules.gate(&def.id);
                    let mut fields: Vec<FieldInfo> = action_fields(&def.id).iter().map(field_info).collect();
                    for f in fields.iter_mut().filter(|f| f.kind == "person") {
                        f.options.clone_from(&presiders);
                    }
                    PossibleAction {
                        id: def.id.clone(),
                        label: ActionKind::from_id(&def.id).map_or(def.id.as_str(), |k| k.label()).into(),
                        fields,
                        gate: gate.map(|(g, _, _)| match g {
                            quanze_case::Gate::Approve => "须本局负责人共同办理（批准）".to_string(),
                            quanze_case::Gate::Review => "须法制审核人员办理".to_string(),
                        }),
                        gate_articles: gate.map(|(_, a, _)| a.to_vec()).unwrap_or_default(),
                        duty_stage: duty.map(|d| d.stage_name.clone()),
                        post: duty.and_then(|d| d.post.clone()),
                    }
                })
                .collect(),
        };
        let on_case: Vec<PersonId> = store
            .assignments(CaseId(case))
            .await?
            .into_iter()
            .filter(|a| a.ended_at.is_none())
            .map(|a| a.person)
            .collect();
        let row = |p: &quanze_store::Person| PersonRow {
            id: p.id.0.to_string(),
            name: p.name.clone(),
            role: role_label(p.role).into(),
        };
        let assigned = people.iter().filter(|p| on_case.contains(&p.id)).map(row).collect();
        let colleagues = people
            .iter()
            .filter(|p| p.retired_at.is_none() && p.role != PersonRole::Supervisor)
            .filter(|p| me.as_ref().is_none_or(|m| m.id != p.id))
            .map(row)
            .collect();
        let item = store.item(view.record.item).await?;
        let bureau_name = store.bureau(view.record.bureau).await?.map(|b| b.name).unwrap_or_default();
        Ok(CaseDetail {
            id: view.record.id.0,
            label: view.record.label.clone(),
            bureau: view.record.bureau.0,
            bureau_name,
            item: view.record.item.0,
            item_name: item.map(|i| i.item.name).unwrap_or_default(),
            version: view.record.version.0,
            procedure: procedure.id.clone(),
            procedure_name: procedure.name.clone(),
            state: view.state.state.clone(),
            state_label: procedure.state_label(&view.state.state).into(),
            closed,
            opened_at: view.record.opened_at.clone(),
            events,
            deadlines,
            actions,
            next_at: next_at.to_string(),
            assigned,
            colleagues,
            may_read_log: me
                .as_ref()
                .is_some_and(|p| p.role == PersonRole::Supervisor && p.retired_at.is_none()),
            may_assign: me.as_ref().is_some_and(|p| {
                p.role == PersonRole::Leader && p.bureau == Some(view.record.bureau) && p.retired_at.is_none()
            }),
        })
    }
}

// ---------- listing ----------

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListFilter {
    pub bureau: Option<i64>,
    /// A person on the case (person id).
    pub officer: Option<i64>,
    pub state: Option<String>,
    /// Only cases with an open deadline due on or before this day.
    pub due_by: Option<Date>,
    /// A part of the 案号 or of the item's name.
    pub text: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// A supervision alert as 我的待办 lists it.
#[derive(Debug, Clone)]
pub(crate) struct AlertLine {
    pub case: i64,
    pub case_label: String,
    /// `notice`, `yellow`, `red` or `breach` (the row's CSS class).
    pub level: &'static str,
    pub level_label: &'static str,
    pub rule_label: String,
    /// 催办 / 督办, or empty.
    pub escalation_label: &'static str,
    pub message: String,
    pub raised_on: Date,
}

/// A case in a listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseRow {
    pub id: i64,
    pub label: String,
    pub bureau: i64,
    pub item: i64,
    pub item_name: String,
    pub procedure: String,
    pub state: String,
    pub state_label: String,
    pub opened_at: String,
    /// The nearest open deadline: its name, last day and urgency (`near`, `passed` or empty).
    pub next_deadline: Option<String>,
    pub next_due: Option<String>,
    pub urgency: String,
}

/// A page of cases.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseList {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub cases: Vec<CaseRow>,
}

impl Work {
    /// Cases the officer may read, filtered. Each listed case is a read of the case only when
    /// opened: a listing shows the 案号, the item and the state, no personal data.
    pub(crate) async fn list_cases(&self, filter: &ListFilter) -> Result<CaseList> {
        let (service, officer) = (&self.service, &self.officer);
        let Some(me) = officer.person.clone().filter(|p| p.retired_at.is_none()) else {
            return Err(CasesError::Forbidden(Refusal {
                code: "access_not_a_person".into(),
                articles: Vec::new(),
                message: "该账号未关联办案人员，不能查看案件".into(),
                unverified: false,
            }));
        };
        let store = service.store();
        // Who sees which cases: the people on them; leaders and supervisors their bureau's (a
        // supervisor of no bureau all); a legal reviewer their bureau's.
        let bureau = match (me.role, me.bureau, filter.bureau) {
            (_, Some(mine), Some(asked)) if mine.0 != asked => {
                return Ok(CaseList {
                    total: 0,
                    offset: filter.offset,
                    limit: filter.limit,
                    cases: Vec::new(),
                });
            }
            (_, Some(mine), _) => Some(mine),
            (_, None, asked) => asked.map(BureauId),
        };
        let whole_bureau =
            matches!(me.role, PersonRole::Leader | PersonRole::Supervisor | PersonRole::LegalReviewer);
        let mut records = Vec::new();
        let mut offset = 0u64;
        loop {
            let page = store
                .cases(&CaseFilter {
                    bureau,
                    state: filter.state.clone(),
                    page: Page { offset, limit: Page::MAX_LIMIT },
                })
                .await?;
            let n = page.rows.len();
            records.extend(page.rows);
            offset += n as u64;
            if n == 0 || offset >= page.total {
                break;
            }
        }
        let mine: Vec<CaseId> = store.cases_of_person(me.id).await?;
        if !whole_bureau {
            records.retain(|r| mine.contains(&r.id));
        }
        if let Some(o) = filter.officer {
            let theirs = store.cases_of_person(PersonId(o)).await?;
            records.retain(|r| theirs.contains(&r.id));
        }
        let today = self.today();
        let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let mut rows = Vec::new();
        for r in records {
            let item_name = store.item(r.item).await?.map(|i| i.item.name).unwrap_or_default();
            if let Some(t) = text
                && !r.label.contains(t)
                && !item_name.contains(t)
            {
                continue;
            }
            let deadlines = store.deadlines(r.id).await?;
            let next = deadlines
                .iter()
                .filter(|d| d.status == DeadlineStatus::Open && d.due.is_some())
                .min_by_key(|d| d.due);
            if let Some(by) = filter.due_by
                && next.and_then(|d| d.due).is_none_or(|d| d > by)
            {
                continue;
            }
            let procedure = quanze_case::procedure(&r.procedure);
            let missed = deadlines.iter().any(|d| d.status == DeadlineStatus::Missed);
            let mut u = urgency("open", next.and_then(|d| d.due), today);
            if missed {
                u = "passed".into();
            }
            rows.push(CaseRow {
                id: r.id.0,
                label: r.label.clone(),
                bureau: r.bureau.0,
                item: r.item.0,
                item_name,
                procedure: r.procedure.clone(),
                state_label: procedure.map(|p| p.state_label(&r.state).to_string()).unwrap_or_default(),
                state: r.state.clone(),
                opened_at: r.opened_at.clone(),
                next_deadline: next.map(|d| d.name.clone()).or_else(|| uncomputed(&deadlines)),
                next_due: next.and_then(|d| d.due).map(|d| d.to_string()),
                urgency: if next.is_some() || missed { u } else { String::new() },
            });
        }
        // Nearest deadline first, cases without one last, then by id.
        rows.sort_by(|a, b| {
            (a.next_due.is_none(), &a.next_due, a.id).cmp(&(b.next_due.is_none(), &b.next_due, b.id))
        });
        let total = rows.len();
        let cases = rows.into_iter().skip(filter.offset).take(filter.limit).collect();
        Ok(CaseList { total, offset: filter.offset, limit: filter.limit, cases })
    }
}

/// A deadline that cannot be computed (a year without a holiday notice) is named in the
/// listings rather than hidden: the officer must not read its absence as "no deadline".
fn uncomputed(deadlines: &[quanze_store::DeadlineRow]) -> Option<String> {
    deadlines.iter().find(|d| d.status == DeadlineStatus::Error).map(|d| format!("{}（无法计算）", d.name))
}

impl Work {
    /// 我的待办: the officer's open cases, nearest deadline first.
    /// The unresolved supervision alerts this officer sees in 我的待办 (those of the cases
    /// they handle; for a leader also the 督办 of their bureau), gravest first.
    pub(crate) async fn alerts(&self) -> Result<Vec<AlertLine>> {
        use quanze_casework::supervision as sv;
        let mut rows = sv::officer_alerts(&self.service, &self.officer).await?;
        rows.sort_by(|a, b| b.level.cmp(&a.level).then(a.raised_on.cmp(&b.raised_on)));
        Ok(rows
            .into_iter()
            .map(|r| AlertLine {
                case: r.case.0,
                case_label: r.case_label,
                level: r.level.as_str(),
                level_label: sv::level_label(r.level),
                rule_label: sv::rule_label(&r.rule).to_string(),
                escalation_label: sv::escalation_label(r.escalation),
                message: r.message,
                raised_on: r.raised_on,
            })
            .collect())
    }

    pub(crate) async fn work_list(&self) -> Result<(String, Vec<CaseRow>)> {
        let (service, officer) = (&self.service, &self.officer);
        let name = officer
            .person
            .as_ref()
            .map(|p| format!("{}（{}）", p.name, role_label(p.role)))
            .unwrap_or_default();
        let today = self.today();
        let mut rows = Vec::new();
        for w in service.work_list(officer).await? {
            let item_name = service.store().item(w.case.item).await?.map(|i| i.item.name).unwrap_or_default();
            let next = w
                .deadlines
                .iter()
                .filter(|d| d.status == DeadlineStatus::Open && d.due.is_some())
                .min_by_key(|d| d.due);
            let missed = w.deadlines.iter().any(|d| d.status == DeadlineStatus::Missed);
            let u = if missed { "passed".into() } else { urgency("open", w.next_due, today) };
            rows.push(CaseRow {
                id: w.case.id.0,
                label: w.case.label.clone(),
                bureau: w.case.bureau.0,
                item: w.case.item.0,
                item_name,
                procedure: w.case.procedure.clone(),
                state_label: quanze_case::procedure(&w.case.procedure)
                    .map(|p| p.state_label(&w.case.state).to_string())
                    .unwrap_or_default(),
                state: w.case.state.clone(),
                opened_at: w.case.opened_at.clone(),
                next_deadline: next.map(|d| d.name.clone()).or_else(|| uncomputed(&w.deadlines)),
                next_due: w.next_due.map(|d| d.to_string()),
                urgency: u,
            });
        }
        Ok((name, rows))
    }
}

// ---------- documents and the read log ----------

/// A document of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentRow {
    pub id: i64,
    pub doc_type: String,
    pub title: String,
    /// 文号, when the document has one.
    pub doc_no: Option<String>,
    pub event_seq: u64,
}

fn document_row(d: &quanze_store::StoredDocument) -> DocumentRow {
    DocumentRow {
        id: d.id.0,
        doc_type: d.doc_type.clone(),
        title: d.title.clone(),
        doc_no: d.doc_no.clone(),
        event_seq: d.event_seq,
    }
}

impl Work {
    /// A case's documents in the file's order (a recorded read).
    pub(crate) async fn documents(&self, case: i64) -> Result<Vec<DocumentRow>> {
        let (service, officer) = (&self.service, &self.officer);
        Ok(service
            .case_documents(officer, CaseId(case), self.now())
            .await?
            .iter()
            .map(document_row)
            .collect())
    }
}

impl Work {
    /// One document as a printable page (a recorded read); it must belong to `case`.
    pub(crate) async fn document_html(&self, case: i64, doc: i64) -> Result<String> {
        let (service, officer) = (&self.service, &self.officer);
        let stored = service.store().document(DocumentId(doc)).await?;
        if stored.is_none_or(|d| d.case.0 != case) {
            return Err(CasesError::NotFound(format!("案件 {case} 没有文书 {doc}")));
        }
        Ok(service.document_html(officer, DocumentId(doc), self.now()).await?)
    }
}

impl Work {
    /// The whole file (一案一卷) as one printable page (a recorded read).
    pub(crate) async fn dossier_html(&self, case: i64) -> Result<String> {
        let (service, officer) = (&self.service, &self.officer);
        Ok(service.dossier_html(officer, CaseId(case), self.now()).await?)
    }
}

/// One read of a case, as supervisors see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ReadRow {
    /// Unix seconds.
    pub at: i64,
    /// Who: the person's name, else the account id.
    pub who: String,
    /// `case`, `document`, `dossier`, `export`.
    pub purpose: String,
    pub purpose_label: String,
    pub detail: String,
    pub allowed: bool,
    pub refusal_code: Option<String>,
}

impl Work {
    /// The read log of a case (supervisors only), newest first.
    pub(crate) async fn reads(&self, case: i64) -> Result<Vec<ReadRow>> {
        let (service, officer) = (&self.service, &self.officer);
        let log = service
            .reads(officer, &ReadFilter { case: Some(CaseId(case)), page: Page::all(), ..Default::default() })
            .await?;
        let mut names: std::collections::HashMap<PersonId, String> = std::collections::HashMap::new();
        let mut out = Vec::with_capacity(log.rows.len());
        for r in log.rows {
            let who = match r.person {
                Some(p) => match names.get(&p) {
                    Some(n) => n.clone(),
                    None => {
                        let n = service
                            .store()
                            .person(p)
                            .await?
                            .map(|x| x.name)
                            .unwrap_or_else(|| p.0.to_string());
                        names.insert(p, n.clone());
                        n
                    }
                },
                None => r.user.map(|u| format!("账号 {}", u.0)).unwrap_or_else(|| "未登录".into()),
            };
            out.push(ReadRow {
                at: r.at,
                who,
                purpose: r.purpose.as_str().into(),
                purpose_label: r.purpose.label().into(),
                detail: r.detail,
                allowed: r.allowed,
                refusal_code: r.refusal_code,
            });
        }
        Ok(out)
    }
}

/// What the new-case form shows about an item.
pub(crate) struct ItemForOpening {
    pub id: i64,
    pub name: String,
    pub bureau_name: String,
    pub category: String,
    /// The procedure's id (`penalty`, `service`…): the form asks for materials only when
    /// the item is applied for.
    pub procedure: String,
    pub procedure_name: String,
    pub colleagues: Vec<PersonRow>,
    pub officer: String,
}

impl Work {
    /// The item a case would be opened under, for the form (no case data is read).
    pub(crate) async fn item_for_opening(&self, item: i64) -> Result<ItemForOpening> {
        let (service, officer) = (&self.service, &self.officer);
        let store = service.store();
        let stored = store
            .item(ItemId(item))
            .await?
            .ok_or_else(|| CasesError::NotFound(format!("事项 {item} 不存在")))?;
        let bureau_name = store.bureau(stored.bureau).await?.map(|b| b.name).unwrap_or_default();
        let people = store.people(Some(stored.bureau)).await?;
        let me = officer.person.as_ref();
        let colleagues = people
            .iter()
            .filter(|p| {
                p.retired_at.is_none()
                    && matches!(p.role, PersonRole::Officer | PersonRole::Clerk | PersonRole::Leader)
            })
            .filter(|p| me.is_none_or(|m| m.id != p.id))
            .map(|p| PersonRow {
                id: p.id.0.to_string(),
                name: p.name.clone(),
                role: role_label(p.role).into(),
            })
            .collect();
        let procedure_id = quanze_case::procedure::procedure_id_for(stored.item.category);
        let procedure = quanze_case::procedure(procedure_id);
        Ok(ItemForOpening {
            id: item,
            name: stored.item.name.clone(),
            bureau_name,
            category: stored.item.category.label().into(),
            procedure: procedure_id.to_string(),
            procedure_name: procedure.map(|p| p.name.clone()).unwrap_or_default(),
            colleagues,
            officer: me.map(|p| format!("{}（{}）", p.name, role_label(p.role))).unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_is_read_exactly_into_fen() {
        assert_eq!(parse_yuan("5000"), Some(500_000));
        assert_eq!(parse_yuan("99.5"), Some(9_950));
        assert_eq!(parse_yuan("1,000.05"), Some(100_005));
        assert_eq!(parse_yuan("1.005"), None);
        assert_eq!(parse_yuan("-3"), None);
        assert_eq!(parse_yuan(""), None);
    }

    #[test]
    fn an_action_is_read_from_its_fields_and_unknown_keys_are_refused() {
        let mut v = Values::new();
        v.insert("decision".into(), "penalty".into());
        v.insert("fine_yuan".into(), "60000".into());
        let a = build_action("decide", &v).expect("decide");
        assert_eq!(
            a,
            Action::Decide { decision: DecisionKind::Penalty, fine_fen: Some(6_000_000), base_fen: None }
        );
        v.insert("colour".into(), "red".into());
        assert!(matches!(build_action("decide", &v), Err(CasesError::Invalid(m)) if m.contains("colour")));
        let mut e = Values::new();
        e.insert("evidence".into(), "书证\n现场笔录、当事人的陈述".into());
        assert_eq!(
            build_action("investigate", &e).expect("investigate"),
            Action::Investigate {
                evidence: vec!["书证".into(), "现场笔录".into(), "当事人的陈述".into()]
            }
        );
        assert!(matches!(build_action("investigate", &Values::new()), Err(CasesError::Invalid(_))));
        assert!(matches!(build_action("fly", &Values::new()), Err(CasesError::Invalid(_))));
    }

    #[test]
    fn every_action_of_every_procedure_can_be_probed_and_the_not_now_codes_are_guards() {
        // An action the probe cannot build would always be offered, whatever its state
        // guards say.
        for p in quanze_case::procedures() {
            for a in p.actions.iter().filter(|a| !matches!(a.id.as_str(), "open" | "check")) {
                assert!(probe_action(&a.id).is_some(), "{}: {} has no probe", p.id, a.id);
            }
        }
        let codes: Vec<&str> = quanze_case::guard_specs().iter().map(|g| g.code.as_str()).collect();
        for code in NOT_NOW {
            assert!(codes.contains(&code), "{code} is not a guard of the engine");
        }
    }

    #[test]
    fn deadlines_turn_yellow_then_red() {
        let today = Date::parse("2026-11-10").expect("date");
        let d = |s: &str| Date::parse(s);
        assert_eq!(urgency("open", d("2026-11-20"), today), "");
        assert_eq!(urgency("open", d("2026-11-13"), today), "near");
        assert_eq!(urgency("open", d("2026-11-10"), today), "near");
        assert_eq!(urgency("open", d("2026-11-09"), today), "passed");
        assert_eq!(urgency("missed", d("2026-11-20"), today), "passed");
        assert_eq!(urgency("met", d("2026-11-01"), today), "");
    }
}
