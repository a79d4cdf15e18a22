//! The index: interned text units, gram postings over units, and per-item records.
//!
//! Layout, and why:
//! - An item is cut into **units**: its name, each stage, each clause, its legal basis.
//!   Units are interned by normalized text ([`UnitTexts`]). Lists of different bureaus copy
//!   provincial templates, so the same stage or clause text recurs across thousands of
//!   items; it is stored, indexed and verified once.
//! - Postings map each character unigram and bigram of a unit to the unit ids holding it
//!   ([`PostingList`], delta-varint compressed). A query term of one character reads the
//!   unigram list, of two the bigram list (both exact), of three or more the intersection of
//!   its bigram lists, then each candidate unit is verified by substring search.
//! - [`UnitUsers`] maps a unit back to the items (and field) using it, to score and filter.
//! - Per-item fields that every query touches (id, bureau, category, liveness) sit in a
//!   dense array of [`ItemMeta`], apart from the rest of the item's record.
//! - Removal is lazy: an item is marked dead and skipped; [`SearchIndex::compact`] rebuilds
//!   when dead items pile up.

use quanze_model::Category;
use rustc_hash::FxHashMap;

use crate::normalize::{normalize, normalize_statute, query_terms};
use crate::postings::{PostingList, intersect};
use crate::query::{
    HighlightSpan, Hit, MAX_LIMIT, MAX_QUERY_CHARS, MAX_TERMS, Query, QueryError, SearchResult, Snippet,
};
use crate::units::{UnitTexts, UnitUsers};
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

/// A unit's reference from an item: `unit << 2 | field slot`, the same packing as the
/// entries of [`UnitUsers`]; four bytes instead of eight for the 3 million references of a
/// national index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnitRef(u32);

impl UnitRef {
    fn new(unit: u32, field: Field) -> UnitRef {
        UnitRef((unit << 2) | field.slot() as u32)
    }
    fn unit(self) -> u32 {
        self.0 >> 2
    }
    fn field(self) -> Field {
        Field::from_slot((self.0 & 3) as usize)
    }
}

/// What every query reads of an item, kept dense.
#[derive(Debug, Clone, Copy)]
struct ItemMeta {
    item_id: i64,
    bureau_id: i64,
    category: Category,
    alive: bool,
}

/// The rest of an item, read for hits and rebuilds.
#[derive(Debug)]
struct ItemRecord {
    item_name: Box<str>,
    units: Box<[UnitRef]>,
    /// (statute id, article).
    citations: Box<[(u32, Option<u32>)]>,
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
    /// Estimated heap bytes of the whole index (allocator overhead excluded).
    pub heap_bytes: usize,
}

/// In-memory full-text index over the items of many bureaus. Pure: it owns copies of the
/// texts it needs and does no I/O. `search` and `citing` take `&self`, so the server can
/// share one index behind a read-write lock.
#[derive(Debug, Default)]
pub struct SearchIndex {
    units: UnitTexts,
    users: UnitUsers,
    grams: FxHashMap<u64, PostingList>,
    meta: Vec<ItemMeta>,
    items: Vec<ItemRecord>,
    by_item_id: FxHashMap<i64, u32>,
    bureaus: FxHashMap<i64, BureauRecord>,
    statute_ids: FxHashMap<String, u32>,
    /// statute id → items citing it (any article), internal ids ascending, live or dead.
    citing_statute: FxHashMap<u32, Vec<u32>>,
    citing_article: FxHashMap<(u32, u32), Vec<u32>>,
    dead_items: usize,
    /// Per-query arrays of the postings path, kept between queries: allocating 1.5 MB for
    /// every query of a national index costs page faults and, on two threads, contention
    /// in the kernel's memory map.
    scratch: std::sync::Mutex<Vec<Scratch>>,
}

/// Arrays sized to the number of items, all zero between queries, and the postings
/// path's lists, kept for their capacity.
#[derive(Debug, Default)]
struct Scratch {
    tallies: Vec<Tally>,
    scores: Vec<f32>,
    /// Items whose tally or score this query wrote.
    dirty: Vec<u32>,
    /// Items holding the current term.
    touched: Vec<u32>,
    /// Units holding the current term.
    units: Vec<u32>,
}

/// Per-item state of one query on the postings path, packed in one `u64` so that the
/// array for a national index is allocated zeroed (no initialisation pass) and an item
/// costs one memory access per unit naming it: bits 0–47 hold four 12-bit counts of units
/// containing the current term (per field slot), bits 48–63 the number of terms matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally(u64);

impl Tally {
    const COUNT_BITS: u32 = 12;
    const COUNT_MAX: u64 = (1 << Self::COUNT_BITS) - 1;
    const COUNTS_MASK: u64 = (1 << 48) - 1;
    /// Terms value of an item that failed the filters: never equal to a term index.
    const EXCLUDED: u64 = 0xFFFF;

    fn terms(self) -> u64 {
        self.0 >> 48
    }
    fn has_counts(self) -> bool {
        self.0 & Self::COUNTS_MASK != 0
    }
    fn count_unit(&mut self, slot: usize) {
        let shift = slot as u32 * Self::COUNT_BITS;
        if (self.0 >> shift) & Self::COUNT_MAX < Self::COUNT_MAX {
            self.0 += 1 << shift;
        }
    }
    fn counts(self) -> [u16; 4] {
        let c = |slot: u32| ((self.0 >> (slot * Self::COUNT_BITS)) & Self::COUNT_MAX) as u16;
        [c(0), c(1), c(2), c(3)]
    }
    /// Clear the counts and count one more matched term.
    fn next_term(&mut self) {
        self.0 = ((self.terms() + 1) << 48) & !Self::COUNTS_MASK;
    }
    fn exclude(&mut self) {
        self.0 = Self::EXCLUDED << 48;
    }
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
            let Some(meta) = self.meta.get(internal as usize) else { continue };
            if meta.alive {
                let item_id = meta.item_id;
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
        let mut ids: Vec<i64> =
            self.citing_internal(statute, article).into_iter().filter_map(|i| self.item_id(i)).collect();
        ids.sort_unstable();
        ids
    }

    /// Size figures.
    pub fn stats(&self) -> IndexStats {
        use std::mem::size_of;
        let posting_bytes: usize = self.grams.values().map(PostingList::heap_bytes).sum();
        // Hash map entries cost their key and value plus one control byte.
        let map = |capacity: usize, entry: usize| capacity * (entry + 1);
        let heap_bytes = self.units.heap_bytes()
            + self.users.heap_bytes()
            + map(self.grams.capacity(), size_of::<(u64, PostingList)>())
            + posting_bytes
            + self.meta.capacity() * size_of::<ItemMeta>()
            + self.items.capacity() * size_of::<ItemRecord>()
            + self
                .items
                .iter()
                .map(|r| {
                    r.item_name.len()
                        + r.units.len() * size_of::<UnitRef>()
                        + r.citations.len() * size_of::<(u32, Option<u32>)>()
                })
                .sum::<usize>()
            + map(self.by_item_id.capacity(), size_of::<(i64, u32)>())
            + self.bureaus.values().map(|b| b.name.capacity() + b.items.capacity() * 4).sum::<usize>()
            + map(self.bureaus.capacity(), size_of::<(i64, BureauRecord)>())
            + self
                .citing_statute
                .values()
                .chain(self.citing_article.values())
                .map(|l| l.capacity() * 4)
                .sum::<usize>();
        IndexStats {
            items: self.len(),
            dead_items: self.dead_items,
            bureaus: self.bureaus.len(),
            units: self.units.len(),
            grams: self.grams.len(),
            posting_bytes,
            text_bytes: self.units.text_bytes(),
            heap_bytes,
        }
    }

    /// Rebuild without removed items and units no live item uses, and release spare
    /// capacity. Runs by itself when removed items outnumber live ones; call it after a
    /// bulk load to trim the allocations.
    pub fn compact(&mut self) {
        let old = std::mem::take(self);
        let mut statute_names = vec![String::new(); old.statute_ids.len()];
        for (name, id) in old.statute_ids {
            if let Some(slot) = statute_names.get_mut(id as usize) {
                *slot = name;
            }
        }
        for (meta, record) in old.meta.iter().zip(old.items) {
            if !meta.alive {
                continue;
            }
            let bureau_name = old.bureaus.get(&meta.bureau_id).map(|b| b.name.as_str()).unwrap_or_default();
            let unit_texts: Vec<(String, Field)> =
                record.units.iter().map(|r| (old.units.text(r.unit()).to_string(), r.field())).collect();
            let citations: Vec<(String, Option<u32>)> = record
                .citations
                .iter()
                .filter_map(|&(s, a)| statute_names.get(s as usize).map(|n| (n.clone(), a)))
                .collect();
            self.insert_normalized(
                meta.item_id,
                meta.bureau_id,
                bureau_name,
                record.item_name.into(),
                meta.category,
                unit_texts,
                citations,
            );
        }
        for list in self.grams.values_mut() {
            list.shrink();
        }
        self.grams.shrink_to_fit();
        self.units.shrink();
        self.users.freeze();
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
            let mut mask = vec![0u64; self.meta.len().div_ceil(64)];
            for &i in cited {
                if let Some(word) = mask.get_mut(i as usize / 64) {
                    *word |= 1 << (i % 64);
                }
            }
            mask
        });
        let passes = |internal: u32| -> bool {
            let Some(meta) = self.meta.get(internal as usize) else { return false };
            meta.alive
                && query.category.is_none_or(|c| meta.category == c)
                && query.bureau.is_none_or(|b| meta.bureau_id == b)
                && statute_mask.as_ref().is_none_or(|m| {
                    m.get(internal as usize / 64).is_some_and(|w| w & (1 << (internal % 64)) != 0)
                })
        };

        // Every match is counted; only the best `offset + limit` are kept, so a term found
        // in 100,000 items costs a count, not a sort of 100,000 hits.
        let wanted = if query.limit == 0 { 0 } else { query.offset.saturating_add(query.limit) };
        let mut top = TopK::new(wanted);
        if terms.is_empty() {
            let mut all = |i: u32| {
                if passes(i) {
                    top.offer(self.matched(i, 0.0));
                }
            };
            match &small_set {
                Some(set) => set.iter().copied().for_each(&mut all),
                None => (0..self.meta.len() as u32).for_each(&mut all),
            }
        } else {
            // Rarest first: fewer items survive the first term, and the expansion of a
            // common term is cut short once few candidates are left. Both paths use this
            // order so their scores add up identically.
            let mut by_rarity: Vec<(usize, &String)> =
                terms.iter().map(|t| (self.term_rarity(t), t)).collect();
            by_rarity.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| b.1.chars().count().cmp(&a.1.chars().count()))
                    .then_with(|| a.1.cmp(b.1))
            });
            let ordered: Vec<&str> = by_rarity.iter().map(|(_, t)| t.as_str()).collect();
            match small_set {
                Some(set) => {
                    let candidates = set.into_iter().map(|i| self.matched(i, 0.0));
                    self.scan(candidates, &ordered, &passes, &mut top);
                }
                None => self.through_postings(&ordered, &passes, &mut top),
            }
        }

        let total = top.total;
        if query.limit == 0 || query.offset >= total {
            // A count, or a page past the end: nothing to rank.
            return Ok(SearchResult { total, hits: Vec::new() });
        }
        let ranked = top.into_sorted();
        let hits = ranked.iter().skip(query.offset).take(query.limit).map(|m| self.hit(m, &terms)).collect();
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
        let internal = self.meta.len() as u32;
        let mut refs: Vec<UnitRef> = Vec::with_capacity(units.len());
        for (text, field) in units {
            let unit = self.intern(&text);
            // A text repeated in one field of an item (two identical clauses) counts once,
            // on both query paths.
            let unit_ref = UnitRef::new(unit, field);
            if refs.contains(&unit_ref) {
                continue;
            }
            self.units.add_ref(unit);
            self.users.add(unit, (internal << 2) | field.slot() as u32);
            refs.push(unit_ref);
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
        self.meta.push(ItemMeta { item_id, bureau_id, category, alive: true });
        self.items.push(ItemRecord {
            item_name: item_name.into_boxed_str(),
            units: refs.into_boxed_slice(),
            citations: cited.into_boxed_slice(),
        });
        self.by_item_id.insert(item_id, internal);
        let bureau = self.bureaus.entry(bureau_id).or_default();
        if bureau.name != bureau_name {
            bureau.name = bureau_name.to_string();
        }
        bureau.items.push(internal);
    }

    /// The id of a unit with this normalized text, indexing it when new.
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.units.find(text) {
            return id;
        }
        let id = self.units.push(text);
        self.users.push_unit();
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
        id
    }

    fn kill(&mut self, internal: u32) {
        let Some(meta) = self.meta.get_mut(internal as usize) else { return };
        if !meta.alive {
            return;
        }
        meta.alive = false;
        self.dead_items += 1;
        if let Some(record) = self.items.get(internal as usize) {
            for r in record.units.iter() {
                self.units.drop_ref(r.unit());
            }
        }
    }

    fn maybe_compact(&mut self) {
        if self.dead_items > 1024 && self.dead_items > self.len() {
            self.compact();
        }
    }

    // ----- querying -------------------------------------------------------------------

    fn item_id(&self, internal: u32) -> Option<i64> {
        self.meta.get(internal as usize).map(|m| m.item_id)
    }

    fn matched(&self, internal: u32, score: f32) -> Match {
        Match { internal, item_id: self.item_id(internal).unwrap_or_default(), score }
    }

    fn citing_internal(&self, statute: &str, article: Option<u32>) -> Vec<u32> {
        let Some(&id) = self.statute_ids.get(normalize_statute(statute).as_str()) else {
            return Vec::new();
        };
        let list = match article {
            Some(a) => self.citing_article.get(&(id, a)),
            None => self.citing_statute.get(&id),
        };
        list.map(|l| {
            l.iter().copied().filter(|&i| self.meta.get(i as usize).is_some_and(|m| m.alive)).collect()
        })
        .unwrap_or_default()
    }

    /// How many units hold the term at most (the shortest posting list of its grams); 0
    /// when none can.
    fn term_rarity(&self, term: &str) -> usize {
        let mut chars = term.chars();
        let (Some(a), second) = (chars.next(), chars.next()) else { return 0 };
        let Some(b) = second else {
            return self.grams.get(&unigram_key(a)).map_or(0, PostingList::len);
        };
        let mut fewest = self.grams.get(&bigram_key(a, b)).map_or(0, PostingList::len);
        let mut prev = b;
        for c in chars {
            fewest = fewest.min(self.grams.get(&bigram_key(prev, c)).map_or(0, PostingList::len));
            prev = c;
        }
        fewest
    }

    /// Units whose text contains `term`, ascending, into `out` (cleared first).
    fn units_containing(&self, term: &str, out: &mut Vec<u32>) {
        out.clear();
        let mut chars = term.chars();
        let (Some(a), second) = (chars.next(), chars.next()) else { return };
        let Some(b) = second else {
            if let Some(l) = self.grams.get(&unigram_key(a)) {
                out.extend(l.iter());
            }
            return;
        };
        let Some(c) = chars.next() else {
            if let Some(l) = self.grams.get(&bigram_key(a, b)) {
                out.extend(l.iter());
            }
            return;
        };
        let mut keys: Vec<u64> = vec![bigram_key(a, b), bigram_key(b, c)];
        let mut prev = c;
        for ch in chars {
            keys.push(bigram_key(prev, ch));
            prev = ch;
        }
        keys.sort_unstable();
        keys.dedup();
        let mut lists = Vec::with_capacity(keys.len());
        for k in keys {
            match self.grams.get(&k) {
                Some(l) => lists.push(l),
                None => return,
            }
        }
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        intersect(&lists, out);
        out.retain(|&u| finder.find(self.units.text(u).as_bytes()).is_some());
    }

    fn through_postings(&self, terms: &[&str], passes: &dyn Fn(u32) -> bool, top: &mut TopK) {
        let mut scratch =
            self.scratch.lock().map(|mut pool| pool.pop()).unwrap_or_default().unwrap_or_default();
        scratch.tallies.resize(self.meta.len(), Tally::default());
        scratch.scores.resize(self.meta.len(), 0.0);
        self.expand_terms(terms, passes, &mut scratch, top);
        // Zero only what is dirty when that is little, else everything.
        let Scratch { tallies, scores, dirty, .. } = &mut scratch;
        if dirty.len() < tallies.len() / 8 {
            for &i in dirty.iter() {
                if let (Some(t), Some(s)) = (tallies.get_mut(i as usize), scores.get_mut(i as usize)) {
                    *t = Tally::default();
                    *s = 0.0;
                }
            }
        } else {
            tallies.fill(Tally::default());
            scores.fill(0.0);
        }
        if let Ok(mut pool) = self.scratch.lock() {
            pool.push(scratch);
        }
    }

    /// The postings path proper, on zeroed `tallies` and `scores`; records in `dirty` every
    /// index it wrote so the caller can zero them again.
    fn expand_terms(
        &self,
        terms: &[&str],
        passes: &dyn Fn(u32) -> bool,
        scratch: &mut Scratch,
        top: &mut TopK,
    ) {
        let Scratch { tallies, scores, dirty, touched, units } = scratch;
        dirty.clear();
        touched.clear();
        for (term_index, term) in terms.iter().enumerate() {
            if term_index > 0 && touched.len() <= SCAN_LIMIT {
                // Few items are left: checking their units for the remaining terms is
                // cheaper than expanding every unit holding a common term.
                let survivors = touched
                    .iter()
                    .map(|&i| self.matched(i, scores.get(i as usize).copied().unwrap_or_default()));
                self.scan(survivors, &terms[term_index..], &|_| true, top);
                return;
            }
            let needed = term_index as u64;
            touched.clear();
            self.units_containing(term, units);
            for &unit in units.iter() {
                let (frozen, recent) = self.users.of(unit);
                for &packed in frozen.iter().chain(recent) {
                    let item = (packed >> 2) as usize;
                    let Some(tally) = tallies.get_mut(item) else { continue };
                    // Items that missed an earlier term can no longer match.
                    if tally.terms() != needed {
                        continue;
                    }
                    if !tally.has_counts() {
                        if !passes(item as u32) {
                            tally.exclude();
                            dirty.push(item as u32);
                            continue;
                        }
                        touched.push(item as u32);
                        if term_index == 0 {
                            dirty.push(item as u32);
                        }
                    }
                    tally.count_unit((packed & 3) as usize);
                }
            }
            for &item in touched.iter() {
                let i = item as usize;
                if let (Some(tally), Some(score)) = (tallies.get_mut(i), scores.get_mut(i)) {
                    *score += term_score(&tally.counts());
                    tally.next_term();
                }
            }
            if touched.is_empty() {
                break;
            }
        }
        for &i in touched.iter() {
            top.offer(self.matched(i, scores.get(i as usize).copied().unwrap_or_default()));
        }
    }

    /// Check candidates (with their scores so far) for `terms` item by item.
    fn scan(
        &self,
        candidates: impl Iterator<Item = Match>,
        terms: &[&str],
        passes: &dyn Fn(u32) -> bool,
        top: &mut TopK,
    ) {
        let finders: Vec<memchr::memmem::Finder<'_>> =
            terms.iter().map(|t| memchr::memmem::Finder::new(t.as_bytes())).collect();
        // Items of one bureau share many units (boilerplate stages); check each once per term.
        let mut verdicts: FxHashMap<(u32, usize), bool> = FxHashMap::default();
        'items: for mut candidate in candidates {
            if !passes(candidate.internal) {
                continue;
            }
            let Some(record) = self.items.get(candidate.internal as usize) else { continue };
            for (t, finder) in finders.iter().enumerate() {
                let mut counts = [0u16; 4];
                for r in record.units.iter() {
                    let hit = *verdicts
                        .entry((r.unit(), t))
                        .or_insert_with(|| finder.find(self.units.text(r.unit()).as_bytes()).is_some());
                    if hit {
                        let slot = r.field().slot();
                        counts[slot] = counts[slot].saturating_add(1);
                    }
                }
                if counts == [0; 4] {
                    continue 'items;
                }
                candidate.score += term_score(&counts);
            }
            top.offer(candidate);
        }
    }

    fn hit(&self, m: &Match, terms: &[String]) -> Hit {
        let meta = self.meta.get(m.internal as usize);
        let record = self.items.get(m.internal as usize);
        let bureau_id = meta.map(|x| x.bureau_id).unwrap_or_default();
        Hit {
            item_id: m.item_id,
            bureau_id,
            bureau_name: self.bureaus.get(&bureau_id).map(|b| b.name.clone()).unwrap_or_default(),
            item_name: record.map(|r| r.item_name.to_string()).unwrap_or_default(),
            category: meta.map(|x| x.category).unwrap_or_default(),
            score: m.score,
            snippet: record.and_then(|r| self.snippet(r, terms)),
        }
    }

    /// Excerpt of the highest-weighted field holding the first term.
    fn snippet(&self, record: &ItemRecord, terms: &[String]) -> Option<Snippet> {
        let first = terms.first()?;
        let (field, text) = Field::ALL.iter().find_map(|&field| {
            record.units.iter().filter(|r| r.field() == field).find_map(|r| {
                let text = self.units.text(r.unit());
                text.contains(first.as_str()).then_some((field, text))
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
        let excerpt = text.get(bounds[start]..bounds[end])?;
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for term in terms {
            let term_chars = term.chars().count();
            for (b, _) in excerpt.match_indices(term.as_str()) {
                let s = excerpt.get(..b).map(|p| p.chars().count()).unwrap_or_default();
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

/// A matching item before paging.
#[derive(Debug, Clone, Copy)]
struct Match {
    internal: u32,
    item_id: i64,
    score: f32,
}

/// The order of results: best score first; equal scores by item id, so pages are stable.
fn rank_order(a: &Match, b: &Match) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.item_id.cmp(&b.item_id))
}

/// A match in the heap of [`TopK`], ordered by [`rank_order`]: the greatest is the worst.
struct Ranked(Match);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        rank_order(&self.0, &other.0).is_eq()
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        rank_order(&self.0, &other.0)
    }
}

/// Counts every match offered and keeps the best `k` (by [`rank_order`]).
struct TopK {
    k: usize,
    total: usize,
    heap: std::collections::BinaryHeap<Ranked>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        // A page is at most MAX_LIMIT deep past its offset; the heap grows as needed.
        TopK { k, total: 0, heap: std::collections::BinaryHeap::with_capacity(k.min(MAX_LIMIT + 1)) }
    }

    fn offer(&mut self, m: Match) {
        self.total += 1;
        if self.heap.len() < self.k {
            self.heap.push(Ranked(m));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && rank_order(&m, &worst.0).is_lt()
        {
            *worst = Ranked(m);
        }
    }

    /// The kept matches, best first.
    fn into_sorted(self) -> Vec<Match> {
        self.heap.into_sorted_vec().into_iter().map(|r| r.0).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_saturate_and_reset_per_term() {
        let mut t = Tally::default();
        assert!(!t.has_counts());
        t.count_unit(1);
        t.count_unit(1);
        t.count_unit(3);
        assert_eq!(t.counts(), [0, 2, 0, 1]);
        for _ in 0..5000 {
            t.count_unit(0);
        }
        assert_eq!(t.counts(), [4095, 2, 0, 1]);
        t.next_term();
        assert_eq!((t.terms(), t.counts()), (1, [0; 4]));
        t.exclude();
        assert_eq!(t.terms(), Tally::EXCLUDED);
    }

    #[test]
    fn unit_refs_pack_unit_and_field() {
        for field in Field::ALL {
            let r = UnitRef::new(123_456, field);
            assert_eq!((r.unit(), r.field()), (123_456, field));
        }
    }
}
