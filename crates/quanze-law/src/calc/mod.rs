//! The penalty calculator.
//!
//! Money is integer fen. Rounding (explicit, and always in the party's favour or inside the
//! statutory range):
//! * range bounds from multiples: the minimum is rounded **up** and the maximum **down** to the
//!   fen, so the computed range never leaves the statutory one;
//! * discretion band cuts: rounded **down** to the fen;
//! * surcharges (加处罚款) and late fees (滞纳金): rounded **down** to the fen.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{LawError, MAX_FEN};
use crate::registry::Registry;
use crate::sanctions::{ComponentKind, Condition, LawData, Target, Verification};

pub mod assess;
pub mod explain;
pub mod procedure;

pub use assess::{Assessment, Facts, Figures, Outcome, assess};
pub use explain::{explain, ratio_words, verdict_words};
pub use procedure::{ProcedureInput, hearing, legal_review};

/// Compute the statutory consequences of a sanction article for the given facts, on the
/// given date, with the embedded sanction data, worded (citation labels, reasons, the
/// explanation). For the figures alone, [`assess`] is an order of magnitude faster.
pub fn compute(reg: &Registry, q: &PenaltyQuery) -> Result<PenaltyResult, LawError> {
    compute_with(reg, crate::sanctions::law_data(), q)
}

/// [`compute`] with explicit sanction data.
pub fn compute_with(reg: &Registry, data: &LawData, q: &PenaltyQuery) -> Result<PenaltyResult, LawError> {
    assess(reg, data, q).map(|a| explain(reg, &a))
}

/// The party a penalty is decided against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// 法人或者其他组织.
    #[default]
    Unit,
    /// 公民 (个人).
    Individual,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Party::Unit => "法人或者其他组织",
            Party::Individual => "公民",
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Party::Unit => "unit",
            Party::Individual => "individual",
        }
    }
    pub fn from_id(s: &str) -> Option<Party> {
        match s.trim() {
            "unit" | "organisation" | "organization" | "单位" => Some(Party::Unit),
            "individual" | "person" | "个人" | "公民" => Some(Party::Individual),
            _ => None,
        }
    }
}

impl std::str::FromStr for Party {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Party::from_id(s).ok_or_else(|| format!("unknown party {s:?}; one of: unit, individual"))
    }
}

/// Per-bureau (local) configuration: the thresholds legal-rules.md §1.4 calls local, and the
/// discretion bands. The default is the 汕尾 rule (汕医保〔2022〕43号 第三十六、三十八条),
/// marked local: configure it for each bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LocalConfig {
    /// Whose rule this is.
    pub name: String,
    /// 较大数额罚款 giving a right to a hearing: individuals, in fen (≥).
    pub hearing_individual_min_fen: i64,
    /// … organisations, in fen (≥).
    pub hearing_unit_min_fen: i64,
    /// 法制审核 required from: individuals, in fen (≥, amounts of fine and recovered funds added).
    pub review_individual_min_fen: i64,
    /// … organisations, in fen (≥).
    pub review_unit_min_fen: i64,
    /// Cuts between 从轻/一般/从重 as fractions of the range: default thirds.
    pub band_cuts: [[i64; 2]; 2],
    /// Citation of the local rule.
    pub source: String,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            name: "默认值：汕尾市（地方配置，可修改）".into(),
            hearing_individual_min_fen: 500_000,
            hearing_unit_min_fen: 10_000_000,
            review_individual_min_fen: 500_000,
            review_unit_min_fen: 10_000_000,
            band_cuts: [[1, 3], [2, 3]],
            source: "《汕尾市医疗保障行政处罚程序实施办法》（汕医保〔2022〕43号）第三十六条、第三十八条"
                .into(),
        }
    }
}

/// What to compute: a sanction article, the day of the decision and the facts established.
///
/// The statute, the article and the day are required (in JSON and TOML too): the figures in
/// force change over time, so a query without its day would be computed for a day nobody
/// chose. [`PenaltyQuery::new`] gives a query with no facts; set the facts with struct update
/// syntax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyQuery {
    /// Statute title in any registered form (社会保险法, 《中华人民共和国社会保险法》, an alias).
    pub statute: String,
    pub article: u32,
    /// 款; `None` = every paragraph of the article.
    #[serde(default)]
    pub paragraph: Option<u32>,
    /// The base of multiples (骗取金额, 损失金额, 应缴/欠缴数额, 中标项目金额…), in fen.
    #[serde(default)]
    pub base_amount_fen: Option<i64>,
    #[serde(default)]
    pub party: Party,
    /// Day of the decision: figures in force on this day are used.
    pub date: Date,
    /// Facts established (see [`Condition`]).
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// A fine already decided or proposed, in fen: procedure and surcharge are evaluated for it.
    #[serde(default)]
    pub fine_fen: Option<i64>,
    /// Days the decided fine is overdue (after the payment deadline): 加处罚款.
    #[serde(default)]
    pub days_overdue: Option<u32>,
    /// Days since contributions are owed (社会保险法 86 滞纳金).
    #[serde(default)]
    pub days_owed: Option<u32>,
    /// Day of the act (or the end of a continuing act), for the limitation period.
    #[serde(default)]
    pub act_date: Option<Date>,
    /// Day the act was discovered (default: `date`).
    #[serde(default)]
    pub discovered_on: Option<Date>,
    /// Local configuration (default: [`LocalConfig::default`]).
    #[serde(default)]
    pub config: Option<LocalConfig>,
}

impl PenaltyQuery {
    /// A query for an article on the day of the decision, for a unit, with no facts.
    pub fn new(statute: impl Into<String>, article: u32, date: Date) -> PenaltyQuery {
        PenaltyQuery {
            statute: statute.into(),
            article,
            paragraph: None,
            base_amount_fen: None,
            party: Party::Unit,
            date,
            conditions: Vec::new(),
            fine_fen: None,
            days_overdue: None,
            days_owed: None,
            act_date: None,
            discovered_on: None,
            config: None,
        }
    }
}

/// A citation of the result: which words of which article a figure comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Cite {
    /// Normalized title.
    pub statute: String,
    pub article: u32,
    pub paragraph: Option<u32>,
    /// Registry id of the edition, when registered.
    pub edition: Option<String>,
    /// 《中华人民共和国社会保险法》第八十七条(第一款).
    pub label: String,
    /// `verified`, `unverified` or `local`.
    // The committed schema keeps the contract it had (a string); the type is the enum.
    #[schemars(with = "String")]
    pub status: CiteStatus,
}

/// Where a cited figure stands: quoted from a statute's full text, a configurable UNVERIFIED
/// default, or a bureau's own rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CiteStatus {
    /// Quoted from the full text (a test checks the words).
    Verified,
    /// General knowledge (legal-rules.md: UNVERIFIED): a configurable default.
    Unverified,
    /// A per-bureau figure (地方配置), configurable.
    Local,
}

impl CiteStatus {
    /// `verified`, `unverified` or `local`, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CiteStatus::Verified => "verified",
            CiteStatus::Unverified => "unverified",
            CiteStatus::Local => "local",
        }
    }
}

impl From<Verification> for CiteStatus {
    fn from(v: Verification) -> CiteStatus {
        match v {
            Verification::Verified => CiteStatus::Verified,
            Verification::Unverified => CiteStatus::Unverified,
        }
    }
}

/// A fine component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FineLine {
    pub target: Target,
    pub min_fen: i64,
    pub max_fen: i64,
    /// 骗取金额 × 2–5倍, 1万元–5万元…
    pub formula: String,
    pub applies: bool,
    /// Conditions in words, when conditional.
    pub condition: Option<String>,
    pub citation: Cite,
}

/// A non-fine consequence (or restitution).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Measure {
    pub kind: ComponentKind,
    pub target: Target,
    /// What the statute says, in its words.
    pub text: String,
    pub applies: bool,
    pub condition: Option<String>,
    pub amount_fen: Option<i64>,
    pub min_months: Option<u32>,
    pub max_months: Option<u32>,
    pub years: Option<u32>,
    pub min_years: Option<u32>,
    pub max_years: Option<u32>,
    pub citation: Cite,
}

/// A discretion band (裁量档次).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Band {
    /// 从轻, 一般, 从重.
    pub name: String,
    pub min_fen: i64,
    pub max_fen: i64,
}

/// Outcome of a procedural test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Yes,
    No,
    /// Yes when the fine decided is at most `threshold_fen`.
    IfFineAtMost,
    /// Yes when the fine decided is at least `threshold_fen`.
    IfFineAtLeast,
    /// No fine to test.
    NotApplicable,
}

/// A procedural consequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcedureCheck {
    pub verdict: Verdict,
    pub threshold_fen: Option<i64>,
    pub reason: String,
    pub citation: Cite,
    /// A per-bureau figure (configurable).
    pub local: bool,
    pub unverified: bool,
}

/// 加处罚款 on an overdue fine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Surcharge {
    pub fine_fen: i64,
    pub days: u32,
    pub rate: String,
    pub amount_fen: i64,
    pub capped: bool,
    pub citations: Vec<Cite>,
    pub unverified: bool,
}

/// A daily late fee (滞纳金).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LateFee {
    pub base_fen: i64,
    pub days: u32,
    pub rate: String,
    pub amount_fen: i64,
    pub citation: Cite,
}

/// The limitation period (追责时效).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Limitation {
    pub years: u32,
    #[schemars(with = "Option<String>")]
    pub act_date: Option<Date>,
    /// Last day on which discovery keeps the act punishable. Calendar years; never moved for
    /// holidays or weekends.
    #[schemars(with = "Option<String>")]
    pub last_day: Option<Date>,
    #[schemars(with = "Option<String>")]
    pub discovered_on: Option<Date>,
    pub expired: Option<bool>,
    pub citation: Cite,
    pub unverified: bool,
}

/// Procedural consequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Procedure {
    pub simple_procedure: ProcedureCheck,
    pub on_the_spot_collection: ProcedureCheck,
    pub hearing: ProcedureCheck,
    pub legal_review: ProcedureCheck,
    pub payment_days: u32,
    pub surcharge: Option<Surcharge>,
    pub limitation: Limitation,
}

/// Result of [`compute`]. JSON: `{ "min_fen", "max_fen", "bands", "measures", "procedure",
/// "citations", "explanation", … }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PenaltyResult {
    pub statute: String,
    pub edition: Option<String>,
    pub article: u32,
    pub paragraph: Option<u32>,
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: Date,
    pub party: Party,
    pub liable: String,
    pub behaviour: String,
    /// What `base_amount_fen` is (骗取金额…).
    pub base_kind: Option<String>,
    pub base_amount_fen: Option<i64>,
    /// Whether a fine on the party applies under the facts given.
    pub fine_applies: bool,
    /// Statutory range of the fine on the party.
    pub min_fen: i64,
    pub max_fen: i64,
    pub bands: Vec<Band>,
    /// Every fine component, applying or not, including fines on responsible persons.
    pub fines: Vec<FineLine>,
    pub measures: Vec<Measure>,
    pub late_fee: Option<LateFee>,
    pub procedure: Procedure,
    pub citations: Vec<Cite>,
    pub explanation: Vec<String>,
    /// Whether any figure used is UNVERIFIED (a configurable default).
    pub unverified: bool,
    pub config: LocalConfig,
}

/// `12,345.67 元`.
pub fn format_yuan(fen: i64) -> String {
    let neg = fen < 0;
    let f = fen.unsigned_abs();
    let yuan = (f / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{}.{:02}元", if neg { "-" } else { "" }, grouped, f % 100)
}

/// Parse an amount in 元 with at most two decimals (`10000`, `200.01`, `1,000.5`) into fen.
pub fn parse_yuan(s: &str) -> Result<i64, LawError> {
    let t: String = s.trim().trim_end_matches('元').chars().filter(|c| *c != ',' && *c != '_').collect();
    let bad = || LawError::InvalidYuan(s.to_string());
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let int_v: i128 = if int.len() > 20 { i128::MAX / 1000 } else { int.parse().map_err(|_| bad())? };
    let frac_v: i128 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let fen = int_v * 100 + frac_v;
    let fen_i64 = i64::try_from(fen).unwrap_or(i64::MAX);
    if neg {
        return Err(LawError::NegativeAmount { what: "amount".into(), fen: -fen_i64 });
    }
    check_amount("amount", fen_i64)
}

fn check_amount(what: &str, fen: i64) -> Result<i64, LawError> {
    if fen < 0 {
        return Err(LawError::NegativeAmount { what: what.into(), fen });
    }
    if fen > MAX_FEN {
        return Err(LawError::AmountTooLarge { what: what.into(), fen, limit: MAX_FEN });
    }
    Ok(fen)
}

fn mul_ratio(base: i64, ratio: (i128, i128), round_up: bool) -> i64 {
    let num = i128::from(base) * ratio.0;
    let q = num / ratio.1;
    let r = num % ratio.1;
    let v = if round_up && r != 0 { q + 1 } else { q };
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::explain::{ratio_pair_words, ratio_words};
    use super::*;

    #[test]
    fn yuan_parsing_is_exact_and_bounded() {
        assert_eq!(parse_yuan("10000"), Ok(1_000_000));
        assert_eq!(parse_yuan("200.01"), Ok(20_001));
        assert_eq!(parse_yuan("200.1"), Ok(20_010));
        assert_eq!(parse_yuan(" 1,000.5元 "), Ok(100_050));
        assert_eq!(parse_yuan("0"), Ok(0));
        assert_eq!(parse_yuan("100000000000"), Ok(MAX_FEN));
        assert!(matches!(
            parse_yuan("100000000000.01"),
            Err(LawError::AmountTooLarge { limit: MAX_FEN, .. })
        ));
        assert!(matches!(parse_yuan("99999999999999999999999999"), Err(LawError::AmountTooLarge { .. })));
        assert!(matches!(parse_yuan("-1"), Err(LawError::NegativeAmount { .. })));
        for bad in ["", "0.001", "1.2.3", "abc", "1e5", ".5", "１００"] {
            assert!(matches!(parse_yuan(bad), Err(LawError::InvalidYuan(_))), "{bad}");
        }
    }

    #[test]
    fn yuan_formatting() {
        assert_eq!(format_yuan(0), "0.00元");
        assert_eq!(format_yuan(123_456_789), "1,234,567.89元");
        assert_eq!(format_yuan(-5), "-0.05元");
    }

    #[test]
    fn a_status_round_trips_as_the_string_it_always_was() {
        for (status, json) in [
            (CiteStatus::Verified, "\"verified\""),
            (CiteStatus::Unverified, "\"unverified\""),
            (CiteStatus::Local, "\"local\""),
        ] {
            assert_eq!(serde_json::to_string(&status).unwrap(), json);
            assert_eq!(format!("\"{}\"", status.as_str()), json);
            assert_eq!(serde_json::from_str::<CiteStatus>(json).unwrap(), status);
        }
        for v in [Verification::Verified, Verification::Unverified] {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.as_str()));
            assert_eq!(serde_json::from_str::<Verification>(&json).unwrap(), v);
            assert_eq!(CiteStatus::from(v).as_str(), v.as_str());
        }
        assert!(serde_json::from_str::<CiteStatus>("\"Verified\"").is_err());
        assert!(
            serde_json::from_str::<Verification>("\"local\"").is_err(),
            "a figure of the data is never local"
        );
        let cite = Cite {
            statute: "社会保险法".into(),
            article: 87,
            paragraph: None,
            edition: None,
            label: "《中华人民共和国社会保险法》第八十七条".into(),
            status: CiteStatus::Local,
        };
        let json = serde_json::to_string(&cite).unwrap();
        assert!(json.ends_with(r#","status":"local"}"#), "{json}");
        assert_eq!(serde_json::from_str::<Cite>(&json).unwrap(), cite);
    }

    #[test]
    fn multiples_round_inside_the_range() {
        assert_eq!(mul_ratio(333, (5, 1000), true), 2); // 1.665 fen → 2
        assert_eq!(mul_ratio(333, (10, 1000), false), 3); // 3.33 fen → 3
        assert_eq!(ratio_pair_words("0.005", "0.01"), "千分之五至千分之十");
        assert_eq!(ratio_pair_words("2", "5"), "2倍至5倍");
        assert_eq!(ratio_words("0.0005"), "万分之五");
    }
}
