//! The publication settings (`data/publication.toml`): which decisions are published and
//! within how many working days, and how soon a retraction must follow. A leaf: the case
//! service holds them and `publication.rs` applies them.

use serde::{Deserialize, Serialize};

/// Which decisions are published and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationConfig {
    pub limit_working_days: u32,
    /// The limit rests on a text not verified (国办发〔2018〕118号).
    pub limit_unverified: bool,
    pub limit_source: String,
    pub retract_working_days: u32,
    pub retract_articles: Vec<String>,
    pub doc_types: Vec<String>,
    pub auto_publish: bool,
}

impl Default for PublicationConfig {
    fn default() -> Self {
        // The shipped file is tested to parse (`shipped_config_parses`).
        PublicationConfig::from_toml(include_str!("../data/publication.toml")).unwrap_or(PublicationConfig {
            limit_working_days: 7,
            limit_unverified: true,
            limit_source: String::new(),
            retract_working_days: 3,
            retract_articles: Vec::new(),
            doc_types: vec!["penalty_decision".into()],
            auto_publish: true,
        })
    }
}

impl PublicationConfig {
    pub fn from_toml(text: &str) -> std::result::Result<PublicationConfig, String> {
        toml::from_str(text).map_err(|e| format!("公示配置无效：{e}"))
    }
}
