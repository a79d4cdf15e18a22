//! The one normalization applied both to indexed text and to queries, so that a query
//! matches whatever way a list happens to write the same characters.

use quanze_parse::text::{fold_width, to_simplified};

/// Normalize text for indexing and matching: full-width ASCII folded to half-width,
/// traditional characters to simplified, lower case, every run of white space turned into
/// one space, leading and trailing space removed.
///
/// Stored unit texts are kept in this form only (not in their printed form): keeping the
/// printed text as well would double the memory of a national index, and snippets read
/// well enough with half-width punctuation.
pub fn normalize(text: &str) -> String {
    let folded = fold_width(text);
    let simplified = to_simplified(&folded);
    let mut out = String::with_capacity(simplified.len());
    let mut pending_space = false;
    for c in simplified.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii_uppercase() {
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && u32::from(c) < 0x3000 && c.is_uppercase() {
            // Cased scripts (Latin, Greek, Cyrillic) sit below U+3000; skipping the case
            // table for CJK text is most of the speed of building an index.
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Split a query into its terms: the normalized query cut at white space, duplicates
/// removed, in order of first appearance. Every term must occur in a matching item.
pub fn query_terms(q: &str) -> Vec<String> {
    let normalized = normalize(q);
    let mut terms: Vec<String> = Vec::new();
    for t in normalized.split(' ') {
        if !t.is_empty() && !terms.iter().any(|seen| seen == t) {
            terms.push(t.to_string());
        }
    }
    terms
}

/// Normalize a statute title given by a caller (`《中华人民共和国社会保险法》`) to the form
/// citations are stored in (`社会保险法`), so filters and the reverse index accept either.
pub fn normalize_statute(title: &str) -> String {
    let trimmed = normalize(title);
    let titled = quanze_parse::citation::normalize_title(&trimmed);
    // The parser's normalization is authoritative; stripping the brackets and the state
    // prefix here as well keeps a hand-typed filter working whatever the parser returns.
    let t = titled.trim().trim_start_matches('《').trim_end_matches('》');
    let t = t.strip_prefix("中华人民共和国").unwrap_or(t);
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_and_case_folds() {
        assert_eq!(normalize("  医保\n\t 基金 ABC "), "医保 基金 abc");
    }

    #[test]
    fn query_terms_are_deduplicated() {
        assert_eq!(query_terms(" 医保  罚款 医保 "), vec!["医保".to_string(), "罚款".to_string()]);
        assert!(query_terms("   ").is_empty());
    }

    #[test]
    fn statute_titles_lose_brackets_and_state_prefix() {
        assert_eq!(normalize_statute("《中华人民共和国社会保险法》"), "社会保险法");
        assert_eq!(normalize_statute("社会保险法"), "社会保险法");
    }
}
