//! In-memory search over the current version of every bureau's list.
//!
//! Chinese has no spaces, so matching is by substring on normalized text (full-width forms
//! folded, white space removed, lower case): a two-character term such as 医保 or 罚款 hits
//! like any other. Space-separated terms must all match. Good for the tens of thousands of
//! items a province has; not an inverted index.

use quanze_model::{Category, Citation, PowerItem};

use crate::snapshot::Snapshot;

/// Fold full-width ASCII and the ideographic space, drop white space, lower-case.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let ch = match ch {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            _ => ch,
        };
        if ch.is_whitespace() {
            continue;
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// Strip what statute titles carry around the name: 《》, the 中华人民共和国 prefix.
pub fn normalize_statute(s: &str) -> String {
    let n = normalize(s);
    let n = n.trim_matches(|c| c == '《' || c == '》');
    let n = n.replace(['《', '》'], "");
    n.strip_prefix("中华人民共和国").map(str::to_string).unwrap_or(n)
}

/// Parse an article number: `87`, `第87条`, `第八十七条`, `八十七`.
pub fn parse_article(s: &str) -> Option<u32> {
    let t = normalize(s);
    let t = t.strip_prefix('第').unwrap_or(&t);
    let t = t.strip_suffix('条').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    if let Ok(n) = t.parse::<u32>() {
        return (n > 0).then_some(n);
    }
    parse_chinese_number(t)
}

fn parse_chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total: u32 = 0;
    let mut current: u32 = 0;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        let n = if current == 0 { 1 } else { current };
        total = total.checked_add(n.checked_mul(unit)?)?;
        current = 0;
    }
    let v = total.checked_add(current)?;
    (v > 0).then_some(v)
}

struct Doc {
    item_id: i64,
    bureau_id: i64,
    category: Category,
    name: String,
    basis: String,
    body: String,
    citations: Vec<(String, Option<u32>)>,
}

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub q: String,
    pub category: Option<Category>,
    pub bureau: Option<i64>,
    pub statute: Option<String>,
    pub article: Option<u32>,
}

/// One hit, best first.
#[derive(Debug, Clone)]
pub struct Hit {
    pub item_id: i64,
    pub score: u32,
}

#[derive(Default)]
pub struct SearchIndex {
    docs: Vec<Doc>,
}

fn citations_of(item: &PowerItem) -> Vec<(String, Option<u32>)> {
    let conv = |c: &Citation| (normalize_statute(&c.title), c.article);
    item.legal_basis.citations.iter().chain(item.accountability_basis.citations.iter()).map(conv).collect()
}

impl SearchIndex {
    pub fn build(snap: &Snapshot) -> SearchIndex {
        let mut docs = Vec::new();
        for b in &snap.bureaus {
            let Some(v) = b.current() else { continue };
            for (id, it) in v.items() {
                let mut name = it.name.clone();
                if let Some(s) = &it.sub_name {
                    name.push(' ');
                    name.push_str(s);
                }
                let mut body = String::new();
                for part in
                    [&it.responsibilities.text, &it.accountability.text, &it.accountability_basis.text]
                {
                    body.push_str(part);
                    body.push('\n');
                }
                for part in [&it.subject, &it.office, &it.code, &it.remarks].into_iter().flatten() {
                    body.push_str(part);
                    body.push('\n');
                }
                docs.push(Doc {
                    item_id: id,
                    bureau_id: b.id,
                    category: it.category,
                    name: normalize(&name),
                    basis: normalize(&it.legal_basis.text),
                    body: normalize(&body),
                    citations: citations_of(it),
                });
            }
        }
        SearchIndex { docs }
    }

    /// All hits, best first (ties in index order, which is bureau then list order).
    pub fn search(&self, q: &Query) -> Vec<Hit> {
        let terms: Vec<String> = q.q.split_whitespace().map(normalize).filter(|t| !t.is_empty()).collect();
        let statute = q.statute.as_deref().map(normalize_statute).filter(|s| !s.is_empty());
        let mut hits = Vec::new();
        for d in &self.docs {
            if q.category.is_some_and(|c| c != d.category) || q.bureau.is_some_and(|b| b != d.bureau_id) {
                continue;
            }
            if (statute.is_some() || q.article.is_some())
                && !d.citations.iter().any(|(title, art)| {
                    statute.as_ref().is_none_or(|s| title.contains(s.as_str()))
                        && q.article.is_none_or(|a| *art == Some(a))
                })
            {
                continue;
            }
            let mut score = 0u32;
            let mut all = true;
            for t in &terms {
                let s = 10 * u32::from(d.name.contains(t.as_str()))
                    + 3 * u32::from(d.basis.contains(t.as_str()))
                    + u32::from(d.body.contains(t.as_str()));
                if s == 0 {
                    all = false;
                    break;
                }
                score += s;
            }
            if all {
                hits.push(Hit { item_id: d.item_id, score });
            }
        }
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }

    /// Items (current versions) that cite an article of a statute.
    pub fn citing(&self, statute: &str, article: Option<u32>) -> Vec<i64> {
        let q = Query { statute: Some(statute.to_string()), article, ..Query::default() };
        self.search(&q).into_iter().map(|h| h.item_id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_parse() {
        assert_eq!(parse_article("87"), Some(87));
        assert_eq!(parse_article("第八十七条"), Some(87));
        assert_eq!(parse_article("第十条"), Some(10));
        assert_eq!(parse_article("一百二十三"), Some(123));
        assert_eq!(parse_article("第１２条"), Some(12));
        assert_eq!(parse_article("x"), None);
        assert_eq!(parse_article("0"), None);
        assert_eq!(parse_article("' OR 1=1 --"), None);
    }

    #[test]
    fn normalizes_width_and_titles() {
        assert_eq!(normalize("ＡＢ　c"), "abc");
        assert_eq!(normalize_statute("《中华人民共和国社会保险法》"), "社会保险法");
    }
}
