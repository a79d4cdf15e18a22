//! The catalog read model's data: bureaus, their versions and items, and which versions the
//! public may see ([`BureauData::is_public`], the one place draft visibility is decided).

use std::collections::BTreeMap;
use std::sync::Arc;

use quanze_model::{Catalog, Category, PowerItem, Severity};

/// One version of a bureau's list, as loaded from the store.
#[derive(Debug, Clone)]
pub struct VersionData {
    pub id: i64,
    /// 1, 2, … per bureau.
    pub number: i64,
    /// Seconds since the Unix epoch (UTC) of the import.
    pub imported_at: i64,
    pub imported_by: Option<String>,
    /// Whether the version is published (public pages show the newest published one).
    pub published: bool,
    pub published_at: Option<i64>,
    pub catalog: Arc<Catalog>,
    /// Store id of each item, in catalog order.
    pub item_ids: Vec<i64>,
    /// Figures derived from the catalog, counted on first use: the home page and
    /// `/api/bureaus` show them for every bureau on every request, and a version never
    /// changes once stored (issue 12: recounting made the home page 37× slower with 315,000
    /// items held).
    pub counts: std::sync::OnceLock<VersionCounts>,
}

/// What [`VersionData::category_counts`] and [`VersionData::diagnostic_counts`] return.
#[derive(Debug, Clone, Default)]
pub struct VersionCounts {
    categories: Vec<CategoryCount>,
    /// (errors, warnings, infos)
    diagnostics: (usize, usize, usize),
}

/// One bureau with its versions, oldest first.
#[derive(Debug, Clone)]
pub struct BureauData {
    pub id: i64,
    pub name: String,
    pub region: Option<String>,
    pub versions: Vec<VersionData>,
}

/// Where an item lives in the snapshot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemLoc {
    /// Bureau id.
    pub bureau: i64,
    /// Version id.
    pub version: i64,
    /// Position in the version's catalog.
    pub index: usize,
}

/// An item with its context.
#[derive(Clone, Copy)]
pub struct ItemRef<'a> {
    pub id: i64,
    pub bureau: &'a BureauData,
    pub version: &'a VersionData,
    pub item: &'a PowerItem,
}

/// Counts of one category in one version.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CategoryCount {
    /// snake_case id (`penalty`).
    pub category: String,
    /// Chinese label (行政处罚).
    pub label: String,
    pub count: usize,
}

impl BureauData {
    /// The version the public sees: the newest published one. `None` until one is
    /// published: a draft is never public, whatever else the bureau has (issue 11).
    pub fn current(&self) -> Option<&VersionData> {
        self.versions.iter().rev().find(|v| v.published)
    }

    /// The version a viewer sees by default: [`BureauData::current`], else, for a viewer who
    /// may read drafts, the newest draft.
    pub fn current_for(&self, drafts: bool) -> Option<&VersionData> {
        self.current().or_else(|| if drafts { self.versions.last() } else { None })
    }

    /// Whether the public may know of the bureau at all: it has published a version. A
    /// bureau whose lists are all drafts exists only for those who may read drafts (its
    /// name came from the draft).
    pub fn is_listed(&self) -> bool {
        self.versions.iter().any(|v| v.published)
    }

    /// Whether the public may see a version: only a published one. Drafts are for those who
    /// may read drafts until they are published.
    pub fn is_public(&self, v: &VersionData) -> bool {
        v.published
    }

    /// The versions a viewer may see, oldest first: with `drafts` (a viewer the access policy
    /// lets read drafts) all of them.
    pub fn visible_versions(&self, drafts: bool) -> impl Iterator<Item = &VersionData> {
        self.versions.iter().filter(move |v| drafts || self.is_public(v))
    }

    pub fn version(&self, id: i64) -> Option<&VersionData> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// A version by id or by its per-bureau number.
    pub fn version_by_ref(&self, r: i64) -> Option<&VersionData> {
        self.version(r).or_else(|| self.versions.iter().find(|v| v.number == r))
    }
}

impl VersionData {
    pub fn items(&self) -> impl Iterator<Item = (i64, &PowerItem)> {
        self.item_ids.iter().copied().zip(self.catalog.items.iter())
    }

    fn counts(&self) -> &VersionCounts {
        self.counts.get_or_init(|| VersionCounts {
            categories: self.count_categories(),
            diagnostics: self.count_diagnostics(),
        })
    }

    /// Counts per category, in the standard order, non-empty ones only.
    pub fn category_counts(&self) -> Vec<CategoryCount> {
        self.counts().categories.clone()
    }

    /// (errors, warnings, infos)
    pub fn diagnostic_counts(&self) -> (usize, usize, usize) {
        self.counts().diagnostics
    }

    fn count_categories(&self) -> Vec<CategoryCount> {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for it in &self.catalog.items {
            let pos = Category::ALL.iter().position(|c| *c == it.category).unwrap_or(0);
            *counts.entry(pos).or_default() += 1;
        }
        counts
            .into_iter()
            .filter_map(|(pos, count)| {
                let c = Category::ALL.get(pos)?;
                Some(CategoryCount { category: c.id().into(), label: c.label().into(), count })
            })
            .collect()
    }

    fn count_diagnostics(&self) -> (usize, usize, usize) {
        let d = &self.catalog.diagnostics;
        let n = |s| d.iter().filter(|x| x.severity == s).count();
        (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
    }
}
