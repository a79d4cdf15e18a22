//! The penalty calculator.
//!
//! Money is integer fen. Rounding (explicit, and always in the party's favour or inside the
//! statutory range):
//! * range bounds from multiples: the minimum is rounded **up** and the maximum **down** to the
//!   fen, so the computed range never leaves the statutory one;
//! * discretion band cuts: rounded **down** to the fen;
//! * surcharges (加处罚款) and late fees (滞纳金): rounded **down** to the fen.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{LawError, MAX_FEN};
use crate::registry::{Lookup, Registry, StatuteEdition};
use crate::sanctions::{
    Component, ComponentKind, Condition, DatedValue, LawData, PartyScope, Target, parse_ratio,
};
use crate::text::{article_label, cn_number};

/// The party a penalty is decided against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PenaltyQuery {
    /// Statute title in any registered form (社会保险法, 《中华人民共和国社会保险法》, an alias).
    pub statute: String,
    pub article: u32,
    /// 款; `None` = every paragraph of the article.
    pub paragraph: Option<u32>,
    /// The base of multiples (骗取金额, 损失金额, 应缴/欠缴数额, 中标项目金额…), in fen.
    pub base_amount_fen: Option<i64>,
    pub party: Party,
    /// Day of the decision: figures in force on this day are used.
    pub date: Option<Date>,
    /// Facts established (see [`Condition`]).
    pub conditions: Vec<Condition>,
    /// A fine already decided or proposed, in fen: procedure and surcharge are evaluated for it.
    pub fine_fen: Option<i64>,
    /// Days the decided fine is overdue (after the payment deadline): 加处罚款.
    pub days_overdue: Option<u32>,
    /// Days since contributions are owed (社会保险法 86 滞纳金).
    pub days_owed: Option<u32>,
    /// Day of the act (or the end of a continuing act), for the limitation period.
    pub act_date: Option<Date>,
    /// Day the act was discovered (default: `date`).
    pub discovered_on: Option<Date>,
    /// Local configuration (default: [`LocalConfig::default`]).
    pub config: Option<LocalConfig>,
}

impl Default for PenaltyQuery {
    fn default() -> Self {
        PenaltyQuery {
            statute: String::new(),
            article: 0,
            paragraph: None,
            base_amount_fen: None,
            party: Party::Unit,
            date: None,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub status: String,
}

/// A fine component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// 从轻, 一般, 从重.
    pub name: String,
    pub min_fen: i64,
    pub max_fen: i64,
}

/// Outcome of a procedural test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFee {
    pub base_fen: i64,
    pub days: u32,
    pub rate: String,
    pub amount_fen: i64,
    pub citation: Cite,
}

/// The limitation period (追责时效).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limitation {
    pub years: u32,
    pub act_date: Option<Date>,
    /// Last day on which discovery keeps the act punishable. Calendar years; never moved for
    /// holidays or weekends.
    pub last_day: Option<Date>,
    pub discovered_on: Option<Date>,
    pub expired: Option<bool>,
    pub citation: Cite,
    pub unverified: bool,
}

/// Procedural consequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyResult {
    pub statute: String,
    pub edition: Option<String>,
    pub article: u32,
    pub paragraph: Option<u32>,
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

/// A pair of multiples in the statute's manner, both in the same unit: 2倍至5倍,
/// 千分之五至千分之十, 百分之五至百分之十.
fn ratio_pair_words(min: &str, max: &str) -> String {
    let (Some(a), Some(b)) = (parse_ratio(min), parse_ratio(max)) else {
        return format!("{min}至{max}");
    };
    let in_unit = |r: (i128, i128), unit: i128| -> Option<u32> {
        let n = r.0 * unit;
        (n % r.1 == 0).then(|| u32::try_from(n / r.1).ok()).flatten()
    };
    for (unit, name) in [(1, ""), (100, "百分之"), (1000, "千分之"), (10000, "万分之")] {
        if let (Some(x), Some(y)) = (in_unit(a, unit), in_unit(b, unit)) {
            return if unit == 1 {
                format!("{x}倍至{y}倍")
            } else {
                format!("{name}{}至{name}{}", cn_number(x), cn_number(y))
            };
        }
    }
    format!("{min}至{max}")
}

/// One rate in the statute's manner: 百分之三, 万分之五.
fn ratio_words(s: &str) -> String {
    let Some(r) = parse_ratio(s) else { return s.to_string() };
    for (unit, name) in [(1, ""), (100, "百分之"), (1000, "千分之"), (10000, "万分之")] {
        let n = r.0 * unit;
        if let Some(x) = (n % r.1 == 0).then(|| u32::try_from(n / r.1).ok()).flatten() {
            return if unit == 1 { format!("{x}倍") } else { format!("{name}{}", cn_number(x)) };
        }
    }
    s.to_string()
}

struct Ctx<'a> {
    reg: &'a Registry,
    citations: Vec<Cite>,
    unverified: bool,
}

impl Ctx<'_> {
    fn cite(&mut self, statute: &str, article: u32, paragraph: Option<u32>, status: &str) -> Cite {
        let ed = self.reg.current(statute);
        let full = ed.map_or(statute.to_string(), |e| e.full_title.clone());
        let mut label = format!("《{full}》{}", article_label(article));
        if let Some(p) = paragraph {
            label.push_str(&format!("第{}款", cn_number(p)));
        }
        let c = Cite {
            statute: statute.to_string(),
            article,
            paragraph,
            edition: ed.map(|e| e.id.clone()),
            label,
            status: status.to_string(),
        };
        if status == "unverified" {
            self.unverified = true;
        }
        if !self.citations.contains(&c) {
            self.citations.push(c.clone());
        }
        c
    }

    fn cite_local(&mut self, config: &LocalConfig) -> Cite {
        let c = Cite {
            statute: config.name.clone(),
            article: 0,
            paragraph: None,
            edition: None,
            label: config.source.clone(),
            status: "local".into(),
        };
        if !self.citations.contains(&c) {
            self.citations.push(c.clone());
        }
        c
    }

    fn cite_value(&mut self, v: &DatedValue) -> Cite {
        let id = format!("{}({})", v.statute, v.edition);
        let full = self.reg.by_id(&id).map_or(v.statute.clone(), |e| e.full_title.clone());
        let current = self.reg.current(&v.statute).is_some_and(|e| e.id == id);
        let label = if current {
            format!("《{full}》{}", article_label(v.article))
        } else {
            format!("《{full}》（{}版）{}", v.edition, article_label(v.article))
        };
        let c = Cite {
            statute: v.statute.clone(),
            article: v.article,
            paragraph: None,
            edition: Some(id),
            label,
            status: v.status.clone(),
        };
        if v.status != "verified" {
            self.unverified = true;
        }
        if !self.citations.contains(&c) {
            self.citations.push(c.clone());
        }
        c
    }
}

fn figure<'d>(data: &'d LawData, key: &str, date: Date) -> Result<&'d DatedValue, LawError> {
    let f = data.figure(key).ok_or_else(|| LawError::Data(format!("procedure figure {key} missing")))?;
    f.at(date).ok_or_else(|| LawError::FigureNotInForce {
        figure: f.label.clone(),
        date,
        first: f.values.iter().map(|v| v.from).min().unwrap_or(date),
    })
}

fn figure_fen(v: &DatedValue) -> Result<i64, LawError> {
    let r = parse_ratio(&v.value).ok_or_else(|| LawError::Data(format!("bad value {:?}", v.value)))?;
    Ok(mul_ratio(100, r, false))
}

fn figure_u32(v: &DatedValue) -> Result<u32, LawError> {
    v.value.parse().map_err(|_| LawError::Data(format!("bad value {:?}", v.value)))
}

/// The edition in force on `date`, or why there is none.
fn edition_on<'r>(
    reg: &'r Registry,
    title: &str,
    date: Date,
) -> Result<(&'r StatuteEdition, bool), LawError> {
    match reg.lookup(title, date) {
        Lookup::InForce(e) => Ok((e, false)),
        Lookup::NotYet(e) => match e.first_effective {
            // An earlier edition was in force, but its text is not loaded: the loaded
            // edition's figures are used and the result is flagged unverified.
            Some(first) if first <= date => Ok((e, true)),
            _ => Err(LawError::BeforeEffect {
                statute: e.title.clone(),
                date,
                effective: e.first_effective.or(e.effective).unwrap_or(date),
            }),
        },
        Lookup::Superseded(e) => Err(LawError::NoLongerInForce {
            statute: e.title.clone(),
            date,
            superseded: e.superseded.unwrap_or(date),
        }),
        Lookup::Unknown => Err(LawError::UnknownStatute {
            title: title.to_string(),
            suggestion: reg.suggest(title).map(String::from),
        }),
    }
}

/// Compute the statutory consequences of a sanction article for the given facts, on the
/// given date, with the embedded sanction data.
pub fn compute(reg: &Registry, q: &PenaltyQuery) -> Result<PenaltyResult, LawError> {
    compute_with(reg, crate::sanctions::law_data(), q)
}

/// [`compute`] with explicit sanction data.
pub fn compute_with(reg: &Registry, data: &LawData, q: &PenaltyQuery) -> Result<PenaltyResult, LawError> {
    if let Some(e) = data.load_errors.first() {
        return Err(LawError::Data(e.clone()));
    }
    let date = q.date.ok_or_else(|| LawError::Data("no date given".into()))?;
    let base = q.base_amount_fen.map(|b| check_amount("base amount", b)).transpose()?;
    let fine_decided = q.fine_fen.map(|b| check_amount("fine", b)).transpose()?;
    let config = q.config.clone().unwrap_or_default();
    let mut expl: Vec<String> = Vec::new();
    let mut ctx = Ctx { reg, citations: Vec::new(), unverified: false };

    let (edition, older_text) = edition_on(reg, &q.statute, date)?;
    let title = edition.title.clone();
    if older_text {
        ctx.unverified = true;
        expl.push(format!(
            "注意：{date} 适用的是《{}》此前的版本，其文本未收录；按{}起施行的版本计算（未核实）。",
            edition.full_title,
            edition.effective.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    let sanctions = data.sanctions_of(&title, q.article, q.paragraph);
    if sanctions.is_empty() {
        if edition.full_text && edition.article(q.article).is_none() {
            return Err(LawError::UnknownArticle {
                statute: title,
                article: q.article,
                count: edition.article_count(),
            });
        }
        let mut known: Vec<u32> =
            data.sanctions.iter().filter(|s| s.statute == title).map(|s| s.article).collect();
        known.dedup();
        return Err(LawError::NoSanction {
            statute: title,
            article: q.article,
            known: if known.is_empty() {
                "none".into()
            } else {
                known.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            },
        });
    }
    let first = sanctions[0];
    for s in &sanctions {
        let fits = match s.party {
            PartyScope::Any => true,
            PartyScope::Unit => q.party == Party::Unit,
            PartyScope::Individual => q.party == Party::Individual,
        };
        if !fits {
            return Err(LawError::PartyMismatch {
                statute: title.clone(),
                article: q.article,
                liable: s.liable.clone(),
                party: q.party.id().into(),
            });
        }
    }

    // Facts implied by the amounts given.
    let mut facts = q.conditions.clone();
    let base_kind = first.base.clone();
    if let (Some(b), Some(kind)) = (base, base_kind.as_deref()) {
        if b > 0 && kind == "损失金额" && !facts.contains(&Condition::LossCaused) {
            facts.push(Condition::LossCaused);
            expl.push("损失金额大于零，视为“造成基金损失”。".into());
        }
        if b > 0 && kind == "中标项目金额" && !facts.contains(&Condition::BidWon) {
            facts.push(Condition::BidWon);
            expl.push("给出了中标项目金额，视为“中标”。".into());
        }
    }
    if facts.contains(&Condition::EspeciallySerious) && !facts.contains(&Condition::Serious) {
        facts.push(Condition::Serious);
    }

    let head_cite = ctx.cite(&title, q.article, q.paragraph, "verified");
    expl.push(format!(
        "依据{}：{}（{}）。计算日 {date}，适用版本 {}。",
        head_cite.label, first.behaviour, first.liable, edition.id
    ));
    if let (Some(b), Some(kind)) = (base, base_kind.as_deref()) {
        expl.push(format!("{kind}：{}。", format_yuan(b)));
    }

    let mut fines: Vec<FineLine> = Vec::new();
    let mut measures: Vec<Measure> = Vec::new();
    let mut late_fee = None;
    // Party fine first (fine_share needs it).
    let mut party_range: Option<(i64, i64)> = None;
    let mut comps: Vec<(&crate::sanctions::Sanction, &Component)> =
        sanctions.iter().flat_map(|s| s.component.iter().map(move |c| (*s, c))).collect();
    comps.sort_by_key(|(_, c)| c.kind == ComponentKind::FineShare);
    for (s, c) in comps {
        let paragraph = c.paragraph.or(s.paragraph);
        let cite = ctx.cite(&title, s.article, paragraph, "verified");
        let applies = c.applies(&facts);
        let cond = c.condition_text();
        match c.kind {
            ComponentKind::FineRatio => {
                let (Some(min), Some(max)) = (c.min.as_deref(), c.max.as_deref()) else {
                    return Err(LawError::Data(format!(
                        "{} {}: ratio without min/max",
                        s.statute, s.article
                    )));
                };
                let (rmin, rmax) = match (parse_ratio(min), parse_ratio(max)) {
                    (Some(a), Some(b)) => (a, b),
                    _ => return Err(LawError::Data(format!("{} {}: bad ratio", s.statute, s.article))),
                };
                let kind = s.base.clone().unwrap_or_else(|| "基数".into());
                let Some(b) = base else {
                    if applies {
                        return Err(LawError::MissingBase {
                            statute: title.clone(),
                            article: s.article,
                            base: kind,
                        });
                    }
                    fines.push(FineLine {
                        target: c.target,
                        min_fen: 0,
                        max_fen: 0,
                        formula: format!("{kind} × {}", ratio_pair_words(min, max)),
                        applies,
                        condition: cond,
                        citation: cite,
                    });
                    continue;
                };
                let lo = mul_ratio(b, rmin, true);
                let hi = mul_ratio(b, rmax, false);
                let formula = format!("{kind} {} × {}", format_yuan(b), ratio_pair_words(min, max));
                if applies && c.target == Target::Party {
                    party_range = Some((lo, hi));
                }
                fines.push(FineLine {
                    target: c.target,
                    min_fen: lo,
                    max_fen: hi,
                    formula,
                    applies,
                    condition: cond,
                    citation: cite,
                });
            }
            ComponentKind::FineFixed => {
                let (Some(a), Some(b)) = (c.min_yuan, c.max_yuan) else {
                    return Err(LawError::Data(format!(
                        "{} {}: fixed fine without bounds",
                        s.statute, s.article
                    )));
                };
                let (lo, hi) = (a.saturating_mul(100), b.saturating_mul(100));
                if applies && c.target == Target::Party {
                    party_range = Some((lo, hi));
                }
                fines.push(FineLine {
                    target: c.target,
                    min_fen: lo,
                    max_fen: hi,
                    formula: "法定幅度".into(),
                    applies,
                    condition: cond,
                    citation: cite,
                });
            }
            ComponentKind::FineShare => {
                let (Some(min), Some(max)) = (c.min.as_deref(), c.max.as_deref()) else {
                    return Err(LawError::Data(format!(
                        "{} {}: share without min/max",
                        s.statute, s.article
                    )));
                };
                let (rmin, rmax) = match (parse_ratio(min), parse_ratio(max)) {
                    (Some(a), Some(b)) => (a, b),
                    _ => return Err(LawError::Data(format!("{} {}: bad share", s.statute, s.article))),
                };
                let (ulo, uhi, basis) = match (fine_decided, party_range) {
                    (Some(f), _) => (f, f, format!("对单位罚款 {}", format_yuan(f))),
                    (None, Some((a, b))) => {
                        (a, b, format!("对单位罚款（{}至{}）", format_yuan(a), format_yuan(b)))
                    }
                    (None, None) => (0, 0, "对单位罚款".into()),
                };
                fines.push(FineLine {
                    target: c.target,
                    min_fen: mul_ratio(ulo, rmin, true),
                    max_fen: mul_ratio(uhi, rmax, false),
                    formula: format!("{basis} × {}", ratio_pair_words(min, max)),
                    applies: applies && party_range.is_some(),
                    condition: cond,
                    citation: cite,
                });
            }
            ComponentKind::LateFeeDaily => {
                let rate = c.rate.as_deref().unwrap_or("0");
                let r = parse_ratio(rate).ok_or_else(|| LawError::Data(format!("bad rate {rate}")))?;
                if let (Some(b), Some(days)) = (base, q.days_owed) {
                    let amount = mul_ratio(b, (r.0 * i128::from(days), r.1), false);
                    late_fee = Some(LateFee {
                        base_fen: b,
                        days,
                        rate: rate.to_string(),
                        amount_fen: amount,
                        citation: cite.clone(),
                    });
                }
                measures.push(Measure {
                    kind: c.kind,
                    target: c.target,
                    text: c.text.clone(),
                    applies,
                    condition: cond,
                    amount_fen: late_fee.as_ref().map(|l| l.amount_fen),
                    min_months: None,
                    max_months: None,
                    years: None,
                    min_years: None,
                    max_years: None,
                    citation: cite,
                });
            }
            _ => {
                let amount = match c.kind {
                    ComponentKind::Restitution | ComponentKind::Recover => base,
                    _ => None,
                };
                measures.push(Measure {
                    kind: c.kind,
                    target: c.target,
                    text: c.text.clone(),
                    applies,
                    condition: cond,
                    amount_fen: amount,
                    min_months: c.min_months,
                    max_months: c.max_months,
                    years: c.years,
                    min_years: c.min_years,
                    max_years: c.max_years,
                    citation: cite,
                });
            }
        }
    }

    // Fines in words.
    for f in &fines {
        let who = f.target.label();
        if f.applies {
            expl.push(format!(
                "罚款（{who}）：{} → {}至{}（{}）。",
                f.formula,
                format_yuan(f.min_fen),
                format_yuan(f.max_fen),
                f.citation.label
            ));
        } else {
            expl.push(format!(
                "罚款（{who}）不适用：须{}（{}）。",
                f.condition.as_deref().unwrap_or("满足法定条件"),
                f.citation.label
            ));
        }
    }
    for m in &measures {
        let mut line = String::new();
        line.push_str(if m.applies { "措施：" } else { "措施不适用（条件未满足）：" });
        line.push_str(&m.text);
        if let Some(a) = m.amount_fen {
            line.push_str(&format!("（{}）", format_yuan(a)));
        }
        if let Some(c) = m.condition.as_ref().filter(|_| !m.applies) {
            line.push_str(&format!("；须{c}"));
        }
        line.push_str(&format!("（{}）。", m.citation.label));
        expl.push(line);
    }
    if let Some(l) = &late_fee {
        expl.push(format!(
            "滞纳金：{} × {} × {}日 = {}（向下取整到分，法律未规定上限；{}）。",
            format_yuan(l.base_fen),
            ratio_words(&l.rate),
            l.days,
            format_yuan(l.amount_fen),
            l.citation.label
        ));
    }

    let (fine_applies, min_fen, max_fen) = match party_range {
        Some((a, b)) => (true, a, b),
        None => (false, 0, 0),
    };

    // Discretion bands.
    let mut bands = Vec::new();
    if fine_applies {
        let r = max_fen - min_fen;
        let cut = |f: [i64; 2]| -> i64 {
            if f[1] <= 0 {
                min_fen
            } else {
                min_fen + mul_ratio(r, (i128::from(f[0]), i128::from(f[1])), false)
            }
        };
        let c1 = cut(config.band_cuts[0]).clamp(min_fen, max_fen);
        let c2 = cut(config.band_cuts[1]).clamp(c1, max_fen);
        for (name, lo, hi) in [("从轻", min_fen, c1), ("一般", c1, c2), ("从重", c2, max_fen)] {
            bands.push(Band { name: name.into(), min_fen: lo, max_fen: hi });
        }
        let whose = if config.band_cuts == LocalConfig::default().band_cuts {
            "默认三等分，可按省配置".to_string()
        } else {
            format!("配置：{}", config.name)
        };
        expl.push(format!(
            "裁量档次（{whose}，按幅度 {}/{}、{}/{} 切分，向下取整到分）：{}。",
            config.band_cuts[0][0],
            config.band_cuts[0][1],
            config.band_cuts[1][0],
            config.band_cuts[1][1],
            bands
                .iter()
                .map(|b| format!("{} {}至{}", b.name, format_yuan(b.min_fen), format_yuan(b.max_fen)))
                .collect::<Vec<_>>()
                .join("；")
        ));
    }

    let heavy_applies = measures.iter().any(|m| m.applies && m.kind.is_heavy());
    let procedure = procedure(
        &mut ctx,
        data,
        q,
        &config,
        date,
        fine_applies.then_some((min_fen, max_fen)),
        fine_decided,
        heavy_applies,
        &facts,
        &mut expl,
    )?;
    if ctx.unverified {
        expl.push("本结果使用了未核实（UNVERIFIED）或地方配置的数值，见各引用的 status。".into());
    }
    Ok(PenaltyResult {
        statute: title,
        edition: Some(edition.id.clone()),
        article: q.article,
        paragraph: q.paragraph,
        date,
        party: q.party,
        liable: first.liable.clone(),
        behaviour: first.behaviour.clone(),
        base_kind,
        base_amount_fen: base,
        fine_applies,
        min_fen,
        max_fen,
        bands,
        fines,
        measures,
        late_fee,
        procedure,
        citations: ctx.citations,
        explanation: expl,
        unverified: ctx.unverified,
        config,
    })
}

fn verdict_at_most(range: Option<(i64, i64)>, decided: Option<i64>, t: i64) -> Verdict {
    match (decided, range) {
        (Some(f), _) if f <= t => Verdict::Yes,
        (Some(_), _) => Verdict::No,
        (None, Some((_, hi))) if hi <= t => Verdict::Yes,
        (None, Some((lo, _))) if lo > t => Verdict::No,
        (None, Some(_)) => Verdict::IfFineAtMost,
        (None, None) => Verdict::NotApplicable,
    }
}

fn verdict_at_least(range: Option<(i64, i64)>, decided: Option<i64>, t: i64) -> Verdict {
    match (decided, range) {
        (Some(f), _) if f >= t => Verdict::Yes,
        (Some(_), _) => Verdict::No,
        (None, Some((lo, _))) if lo >= t => Verdict::Yes,
        (None, Some((_, hi))) if hi < t => Verdict::No,
        (None, Some(_)) => Verdict::IfFineAtLeast,
        (None, None) => Verdict::NotApplicable,
    }
}

fn verdict_words(v: Verdict, t: Option<i64>) -> String {
    let t = t.map(format_yuan).unwrap_or_default();
    match v {
        Verdict::Yes => "是".into(),
        Verdict::No => "否".into(),
        Verdict::IfFineAtMost => format!("罚款不超过{t}时是"),
        Verdict::IfFineAtLeast => format!("罚款达到{t}时是"),
        Verdict::NotApplicable => "不适用（无罚款）".into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn procedure(
    ctx: &mut Ctx<'_>,
    data: &LawData,
    q: &PenaltyQuery,
    config: &LocalConfig,
    date: Date,
    range: Option<(i64, i64)>,
    decided: Option<i64>,
    heavy: bool,
    facts: &[Condition],
    expl: &mut Vec<String>,
) -> Result<Procedure, LawError> {
    let amount_words = match (decided, range) {
        (Some(f), _) => format!("拟罚款 {}", format_yuan(f)),
        (None, Some((a, b))) => format!("罚款幅度 {}至{}", format_yuan(a), format_yuan(b)),
        (None, None) => "无罚款".into(),
    };
    // 简易程序 (行政处罚法 51).
    let key = match q.party {
        Party::Individual => "simple_procedure_individual_max_yuan",
        Party::Unit => "simple_procedure_unit_max_yuan",
    };
    let v = figure(data, key, date)?;
    let t = figure_fen(v)?;
    let cite = ctx.cite_value(v);
    let mut verdict = verdict_at_most(range, decided, t);
    let mut reason = format!(
        "对{}罚款在{}以下可以当场作出决定（违法事实确凿并有法定依据）；{amount_words}",
        q.party.label(),
        format_yuan(t)
    );
    if heavy {
        verdict = Verdict::No;
        reason.push_str("；另有暂停、解除服务协议、吊销、禁业或取消投标资格等较重措施，不适用简易程序");
    }
    let simple = ProcedureCheck {
        verdict,
        threshold_fen: Some(t),
        reason,
        citation: cite,
        local: false,
        unverified: v.status != "verified",
    };
    expl.push(format!(
        "简易程序：{}——{}（{}）。",
        verdict_words(simple.verdict, simple.threshold_fen),
        simple.reason,
        simple.citation.label
    ));

    // 当场收缴 (68).
    let v = figure(data, "on_the_spot_collection_max_yuan", date)?;
    let t = figure_fen(v)?;
    let cite = ctx.cite_value(v);
    let spot = ProcedureCheck {
        verdict: verdict_at_most(range, decided, t),
        threshold_fen: Some(t),
        reason: format!(
            "{}以下罚款可以当场收缴（另：不当场收缴事后难以执行的）；{amount_words}",
            format_yuan(t)
        ),
        citation: cite,
        local: false,
        unverified: v.status != "verified",
    };
    expl.push(format!(
        "当场收缴：{}——{}（{}）。",
        verdict_words(spot.verdict, spot.threshold_fen),
        spot.reason,
        spot.citation.label
    ));

    // 听证 (63; the amount is local).
    let t = match q.party {
        Party::Individual => config.hearing_individual_min_fen,
        Party::Unit => config.hearing_unit_min_fen,
    };
    let mut verdict = verdict_at_least(range, decided, t);
    if heavy {
        verdict = Verdict::Yes;
    }
    // The hearing and review rules are cited from the 2021 text; before it took effect the
    // 2017 edition (not loaded) applied: the checks are then marked unverified.
    let rules_2021 = ctx.reg.current("行政处罚法").and_then(|e| e.effective).is_none_or(|e| e <= date);
    let rule_status = if rules_2021 { "verified" } else { "unverified" };
    if !rules_2021 {
        expl.push("注意：计算日早于2021年修订的《行政处罚法》施行日（2021-07-15），听证、法制审核按现行条文说明，未核实。".into());
    }
    let cite = ctx.cite("行政处罚法", 63, None, rule_status);
    ctx.cite_local(config);
    let hearing = ProcedureCheck {
        verdict,
        threshold_fen: Some(t),
        reason: format!(
            "较大数额罚款（{}：对{}{}以上）或暂停、解除服务协议等措施应告知听证权利；{amount_words}{}",
            config.name,
            q.party.label(),
            format_yuan(t),
            if heavy { "；有较重措施" } else { "" }
        ),
        citation: cite,
        local: true,
        unverified: !rules_2021,
    };
    expl.push(format!(
        "听证权利：{}——{}（{}；数额标准为地方配置：{}）。",
        verdict_words(hearing.verdict, hearing.threshold_fen),
        hearing.reason,
        hearing.citation.label,
        config.source
    ));

    // 法制审核 (58; the amount is local).
    let t = match q.party {
        Party::Individual => config.review_individual_min_fen,
        Party::Unit => config.review_unit_min_fen,
    };
    let mut verdict = verdict_at_least(range, decided, t);
    let terminates = heavy;
    if terminates {
        verdict = Verdict::Yes;
    }
    let cite = ctx.cite("行政处罚法", 58, None, rule_status);
    let review = ProcedureCheck {
        verdict,
        threshold_fen: Some(t),
        reason: format!(
            "重大执法决定须法制审核（{}：对{}{}以上，或责令解除服务协议等；经过听证程序的亦须审核）；{amount_words}",
            config.name,
            q.party.label(),
            format_yuan(t)
        ),
        citation: cite,
        local: true,
        unverified: !rules_2021,
    };
    expl.push(format!(
        "法制审核：{}——{}（{}；数额标准为地方配置）。",
        verdict_words(review.verdict, review.threshold_fen),
        review.reason,
        review.citation.label
    ));

    // 缴纳期限 (67).
    let v = figure(data, "payment_days", date)?;
    let payment_days = figure_u32(v)?;
    let cite = ctx.cite_value(v);
    expl.push(format!("缴纳期限：自收到决定书之日起{payment_days}日内（{}）。", cite.label));

    // 加处罚款 (72).
    let surcharge = match (decided, q.days_overdue) {
        (Some(fine), Some(days)) => {
            let rv = figure(data, "surcharge_daily_rate", date)?;
            let cv = figure(data, "surcharge_cap_share_of_fine", date)?;
            let r = parse_ratio(&rv.value).ok_or_else(|| LawError::Data("bad surcharge rate".into()))?;
            let cap_r = parse_ratio(&cv.value).ok_or_else(|| LawError::Data("bad surcharge cap".into()))?;
            let raw = mul_ratio(fine, (r.0 * i128::from(days), r.1), false);
            let cap = mul_ratio(fine, cap_r, false);
            let capped = raw >= cap;
            let amount = raw.min(cap);
            let c1 = ctx.cite_value(rv);
            let c2 = ctx.cite_value(cv);
            expl.push(format!(
                "加处罚款：{} × {} × {}日 = {}{}，计 {}（向下取整到分；{}）。",
                format_yuan(fine),
                ratio_words(&rv.value),
                days,
                format_yuan(raw),
                if capped {
                    format!("，超过罚款数额，以罚款数额 {} 为限", format_yuan(cap))
                } else {
                    String::new()
                },
                format_yuan(amount),
                if c1.label == c2.label { c1.label.clone() } else { format!("{}；{}", c1.label, c2.label) },
            ));
            Some(Surcharge {
                fine_fen: fine,
                days,
                rate: rv.value.clone(),
                amount_fen: amount,
                capped,
                citations: vec![c1, c2],
                unverified: rv.status != "verified" || cv.status != "verified",
            })
        }
        _ => None,
    };

    // 追责时效 (36).
    let extended = facts.contains(&Condition::LifeHealthHarm);
    let v = figure(data, if extended { "limitation_years_extended" } else { "limitation_years" }, date)?;
    let years = figure_u32(v)?;
    let cite = ctx.cite_value(v);
    let discovered = q.discovered_on.or(Some(date));
    let last_day = match q.act_date {
        Some(a) => Some(a.add_years(years as i32).ok_or_else(|| LawError::Data("date out of range".into()))?),
        None => None,
    };
    let expired = match (last_day, discovered) {
        (Some(l), Some(d)) => Some(d > l),
        _ => None,
    };
    match (q.act_date, last_day) {
        (Some(a), Some(l)) => expl.push(format!(
            "追责时效：{years}年，自{a}起算，至{l}（含）届满；节假日不顺延（按日历年计算）；发现日 {}：{}（{}）。",
            discovered.map(|d| d.to_string()).unwrap_or_default(),
            if expired == Some(true) { "已超过时效，不再给予行政处罚" } else { "在时效内" },
            cite.label
        )),
        _ => expl.push(format!(
            "追责时效：{years}年，自违法行为发生之日（连续或继续状态的，自行为终了之日）起计算（{}）。",
            cite.label
        )),
    }
    let limitation = Limitation {
        years,
        act_date: q.act_date,
        last_day,
        discovered_on: discovered,
        expired,
        citation: cite,
        unverified: v.status != "verified",
    };
    Ok(Procedure {
        simple_procedure: simple,
        on_the_spot_collection: spot,
        hearing,
        legal_review: review,
        payment_days,
        surcharge,
        limitation,
    })
}

#[cfg(test)]
mod tests {
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
    fn multiples_round_inside_the_range() {
        assert_eq!(mul_ratio(333, (5, 1000), true), 2); // 1.665 fen → 2
        assert_eq!(mul_ratio(333, (10, 1000), false), 3); // 3.33 fen → 3
        assert_eq!(ratio_pair_words("0.005", "0.01"), "千分之五至千分之十");
        assert_eq!(ratio_pair_words("2", "5"), "2倍至5倍");
        assert_eq!(ratio_words("0.0005"), "万分之五");
    }
}
