//! Query and path parameters every interface reads the same way: paging, ids, categories,
//! article numbers, and percent-encoding for the URLs pages link to. Their errors are
//! Chinese; the API sends them as a problem's `detail`, pages show them.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use quanze_model::Category;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;

pub(crate) const DEFAULT_LIMIT: usize = 50;
pub(crate) const MAX_LIMIT: usize = 500;

/// Paging of a listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageParams {
    /// Rows to skip (default 0).
    pub offset: Option<String>,
    /// Rows to return (default 50, at most 500).
    pub limit: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub offset: usize,
    pub limit: usize,
}

/// A parameter that does not say what it must.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ParamError {
    #[error("offset 应为不小于 0 的整数，而不是“{0}”。")]
    Offset(String),
    #[error("limit 应为 1 至 {max} 的整数，而不是“{value}”。")]
    Limit { value: String, max: usize },
    #[error("{what} 应为数字，而不是“{value}”。")]
    Id { what: String, value: String },
    #[error("未知的权力类型“{0}”。")]
    Category(String),
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> ApiError {
        ApiError::bad_request(e.to_string())
    }
}

pub(crate) fn paging(offset: Option<&str>, limit: Option<&str>) -> Result<Paging, ParamError> {
    let offset = match offset.map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s.parse::<usize>().map_err(|_| ParamError::Offset(s.to_string()))?,
    };
    let limit = match limit.map(str::trim).filter(|s| !s.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(ParamError::Limit { value: s.to_string(), max: MAX_LIMIT }),
        },
    };
    Ok(Paging { offset, limit })
}

pub(crate) fn parse_id(what: &str, s: &str) -> Result<i64, ParamError> {
    s.trim().parse::<i64>().map_err(|_| ParamError::Id { what: what.to_string(), value: s.to_string() })
}

/// A category by id (`penalty`) or label (行政处罚).
pub(crate) fn parse_category(s: &str) -> Result<Category, ParamError> {
    let s = s.trim();
    Category::from_id(s)
        .or_else(|| Category::ALL.into_iter().find(|c| c.label() == s))
        .ok_or_else(|| ParamError::Category(s.to_string()))
}

/// An article number: `87`, `第87条`, `第八十七条`, `八十七`, full-width digits too.
pub(crate) fn parse_article(s: &str) -> Option<u32> {
    let t: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    let t = t.strip_prefix('第').unwrap_or(&t);
    let t = t.strip_suffix('条').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    quanze_law::text::parse_cn_number(t).filter(|n| *n > 0)
}

/// What stays unencoded in a path segment or query value: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encode one URL path segment or query value.
pub(crate) fn pct(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
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
    fn values_are_percent_encoded_as_before() {
        assert_eq!(
            pct("社会保险法(2018-12-29)"),
            "%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E6%B3%95%282018-12-29%29"
        );
        assert_eq!(pct("a b&c=d~_.-"), "a%20b%26c%3Dd~_.-");
    }
}
