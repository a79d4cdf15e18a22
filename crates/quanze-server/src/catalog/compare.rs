//! Differences between two versions of one list and the alignment of two bureaus' lists:
//! `quanze-compare` does the matching; this module turns its results into the catalog's JSON
//! types with store item ids and Chinese labels (pages render these too).

use quanze_compare::{ItemField, MatchKey};
use quanze_model::PowerItem;
use serde::Serialize;
use utoipa::ToSchema;

use crate::read::model::VersionData;

/// Chinese name of a compared field.
pub(super) fn field_label(f: ItemField) -> &'static str {
    match f {
        ItemField::Name => "事项名称",
        ItemField::SubName => "子项名称",
        ItemField::Category => "权力类型",
        ItemField::Subject => "实施主体",
        ItemField::Office => "承办机构",
        ItemField::Level => "行使层级",
        ItemField::Code => "权力编码",
        ItemField::SubCode => "子项编码",
        ItemField::LegalBasis => "实施依据",
        ItemField::Responsibilities => "责任事项",
        ItemField::Accountability => "追责情形",
        ItemField::AccountabilityPreamble => "追责情形导语",
        ItemField::AccountabilityBasis => "追责依据",
        ItemField::Acceptance => "受理条件",
        ItemField::Deadline => "法定期限",
        ItemField::Service => "受理地点与电话",
        ItemField::ResponsiblePerson => "责任人员",
        ItemField::Remarks => "备注",
        ItemField::Extra => "其他列",
    }
}

fn match_key(k: MatchKey) -> &'static str {
    match k {
        MatchKey::Code => "code",
        MatchKey::SeqAndName => "seq_and_name",
        MatchKey::Name => "name",
        MatchKey::Similar => "similar",
    }
}

/// One changed field of an item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct FieldChange {
    /// Field id (`legal_basis`).
    pub field: String,
    /// Chinese label (实施依据).
    pub label: String,
    pub before: String,
    pub after: String,
}

/// An item present in both versions whose fields differ.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct ChangedItem {
    pub from_id: i64,
    pub to_id: i64,
    pub name: String,
    pub category: String,
    /// How the two were found to be the same item: `code`, `seq_and_name`, `name`, `similar`.
    pub matched_by: String,
    pub changes: Vec<FieldChange>,
}

/// An item on one side only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct ItemStub {
    pub id: i64,
    pub seq: Option<u32>,
    pub name: String,
    pub category: String,
    pub category_label: String,
}

/// What changed from one version to another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct VersionDiff {
    pub from: i64,
    pub to: i64,
    pub added: Vec<ItemStub>,
    pub removed: Vec<ItemStub>,
    pub changed: Vec<ChangedItem>,
    pub unchanged: usize,
}

pub(super) fn stub(id: i64, it: &PowerItem) -> ItemStub {
    ItemStub {
        id,
        seq: it.seq,
        name: it.name.clone(),
        category: it.category.id().into(),
        category_label: it.category.label().into(),
    }
}

fn stub_at(v: &VersionData, index: usize) -> Option<ItemStub> {
    Some(stub(*v.item_ids.get(index)?, v.catalog.items.get(index)?))
}

pub(super) fn diff_versions(from: &VersionData, to: &VersionData) -> VersionDiff {
    let d = quanze_compare::diff_versions(&from.catalog, &to.catalog);
    VersionDiff {
        from: from.id,
        to: to.id,
        added: d.added.iter().filter_map(|s| stub_at(to, s.index)).collect(),
        removed: d.removed.iter().filter_map(|s| stub_at(from, s.index)).collect(),
        changed: d
            .changed
            .iter()
            .filter_map(|c| {
                Some(ChangedItem {
                    from_id: *from.item_ids.get(c.old.index)?,
                    to_id: *to.item_ids.get(c.new.index)?,
                    name: c.new.name.clone(),
                    category: c.new.category.label().into(),
                    matched_by: match_key(c.matched_by).into(),
                    changes: c
                        .fields
                        .iter()
                        .map(|f| FieldChange {
                            field: f.field.as_str().into(),
                            label: field_label(f.field).into(),
                            before: f.before.clone(),
                            after: f.after.clone(),
                        })
                        .collect(),
                })
            })
            .collect(),
        unchanged: d.unchanged.len(),
    }
}

/// A row of two bureaus side by side: the same power in both, or in one only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct AlignedRow {
    /// Category of the row (of side a when both are present).
    pub category: String,
    pub category_label: String,
    pub a: Option<ItemStub>,
    pub b: Option<ItemStub>,
    /// 0–100: how sure the match is (100 = same item); 0 for one-sided rows.
    pub similarity: u32,
    /// Statutes both items cite, when matched.
    pub shared_citations: Vec<String>,
    /// Fields whose text differs between the matched items.
    pub differences: Vec<String>,
}

/// The rows of two lists' alignment (`quanze-compare`'s matching of `a` and `b`), in type
/// order, then list order of a.
pub(super) fn aligned_rows(
    a: &VersionData,
    b: &VersionData,
    al: &quanze_compare::Alignment,
) -> Vec<AlignedRow> {
    let mut rows: Vec<(usize, usize, AlignedRow)> = Vec::new();
    let cat_pos =
        |it: &PowerItem| quanze_model::Category::ALL.iter().position(|c| *c == it.category).unwrap_or(0);
    for p in &al.pairs {
        let Some(x) = a.catalog.items.get(p.a_index) else { continue };
        let pct = (p.score.clamp(0.0, 1.0) * 100.0).round();
        rows.push((
            cat_pos(x),
            p.a_index,
            AlignedRow {
                category: x.category.id().into(),
                category_label: x.category.label().into(),
                a: stub_at(a, p.a_index),
                b: stub_at(b, p.b_index),
                similarity: if pct.is_finite() { pct as u32 } else { 0 },
                shared_citations: p.why.shared_citations.clone(),
                differences: p.differences.iter().map(|d| field_label(d.field).to_string()).collect(),
            },
        ));
    }
    for &i in &al.only_a {
        let Some(x) = a.catalog.items.get(i) else { continue };
        rows.push((
            cat_pos(x),
            i,
            AlignedRow {
                category: x.category.id().into(),
                category_label: x.category.label().into(),
                a: stub_at(a, i),
                b: None,
                similarity: 0,
                shared_citations: Vec::new(),
                differences: Vec::new(),
            },
        ));
    }
    for &j in &al.only_b {
        let Some(y) = b.catalog.items.get(j) else { continue };
        rows.push((
            cat_pos(y),
            usize::MAX / 2 + j,
            AlignedRow {
                category: y.category.id().into(),
                category_label: y.category.label().into(),
                a: None,
                b: stub_at(b, j),
                similarity: 0,
                shared_citations: Vec::new(),
                differences: Vec::new(),
            },
        ));
    }
    rows.sort_by_key(|(c, i, _)| (*c, *i));
    rows.into_iter().map(|(_, _, r)| r).collect()
}
