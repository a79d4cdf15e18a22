//! Differences between two versions of one bureau's list.
//!
//! Items of the old and the new version are matched in four passes, each over the items
//! the previous passes left unmatched:
//! 1. **code**: 地方权力编码 with 子项编码 (plain form), when the key occurs exactly once in
//!    each version (some lists print one code for several items; those fall through);
//! 2. **seq + name**: 序号 and the plain name (with 子项名称), when unique in each version;
//! 3. **name**: the plain name alone; repeated names pair in order of appearance;
//! 4. **similar**: renamed items, i.e. the same type of power with an alignment score of
//!    at least [`SIMILAR_SCORE`] and a name similarity of at least [`SIMILAR_NAME`]
//!    (医疗保险→医疗保障 rewordings), greedily from the best.
//!
//! "Plain" is [`crate::text::plain`]: width-folded, simplified, without white space or
//! punctuation. Field values are compared in plain form too, so re-wrapped lines or
//! full-width digits are not changes; `seq` and `line` are never compared.

use quanze_model::{Catalog, Category, PowerItem};
use serde::Serialize;

use crate::AlignOptions;
use crate::align::{ItemFeatures, score_pair};
use crate::field::ItemField;
use crate::text::{place_names, plain};

/// Lowest alignment score for pass 4 (renamed items).
pub const SIMILAR_SCORE: f64 = 0.75;
/// Lowest name similarity for pass 4.
pub const SIMILAR_NAME: f64 = 0.6;

/// What changed from one version of a list to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionDiff {
    /// Items of the new version with no counterpart in the old, by new index.
    pub added: Vec<ItemSummary>,
    /// Items of the old version with no counterpart in the new, by old index.
    pub removed: Vec<ItemSummary>,
    /// Matched items with at least one changed field, by new index.
    pub changed: Vec<ItemChange>,
    /// Matched items with no changed field, by new index.
    pub unchanged: Vec<ItemMatch>,
}

impl VersionDiff {
    /// Whether the versions list the same items with the same content.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Which pass matched two items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKey {
    Code,
    SeqAndName,
    Name,
    Similar,
}

/// An item identified for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSummary {
    /// Index into the version's `items`.
    pub index: usize,
    pub seq: Option<u32>,
    pub name: String,
    pub category: Category,
    pub code: Option<String>,
}

impl ItemSummary {
    fn of(index: usize, item: &PowerItem) -> ItemSummary {
        ItemSummary {
            index,
            seq: item.seq,
            name: item.name.clone(),
            category: item.category,
            code: item.code.clone(),
        }
    }
}

/// A matched item whose content changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    pub old: ItemSummary,
    pub new: ItemSummary,
    pub matched_by: MatchKey,
    /// Changed fields in [`ItemField::ALL`] order.
    pub fields: Vec<FieldChange>,
}

/// A matched item whose content did not change (its 序号 may have).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ItemMatch {
    pub old_index: usize,
    pub new_index: usize,
    pub matched_by: MatchKey,
}

/// One changed field, with its text before and after as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: ItemField,
    pub before: String,
    pub after: String,
}

/// Compare two versions of one bureau's list.
pub fn diff_versions(old: &Catalog, new: &Catalog) -> VersionDiff {
    let mut matcher = Matcher {
        old_free: vec![true; old.items.len()],
        new_free: vec![true; new.items.len()],
        matches: Vec::new(),
    };
    matcher.pass_by_unique_key(old, new, MatchKey::Code, code_key);
    matcher.pass_by_unique_key(old, new, MatchKey::SeqAndName, |it| {
        it.seq.map(|s| format!("{s}|{}", name_of(it)))
    });
    matcher.pass_by_name(old, new);
    matcher.pass_by_similarity(old, new);

    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    let mut matches = matcher.matches;
    matches.sort_by_key(|m| (m.1, m.0));
    for (i, j, matched_by) in matches {
        let fields = field_changes(&old.items[i], &new.items[j]);
        if fields.is_empty() {
            unchanged.push(ItemMatch { old_index: i, new_index: j, matched_by });
        } else {
            changed.push(ItemChange {
                old: ItemSummary::of(i, &old.items[i]),
                new: ItemSummary::of(j, &new.items[j]),
                matched_by,
                fields,
            });
        }
    }
    VersionDiff {
        added: (0..new.items.len())
            .filter(|&j| matcher.new_free[j])
            .map(|j| ItemSummary::of(j, &new.items[j]))
            .collect(),
        removed: (0..old.items.len())
            .filter(|&i| matcher.old_free[i])
            .map(|i| ItemSummary::of(i, &old.items[i]))
            .collect(),
        changed,
        unchanged,
    }
}

/// The fields of two matched items that differ in plain form.
pub fn field_changes(old: &PowerItem, new: &PowerItem) -> Vec<FieldChange> {
    ItemField::ALL
        .iter()
        .filter_map(|&field| {
            let (before, after) = (field.text_of(old), field.text_of(new));
            let differs = match field {
                // A category is an enum: compare it as one, not as its label.
                ItemField::Category => old.category != new.category,
                _ => plain(&before) != plain(&after),
            };
            differs.then_some(FieldChange { field, before, after })
        })
        .collect()
}

fn name_of(item: &PowerItem) -> String {
    format!("{}|{}", plain(&item.name), item.sub_name.as_deref().map(plain).unwrap_or_default())
}

fn code_key(item: &PowerItem) -> Option<String> {
    let code = plain(item.code.as_deref()?);
    if code.is_empty() {
        return None;
    }
    Some(format!("{code}|{}", item.sub_code.as_deref().map(plain).unwrap_or_default()))
}

struct Matcher {
    old_free: Vec<bool>,
    new_free: Vec<bool>,
    matches: Vec<(usize, usize, MatchKey)>,
}

impl Matcher {
    fn pair(&mut self, i: usize, j: usize, key: MatchKey) {
        self.old_free[i] = false;
        self.new_free[j] = false;
        self.matches.push((i, j, key));
    }

    /// Match free items whose key occurs exactly once among the free items of each side.
    fn pass_by_unique_key(
        &mut self,
        old: &Catalog,
        new: &Catalog,
        key: MatchKey,
        key_of: impl Fn(&PowerItem) -> Option<String>,
    ) {
        let unique = |items: &[PowerItem], free: &[bool]| {
            let mut seen: std::collections::BTreeMap<String, Option<usize>> = Default::default();
            for (i, it) in items.iter().enumerate() {
                if !free[i] {
                    continue;
                }
                if let Some(k) = key_of(it) {
                    seen.entry(k).and_modify(|slot| *slot = None).or_insert(Some(i));
                }
            }
            seen
        };
        let old_keys = unique(&old.items, &self.old_free);
        let new_keys = unique(&new.items, &self.new_free);
        for (k, i) in old_keys {
            if let (Some(i), Some(Some(j))) = (i, new_keys.get(&k)) {
                self.pair(i, *j, key);
            }
        }
    }

    /// Match free items by plain name; the n-th old item of a name with the n-th new one.
    fn pass_by_name(&mut self, old: &Catalog, new: &Catalog) {
        let mut new_by_name: std::collections::BTreeMap<String, std::collections::VecDeque<usize>> =
            Default::default();
        for (j, it) in new.items.iter().enumerate() {
            if self.new_free[j] {
                new_by_name.entry(name_of(it)).or_default().push_back(j);
            }
        }
        for (i, it) in old.items.iter().enumerate() {
            if !self.old_free[i] {
                continue;
            }
            if let Some(j) = new_by_name.get_mut(&name_of(it)).and_then(|q| q.pop_front()) {
                self.pair(i, j, MatchKey::Name);
            }
        }
    }

    /// Match renamed items of the same type by alignment score.
    fn pass_by_similarity(&mut self, old: &Catalog, new: &Catalog) {
        let (old_places, new_places) = (place_names(old), place_names(new));
        let weights = AlignOptions::default().weights;
        let new_features: Vec<(usize, ItemFeatures)> = (0..new.items.len())
            .filter(|&j| self.new_free[j])
            .map(|j| (j, ItemFeatures::of(&new.items[j], &new_places)))
            .collect();
        let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
        for i in (0..old.items.len()).filter(|&i| self.old_free[i]) {
            let fo = ItemFeatures::of(&old.items[i], &old_places);
            for (j, fnew) in &new_features {
                if old.items[i].category != new.items[*j].category {
                    continue;
                }
                let (score, parts) = score_pair(&fo, &old.items[i], fnew, &new.items[*j], &weights);
                if score >= SIMILAR_SCORE && parts.name_similarity >= SIMILAR_NAME {
                    candidates.push((score, i, *j));
                }
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        for (_, i, j) in candidates {
            if self.old_free[i] && self.new_free[j] {
                self.pair(i, j, MatchKey::Similar);
            }
        }
    }
}
