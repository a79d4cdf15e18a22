//! The guard table (`data/guards.toml`) and the refusal an action meets: the codes, articles
//! and messages the engine answers with. A leaf below the engine, the guards' predicates
//! and the procedures, which all read it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A guard as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardSpec {
    /// Stable id.
    pub code: String,
    /// Short title + article (行政处罚法 第四十二条).
    pub articles: Vec<String>,
    /// Chinese message; `{detail}` is filled with what the predicate found.
    pub message: String,
    /// The article number comes from a text that was not available (4号令).
    #[serde(default)]
    pub unverified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardFile {
    guard: Vec<GuardSpec>,
}

/// Every guard of the engine.
pub fn guard_specs() -> &'static [GuardSpec] {
    static G: OnceLock<Vec<GuardSpec>> = OnceLock::new();
    G.get_or_init(|| {
        toml::from_str::<GuardFile>(include_str!("../data/guards.toml")).map(|f| f.guard).unwrap_or_default()
    })
}

/// A refused action: an answer, not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// Stable id of the guard.
    pub code: String,
    /// The articles it rests on (行政处罚法 第四十二条).
    pub articles: Vec<String>,
    /// In Chinese.
    pub message: String,
    /// Whether an article rests on a text not available (see the guard table).
    #[serde(default)]
    pub unverified: bool,
}

impl Refusal {
    /// The refusal of guard `code` with `detail` filled in.
    pub fn of(code: &str, detail: &str) -> Refusal {
        match guard_specs().iter().find(|g| g.code == code) {
            Some(g) => Refusal {
                code: g.code.clone(),
                articles: g.articles.clone(),
                message: g.message.replace("{detail}", detail),
                unverified: g.unverified,
            },
            None => Refusal {
                code: code.to_string(),
                articles: vec![],
                message: detail.to_string(),
                unverified: false,
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    #[test]
    fn guard_table_parses_with_unique_codes() {
        let f: GuardFile = toml::from_str(include_str!("../data/guards.toml")).unwrap();
        let mut codes: Vec<&str> = f.guard.iter().map(|g| g.code.as_str()).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate guard code");
        for g in &f.guard {
            assert!(!g.message.is_empty());
            for a in &g.articles {
                // Short title, a space, 第…条 — or a title alone for texts without article numbers.
                assert!(!a.contains('《'), "{a}");
            }
        }
        assert_eq!(guard_specs().len(), n);
    }
}
