//! `SuperviseConfig`: the figures of electronic supervision, with their status and articles
//! (`data/config.toml`); a bureau overrides any of them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use quanze_case::{Figure, FigureStatus};
use serde::{Deserialize, Serialize};

use crate::kinds::RuleKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    figure: BTreeMap<String, Figure>,
    deadline_kinds: BTreeMap<String, RuleKind>,
    #[serde(default)]
    measures: Measures,
}

/// Words that give a disposal (处置) its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    /// A disposal whose measure contains one of these orders rectification (责令整改).
    #[serde(default)]
    pub rectification: Vec<String>,
}

fn defaults() -> &'static ConfigFile {
    static FILE: OnceLock<ConfigFile> = OnceLock::new();
    FILE.get_or_init(|| {
        // A test reads the embedded file; a broken one leaves no figures, and every lookup
        // then answers its documented fallback (see `value`).
        toml::from_str(include_str!("../data/config.toml")).unwrap_or(ConfigFile {
            figure: BTreeMap::new(),
            deadline_kinds: BTreeMap::new(),
            measures: Measures::default(),
        })
    })
}

/// The configuration of the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuperviseConfig {
    pub figures: BTreeMap<String, Figure>,
    /// Engine deadline id → the rule kind its breach raises.
    pub deadline_kinds: BTreeMap<String, RuleKind>,
    /// Words of disposal measures (data: `[measures]`); absent in stored configurations
    /// written before it existed, which then read the defaults.
    #[serde(default = "default_measures")]
    pub measures: Measures,
}

fn default_measures() -> Measures {
    defaults().measures.clone()
}

impl Default for SuperviseConfig {
    fn default() -> Self {
        let d = defaults();
        SuperviseConfig {
            figures: d.figure.clone(),
            deadline_kinds: d.deadline_kinds.clone(),
            measures: d.measures.clone(),
        }
    }
}

impl SuperviseConfig {
    /// A figure's value (0 for an unknown key: every key the rules read is in the default
    /// file, which a test checks).
    pub fn value(&self, key: &str) -> i64 {
        self.figures.get(key).or_else(|| defaults().figure.get(key)).map_or(0, |f| f.value)
    }

    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.get(key).or_else(|| defaults().figure.get(key))
    }

    pub(crate) fn days(&self, key: &str) -> u32 {
        u32::try_from(self.value(key)).unwrap_or(0)
    }

    /// Whether a figure is still at an UNVERIFIED default.
    pub fn unverified(&self, key: &str) -> bool {
        self.figure(key).is_some_and(|f| f.status == FigureStatus::Unverified)
    }

    /// Set a figure; the bureau's value is `local` from then on.
    pub fn set(&mut self, key: &str, value: i64) -> bool {
        let Some(mut f) = self.figure(key).cloned() else { return false };
        f.value = value;
        f.status = FigureStatus::Local;
        self.figures.insert(key.to_string(), f);
        true
    }

    /// Whether a disposal's measure orders rectification (责令整改).
    pub fn orders_rectification(&self, measure: &str) -> bool {
        self.measures.rectification.iter().any(|w| !w.is_empty() && measure.contains(w.as_str()))
    }

    /// The rule kind a missed engine deadline raises (`seal#2` is `seal`'s).
    pub fn deadline_kind(&self, deadline_id: &str) -> RuleKind {
        let base = deadline_id.split('#').next().unwrap_or(deadline_id);
        self.deadline_kinds.get(base).copied().unwrap_or(RuleKind::LimitPassed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn embedded_config_reads_and_flags_unverified() {
        let f: ConfigFile = toml::from_str(include_str!("../data/config.toml")).unwrap();
        for key in [
            "yellow_permille",
            "notice_working_days",
            "publication_days",
            "handover_days",
            "referral_threshold_fen",
            "acceptance_days",
            "reminder_working_days",
            "supervision_working_days",
            "notice_reply_working_days",
        ] {
            assert!(f.figure.contains_key(key), "{key}");
            assert!(!f.figure[key].note.is_empty());
        }
        let c = SuperviseConfig::default();
        assert_eq!(c.value("yellow_permille"), 900);
        assert!(c.unverified("referral_threshold_fen"));
        assert!(c.unverified("publication_days"));
        assert!(!c.unverified("handover_days"));
        assert_eq!(c.deadline_kind("seal#2"), RuleKind::SealOverdue);
        assert_eq!(c.deadline_kind("decision"), RuleKind::LimitPassed);
        assert!(c.orders_rectification("责令限期整改"));
        assert!(c.orders_rectification("责令改正，退回基金"));
        assert!(!c.orders_rectification("未发现问题"));
        let mut c = c;
        assert!(c.set("yellow_permille", 800));
        assert_eq!(c.value("yellow_permille"), 800);
        assert!(!c.set("nonexistent", 1));
    }
}
