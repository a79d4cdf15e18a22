//! Queries and results: the shapes behind `GET /api/search`.

use quanze_model::Category;
use serde::{Deserialize, Serialize};

use crate::Field;

/// Largest page a query may ask for.
pub const MAX_LIMIT: usize = 200;
/// Longest query accepted, in characters. Longer input is not a search but a paste; refusing
/// it keeps the work of one query bounded.
pub const MAX_QUERY_CHARS: usize = 256;
/// Most white-space separated terms in one query.
pub const MAX_TERMS: usize = 16;
/// Page size when the caller gives none.
pub const DEFAULT_LIMIT: usize = 20;

/// One search. `q` is split at white space into terms that must all occur in an item (in
/// any of its fields). An empty `q` matches every item that passes the filters: the
/// endpoint then lists, e.g. all 行政处罚 of one bureau, ordered by item id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    pub q: String,
    pub category: Option<Category>,
    /// Store id of a bureau.
    pub bureau: Option<i64>,
    /// A cited instrument, as its normalized title (社会保险法) or as printed
    /// (《中华人民共和国社会保险法》); both are normalized the same way.
    pub statute: Option<String>,
    /// An article of `statute`; requires `statute`.
    pub article: Option<u32>,
    pub offset: usize,
    pub limit: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            q: String::new(),
            category: None,
            bureau: None,
            statute: None,
            article: None,
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Query {
    /// A query for `q` with no filters and the default page.
    pub fn text(q: &str) -> Query {
        Query { q: q.to_string(), ..Query::default() }
    }
}

/// A query the index refuses; the server answers 400 with the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is {chars} characters long, over the limit of {MAX_QUERY_CHARS}")]
    TooLong { chars: usize },
    #[error("the query has {terms} terms, over the limit of {MAX_TERMS}")]
    TooManyTerms { terms: usize },
    #[error("limit {limit} is over the maximum page size of {MAX_LIMIT}")]
    LimitTooLarge { limit: usize },
    #[error("an article filter needs a statute")]
    ArticleWithoutStatute,
}

/// A page of results and the number of all matching items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResult {
    /// Number of items matching the query and filters (not only this page).
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// One matching item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub item_id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    /// 事项名称 as printed.
    pub item_name: String,
    pub category: Category,
    /// Higher is better. Σ over terms and fields of `weight × (1 + ln n)`, where n is the
    /// number of units of that field (name, stages, clauses, legal basis) containing the
    /// term. 0 for an empty query.
    pub score: f32,
    /// Where the first term occurs, in the best-weighted field; `None` for an empty query.
    pub snippet: Option<Snippet>,
}

/// An excerpt of one field around a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub field: Field,
    /// The excerpt, in normalized form (half-width punctuation, simplified characters).
    pub text: String,
    /// Matched spans in `text`, as `[start, end)` offsets in characters (Unicode scalar
    /// values, which for this text equal UTF-16 units in all but astral characters), sorted
    /// and not overlapping.
    pub highlights: Vec<HighlightSpan>,
    /// Whether text was cut before / after the excerpt (show an ellipsis).
    pub cut_before: bool,
    pub cut_after: bool,
}

/// A highlighted span of a snippet, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HighlightSpan {
    pub start: u32,
    pub end: u32,
}
