use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How bad a finding is. `quanze validate` exits 1 when any finding is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Stable rule ids of findings, like a linter's. Never rename one: tools match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticCode {
    /// A detail row has no 序号.
    MissingSerial,
    /// Two items share a 序号.
    DuplicateSerial,
    /// The number of items (in total or of one type) differs from what the document states.
    DeclaredCountMismatch,
    /// The summary table and the detail table list different items.
    SummaryDetailMismatch,
    /// Two items share a local power code.
    DuplicateCode,
    /// The type segment of a local power code does not match the item's type.
    CodeTypeMismatch,
    /// The printed type is not one of the standard names.
    NonstandardType,
    /// The printed type does not fit what the item does (its name and stages).
    TypeMismatch,
    /// A cell whose content belongs to another column.
    MisplacedCell,
    /// A required field is empty.
    MissingField,
    /// A legal-basis text that looks like a citation but could not be parsed.
    UnparsedCitation,
    /// One body written several ways in the subject column.
    InconsistentSubject,
    /// The source ends in the middle of a row.
    Truncated,
    /// The text was decoded from GBK/GB18030 or converted from traditional characters.
    Transcoded,
    /// A row has more cells than the header has columns.
    ExtraCells,
    /// A header the importer does not know; its cells are kept in `extra`.
    UnknownColumn,
    /// A cited statute or article is not in the registry.
    UnresolvedCitation,
    /// The cited article is about something other than the item.
    CitationMismatch,
    /// The quoted words differ from the statute.
    QuotationMismatch,
    /// The cited edition was no longer in force at the list's date.
    SupersededCitation,
    /// No header row was recognised: the columns were inferred from the cells' content.
    NoHeader,
}

impl DiagnosticCode {
    pub const ALL: [DiagnosticCode; 21] = [
        DiagnosticCode::MissingSerial,
        DiagnosticCode::DuplicateSerial,
        DiagnosticCode::DeclaredCountMismatch,
        DiagnosticCode::SummaryDetailMismatch,
        DiagnosticCode::DuplicateCode,
        DiagnosticCode::CodeTypeMismatch,
        DiagnosticCode::NonstandardType,
        DiagnosticCode::TypeMismatch,
        DiagnosticCode::MisplacedCell,
        DiagnosticCode::MissingField,
        DiagnosticCode::UnparsedCitation,
        DiagnosticCode::InconsistentSubject,
        DiagnosticCode::Truncated,
        DiagnosticCode::Transcoded,
        DiagnosticCode::ExtraCells,
        DiagnosticCode::UnknownColumn,
        DiagnosticCode::UnresolvedCitation,
        DiagnosticCode::CitationMismatch,
        DiagnosticCode::QuotationMismatch,
        DiagnosticCode::SupersededCitation,
        DiagnosticCode::NoHeader,
    ];

    /// The stable id (`missing-serial`).
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::MissingSerial => "missing-serial",
            DiagnosticCode::DuplicateSerial => "duplicate-serial",
            DiagnosticCode::DeclaredCountMismatch => "declared-count-mismatch",
            DiagnosticCode::SummaryDetailMismatch => "summary-detail-mismatch",
            DiagnosticCode::DuplicateCode => "duplicate-code",
            DiagnosticCode::CodeTypeMismatch => "code-type-mismatch",
            DiagnosticCode::NonstandardType => "nonstandard-type",
            DiagnosticCode::TypeMismatch => "type-mismatch",
            DiagnosticCode::MisplacedCell => "misplaced-cell",
            DiagnosticCode::MissingField => "missing-field",
            DiagnosticCode::UnparsedCitation => "unparsed-citation",
            DiagnosticCode::InconsistentSubject => "inconsistent-subject",
            DiagnosticCode::Truncated => "truncated",
            DiagnosticCode::Transcoded => "transcoded",
            DiagnosticCode::ExtraCells => "extra-cells",
            DiagnosticCode::UnknownColumn => "unknown-column",
            DiagnosticCode::UnresolvedCitation => "unresolved-citation",
            DiagnosticCode::CitationMismatch => "citation-mismatch",
            DiagnosticCode::QuotationMismatch => "quotation-mismatch",
            DiagnosticCode::SupersededCitation => "superseded-citation",
            DiagnosticCode::NoHeader => "no-header",
        }
    }

    /// One line on what the rule checks, for `quanze validate --explain` and the portal.
    pub fn summary(self) -> &'static str {
        match self {
            DiagnosticCode::MissingSerial => "a detail row has no serial number (序号)",
            DiagnosticCode::DuplicateSerial => "two items share a serial number",
            DiagnosticCode::DeclaredCountMismatch => "item count differs from the count the document states",
            DiagnosticCode::SummaryDetailMismatch => "summary table and detail table list different items",
            DiagnosticCode::DuplicateCode => "two items share a local power code (地方权力编码)",
            DiagnosticCode::CodeTypeMismatch => {
                "the type segment of the power code does not match the item's type"
            }
            DiagnosticCode::NonstandardType => "the printed type is not a standard category name",
            DiagnosticCode::TypeMismatch => "the printed type does not fit what the item does",
            DiagnosticCode::MisplacedCell => "a cell's content belongs to another column",
            DiagnosticCode::MissingField => "a required field is empty",
            DiagnosticCode::UnparsedCitation => "legal-basis text that could not be parsed into citations",
            DiagnosticCode::InconsistentSubject => "one body is written several ways in the subject column",
            DiagnosticCode::Truncated => "the source ends in the middle of a row",
            DiagnosticCode::Transcoded => {
                "text was decoded from GBK/GB18030 or converted from traditional characters"
            }
            DiagnosticCode::ExtraCells => "a row has more cells than the header has columns",
            DiagnosticCode::UnknownColumn => "a column the model does not know (kept in extra)",
            DiagnosticCode::UnresolvedCitation => "a cited statute or article is not in the registry",
            DiagnosticCode::CitationMismatch => "the cited article is about something other than the item",
            DiagnosticCode::QuotationMismatch => "the quoted words differ from the statute",
            DiagnosticCode::SupersededCitation => "the cited edition was not in force at the list's date",
            DiagnosticCode::NoHeader => "no header row was recognised; columns were inferred from content",
        }
    }

    pub fn from_id(id: &str) -> Option<DiagnosticCode> {
        DiagnosticCode::ALL.into_iter().find(|c| c.as_str() == id)
    }
}

impl std::fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding about a catalog. JSON: `{ "severity", "code", "item", "line", "message" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: DiagnosticCode,
    /// 序号 of the item concerned, when it has one.
    pub item: Option<u32>,
    /// 1-based source line, where known.
    pub line: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: DiagnosticCode, message: impl Into<String>) -> Self {
        Diagnostic { severity, code, item: None, line: None, message: message.into() }
    }
    pub fn error(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }
    pub fn warning(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }
    pub fn info(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }
    pub fn at_item(mut self, item: Option<u32>) -> Self {
        self.item = item;
        self
    }
    pub fn at_line(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }
}
