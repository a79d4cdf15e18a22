//! The calculator applied to an item of a list: every sanction article among the item's
//! citations (for `quanze penalty --list FILE --item SEQ`).

use quanze_model::PowerItem;
use serde::{Deserialize, Serialize};

use crate::calc::{PenaltyQuery, PenaltyResult, compute};
use crate::error::LawError;
use crate::registry::Registry;
use crate::sanctions::law_data;
use crate::text::article_label;

/// A citation of the item that gave no computation, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// 《社会保险法》第八条.
    pub citation: String,
    pub reason: String,
}

/// What the calculator says for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPenalties {
    pub item: Option<u32>,
    pub name: String,
    /// One result per sanction article cited (in the order cited, without repeats).
    pub results: Vec<PenaltyResult>,
    pub skipped: Vec<Skipped>,
    /// Index in `results` of the highest maximum fine: 行政处罚法 第二十九条 — one act that
    /// breaks several rules with fines is fined under the rule with the higher fine.
    pub highest: Option<usize>,
}

/// Compute every sanction article the item cites, with the facts of `template` (its
/// `statute`, `article` and `paragraph` are replaced by each citation's).
pub fn compute_for_item(reg: &Registry, item: &PowerItem, template: &PenaltyQuery) -> ItemPenalties {
    let mut out = ItemPenalties {
        item: item.seq,
        name: item.name.clone(),
        results: Vec::new(),
        skipped: Vec::new(),
        highest: None,
    };
    let mut seen: Vec<(String, u32, Option<u32>)> = Vec::new();
    for c in &item.legal_basis.citations {
        let label = format!("《{}》{}", c.title, c.article.map(article_label).unwrap_or_default());
        let Some(article) = c.article else {
            out.skipped.push(Skipped { citation: label, reason: "no article cited".into() });
            continue;
        };
        let title = reg.canonical_title(&c.title).unwrap_or(&c.title).to_string();
        // A paragraph is used only when the data splits the article by paragraph.
        let paragraph = c.paragraph.filter(|p| {
            law_data().sanctions_of(&title, article, Some(*p)).iter().any(|s| s.paragraph == Some(*p))
        });
        let key = (title.clone(), article, paragraph);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let q = PenaltyQuery { statute: title, article, paragraph, ..template.clone() };
        match compute(reg, &q) {
            Ok(r) => out.results.push(r),
            Err(
                e @ (LawError::NoSanction { .. }
                | LawError::UnknownStatute { .. }
                | LawError::UnknownArticle { .. }),
            ) => out.skipped.push(Skipped { citation: label, reason: e.to_string() }),
            Err(e) => out.skipped.push(Skipped { citation: label, reason: e.to_string() }),
        }
    }
    out.highest = out
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.fine_applies)
        .max_by_key(|(_, r)| r.max_fen)
        .map(|(i, _)| i);
    out
}
