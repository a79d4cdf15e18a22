//! The index: interned text units, gram postings over units, and per-item records.
//!
//! Layout, and why:
//! - An item is cut into **units**: its name, each stage, each clause, its legal basis.
//!   Units are interned by normalized text. Lists of different bureaus copy provincial
//!   templates, so the same stage or clause text recurs across thousands of items; it is
//!   stored, indexed and verified once.
//! - Postings map each character unigram and bigram of a unit to the unit ids holding it
//!   ([`PostingList`], delta-varint compressed). A query term of one character reads the
//!   unigram list, of two the bigram list (both exact), of three or more the intersection of
//!   its bigram lists, then each candidate unit is verified by substring search.
//! - `unit_items` maps a unit back to the items (and field) using it, to score and filter.
//! - Removal is lazy: an item is marked dead and skipped; [`SearchIndex::compact`] rebuilds
//!   when dead items pile up.

use std::sync::Arc;

use quanze_model::Category;
use rustc_hash::FxHashMap;

use crate::normalize::{normalize, normalize_statute, query_terms};
use crate::postings::{PostingList, intersect};
use crate::query::{
    HighlightSpan, Hit, MAX_LIMIT, MAX_QUERY_CHARS, MAX_TERMS, Query, QueryError, SearchResult, Snippet,
};
use crate::{Field, ItemDoc};

/// Filtered candidate sets up to this size are scanned item by item instead of going
/// through the postings: a bureau's 45 items are cheaper to check directly.
const SCAN_LIMIT: usize = 4096;
/// Characters of context kept before and after the first match in a snippet.
const SNIPPET_BEFORE: usize = 24;
const SNIPPET_AFTER: usize = 48;

/// The second half of a unigram's gram key; no character has this value.
const UNIGRAM_MARK: u64 = 0xFFFF_FFFF;

fn unigram_key(c: char) -> u64 {
    (u64::from(c as u32) << 32) | UNIGRAM_MARK
}

fn bigram_key(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// A unit's reference from an item: unit id and the field it fills there.
#[derive(Debug, Clone, Copy)]
struct UnitRef {
    unit: u32,
    field: Field,
}

#[derive(Debug)]
struct Unit {
    /// Normalized text.
    text: Arc<str>,
    /// Number of live items using the unit.
    refs: u32,
}

#[derive(Debug)]
struct ItemRecord {
    item_id: i64,
    bureau_id: i64,
    item_name: Box<str>,
    category: Category,
    units: Box<[UnitRef]>,
    /// (statute id, article).
    citations: Box<[(u32, Option<u32>)]>,
    alive: bool,
}

#[derive(Debug, Default)]
struct BureauRecord {
    name: String,
    /// Internal ids of the bureau's items, live or dead.
    items: Vec<u32>,
}

/// Size figures of an index, for logs and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexStats {
    /// Live items.
    pub items: usize,
    /// Removed items still occupying space until [`SearchIndex::compact`].
    pub dead_items: usize,
    pub bureaus: usize,
    /// Distinct text units (interned).
    pub units: usize,
    /// Distinct unigrams and bigrams.
    pub grams: usize,
    /// Bytes of compressed postings.
    pub posting_bytes: usize,
    /// Bytes of unit text.
    pub text_bytes: usize,
}

/// In-memory full-text index over the items of many bureaus. Pure: it owns copies of the
/// texts it needs and does no I/O. `search` and `citing` take `&self`, so the server can
/// share one index behind a read-write lock.
#[derive(Debug, Default)]
pub struct SearchIndex {
    units: Vec<Unit>,
    unit_ids: FxHashMap<Arc<str>, u32>,
    /// For each unit, the items using it: `item << 2 | field slot`.
    unit_items: Vec<Vec<u32>>,
    grams: FxHashMap<u64, PostingList>,
    items: Vec<ItemRecord>,
    by_item_id: FxHashMap<i64, u32>,
    bureaus: FxHashMap<i64, BureauRecord>,
    statute_ids: FxHashMap<String, u32>,
    /// statute id → items citing it (any article), internal ids ascending, live or dead.
    citing_statute: FxHashMap<u32, Vec<u32>>,
    citing_article: FxHashMap<(u32, u32), Vec<u32>>,
    dead_items: usize,
}

/// Accumulated per-item state of one query on the postings path.
struct Accumulator {
    /// Count of units containing the current term, per item and field slot.
    counts: Vec<[u16; 4]>,
    score: Vec<f32>,
    /// Number of terms matched so far.
    terms: Vec<u16>,
}

impl SearchIndex {
    pub fn new() -> SearchIndex {
        SearchIndex::default()
    }

    /// Number of live items.
    pub fn len(&self) -> usize {
        self.items.len() - self.dead_items
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, item_id: i64) -> bool {
        self.by_item_id.contains_key(&item_id)
    }

    /// Add an item, replacing any item with the same `item_id`.
    pub fn add(&mut self, doc: ItemDoc) {
        self.remove(doc.item_id);
        let mut units: Vec<(String, Field)> = Vec::new();
        let mut push = |text: &str, field: Field| {
            let n = normalize(text);
            if !n.is_empty() {
                units.push((n, field));
            }
        };
        push(&doc.item_name, Field::Name);
        if let Some(sub) = &doc.sub_name {
            push(sub, Field::Name);
        }
        for s in &doc.stages {
            push(s, Field::Stage);
        }
        for c in &doc.clauses {
            push(c, Field::Clause);
        }
        push(&doc.legal_basis, Field::LegalBasis);
        let citations: Vec<(String, Option<u32>)> =
            doc.citations.iter().map(|(title, article)| (normalize_statute(title), *article)).collect();
        self.insert_normalized(
            doc.item_id,
            doc.bureau_id,
            &doc.bureau_name,
            doc.item_name,
            doc.category,
            units,
            citations,
        );
    }

    /// Remove every item of a bureau and add `docs` in their place (a re-imported list).
    pub fn replace_bureau(&mut self, bureau_id: i64, docs: impl IntoIterator<Item = ItemDoc>) {
        self.remove_bureau(bureau_id);
        for doc in docs {
            self.add(doc);
        }
    }

    /// Remove an item; `false` when it was not indexed.
    pub fn remove(&mut self, item_id: i64) -> bool {
        let Some(internal) = self.by_item_id.remove(&item_id) else {
            return false;
        };
        self.kill(internal);
        self.maybe_compact();
        true
    }

    /// Remove every item of a bureau; returns how many were removed.
    pub fn remove_bureau(&mut self, bureau_id: i64) -> usize {
        let Some(bureau) = self.bureaus.remove(&bureau_id) else {
            return 0;
        };
        let mut removed = 0;
        for internal in bureau.items {
            let Some(record) = self.items.get(internal as usize) else { continue };
            if record.alive {
                let item_id = record.item_id;
                self.by_item_id.remove(&item_id);
                self.kill(internal);
                removed += 1;
            }
        }
        self.maybe_compact();
        removed
    }

    /// Items citing `statute` (normalized title, or as printed), at `article` when given,
    /// at any article (or as a whole) when not. Item ids ascending.
    pub fn citing(&self, statute: &str, article: Option<u32>) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .citing_internal(statute, article)
            .into_iter()
            .map(|i| self.items[i as usize].item_id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Size figures.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            items: self.len(),
            dead_items: self.dead_items,
            bureaus: self.bureaus.len(),
            units: self.units.len(),
            grams: self.grams.len(),
            posting_bytes: self.grams.values().map(PostingList::heap_bytes).sum(),
            text_bytes: self.units.iter().map(|u| u.text.len()).sum(),
        }
    }

    /// Rebuild without removed items and units no live item uses, and release spare
    /// capacity. Runs by itself when removed items outnumber live ones; call it after a
    /// bulk load to trim the allocations.
    pub fn compact(&mut self) {
        let old = std::mem::take(self);
        let SearchIndex { units, items, bureaus, .. } = old;
        let statute_names = {
            let mut names = vec![String::new(); old.statute_ids.len()];
            for (name, id) in old.statute_ids {
                if let Some(slot) = names.get_mut(id as usize) {
                    *slot = name;
                }
            }
            names
        };
        for record in items.into_iter().filter(|r| r.alive) {
            let bureau_name = bureaus.get(&record.bureau_id).map(|b| b.name.as_str()).unwrap_or_default();
            let unit_texts: Vec<(String, Field)> = record
                .units
                .iter()
                .filter_map(|r| units.get(r.unit as usize).map(|u| (u.text.to_string(), r.field)))
                .collect();
            let citations: Vec<(String, Option<u32>)> = record
                .citations
                .iter()
                .filter_map(|&(s, a)| statute_names.get(s as usize).map(|n| (n.clone(), a)))
                .collect();
            self.insert_normalized(
                record.item_id,
                record.bureau_id,
                bureau_name,
                record.item_name.into(),
                record.category,
                unit_texts,
                citations,
            );
        }
        for list in self.grams.values_mut() {
            list.shrink();
        }
        self.grams.shrink_to_fit();
        for list in &mut self.unit_items {
            list.shrink_to_fit();
        }
    }

    /// Run a query. Errors only for queries outside the limits in [`crate::query`].
    pub fn search(&self, query: &Query) -> Result<SearchResult, QueryError> {
        let chars = query.q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong { chars });
        }
        if query.limit > MAX_LIMIT {
            return Err(QueryError::LimitTooLarge { limit: query.limit });
        }
        if query.article.is_some() && query.statute.is_none() {
            return Err(QueryError::ArticleWithoutStatute);
        }
        let terms = query_terms(&query.q);
        if terms.len() > MAX_TERMS {
            return Err(QueryError::TooManyTerms { terms: terms.len() });
        }

        let statute_items: Option<Vec<u32>> =
            query.statute.as_deref().map(|s| self.citing_internal(s, query.article));
        // The smallest set the filters pin down, when one is small enough to scan.
        let small_set: Option<Vec<u32>> = match (query.bureau, &statute_items) {
            (Some(bureau), _) => Some(self.bureaus.get(&bureau).map(|b| b.items.clone()).unwrap_or_default()),
            (None, Some(cited)) if cited.len() <= SCAN_LIMIT => Some(cited.clone()),
            _ => None,
        };
        let statute_mask = statute_items.as_ref().map(|cited| {
            let mut mask = vec![0u64; self.items.len().div_ceil(64)];
            for &i in cited {
                if let Some(word) = mask.get_mut(i as usize / 64) {
                    *word |= 1 << (i % 64);
                }
            }
            mask
        });
        let passes = |internal: u32| -> bool {
            let Some(record) = self.items.get(internal as usize) else { return false };
            record.alive
                && query.category.is_none_or(|c| record.category == c)
                && query.bureau.is_none_or(|b| record.bureau_id == b)
                && statute_mask.as_ref().is_none_or(|m| {
                    m.get(internal as usize / 64).is_some_and(|w| w & (1 << (internal % 64)) != 0)
                })
        };

        let mut matched: Vec<(u32, f32)> = if terms.is_empty() {
            match &small_set {
                Some(set) => set.iter().copied().filter(|&i| passes(i)).map(|i| (i, 0.0)).collect(),
                None => (0..self.items.len() as u32).filter(|&i| passes(i)).map(|i| (i, 0.0)).collect(),
            }
        } else {
            match &small_set {
                Some(set) => self.scan(set, &terms, &passes),
                None => self.through_postings(&terms, &passes),
            }
        };

        let total = matched.len();
        let order = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.items[a.0 as usize].item_id.cmp(&self.items[b.0 as usize].item_id))
        };
        let wanted = query.offset.saturating_add(query.limit).min(total);
        if wanted < total && wanted > 0 {
            matched.select_nth_unstable_by(wanted - 1, order);
            matched.truncate(wanted);
        }
        matched.sort_unstable_by(order);
        let hits = matched
            .iter()
            .skip(query.offset)
            .take(query.limit)
            .map(|&(internal, score)| self.hit(internal, score, &terms))
            .collect();
        Ok(SearchResult { total, hits })
    }

    // ----- building -------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn insert_normalized(
        &mut self,
        item_id: i64,
        bureau_id: i64,
        bureau_name: &str,
        item_name: String,
        category: Category,
        units: Vec<(String, Field)>,
        citations: Vec<(String, Option<u32>)>,
    ) {
        let internal = self.items.len() as u32;
        let mut refs = Vec::with_capacity(units.len());
        for (text, field) in units {
            let unit = self.intern(text);
            // A text repeated in one field of an item (two identical clauses) counts once,
            // on both query paths.
            if refs.iter().any(|r: &UnitRef| r.unit == unit && r.field == field) {
                continue;
            }
            if let Some(u) = self.units.get_mut(unit as usize) {
                u.refs += 1;
            }
            if let Some(list) = self.unit_items.get_mut(unit as usize) {
                list.push((internal << 2) | field.slot() as u32);
            }
            refs.push(UnitRef { unit, field });
        }
        let mut cited = Vec::with_capacity(citations.len());
        for (title, article) in citations {
            if title.is_empty() {
                continue;
            }
            let next = self.statute_ids.len() as u32;
            let statute = *self.statute_ids.entry(title).or_insert(next);
            push_once(self.citing_statute.entry(statute).or_default(), internal);
            if let Some(a) = article {
                push_once(self.citing_article.entry((statute, a)).or_default(), internal);
            }
            cited.push((statute, article));
        }
        self.items.push(ItemRecord {
            item_id,
            bureau_id,
            item_name: item_name.into_boxed_str(),
            category,
            units: refs.into_boxed_slice(),
            citations: cited.into_boxed_slice(),
            alive: true,
        });
        self.by_item_id.insert(item_id, internal);
        let bureau = self.bureaus.entry(bureau_id).or_default();
        if bureau.name != bureau_name {
            bureau.name = bureau_name.to_string();
        }
        bureau.items.push(internal);
    }

    /// The id of a unit with this normalized text, indexing it when new.
    fn intern(&mut self, text: String) -> u32 {
        if let Some(&id) = self.unit_ids.get(text.as_str()) {
            return id;
        }
        let id = self.units.len() as u32;
        let mut prev: Option<char> = None;
        for c in text.chars() {
            // Terms never contain a space (queries are split there), so grams with one are
            // never looked up.
            if c == ' ' {
                prev = None;
                continue;
            }
            self.grams.entry(unigram_key(c)).or_default().push(id);
            if let Some(p) = prev {
                self.grams.entry(bigram_key(p, c)).or_default().push(id);
            }
            prev = Some(c);
        }
        let text: Arc<str> = Arc::from(text);
        self.unit_ids.insert(text.clone(), id);
        self.units.push(Unit { text, refs: 0 });
        self.unit_items.push(Vec::new());
        id
    }

    fn kill(&mut self, internal: u32) {
        let Some(record) = self.items.get_mut(internal as usize) else { return };
        if !record.alive {
            return;
        }
        record.alive = false;
        self.dead_items += 1;
        for r in record.units.iter() {
            if let Some(u) = self.units.get_mut(r.unit as usize) {
                u.refs = u.refs.saturating_sub(1);
            }
        }
    }

    fn maybe_compact(&mut self) {
        if self.dead_items > 1024 && self.dead_items > self.len() {
            self.compact();
        }
    }

    // ----- querying -------------------------------------------------------------------

    fn citing_internal(&self, statute: &str, article: Option<u32>) -> Vec<u32> {
        let Some(&id) = self.statute_ids.get(normalize_statute(statute).as_str()) else {
            return Vec::new();
        };
        let list = match article {
            Some(a) => self.citing_article.get(&(id, a)),
            None => self.citing_statute.get(&id),
        };
        list.map(|l| l.iter().copied().filter(|&i| self.items[i as usize].alive).collect())
            .unwrap_or_default()
    }

    /// Units whose text contains `term`, ascending.
    fn units_containing(&self, term: &str) -> Vec<u32> {
        let chars: Vec<char> = term.chars().collect();
        match chars.as_slice() {
            [] => Vec::new(),
            [c] => self.grams.get(&unigram_key(*c)).map(|l| l.iter().collect()).unwrap_or_default(),
            [a, b] => self.grams.get(&bigram_key(*a, *b)).map(|l| l.iter().collect()).unwrap_or_default(),
            _ => {
                let mut keys: Vec<u64> = chars.windows(2).map(|w| bigram_key(w[0], w[1])).collect();
                keys.sort_unstable();
                keys.dedup();
                let mut lists = Vec::with_capacity(keys.len());
                for k in keys {
                    match self.grams.get(&k) {
                        Some(l) => lists.push(l),
                        None => return Vec::new(),
                    }
                }
                let finder = memchr::memmem::Finder::new(term.as_bytes());
                intersect(&lists)
                    .into_iter()
                    .filter(|&u| {
                        self.units
                            .get(u as usize)
                            .is_some_and(|unit| finder.find(unit.text.as_bytes()).is_some())
                    })
                    .collect()
            }
        }
    }

    fn through_postings(&self, terms: &[String], passes: &dyn Fn(u32) -> bool) -> Vec<(u32, f32)> {
        let n = self.items.len();
        let mut acc = Accumulator { counts: vec![[0u16; 4]; n], score: vec![0.0; n], terms: vec![0u16; n] };
        let mut touched: Vec<u32> = Vec::new();
        let mut survivors: Vec<u32> = Vec::new();
        for (term_index, term) in terms.iter().enumerate() {
            let needed = term_index as u16;
            touched.clear();
            for unit in self.units_containing(term) {
                let Some(users) = self.unit_items.get(unit as usize) else { continue };
                for &packed in users {
                    let item = (packed >> 2) as usize;
                    let slot = (packed & 3) as usize;
                    // Items that missed an earlier term can no longer match.
                    if acc.terms[item] != needed {
                        continue;
                    }
                    let counts = &mut acc.counts[item];
                    if *counts == [0; 4] {
                        if !passes(item as u32) {
                            continue;
                        }
                        touched.push(item as u32);
                    }
                    counts[slot] = counts[slot].saturating_add(1);
                }
            }
            for &item in &touched {
                let i = item as usize;
                acc.score[i] += term_score(&acc.counts[i]);
                acc.counts[i] = [0; 4];
                acc.terms[i] += 1;
            }
            survivors = touched.clone();
            if survivors.is_empty() {
                break;
            }
        }
        survivors.into_iter().map(|i| (i, acc.score[i as usize])).collect()
    }

    fn scan(&self, set: &[u32], terms: &[String], passes: &dyn Fn(u32) -> bool) -> Vec<(u32, f32)> {
        let finders: Vec<memchr::memmem::Finder<'_>> =
            terms.iter().map(|t| memchr::memmem::Finder::new(t.as_bytes())).collect();
        // Items of one bureau share many units (boilerplate stages); check each once per term.
        let mut verdicts: FxHashMap<(u32, usize), bool> = FxHashMap::default();
        let mut out = Vec::new();
        'items: for &internal in set {
            if !passes(internal) {
                continue;
            }
            let Some(record) = self.items.get(internal as usize) else { continue };
            let mut score = 0.0f32;
            for (t, finder) in finders.iter().enumerate() {
                let mut counts = [0u16; 4];
                for r in record.units.iter() {
                    let hit = *verdicts.entry((r.unit, t)).or_insert_with(|| {
                        self.units
                            .get(r.unit as usize)
                            .is_some_and(|u| finder.find(u.text.as_bytes()).is_some())
                    });
                    if hit {
                        let slot = r.field.slot();
                        counts[slot] = counts[slot].saturating_add(1);
                    }
                }
                if counts == [0; 4] {
                    continue 'items;
                }
                score += term_score(&counts);
            }
            out.push((internal, score));
        }
        out
    }

    fn hit(&self, internal: u32, score: f32, terms: &[String]) -> Hit {
        let record = &self.items[internal as usize];
        Hit {
            item_id: record.item_id,
            bureau_id: record.bureau_id,
            bureau_name: self.bureaus.get(&record.bureau_id).map(|b| b.name.clone()).unwrap_or_default(),
            item_name: record.item_name.to_string(),
            category: record.category,
            score,
            snippet: self.snippet(record, terms),
        }
    }

    /// Excerpt of the highest-weighted field holding the first term.
    fn snippet(&self, record: &ItemRecord, terms: &[String]) -> Option<Snippet> {
        let first = terms.first()?;
        let (field, text) = Field::ALL.iter().find_map(|&field| {
            record.units.iter().filter(|r| r.field == field).find_map(|r| {
                let unit = self.units.get(r.unit as usize)?;
                unit.text.contains(first.as_str()).then(|| (field, unit.text.clone()))
            })
        })?;
        let byte_at = text.find(first.as_str())?;
        // Byte offset of every character, plus the end, to cut at character boundaries.
        let bounds: Vec<usize> =
            text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
        let char_count = bounds.len() - 1;
        let match_char = bounds.partition_point(|&b| b < byte_at);
        let match_len = first.chars().count();
        let start = match_char.saturating_sub(SNIPPET_BEFORE);
        let end = (match_char + match_len + SNIPPET_AFTER).min(char_count);
        let excerpt = &text[bounds[start]..bounds[end]];
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for term in terms {
            let term_chars = term.chars().count();
            for (b, _) in excerpt.match_indices(term.as_str()) {
                let s = excerpt[..b].chars().count();
                spans.push((s, s + term_chars));
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<HighlightSpan> = Vec::new();
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s as u32 <= last.end => last.end = last.end.max(e as u32),
                _ => merged.push(HighlightSpan { start: s as u32, end: e as u32 }),
            }
        }
        Some(Snippet {
            field,
            text: excerpt.to_string(),
            highlights: merged,
            cut_before: start > 0,
            cut_after: end < char_count,
        })
    }
}

/// Score of one term in one item from the number of units per field slot containing it:
/// Σ weight × (1 + ln n). Sub-linear so that ten boilerplate clauses do not outweigh
/// the name.
fn term_score(counts: &[u16; 4]) -> f32 {
    Field::ALL
        .iter()
        .map(|f| {
            let n = counts[f.slot()];
            if n == 0 { 0.0 } else { f.weight() * (1.0 + f32::from(n).ln()) }
        })
        .sum()
}

fn push_once(list: &mut Vec<u32>, id: u32) {
    if list.last() != Some(&id) {
        list.push(id);
    }
}
