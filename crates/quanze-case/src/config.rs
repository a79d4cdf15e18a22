//! `EngineConfig`: every figure the engine uses, with its status and articles. Defaults come
//! from `data/config.toml`; a bureau overrides any of them (local thresholds, UNVERIFIED
//! figures it has checked, promised limits).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use quanze_law::LocalConfig;
use serde::{Deserialize, Serialize};

/// How far a figure is established (legal-rules.md "How to read this file").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureStatus {
    Verified,
    Corroborated,
    /// No primary text was available: a default to confirm, shown as such.
    Unverified,
    /// A per-bureau figure; the default is one bureau's rule.
    Local,
}

/// One configurable figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub value: i64,
    /// `working_days`, `calendar_days`, `fen`, `permille`.
    pub unit: String,
    pub status: FigureStatus,
    pub articles: Vec<String>,
    pub note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    figure: BTreeMap<String, Figure>,
}

fn default_figures() -> &'static BTreeMap<String, Figure> {
    static FIGURES: OnceLock<BTreeMap<String, Figure>> = OnceLock::new();
    FIGURES.get_or_init(|| {
        // The embedded file is checked by a test; an unreadable one gives no figures, and every
        // lookup then reports the missing key rather than a guessed value.
        toml::from_str::<ConfigFile>(include_str!("../data/config.toml"))
            .map(|c| c.figure)
            .unwrap_or_default()
    })
}

/// The engine's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineConfig {
    /// Figures by stable key (`decision_days`, `simple_unit_max_fen`…).
    pub figures: BTreeMap<String, Figure>,
    /// Hearing (较大数额) and 法制审核 thresholds: local figures, shared with the penalty
    /// calculator of quanze-law.
    pub local: LocalConfig,
    /// A bureau's promised limits (承诺时限) in working days, by item name (with the sub-item
    /// name after a space when there is one). Never longer than the statutory limit: a longer
    /// one is a finding and the statutory limit applies.
    pub promised_working_days: BTreeMap<String, u32>,
    /// 法制审核 for every penalty decision (审核模式 ALL) instead of the cases of
    /// 行政处罚法 第五十八条 and the local thresholds.
    pub review_all_decisions: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            figures: default_figures().clone(),
            local: LocalConfig::default(),
            promised_working_days: BTreeMap::new(),
            review_all_decisions: false,
        }
    }
}

impl EngineConfig {
    /// A figure's value; a key missing from the configuration falls back to the built-in
    /// default, and an unknown key is `None`.
    pub fn value(&self, key: &str) -> Option<i64> {
        self.figures.get(key).or_else(|| default_figures().get(key)).map(|f| f.value)
    }

    /// A figure's full record.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.get(key).or_else(|| default_figures().get(key))
    }

    /// Set a figure (keeps its unit, articles and note; a bureau that sets it takes it over
    /// as a local figure).
    pub fn set(&mut self, key: &str, value: i64) -> bool {
        let Some(mut f) = self.figure(key).cloned() else { return false };
        f.value = value;
        f.status = FigureStatus::Local;
        self.figures.insert(key.to_string(), f);
        true
    }

    /// Keys of the figures still at an UNVERIFIED default.
    pub fn unverified(&self) -> Vec<&str> {
        self.figures
            .iter()
            .filter(|(_, f)| f.status == FigureStatus::Unverified)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    pub(crate) fn days(&self, key: &str) -> u32 {
        self.value(key).and_then(|v| u32::try_from(v).ok()).unwrap_or(0)
    }

    pub(crate) fn fen(&self, key: &str) -> i64 {
        self.value(key).unwrap_or(0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    #[test]
    fn embedded_figures_parse_and_flag_unverified() {
        let c: ConfigFile = toml::from_str(include_str!("../data/config.toml")).unwrap();
        assert!(c.figure.len() >= 20);
        let cfg = EngineConfig::default();
        assert_eq!(cfg.value("decision_days"), Some(90));
        assert_eq!(cfg.value("simple_unit_max_fen"), Some(300_000));
        let unverified = cfg.unverified();
        assert!(unverified.contains(&"decision_first_extension_days"));
        assert!(unverified.contains(&"seal_days"));
        assert!(!unverified.contains(&"decision_days"));
        for f in c.figure.values() {
            assert!(!f.note.is_empty());
        }
    }

    #[test]
    fn a_bureau_overrides_a_figure() {
        let mut cfg = EngineConfig::default();
        assert!(cfg.set("statement_window_days", 3));
        assert_eq!(cfg.value("statement_window_days"), Some(3));
        assert_eq!(cfg.figure("statement_window_days").unwrap().status, FigureStatus::Local);
        assert!(!cfg.set("no_such_figure", 1));
    }
}
