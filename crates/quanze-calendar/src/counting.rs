//! Which days of a period count, per article (`data/counting.toml`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::NoticeError;
use crate::calendar::{Counting, Period};

/// The article a counting decision rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCitation {
    /// Short title, e.g. "行政处罚法"; empty when the period's own wording decides.
    #[serde(default)]
    pub statute: String,
    /// e.g. "第八十五条".
    #[serde(default)]
    pub article: String,
    /// The words of the article (or of the period) that decide.
    #[serde(default)]
    pub quote: String,
    /// Whether the quote was checked against the statute's text in this project.
    #[serde(default)]
    pub verified: bool,
}

/// How a period is counted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountingDecision {
    /// Working or calendar days.
    pub counting: Counting,
    /// Whether a calendar-day period ending on a rest day moves to the next working day.
    pub roll_forward: bool,
    /// The article (or wording) that decides.
    pub rule: RuleCitation,
}

impl CountingDecision {
    /// The period of `days` days counted this way.
    pub fn period(&self, days: u32) -> Period {
        Period { days, counting: self.counting, roll_forward: self.roll_forward }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct DefaultRule {
    counting: Counting,
    roll_forward: bool,
    #[serde(flatten)]
    cite: RuleCitation,
}

#[derive(Debug, Clone, Deserialize)]
struct WordingRule {
    contains: Vec<String>,
    counting: Counting,
    #[serde(flatten)]
    cite: RuleCitation,
}

#[derive(Debug, Clone, Deserialize)]
struct StatuteRule {
    #[serde(default)]
    days: Vec<u32>,
    #[serde(default)]
    max_days: Option<u32>,
    counting: Counting,
    #[serde(default)]
    roll_forward: Option<bool>,
    #[serde(flatten)]
    cite: RuleCitation,
}

impl StatuteRule {
    fn applies(&self, days: u32) -> bool {
        self.days.contains(&days) || self.max_days.is_some_and(|m| days <= m)
    }
}

/// The counting rules, as data.
#[derive(Debug, Clone, Deserialize)]
pub struct CountingRules {
    default: DefaultRule,
    start_day: RuleCitation,
    roll_forward_rule: RuleCitation,
    wording: WordingRule,
    #[serde(default, rename = "rule")]
    rules: Vec<StatuteRule>,
}

const BUILTIN_RULES: &str = include_str!("../data/counting.toml");

/// "《中华人民共和国行政处罚法》" and "行政处罚法" are the same statute.
fn short_title(s: &str) -> &str {
    let s = s.trim().trim_start_matches('《').trim_end_matches('》').trim();
    s.strip_prefix("中华人民共和国").unwrap_or(s)
}

impl CountingRules {
    /// Rules from a TOML text shaped like `data/counting.toml`.
    pub fn from_toml(text: &str) -> Result<CountingRules, NoticeError> {
        toml::from_str(text).map_err(|e| NoticeError::Format(e.to_string()))
    }

    /// The rules shipped with the crate. `None` only if the data file is broken, which the
    /// crate's tests rule out.
    pub fn builtin() -> Option<&'static CountingRules> {
        static RULES: OnceLock<Option<CountingRules>> = OnceLock::new();
        RULES.get_or_init(|| CountingRules::from_toml(BUILTIN_RULES).ok()).as_ref()
    }

    /// How a period of `days` days set by `statute` (short or full title) and written as
    /// `wording` (the period's own text, e.g. "5个工作日内", may be empty) is counted.
    pub fn decide(&self, statute: &str, days: u32, wording: &str) -> CountingDecision {
        if self.wording.contains.iter().any(|w| wording.contains(w.as_str())) {
            return CountingDecision {
                counting: self.wording.counting,
                roll_forward: self.default.roll_forward,
                rule: self.wording.cite.clone(),
            };
        }
        let statute = short_title(statute);
        if let Some(r) = self.rules.iter().find(|r| r.cite.statute == statute && r.applies(days)) {
            return CountingDecision {
                counting: r.counting,
                roll_forward: r.roll_forward.unwrap_or(self.default.roll_forward),
                rule: r.cite.clone(),
            };
        }
        CountingDecision {
            counting: self.default.counting,
            roll_forward: self.default.roll_forward,
            rule: self.default.cite.clone(),
        }
    }

    /// The article for "the start day is not counted".
    pub fn start_day_rule(&self) -> &RuleCitation {
        &self.start_day
    }

    /// The article for "a last day on a holiday moves to the next working day".
    pub fn roll_forward_rule(&self) -> &RuleCitation {
        &self.roll_forward_rule
    }
}

/// [`CountingRules::decide`] with the built-in rules: e.g. `("行政处罚法", 5, "")` is 5
/// working days under 第八十五条, `("行政处罚法", 90, "")` 90 calendar days.
pub fn counting_for(statute_short_title: &str, days: u32, wording: &str) -> CountingDecision {
    match CountingRules::builtin() {
        Some(rules) => rules.decide(statute_short_title, days, wording),
        // Unreachable with the shipped data; the wording still decides what it can.
        None => CountingDecision {
            counting: if wording.contains("工作日") { Counting::Working } else { Counting::Calendar },
            roll_forward: true,
            rule: RuleCitation::default_empty(),
        },
    }
}

impl RuleCitation {
    fn default_empty() -> RuleCitation {
        RuleCitation { statute: String::new(), article: String::new(), quote: String::new(), verified: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        assert!(CountingRules::builtin().is_some());
    }

    #[test]
    fn penalty_law_short_limits_are_working_days() {
        for d in [2, 3, 5, 7] {
            let c = counting_for("行政处罚法", d, "");
            assert_eq!(c.counting, Counting::Working, "{d}");
            assert_eq!(c.rule.article, "第八十五条");
        }
        for d in [15, 90, 10] {
            assert_eq!(
                counting_for("《中华人民共和国行政处罚法》", d, "").counting,
                Counting::Calendar,
                "{d}"
            );
        }
    }

    #[test]
    fn coercion_law_ten_days_or_less_are_working_days() {
        assert_eq!(counting_for("行政强制法", 10, "").counting, Counting::Working);
        assert_eq!(counting_for("中华人民共和国行政强制法", 1, "").rule.article, "第六十九条");
        assert_eq!(counting_for("行政强制法", 30, "").counting, Counting::Calendar);
    }

    #[test]
    fn wording_and_default() {
        let c = counting_for("医疗保障基金使用监督管理条例", 15, "15个工作日内");
        assert_eq!(c.counting, Counting::Working);
        let c = counting_for("社会保险法", 30, "三十日内");
        assert_eq!(c.counting, Counting::Calendar);
        assert!(c.roll_forward);
        assert_eq!(c.rule.article, "第二百零三条");
        assert_eq!(c.period(30), Period::calendar(30));
    }

    #[test]
    fn a_rule_may_keep_its_last_day_on_a_holiday() {
        // A bureau's configuration: 15-day payment periods of 行政处罚法 that do not move.
        let text = BUILTIN_RULES.to_string()
            + "\n[[rule]]\nstatute = \"行政处罚法\"\narticle = \"第六十七条\"\ndays = [15]\ncounting = \"calendar\"\nroll_forward = false\nquote = \"\"\n";
        let rules = CountingRules::from_toml(&text).unwrap();
        let c = rules.decide("行政处罚法", 15, "");
        assert_eq!((c.counting, c.roll_forward), (Counting::Calendar, false));
        assert_eq!(c.rule.article, "第六十七条");
        assert!(rules.decide("行政处罚法", 90, "").roll_forward);
        assert_eq!(rules.start_day_rule().article, "第二百零一条");
        assert_eq!(rules.roll_forward_rule().statute, "民事诉讼法");
        assert!(CountingRules::from_toml("[default]").is_err());
    }

    #[test]
    fn counting_serializes_as_words() {
        assert_eq!(serde_json::to_string(&Counting::Working).unwrap(), "\"working\"");
        assert_eq!(serde_json::to_string(&Counting::Calendar).unwrap(), "\"calendar\"");
        let p: Period = serde_json::from_str(r#"{"days":5,"counting":"working"}"#).unwrap();
        assert!(p.roll_forward);
    }
}
