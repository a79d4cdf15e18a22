//! Sanctions and procedural figures as data (`data/sanctions.toml`, `data/procedure.toml`),
//! embedded in the crate and parsed once.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;

/// Facts an officer establishes that switch legal consequences on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// 造成(医疗保障)基金损失.
    LossCaused,
    /// 拒不改正 / 逾期不改正 / 逾期仍不缴纳.
    RefusesCorrection,
    /// 情节严重 / 造成严重后果.
    Serious,
    /// 情节特别严重.
    EspeciallySerious,
    /// 以骗取医疗保障基金为目的 (条例 41 第二款).
    FraudIntent,
    /// 中标 (基本医疗卫生与健康促进法 103).
    BidWon,
    /// 属于社会保险服务机构.
    ServiceProvider,
    /// 属于定点医药机构.
    DesignatedProvider,
    /// 属于参保人员.
    Insured,
    /// 有执业资格.
    Licensed,
    /// 有违法所得.
    IllegalIncome,
    /// 造成基金重大损失或者其他严重不良社会影响 (条例 43).
    MajorLoss,
    /// 迟延缴纳.
    LatePayment,
    /// 涉及公民生命健康安全、金融安全且有危害后果 (行政处罚法 36: five-year limitation).
    LifeHealthHarm,
}

impl Condition {
    pub const ALL: [Condition; 14] = [
        Condition::LossCaused,
        Condition::RefusesCorrection,
        Condition::Serious,
        Condition::EspeciallySerious,
        Condition::FraudIntent,
        Condition::BidWon,
        Condition::ServiceProvider,
        Condition::DesignatedProvider,
        Condition::Insured,
        Condition::Licensed,
        Condition::IllegalIncome,
        Condition::MajorLoss,
        Condition::LatePayment,
        Condition::LifeHealthHarm,
    ];

    /// snake_case id, as in JSON and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Condition::LossCaused => "loss_caused",
            Condition::RefusesCorrection => "refuses_correction",
            Condition::Serious => "serious",
            Condition::EspeciallySerious => "especially_serious",
            Condition::FraudIntent => "fraud_intent",
            Condition::BidWon => "bid_won",
            Condition::ServiceProvider => "service_provider",
            Condition::DesignatedProvider => "designated_provider",
            Condition::Insured => "insured",
            Condition::Licensed => "licensed",
            Condition::IllegalIncome => "illegal_income",
            Condition::MajorLoss => "major_loss",
            Condition::LatePayment => "late_payment",
            Condition::LifeHealthHarm => "life_health_harm",
        }
    }

    /// The statute's words for the condition.
    pub fn label(self) -> &'static str {
        match self {
            Condition::LossCaused => "造成基金损失",
            Condition::RefusesCorrection => "拒不改正（逾期不改正）",
            Condition::Serious => "情节严重（造成严重后果）",
            Condition::EspeciallySerious => "情节特别严重",
            Condition::FraudIntent => "以骗取基金为目的",
            Condition::BidWon => "中标",
            Condition::ServiceProvider => "属于社会保险服务机构",
            Condition::DesignatedProvider => "属于定点医药机构",
            Condition::Insured => "属于参保人员",
            Condition::Licensed => "有执业资格",
            Condition::IllegalIncome => "有违法所得",
            Condition::MajorLoss => "造成基金重大损失或者其他严重不良社会影响",
            Condition::LatePayment => "迟延缴纳",
            Condition::LifeHealthHarm => "涉及公民生命健康安全、金融安全且有危害后果",
        }
    }

    pub fn from_id(s: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.id() == s.trim())
    }
}

impl std::str::FromStr for Condition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Condition::from_id(s).ok_or_else(|| {
            format!(
                "unknown condition {s:?}; one of: {}",
                Condition::ALL.iter().map(|c| c.id()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// Who a sanction article is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyScope {
    Unit,
    Individual,
    Any,
}

/// Who a component falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The unit or person liable.
    #[default]
    Party,
    /// 直接负责的主管人员和其他直接责任人员 (法定代表人, 主要负责人…).
    ResponsiblePerson,
    /// Persons with a professional licence (执业资格).
    Professional,
}

impl Target {
    pub fn label(self) -> &'static str {
        match self {
            Target::Party => "当事人",
            Target::ResponsiblePerson => "直接负责的主管人员和其他直接责任人员",
            Target::Professional => "有执业资格的人员",
        }
    }
}

// The tag of a `Consequence`, as the data and the result's `measures[].kind` write it (the
// doc line below is the committed schema's description).
/// Kind of legal consequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    OrderCorrection,
    Interview,
    Restitution,
    Recover,
    Confiscate,
    Discipline,
    StopAssistance,
    BidVoid,
    TerminateAgreement,
    RevokeLicense,
    Referral,
    PayeeRule,
    FineRatio,
    FineFixed,
    FineShare,
    LateFeeDaily,
    Suspension,
    Ban,
    BidDisqualification,
}

// `ALL` lists every kind: a kind added after the last one without being listed fails here.
const _: () = assert!(ComponentKind::ALL.len() == ComponentKind::BidDisqualification as usize + 1);

impl ComponentKind {
    pub const ALL: [ComponentKind; 19] = [
        ComponentKind::OrderCorrection,
        ComponentKind::Interview,
        ComponentKind::Restitution,
        ComponentKind::Recover,
        ComponentKind::Confiscate,
        ComponentKind::Discipline,
        ComponentKind::StopAssistance,
        ComponentKind::BidVoid,
        ComponentKind::TerminateAgreement,
        ComponentKind::RevokeLicense,
        ComponentKind::Referral,
        ComponentKind::PayeeRule,
        ComponentKind::FineRatio,
        ComponentKind::FineFixed,
        ComponentKind::FineShare,
        ComponentKind::LateFeeDaily,
        ComponentKind::Suspension,
        ComponentKind::Ban,
        ComponentKind::BidDisqualification,
    ];

    /// snake_case id, as in the data and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            ComponentKind::OrderCorrection => "order_correction",
            ComponentKind::Interview => "interview",
            ComponentKind::Restitution => "restitution",
            ComponentKind::Recover => "recover",
            ComponentKind::Confiscate => "confiscate",
            ComponentKind::Discipline => "discipline",
            ComponentKind::StopAssistance => "stop_assistance",
            ComponentKind::BidVoid => "bid_void",
            ComponentKind::TerminateAgreement => "terminate_agreement",
            ComponentKind::RevokeLicense => "revoke_license",
            ComponentKind::Referral => "referral",
            ComponentKind::PayeeRule => "payee_rule",
            ComponentKind::FineRatio => "fine_ratio",
            ComponentKind::FineFixed => "fine_fixed",
            ComponentKind::FineShare => "fine_share",
            ComponentKind::LateFeeDaily => "late_fee_daily",
            ComponentKind::Suspension => "suspension",
            ComponentKind::Ban => "ban",
            ComponentKind::BidDisqualification => "bid_disqualification",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ComponentKind::OrderCorrection => "责令改正",
            ComponentKind::Interview => "约谈有关负责人",
            ComponentKind::Restitution => "责令退回",
            ComponentKind::Recover => "责令追回",
            ComponentKind::Confiscate => "没收违法所得",
            ComponentKind::Discipline => "依法给予处分",
            ComponentKind::StopAssistance => "停止社会救助",
            ComponentKind::BidVoid => "中标无效",
            ComponentKind::TerminateAgreement => "解除服务协议",
            ComponentKind::RevokeLicense => "吊销执业资格",
            ComponentKind::Referral => "移送/由有关部门依法处理",
            ComponentKind::PayeeRule => "收缴去向",
            ComponentKind::FineRatio | ComponentKind::FineFixed | ComponentKind::FineShare => "罚款",
            ComponentKind::LateFeeDaily => "滞纳金",
            ComponentKind::Suspension => "暂停",
            ComponentKind::Ban => "禁止从业",
            ComponentKind::BidDisqualification => "取消投标资格",
        }
    }

    /// The figures a component of this kind carries in the data, each required, and no other.
    pub fn figures(self) -> &'static [&'static str] {
        match self {
            ComponentKind::FineRatio | ComponentKind::FineShare => &["min", "max"],
            ComponentKind::FineFixed => &["min_yuan", "max_yuan"],
            ComponentKind::LateFeeDaily => &["rate"],
            ComponentKind::Suspension => &["min_months", "max_months", "what"],
            ComponentKind::Ban => &["years", "what"],
            ComponentKind::BidDisqualification => &["min_years", "max_years"],
            ComponentKind::OrderCorrection
            | ComponentKind::Interview
            | ComponentKind::Restitution
            | ComponentKind::Recover
            | ComponentKind::Confiscate
            | ComponentKind::Discipline
            | ComponentKind::StopAssistance
            | ComponentKind::BidVoid
            | ComponentKind::TerminateAgreement
            | ComponentKind::RevokeLicense
            | ComponentKind::Referral
            | ComponentKind::PayeeRule => &[],
        }
    }

    pub fn is_fine(self) -> bool {
        matches!(self, ComponentKind::FineRatio | ComponentKind::FineFixed | ComponentKind::FineShare)
    }

    /// Heavy measures: they exclude the 简易程序 and give a right to a hearing.
    pub fn is_heavy(self) -> bool {
        matches!(
            self,
            ComponentKind::Suspension
                | ComponentKind::TerminateAgreement
                | ComponentKind::RevokeLicense
                | ComponentKind::Ban
                | ComponentKind::BidDisqualification
        )
    }
}

/// A decimal multiple or rate of the data ("2", "0.005") with its exact value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multiple {
    /// As the data writes it.
    pub text: String,
    /// Numerator and denominator.
    pub ratio: (i128, i128),
}

impl Multiple {
    fn parse(field: &str, text: String) -> Result<Multiple, String> {
        match parse_ratio(&text) {
            Some(ratio) => Ok(Multiple { text, ratio }),
            None => Err(format!("{field} = {text:?} is not a decimal")),
        }
    }

    /// Whether this multiple is at most `other`.
    fn at_most(&self, other: &Multiple) -> bool {
        self.ratio.0 * other.ratio.1 <= other.ratio.0 * self.ratio.1
    }
}

/// What a component does, with exactly the figures its kind carries: a kind without figures
/// carries none, a fine by multiples its two multiples, a suspension its months and what is
/// suspended. The data cannot give a kind a figure it has no use for, nor leave one out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consequence {
    /// 责令改正.
    OrderCorrection,
    /// 约谈有关负责人.
    Interview,
    /// 责令退回.
    Restitution,
    /// 责令追回.
    Recover,
    /// 没收违法所得.
    Confiscate,
    /// 依法给予处分.
    Discipline,
    /// 停止社会救助.
    StopAssistance,
    /// 中标无效.
    BidVoid,
    /// 解除服务协议.
    TerminateAgreement,
    /// 吊销执业资格.
    RevokeLicense,
    /// 移送 / 由有关部门依法处理.
    Referral,
    /// Where collected money goes (收缴去向).
    PayeeRule,
    /// 处…金额N倍以上M倍以下的罚款: multiples of the article's base.
    FineRatio { min: Multiple, max: Multiple },
    /// 处N元以上M元以下的罚款.
    FineFixed { min_yuan: i64, max_yuan: i64 },
    /// 处对单位罚款数额百分之N以上百分之M以下的罚款: a share of the fine on the unit.
    FineShare { min: Multiple, max: Multiple },
    /// 按日加收万分之N的滞纳金.
    LateFeeDaily { rate: Multiple },
    /// 暂停…N个月以上M年以下 (in months).
    Suspension { min_months: u32, max_months: u32, what: String },
    /// N年内禁止从事….
    Ban { years: u32, what: String },
    /// 取消N年至M年的投标资格.
    BidDisqualification { min_years: u32, max_years: u32 },
}

impl Consequence {
    pub fn kind(&self) -> ComponentKind {
        match self {
            Consequence::OrderCorrection => ComponentKind::OrderCorrection,
            Consequence::Interview => ComponentKind::Interview,
            Consequence::Restitution => ComponentKind::Restitution,
            Consequence::Recover => ComponentKind::Recover,
            Consequence::Confiscate => ComponentKind::Confiscate,
            Consequence::Discipline => ComponentKind::Discipline,
            Consequence::StopAssistance => ComponentKind::StopAssistance,
            Consequence::BidVoid => ComponentKind::BidVoid,
            Consequence::TerminateAgreement => ComponentKind::TerminateAgreement,
            Consequence::RevokeLicense => ComponentKind::RevokeLicense,
            Consequence::Referral => ComponentKind::Referral,
            Consequence::PayeeRule => ComponentKind::PayeeRule,
            Consequence::FineRatio { .. } => ComponentKind::FineRatio,
            Consequence::FineFixed { .. } => ComponentKind::FineFixed,
            Consequence::FineShare { .. } => ComponentKind::FineShare,
            Consequence::LateFeeDaily { .. } => ComponentKind::LateFeeDaily,
            Consequence::Suspension { .. } => ComponentKind::Suspension,
            Consequence::Ban { .. } => ComponentKind::Ban,
            Consequence::BidDisqualification { .. } => ComponentKind::BidDisqualification,
        }
    }
}

/// One legal consequence of a sanction article: what it is, with its figures
/// ([`Consequence`]), and what every kind has (on whom, under which conditions, in which words).
///
/// Loaded from the data's flat tables; a component missing a figure its kind needs, or
/// carrying one it must not have, fails when the data loads, naming the statute, the article
/// and the component — never halfway through a computation.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub consequence: Consequence,
    pub target: Target,
    /// Paragraph (款) of the article, when not the sanction's own.
    pub paragraph: Option<u32>,
    /// Conditions that must all hold.
    pub when: Vec<Condition>,
    /// Conditions of which one must hold (none given: no such requirement).
    pub when_any: Vec<Condition>,
    /// Conditions none of which may hold.
    pub unless: Vec<Condition>,
    /// The statute's words for this consequence.
    pub text: String,
}

/// A component as the data file writes it: one flat table, the kind's figures among optional
/// fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    kind: ComponentKind,
    #[serde(default)]
    target: Target,
    paragraph: Option<u32>,
    min: Option<String>,
    max: Option<String>,
    min_yuan: Option<i64>,
    max_yuan: Option<i64>,
    rate: Option<String>,
    min_months: Option<u32>,
    max_months: Option<u32>,
    years: Option<u32>,
    min_years: Option<u32>,
    max_years: Option<u32>,
    what: Option<String>,
    #[serde(default)]
    when: Vec<Condition>,
    #[serde(default)]
    when_any: Vec<Condition>,
    #[serde(default)]
    unless: Vec<Condition>,
    text: String,
}

/// A figure the kind needs, or the error naming it.
fn need<T>(kind: ComponentKind, field: &str, value: Option<T>) -> Result<T, String> {
    value.ok_or_else(|| format!("a {} component needs `{field}`", kind.id()))
}

impl RawComponent {
    /// The figures given, by field name.
    fn given(&self) -> [(&'static str, bool); 11] {
        [
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
            ("min_yuan", self.min_yuan.is_some()),
            ("max_yuan", self.max_yuan.is_some()),
            ("rate", self.rate.is_some()),
            ("min_months", self.min_months.is_some()),
            ("max_months", self.max_months.is_some()),
            ("years", self.years.is_some()),
            ("min_years", self.min_years.is_some()),
            ("max_years", self.max_years.is_some()),
            ("what", self.what.is_some()),
        ]
    }

    /// The typed component, or what is missing, extra or wrong.
    fn into_component(self) -> Result<Component, String> {
        let kind = self.kind;
        if let Some((field, _)) =
            self.given().into_iter().find(|(f, set)| *set && !kind.figures().contains(f))
        {
            return Err(format!("a {} component has no `{field}`", kind.id()));
        }
        let ordered = |lo_le_hi: bool, what: &str| {
            if lo_le_hi { Ok(()) } else { Err(format!("{}: {what} min is above max", kind.id())) }
        };
        let multiples = |min: Option<String>, max: Option<String>| -> Result<(Multiple, Multiple), String> {
            let min = Multiple::parse("min", need(kind, "min", min)?)?;
            let max = Multiple::parse("max", need(kind, "max", max)?)?;
            ordered(min.at_most(&max), "multiple")?;
            Ok((min, max))
        };
        let consequence = match kind {
            ComponentKind::OrderCorrection => Consequence::OrderCorrection,
            ComponentKind::Interview => Consequence::Interview,
            ComponentKind::Restitution => Consequence::Restitution,
            ComponentKind::Recover => Consequence::Recover,
            ComponentKind::Confiscate => Consequence::Confiscate,
            ComponentKind::Discipline => Consequence::Discipline,
            ComponentKind::StopAssistance => Consequence::StopAssistance,
            ComponentKind::BidVoid => Consequence::BidVoid,
            ComponentKind::TerminateAgreement => Consequence::TerminateAgreement,
            ComponentKind::RevokeLicense => Consequence::RevokeLicense,
            ComponentKind::Referral => Consequence::Referral,
            ComponentKind::PayeeRule => Consequence::PayeeRule,
            ComponentKind::FineRatio => {
                let (min, max) = multiples(self.min, self.max)?;
                Consequence::FineRatio { min, max }
            }
            ComponentKind::FineShare => {
                let (min, max) = multiples(self.min, self.max)?;
                Consequence::FineShare { min, max }
            }
            ComponentKind::FineFixed => {
                let min_yuan = need(kind, "min_yuan", self.min_yuan)?;
                let max_yuan = need(kind, "max_yuan", self.max_yuan)?;
                ordered(0 <= min_yuan && min_yuan <= max_yuan, "yuan")?;
                Consequence::FineFixed { min_yuan, max_yuan }
            }
            ComponentKind::LateFeeDaily => {
                Consequence::LateFeeDaily { rate: Multiple::parse("rate", need(kind, "rate", self.rate)?)? }
            }
            ComponentKind::Suspension => {
                let min_months = need(kind, "min_months", self.min_months)?;
                let max_months = need(kind, "max_months", self.max_months)?;
                let what = need(kind, "what", self.what)?;
                ordered(min_months <= max_months, "months")?;
                Consequence::Suspension { min_months, max_months, what }
            }
            ComponentKind::Ban => Consequence::Ban {
                years: need(kind, "years", self.years)?,
                what: need(kind, "what", self.what)?,
            },
            ComponentKind::BidDisqualification => {
                let min_years = need(kind, "min_years", self.min_years)?;
                let max_years = need(kind, "max_years", self.max_years)?;
                ordered(min_years <= max_years, "years")?;
                Consequence::BidDisqualification { min_years, max_years }
            }
        };
        Ok(Component {
            consequence,
            target: self.target,
            paragraph: self.paragraph,
            when: self.when,
            when_any: self.when_any,
            unless: self.unless,
            text: self.text,
        })
    }
}

impl Component {
    pub fn kind(&self) -> ComponentKind {
        self.consequence.kind()
    }

    /// Whether the conditions hold for the given facts.
    pub fn applies(&self, facts: &[Condition]) -> bool {
        self.when.iter().all(|c| facts.contains(c))
            && (self.when_any.is_empty() || self.when_any.iter().any(|c| facts.contains(c)))
            && !self.unless.iter().any(|c| facts.contains(c))
    }

    /// The conditions in words (造成基金损失且…), or `None` when unconditional.
    pub fn condition_text(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.when.is_empty() {
            parts.push(self.when.iter().map(|c| c.label()).collect::<Vec<_>>().join("且"));
        }
        if !self.when_any.is_empty() {
            parts.push(self.when_any.iter().map(|c| c.label()).collect::<Vec<_>>().join("或"));
        }
        if !self.unless.is_empty() {
            parts.push(format!("非{}", self.unless.iter().map(|c| c.label()).collect::<Vec<_>>().join("、")));
        }
        (!parts.is_empty()).then(|| parts.join("，"))
    }
}

/// One sanction article (or paragraph).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawSanction")]
pub struct Sanction {
    pub statute: String,
    pub article: u32,
    pub paragraph: Option<u32>,
    pub liable: String,
    pub party: PartyScope,
    pub behaviour: String,
    /// What multiples are multiples of (骗取金额, 损失金额, 应缴数额…).
    pub base: Option<String>,
    pub component: Vec<Component>,
}

/// A sanction as the data file writes it, its components not yet checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSanction {
    statute: String,
    article: u32,
    paragraph: Option<u32>,
    liable: String,
    party: PartyScope,
    behaviour: String,
    base: Option<String>,
    component: Vec<RawComponent>,
}

impl TryFrom<RawSanction> for Sanction {
    type Error = String;

    /// Each component typed; an error names the statute, the article (and paragraph) and the
    /// component, counted from 1 in the file's order, with its kind.
    fn try_from(r: RawSanction) -> Result<Sanction, String> {
        let count = r.component.len();
        let mut component = Vec::with_capacity(count);
        for (i, raw) in r.component.into_iter().enumerate() {
            let kind = raw.kind.id();
            component.push(raw.into_component().map_err(|e| {
                let paragraph = r.paragraph.map(|p| format!(" paragraph {p}")).unwrap_or_default();
                format!(
                    "《{}》 article {}{paragraph}, component {} of {count} ({kind}): {e}",
                    r.statute,
                    r.article,
                    i + 1
                )
            })?);
        }
        Ok(Sanction {
            statute: r.statute,
            article: r.article,
            paragraph: r.paragraph,
            liable: r.liable,
            party: r.party,
            behaviour: r.behaviour,
            base: r.base,
            component,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SanctionFile {
    sanction: Vec<Sanction>,
}

/// Whether a figure is quoted from a statute's full text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Quoted from the full text in `data/sources/` (a test checks the words).
    Verified,
    /// General knowledge (legal-rules.md: UNVERIFIED): a configurable default, flagged in every
    /// result that uses it.
    Unverified,
}

impl Verification {
    /// `verified` or `unverified`, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Verified => "verified",
            Verification::Unverified => "unverified",
        }
    }
}

/// One dated value of a procedural figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedValue {
    pub from: Date,
    /// Decimal value.
    pub value: String,
    pub statute: String,
    /// Date of the edition (its `promulgated` date in the registry).
    pub edition: String,
    pub article: u32,
    /// `verified` or `unverified`.
    pub status: Verification,
    pub words: String,
}

impl DatedValue {
    /// Quoted from the full text (not a configurable UNVERIFIED default).
    pub fn is_verified(&self) -> bool {
        self.status == Verification::Verified
    }
}

/// A procedural figure with its values over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub key: String,
    pub label: String,
    /// yuan, rate, years, months, days (calendar), working_days, persons.
    pub unit: String,
    pub values: Vec<DatedValue>,
}

impl Figure {
    /// The value in force on `date`: the latest whose `from` is not after it.
    pub fn at(&self, date: Date) -> Option<&DatedValue> {
        self.values.iter().filter(|v| v.from <= date).max_by_key(|v| v.from)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureFile {
    figure: Vec<Figure>,
}

/// The sanction and procedure data.
#[derive(Debug, Clone, Default)]
pub struct LawData {
    pub sanctions: Vec<Sanction>,
    pub figures: Vec<Figure>,
    /// Parse errors of the embedded files (a test keeps this empty).
    pub load_errors: Vec<String>,
}

pub const SANCTIONS_TOML: &str = include_str!("../data/sanctions.toml");
pub const PROCEDURE_TOML: &str = include_str!("../data/procedure.toml");

impl LawData {
    pub fn parse(sanctions: &str, procedure: &str) -> LawData {
        let mut d = LawData::default();
        match toml::from_str::<SanctionFile>(sanctions) {
            Ok(f) => d.sanctions = f.sanction,
            Err(e) => d.load_errors.push(format!("sanctions.toml: {e}")),
        }
        match toml::from_str::<FigureFile>(procedure) {
            Ok(f) => d.figures = f.figure,
            Err(e) => d.load_errors.push(format!("procedure.toml: {e}")),
        }
        d
    }

    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.key == key)
    }

    /// Sanctions of an article (all paragraphs, or one).
    pub fn sanctions_of(&self, statute: &str, article: u32, paragraph: Option<u32>) -> Vec<&Sanction> {
        self.sanctions
            .iter()
            .filter(|s| s.statute == statute && s.article == article)
            .filter(|s| paragraph.is_none() || s.paragraph.is_none() || s.paragraph == paragraph)
            .collect()
    }
}

/// The embedded sanction and procedure data, parsed on first use.
pub fn law_data() -> &'static LawData {
    static DATA: OnceLock<LawData> = OnceLock::new();
    DATA.get_or_init(|| LawData::parse(SANCTIONS_TOML, PROCEDURE_TOML))
}

/// A decimal string ("2", "0.005") as an exact fraction (numerator, denominator).
pub fn parse_ratio(s: &str) -> Option<(i128, i128)> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 12
    {
        return None;
    }
    let den = 10i128.pow(frac.len() as u32);
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_v: i128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    Some((int.checked_mul(den)?.checked_add(frac_v)?, den))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(component: &str) -> Vec<String> {
        let sanctions = format!(
            "[[sanction]]\nstatute = \"社会保险法\"\narticle = 87\nliable = \"x\"\nparty = \"unit\"\n\
             behaviour = \"x\"\n[[sanction.component]]\nkind = \"order_correction\"\ntext = \"x\"\n\
             [[sanction.component]]\n{component}\ntext = \"x\"\n"
        );
        LawData::parse(&sanctions, PROCEDURE_TOML).load_errors
    }

    #[test]
    fn a_component_with_the_wrong_figures_fails_when_the_data_loads() {
        assert!(load("kind = \"fine_ratio\"\nmin = \"2\"\nmax = \"5\"").is_empty());
        let cases = [
            ("kind = \"fine_ratio\"\nmin = \"2\"", "a fine_ratio component needs `max`"),
            ("kind = \"order_correction\"\nmin_yuan = 5", "a order_correction component has no `min_yuan`"),
            ("kind = \"fine_ratio\"\nmin = \"two\"\nmax = \"5\"", "min = \"two\" is not a decimal"),
            (
                "kind = \"fine_fixed\"\nmin_yuan = 50000\nmax_yuan = 10000",
                "fine_fixed: yuan min is above max",
            ),
            ("kind = \"suspension\"\nmin_months = 6\nmax_months = 12", "a suspension component needs `what`"),
            ("kind = \"late_fee_daily\"", "a late_fee_daily component needs `rate`"),
        ];
        for (component, want) in cases {
            let errors = load(component);
            assert!(errors.len() == 1 && errors[0].contains(want), "{component}: {errors:?}");
        }
        // And a computation then refuses, instead of computing halfway.
        assert!(law_data().load_errors.is_empty(), "{:?}", law_data().load_errors);
    }

    /// A value of the right type for each figure of the data.
    fn figure_value(field: &str) -> &'static str {
        match field {
            "min" => "\"1\"",
            "max" => "\"2\"",
            "rate" => "\"0.0005\"",
            "what" => "\"x\"",
            "min_yuan" | "min_months" | "min_years" | "years" => "1",
            _ => "2",
        }
    }

    fn component(kind: ComponentKind, fields: &[&str]) -> String {
        let mut s = format!("kind = \"{}\"", kind.id());
        for f in fields {
            s.push_str(&format!("\n{f} = {}", figure_value(f)));
        }
        s
    }

    #[test]
    fn every_kind_loads_with_exactly_its_figures_and_fails_with_one_missing_or_one_extra() {
        let all_figures = [
            "min",
            "max",
            "min_yuan",
            "max_yuan",
            "rate",
            "min_months",
            "max_months",
            "years",
            "min_years",
            "max_years",
            "what",
        ];
        for kind in ComponentKind::ALL {
            let own = kind.figures();
            let loaded = LawData::parse(
                &format!(
                    "[[sanction]]\nstatute = \"社会保险法\"\narticle = 87\nliable = \"x\"\nparty = \"unit\"\n\
                     behaviour = \"x\"\n[[sanction.component]]\n{}\ntext = \"x\"\n",
                    component(kind, own)
                ),
                PROCEDURE_TOML,
            );
            assert!(loaded.load_errors.is_empty(), "{}: {:?}", kind.id(), loaded.load_errors);
            assert_eq!(loaded.sanctions[0].component[0].kind(), kind);
            // The error names the statute, the article and the component (the second of two).
            let context = format!("《社会保险法》 article 87, component 2 of 2 ({})", kind.id());
            for missing in own {
                let fields: Vec<&str> = own.iter().copied().filter(|f| f != missing).collect();
                let errors = load(&component(kind, &fields));
                let want = format!("{context}: a {} component needs `{missing}`", kind.id());
                assert!(errors.len() == 1 && errors[0].contains(&want), "{want}: {errors:?}");
            }
            let extra = all_figures.iter().find(|f| !own.contains(f)).copied().unwrap_or("min");
            let mut fields = own.to_vec();
            fields.push(extra);
            let errors = load(&component(kind, &fields));
            let want = format!("{context}: a {} component has no `{extra}`", kind.id());
            assert!(errors.len() == 1 && errors[0].contains(&want), "{want}: {errors:?}");
        }
    }

    #[test]
    fn the_embedded_components_carry_typed_figures() {
        let components = || law_data().sanctions.iter().flat_map(|s| &s.component);
        let fines = components().filter(|c| c.kind().is_fine()).count();
        let ratio = components().filter(|c| matches!(c.consequence, Consequence::FineRatio { .. })).count();
        let suspensions =
            components().filter(|c| matches!(c.consequence, Consequence::Suspension { .. })).count();
        assert!(fines > 10 && ratio > 5 && suspensions > 0, "{fines} {ratio} {suspensions}");
        // The data uses every kind: a kind nothing uses would be dead code.
        let used: std::collections::HashSet<&str> = components().map(|c| c.kind().id()).collect();
        assert_eq!(used.len(), ComponentKind::ALL.len(), "{used:?}");
    }
}
