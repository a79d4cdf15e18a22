//! Citations in legal-basis cells: 【法律】《中华人民共和国社会保险法》（2018年修正）第八十七条：“…”

use quanze_model::Citation;

/// What a legal-basis cell yielded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedBasis {
    /// One citation per cited article, in order of appearance.
    pub citations: Vec<Citation>,
    /// Fragments that look like citations (a 《title》 or 第X条) but could not be parsed.
    pub unparsed: Vec<String>,
}

/// Parse every citation in a legal-basis cell.
pub fn parse_citations(_cell: &str) -> ParsedBasis {
    ParsedBasis::default()
}

/// Normalize an instrument title: strip 《》, the 中华人民共和国 prefix and a trailing
/// edition in parentheses.
pub fn normalize_title(raw: &str) -> String {
    raw.to_string()
}
