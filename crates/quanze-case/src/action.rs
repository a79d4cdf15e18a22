//! What a person does in a case: the actions of the scenario contract (issue 7), each with its
//! own keys as a typed payload.
//!
//! Money arrives in 元 (`fine_yuan = 5000`, `amount_yuan = 99.5`) and is kept in integer fen.
//! Values that a guard must judge (an evidence kind, a pause reason, a blank reason) are kept as
//! given, so that a wrong value is a refusal with its article rather than a parse error.

use quanze_law::Party;
use serde::{Deserialize, Serialize};

/// A scenario step or command that cannot be read. The message is Chinese and names the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StepError {
    /// The key at fault, when one is.
    pub key: Option<String>,
    pub message: String,
}

impl StepError {
    fn key(key: &str, message: String) -> StepError {
        StepError { key: Some(key.to_string()), message }
    }
}

/// 决定类型 (行政处罚法 第五十七条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 给予行政处罚.
    Penalty,
    /// 违法行为轻微，依法可以不予行政处罚的，不予行政处罚.
    NoPenalty,
    /// 违法事实不能成立的，不予行政处罚.
    NotEstablished,
    /// 违法行为涉嫌犯罪的，移送司法机关 (or another organ).
    Transfer,
}

impl DecisionKind {
    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Penalty => "给予行政处罚",
            DecisionKind::NoPenalty => "不予行政处罚",
            DecisionKind::NotEstablished => "违法事实不能成立",
            DecisionKind::Transfer => "移送",
        }
    }
}

/// 送达方式 (行政处罚法 第六十一条; 民事诉讼法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMethod {
    /// 直接送达 (宣告后当场交付).
    Direct,
    /// 邮寄送达.
    Post,
    /// 电子送达 (传真、电子邮件等; needs a signed 确认书).
    Electronic,
    /// 公告送达.
    Notice,
}

/// Where a fine is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayTo {
    /// 指定的银行 or 电子支付系统 (罚缴分离).
    Bank,
    /// To an officer (only as 当场收缴, see `collect_on_spot`).
    Officer,
}

/// 先行登记保存 or 封存.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealKind {
    /// 封存 (条例 第二十七条(五); 行政强制 措施).
    #[default]
    Seal,
    /// 先行登记保存 (行政处罚法 第五十六条).
    Preserve,
}

/// One action with its keys. JSON: `{"action": "decide", "decision": "penalty", "fine_fen": 500000, …}`;
/// every key is always present (absent values are `null` or empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// A clue or an application received; opens the case. `item` is the scenario's item
    /// selector as given (serial, `line:N` or name), kept for the record.
    Open { item: Option<String>, party: Party, complete: Option<bool>, missing: Vec<String> },
    /// 立案.
    Register {},
    /// 不予立案.
    Decline { reason: Option<String> },
    /// 调查取证, with the evidence kinds obtained (行政处罚法 第四十六条).
    Investigate { evidence: Vec<String> },
    /// 先行登记保存 / 封存; `scene_record` is the 现场笔录's number or title.
    Seal { kind: SealKind, scene_record: Option<String> },
    /// 延长封存期限.
    ExtendSeal { days: Option<u32> },
    /// 解除封存 / 先行登记保存的处理决定.
    ReleaseSeal {},
    /// 调查终结; `major` marks 情节复杂或者重大违法行为 (集体讨论, 法制审核).
    Conclude { major: bool },
    /// 法制审核 with its opinion (`pass`/`同意`/`通过` passes; anything else does not).
    LegalReview { opinion: String },
    /// 告知 拟作出的行政处罚.
    Notify { fine_fen: Option<i64>, base_fen: Option<i64> },
    /// 陈述、申辩 (recorded for the party).
    Statement { text: Option<String> },
    /// 放弃陈述、申辩和听证.
    Waive {},
    /// 要求听证.
    RequestHearing {},
    /// 举行听证.
    HoldHearing { presider: Option<String> },
    /// 集体讨论.
    Discuss { conclusion: Option<String> },
    /// 作出决定.
    Decide { decision: DecisionKind, fine_fen: Option<i64>, base_fen: Option<i64> },
    /// 送达决定书.
    Serve { method: ServiceMethod, consent: bool },
    /// 缴纳罚款 (recorded for the party).
    Pay { amount_fen: i64, receipt: Option<String>, to: PayTo },
    /// 当场收缴罚款.
    CollectOnSpot { amount_fen: i64, receipt: Option<String> },
    /// 简易程序 当场作出行政处罚决定.
    SimpleDecide { fine_fen: i64 },
    /// 受理.
    Accept {},
    /// 不予受理.
    Reject { reason: Option<String> },
    /// 一次性告知补正材料.
    RequestMaterials { missing: Vec<String> },
    /// 审核.
    Review {},
    /// 准予 / 批准 (an amount for payments and rewards).
    Approve { amount_fen: Option<i64> },
    /// 不予批准.
    Deny { reason: Option<String> },
    /// 检查.
    Inspect {},
    /// 处置.
    Dispose { measure: Option<String> },
    /// 移送.
    Transfer { to: Option<String> },
    /// 发放奖励.
    Award { amount_fen: i64 },
    /// 暂停计时 (听证、公告、检测、检验、鉴定、专家评审).
    Pause { reason: String },
    /// 恢复计时.
    Resume {},
    /// 延长期限 (经负责人批准).
    Extend { days: u32, reason: Option<String> },
    /// 结案 / 办结.
    Close {},
    /// Changes nothing: deadlines are evaluated at the step's date.
    Check {},
    /// 公示 (举报奖励).
    Publish {},
    /// 整改核查.
    Recheck {},
    /// 催告 (行政强制法 第五十四条).
    Demand {},
    /// 申请人民法院强制执行 (行政强制法 第五十三、五十四条).
    CourtEnforce {},
}

/// Every action id, in the order of the contract (extras last).
pub const ACTION_IDS: [&str; 39] = [
    "open",
    "register",
    "decline",
    "investigate",
    "seal",
    "extend_seal",
    "release_seal",
    "conclude",
    "legal_review",
    "notify",
    "statement",
    "waive",
    "request_hearing",
    "hold_hearing",
    "discuss",
    "decide",
    "serve",
    "pay",
    "collect_on_spot",
    "simple_decide",
    "accept",
    "reject",
    "request_materials",
    "review",
    "approve",
    "deny",
    "inspect",
    "dispose",
    "transfer",
    "award",
    "pause",
    "resume",
    "extend",
    "close",
    "check",
    "publish",
    "recheck",
    "demand",
    "court_enforce",
];

/// An action's kind without its payload: an index into [`ACTION_IDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionKind(pub u8);

impl ActionKind {
    pub const COUNT: usize = ACTION_IDS.len();

    pub fn from_id(id: &str) -> Option<ActionKind> {
        ACTION_IDS.iter().position(|a| *a == id).map(|i| ActionKind(i as u8))
    }
    pub fn id(self) -> &'static str {
        ACTION_IDS.get(usize::from(self.0)).copied().unwrap_or("?")
    }
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
    /// The Chinese name of the action.
    pub fn label(self) -> &'static str {
        ACTION_LABELS.get(usize::from(self.0)).copied().unwrap_or("?")
    }
}

const ACTION_LABELS: [&str; 39] = [
    "收件/立卷",
    "立案",
    "不予立案",
    "调查取证",
    "封存/先行登记保存",
    "延长封存期限",
    "解除封存",
    "调查终结",
    "法制审核",
    "告知",
    "陈述申辩",
    "放弃陈述申辩和听证",
    "要求听证",
    "举行听证",
    "集体讨论",
    "作出决定",
    "送达",
    "缴纳罚款",
    "当场收缴",
    "当场处罚",
    "受理",
    "不予受理",
    "一次性告知补正",
    "审核",
    "批准",
    "不予批准",
    "检查",
    "处置",
    "移送",
    "发放奖励",
    "暂停计时",
    "恢复计时",
    "延长期限",
    "结案/办结",
    "检查期限",
    "公示",
    "整改核查",
    "催告",
    "申请法院强制执行",
];

/// Keys of a scenario step that belong to the step, not to the action.
const STEP_KEYS: [&str; 4] = ["at", "by", "case", "action"];

impl Action {
    pub fn kind(&self) -> ActionKind {
        let id = self.id();
        ActionKind::from_id(id).unwrap_or(ActionKind(0))
    }

    /// The action's stable id (`decide`).
    pub fn id(&self) -> &'static str {
        match self {
            Action::Open { .. } => "open",
            Action::Register {} => "register",
            Action::Decline { .. } => "decline",
            Action::Investigate { .. } => "investigate",
            Action::Seal { .. } => "seal",
            Action::ExtendSeal { .. } => "extend_seal",
            Action::ReleaseSeal {} => "release_seal",
            Action::Conclude { .. } => "conclude",
            Action::LegalReview { .. } => "legal_review",
            Action::Notify { .. } => "notify",
            Action::Statement { .. } => "statement",
            Action::Waive {} => "waive",
            Action::RequestHearing {} => "request_hearing",
            Action::HoldHearing { .. } => "hold_hearing",
            Action::Discuss { .. } => "discuss",
            Action::Decide { .. } => "decide",
            Action::Serve { .. } => "serve",
            Action::Pay { .. } => "pay",
            Action::CollectOnSpot { .. } => "collect_on_spot",
            Action::SimpleDecide { .. } => "simple_decide",
            Action::Accept {} => "accept",
            Action::Reject { .. } => "reject",
            Action::RequestMaterials { .. } => "request_materials",
            Action::Review {} => "review",
            Action::Approve { .. } => "approve",
            Action::Deny { .. } => "deny",
            Action::Inspect {} => "inspect",
            Action::Dispose { .. } => "dispose",
            Action::Transfer { .. } => "transfer",
            Action::Award { .. } => "award",
            Action::Pause { .. } => "pause",
            Action::Resume {} => "resume",
            Action::Extend { .. } => "extend",
            Action::Close {} => "close",
            Action::Check {} => "check",
            Action::Publish {} => "publish",
            Action::Recheck {} => "recheck",
            Action::Demand {} => "demand",
            Action::CourtEnforce {} => "court_enforce",
        }
    }

    /// An action with no keys (`register`, `close`…) or the keys' defaults; `None` for an
    /// unknown id or one whose keys are required.
    pub fn bare(id: &str) -> Option<Action> {
        Action::from_step(id, &toml::Table::new()).ok()
    }

    /// Read a scenario step: `action` is the step's `action` value, `keys` the step's table
    /// (the step keys `at`, `by`, `case` and `action` are ignored). Unknown actions, unknown
    /// keys and values of the wrong type are errors naming the key, in Chinese.
    pub fn from_step(action: &str, keys: &toml::Table) -> Result<Action, StepError> {
        let allowed: &[&str] = match action {
            "open" => &["item", "party", "complete", "missing"],
            "decline" | "reject" | "deny" => &["reason"],
            "investigate" => &["evidence"],
            "seal" => &["kind", "scene_record"],
            "extend_seal" => &["days"],
            "conclude" => &["major"],
            "legal_review" => &["opinion"],
            "notify" => &["fine_yuan", "base_yuan"],
            "statement" => &["text"],
            "hold_hearing" => &["presider"],
            "discuss" => &["conclusion"],
            "decide" => &["decision", "fine_yuan", "base_yuan"],
            "serve" => &["method", "consent"],
            "pay" => &["amount_yuan", "receipt", "to"],
            "collect_on_spot" => &["amount_yuan", "receipt"],
            "simple_decide" => &["fine_yuan"],
            "request_materials" => &["missing"],
            "approve" => &["amount_yuan"],
            "dispose" => &["measure"],
            "transfer" => &["to"],
            "award" => &["amount_yuan"],
            "pause" => &["reason"],
            "extend" => &["days", "reason"],
            other if ActionKind::from_id(other).is_some() => &[],
            other => {
                return Err(StepError {
                    key: Some("action".into()),
                    message: format!("未知的操作「{other}」；可用的操作：{}", ACTION_IDS.join("、")),
                });
            }
        };
        for k in keys.keys() {
            if !allowed.contains(&k.as_str()) && !STEP_KEYS.contains(&k.as_str()) {
                let hint = if allowed.is_empty() {
                    "该操作没有参数".to_string()
                } else {
                    format!("可用的参数：{}", allowed.join("、"))
                };
                return Err(StepError::key(k, format!("操作「{action}」不认识参数「{k}」；{hint}")));
            }
        }
        let r = Reader { keys };
        Ok(match action {
            "open" => Action::Open {
                item: r.item("item")?,
                party: r.party("party")?,
                complete: r.opt_bool("complete")?,
                missing: r.strings("missing")?,
            },
            "register" => Action::Register {},
            "decline" => Action::Decline { reason: r.opt_str("reason")? },
            "investigate" => Action::Investigate { evidence: r.strings("evidence")? },
            "seal" => Action::Seal {
                kind: match r.opt_str("kind")?.as_deref() {
                    None | Some("seal") | Some("封存") => SealKind::Seal,
                    Some("preserve") | Some("先行登记保存") => SealKind::Preserve,
                    Some(v) => return Err(bad_value("kind", v, "seal、preserve")),
                },
                scene_record: r.opt_str("scene_record")?,
            },
            "extend_seal" => Action::ExtendSeal { days: r.opt_u32("days")? },
            "release_seal" => Action::ReleaseSeal {},
            "conclude" => Action::Conclude { major: r.opt_bool("major")?.unwrap_or(false) },
            "legal_review" => Action::LegalReview { opinion: r.req_str("opinion")? },
            "notify" => {
                Action::Notify { fine_fen: r.opt_fen("fine_yuan")?, base_fen: r.opt_fen("base_yuan")? }
            }
            "statement" => Action::Statement { text: r.opt_str("text")? },
            "waive" => Action::Waive {},
            "request_hearing" => Action::RequestHearing {},
            "hold_hearing" => Action::HoldHearing { presider: r.opt_str("presider")? },
            "discuss" => Action::Discuss { conclusion: r.opt_str("conclusion")? },
            "decide" => Action::Decide {
                decision: match r.req_str("decision")?.as_str() {
                    "penalty" => DecisionKind::Penalty,
                    "no_penalty" => DecisionKind::NoPenalty,
                    "not_established" => DecisionKind::NotEstablished,
                    "transfer" => DecisionKind::Transfer,
                    v => {
                        return Err(bad_value(
                            "decision",
                            v,
                            "penalty、no_penalty、not_established、transfer",
                        ));
                    }
                },
                fine_fen: r.opt_fen("fine_yuan")?,
                base_fen: r.opt_fen("base_yuan")?,
            },
            "serve" => Action::Serve {
                method: match r.req_str("method")?.as_str() {
                    "direct" => ServiceMethod::Direct,
                    "post" => ServiceMethod::Post,
                    "electronic" => ServiceMethod::Electronic,
                    "notice" => ServiceMethod::Notice,
                    v => return Err(bad_value("method", v, "direct、post、electronic、notice")),
                },
                consent: r.opt_bool("consent")?.unwrap_or(false),
            },
            "pay" => Action::Pay {
                amount_fen: r.req_fen("amount_yuan")?,
                receipt: r.opt_str("receipt")?,
                to: match r.opt_str("to")?.as_deref() {
                    None | Some("bank") => PayTo::Bank,
                    Some("officer") => PayTo::Officer,
                    Some(v) => return Err(bad_value("to", v, "bank、officer")),
                },
            },
            "collect_on_spot" => Action::CollectOnSpot {
                amount_fen: r.req_fen("amount_yuan")?,
                receipt: r.opt_str("receipt")?,
            },
            "simple_decide" => Action::SimpleDecide { fine_fen: r.req_fen("fine_yuan")? },
            "accept" => Action::Accept {},
            "reject" => Action::Reject { reason: r.opt_str("reason")? },
            "request_materials" => Action::RequestMaterials { missing: r.strings("missing")? },
            "review" => Action::Review {},
            "approve" => Action::Approve { amount_fen: r.opt_fen("amount_yuan")? },
            "deny" => Action::Deny { reason: r.opt_str("reason")? },
            "inspect" => Action::Inspect {},
            "dispose" => Action::Dispose { measure: r.opt_str("measure")? },
            "transfer" => Action::Transfer { to: r.opt_str("to")? },
            "award" => Action::Award { amount_fen: r.req_fen("amount_yuan")? },
            "pause" => Action::Pause { reason: r.req_str("reason")? },
            "resume" => Action::Resume {},
            "extend" => Action::Extend {
                days: r.opt_u32("days")?.ok_or_else(|| {
                    StepError::key("days", "操作「extend」缺少参数「days」（延长的天数）".into())
                })?,
                reason: r.opt_str("reason")?,
            },
            "close" => Action::Close {},
            "check" => Action::Check {},
            "publish" => Action::Publish {},
            "recheck" => Action::Recheck {},
            "demand" => Action::Demand {},
            _ => Action::CourtEnforce {},
        })
    }
}

fn bad_value(key: &str, v: &str, allowed: &str) -> StepError {
    StepError::key(key, format!("参数「{key}」的值「{v}」无效；应为：{allowed}"))
}

struct Reader<'a> {
    keys: &'a toml::Table,
}

impl Reader<'_> {
    fn type_error(key: &str, want: &str) -> StepError {
        StepError::key(key, format!("参数「{key}」应为{want}"))
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, StepError> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Self::type_error(key, "文本")),
        }
    }

    fn req_str(&self, key: &str) -> Result<String, StepError> {
        self.opt_str(key)?.ok_or_else(|| StepError::key(key, format!("缺少参数「{key}」")))
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>, StepError> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(toml::Value::Boolean(b)) => Ok(Some(*b)),
            Some(_) => Err(Self::type_error(key, "true 或 false")),
        }
    }

    fn opt_u32(&self, key: &str) -> Result<Option<u32>, StepError> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(toml::Value::Integer(i)) => {
                u32::try_from(*i).map(Some).map_err(|_| Self::type_error(key, "非负整数"))
            }
            Some(_) => Err(Self::type_error(key, "非负整数")),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, StepError> {
        match self.keys.get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::String(s)) => Ok(vec![s.clone()]),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    toml::Value::String(s) => Ok(s.clone()),
                    _ => Err(Self::type_error(key, "文本列表")),
                })
                .collect(),
            Some(_) => Err(Self::type_error(key, "文本列表")),
        }
    }

    fn item(&self, key: &str) -> Result<Option<String>, StepError> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(toml::Value::Integer(i)) => Ok(Some(i.to_string())),
            Some(_) => Err(Self::type_error(key, "序号、\"line:N\" 或事项名称")),
        }
    }

    fn party(&self, key: &str) -> Result<Party, StepError> {
        match self.opt_str(key)? {
            None => Ok(Party::Unit),
            Some(s) => Party::from_id(&s).ok_or_else(|| bad_value(key, &s, "unit、individual")),
        }
    }

    fn opt_fen(&self, key: &str) -> Result<Option<i64>, StepError> {
        let text = match self.keys.get(key) {
            None => return Ok(None),
            Some(toml::Value::Integer(i)) => i.to_string(),
            // A float's shortest round-trip text is what the author wrote (99.5, 0.1).
            Some(toml::Value::Float(f)) if f.is_finite() => f.to_string(),
            Some(toml::Value::String(s)) => s.clone(),
            Some(_) => return Err(Self::type_error(key, "金额（元，最多两位小数）")),
        };
        quanze_law::parse_yuan(&text).map(Some).map_err(|_| {
            StepError::key(key, format!("参数「{key}」的金额「{text}」无效：应为不小于0、最多两位小数的元"))
        })
    }

    fn req_fen(&self, key: &str) -> Result<i64, StepError> {
        self.opt_fen(key)?.ok_or_else(|| StepError::key(key, format!("缺少参数「{key}」（金额，元）")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    fn table(s: &str) -> toml::Table {
        s.parse().unwrap()
    }

    #[test]
    fn every_id_reads_back_with_its_kind() {
        for id in ACTION_IDS {
            let keys = match id {
                "legal_review" => table("opinion = \"同意\""),
                "decide" => table("decision = \"penalty\""),
                "serve" => table("method = \"direct\""),
                "pay" | "collect_on_spot" | "award" => table("amount_yuan = 1"),
                "simple_decide" => table("fine_yuan = 1"),
                "pause" => table("reason = \"鉴定\""),
                "extend" => table("days = 30"),
                _ => toml::Table::new(),
            };
            let a = Action::from_step(id, &keys).unwrap();
            assert_eq!(a.id(), id);
            assert_eq!(a.kind().id(), id);
            let json = serde_json::to_string(&a).unwrap();
            let back: Action = serde_json::from_str(&json).unwrap();
            assert_eq!(back, a);
        }
    }

    #[test]
    fn money_in_yuan_becomes_fen() {
        let a =
            Action::from_step("decide", &table("decision = \"penalty\"\nfine_yuan = 5000.5\nbase_yuan = 12"))
                .unwrap();
        assert_eq!(
            a,
            Action::Decide { decision: DecisionKind::Penalty, fine_fen: Some(500_050), base_fen: Some(1200) }
        );
        let e = Action::from_step("pay", &table("amount_yuan = 1.234")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("amount_yuan"));
    }

    #[test]
    fn unknown_actions_and_keys_are_named() {
        let e = Action::from_step("fly", &toml::Table::new()).unwrap_err();
        assert!(e.message.contains("fly"), "{e}");
        let e = Action::from_step("decide", &table("decision = \"penalty\"\nfine = 1")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("fine"));
        assert!(e.message.contains("fine"));
        let e = Action::from_step("serve", &table("method = \"pigeon\"")).unwrap_err();
        assert!(e.message.contains("pigeon"));
        // Step keys are not action keys.
        assert!(Action::from_step("close", &table("at = \"2026-01-05\"\ncase = \"A\"\nby = \"x\"")).is_ok());
    }
}
