//! The canonical model of a 权责清单 (list of powers and responsibilities).
//!
//! Every importer produces a [`Catalog`]; every other part of quanze (store, portal,
//! law registry, cases, supervision) reads one. The JSON form of these types is a public
//! contract, described by the JSON Schema in `docs/schema/` (generated from these types by
//! `cargo xtask schema`; a test fails when the committed file is stale).
//!
//! Design rules:
//! - **No text of the source is ever dropped.** Every parsed field keeps the text it was
//!   parsed from (`text` next to the parsed parts), columns the model does not know go to
//!   [`PowerItem::extra`], and lines outside the table go to [`Source::unassigned`].
//! - Keys are always present in JSON (absent values are `null` or empty), so consumers can
//!   rely on the shape.
//! - The model is pure data: no I/O, no parsing. Parsers live in `quanze-parse`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod category;
pub mod clock;
pub mod date;
mod diagnostic;
pub mod list_kind;
pub mod schema;

pub use category::Category;
pub use clock::{ChinaTime, Clock, FixedClock};
pub use date::Date;
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use list_kind::ListKind;

/// Version of the catalog JSON format. Bump the major part on any breaking change of the
/// serialized shape; the schema file name carries it.
pub const SCHEMA_VERSION: &str = "1";

/// One imported 权责清单: where it came from, what it says about itself, its items, and
/// what validation found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Catalog {
    pub source: Source,
    pub declared: Declared,
    /// 服务机构 / 服务电话 / 服务地点 rows found between or after items.
    pub contacts: Vec<Contact>,
    pub items: Vec<PowerItem>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a catalog came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// File name as given to the importer (no directories).
    pub file_name: String,
    /// Lower-case hex SHA-256 of the bytes as read, before any decoding.
    pub sha256: String,
    /// The publishing body (e.g. 涞源县医疗保障局), from the title, a 单位 line or the
    /// most common subject.
    pub publisher: Option<String>,
    /// The document title as printed.
    pub title: Option<String>,
    /// Edition as printed, e.g. `2025年版`.
    pub edition: Option<String>,
    /// Year of the edition when printed.
    pub year: Option<u16>,
    /// Which reader recognised the layout (`cell-per-line`, `tsv`, `csv`, `pipe`, `xlsx`).
    pub layout: String,
    /// Encoding the text was decoded from (`utf-8`, `gb18030`, `xlsx`).
    pub encoding: String,
    /// The table's header rows as printed (cells joined by tabs; a two-row header on two
    /// lines), each distinct one once, at its first line.
    pub headers: Vec<SourceLine>,
    /// Lines of the document outside the item table (titles, stamps, footers), verbatim.
    pub unassigned: Vec<SourceLine>,
    /// The kind of list (权责清单, 随机抽查事项清单, 免罚清单…), from its title or its
    /// columns. Absent from the JSON when neither says (added after version 1.0; readers of
    /// older catalogs see it absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ListKind>,
}

/// A line of source text with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceLine {
    pub line: u32,
    pub text: String,
}

/// Totals the document states about itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Declared {
    /// Total number of items, from a title such as "共7类、45项" or "类(17)项", or from a
    /// summary table's 合计 row.
    pub total: Option<u32>,
    /// Number of types, from "共7类".
    pub categories: Option<u32>,
    /// Per-type counts from a summary table ("二、行政处罚（7项）").
    pub by_category: Vec<DeclaredCount>,
    /// The rows of a summary table (统计表) that lists items before the detail table.
    pub summary: Vec<SummaryEntry>,
    /// The phrases the totals were read from, verbatim.
    pub statements: Vec<SourceLine>,
}

/// A per-type count stated by the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeclaredCount {
    pub category: Category,
    /// The label as printed (行政处罚).
    pub label: String,
    pub count: u32,
    pub line: Option<u32>,
}

/// One row of a summary table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SummaryEntry {
    pub seq: Option<u32>,
    pub name: String,
    /// The type heading the row stands under.
    pub category: Option<Category>,
    pub remarks: Option<String>,
    pub line: Option<u32>,
}

/// A 服务机构 / 服务电话 / 服务地点 row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Contact {
    /// 服务机构.
    pub office: Option<String>,
    /// 服务电话 (several numbers are common).
    pub phones: Vec<String>,
    /// 服务地点.
    pub location: Option<String>,
    /// The row as printed.
    pub text: String,
    /// Serial of the item the row follows, when it follows one.
    pub item: Option<u32>,
    pub line: Option<u32>,
}

/// One power (权力事项) of the list with its responsibilities.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct PowerItem {
    /// 序号 as printed; `None` when the row has none.
    pub seq: Option<u32>,
    /// 1-based line where the item's row starts in the source.
    pub line: Option<u32>,
    /// 事项名称 / 权力事项 / 职权名称 (项目).
    pub name: String,
    /// 子项名称 / 子项.
    pub sub_name: Option<String>,
    pub category: Category,
    /// The type as printed (行政处罚类, 其他行政权力…).
    pub category_label: String,
    /// 行政主体 / 实施主体 / 行使主体 / 执法主体.
    pub subject: Option<String>,
    /// 承办机构 / 责任科室.
    pub office: Option<String>,
    /// 行使层级.
    pub level: Option<String>,
    /// 地方权力编码.
    pub code: Option<String>,
    /// 子项地方权力编码.
    pub sub_code: Option<String>,
    /// 实施依据 / 设定依据.
    pub legal_basis: LegalBasis,
    /// 责任事项.
    pub responsibilities: Responsibilities,
    /// 追责情形.
    pub accountability: Accountability,
    /// The lead-in sentence of the 追责情形 ("因不履行或不正确履行行政职责，有下列情形的…").
    pub accountability_preamble: Option<String>,
    /// 追究依据.
    pub accountability_basis: LegalBasis,
    /// 受理条件.
    pub acceptance: Option<String>,
    /// 法定期限.
    pub deadline: Option<Deadline>,
    /// 受理地点 / 服务电话, or the contact row that follows the item.
    pub service: Option<Service>,
    /// 责任人员.
    pub responsible_person: Option<String>,
    /// 备注.
    pub remarks: Option<String>,
    /// Columns the model does not know, by header as printed.
    pub extra: BTreeMap<String, String>,
}

/// A legal-basis cell: its text and the citations found in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct LegalBasis {
    pub text: String,
    pub citations: Vec<Citation>,
}

/// Level of a legal instrument (效力级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalLevel {
    /// 宪法.
    Constitution,
    /// 法律.
    Law,
    /// 行政法规.
    AdministrativeRegulation,
    /// 部门规章.
    DepartmentalRule,
    /// 地方性法规.
    LocalRegulation,
    /// 政府规章 (地方政府规章).
    GovernmentRule,
    /// 司法解释.
    JudicialInterpretation,
    /// 规范性文件 (notices, opinions, 〔2019〕52号-style documents).
    NormativeDocument,
    /// 释义 and anything else.
    Other,
}

impl LegalLevel {
    /// The Chinese name of the level.
    pub fn label(self) -> &'static str {
        match self {
            LegalLevel::Constitution => "宪法",
            LegalLevel::Law => "法律",
            LegalLevel::AdministrativeRegulation => "行政法规",
            LegalLevel::DepartmentalRule => "部门规章",
            LegalLevel::LocalRegulation => "地方性法规",
            LegalLevel::GovernmentRule => "政府规章",
            LegalLevel::JudicialInterpretation => "司法解释",
            LegalLevel::NormativeDocument => "规范性文件",
            LegalLevel::Other => "其他",
        }
    }
}

/// One cited article of one instrument. A cell citing 第八十七条 and 第八十八条 gives two.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Citation {
    /// As tagged (【法律】) or inferred from the title.
    pub level: Option<LegalLevel>,
    /// `true` when `level` was inferred rather than tagged in the source.
    pub level_inferred: bool,
    /// Normalized title: no 《》, no 中华人民共和国 prefix, no edition in parentheses.
    pub title: String,
    /// The title as printed, with its brackets and any edition.
    pub title_raw: String,
    /// Edition or issuing note in parentheses after the title (2018年12月修改, 国务院令第259号).
    pub edition: Option<String>,
    /// 条; `None` when the instrument is cited as a whole.
    pub article: Option<u32>,
    /// 款.
    pub paragraph: Option<u32>,
    /// 项.
    pub item: Option<u32>,
    /// The quoted words of the article, when the cell quotes them.
    pub text: Option<String>,
}

/// The 责任事项 cell: its text and the stages found in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Responsibilities {
    pub text: String,
    pub stages: Vec<Stage>,
}

/// One stage of exercising a power (立案责任, 调查阶段责任, 受理责任…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Stage {
    /// Position in the cell, from 1.
    pub seq: u32,
    /// Name as printed without the 责任 / 阶段责任 suffix (立案, 调查, 受理…).
    pub name: String,
    pub kind: StageKind,
    /// The post that carries the stage, when printed (立案岗).
    pub post: Option<String>,
    /// The duties of the stage.
    pub text: String,
}

/// Canonical kinds of stage, so that lists with different wording can be compared and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// 受理.
    Acceptance,
    /// 立案.
    Filing,
    /// 调查 / 调查取证 / 核查.
    Investigation,
    /// 检查.
    Inspection,
    /// 审查 / 审核 / 审理 / 审批 / 核定 / 认定.
    Review,
    /// 告知.
    Notification,
    /// 听证.
    Hearing,
    /// 催告.
    Demand,
    /// 决定 / 处理 / 处置.
    Decision,
    /// 送达.
    Service,
    /// 执行.
    Enforcement,
    /// 支付 / 给付 / 拨付 / 结算.
    Payment,
    /// 公示 / 公开 / 公告.
    Publication,
    /// 移送.
    Transfer,
    /// 事后监管 / 监管 / 监督.
    Supervision,
    /// 其他 (…规定应履行的责任) and anything not recognised.
    Other,
}

/// The 追责情形 cell: its text and the clauses found in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Accountability {
    pub text: String,
    pub clauses: Vec<Clause>,
}

/// One accountability clause (a situation in which officials are held to account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Clause {
    pub seq: u32,
    pub text: String,
}

/// The 法定期限 cell, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Deadline {
    /// The cell as printed.
    pub text: String,
    pub limit: DeadlineLimit,
}

/// What a deadline cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlineLimit {
    /// No limit is stated (无明确规定, 无).
    None,
    /// 即时办结 / 当场办结.
    Immediate,
    /// A number of days.
    Days { days: u32, counting: DayCounting },
    /// Text that states something the parser does not understand.
    Unparsed,
}

/// How days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayCounting {
    /// 工作日.
    Working,
    /// 日 / 天 (calendar days).
    Calendar,
}

/// Where and how the public reaches the office for an item.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Service {
    /// 受理地点 / 服务地点.
    pub location: Option<String>,
    /// 服务电话.
    pub phone: Option<String>,
}

impl Catalog {
    /// Items of one category.
    pub fn items_of(&self, category: Category) -> impl Iterator<Item = &PowerItem> {
        self.items.iter().filter(move |it| it.category == category)
    }

    /// Whether validation found an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

impl PowerItem {
    /// A short human label: `#3 对…的处罚` or `(no serial, line 179) 对…`.
    pub fn label(&self) -> String {
        match (self.seq, self.line) {
            (Some(seq), _) => format!("#{seq} {}", self.name),
            (None, Some(line)) => format!("(no serial, line {line}) {}", self.name),
            (None, None) => format!("(no serial) {}", self.name),
        }
    }
}

#[cfg(test)]
mod tests;
