//! The procedural consequences of a decision (行政处罚法 第五十一、五十八、六十三、六十七、
//! 六十八、七十二、三十六条), one function per check, in figures only. The case engine's guards
//! call [`hearing`] and [`legal_review`] directly; the calculator calls [`procedure`].

use super::{LocalConfig, Party, Verdict, mul_ratio};
use crate::date::Date;
use crate::error::LawError;
use crate::registry::Registry;
use crate::sanctions::{DatedValue, Figure, LawData, parse_ratio};

/// What the procedural checks need to know about a (proposed) decision.
#[derive(Debug, Clone, Copy)]
pub struct ProcedureInput<'a> {
    pub party: Party,
    /// Day of the decision: the figures in force on it apply.
    pub date: Date,
    /// Statutory range of the fine on the party, when a fine applies.
    pub range: Option<(i64, i64)>,
    /// The fine decided or proposed, in fen.
    pub decided: Option<i64>,
    /// Whether a heavy measure applies (暂停, 解除服务协议, 吊销, 禁业, 取消投标资格).
    pub heavy: bool,
    /// The bureau's hearing and review thresholds.
    pub config: &'a LocalConfig,
    /// Days the decided fine is overdue (加处罚款).
    pub days_overdue: Option<u32>,
    /// Day of the act (or of its end), for the limitation period.
    pub act_date: Option<Date>,
    /// Day the act was discovered (default: `date`).
    pub discovered_on: Option<Date>,
    /// 涉及公民生命健康安全、金融安全且有危害后果: the five-year limitation.
    pub extended_limitation: bool,
}

/// A check against a statutory figure (简易程序, 当场收缴).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureCheck<'d> {
    pub verdict: Verdict,
    pub threshold_fen: i64,
    /// The figure's value in force, with its citation.
    pub figure: &'d DatedValue,
}

/// A check against a bureau's own threshold (听证, 法制审核).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalCheck {
    pub verdict: Verdict,
    pub threshold_fen: i64,
}

/// 加处罚款 on an overdue fine, in figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurchargeFigures<'d> {
    pub fine_fen: i64,
    pub days: u32,
    /// Uncapped amount: fine × daily rate × days, rounded down.
    pub raw_fen: i64,
    pub cap_fen: i64,
    pub capped: bool,
    pub amount_fen: i64,
    pub rate: &'d DatedValue,
    pub cap: &'d DatedValue,
}

/// The limitation period (追责时效), in figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitationFigures<'d> {
    pub years: u32,
    pub act_date: Option<Date>,
    pub last_day: Option<Date>,
    pub discovered_on: Date,
    pub expired: Option<bool>,
    pub figure: &'d DatedValue,
}

/// Every procedural consequence, in figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcedureOutcome<'d> {
    pub simple_procedure: FigureCheck<'d>,
    pub on_the_spot_collection: FigureCheck<'d>,
    /// Whether the 2021 行政处罚法 (whose articles 58 and 63 are cited) was in force.
    pub rules_2021: bool,
    pub hearing: LocalCheck,
    pub legal_review: LocalCheck,
    pub payment_days: u32,
    pub payment_figure: &'d DatedValue,
    pub surcharge: Option<SurchargeFigures<'d>>,
    pub limitation: LimitationFigures<'d>,
}

/// Every check, in the order the explanation gives them.
pub fn procedure<'d>(
    reg: &Registry,
    data: &'d LawData,
    input: &ProcedureInput<'_>,
) -> Result<ProcedureOutcome<'d>, LawError> {
    let simple_procedure = simple_procedure(data, input)?;
    let on_the_spot_collection = on_the_spot_collection(data, input)?;
    let (payment_days, payment_figure) = payment_period(data, input.date)?;
    let surcharge = match (input.decided, input.days_overdue) {
        (Some(fine), Some(days)) => Some(surcharge(data, input.date, fine, days)?),
        _ => None,
    };
    Ok(ProcedureOutcome {
        simple_procedure,
        on_the_spot_collection,
        rules_2021: rules_2021_in_force(reg, input.date),
        hearing: hearing(input),
        legal_review: legal_review(input),
        payment_days,
        payment_figure,
        surcharge,
        limitation: limitation(data, input)?,
    })
}

/// 简易程序 (行政处罚法 第五十一条): a decision on the spot for a fine up to the figure, never
/// with a heavy measure.
pub fn simple_procedure<'d>(
    data: &'d LawData,
    input: &ProcedureInput<'_>,
) -> Result<FigureCheck<'d>, LawError> {
    let key = match input.party {
        Party::Individual => "simple_procedure_individual_max_yuan",
        Party::Unit => "simple_procedure_unit_max_yuan",
    };
    let figure = figure(data, key, input.date)?;
    let threshold_fen = figure_fen(figure)?;
    let verdict =
        if input.heavy { Verdict::No } else { verdict_at_most(input.range, input.decided, threshold_fen) };
    Ok(FigureCheck { verdict, threshold_fen, figure })
}

/// 当场收缴 (行政处罚法 第六十八条): a fine up to the figure may be collected on the spot.
pub fn on_the_spot_collection<'d>(
    data: &'d LawData,
    input: &ProcedureInput<'_>,
) -> Result<FigureCheck<'d>, LawError> {
    let figure = figure(data, "on_the_spot_collection_max_yuan", input.date)?;
    let threshold_fen = figure_fen(figure)?;
    Ok(FigureCheck {
        verdict: verdict_at_most(input.range, input.decided, threshold_fen),
        threshold_fen,
        figure,
    })
}

/// The right to a hearing (听证, 行政处罚法 第六十三条): a 较大数额 fine (a local threshold) or a
/// heavy measure.
pub fn hearing(input: &ProcedureInput<'_>) -> LocalCheck {
    let threshold_fen = match input.party {
        Party::Individual => input.config.hearing_individual_min_fen,
        Party::Unit => input.config.hearing_unit_min_fen,
    };
    let verdict =
        if input.heavy { Verdict::Yes } else { verdict_at_least(input.range, input.decided, threshold_fen) };
    LocalCheck { verdict, threshold_fen }
}

/// 法制审核 (行政处罚法 第五十八条): a 重大执法决定, by a local threshold, or a heavy measure
/// (解除服务协议 ends the relation).
pub fn legal_review(input: &ProcedureInput<'_>) -> LocalCheck {
    let threshold_fen = match input.party {
        Party::Individual => input.config.review_individual_min_fen,
        Party::Unit => input.config.review_unit_min_fen,
    };
    let verdict =
        if input.heavy { Verdict::Yes } else { verdict_at_least(input.range, input.decided, threshold_fen) };
    LocalCheck { verdict, threshold_fen }
}

/// The hearing and review rules are cited from the 2021 text; before it took effect the 2017
/// edition (not loaded) applied, and those checks are then unverified.
pub fn rules_2021_in_force(reg: &Registry, date: Date) -> bool {
    reg.current("行政处罚法").and_then(|e| e.effective).is_none_or(|e| e <= date)
}

/// 缴纳期限 (行政处罚法 第六十七条): days from receipt of the decision.
pub fn payment_period(data: &LawData, date: Date) -> Result<(u32, &DatedValue), LawError> {
    let v = figure(data, "payment_days", date)?;
    Ok((figure_u32(v)?, v))
}

/// 加处罚款 (行政处罚法 第七十二条; 行政强制法 第四十五条): a daily share of the fine, capped
/// at the fine. Rounded down to the fen.
pub fn surcharge(data: &LawData, date: Date, fine: i64, days: u32) -> Result<SurchargeFigures<'_>, LawError> {
    let rate = figure(data, "surcharge_daily_rate", date)?;
    let cap = figure(data, "surcharge_cap_share_of_fine", date)?;
    let r = parse_ratio(&rate.value).ok_or_else(|| LawError::Data("bad surcharge rate".into()))?;
    let cap_r = parse_ratio(&cap.value).ok_or_else(|| LawError::Data("bad surcharge cap".into()))?;
    let raw_fen = mul_ratio(fine, (r.0 * i128::from(days), r.1), false);
    let cap_fen = mul_ratio(fine, cap_r, false);
    let capped = raw_fen >= cap_fen;
    Ok(SurchargeFigures {
        fine_fen: fine,
        days,
        raw_fen,
        cap_fen,
        capped,
        amount_fen: raw_fen.min(cap_fen),
        rate,
        cap,
    })
}

/// 追责时效 (行政处罚法 第三十六条): calendar years from the act, never moved for holidays.
pub fn limitation<'d>(
    data: &'d LawData,
    input: &ProcedureInput<'_>,
) -> Result<LimitationFigures<'d>, LawError> {
    let key = if input.extended_limitation { "limitation_years_extended" } else { "limitation_years" };
    let figure = figure(data, key, input.date)?;
    let years = figure_u32(figure)?;
    let discovered_on = input.discovered_on.unwrap_or(input.date);
    let last_day = match input.act_date {
        Some(a) => Some(a.add_years(years as i32).ok_or_else(|| LawError::Data("date out of range".into()))?),
        None => None,
    };
    Ok(LimitationFigures {
        years,
        act_date: input.act_date,
        last_day,
        discovered_on,
        expired: last_day.map(|l| discovered_on > l),
        figure,
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

/// The value of a procedural figure in force on `date`.
pub(crate) fn figure<'d>(data: &'d LawData, key: &str, date: Date) -> Result<&'d DatedValue, LawError> {
    let f: &Figure =
        data.figure(key).ok_or_else(|| LawError::Data(format!("procedure figure {key} missing")))?;
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
