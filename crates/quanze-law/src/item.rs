//! The calculator applied to an item of a list: every sanction article among the item's
//! citations, computed, with the article whose fine is highest marked (行政处罚法 第二十九条).
//! One computation for `quanze penalty --list FILE --item SEQ`, the API and the item page, so
//! that they cannot disagree.

use quanze_model::PowerItem;
use serde::{Serialize, Serializer};

use crate::calc::explain::ratio_words;
use crate::calc::{Party, PenaltyQuery, PenaltyResult, compute, format_yuan};
use crate::date::Date;
use crate::error::LawError;
use crate::registry::Registry;
use crate::sanctions::Condition;
use crate::sanctions::{Consequence, Sanction, law_data};
use crate::text::{article_label, cn_number};

/// A citation of the item that names no sanction article the calculator knows, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// 《社会保险法》第八条, as the list cites it.
    pub citation: String,
    /// Why it gave no computation (Chinese, for the user).
    pub reason: String,
}

/// What the calculator says for one sanction article an item cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemPenalty {
    /// Canonical title (社会保险法).
    pub statute: String,
    pub article: u32,
    /// The paragraph, when the data splits the article by paragraph and the item cites one.
    pub paragraph: Option<u32>,
    /// 《中华人民共和国社会保险法》第八十七条(第一款).
    pub heading: String,
    /// The party computed for: a unit, or an individual when the article is aimed at individuals.
    pub party: Party,
    /// One line per fine: the formula, and its range when it applies (罚款（当事人）：骗取金额
    /// 10,000.00元 × 2倍至5倍 → 20,000.00元 至 50,000.00元).
    pub formulas: Vec<String>,
    pub outcome: ItemOutcome,
}

/// The computation of one article, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    Computed(Box<PenaltyResult>),
    /// The fine is a multiple of an amount not given (骗取金额…): `formulas` says of what.
    NeedsBase {
        base: String,
    },
    /// The article cannot be computed on the day (not yet or no longer in force, no figure…).
    Failed(#[serde(serialize_with = "as_text")] LawError),
}

fn as_text<S: Serializer>(e: &LawError, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(e)
}

impl ItemPenalty {
    pub fn result(&self) -> Option<&PenaltyResult> {
        match &self.outcome {
            ItemOutcome::Computed(r) => Some(r),
            _ => None,
        }
    }

    /// The statutory range of the party's fine, when one applies.
    pub fn fine(&self) -> Option<(i64, i64)> {
        self.result().filter(|r| r.fine_applies).map(|r| (r.min_fen, r.max_fen))
    }
}

/// What the calculator says for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemPenalties {
    pub item: Option<u32>,
    pub name: String,
    /// The day computed for.
    pub date: Date,
    pub base_amount_fen: Option<i64>,
    /// One entry per sanction article cited (in the order cited, without repeats).
    pub penalties: Vec<ItemPenalty>,
    pub skipped: Vec<Skipped>,
    /// Index in `penalties` of the article the fine is imposed under (行政处罚法 第二十九条): the
    /// one whose maximum fine is strictly the highest; none on a tie.
    pub highest: Option<usize>,
}

impl ItemPenalties {
    pub fn needs_base(&self) -> bool {
        self.penalties.iter().any(|p| matches!(p.outcome, ItemOutcome::NeedsBase { .. }))
    }
}

/// What every article an item cites is computed with: the day of the decision and the facts,
/// which are the same whatever article is cited (the articles are the item's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemQuery {
    /// Day of the decision: figures in force on this day are used.
    pub date: Date,
    /// A unit by default; an article aimed at individuals is computed for an individual.
    pub party: Party,
    /// The base of multiples (骗取金额…), in fen.
    pub base_amount_fen: Option<i64>,
    /// Facts established.
    pub conditions: Vec<Condition>,
}

impl ItemQuery {
    /// The query on the day of the decision, for a unit, with no base and no facts.
    pub fn on(date: Date) -> ItemQuery {
        ItemQuery { date, party: Party::Unit, base_amount_fen: None, conditions: Vec::new() }
    }

    /// The query for one cited article.
    fn article(&self, statute: String, article: u32, paragraph: Option<u32>) -> PenaltyQuery {
        PenaltyQuery {
            paragraph,
            base_amount_fen: self.base_amount_fen,
            party: self.party,
            conditions: self.conditions.clone(),
            ..PenaltyQuery::new(statute, article, self.date)
        }
    }
}

/// Compute every sanction article the item cites, on the day and with the facts of `query`.
/// An article aimed at individuals is computed for an individual when the query's party is a
/// unit.
pub fn compute_for_item(reg: &Registry, item: &PowerItem, query: &ItemQuery) -> ItemPenalties {
    let data = law_data();
    let mut out = ItemPenalties {
        item: item.seq,
        name: item.name.clone(),
        date: query.date,
        base_amount_fen: query.base_amount_fen,
        penalties: Vec::new(),
        skipped: Vec::new(),
        highest: None,
    };
    let mut seen: Vec<(String, u32, Option<u32>)> = Vec::new();
    for c in &item.legal_basis.citations {
        let label = format!("《{}》{}", c.title, c.article.map(article_label).unwrap_or_default());
        let Some(article) = c.article else {
            out.skipped.push(Skipped { citation: label, reason: "未引用具体条文".into() });
            continue;
        };
        let title = reg.canonical_title(&c.title).unwrap_or(&c.title).to_string();
        // A paragraph is used only when the data splits the article by paragraph.
        let paragraph = c
            .paragraph
            .filter(|p| data.sanctions_of(&title, article, Some(*p)).iter().any(|s| s.paragraph == Some(*p)));
        let sanctions = data.sanctions_of(&title, article, paragraph);
        if sanctions.is_empty() {
            out.skipped
                .push(Skipped { citation: label, reason: "不是计算器收录的罚则条文".into() });
            continue;
        }
        let key = (title.clone(), article, paragraph);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.penalties.push(article_penalty(reg, &sanctions, query.article(title, article, paragraph)));
    }
    out.highest = highest(&out.penalties);
    out
}

fn article_penalty(reg: &Registry, sanctions: &[&Sanction], mut q: PenaltyQuery) -> ItemPenalty {
    let (article, paragraph) = (q.article, q.paragraph);
    let mut r = compute(reg, &q);
    if q.party == Party::Unit && matches!(r, Err(LawError::PartyMismatch { .. })) {
        q.party = Party::Individual;
        r = compute(reg, &q);
    }
    let full = reg.current(&q.statute).map_or_else(|| q.statute.clone(), |e| e.full_title.clone());
    let heading = format!(
        "《{full}》{}{}",
        article_label(article),
        paragraph.map(|p| format!("第{}款", cn_number(p))).unwrap_or_default()
    );
    let (formulas, outcome) = match r {
        Ok(res) => (computed_formulas(&res), ItemOutcome::Computed(Box::new(res))),
        Err(LawError::MissingBase { base, .. }) => {
            (base_formulas(sanctions), ItemOutcome::NeedsBase { base })
        }
        Err(e) => (Vec::new(), ItemOutcome::Failed(e)),
    };
    ItemPenalty { statute: q.statute, article, paragraph, heading, party: q.party, formulas, outcome }
}

fn computed_formulas(r: &PenaltyResult) -> Vec<String> {
    r.fines
        .iter()
        .map(|f| {
            let mut s = format!("罚款（{}）：{}", f.target.label(), f.formula);
            if f.applies {
                s.push_str(&format!(" → {} 至 {}", format_yuan(f.min_fen), format_yuan(f.max_fen)));
            } else if let Some(c) = &f.condition {
                s.push_str(&format!("（须{c}）"));
            }
            s
        })
        .collect()
}

/// The fines of the article in words, for when their base is not given.
fn base_formulas(sanctions: &[&Sanction]) -> Vec<String> {
    let mut lines = Vec::new();
    for s in sanctions {
        for comp in &s.component {
            let figures = match &comp.consequence {
                Consequence::FineRatio { min, max } | Consequence::FineShare { min, max } => format!(
                    "{} × {}至{}",
                    s.base.as_deref().unwrap_or("基数"),
                    ratio_words(&min.text),
                    ratio_words(&max.text)
                ),
                Consequence::FineFixed { min_yuan, max_yuan } => format!(
                    "{} 至 {}",
                    format_yuan(min_yuan.saturating_mul(100)),
                    format_yuan(max_yuan.saturating_mul(100))
                ),
                _ => continue,
            };
            let mut line = format!("罚款（{}）：{figures}", comp.target.label());
            line.push_str(&format!("——{}", comp.text));
            if let Some(c) = comp.condition_text() {
                line.push_str(&format!("（须{c}）"));
            }
            lines.push(line);
        }
    }
    lines
}

/// 行政处罚法 第二十九条: "同一个违法行为违反多个法律规范应当给予罚款处罚的，按照罚款数额高的
/// 规定处罚。" The fine is imposed under *the* rule with the higher fine: the article whose
/// maximum fine on the party is strictly the highest of those that give one (alone, it is the
/// rule the fine is imposed under). When two maxima tie, the law names neither (the fine is the
/// same under either), so none is marked — not the last one cited, which would be a choice the
/// statute does not make. The maximum is compared: it is the 罚款数额 a rule allows.
fn highest(penalties: &[ItemPenalty]) -> Option<usize> {
    let fined: Vec<(usize, i64)> =
        penalties.iter().enumerate().filter_map(|(i, p)| Some((i, p.fine()?.1))).collect();
    let top = fined.iter().map(|(_, m)| *m).max()?;
    let mut at_top = fined.iter().filter(|(_, m)| *m == top);
    match (at_top.next(), at_top.next()) {
        (Some((i, _)), None) => Some(*i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fined(max_fen: Option<i64>) -> ItemPenalty {
        let outcome = match max_fen {
            None => ItemOutcome::NeedsBase { base: "骗取金额".into() },
            Some(m) => {
                let day = Date::new(2025, 1, 1).unwrap_or_else(|| panic!("a valid day"));
                let q = PenaltyQuery {
                    base_amount_fen: Some(100),
                    ..PenaltyQuery::new("社会保险法", 87, day)
                };
                let mut r = compute(crate::registry(), &q).unwrap_or_else(|e| panic!("{e}"));
                r.max_fen = m;
                ItemOutcome::Computed(Box::new(r))
            }
        };
        ItemPenalty {
            statute: String::new(),
            article: 0,
            paragraph: None,
            heading: String::new(),
            party: Party::Unit,
            formulas: Vec::new(),
            outcome,
        }
    }

    #[test]
    fn the_strictly_highest_maximum_is_marked_and_a_tie_marks_none() {
        assert_eq!(highest(&[fined(Some(5)), fined(Some(9)), fined(None)]), Some(1));
        assert_eq!(highest(&[fined(Some(5))]), Some(0));
        // A tie: the law names neither (the CLI used to mark the last one).
        assert_eq!(highest(&[fined(Some(9)), fined(Some(5)), fined(Some(9))]), None);
        assert_eq!(highest(&[fined(None)]), None);
    }
}
