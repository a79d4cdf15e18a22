//! The catalog read model: every bureau, version and item, held in memory and rebuilt after
//! each write. Public pages and the read API are served from here, never from the database,
//! so they cost no I/O; the store stays the source of truth. Catalogs only: cases and alerts
//! change too often to be rebuilt like this and are read from the store per request.

use std::collections::HashMap;
use std::sync::Arc;

use quanze_search::{ItemDoc, SearchIndex};

use super::model::{BureauData, ItemLoc, ItemRef, VersionData};

/// The alignment of two versions (`quanze-compare`'s result), shared.
pub(crate) type SharedAlignment = Arc<quanze_compare::Alignment>;

pub struct Snapshot {
    pub bureaus: Vec<BureauData>,
    /// Alignments of two versions, computed on first request (the snapshot is replaced on
    /// every write, which empties this).
    aligned: std::sync::Mutex<HashMap<(i64, i64), SharedAlignment>>,
    by_bureau_id: HashMap<i64, usize>,
    items: HashMap<i64, ItemLoc>,
    pub search: SearchIndex,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot::build(Vec::new())
    }
}

impl Snapshot {
    pub fn build(mut bureaus: Vec<BureauData>) -> Snapshot {
        bureaus.sort_by_key(|b| b.id);
        for b in &mut bureaus {
            b.versions.sort_by_key(|v| v.number);
        }
        let mut by_bureau_id = HashMap::new();
        let mut items = HashMap::new();
        for (bi, b) in bureaus.iter().enumerate() {
            by_bureau_id.insert(b.id, bi);
            for (vi, v) in b.versions.iter().enumerate() {
                for (ii, id) in v.item_ids.iter().enumerate() {
                    items.insert(*id, ItemLoc { bureau: bi, version: vi, index: ii });
                }
            }
        }
        let mut search = SearchIndex::new();
        for b in &bureaus {
            if let Some(v) = b.current() {
                for (id, it) in v.items() {
                    search.add(ItemDoc::from_item(id, b.id, &b.name, it));
                }
            }
        }
        Snapshot { bureaus, aligned: Default::default(), by_bureau_id, items, search }
    }

    /// `quanze_compare::align(a, b)`, remembered: aligning two lists is the costly part of a
    /// comparison; the catalog maps it to rows per request.
    pub fn aligned(&self, a: &VersionData, b: &VersionData) -> SharedAlignment {
        let key = (a.id, b.id);
        if let Some(rows) = self.aligned.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return rows;
        }
        let rows = Arc::new(quanze_compare::align(&a.catalog, &b.catalog));
        if let Ok(mut m) = self.aligned.lock()
            && m.len() < 10_000
        {
            m.insert(key, Arc::clone(&rows));
        }
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
        let bureau = self.bureaus.get(loc.bureau)?;
        let version = bureau.versions.get(loc.version)?;
        let item = version.catalog.items.get(loc.index)?;
        Some(ItemRef { id, bureau, version, item })
    }
}
