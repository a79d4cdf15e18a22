//! Alignment of two bureaus' lists: which item of one is the same power as which item of
//! the other, although counties word it differently.
//!
//! Every pair of items gets a score in [0, 1], the weighted mean of the parts that both
//! items can provide ([`ScoreParts`]):
//! - **name**: mean of the Dice coefficient and the containment (share of the shorter
//!   key's bigrams in the longer) of the character bigrams of the name keys
//!   ([`crate::text::name_key`]: place names, punctuation, 医疗保险/医疗保障/医保 synonyms,
//!   type endings like 的处罚 and filler words removed);
//! - **citations**: Dice coefficient of the cited (statute, article) sets, when both items
//!   have parsed citations;
//! - **basis**: Dice coefficient of the bigrams of the legal-basis texts, when both have one
//!   (catches items quoting the same article when citations were not parsed);
//! - **category**: 1 when both have the same type of power.
//!
//! Pairs scoring at least [`AlignOptions::threshold`] whose name similarity is at least
//! [`AlignOptions::min_name_similarity`] are then assigned one-to-one, greedily from the
//! best score down (ties by position), which for lists of tens of items gives the same
//! result as an optimal assignment in all but contrived cases.

use quanze_model::{Catalog, PowerItem};
use serde::Serialize;

use crate::field::ItemField;
use crate::text::{bigrams, citation_keys, dice, name_key, place_names, plain};

/// Result of [`align`]: matched pairs, and the items of each list without a counterpart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Ordered by `a_index`.
    pub pairs: Vec<MatchedPair>,
    /// Indexes into `a.items` of items with no counterpart in `b`, ascending.
    pub only_a: Vec<usize>,
    /// Indexes into `b.items` of items with no counterpart in `a`, ascending.
    pub only_b: Vec<usize>,
}

/// Two items found to be the same power.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedPair {
    /// Index into `a.items`.
    pub a_index: usize,
    /// Index into `b.items`.
    pub b_index: usize,
    /// In [0, 1]; see [`ScoreParts`] for how it was reached.
    pub score: f64,
    pub why: ScoreParts,
    /// How the two items differ, field by field (bureau-specific fields such as the
    /// subject, office and code are left out: they always differ).
    pub differences: Vec<FieldDifference>,
}

/// The parts of a pair's score, so that a match can be explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreParts {
    /// Mean of `name_dice` and `name_containment` (`name_dice` alone when containment does
    /// not apply): terse lists (侵占、挪用医疗保障基金) name a power by part of the words of
    /// wordier ones, which Dice alone punishes.
    pub name_similarity: f64,
    /// Dice similarity of the name keys' bigrams.
    pub name_dice: f64,
    /// Share of the shorter name key's bigrams found in the longer one; `None` when the
    /// shorter key has fewer than [`MIN_CONTAINED_BIGRAMS`] bigrams (医保 is in every name).
    pub name_containment: Option<f64>,
    /// The names as compared, after normalization.
    pub name_key_a: String,
    pub name_key_b: String,
    /// Dice similarity of cited (statute, article) sets; `None` when either item has no
    /// parsed citation.
    pub citation_overlap: Option<f64>,
    /// Citations both items make, as `社会保险法 第87条`.
    pub shared_citations: Vec<String>,
    /// Dice similarity of the legal-basis texts' bigrams; `None` when either is empty.
    pub basis_similarity: Option<f64>,
    pub same_category: bool,
}

/// A field in which two matched items differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDifference {
    pub field: ItemField,
    /// The field in `a` (for citations: the ones only `a` makes).
    pub a: String,
    /// The field in `b` (for citations: the ones only `b` makes).
    pub b: String,
}

/// Weights of the score parts. A part that a pair cannot provide is left out of both the
/// sum and the total weight, so an item without parsed citations is not penalised.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreWeights {
    pub name: f64,
    pub citations: f64,
    pub basis: f64,
    pub category: f64,
}

/// Knobs of [`align_with`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AlignOptions {
    pub weights: ScoreWeights,
    /// Lowest score of a pair that may be matched.
    pub threshold: f64,
    /// Lowest name similarity of a pair that may be matched: two penalties citing the same
    /// article are not the same power unless their names say so too.
    pub min_name_similarity: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            weights: ScoreWeights { name: 0.6, citations: 0.15, basis: 0.1, category: 0.15 },
            // Chosen on the labelled seed pairs (tests/labelled_pairs.toml) in the middle of
            // a plateau: thresholds 0.35–0.45 and minimum name similarities 0.15–0.25 all
            // give precision 1.0 and recall ≥ 0.94 there.
            threshold: 0.4,
            min_name_similarity: 0.2,
        }
    }
}

/// What one item contributes to comparisons, computed once.
pub(crate) struct ItemFeatures {
    name_key: String,
    name_grams: Vec<(char, char)>,
    citations: Vec<(String, Option<u32>)>,
    basis_grams: Vec<(char, char)>,
}

impl ItemFeatures {
    pub(crate) fn of(item: &PowerItem, places: &[String]) -> ItemFeatures {
        let mut name = item.name.clone();
        if let Some(sub) = &item.sub_name {
            name.push_str(sub);
        }
        let name_key = name_key(&name, places);
        let mut basis = plain(&item.legal_basis.text);
        for place in places {
            basis = basis.replace(place.as_str(), "");
        }
        ItemFeatures {
            name_grams: bigrams(&name_key),
            name_key,
            citations: citation_keys(&item.legal_basis.citations),
            basis_grams: bigrams(&basis),
        }
    }
}

/// Score one pair of items.
pub(crate) fn score_pair(
    a: &ItemFeatures,
    a_item: &PowerItem,
    b: &ItemFeatures,
    b_item: &PowerItem,
    weights: &ScoreWeights,
) -> (f64, ScoreParts) {
    let name_dice = dice(&a.name_grams, &b.name_grams);
    let name_containment = containment(&a.name_grams, &b.name_grams);
    let name_similarity = name_containment.map_or(name_dice, |c| (name_dice + c) / 2.0);
    let (citation_overlap, shared_citations) = if a.citations.is_empty() || b.citations.is_empty() {
        (None, Vec::new())
    } else {
        let shared = a.citations.iter().filter(|c| b.citations.contains(c)).map(render_citation).collect();
        (Some(dice(&a.citations, &b.citations)), shared)
    };
    let basis_similarity = if a.basis_grams.is_empty() || b.basis_grams.is_empty() {
        None
    } else {
        Some(dice(&a.basis_grams, &b.basis_grams))
    };
    let same_category = a_item.category == b_item.category;
    let mut sum = weights.name * name_similarity + weights.category * f64::from(u8::from(same_category));
    let mut total = weights.name + weights.category;
    if let Some(c) = citation_overlap {
        sum += weights.citations * c;
        total += weights.citations;
    }
    if let Some(s) = basis_similarity {
        sum += weights.basis * s;
        total += weights.basis;
    }
    let score = if total > 0.0 { sum / total } else { 0.0 };
    let parts = ScoreParts {
        name_similarity,
        name_dice,
        name_containment,
        name_key_a: a.name_key.clone(),
        name_key_b: b.name_key.clone(),
        citation_overlap,
        shared_citations,
        basis_similarity,
        same_category,
    };
    (score, parts)
}

/// Shortest name key, in bigrams, whose containment in another name counts.
pub const MIN_CONTAINED_BIGRAMS: usize = 4;

fn containment(a: &[(char, char)], b: &[(char, char)]) -> Option<f64> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < MIN_CONTAINED_BIGRAMS {
        return None;
    }
    let common = short.iter().filter(|g| long.binary_search(g).is_ok()).count();
    Some(common as f64 / short.len() as f64)
}

fn render_citation((title, article): &(String, Option<u32>)) -> String {
    match article {
        Some(n) => format!("{title} 第{n}条"),
        None => title.clone(),
    }
}

/// Align the items of two lists with the default options.
pub fn align(a: &Catalog, b: &Catalog) -> Alignment {
    align_with(a, b, &AlignOptions::default())
}

/// Align the items of two lists: one-to-one pairs of the same power, and the items left
/// over on each side.
pub fn align_with(a: &Catalog, b: &Catalog, options: &AlignOptions) -> Alignment {
    let a_places = place_names(a);
    let b_places = place_names(b);
    let a_features: Vec<ItemFeatures> = a.items.iter().map(|it| ItemFeatures::of(it, &a_places)).collect();
    let b_features: Vec<ItemFeatures> = b.items.iter().map(|it| ItemFeatures::of(it, &b_places)).collect();

    let mut candidates: Vec<(f64, usize, usize, ScoreParts)> = Vec::new();
    for (i, fa) in a_features.iter().enumerate() {
        for (j, fb) in b_features.iter().enumerate() {
            let (score, parts) = score_pair(fa, &a.items[i], fb, &b.items[j], &options.weights);
            if score >= options.threshold && parts.name_similarity >= options.min_name_similarity {
                candidates.push((score, i, j, parts));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));

    let mut a_taken = vec![false; a.items.len()];
    let mut b_taken = vec![false; b.items.len()];
    let mut pairs = Vec::new();
    for (score, i, j, why) in candidates {
        if a_taken[i] || b_taken[j] {
            continue;
        }
        a_taken[i] = true;
        b_taken[j] = true;
        let differences = differences(&a.items[i], &a_places, &b.items[j], &b_places);
        pairs.push(MatchedPair { a_index: i, b_index: j, score, why, differences });
    }
    pairs.sort_by_key(|p| p.a_index);
    Alignment {
        pairs,
        only_a: (0..a.items.len()).filter(|&i| !a_taken[i]).collect(),
        only_b: (0..b.items.len()).filter(|&j| !b_taken[j]).collect(),
    }
}

/// Score one given pair of items as [`align_with`] would, for explaining why two items
/// were *not* matched. `None` when an index is out of range.
pub fn score_items(
    a: &Catalog,
    a_index: usize,
    b: &Catalog,
    b_index: usize,
    options: &AlignOptions,
) -> Option<(f64, ScoreParts)> {
    let (a_item, b_item) = (a.items.get(a_index)?, b.items.get(b_index)?);
    let fa = ItemFeatures::of(a_item, &place_names(a));
    let fb = ItemFeatures::of(b_item, &place_names(b));
    Some(score_pair(&fa, a_item, &fb, b_item, &options.weights))
}

/// Plain text with the list's place names removed, so that 涞源县医疗保障局 in one list and
/// 汤阴县医疗保障局 in the other do not make two identical stages differ.
fn placeless(text: &str, places: &[String]) -> String {
    let mut s = plain(text);
    for p in places {
        s = s.replace(p.as_str(), "");
    }
    s
}

/// Field-by-field differences of two matched items of different bureaus.
fn differences(
    a: &PowerItem,
    a_places: &[String],
    b: &PowerItem,
    b_places: &[String],
) -> Vec<FieldDifference> {
    let mut out = Vec::new();
    let text_field = |field: ItemField, out: &mut Vec<FieldDifference>| {
        let (ta, tb) = (field.text_of(a), field.text_of(b));
        if placeless(&ta, a_places) != placeless(&tb, b_places) {
            out.push(FieldDifference { field, a: ta, b: tb });
        }
    };
    text_field(ItemField::Name, &mut out);
    text_field(ItemField::SubName, &mut out);
    text_field(ItemField::Category, &mut out);
    let (ca, cb) = (citation_keys(&a.legal_basis.citations), citation_keys(&b.legal_basis.citations));
    if !ca.is_empty() && !cb.is_empty() {
        if ca != cb {
            let only = |x: &[(String, Option<u32>)], y: &[(String, Option<u32>)]| {
                x.iter().filter(|c| !y.contains(c)).map(render_citation).collect::<Vec<_>>().join("；")
            };
            out.push(FieldDifference { field: ItemField::LegalBasis, a: only(&ca, &cb), b: only(&cb, &ca) });
        }
    } else {
        text_field(ItemField::LegalBasis, &mut out);
    }
    let (sa, sb) = (stage_names(a), stage_names(b));
    if !sa.is_empty() && !sb.is_empty() {
        let kinds = |it: &PowerItem| it.responsibilities.stages.iter().map(|s| s.kind).collect::<Vec<_>>();
        if kinds(a) != kinds(b) {
            out.push(FieldDifference {
                field: ItemField::Responsibilities,
                a: sa.join("、"),
                b: sb.join("、"),
            });
        }
    } else {
        text_field(ItemField::Responsibilities, &mut out);
    }
    text_field(ItemField::Accountability, &mut out);
    text_field(ItemField::Acceptance, &mut out);
    text_field(ItemField::Deadline, &mut out);
    out
}

fn stage_names(item: &PowerItem) -> Vec<&str> {
    item.responsibilities.stages.iter().map(|s| s.name.as_str()).collect()
}
