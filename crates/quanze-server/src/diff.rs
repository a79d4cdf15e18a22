//! Differences between two versions of one list, and the alignment of two bureaus' lists.

use std::collections::{BTreeSet, HashMap};

use quanze_model::{Category, PowerItem};
use serde::Serialize;
use utoipa::ToSchema;

use crate::search::normalize;
use crate::snapshot::VersionData;

fn key(it: &PowerItem) -> (Category, String) {
    let mut k = normalize(&it.name);
    if let Some(s) = &it.sub_name {
        k.push('|');
        k.push_str(&normalize(s));
    }
    (it.category, k)
}

/// One changed field of an item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldChange {
    /// Field id (`legal_basis`).
    pub field: String,
    /// Chinese label (实施依据).
    pub label: String,
    pub before: String,
    pub after: String,
}

/// An item present in both versions whose fields differ.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangedItem {
    pub from_id: i64,
    pub to_id: i64,
    pub name: String,
    pub category: String,
    pub changes: Vec<FieldChange>,
}

/// An item on one side only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemStub {
    pub id: i64,
    pub seq: Option<u32>,
    pub name: String,
    pub category: String,
    pub category_label: String,
}

/// What changed from one version to another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionDiff {
    pub from: i64,
    pub to: i64,
    pub added: Vec<ItemStub>,
    pub removed: Vec<ItemStub>,
    pub changed: Vec<ChangedItem>,
    pub unchanged: usize,
}

pub fn stub(id: i64, it: &PowerItem) -> ItemStub {
    ItemStub {
        id,
        seq: it.seq,
        name: it.name.clone(),
        category: it.category.id().into(),
        category_label: it.category.label().into(),
    }
}

fn fields(it: &PowerItem) -> Vec<(&'static str, &'static str, String)> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        ("seq", "序号", it.seq.map(|s| s.to_string()).unwrap_or_default()),
        ("sub_name", "子项", opt(&it.sub_name)),
        ("subject", "实施主体", opt(&it.subject)),
        ("office", "承办机构", opt(&it.office)),
        ("code", "权力编码", opt(&it.code)),
        ("legal_basis", "实施依据", it.legal_basis.text.clone()),
        ("responsibilities", "责任事项", it.responsibilities.text.clone()),
        ("accountability", "追责情形", it.accountability.text.clone()),
        ("accountability_basis", "追责依据", it.accountability_basis.text.clone()),
        ("deadline", "法定期限", it.deadline.as_ref().map(|d| d.text.clone()).unwrap_or_default()),
        ("remarks", "备注", opt(&it.remarks)),
    ]
}

pub fn diff_versions(from: &VersionData, to: &VersionData) -> VersionDiff {
    let mut old: HashMap<(Category, String), Vec<(i64, &PowerItem)>> = HashMap::new();
    for (id, it) in from.items() {
        old.entry(key(it)).or_default().push((id, it));
    }
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for (id, it) in to.items() {
        let matched = old.get_mut(&key(it)).and_then(|v| (!v.is_empty()).then(|| v.remove(0)));
        match matched {
            None => added.push(stub(id, it)),
            Some((old_id, old_it)) => {
                let changes: Vec<FieldChange> = fields(old_it)
                    .into_iter()
                    .zip(fields(it))
                    .filter(|((_, _, a), (_, _, b))| normalize(a) != normalize(b))
                    .map(|((field, label, before), (_, _, after))| FieldChange {
                        field: field.into(),
                        label: label.into(),
                        before,
                        after,
                    })
                    .collect();
                if changes.is_empty() {
                    unchanged += 1;
                } else {
                    changed.push(ChangedItem {
                        from_id: old_id,
                        to_id: id,
                        name: it.name.clone(),
                        category: it.category.label().into(),
                        changes,
                    });
                }
            }
        }
    }
    let mut removed: Vec<ItemStub> = old.into_values().flatten().map(|(id, it)| stub(id, it)).collect();
    removed.sort_by_key(|s| s.id);
    VersionDiff { from: from.id, to: to.id, added, removed, changed, unchanged }
}

/// A row of two bureaus side by side: the same power in both, or in one only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlignedRow {
    pub category: String,
    pub category_label: String,
    pub a: Option<ItemStub>,
    pub b: Option<ItemStub>,
    /// 0–100: how alike the two names are (100 = same after normalization).
    pub similarity: u32,
}

fn bigrams(s: &str) -> BTreeSet<(char, char)> {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

fn similarity(a: &str, b: &str) -> u32 {
    if a == b {
        return 100;
    }
    let (x, y) = (bigrams(a), bigrams(b));
    let inter = x.intersection(&y).count();
    let union = x.union(&y).count();
    if union == 0 {
        return 0;
    }
    u32::try_from(inter * 100 / union).unwrap_or(0)
}

/// Align two lists by type, then by name (exact first, then the most alike names above 50).
pub fn align(a: &VersionData, b: &VersionData) -> Vec<AlignedRow> {
    let mut rows = Vec::new();
    for cat in Category::ALL {
        let xs: Vec<(i64, &PowerItem)> = a.items().filter(|(_, it)| it.category == cat).collect();
        let mut ys: Vec<Option<(i64, &PowerItem)>> =
            b.items().filter(|(_, it)| it.category == cat).map(Some).collect();
        for (xid, x) in &xs {
            let kx = normalize(&x.name);
            let mut best: Option<(usize, u32)> = None;
            for (j, y) in ys.iter().enumerate() {
                let Some((_, y)) = y else { continue };
                let s = similarity(&kx, &normalize(&y.name));
                if s >= 50 && best.is_none_or(|(_, bs)| s > bs) {
                    best = Some((j, s));
                }
            }
            let (b_side, sim) = match best {
                Some((j, s)) => (ys.get_mut(j).and_then(Option::take).map(|(id, it)| stub(id, it)), s),
                None => (None, 0),
            };
            rows.push(AlignedRow {
                category: cat.id().into(),
                category_label: cat.label().into(),
                a: Some(stub(*xid, x)),
                b: b_side,
                similarity: sim,
            });
        }
        for (id, y) in ys.into_iter().flatten() {
            rows.push(AlignedRow {
                category: cat.id().into(),
                category_label: cat.label().into(),
                a: None,
                b: Some(stub(id, y)),
                similarity: 0,
            });
        }
    }
    rows
}
