//! Accountability clauses in 追责情形 cells.

use quanze_model::Clause;

/// A parsed 追责情形 cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedAccountability {
    /// The lead-in sentence ("因不履行或不正确履行行政职责，有下列情形的，…：").
    pub preamble: Option<String>,
    pub clauses: Vec<Clause>,
}

/// Split a 追责情形 cell into its preamble and numbered clauses.
pub fn parse_accountability(_cell: &str) -> ParsedAccountability {
    ParsedAccountability::default()
}
