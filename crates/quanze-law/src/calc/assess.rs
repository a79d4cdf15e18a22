//! The calculator's figures: the sanction article in force, the facts, each consequence the
//! facts switch on with its range, the discretion bands and the procedural checks — numbers and
//! references into the law data, with no text. [`explain`](super::explain::explain) words an
//! [`Assessment`] into a [`PenaltyResult`](super::PenaltyResult) only when asked.

use std::sync::OnceLock;

use super::procedure::{ProcedureInput, ProcedureOutcome, procedure};
use super::{LocalConfig, Party, PenaltyQuery, check_amount, mul_ratio};
use crate::date::Date;
use crate::error::LawError;
use crate::registry::{Lookup, Registry, StatuteEdition};
use crate::sanctions::{Component, Condition, Consequence, LawData, Multiple, PartyScope, Sanction, Target};

/// A set of [`Condition`]s (bit i is `Condition::ALL[i]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts(u32);

impl Facts {
    pub fn of(conditions: &[Condition]) -> Facts {
        Facts(conditions.iter().fold(0, |m, c| m | bit(*c)))
    }
    pub fn has(self, c: Condition) -> bool {
        self.0 & bit(c) != 0
    }
    fn add(&mut self, c: Condition) {
        self.0 |= bit(c);
    }
}

fn bit(c: Condition) -> u32 {
    1 << (c as u32)
}

/// Whether a component's conditions hold.
fn applies(c: &Component, f: Facts) -> bool {
    c.when.iter().all(|x| f.has(*x))
        && (c.when_any.is_empty() || c.when_any.iter().any(|x| f.has(*x)))
        && !c.unless.iter().any(|x| f.has(*x))
}

/// Facts the amounts given imply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inferred {
    /// A 损失金额 above zero: 造成基金损失.
    pub loss_caused: bool,
    /// A 中标项目金额 given: 中标.
    pub bid_won: bool,
}

/// What one consequence gives, in figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    /// A multiple of the base; `base` is `None` when no base was given (then the component does
    /// not apply, and its range is 0).
    FineRatio {
        base: Option<i64>,
        min_fen: i64,
        max_fen: i64,
    },
    FineFixed {
        min_fen: i64,
        max_fen: i64,
    },
    /// A share of the fine on the unit.
    FineShare {
        basis: ShareBasis,
        min_fen: i64,
        max_fen: i64,
    },
    /// A non-fine consequence, with the amount it concerns (restitution, late fee).
    Measure {
        amount_fen: Option<i64>,
    },
}

/// What a fine on a responsible person is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareBasis {
    /// The fine decided on the unit.
    Decided(i64),
    /// The statutory range of the fine on the unit.
    Range(i64, i64),
    /// No fine on the unit applies.
    None,
}

/// One consequence of the sanction article for the facts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome<'a> {
    pub sanction: &'a Sanction,
    pub component: &'a Component,
    pub applies: bool,
    pub figures: Figures,
}

impl Outcome<'_> {
    pub fn is_fine(&self) -> bool {
        !matches!(self.figures, Figures::Measure { .. })
    }
    /// The fine's range (0, 0 for a measure).
    pub fn range(&self) -> (i64, i64) {
        match self.figures {
            Figures::FineRatio { min_fen, max_fen, .. }
            | Figures::FineFixed { min_fen, max_fen }
            | Figures::FineShare { min_fen, max_fen, .. } => (min_fen, max_fen),
            Figures::Measure { .. } => (0, 0),
        }
    }
}

/// A daily late fee (滞纳金), in figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LateFeeFigures<'a> {
    pub base_fen: i64,
    pub days: u32,
    /// The decimal rate as the data gives it.
    pub rate: &'a str,
    pub amount_fen: i64,
    pub sanction: &'a Sanction,
    pub component: &'a Component,
}

/// The calculator's work for one query, without text.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment<'a> {
    pub query: &'a PenaltyQuery,
    pub date: Date,
    pub edition: &'a StatuteEdition,
    /// An earlier edition applied on the date but its text is not loaded: this edition's
    /// figures are used, unverified.
    pub older_text: bool,
    /// The sanction records of the article (one per paragraph split in the data).
    pub sanctions: Vec<&'a Sanction>,
    pub facts: Facts,
    pub inferred: Inferred,
    pub base: Option<i64>,
    pub fine_decided: Option<i64>,
    pub config: &'a LocalConfig,
    /// Every consequence, fines on the party before shares of them.
    pub outcomes: Vec<Outcome<'a>>,
    pub late_fee: Option<LateFeeFigures<'a>>,
    /// Statutory range of the fine on the party, when one applies.
    pub fine: Option<(i64, i64)>,
    /// The two cuts between 从轻/一般/从重, when a fine applies.
    pub band_cuts: Option<(i64, i64)>,
    pub procedure: ProcedureOutcome<'a>,
    /// Whether a heavy measure applies (no 简易程序; a right to a hearing).
    pub heavy: bool,
    /// Whether a figure used is UNVERIFIED.
    pub unverified: bool,
}

impl Assessment<'_> {
    /// The first sanction record: its liable party, behaviour and base.
    pub fn sanction(&self) -> &Sanction {
        self.sanctions[0]
    }
}

/// The default configuration, built once.
pub(crate) fn default_config() -> &'static LocalConfig {
    static C: OnceLock<LocalConfig> = OnceLock::new();
    C.get_or_init(LocalConfig::default)
}

/// Compute the figures of a query: no explanation, no citation labels.
pub fn assess<'a>(
    reg: &'a Registry,
    data: &'a LawData,
    q: &'a PenaltyQuery,
) -> Result<Assessment<'a>, LawError> {
    if let Some(e) = data.load_errors.first() {
        return Err(LawError::Data(e.clone()));
    }
    let date = q.date;
    let base = q.base_amount_fen.map(|b| check_amount("base amount", b)).transpose()?;
    let fine_decided = q.fine_fen.map(|b| check_amount("fine", b)).transpose()?;
    let config = q.config.as_ref().unwrap_or_else(|| default_config());
    let (edition, older_text) = edition_on(reg, &q.statute, date)?;
    let sanctions = resolve_sanctions(data, edition, q)?;
    let (facts, inferred) = infer_facts(q, sanctions[0], base);

    let mut outcomes: Vec<Outcome<'_>> = Vec::with_capacity(8);
    for s in &sanctions {
        outcomes.extend(s.component.iter().map(|c| Outcome {
            sanction: s,
            component: c,
            applies: applies(c, facts),
            figures: Figures::Measure { amount_fen: None },
        }));
    }
    // The party's fine first: a share is a share of it.
    outcomes.sort_by_key(|o| matches!(o.component.consequence, Consequence::FineShare { .. }));
    let mut fine = None;
    let mut late_fee = None;
    for o in &mut outcomes {
        let c = o.component;
        match &c.consequence {
            Consequence::FineRatio { min, max } => o.figures = fine_ratio(edition, o, (min, max), base)?,
            Consequence::FineFixed { min_yuan, max_yuan } => {
                o.figures = Figures::FineFixed {
                    min_fen: min_yuan.saturating_mul(100),
                    max_fen: max_yuan.saturating_mul(100),
                };
            }
            Consequence::FineShare { min, max } => {
                o.figures = fine_share((min, max), fine_decided, fine);
                o.applies = o.applies && fine.is_some();
            }
            Consequence::LateFeeDaily { rate } => {
                if let Some(l) = late_fee_daily(o, rate, base, q.days_owed) {
                    late_fee = Some(l);
                }
                o.figures =
                    Figures::Measure { amount_fen: late_fee.map(|l: LateFeeFigures<'_>| l.amount_fen) };
            }
            Consequence::Restitution | Consequence::Recover => {
                o.figures = Figures::Measure { amount_fen: base };
            }
            Consequence::OrderCorrection
            | Consequence::Interview
            | Consequence::Confiscate
            | Consequence::Discipline
            | Consequence::StopAssistance
            | Consequence::BidVoid
            | Consequence::TerminateAgreement
            | Consequence::RevokeLicense
            | Consequence::Referral
            | Consequence::PayeeRule
            | Consequence::Suspension { .. }
            | Consequence::Ban { .. }
            | Consequence::BidDisqualification { .. } => {}
        }
        if o.applies
            && c.target == Target::Party
            && matches!(o.figures, Figures::FineRatio { .. } | Figures::FineFixed { .. })
        {
            fine = Some(o.range());
        }
    }
    let band_cuts = fine.map(|(lo, hi)| bands(config, lo, hi));
    let heavy = outcomes.iter().any(|o| o.applies && o.component.kind().is_heavy());
    let input = ProcedureInput {
        party: q.party,
        date,
        range: fine,
        decided: fine_decided,
        heavy,
        config,
        days_overdue: q.days_overdue,
        act_date: q.act_date,
        discovered_on: q.discovered_on,
        extended_limitation: facts.has(Condition::LifeHealthHarm),
    };
    let procedure = procedure(reg, data, &input)?;
    let p = &procedure;
    let unverified = older_text
        || !p.rules_2021
        || !p.simple_procedure.figure.is_verified()
        || !p.on_the_spot_collection.figure.is_verified()
        || !p.payment_figure.is_verified()
        || p.surcharge.is_some_and(|s| !s.rate.is_verified() || !s.cap.is_verified())
        || !p.limitation.figure.is_verified();
    Ok(Assessment {
        query: q,
        date,
        edition,
        older_text,
        sanctions,
        facts,
        inferred,
        base,
        fine_decided,
        config,
        outcomes,
        late_fee,
        fine,
        band_cuts,
        procedure,
        heavy,
        unverified,
    })
}

/// The edition in force on `date` (and whether an older, unloaded text applied), or why
/// there is none.
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

/// The article's sanction records, checked against the party.
/// The most paragraphs (款) an article is assumed to have when its text is not held.
pub const MAX_PARAGRAPHS: u32 = 30;

fn resolve_sanctions<'a>(
    data: &'a LawData,
    edition: &StatuteEdition,
    q: &PenaltyQuery,
) -> Result<Vec<&'a Sanction>, LawError> {
    let title = &edition.title;
    if let Some(paragraph) = q.paragraph {
        // A paragraph the article has: its count from the full text when the registry holds
        // it, else a bound no article of the registry reaches (issue 12: 4294967295 was
        // accepted and worded 第七千二百九十五款).
        let count = match edition.article(q.article) {
            Some(a) if edition.full_text && !a.paragraphs.is_empty() => {
                Some(u32::try_from(a.paragraphs.len()).unwrap_or(u32::MAX))
            }
            _ => None,
        };
        if paragraph == 0 || paragraph > count.unwrap_or(MAX_PARAGRAPHS) {
            return Err(LawError::UnknownParagraph {
                statute: title.clone(),
                article: q.article,
                paragraph,
                count,
            });
        }
    }
    let sanctions = data.sanctions_of(title, q.article, q.paragraph);
    if sanctions.is_empty() {
        if edition.full_text && edition.article(q.article).is_none() {
            return Err(LawError::UnknownArticle {
                statute: title.clone(),
                article: q.article,
                count: edition.article_count(),
            });
        }
        let mut known: Vec<u32> =
            data.sanctions.iter().filter(|s| s.statute == *title).map(|s| s.article).collect();
        known.dedup();
        return Err(LawError::NoSanction {
            statute: title.clone(),
            article: q.article,
            known: if known.is_empty() {
                "none".into()
            } else {
                known.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            },
        });
    }
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
    Ok(sanctions)
}

/// The facts given, with those the amounts imply and 情节特别严重 ⇒ 情节严重.
fn infer_facts(q: &PenaltyQuery, first: &Sanction, base: Option<i64>) -> (Facts, Inferred) {
    let mut facts = Facts::of(&q.conditions);
    let mut inferred = Inferred::default();
    if let (Some(b), Some(kind)) = (base, first.base.as_deref()) {
        if b > 0 && kind == "损失金额" && !facts.has(Condition::LossCaused) {
            facts.add(Condition::LossCaused);
            inferred.loss_caused = true;
        }
        if b > 0 && kind == "中标项目金额" && !facts.has(Condition::BidWon) {
            facts.add(Condition::BidWon);
            inferred.bid_won = true;
        }
    }
    if facts.has(Condition::EspeciallySerious) {
        facts.add(Condition::Serious);
    }
    (facts, inferred)
}

/// A multiple of the base: the minimum rounded up, the maximum down, inside the statutory range.
fn fine_ratio(
    edition: &StatuteEdition,
    o: &Outcome<'_>,
    (min, max): (&Multiple, &Multiple),
    base: Option<i64>,
) -> Result<Figures, LawError> {
    match base {
        Some(b) => Ok(Figures::FineRatio {
            base: Some(b),
            min_fen: mul_ratio(b, min.ratio, true),
            max_fen: mul_ratio(b, max.ratio, false),
        }),
        None if o.applies => Err(LawError::MissingBase {
            statute: edition.title.clone(),
            article: o.sanction.article,
            base: o.sanction.base.clone().unwrap_or_else(|| "基数".into()),
        }),
        None => Ok(Figures::FineRatio { base: None, min_fen: 0, max_fen: 0 }),
    }
}

/// A share of the fine on the unit (decided, or its statutory range).
fn fine_share((min, max): (&Multiple, &Multiple), decided: Option<i64>, unit: Option<(i64, i64)>) -> Figures {
    let (basis, lo, hi) = match (decided, unit) {
        (Some(f), _) => (ShareBasis::Decided(f), f, f),
        (None, Some((a, b))) => (ShareBasis::Range(a, b), a, b),
        (None, None) => (ShareBasis::None, 0, 0),
    };
    Figures::FineShare {
        basis,
        min_fen: mul_ratio(lo, min.ratio, true),
        max_fen: mul_ratio(hi, max.ratio, false),
    }
}

/// 滞纳金: base × daily rate × days, rounded down; no cap unless the law sets one.
fn late_fee_daily<'a>(
    o: &Outcome<'a>,
    rate: &'a Multiple,
    base: Option<i64>,
    days_owed: Option<u32>,
) -> Option<LateFeeFigures<'a>> {
    let (b, days) = (base?, days_owed?);
    Some(LateFeeFigures {
        base_fen: b,
        days,
        rate: &rate.text,
        amount_fen: mul_ratio(b, (rate.ratio.0 * i128::from(days), rate.ratio.1), false),
        sanction: o.sanction,
        component: o.component,
    })
}

/// The cuts between the discretion bands (裁量档次), rounded down to the fen.
fn bands(config: &LocalConfig, min_fen: i64, max_fen: i64) -> (i64, i64) {
    let r = max_fen - min_fen;
    let cut = |f: [i64; 2]| -> i64 {
        if f[1] <= 0 { min_fen } else { min_fen + mul_ratio(r, (i128::from(f[0]), i128::from(f[1])), false) }
    };
    let c1 = cut(config.band_cuts[0]).clamp(min_fen, max_fen);
    let c2 = cut(config.band_cuts[1]).clamp(c1, max_fen);
    (c1, c2)
}
