//! The catalog read model: every bureau, version and item, held in memory. Public pages and
//! the read API are served from here, never from the database, so they cost no I/O; the store
//! stays the source of truth. Catalogs only: cases and alerts change too often to be held like
//! this and are read from the store per request.
//!
//! A write does not rebuild it: [`Snapshot::apply`] makes the next snapshot from the previous
//! one and the versions that changed (issue 12: a 2-item import reloaded every version and
//! rebuilt the whole index, 2.7 s with 100,000 items held). Catalogs are shared (`Arc`), a
//! version's counted figures stay with it, and the search index is changed in place for the
//! bureaus whose current version moved.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use quanze_search::{ItemDoc, SearchIndex};

use super::model::{BureauData, ItemLoc, ItemRef, VersionData};

/// The alignment of two versions (`quanze-compare`'s result), shared.
pub(crate) type SharedAlignment = Arc<quanze_compare::Alignment>;

/// Alignments remembered at most (each is a few rows per item).
const MAX_ALIGNMENTS: usize = 256;

pub struct Snapshot {
    pub bureaus: Vec<BureauData>,
    /// Alignments of two versions, computed on first request. Versions never change once
    /// stored, so the cache is kept from one snapshot to the next.
    aligned: Arc<Mutex<HashMap<(i64, i64), SharedAlignment>>>,
    by_bureau_id: HashMap<i64, usize>,
    /// Where each item is: bureau and version by id, so a new version or bureau moves no
    /// other entry.
    items: HashMap<i64, ItemLoc>,
    /// The search index over every bureau's current version, shared with the snapshots
    /// before and after this one and changed in place by [`Snapshot::apply`]; a search between
    /// the two steps of an apply may see an item of the newer list, which it resolves through
    /// the snapshot it holds (or drops).
    search: Arc<RwLock<SearchIndex>>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot::build(Vec::new())
    }
}

fn sort(bureaus: &mut [BureauData]) {
    bureaus.sort_by_key(|b| b.id);
    for b in bureaus {
        b.versions.sort_by_key(|v| v.number);
    }
}

fn index_items(items: &mut HashMap<i64, ItemLoc>, b: &BureauData) {
    for v in &b.versions {
        for (ii, id) in v.item_ids.iter().enumerate() {
            items.insert(*id, ItemLoc { bureau: b.id, version: v.id, index: ii });
        }
    }
}

fn docs(b: &BureauData) -> Vec<ItemDoc> {
    match b.current() {
        Some(v) => v.items().map(|(id, it)| ItemDoc::from_item(id, b.id, &b.name, it)).collect(),
        None => Vec::new(),
    }
}

impl Snapshot {
    pub fn build(mut bureaus: Vec<BureauData>) -> Snapshot {
        sort(&mut bureaus);
        let by_bureau_id = bureaus.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        let mut items = HashMap::new();
        let mut search = SearchIndex::new();
        for b in &bureaus {
            index_items(&mut items, b);
            for d in docs(b) {
                search.add(d);
            }
        }
        Snapshot {
            bureaus,
            aligned: Default::default(),
            by_bureau_id,
            items,
            search: Arc::new(RwLock::new(search)),
        }
    }

    /// The next snapshot: this one with `changed` versions put in (added, or replacing the
    /// version with the same id: a publish), their bureaus created from `new_bureaus` (id,
    /// name, region) when this snapshot has none. The search index is updated for the bureaus
    /// whose current version moved; nothing else is recounted or reindexed.
    pub(crate) fn apply(
        &self,
        changed: Vec<(i64, VersionData)>,
        new_bureaus: &[(i64, String, Option<String>)],
    ) -> Snapshot {
        let mut bureaus = self.bureaus.clone();
        let mut items = self.items.clone();
        let mut touched: Vec<i64> = Vec::new();
        for (bureau_id, v) in changed {
            let pos = match bureaus.iter().position(|b| b.id == bureau_id) {
                Some(p) => p,
                None => {
                    let (name, region) = new_bureaus
                        .iter()
                        .find(|(id, _, _)| *id == bureau_id)
                        .map(|(_, n, r)| (n.clone(), r.clone()))
                        .unwrap_or_else(|| (format!("单位 {bureau_id}"), None));
                    bureaus.push(BureauData { id: bureau_id, name, region, versions: Vec::new() });
                    bureaus.len() - 1
                }
            };
            let b = &mut bureaus[pos];
            for (ii, id) in v.item_ids.iter().enumerate() {
                items.insert(*id, ItemLoc { bureau: bureau_id, version: v.id, index: ii });
            }
            match b.versions.iter_mut().find(|x| x.id == v.id) {
                // A version's catalog never changes; keep its counted figures.
                Some(old) => {
                    let counts = std::mem::take(&mut old.counts);
                    *old = VersionData { counts, ..v };
                }
                None => b.versions.push(v),
            }
            if !touched.contains(&bureau_id) {
                touched.push(bureau_id);
            }
        }
        sort(&mut bureaus);
        let by_bureau_id = bureaus.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        let next = Snapshot {
            bureaus,
            aligned: Arc::clone(&self.aligned),
            by_bureau_id,
            items,
            search: Arc::clone(&self.search),
        };
        for id in touched {
            let before = self.bureau(id).and_then(|b| b.current()).map(|v| v.id);
            let Some(b) = next.bureau(id) else { continue };
            if b.current().map(|v| v.id) != before {
                let docs = docs(b);
                match next.search.write() {
                    Ok(mut s) => s.replace_bureau(id, docs),
                    Err(p) => p.into_inner().replace_bureau(id, docs),
                }
            }
        }
        next
    }

    /// The search index (read-locked for the length of one search).
    pub(crate) fn search(&self) -> RwLockReadGuard<'_, SearchIndex> {
        match self.search.read() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// `quanze_compare::align(a, b)` when it was computed before.
    pub(crate) fn cached_alignment(&self, a: &VersionData, b: &VersionData) -> Option<SharedAlignment> {
        self.aligned.lock().ok().and_then(|m| m.get(&(a.id, b.id)).cloned())
    }

    /// Remember an alignment computed elsewhere (on the heavy pool).
    pub(crate) fn remember_alignment(&self, a: i64, b: i64, rows: SharedAlignment) {
        if let Ok(mut m) = self.aligned.lock() {
            if m.len() >= MAX_ALIGNMENTS {
                m.clear();
            }
            m.insert((a, b), rows);
        }
    }

    /// `quanze_compare::align(a, b)`, remembered: aligning two lists is the costly part of a
    /// comparison; the catalog maps it to rows per request.
    pub fn aligned(&self, a: &VersionData, b: &VersionData) -> SharedAlignment {
        if let Some(rows) = self.cached_alignment(a, b) {
            return rows;
        }
        let rows = Arc::new(quanze_compare::align(&a.catalog, &b.catalog));
        self.remember_alignment(a.id, b.id, Arc::clone(&rows));
        rows
    }

    pub fn bureau(&self, id: i64) -> Option<&BureauData> {
        self.by_bureau_id.get(&id).map(|&i| &self.bureaus[i])
    }

    pub fn bureau_index(&self, id: i64) -> Option<usize> {
        self.by_bureau_id.get(&id).copied()
    }

    pub fn item(&self, id: i64) -> Option<ItemRef<'_>> {
        let loc = self.items.get(&id)?;
        let bureau = self.bureau(loc.bureau)?;
        let version = bureau.version(loc.version)?;
        let item = version.catalog.items.get(loc.index)?;
        Some(ItemRef { id, bureau, version, item })
    }
}
