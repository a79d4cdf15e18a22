//! The catalog's JSON types (the API's contract; pages use their own views) and their
//! mapping from the read model.

use quanze_model::Diagnostic;
use serde::Serialize;
use utoipa::ToSchema;

use super::compare::AlignedRow;
use crate::read::model::{BureauData, CategoryCount, ItemRef, VersionData};

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DiagnosticCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct VersionDto {
    pub id: i64,
    pub bureau_id: i64,
    /// 1, 2, … per bureau.
    pub number: i64,
    /// `draft` or `published`.
    pub status: String,
    /// Seconds since the Unix epoch (UTC).
    pub imported_at: i64,
    pub imported_by: Option<String>,
    pub published_at: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    pub title: Option<String>,
    pub edition: Option<String>,
    pub item_count: usize,
    pub diagnostics: DiagnosticCounts,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct BureauDto {
    pub id: i64,
    pub name: String,
    pub region: Option<String>,
    /// The version the public sees (newest published, else newest).
    pub current_version: Option<VersionDto>,
    pub version_count: usize,
    pub item_count: usize,
    /// Items of the current version per type.
    pub categories: Vec<CategoryCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct BureauList {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub bureaus: Vec<BureauDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ItemSummaryDto {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub version_id: i64,
    pub seq: Option<u32>,
    pub name: String,
    pub sub_name: Option<String>,
    /// snake_case category id.
    pub category: String,
    /// Chinese label of the category.
    pub category_label: String,
    pub subject: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ItemList {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub bureau_id: i64,
    pub version_id: i64,
    pub items: Vec<ItemSummaryDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ItemDto {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub version_id: i64,
    pub version_number: i64,
    /// Whether the item belongs to the version the public sees.
    pub current: bool,
    /// The whole item in the canonical catalog format (`PowerItem`, see docs/schema).
    #[schema(value_type = Object)]
    pub item: serde_json::Value,
    /// Findings of the import about this item.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SnippetDto {
    /// Field of the excerpt: `name`, `stage`, `clause` or `legal_basis`.
    pub field: String,
    /// The excerpt (normalized text).
    pub text: String,
    /// Matched spans as `[start, end)` character offsets into `text`.
    pub highlights: Vec<[u32; 2]>,
    pub cut_before: bool,
    pub cut_after: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SearchHit {
    pub item: ItemSummaryDto,
    /// Higher is better.
    pub score: f32,
    /// Where the first term occurs.
    pub snippet: Option<SnippetDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SearchResult {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct BureauRef {
    pub id: i64,
    pub name: String,
    pub version_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct Comparison {
    pub a: BureauRef,
    pub b: BureauRef,
    /// Items in both lists.
    pub matched: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub rows: Vec<AlignedRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DiagnosticDto {
    pub severity: String,
    pub code: String,
    /// What the rule checks.
    pub summary: String,
    /// 序号 of the item concerned.
    pub item: Option<u32>,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DiagnosticsReport {
    pub bureau_id: i64,
    pub version_id: i64,
    pub counts: DiagnosticCounts,
    pub diagnostics: Vec<DiagnosticDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ImportResult {
    /// `false` when the bureau already had this exact file; that version is returned.
    pub created: bool,
    pub bureau_id: i64,
    pub version: VersionDto,
}

pub(super) fn diag_counts(v: &VersionData) -> DiagnosticCounts {
    let (errors, warnings, infos) = v.diagnostic_counts();
    DiagnosticCounts { errors, warnings, infos }
}

pub(super) fn version_dto(b: &BureauData, v: &VersionData) -> VersionDto {
    let src = &v.catalog.source;
    VersionDto {
        id: v.id,
        bureau_id: b.id,
        number: v.number,
        status: if v.published { "published" } else { "draft" }.into(),
        imported_at: v.imported_at,
        imported_by: v.imported_by.clone(),
        published_at: v.published_at,
        file_name: src.file_name.clone(),
        sha256: src.sha256.clone(),
        title: src.title.clone(),
        edition: src.edition.clone(),
        item_count: v.catalog.items.len(),
        diagnostics: diag_counts(v),
    }
}

pub(super) fn bureau_dto(b: &BureauData) -> BureauDto {
    let cur = b.current();
    BureauDto {
        id: b.id,
        name: b.name.clone(),
        region: b.region.clone(),
        current_version: cur.map(|v| version_dto(b, v)),
        version_count: b.visible_versions(false).count(),
        item_count: cur.map_or(0, |v| v.catalog.items.len()),
        categories: cur.map(VersionData::category_counts).unwrap_or_default(),
    }
}

pub(super) fn item_summary(r: ItemRef<'_>) -> ItemSummaryDto {
    ItemSummaryDto {
        id: r.id,
        bureau_id: r.bureau.id,
        bureau_name: r.bureau.name.clone(),
        version_id: r.version.id,
        seq: r.item.seq,
        name: r.item.name.clone(),
        sub_name: r.item.sub_name.clone(),
        category: r.item.category.id().into(),
        category_label: r.item.category.label().into(),
        subject: r.item.subject.clone(),
    }
}

pub(super) fn diag_dto(d: &Diagnostic) -> DiagnosticDto {
    DiagnosticDto {
        severity: d.severity.as_str().into(),
        code: d.code.as_str().into(),
        summary: d.code.summary().into(),
        item: d.item,
        line: d.line,
        message: d.message.clone(),
    }
}

pub(super) fn snippet_dto(s: &quanze_search::Snippet) -> SnippetDto {
    SnippetDto {
        field: match s.field {
            quanze_search::Field::Name => "name",
            quanze_search::Field::Stage => "stage",
            quanze_search::Field::Clause => "clause",
            quanze_search::Field::LegalBasis => "legal_basis",
        }
        .into(),
        text: s.text.clone(),
        highlights: s.highlights.iter().map(|h| [h.start, h.end]).collect(),
        cut_before: s.cut_before,
        cut_after: s.cut_after,
    }
}
